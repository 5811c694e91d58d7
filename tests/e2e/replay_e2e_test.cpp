// `probity replay` over several log files, as a force back-tests: an access-audit log and
// a mail gateway's log of the same day, given as separate files in either order.
#include <gtest/gtest.h>

#include "daemon_fixture.h"

namespace probity::testing {
namespace {

constexpr const char* kReplayRules = R"(
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
  ProbityDaemon d(DaemonOptions(kReplayRules, false));
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

// A gateway's own files, as a force exports its history: no syslog header on any line.
TEST(ProbityReplay, ReadsAGatewaysOwnFilesWithSource) {
  ProbityDaemon d(DaemonOptions(R"(
- detection: media-email
  title: Email to the media
  severity: high
  condition: event.kind == "email" and email.to.domain == "paper.example"
)",
                                false));
  // Exchange message tracking as the server writes it: a #Fields header, then CSV rows that
  // begin with a date (not an octet count).
  const auto tracking = d.dir / "MSGTRK2026110210-1.LOG";
  write_file(tracking,
             "#Software: Microsoft Exchange Server\r\n#Version: 15.02.1118.007\r\n"
             "#Log-type: Message Tracking Log\r\n"
             "#Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,"
             "source-context,connector-id,source,event-id,internal-message-id,message-id,"
             "network-message-id,recipient-address,recipient-status,total-bytes,recipient-count,"
             "related-recipient-address,reference,message-subject,sender-address,return-path,"
             "message-info,directionality,tenant-id,original-client-ip,original-server-ip,"
             "custom-data,transport-traffic-type,log-id,schema-version\r\n"
             "2026-11-02T11:00:00.123Z,10.1.2.3,WS12,,EXCH01,,,SMTP,SEND,1234,"
             "<m1@force.police.uk>,abcd-1234,newsdesk@paper.example,250 2.0.0 OK,48213,1,,,"
             "Tonight,jane.doe@force.police.uk,jane.doe@force.police.uk,,Originating,,,,,Email,1,"
             "15.02\r\n"
             "2026-11-02T11:05:00.000Z,10.1.2.3,WS12,,EXCH01,,,SMTP,SEND,1235,"
             "<m2@force.police.uk>,abcd-1235,bob.smith@force.police.uk,250 2.0.0 OK,1200,1,,,"
             "Rota,jane.doe@force.police.uk,jane.doe@force.police.uk,,Originating,,,,,Email,1,"
             "15.02\r\n");
  const auto exchange = d.probity({"replay", "--source", "exchange", tracking.string()});
  ASSERT_EQ(exchange.exit_code, 0) << exchange.output;
  EXPECT_NE(exchange.output.find("replayed 2 events"), std::string::npos) << exchange.output;
  EXPECT_NE(exchange.output.find(R"("rule":"media-email")"), std::string::npos) << exchange.output;
  EXPECT_NE(exchange.output.find(R"("event.time":"2026-11-02T11:00:00.123000Z")"),
            std::string::npos)
      << exchange.output;
  EXPECT_NE(exchange.output.find("1 alerts"), std::string::npos) << exchange.output;

  // Proofpoint on Demand's message log: JSON lines that are records, not canonical events.
  const auto pod = d.dir / "pod-messages.jsonl";
  write_file(pod, R"({"guid":"g-1","ts":"2026-11-02T12:00:00.000000-0000","envelope":{"from":)"
                  R"("jane.doe@force.police.uk","rcpts":["desk@paper.example"]},"msg":{"header":)"
                  R"({"subject":["Tonight"]}},"filter":{"disposition":"continue"}})"
                  "\n");
  const auto parsed = d.probity({"replay", "--source", "proofpoint-pod", pod.string()});
  ASSERT_EQ(parsed.exit_code, 0) << parsed.output;
  EXPECT_NE(parsed.output.find("replayed 1 events"), std::string::npos) << parsed.output;
  EXPECT_NE(parsed.output.find(R"("rule":"media-email")"), std::string::npos) << parsed.output;
  EXPECT_NE(parsed.output.find(R"("event.id":"g-1")"), std::string::npos) << parsed.output;

  // Without --source the same file is taken for canonical event JSON and refused, counted.
  const auto bare = d.probity({"replay", pod.string()});
  ASSERT_EQ(bare.exit_code, 0) << bare.output;
  EXPECT_NE(bare.output.find("replayed 0 events"), std::string::npos) << bare.output;
  EXPECT_NE(bare.output.find("1 rejected"), std::string::npos) << bare.output;
}

}  // namespace
}  // namespace probity::testing
