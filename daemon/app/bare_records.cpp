// octet_counted, parse_record and LineSplitter (bare_records.h).
#include "app/bare_records.h"

namespace probity::app {

bool octet_counted(std::string_view input) {
  std::size_t digits = 0;
  while (digits < input.size() && input[digits] >= '0' && input[digits] <= '9') ++digits;
  return digits > 0 && input.substr(digits).starts_with(" <");
}

Result<syslog::SyslogMessage> parse_record(std::string_view bytes, bool bare) {
  auto msg = syslog::parse_syslog(bytes);
  if (msg || !bare || msg.error().code != "syslog.not_syslog") return msg;
  syslog::SyslogMessage m;
  m.protocol = syslog::Protocol::rfc3164;
  m.message = bytes;
  return m;
}

// One byte over max_size_ is held for a CR before the LF.
void LineSplitter::hold(std::string_view part) {
  const std::size_t limit = max_size_ + 1;
  const std::size_t room = limit > carry_.size() ? limit - carry_.size() : 0;
  carry_.append(part.substr(0, room));
  overflow_ += part.size() > room ? part.size() - room : 0;
}

void LineSplitter::feed(std::string_view bytes, const Each& each) {
  while (!bytes.empty()) {
    const auto lf = bytes.find('\n');
    if (lf == std::string_view::npos) {
      hold(bytes);  // so a line with no end costs max_size_ bytes at most
      return;
    }
    hold(bytes.substr(0, lf));
    end_line(each);
    bytes.remove_prefix(lf + 1);
  }
}

void LineSplitter::finish(const Each& each) {
  if (!carry_.empty() || overflow_ > 0) end_line(each);
}

void LineSplitter::end_line(const Each& each) {
  std::string_view bytes = carry_;
  if (overflow_ == 0 && !bytes.empty() && bytes.back() == '\r') bytes.remove_suffix(1);
  Line line;
  line.length = bytes.size() + overflow_;
  line.too_long = line.length > max_size_;
  if (!line.too_long) line.bytes = bytes;
  if (line.length > 0) each(line);
  carry_.clear();
  overflow_ = 0;
}

}  // namespace probity::app
