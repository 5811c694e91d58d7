// Learning reference formats: references cut into runs, shapes generalised and counted, the
// common ones proposed as RE2 patterns, and what those patterns would leave unmatched.
#include "app/reference_shapes.h"

#include <algorithm>

#include <gtest/gtest.h>

using namespace probity::app;

namespace {

using Kind = ShapeRun::Kind;

/// The references as a system's tally would give them: one ShapeCount per shape.
std::vector<ShapeCount> counted(const std::vector<std::pair<std::string, std::uint64_t>>& refs) {
  std::vector<ShapeCount> out;
  for (const auto& [ref, n] : refs) {
    const Shape shape = shape_of(ref);
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& s) { return s.shape == shape; });
    if (it == out.end()) it = out.insert(out.end(), ShapeCount{shape, 0, {}});
    it->references += n;
    it->examples.push_back(ref);
  }
  return out;
}

std::vector<std::string> patterns_of(const ReferenceProposal& p) {
  std::vector<std::string> out;
  for (const auto& pattern : p.patterns) out.push_back(pattern.pattern);
  return out;
}

/// "INC/00042/26"-style references with serials of `width` digits.
std::vector<std::pair<std::string, std::uint64_t>> serials(const std::string& code, int count,
                                                           int width = 5) {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  for (int i = 1; i <= count; ++i) {
    std::string serial = std::to_string(i * 7);
    serial.insert(0, static_cast<std::size_t>(std::max(0, width - int(serial.size()))), '0');
    out.emplace_back(code + "/" + serial + "/26", 1);
  }
  return out;
}

template <typename T>
std::vector<T> operator+(std::vector<T> a, const std::vector<T>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

TEST(ShapeOf, KeepsTheFirstRunOfLettersAsTheCodeAndCountsTheOtherRuns) {
  const Shape shape = shape_of("Cad 164 01/03/26");
  const Shape want{{Kind::code, "CAD", 0},  {Kind::literal, " ", 0}, {Kind::digits, "", 3},
                   {Kind::literal, " ", 0}, {Kind::digits, "", 2},   {Kind::literal, "/", 0},
                   {Kind::digits, "", 2},   {Kind::literal, "/", 0}, {Kind::digits, "", 2}};
  EXPECT_EQ(shape, want);
  EXPECT_EQ(shape_of("Op KESTREL"),
            (Shape{{Kind::code, "OP", 0}, {Kind::literal, " ", 0}, {Kind::letters, "", 7}}));
  EXPECT_EQ(shape_of("26/inc/0042"), (Shape{{Kind::digits, "", 2},
                                            {Kind::literal, "/", 0},
                                            {Kind::code, "INC", 0},
                                            {Kind::literal, "/", 0},
                                            {Kind::digits, "", 4}}));
}

TEST(ShapeOf, TreatsNonAsciiBytesAsLiterals) {
  EXPECT_EQ(shape_of("CR-12\xC3\xA9"), (Shape{{Kind::code, "CR", 0},
                                              {Kind::literal, "-", 0},
                                              {Kind::digits, "", 2},
                                              {Kind::literal, "\xC3\xA9", 0}}));
}

TEST(ProposePatterns, MergesFormatsThatDifferOnlyInTheirCodeIntoAnAlternation) {
  const auto p = propose_patterns(counted(serials("INC", 60) + serials("CR", 40)), 0.01);
  EXPECT_EQ(p.references, 100u);
  ASSERT_EQ(patterns_of(p), std::vector<std::string>{"(?:CR|INC)/\\d{5}/\\d{2}"});
  EXPECT_EQ(p.patterns[0].references, 100u);
  EXPECT_EQ(p.unmatched, 0u);
  EXPECT_TRUE(p.unmatched_examples.empty());
  EXPECT_TRUE(p.dropped.empty());
}

TEST(ProposePatterns, RangesRunLengthsOfAFormatButLeavesOutLengthsTooRareToPropose) {
  // CAD numbers are not zero-padded: 2, 3 and 4 digits are all common. A serial typed
  // without its padding (INC/42/26) is one reference in 200: left out, so unmatched.
  std::vector<std::pair<std::string, std::uint64_t>> refs{
      {"CAD 42 01/03/26", 10}, {"CAD 164 01/03/26", 95}, {"CAD 1545 25/02/26", 95}};
  refs = refs + serials("INC", 199) +
         std::vector<std::pair<std::string, std::uint64_t>>{{"INC/42/26", 1}};
  const auto p = propose_patterns(counted(refs), 0.01);
  EXPECT_EQ(patterns_of(p),
            (std::vector<std::string>{"CAD \\d{2,4} \\d{2}/\\d{2}/\\d{2}", "INC/\\d{5}/\\d{2}"}));
  EXPECT_EQ(p.patterns[0].references, 200u);
  EXPECT_EQ(p.patterns[1].references, 199u);
  EXPECT_EQ(p.unmatched, 1u);
  EXPECT_EQ(p.unmatched_examples, std::vector<std::string>{"INC/42/26"});
}

TEST(ProposePatterns, ProposesAFormatAtExactlyTheMinimumShareAndNotBelow) {
  // 3 of 300 is 1 %: proposed at 1 %, not at 1.5 %.
  const auto refs =
      serials("INC", 297) + std::vector<std::pair<std::string, std::uint64_t>>{{"NI-26-0001", 3}};
  EXPECT_EQ(patterns_of(propose_patterns(counted(refs), 0.01)),
            (std::vector<std::string>{"INC/\\d{5}/\\d{2}", "NI-\\d{2}-\\d{4}"}));
  const auto stricter = propose_patterns(counted(refs), 0.015);
  EXPECT_EQ(patterns_of(stricter), std::vector<std::string>{"INC/\\d{5}/\\d{2}"});
  EXPECT_EQ(stricter.unmatched, 3u);
}

TEST(ProposePatterns, ARareCodeIsLettersAndItsFormatIsUnmatchedWhenRare) {
  const auto refs =
      serials("INC", 150) + std::vector<std::pair<std::string, std::uint64_t>>{{"XN/01234/26", 1}};
  const auto p = propose_patterns(counted(refs), 0.01);
  EXPECT_EQ(patterns_of(p), std::vector<std::string>{"INC/\\d{5}/\\d{2}"});
  EXPECT_EQ(p.unmatched, 1u);
  EXPECT_EQ(p.unmatched_examples, std::vector<std::string>{"XN/01234/26"});
}

TEST(ProposePatterns, LettersStandForCodesEachTooRareWhenTogetherTheyAreCommon) {
  // Forty operation codes, none common on its own, one shape between them.
  std::vector<std::pair<std::string, std::uint64_t>> refs = serials("INC", 100);
  for (char a = 'A'; a < 'A' + 20; ++a)
    for (char b : {'P', 'Q'}) refs.emplace_back(std::string{'O', a, b} + "-1234", 1);
  const auto p = propose_patterns(counted(refs), 0.05);
  EXPECT_EQ(patterns_of(p), (std::vector<std::string>{"INC/\\d{5}/\\d{2}", "[A-Z]{3}-\\d{4}"}));
  EXPECT_EQ(p.patterns[1].references, 40u);
  EXPECT_EQ(p.unmatched, 0u);
}

TEST(ProposePatterns, IgnoresCaseInCodesAndLetters) {
  const auto p = propose_patterns(
      counted({{"Op KESTREL", 40}, {"OP TEMPEST", 30}, {"op moorhen", 20}, {"Op SANDPIPER", 10}}),
      0.01);
  EXPECT_EQ(patterns_of(p), std::vector<std::string>{"OP [A-Z]{7,9}"});
  EXPECT_EQ(p.patterns[0].references, 100u);
  EXPECT_EQ(p.patterns[0].example, "Op KESTREL");
}

TEST(ProposePatterns, EscapesSeparatorsForRe2AndChecksThePatternMatchesItsExamples) {
  const auto p = propose_patterns(counted({{"A.1(2)+[3]", 5}, {"B\t7|x", 5}}), 0.01);
  EXPECT_EQ(patterns_of(p), (std::vector<std::string>{"A\\.\\d{1}\\(\\d{1}\\)\\+\\[\\d{1}\\]",
                                                      "B\\x{09}\\d{1}\\|[A-Z]{1}"}));
  EXPECT_EQ(p.unmatched, 0u);
  EXPECT_TRUE(p.dropped.empty());
}

TEST(ProposePatterns, DropsAPatternRe2RejectsAndCountsItsReferencesUnmatched) {
  // A byte that is not UTF-8 makes a pattern RE2 will not compile, as the site file would not.
  const auto p = propose_patterns(counted({{"INC/1\xFF", 10}, {"CR-12", 10}}), 0.01);
  EXPECT_EQ(patterns_of(p), std::vector<std::string>{"CR-\\d{2}"});
  ASSERT_EQ(p.dropped.size(), 1u);
  EXPECT_EQ(p.dropped[0].find("'INC/\\d{1}\\xFF': RE2 rejects it"), 0u) << p.dropped[0];
  EXPECT_EQ(p.unmatched, 10u);
}

TEST(ProposePatterns, GivesUpToFiveUnmatchedExamplesOneFromEachShapeInTurn) {
  std::vector<std::pair<std::string, std::uint64_t>> refs = serials("INC", 1000);
  refs = refs + std::vector<std::pair<std::string, std::uint64_t>>{
                    {"TBC", 4}, {"N/A", 5}, {"1234", 2}, {"INC 1", 1}, {"INC 2", 1}, {"INC 3", 1}};
  const auto p = propose_patterns(counted(refs), 0.01);
  EXPECT_EQ(p.unmatched, 14u);
  // N/A (5), TBC (4), the shape of INC 1-3 (3), 1234 (2); then that shape's second example.
  EXPECT_EQ(p.unmatched_examples,
            (std::vector<std::string>{"N/A", "TBC", "INC 1", "1234", "INC 2"}));
}

TEST(ProposePatterns, ProposesNothingForNoReferences) {
  const auto p = propose_patterns({}, 0.01);
  EXPECT_EQ(p.references, 0u);
  EXPECT_TRUE(p.patterns.empty());
}

TEST(SamePatterns, HoldsWhenEverySystemHasTheSamePatternsInAnyOrder) {
  ReferenceProposal a, b, c, none;
  a.patterns = {{"INC/\\d{5}", 10, "INC/00001"}, {"CR/\\d{5}", 5, "CR/00001"}};
  b.patterns = {{"CR/\\d{5}", 8, "CR/00002"}, {"INC/\\d{5}", 1, "INC/00002"}};
  c.patterns = {{"INC/\\d{5}", 10, "INC/00001"}};
  EXPECT_TRUE(same_patterns({&a, &b}));
  EXPECT_FALSE(same_patterns({&a, &b, &c}));
  EXPECT_FALSE(same_patterns({&a})) << "one system is not every system";
  EXPECT_FALSE(same_patterns({&none, &none})) << "no patterns is nothing to share";
}
