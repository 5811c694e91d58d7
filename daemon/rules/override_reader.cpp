// Pass 2b of loading, the reading half: an overrides file (config `rules_overrides`) into
// OverrideDefs. The file is the force's own tuning kept beside the shipped pack:
//
//   overrides:
//     - rule: lookup-of-declared-associate      # a rule id, or a glob: lookup-*
//       exceptions: [{id, owner, reason, expires, condition}]   # added to the rule's own
//       suppress: {by: [user.id], for: 24h}    # replaces the rule's suppress:
//
// Exceptions and suppress are read by the rule files' own readers, so they take the same keys
// and give the same diagnostics. Applying the entries is overrides.cpp's job.
#include "rules/file_reader.h"

namespace probity::rules {
namespace {

constexpr std::string_view kRootKeys[] = {"overrides"};
constexpr std::string_view kEntryKeys[] = {"rule", "exceptions", "suppress"};

}  // namespace

void FileReader::read_overrides(std::vector<OverrideDef>& out) {
  parse_and([&](const YAML::Node& root) { read_override_root(root, out); });
}

void FileReader::read_override_root(const YAML::Node& root, std::vector<OverrideDef>& out) {
  if (!root || root.IsNull()) return;  // an empty file is allowed
  if (!root.IsMap()) {
    error(where(root), Code::bad_file, "an overrides file is a map with 'overrides:'",
          root.IsSequence() ? "a rule file's items (- detection: ...) go in a rules path; here "
                              "write overrides: [- rule: ID, exceptions: [...]]"
                            : "write overrides: [- rule: ID, exceptions: [...]]");
    return;
  }
  if (!check_keys(root, kRootKeys, "overrides file")) return;
  const YAML::Node list = root["overrides"];
  if (!list || list.IsNull()) return;
  if (!list.IsSequence()) {
    error(where(list), Code::bad_value, "'overrides' is a list of {rule, exceptions, suppress}");
    return;
  }
  for (const auto& entry : list) {
    OverrideDef def;
    if (read_override_entry(entry, def)) out.push_back(std::move(def));
  }
}

bool FileReader::read_override_entry(const YAML::Node& entry, OverrideDef& def) {
  if (!entry.IsMap()) {
    error(where(entry), Code::bad_item, "an override is a map starting with 'rule:'",
          "e.g. - rule: lookup-of-declared-associate");
    return false;
  }
  bool ok = check_keys(entry, kEntryKeys, "override");
  if (!entry["rule"]) {
    error(where(entry), Code::missing_key, "an override needs 'rule:', the rule id or a glob");
    return false;
  }
  ok = name_of(entry, "rule", def.rule, def.where) && ok;
  if (entry["exceptions"]) ok = read_exceptions(entry["exceptions"], def.exceptions) && ok;
  if (entry["suppress"]) {
    def.suppress.emplace();
    ok = read_suppress(entry["suppress"], *def.suppress) && ok;
  }
  if (ok && !entry["exceptions"] && !entry["suppress"]) {
    error(def.where, Code::bad_override,
          "override of '" + def.rule + "' changes nothing: give exceptions: or suppress:",
          "to switch a rule off, use disable_rules in the config");
    ok = false;
  }
  return ok;
}

void read_override_file(const SourceFile& file, LoadArena& arena, Reporter& report,
                        std::vector<OverrideDef>& out) {
  FileReader(file, arena, report).read_overrides(out);
}

}  // namespace probity::rules
