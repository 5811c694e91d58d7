// The reason policy: a case reference, or a sentence that says something. RE2 because the
// pattern comes from the config file (linear time, no catastrophic backtracking).
#include <re2/re2.h>

#include <set>

#include "audit/audit.h"

namespace probity::audit {
namespace {

bool is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool is_ascii_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/// Bytes in the UTF-8 sequence a lead byte starts (1 for ASCII and stray bytes).
std::size_t utf8_length(unsigned char lead) {
  return lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
}

/// Characters (UTF-8 code points, a whitespace run counting once, ends trimmed), words, and
/// different letters or digits (ASCII case-folded; every other non-ASCII code point counts).
struct TextShape {
  std::size_t characters = 0;
  std::size_t words = 0;
  std::size_t distinct = 0;
};

TextShape shape_of(std::string_view text) {
  TextShape s;
  std::set<std::string> seen;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t len = std::min(utf8_length(c), text.size() - i);
    if (is_space(c)) {
      in_word = false;
    } else {
      if (!in_word) {
        if (s.words > 0) ++s.characters;  // the one space between words
        ++s.words;
      }
      in_word = true;
      ++s.characters;
      if (is_ascii_alnum(c)) seen.insert(std::string(1, static_cast<char>(c | 0x20)));
      if (c >= 0x80) seen.insert(std::string(text.substr(i, len)));
    }
    i += len;
  }
  s.distinct = seen.size();
  return s;
}

constexpr std::size_t kMinWords = 2;
constexpr std::size_t kMinDistinct = 5;

}  // namespace

Result<void> check_reference_pattern(std::string_view pattern) {
  RE2 re(re2::StringPiece(pattern.data(), pattern.size()), RE2::Quiet);
  if (!re.ok()) return fail("audit.reason_pattern", "not an RE2 regular expression: " + re.error());
  return {};
}

Result<void> check_reason(const ReasonPolicy& policy, std::string_view reason) {
  if (!policy.reference_pattern.empty()) {
    RE2 re(policy.reference_pattern, RE2::Quiet);
    if (re.ok() && RE2::PartialMatch(re2::StringPiece(reason.data(), reason.size()), re)) return {};
  }
  const auto s = shape_of(reason);
  if (policy.min_length > 0 && s.characters >= policy.min_length && s.words >= kMinWords &&
      s.distinct >= kMinDistinct)
    return {};

  std::string expected;
  if (!policy.reference_pattern.empty()) {
    expected = policy.reference_pattern == kDefaultReferencePattern
                   ? "a case or complaint reference (such as PSD-2024-0173, CO/00123/24 or "
                     "IOPC 2024/012345)"
                   : "a case or complaint reference matching the configured "
                     "audit.reason_pattern " +
                         policy.reference_pattern;
  }
  if (policy.min_length > 0) {
    if (!expected.empty()) expected += " or ";
    expected += "at least " + std::to_string(policy.min_length) +
                " characters, in words, saying why you need to see it";
  }
  if (expected.empty())
    expected = "nothing: audit.reason_pattern and reason_min_length are both off";
  const std::string given =
      reason.size() > 40 ? std::string(reason.substr(0, 40)) + "..." : std::string(reason);
  return fail("audit.reason", "--reason must give " + expected + "; '" + given + "' does not");
}

}  // namespace probity::audit
