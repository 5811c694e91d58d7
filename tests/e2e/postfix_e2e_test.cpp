// End to end with a real mail gateway: a real Postfix relays a staff member's message to a
// media domain (delivered to an aiosmtpd sink), its maillog is forwarded by a real rsyslog
// (imfile → omfwd, RFC 5424 octet-counted) to `probity run`, which assembles the lines by
// queue id and raises the email-to-media alert, mailed to a second sink.
#include <gtest/gtest.h>

#include "daemon_fixture.h"
#include "smtp_server.h"

namespace probity::testing {
namespace {

constexpr const char* kPostfixRules = R"(
- list: media_domains
  items: [paper.example, tv.example]

- detection: email-to-media-domain
  title: Email from staff to a media domain
  severity: high
  condition: event.kind == "email" and email.to.domain in list("media_domains")
  alert: "{user.id} emailed {email.to} ({email.direction}): {email.subject}"
  fields: [user.id, email.from, email.to, email.subject, email.direction, gateway]
)";

TEST(PostfixE2E, MailToMediaThroughRealPostfixRaisesAlert) {
  ProbityDaemon daemon(DaemonOptions{kPostfixRules, true, "internal_domains: [force.example]\n"});
  daemon.import("staff", "staff.csv",
                "id,surname,forenames,emails,hr_status,vetting_level,vetting_expires\n"
                "PC1001,Hartley,James,james.hartley@force.example,active,NPPV2,2030-01-01\n");
  SmtpServer alerts(daemon.smtp_port, daemon.dir / "alert-mail");
  ASSERT_TRUE(daemon.start());

  const std::uint16_t relay_port = pick_free_port();
  SmtpServer media(relay_port, daemon.dir / "media-mail");  // where Postfix relays to
  TempDir postfix_dir("probity-postfix");
  PostfixServer postfix(postfix_dir.path(), pick_free_port(), relay_port);
  ASSERT_TRUE(postfix.started());
  RsyslogFileForwarder rsyslog(postfix.maillog(), "postfix", daemon.syslog_port,
                               daemon.dir / "rsyslog");
  ASSERT_TRUE(rsyslog.running()) << rsyslog.log();

  ASSERT_EQ(postfix.send("james.hartley@force.example", "newsdesk@paper.example",
                         "Tonight, the custody story"),
            "");
  ASSERT_TRUE(wait_until([&] { return !media.messages().empty(); }, std::chrono::seconds(30)))
      << postfix.log();

  ASSERT_TRUE(wait_until([&] { return !alerts.messages().empty(); }, std::chrono::seconds(30)))
      << "maillog:\n"
      << postfix.log() << "\nprobity:\n"
      << daemon.process()->log() << "\nrsyslog:\n"
      << rsyslog.log();
  const auto mails = alerts.messages();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_NE(mails[0].find("Email from staff to a media domain"), std::string::npos) << mails[0];
  EXPECT_NE(mails[0].find("newsdesk@paper.example"), std::string::npos) << mails[0];
  EXPECT_NE(mails[0].find("outbound"), std::string::npos) << mails[0];
  EXPECT_NE(mails[0].find("Tonight, the custody story"), std::string::npos) << mails[0];
  EXPECT_NE(mails[0].find("postfix"), std::string::npos) << mails[0];
  // One delivered recipient, one event: the other maillog lines were assembled, not events.
  EXPECT_EQ(daemon.metric("probity_events_decoded_total"), 1) << daemon.process()->log();
}

}  // namespace
}  // namespace probity::testing
