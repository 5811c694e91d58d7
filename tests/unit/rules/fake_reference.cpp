// The in-memory ReferenceData and load helpers shared by the rule tests.
#include "fake_reference.h"

#include <gtest/gtest.h>

namespace probity::rules::testing {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return out;
}

}  // namespace

FakeReference& FakeReference::add_staff(state::StaffRecord r) {
  r.id = lower(r.id);
  staff_[r.id] = std::move(r);
  return *this;
}

FakeReference& FakeReference::associate(std::string staff, std::string party,
                                        state::AssociationKind kind) {
  associations_.emplace(lower(staff), lower(party), kind);
  return *this;
}

FakeReference& FakeReference::require_vetting(std::string system, state::VettingLevel level) {
  systems_[lower(system)] = level;
  return *this;
}

FakeReference& FakeReference::add_list(std::string name, std::vector<std::string> values) {
  auto& l = lists_[lower(name)];
  for (auto& v : values) l.insert(lower(v));
  return *this;
}

std::optional<state::StaffRecord> FakeReference::staff(std::string_view id) const {
  ++staff_lookups;
  auto it = staff_.find(lower(id));
  if (it == staff_.end()) return std::nullopt;
  return it->second;
}

std::optional<state::StaffRecord> FakeReference::staff_by_email(std::string_view email) const {
  for (const auto& [id, r] : staff_)
    for (const auto& e : r.emails)
      if (e == lower(email)) return r;
  return std::nullopt;
}

bool FakeReference::associated(std::string_view staff_id, std::string_view party_id,
                               std::optional<state::AssociationKind> kind) const {
  for (const auto& [s, p, k] : associations_)
    if (s == lower(staff_id) && p == lower(party_id) && (!kind || *kind == k)) return true;
  return false;
}

std::optional<state::VettingLevel> FakeReference::system_required_vetting(
    std::string_view system) const {
  auto it = systems_.find(lower(system));
  if (it == systems_.end()) return std::nullopt;
  return it->second;
}

bool FakeReference::in_list(std::string_view list, std::string_view value) const {
  auto it = lists_.find(lower(list));
  return it != lists_.end() && it->second.count(lower(value));
}

bool FakeReference::list_exists(std::string_view list) const {
  return lists_.count(lower(list)) > 0;
}

state::StaffRecord staff_record(std::string id, std::string surname, state::VettingLevel level) {
  state::StaffRecord r;
  r.id = std::move(id);
  r.surname = std::move(surname);
  r.forenames = "Pat";
  r.vetting.level = level;
  return r;
}

std::unique_ptr<RuleSet> load_ok(std::string_view yaml, const LoadOptions& options) {
  LoadReport report;
  auto rules = load_rules_from_string(yaml, "rules.yaml", options, report);
  EXPECT_TRUE(rules) << report.format();
  EXPECT_EQ(report.error_count(), 0u) << report.format();
  return rules;
}

std::string load_errors(std::string_view yaml, const LoadOptions& options) {
  LoadReport report;
  auto rules = load_rules_from_string(yaml, "rules.yaml", options, report);
  EXPECT_FALSE(rules) << "expected load errors";
  EXPECT_FALSE(report.ok());
  return report.format();
}

std::vector<std::string> matching(const RuleSet& rules, const event::Event& e,
                                  const state::ReferenceData& ref) {
  std::vector<Match> out;
  rules.evaluate(e, ref, out);
  std::vector<std::string> ids;
  for (const auto& m : out) ids.push_back(m.rule_id);
  return ids;
}

}  // namespace probity::rules::testing
