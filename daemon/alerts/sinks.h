// Internal to alerts/: where alerts go once stored. The JSONL log is written inline by
// raise(); mail transports (SMTP or local mailbox) serve the email channels (email_channel.h).
// Not for retry policy (outbox.h) or ordering (pipeline.cpp).
#pragma once

#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>

#include "alerts/alerts.h"

namespace probity::alerts {

/// Mail out: one composed RFC 5322 message (an alert or a digest, email_message.h) to
/// `recipients` (comma-separated; its To header names the same). deliver() may be called
/// from several recipient groups' threads at once; an error means "not delivered, try
/// again later" and its message is safe to log (never the password).
class MailSink {
 public:
  virtual ~MailSink() = default;
  virtual Result<void> deliver(const std::string& message, std::string_view recipients) = 0;
  virtual std::string_view name() const = 0;
};

/// Sends through an SMTP relay with libcurl: a fresh connection per message, which is
/// plenty at alert rates and never reuses a connection the relay silently dropped.
class SmtpSink final : public MailSink {
 public:
  SmtpSink(EmailConfig cfg, std::string password);
  Result<void> deliver(const std::string& message, std::string_view recipients) override;
  std::string_view name() const override { return "smtp"; }

 private:
  EmailConfig cfg_;
  std::string password_;
};

/// Appends to a local mbox file (mboxrd quoting), for installs without a mail server;
/// each message is fsync'ed because the outbox entry is erased once this returns. Every
/// recipient group's thread shares it: one append at a time.
class MailboxSink final : public MailSink {
 public:
  explicit MailboxSink(EmailConfig cfg);
  Result<void> deliver(const std::string& message, std::string_view recipients) override;
  std::string_view name() const override { return "mailbox"; }

 private:
  EmailConfig cfg_;
  std::mutex mutex_;
};

/// One mbox entry: the "From " separator line, the message with LF line endings and
/// mboxrd ">From " quoting, and the blank line that ends it.
std::string mbox_entry(std::string_view crlf_message, std::string_view envelope_from,
                       std::chrono::system_clock::time_point received);

/// mboxrd quoting: every body line matching ^>*From gains one more '>'.
std::string mbox_quote(std::string_view lf_text);

/// The JSONL alert log: one alert JSON per line, file mode 0640, parent dirs created.
/// Thread-safe. The file is opened per append so logrotate's move-and-create just works.
class JsonlSink {
 public:
  explicit JsonlSink(std::filesystem::path path);
  Result<void> append(std::string_view json_line);
  /// Lines that each end in a newline, in one write().
  Result<void> append_lines(std::string_view lines);

 private:
  std::filesystem::path path_;
  std::mutex mutex_;
};

/// Appends all of data to path (O_APPEND, created with mode), creating parent directories;
/// fsyncs when asked. Shared by the JSONL and mailbox sinks.
Result<void> append_to_file(const std::filesystem::path& path, std::string_view data,
                            bool fsync_after);

/// Reads the SMTP password: the file's first line. Errors name the file, never the content.
Result<std::string> read_password_file(const std::filesystem::path& path);

}  // namespace probity::alerts
