// Internal to config/: reading typed values out of the YAML with errors that point at the
// offending line. Shared by the loader and the readers of its larger sections.
#pragma once

#include <charconv>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "base/boolean.h"
#include "base/duration.h"
#include "base/result.h"

namespace probity::config {

/// Thrown by the readers of config/ only; load_config turns it into an Error.
struct ConfigError {
  Error error;
};

class Reader {
 public:
  explicit Reader(std::filesystem::path file) : file_(std::move(file)) {}

  [[noreturn]] void error(const YAML::Node& at, const std::string& message) const {
    const auto mark = at.Mark();
    throw ConfigError{Error{"config.invalid", message,
                            SourcePos{file_.string(), static_cast<std::uint32_t>(mark.line + 1),
                                      static_cast<std::uint32_t>(mark.column + 1), 0}}};
  }

  void only_keys(const YAML::Node& map, const std::set<std::string>& allowed,
                 const std::string& where) const {
    if (!map.IsMap()) error(map, where + " must be a mapping");
    for (const auto& kv : map) {
      const auto key = kv.first.as<std::string>();
      if (!allowed.contains(key)) {
        std::string known;
        for (const auto& k : allowed) known += (known.empty() ? "" : ", ") + k;
        error(kv.first, "unknown key '" + key + "' in " + where + " (known: " + known + ")");
      }
    }
  }

  std::string str(const YAML::Node& n, const std::string& what) const {
    if (!n.IsScalar()) error(n, what + " must be a string");
    return n.as<std::string>();
  }

  bool boolean(const YAML::Node& n, const std::string& what) const {
    const auto s = str(n, what);
    if (const auto b = parse_bool(s)) return *b;
    error(n, what + " must be true or false (" + std::string(kBooleanWords) + "), not '" + s + "'");
  }

  std::uint64_t number(const YAML::Node& n, const std::string& what, std::uint64_t max) const {
    const auto s = str(n, what);
    std::uint64_t v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v > max)
      error(n, what + " must be a whole number up to " + std::to_string(max) + ", not '" + s + "'");
    return v;
  }

  // The rules' units (base/duration.h), plus ms for the sub-second settings.
  std::chrono::milliseconds duration(const YAML::Node& n, const std::string& what) const {
    const auto s = str(n, what);
    if (const auto d = parse_duration(s, Milliseconds::accepted))
      return std::chrono::duration_cast<std::chrono::milliseconds>(*d);
    error(n, what + " must be a duration, a number and one unit (ms, s, m, h, d, w): 500ms, " +
                 std::string(kDurationExamples) + "; not '" + s + "'");
  }

  std::vector<std::string> strings(const YAML::Node& n, const std::string& what) const {
    std::vector<std::string> out;
    if (n.IsScalar()) return {n.as<std::string>()};
    if (!n.IsSequence()) error(n, what + " must be a list of strings");
    for (const auto& item : n) out.push_back(str(item, what));
    return out;
  }

  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
};

}  // namespace probity::config
