// The local mailbox sink: alert mail appended to an mbox file when no SMTP relay is
// configured, readable with `mutt -f`. Not a mail delivery agent: no locking dance with
// other writers; Probity is the only writer of its mailbox.
#include <ctime>

#include "alerts/email_message.h"
#include "alerts/sinks.h"

namespace probity::alerts {

std::string mbox_quote(std::string_view lf_text) {
  std::string out;
  out.reserve(lf_text.size());
  std::size_t start = 0;
  while (start < lf_text.size()) {
    auto nl = lf_text.find('\n', start);
    if (nl == std::string_view::npos) nl = lf_text.size();
    const auto line = lf_text.substr(start, nl - start);
    // mboxrd: quote ">From " as well as "From ", so reading it back (strip one '>') is exact.
    const auto first = line.find_first_not_of('>');
    if (first != std::string_view::npos && line.substr(first).starts_with("From ")) out += '>';
    out += line;
    if (nl < lf_text.size()) out += '\n';
    start = nl + 1;
  }
  return out;
}

std::string mbox_entry(std::string_view crlf_message, std::string_view envelope_from,
                       std::chrono::system_clock::time_point received) {
  std::string lf;
  lf.reserve(crlf_message.size());
  for (std::size_t i = 0; i < crlf_message.size(); ++i)
    if (!(crlf_message[i] == '\r' && i + 1 < crlf_message.size() && crlf_message[i + 1] == '\n'))
      lf += crlf_message[i];
  if (!lf.empty() && lf.back() != '\n') lf += '\n';

  // The separator line carries asctime() in UTC: "From sender Tue Nov 24 20:00:00 2026".
  const std::time_t t = std::chrono::system_clock::to_time_t(received);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char when[32];
  std::strftime(when, sizeof when, "%a %b %e %H:%M:%S %Y", &tm);

  std::string sender(envelope_from.empty() ? "probity@localhost" : envelope_from);
  for (auto& c : sender)
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') c = '_';

  std::string out = "From " + sender + " " + when + "\n";
  out += mbox_quote(lf);
  out += "\n";  // an empty line ends each message in mbox
  return out;
}

MailboxSink::MailboxSink(EmailConfig cfg) : cfg_(std::move(cfg)) {}

Result<void> MailboxSink::deliver(const std::string& message, std::string_view /*recipients*/) {
  const std::string entry =
      mbox_entry(message, "probity@localhost", std::chrono::system_clock::now());
  std::lock_guard lock(mutex_);
  return append_to_file(cfg_.mailbox_path, entry, /*fsync_after=*/true);
}

}  // namespace probity::alerts
