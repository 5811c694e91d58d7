// `probity replay` over several log files, as a force back-tests: an access-audit log and
// a mail gateway's log of the same day, given as separate files in either order.
#include <gtest/gtest.h>

#include "daemon_fixture.h"

namespace probity::testing {
namespace {

constexpr const char* kRules = R"(
- detection: lookup
  title: Look-up
  severity: low
  building_block: true
  condition: event.kind == "access" and action == "query"
- detection: media-email
  title: Email to the media
  severity: low
  building_block: true
  condition: event.kind == "email" and email.to.domain == "paper.example"
- correlation: lookup-then-media-email
  title: Look-up then email to the media
  severity: high
  sequence: {by: user.id, within: 24h, steps: [lookup, media-email]}
)";

// The look-up at 10:00; the log runs on to 15:00, well past the 5-minute lateness bound.
constexpr const char* kAccessLog =
    "<110>1 2026-11-02T10:00:00Z app01 audit - ACCESS [access@32473 user.id=\"PC1001\" "
    "source.system=\"PNC\" action=\"query\" subject.id=\"P0042117\"] record consulted\n"
    "<110>1 2026-11-02T15:00:00Z app01 audit - ACCESS [access@32473 user.id=\"PC2002\" "
    "source.system=\"PNC\" action=\"query\" subject.id=\"P0000001\"] record consulted\n";

// Postfix lines for one message at 11:00, assembled by queue id within this file.
constexpr const char* kMailLog =
    "<22>1 2026-11-02T11:00:00Z mx1 postfix/smtpd 1001 - - 4F2A31C0F3A: "
    "client=ws12.force.example[10.1.2.3]\n"
    "<22>1 2026-11-02T11:00:01Z mx1 postfix/qmgr 900 - - 4F2A31C0F3A: "
    "from=<james.hartley@force.example>, size=2048, nrcpt=1 (queue active)\n"
    "<22>1 2026-11-02T11:00:02Z mx1 postfix/smtp 1003 - - 4F2A31C0F3A: "
    "to=<newsdesk@paper.example>, relay=mx.paper.example[203.0.113.5]:25, delay=1.2, "
    "delays=0.1/0.01/0.5/0.6, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n"
    "<22>1 2026-11-02T11:00:02Z mx1 postfix/qmgr 900 - - 4F2A31C0F3A: removed\n";

TEST(ProbityReplay, MergesFilesByEventTimeSoCrossFileCorrelationsFire) {
  ProbityDaemon d(DaemonOptions(kRules, false));
  d.import("staff", "staff.csv",
           "id,surname,emails,hr_status,vetting_level\n"
           "PC1001,Hartley,james.hartley@force.example,active,NPPV2\n"
           "PC2002,Okafor,,active,NPPV2\n");
  const auto access = d.dir / "access.log";
  const auto mail = d.dir / "mail.log";
  write_file(access, kAccessLog);
  write_file(mail, kMailLog);

  for (const auto& files : {std::pair{access, mail}, std::pair{mail, access}}) {
    const auto r = d.probity({"replay", files.first.string(), files.second.string()});
    const std::string order =
        files.first.filename().string() + " " + files.second.filename().string();
    ASSERT_EQ(r.exit_code, 0) << order << "\n" << r.output;
    EXPECT_NE(r.output.find("replayed 3 events"), std::string::npos) << order << "\n" << r.output;
    EXPECT_NE(r.output.find(R"("rule":"lookup-then-media-email")"), std::string::npos)
        << order << "\n"
        << r.output;
    EXPECT_NE(r.output.find(R"("user.id":"pc1001")"), std::string::npos) << order << "\n"
                                                                         << r.output;
    EXPECT_NE(r.output.find("1 alerts"), std::string::npos) << order << "\n" << r.output;
  }
}

}  // namespace
}  // namespace probity::testing
