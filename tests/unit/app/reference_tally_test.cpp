// The tally behind `probity learn references`: references per system and shape, trimmed as
// the rule trims them, with a few examples each, and --since's window before the newest.
#include "app/reference_tally.h"

#include <algorithm>

#include <gtest/gtest.h>

using namespace probity;
using app::ReferenceTally;

namespace {

event::Timestamp at(const std::string& time) { return *event::parse_time(time); }

std::uint64_t references_of(const ReferenceTally::System& s, const std::string& example) {
  for (const auto& shape : s.shapes)
    if (std::find(shape.examples.begin(), shape.examples.end(), example) != shape.examples.end())
      return shape.references;
  return 0;
}

}  // namespace

TEST(ReferenceTally, CountsPerSystemIgnoringCaseAndTrimmedAsTheRuleTrims) {
  ReferenceTally tally;
  tally.add("PNC", "INC/00001/26", at("2026-11-02T10:00:00Z"));
  tally.add("pnc", " \tINC/00002/26 ", at("2026-11-02T11:00:00Z"));
  tally.add("Niche", "NI-26-0000001", at("2026-11-02T09:00:00Z"));
  tally.add("Niche", "  ", at("2026-11-02T12:00:00Z"));

  const auto systems = tally.systems();
  ASSERT_EQ(systems.size(), 2u);
  EXPECT_EQ(systems[0].name, "Niche");
  EXPECT_EQ(systems[0].references, 1u);
  EXPECT_EQ(systems[1].name, "PNC") << "named as first seen";
  EXPECT_EQ(systems[1].references, 2u);
  ASSERT_EQ(systems[1].shapes.size(), 1u);
  EXPECT_EQ(systems[1].shapes[0].examples,
            (std::vector<std::string>{"INC/00002/26", "INC/00001/26"}))
      << "trimmed, newest first";
  const auto span = tally.span();
  ASSERT_TRUE(span);
  EXPECT_EQ(span->first, at("2026-11-02T09:00:00Z"));
  EXPECT_EQ(span->second, at("2026-11-02T11:00:00Z"));
}

TEST(ReferenceTally, KeepsAFewDistinctExamplesTheLatestSeen) {
  ReferenceTally tally;
  for (int i = 0; i < 8; ++i)
    tally.add("PNC", "INC/0000" + std::to_string(i) + "/26",
              at("2026-11-02T1" + std::to_string(i) + ":00:00Z"));
  tally.add("PNC", "INC/00003/26", at("2026-11-02T19:00:00Z"));  // seen again, latest now
  const auto systems = tally.systems();
  ASSERT_EQ(systems.size(), 1u);
  EXPECT_EQ(systems[0].shapes[0].references, 9u);
  EXPECT_EQ(systems[0].shapes[0].examples,
            (std::vector<std::string>{"INC/00003/26", "INC/00007/26", "INC/00006/26",
                                      "INC/00005/26", "INC/00004/26"}));
}

TEST(ReferenceTally, SinceCountsOnlyTheReferencesWithinTheDurationBeforeTheNewest) {
  ReferenceTally tally(std::chrono::hours(24));
  tally.add("PNC", "OLD-123", at("2026-11-01T09:59:59Z"));  // just over a day before the newest
  tally.add("PNC", "INC/00001/26", at("2026-11-01T10:00:00Z"));  // exactly a day before
  tally.add("PNC", "INC/00002/26", at("2026-11-02T10:00:00Z"));
  tally.add("PNC", "OLD-456", at("2026-11-01T08:00:00Z"));  // late in the file, still too old
  tally.add("PNC", "INC/00003/26", std::nullopt);

  const auto systems = tally.systems();
  ASSERT_EQ(systems.size(), 1u);
  EXPECT_EQ(systems[0].references, 2u);
  EXPECT_EQ(references_of(systems[0], "INC/00002/26"), 2u);
  EXPECT_EQ(references_of(systems[0], "OLD-123"), 0u);
  EXPECT_EQ(tally.skipped_untimed(), 1u);
  const auto span = tally.span();
  ASSERT_TRUE(span);
  EXPECT_EQ(span->first, at("2026-11-01T10:00:00Z"));
  EXPECT_EQ(span->second, at("2026-11-02T10:00:00Z"));
}

TEST(ReferenceTally, SinceStaysExactWhenOldReferencesAreDroppedAlongTheWay) {
  // More references than are kept before the first clean-up, one a minute for 100 days.
  ReferenceTally tally(std::chrono::hours(24 * 7));
  const auto start = at("2026-01-01T00:00:00Z");
  constexpr int kMinutes = 100 * 24 * 60;
  for (int i = 0; i < kMinutes; ++i)
    tally.add("PNC", i % 2 ? "INC/00001/26" : "CR-1", start + std::chrono::minutes(i));
  const auto systems = tally.systems();
  ASSERT_EQ(systems.size(), 1u);
  // The last minute is the newest; the week before it holds 7 * 24 * 60 + 1 minutes.
  EXPECT_EQ(systems[0].references, 7u * 24 * 60 + 1);
  EXPECT_EQ(references_of(systems[0], "INC/00001/26"), 7u * 24 * 60 / 2 + 1);
}

TEST(ReferenceTally, HasNoSystemsAndNoSpanWithoutReferences) {
  ReferenceTally tally;
  tally.add("PNC", "", at("2026-11-02T10:00:00Z"));
  EXPECT_TRUE(tally.systems().empty());
  EXPECT_FALSE(tally.span());
}
