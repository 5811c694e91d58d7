// Site file parsing and the reference-format check (site.h).
#include "rules/site.h"

#include <yaml-cpp/yaml.h>

#include "rules/loader.h"
#include "rules/vocab.h"

namespace probity::rules {
namespace {

class SiteReader {
 public:
  SiteReader(const SourceFile& file, Reporter& report) : file_(file), report_(report) {}

  void read(SiteFacts& out) {
    YAML::Node root;
    try {
      root = YAML::Load(file_.text());
    } catch (const YAML::ParserException& e) {
      report_.add(Diagnostic::Level::error, Code::yaml_parse, &file_, offset(e.mark), 1, e.msg);
      return;
    }
    if (root.IsNull()) return;
    if (!root.IsMap()) return error(root, "the site file is a map of facts");
    for (const auto& kv : root) {
      const std::string key = kv.first.Scalar();
      if (key == "reference_formats")
        read_formats(kv.second, out);
      else if (key == "lists")
        read_lists(kv.second, out);
      else
        error(kv.first, "unknown site fact '" + key + "'",
              "the site file sets reference_formats and lists");
    }
  }

 private:
  std::size_t offset(const YAML::Mark& m) const {
    return m.pos >= 0 ? static_cast<std::size_t>(m.pos) : 0;
  }
  void error(const YAML::Node& at, std::string message, std::string hint = {}) {
    report_.add(Diagnostic::Level::error, Code::site_bad_value, &file_, offset(at.Mark()), 1,
                std::move(message), std::move(hint));
  }

  bool strings(const YAML::Node& v, std::vector<std::string>& out) {
    if (v.IsScalar()) {
      out.push_back(v.Scalar());
      return true;
    }
    if (!v.IsSequence()) return false;
    for (const auto& item : v) {
      if (!item.IsScalar()) return false;
      out.push_back(item.Scalar());
    }
    return true;
  }

  void read_formats(const YAML::Node& v, SiteFacts& out) {
    if (!v.IsMap())
      return error(v, "reference_formats is a map: system -> list of patterns",
                   "e.g. reference_formats: {\"*\": ['^CR/\\d{5}/\\d{2}$']}");
    for (const auto& kv : v) {
      std::vector<std::string> patterns;
      if (!strings(kv.second, patterns)) {
        error(kv.second, "the formats of '" + kv.first.Scalar() + "' are a list of patterns");
        continue;
      }
      auto& compiled = out.reference_formats[to_lower(kv.first.Scalar())];
      for (const auto& p : patterns) {
        re2::RE2::Options options;
        options.set_log_errors(false);
        options.set_case_sensitive(false);  // officers type "cr/…" as often as "CR/…"
        auto re = std::make_shared<const re2::RE2>(p, options);
        if (!re->ok()) {
          error(kv.second, "bad pattern '" + p + "': " + re->error(), "patterns are RE2");
          continue;
        }
        compiled.push_back(std::move(re));
      }
    }
  }

  void read_lists(const YAML::Node& v, SiteFacts& out) {
    if (!v.IsMap()) return error(v, "lists is a map: name -> list of items");
    for (const auto& kv : v) {
      std::vector<std::string> items;
      if (!strings(kv.second, items)) {
        error(kv.second, "list '" + kv.first.Scalar() + "' is a list of strings");
        continue;
      }
      out.lists[kv.first.Scalar()] = std::move(items);
    }
  }

  const SourceFile& file_;
  Reporter& report_;
};

}  // namespace

bool SiteFacts::sets(std::string_view fact) const {
  if (fact == "reference_formats") return !reference_formats.empty();
  auto it = lists.find(fact);
  return it != lists.end() && !it->second.empty();
}

bool SiteFacts::valid_reference(std::string_view system, std::string_view reference) const {
  const std::vector<std::shared_ptr<const re2::RE2>>* formats = nullptr;
  if (auto it = reference_formats.find(to_lower(system)); it != reference_formats.end())
    formats = &it->second;
  else if (auto any = reference_formats.find("*"); any != reference_formats.end())
    formats = &any->second;
  if (!formats) return true;
  for (const auto& re : *formats)
    if (re2::RE2::FullMatch(reference, *re)) return true;
  return false;
}

void read_site_file(const SourceFile& file, Reporter& report, SiteFacts& out) {
  out.file = file.path();
  SiteReader(file, report).read(out);
}

}  // namespace probity::rules
