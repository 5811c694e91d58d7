// EmailChannel: alert and digest emails to one recipient group.
#include "alerts/email_channel.h"

#include "alerts/email_message.h"

namespace probity::alerts {

EmailChannel::EmailChannel(std::string group, std::string recipients, EmailConfig email,
                           std::shared_ptr<MailSink> transport, MailContext context)
    : group_(std::move(group)),
      addressed_(std::move(email)),
      transport_(std::move(transport)),
      context_(std::move(context)) {
  addressed_.to = std::move(recipients);
}

Result<void> EmailChannel::send(const Alert& alert) {
  return transport_->deliver(compose_email(alert, addressed_, context_), addressed_.to);
}

Result<void> EmailChannel::send_digest(const std::vector<Alert>& alerts, event::Timestamp now) {
  // One Message-ID per group and instant: two groups' digests are two messages.
  std::string when = event::format_time(now);
  std::erase_if(when, [](char c) { return c == '-' || c == ':'; });
  const std::string digest_id = "digest." + group_ + "." + when;
  return transport_->deliver(compose_digest(alerts, group_, digest_id, now, addressed_, context_),
                             addressed_.to);
}

}  // namespace probity::alerts
