// Rule-pack cases as data: each folder of tests/rules/ holds rules.yaml, optional
// reference.json (staff, associations, systems, lists), and either events.jsonl with
// expected.jsonl (one {"event": n, "rule": id, "message": text} per match, n 1-based), or
// errors.txt with the exact load report.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "test_reference_builder.h"

using namespace probity;
using namespace probity::rules;
using namespace probity::rules::testing;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const fs::path kCases = PROBITY_RULE_CASES_DIR;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<json> read_jsonl(const fs::path& p) {
  std::vector<json> out;
  std::istringstream in(slurp(p));
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(json::parse(line));
  return out;
}

std::optional<event::Timestamp> time_of(const json& j) {
  return j.is_string() ? event::parse_time(j.get<std::string>()) : std::nullopt;
}

void load_reference(const fs::path& p, TestReference& ref) {
  if (!fs::exists(p)) return;
  const json j = json::parse(slurp(p));
  for (const auto& s : j.value("staff", json::array())) {
    state::StaffRecord r = staff_record(s.at("id"), s.value("surname", ""));
    r.vetting.level = state::VettingLevel::none;
    if (s.contains("vetting")) {
      const auto& v = s["vetting"];
      static const std::map<std::string, state::VettingLevel> levels{
          {"RV", state::VettingLevel::rv},       {"MV", state::VettingLevel::mv},
          {"NPPV1", state::VettingLevel::nppv1}, {"NPPV2", state::VettingLevel::nppv2},
          {"NPPV3", state::VettingLevel::nppv3}, {"SC", state::VettingLevel::sc},
          {"DV", state::VettingLevel::dv}};
      r.vetting.level = levels.at(v.value("level", "RV"));
      if (v.contains("expires")) r.vetting.expires = time_of(v["expires"]);
    }
    if (s.value("hr_status", "active") == "suspended") r.hr_status = state::HrStatus::suspended;
    for (const auto& e : s.value("emails", json::array())) r.emails.push_back(e);
    ref.add_staff(std::move(r));
  }
  static const std::map<std::string, state::AssociationKind> kinds{
      {"media", state::AssociationKind::media},
      {"private_investigator", state::AssociationKind::private_investigator},
      {"criminal", state::AssociationKind::criminal},
      {"family", state::AssociationKind::family},
      {"other", state::AssociationKind::other}};
  for (const auto& a : j.value("associations", json::array()))
    ref.associate(a.at("staff"), a.at("party"), kinds.at(a.value("kind", "other")));
  static const std::map<std::string, state::VettingLevel> levels{
      {"RV", state::VettingLevel::rv},
      {"NPPV2", state::VettingLevel::nppv2},
      {"NPPV3", state::VettingLevel::nppv3},
      {"SC", state::VettingLevel::sc}};
  const json systems = j.value("systems", json::object());
  for (const auto& [system, level] : systems.items())
    ref.require_vetting(system, levels.at(level.get<std::string>()));
  const json lists = j.value("lists", json::object());
  for (const auto& [name, items] : lists.items())
    ref.add_list(name, items.get<std::vector<std::string>>());
}

event::Event to_event(const json& j) {
  event::Event e(event::kind_from_string(j.value("event.kind", "access")).value());
  for (const auto& [key, value] : j.items()) {
    if (key == "raw") {
      for (const auto& [k, v] : value.items()) e.add_raw(k, v.get<std::string>());
      continue;
    }
    const auto id = event::field_by_name(key);
    if (!id) throw std::runtime_error("unknown field in events.jsonl: " + key);
    switch (event::field_info(*id).type) {
      case event::ValueType::string:
        e.set(*id, value.get<std::string>());
        break;
      case event::ValueType::integer:
        e.set(*id, value.get<std::int64_t>());
        break;
      case event::ValueType::time:
        e.set(*id, time_of(value).value());
        break;
      case event::ValueType::string_list:
        e.set(*id, value.get<std::vector<std::string>>());
        break;
    }
  }
  return e;
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  if (fs::is_directory(kCases))
    for (const auto& entry : fs::directory_iterator(kCases))
      if (entry.is_directory()) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

class RulePack : public ::testing::TestWithParam<std::string> {};

}  // namespace

TEST_P(RulePack, MatchesExpectedAlerts) {
  const fs::path dir = kCases / GetParam();
  TestReference ref;
  load_reference(dir / "reference.json", ref);
  LoadOptions options;
  options.reference = &ref.memory();
  LoadReport report;
  // Positions are reported relative to the case folder, so expected texts are portable.
  auto rules = load_rules_from_string(slurp(dir / "rules.yaml"), "rules.yaml", options, report);
  if (fs::exists(dir / "errors.txt")) {
    EXPECT_FALSE(rules);
    EXPECT_EQ(report.format(), slurp(dir / "errors.txt"));
    return;
  }
  ASSERT_TRUE(rules) << report.format();
  std::vector<json> got;
  int n = 0;
  for (const auto& line : read_jsonl(dir / "events.jsonl")) {
    ++n;
    std::vector<Match> out;
    rules->evaluate(to_event(line), ref, out);
    for (const auto& m : out)
      got.push_back({{"event", n}, {"rule", m.rule_id}, {"message", m.message}});
  }
  const std::vector<json> want = read_jsonl(dir / "expected.jsonl");
  EXPECT_EQ(json(got).dump(1), json(want).dump(1));
}

INSTANTIATE_TEST_SUITE_P(Cases, RulePack, ::testing::ValuesIn(case_names()),
                         [](const auto& param_info) {
                           std::string name = param_info.param;
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });
