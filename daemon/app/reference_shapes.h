// How a force writes its references, learnt from the references themselves, for `probity
// learn references`: each reference cut into runs (letters, digits, anything else), its
// shape counted, and the common shapes proposed as RE2 patterns for the site file's
// reference_formats. Pure functions, no I/O. Not for reading logs (reference_tally.h) nor
// for judging a reference (rules/site.h does that, with the patterns a force pastes).
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace probity::app {

/// One run of a reference's shape.
struct ShapeRun {
  enum class Kind : std::uint8_t {
    code,     ///< the reference's first run of letters, as text (upper-cased): "CAD", "INC"
    letters,  ///< any other run of letters, by its length
    digits,   ///< a run of digits, by its length
    literal,  ///< anything else (separators), as written: "/", " ", "-"
  };
  Kind kind = Kind::literal;
  std::string text;        ///< code and literal
  std::size_t length = 0;  ///< letters and digits

  auto operator<=>(const ShapeRun&) const = default;
};
using Shape = std::vector<ShapeRun>;

/// "Cad 164 01/03/26" -> code "CAD", " ", 3 digits, " ", 2 digits, "/", 2 digits, "/",
/// 2 digits. Letters and digits are ASCII only; anything else belongs to a literal.
Shape shape_of(std::string_view reference);

/// The references of one system that share a shape.
struct ShapeCount {
  Shape shape;
  std::uint64_t references = 0;
  std::vector<std::string> examples;  ///< a few of them (at least one)
};

struct ProposedPattern {
  std::string pattern;           ///< RE2, matched against the whole reference, ignoring case
  std::uint64_t references = 0;  ///< how many of the system's references it matches
  std::string example;
};

struct ReferenceProposal {
  std::uint64_t references = 0;
  std::vector<ProposedPattern> patterns;  ///< most references first
  /// References no proposed pattern matches: what record-access-with-invalid-reference
  /// would flag.
  std::uint64_t unmatched = 0;
  std::vector<std::string> unmatched_examples;  ///< up to 5, commonest shapes first
  /// Patterns left out, with why: RE2 rejected them (a reference that is not UTF-8 gives
  /// one) or they missed their own examples (a bug). Printed, never pasted.
  std::vector<std::string> dropped;
};

inline constexpr std::size_t kUnmatchedExamples = 5;

/// Proposes RE2 patterns for one system's references. A code (first run of letters) is kept
/// literally when at least `min_share` (a fraction in (0, 1]) of the references carry it,
/// else it is letters like any other; shapes that then differ only in run lengths are one
/// format, proposed when it holds at least `min_share` of the references, each run's
/// lengths ranging over those seen in at least `min_share` of the format's references
/// (so "CAD 164" and "CAD 1545" are one format, and a serial typed without its zero
/// padding is left out); formats that differ only in their code become one pattern with
/// the codes as an alternation. Every pattern is compiled with RE2 as the site file
/// compiles it and checked against its examples; the counts come from matching them.
ReferenceProposal propose_patterns(const std::vector<ShapeCount>& shapes, double min_share);

/// Whether every proposal has the same patterns (in any order, at least one), so that one
/// "*" entry can stand for all of them. False for fewer than two proposals.
bool same_patterns(const std::vector<const ReferenceProposal*>& proposals);

}  // namespace probity::app
