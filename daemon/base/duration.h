// Durations as administrators write them in the config file and in rule files: a whole
// number and one unit ("90s", "15m", "24h", "30d", "2w"). One parser, so the two files
// never disagree on what "7d" means. Not for time stamps (event/) or time zones (rules/).
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace probity {

/// For error hints: the units every duration accepts.
inline constexpr std::string_view kDurationExamples = "90s, 15m, 24h, 30d, 2w";

/// Whether "ms" is a unit too: the config has sub-second settings (retry, checkpoint);
/// rule files do not, and print durations back in whole seconds.
enum class Milliseconds : bool { rejected, accepted };

/// The length of one `unit`: s, m, h, d, w (and ms when accepted); nullopt for anything else.
constexpr std::optional<std::chrono::microseconds> duration_unit(
    std::string_view unit, Milliseconds ms = Milliseconds::rejected) {
  using std::chrono::microseconds;
  if (unit == "ms" && ms == Milliseconds::accepted) return microseconds(1'000);
  if (unit == "s") return microseconds(1'000'000);
  if (unit == "m") return microseconds(60'000'000);
  if (unit == "h") return microseconds(3'600'000'000);
  if (unit == "d") return microseconds(86'400'000'000);
  if (unit == "w") return microseconds(604'800'000'000);
  return std::nullopt;
}

/// "30d" → 30 days. Digits then one unit, nothing else (no sign, no spaces, no fractions);
/// nullopt when the text is not that or the value does not fit in microseconds.
constexpr std::optional<std::chrono::microseconds> parse_duration(
    std::string_view text, Milliseconds ms = Milliseconds::rejected) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0) return std::nullopt;
  const auto unit = duration_unit(text.substr(digits), ms);
  if (!unit) return std::nullopt;
  const std::int64_t limit = std::numeric_limits<std::int64_t>::max() / unit->count();
  std::int64_t n = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    n = n * 10 + (text[i] - '0');
    if (n > limit) return std::nullopt;
  }
  return *unit * n;
}

/// 30 days → "30d": the largest unit (w, d, h, m) that divides the duration exactly, else
/// whole seconds, so parse_duration() reads back what this prints for whole-second values.
/// A sub-second remainder is dropped ("1500ms" → "1s"); zero is "0s".
inline std::string format_duration(std::chrono::microseconds d) {
  static constexpr std::pair<std::int64_t, char> kUnits[] = {
      {604'800'000'000, 'w'}, {86'400'000'000, 'd'}, {3'600'000'000, 'h'}, {60'000'000, 'm'}};
  const std::int64_t us = d.count();
  for (const auto& [size, unit] : kUnits)
    if (us != 0 && us % size == 0) return std::to_string(us / size) + unit;
  return std::to_string(us / 1'000'000) + 's';
}

}  // namespace probity
