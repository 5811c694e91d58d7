// The reason policy: a case reference or a real sentence; filler is refused with a message
// saying what is expected.
#include <gtest/gtest.h>

#include "audit/audit.h"

namespace probity::audit {
namespace {

bool accepted(std::string_view reason, const ReasonPolicy& policy = {}) {
  return check_reason(policy, reason).has_value();
}

TEST(ReasonPolicy, AcceptsUkCaseAndComplaintReferences) {
  EXPECT_TRUE(accepted("PSD-2024-0173"));
  EXPECT_TRUE(accepted("CO/00123/24"));
  EXPECT_TRUE(accepted("IOPC 2024/012345"));
  EXPECT_TRUE(accepted("see PSD/2024/17"));
}

TEST(ReasonPolicy, AcceptsASentenceOfFifteenCharacters) {
  EXPECT_TRUE(accepted("checking a complaint about data misuse"));
  EXPECT_TRUE(accepted("welfare concern"));  // exactly 15
}

TEST(ReasonPolicy, RefusesFillerAndNamesWhatIsExpected) {
  const auto r = check_reason({}, "because");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "audit.reason");
  EXPECT_NE(r.error().message.find("PSD-2024-0173"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("at least 15 characters"), std::string::npos);
  EXPECT_FALSE(accepted("aaaaaaaaaaaaaaaa"));
  EXPECT_FALSE(accepted("aaaa aaaa aaaa aaaa"));
  EXPECT_FALSE(accepted("ab ab ab ab ab ab ab"));
  EXPECT_FALSE(accepted("                    "));
  EXPECT_FALSE(accepted("welfare   check"));  // whitespace runs count once: 13
  EXPECT_FALSE(accepted(""));
}

TEST(ReasonPolicy, ACollarNumberIsNotACaseReference) { EXPECT_FALSE(accepted("PC 1234")); }

TEST(ReasonPolicy, FollowsTheConfiguredPatternAndLength) {
  const ReasonPolicy force{.reference_pattern = R"(\bNICHE\d{6}\b)", .min_length = 0};
  EXPECT_TRUE(accepted("NICHE123456", force));
  EXPECT_FALSE(accepted("PSD-2024-0173", force));
  EXPECT_FALSE(accepted("a long explanation of why I need it", force));  // reference required
  const auto r = check_reason(force, "because");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("NICHE"), std::string::npos) << r.error().message;

  const ReasonPolicy longer{.reference_pattern = "", .min_length = 30};
  EXPECT_FALSE(accepted("PSD-2024-0173", longer));
  EXPECT_FALSE(accepted("checking a complaint", longer));
  EXPECT_TRUE(accepted("checking a complaint about data misuse", longer));
}

TEST(ReasonPolicy, ReportsAPatternThatDoesNotCompile) {
  EXPECT_TRUE(check_reference_pattern(kDefaultReferencePattern));
  const auto r = check_reference_pattern("PSD-(");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "audit.reason_pattern");
}

}  // namespace
}  // namespace probity::audit
