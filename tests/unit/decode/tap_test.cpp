// The "proofpoint-tap" source: Proofpoint TAP's own syslog (SD-ID tapmsg@21139), read
// without a custom mapping.
#include <gtest/gtest.h>

#include "gateway_harness.h"

namespace probity::decode::testing {
namespace {

using F = event::FieldId;

TEST(TapGateway, DeliveredMessageGivesOneEventPerRecipientFromOneCommaSeparatedParam) {
  SourceMapping source = default_source("proofpoint-tap");
  source.internal_domains = {"force.police.uk"};
  GatewayHarness h(source);
  h.lines(
      {"<134>1 2026-03-01T11:00:00Z tap01 ProofpointTAP - MSGDLV [tapmsg@21139 "
       "GUID=\"x7Gk2PQrs9\" QID=\"3qk94m8jy1-1\" sender=\"offers@promo.example\" "
       "recipient=\"jane.doe@force.police.uk, bob@force.police.uk\" "
       "subject=\"Your parcel\" messageID=\"<p1@promo.example>\" messageSize=\"5120\" "
       "threatsInfoMap=\"\"] message delivered"});
  ASSERT_EQ(h.events.size(), 2u);
  EXPECT_EQ(str(h.events[0], F::email_from), "offers@promo.example");
  EXPECT_EQ(str(h.events[0], F::email_to), "jane.doe@force.police.uk");
  EXPECT_EQ(str(h.events[1], F::email_to), "bob@force.police.uk");
  EXPECT_EQ(str(h.events[0], F::email_subject), "Your parcel");
  EXPECT_EQ(str(h.events[0], F::gateway), "proofpoint-tap");
  EXPECT_EQ(str(h.events[0], F::email_message_id), "<p1@promo.example>");
  EXPECT_EQ(integer(h.events[0], F::email_size), 5120);
  EXPECT_EQ(str(h.events[0], F::email_direction), "inbound");
  // Each recipient's id derives from the record's GUID, so a re-send is known as one.
  EXPECT_EQ(str(h.events[0], F::event_id), "x7Gk2PQrs9/jane.doe@force.police.uk");
  EXPECT_NE(str(h.events[0], F::event_id), str(h.events[1], F::event_id));
}

TEST(TapGateway, ARecordWithoutRecipientsIsRejectedWithTheMissingField) {
  GatewayHarness h(default_source("proofpoint-tap"));
  const auto r = h.line(
      "<134>1 2026-03-01T11:00:00Z tap01 ProofpointTAP - MSGBLK "
      "[tapmsg@21139 GUID=\"g1\" sender=\"a@b.example\"] blocked");
  EXPECT_TRUE(h.events.empty());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "decode.missing_field") << r.error().message;
}

}  // namespace
}  // namespace probity::decode::testing
