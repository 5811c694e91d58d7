// to_cef: the CEF:0 record a SIEM receives, its escaping and severity scale, and that it
// carries only the pseudonymised view.
#include "alerts/cef.h"

#include <gtest/gtest.h>

using namespace probity;
using namespace probity::alerts;

namespace {

Alert stored_alert() {
  Alert a;
  a.id = "20261124T195958Z-0001";
  a.rule_id = "pnc-lookup-of-declared-associate";
  a.title = "PNC lookup of a declared associate";
  a.severity = "high";
  a.message = "real.person looked up P-77 on PNC";
  a.event_time = *event::parse_time("2026-11-24T19:59:58.250Z");
  a.user_id = "real.person";
  a.fields = {{"subject.id", "P-77"}};
  a.count = 3;
  a.shown = ShownAlert{.key_id = "k1",
                       .user = "u-1a2b",
                       .message = "u-1a2b looked up a person on PNC",
                       .fields = {{"subject.id", "withheld"}},
                       .events_json = {},
                       .lookups = {}};
  return a;
}

TEST(Cef, WritesTheHeaderAndExtensionsOfTheShownAlert) {
  EXPECT_EQ(to_cef(as_shown(stored_alert()), "0.1.0"),
            "CEF:0|Probity|Probity|0.1.0|pnc-lookup-of-declared-associate|"
            "PNC lookup of a declared associate|8|rt=1795550398250 suser=u-1a2b "
            "msg=u-1a2b looked up a person on PNC externalId=20261124T195958Z-0001 cnt=3 "
            "cs1Label=alertId cs1=20261124T195958Z-0001 cs2Label=status cs2=new");
}

TEST(Cef, NoRealIdentityAppearsInTheRecord) {
  Alert a = stored_alert();
  a.title = "Lookup";  // titles are the rule's, never about the person
  const std::string line = to_cef(as_shown(a), "0.1.0");
  EXPECT_EQ(line.find("real.person"), std::string::npos) << line;
  EXPECT_EQ(line.find("P-77"), std::string::npos) << line;
  EXPECT_NE(line.find("suser=u-1a2b "), std::string::npos) << line;
}

TEST(Cef, AnAlertWithoutAShownViewWithholdsTheUser) {
  Alert a = stored_alert();
  a.shown.reset();
  const std::string line = to_cef(as_shown(a), "0.1.0");
  EXPECT_EQ(line.find("real.person"), std::string::npos) << line;
  EXPECT_NE(line.find("suser=withheld "), std::string::npos) << line;
}

TEST(Cef, HeaderEscapesPipeAndBackslashAndFlattensNewlines) {
  Alert a = stored_alert();
  a.rule_id = "rule|with\\odd=chars";
  a.title = "line one\r\nline two | a\\b = c";
  const std::string line = to_cef(as_shown(a), "1|2");
  EXPECT_EQ(line.substr(0, line.find("|rt=")),
            "CEF:0|Probity|Probity|1\\|2|rule\\|with\\\\odd=chars|"
            "line one  line two \\| a\\\\b = c|8");
}

TEST(Cef, ExtensionValuesEscapeBackslashEqualsAndLineBreaksButNotPipes) {
  Alert a = stored_alert();
  a.shown->message = "a=b | c\\d\r\ne";
  const std::string line = to_cef(as_shown(a), "0.1.0");
  EXPECT_NE(line.find(" msg=a\\=b | c\\\\d\\r\\ne externalId="), std::string::npos) << line;
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.find('\r'), std::string::npos);
}

TEST(Cef, EmptyValuesAreLeftOut) {
  Alert a = stored_alert();
  a.id.clear();
  const std::string line = to_cef(as_shown(a), "0.1.0");
  EXPECT_EQ(line.find("externalId="), std::string::npos) << line;
  EXPECT_EQ(line.find("cs1="), std::string::npos) << line;
}

TEST(Cef, SeverityMapsOntoTheZeroToTenScale) {
  const std::pair<const char*, const char*> cases[] = {
      {"low", "|3|"}, {"medium", "|5|"}, {"high", "|8|"}, {"critical", "|10|"}, {"urgent", "|1|"}};
  for (const auto& [severity, field] : cases) {
    Alert a = stored_alert();
    a.severity = severity;
    const std::string line = to_cef(as_shown(a), "0.1.0");
    EXPECT_NE(line.find(std::string("declared associate") + field + "rt="), std::string::npos)
        << severity << ": " << line;
  }
}

}  // namespace
