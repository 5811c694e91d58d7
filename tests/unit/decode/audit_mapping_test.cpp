// The access-audit mappings config/GATEWAYS.md documents for pgaudit (kv) and Windows
// events as JSON: they must keep working as written there.
#include <gtest/gtest.h>

#include "gateway_harness.h"

namespace probity::decode::testing {
namespace {

using F = event::FieldId;

FieldMapping map(F field, std::string from) { return FieldMapping{field, std::move(from), {}}; }

TEST(AuditMapping, PgauditLinePrefixAsKv) {
  SourceMapping s;
  s.name = "pgaudit";
  s.kind = event::Kind::access;
  s.match.app_name = "postgres*";
  s.format = PayloadFormat::kv;
  s.fields = {map(F::user_id, "user"), map(F::client_ip, "client"), map(F::source_system, "db")};
  s.constants = {{F::action, "query"}};
  GatewayHarness h(s);
  ASSERT_TRUE(
      h.line("<134>1 2026-03-01T11:00:00Z db01 postgres 4411 - - user=pc1234 db=niche "
             "app=psql client=10.1.2.3 LOG:  AUDIT: SESSION,1,1,READ,SELECT,TABLE,"
             "public.nominals,\"select * from nominals where id=$1\",<not logged>"));
  ASSERT_EQ(h.events.size(), 1u);
  EXPECT_EQ(str(h.events[0], F::user_id), "pc1234");
  EXPECT_EQ(str(h.events[0], F::client_ip), "10.1.2.3");
  EXPECT_EQ(str(h.events[0], F::source_system), "niche");
  EXPECT_EQ(str(h.events[0], F::action), "query");
}

TEST(AuditMapping, WindowsEventAsJson) {
  SourceMapping s;
  s.name = "windows-security";
  s.kind = event::Kind::access;
  s.match.app_name = "winevent";
  s.format = PayloadFormat::json;
  s.fields = {map(F::user_id, "winlog.event_data.SubjectUserName"),
              map(F::user_account, "winlog.event_data.SubjectUserSid"),
              map(F::client_ip, "winlog.event_data.IpAddress"),
              map(F::source_host, "winlog.computer_name"),
              map(F::subject_id, "winlog.event_data.ObjectName"),
              map(F::action, "winlog.event_data.AccessList"),
              map(F::event_id, "winlog.record_id")};
  s.constants = {{F::source_system, "Windows"}};
  GatewayHarness h(s);
  ASSERT_TRUE(
      h.line(R"(<134>1 2026-03-01T11:00:00Z fs01 winevent - - - {"winlog":{"event_id":4663,)"
             R"("record_id":99812,"computer_name":"FS01.force.local","event_data":{)"
             R"("SubjectUserName":"pc1234","SubjectUserSid":"S-1-5-21-1-2-3-1104",)"
             R"("ObjectName":"\\\\fs01\\intel\\op-heron.xlsx","AccessList":"%%4416",)"
             R"("IpAddress":null}}})"));
  ASSERT_EQ(h.events.size(), 1u);
  const auto& e = h.events[0];
  EXPECT_EQ(str(e, F::user_id), "pc1234");
  EXPECT_EQ(str(e, F::source_host), "FS01.force.local");
  EXPECT_EQ(str(e, F::subject_id), "\\\\fs01\\intel\\op-heron.xlsx");
  EXPECT_EQ(str(e, F::event_id), "99812");
  EXPECT_EQ(str(e, F::source_system), "Windows");
  EXPECT_FALSE(e.has(F::client_ip));  // null is absent
}

}  // namespace
}  // namespace probity::decode::testing
