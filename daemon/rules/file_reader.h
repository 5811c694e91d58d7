// Internal to the reader (pass 1 of loading): the FileReader class that turns one rule file's
// YAML into RawItems, shared by its files: reader.cpp (the file and its items),
// reader_values.cpp (scalars, keys and the small maps every item uses), detection_reader.cpp
// (lists, macros, detections), correlation_reader.cpp, and override_reader.cpp (an overrides
// file's entries, read with the same value readers). Not for the passes after it.
#pragma once

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rules/loader.h"

namespace probity::rules {

// yaml-cpp throws: every member runs under read()'s catch, which turns the exception and its
// mark into a diagnostic.
class FileReader {
 public:
  FileReader(const SourceFile& file, LoadArena& arena, Reporter& report, std::vector<RawItem>& out)
      : file_(file), arena_(arena), report_(report), out_(&out) {}
  /// For an overrides file, which holds no items.
  FileReader(const SourceFile& file, LoadArena& arena, Reporter& report)
      : file_(file), arena_(arena), report_(report) {}

  void read();
  void read_overrides(std::vector<OverrideDef>& out);

 private:
  std::size_t offset(const YAML::Mark& m) const {
    return m.pos >= 0 ? static_cast<std::size_t>(m.pos) : 0;
  }
  Where where(const YAML::Node& n, std::uint32_t length = 1) const {
    return Where{&file_, offset(n.Mark()), length};
  }
  Where where_scalar(const YAML::Node& n) const {
    const auto len = n.IsScalar() ? static_cast<std::uint32_t>(n.Scalar().size()) : 1u;
    return where(n, std::max(len, 1u));
  }
  void error(const Where& w, Code code, std::string message, std::string hint = {}) {
    report_.add(Diagnostic::Level::error, code, w.file, w.offset, w.length, std::move(message),
                std::move(hint));
  }

  // reader.cpp
  /// Parses the file and runs `body` on its root, turning yaml-cpp's exceptions into
  /// diagnostics.
  void parse_and(const std::function<void(const YAML::Node&)>& body);
  void read_root(const YAML::Node& root);
  void read_item(const YAML::Node& item, std::string text);

  // reader_values.cpp
  /// `also` accepts keys from an open-ended set (a test's reference-data keys).
  bool check_keys(const YAML::Node& item, std::span<const std::string_view> allowed,
                  std::string_view what, bool (*also)(std::string_view) = nullptr);
  std::optional<std::string> scalar(const YAML::Node& n, std::string_view key);
  bool name_of(const YAML::Node& item, std::string_view key, std::string& name, Where& w);
  std::optional<std::vector<std::string>> string_seq(const YAML::Node& n, std::string_view key);
  const ScalarText* expression_text(const YAML::Node& n, std::string_view key);
  std::optional<bool> boolean(const YAML::Node& v, std::string_view key);
  std::optional<std::int64_t> duration(const YAML::Node& v, std::string_view key);
  std::optional<std::int64_t> positive(const YAML::Node& v, std::string_view key);
  std::optional<double> number(const YAML::Node& v, std::string_view key);
  std::optional<std::vector<std::string>> fields_of(const YAML::Node& v, std::string_view key);
  std::optional<event::Timestamp> time_value(const YAML::Node& n, std::string_view key, bool& ok);
  bool read_override(const YAML::Node& item,
                     std::initializer_list<std::pair<std::string_view, bool>> appendable,
                     std::map<std::string, OverrideMode>& out);
  bool read_suppress(const YAML::Node& v, SuppressDef& out);
  bool read_event_map(const YAML::Node& ev, InlineTestDef& def);

  // detection_reader.cpp
  bool read_list(const YAML::Node& item, ListDef& def, bool& is_override);
  bool read_macro(const YAML::Node& item, MacroDef& def, bool& is_override);
  bool read_detection(const YAML::Node& item, DetectionDef& def, bool& is_override);
  bool read_tests(const YAML::Node& v, std::vector<InlineTestDef>& out);
  bool read_exceptions(const YAML::Node& v, std::vector<ExceptionDef>& out);

  // correlation_reader.cpp
  bool read_input(const YAML::Node& v, CorrelationInput& in);
  bool read_inputs(const YAML::Node& v, std::vector<CorrelationInput>& out);
  bool read_correlation(const YAML::Node& item, CorrelationDef& def);
  bool read_correlation_body(const YAML::Node& body, CorrelationDef& def);
  bool read_link(const YAML::Node& v, CorrelationDef& def);
  bool read_correlation_tests(const YAML::Node& v, std::vector<InlineTestDef>& out);

  // override_reader.cpp
  void read_override_root(const YAML::Node& root, std::vector<OverrideDef>& out);
  bool read_override_entry(const YAML::Node& entry, OverrideDef& def);

  const SourceFile& file_;
  LoadArena& arena_;
  Reporter& report_;
  std::vector<RawItem>* out_ = nullptr;  // null: an overrides file
};

}  // namespace probity::rules
