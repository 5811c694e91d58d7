// Internal to alerts/: a recipient group's email (alerts.recipients), through the one mail
// transport the config names (SMTP relay or local mailbox). Not for message text
// (email_message.h).
#pragma once

#include <memory>
#include <string>

#include "alerts/channel.h"
#include "alerts/mail_content.h"
#include "alerts/sinks.h"

namespace probity::alerts {

class EmailChannel final : public Channel {
 public:
  /// `recipients`: the group's addresses, comma-separated. `transport` is shared by every
  /// group; its deliver() is safe to call from several threads.
  EmailChannel(std::string group, std::string recipients, EmailConfig email,
               std::shared_ptr<MailSink> transport, MailContext context);

  std::string_view kind() const override { return "email"; }
  Result<void> send(const Alert& alert) override;
  Result<void> send_digest(const std::vector<Alert>& alerts, event::Timestamp now) override;

 private:
  std::string group_;
  EmailConfig addressed_;  // the config's email, with `to` set to the group's addresses
  std::shared_ptr<MailSink> transport_;
  MailContext context_;
};

}  // namespace probity::alerts
