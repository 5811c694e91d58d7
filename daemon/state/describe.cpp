// JSON rendering of stored entries for `state show` (describe.h). Uses ordered JSON so the
// fields read in the same order as the import columns.
#include "state/describe.h"

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "state/codec.h"

namespace probity::state {

namespace {

using Json = nlohmann::ordered_json;

Json time_json(const std::optional<Timestamp>& t) {
  if (!t) return nullptr;
  return event::format_time(*t);
}

Json staff_json(const StaffRecord& r) {
  return Json{
      {"id", r.id},
      {"surname", r.surname},
      {"forenames", r.forenames},
      {"emails", r.emails},
      {"department", r.department},
      {"role", r.role},
      {"peer_group", r.peer_group},
      {"address", r.address},
      {"hr_status", to_string(r.hr_status)},
      {"leaving_date", time_json(r.leaving_date)},
      {"absence", r.absence ? Json(to_string(r.absence->kind)) : Json()},
      {"absent_from", time_json(r.absence ? r.absence->from : std::nullopt)},
      {"absent_to", time_json(r.absence ? r.absence->to : std::nullopt)},
      {"vetting",
       {{"level", to_string(r.vetting.level)},
        {"granted", time_json(r.vetting.granted)},
        {"expires", time_json(r.vetting.expires)},
        {"status", r.vetting.status}}},
  };
}

Json association_json(const Association& a) {
  return Json{{"staff_id", a.staff_id},
              {"party_id", a.party_id},
              {"party_name", a.party_name},
              {"kind", to_string(a.kind)},
              {"declared_on", time_json(a.declared_on)}};
}

std::string dump(const Json& j) {
  // Stored text is not guaranteed UTF-8; replace bad bytes rather than throw.
  return j.dump(2, ' ', false, Json::error_handler_t::replace);
}

/// Every table answers to its singular and its plural ("list" / "lists", "alert" /
/// "alerts"), with '-' for '_': users type what the docs of the other command said.
std::string table_name(std::string_view table) {
  std::string t = lower(table);
  std::replace(t.begin(), t.end(), '-', '_');
  static constexpr std::pair<std::string_view, std::string_view> kOtherSpelling[] = {
      {"emails", "email"},
      {"association", "associations"},
      {"system", "systems"},
      {"list", "lists"},
      {"business_interest", "business_interests"},
      {"gift", "gifts"},
      {"tender", "tenders"},
      {"alert", "alerts"},
      {"outboxes", "outbox"},
      {"rule_states", "rule_state"},
      {"audits", "audit"}};
  for (const auto& [other, name] : kOtherSpelling)
    if (t == other) return std::string(name);
  return t;
}

tl::unexpected<Error> not_found(const Store& store, std::string_view table, std::string_view key) {
  return fail("state.not_found", "no " + std::string(table) + " entry '" + std::string(key) +
                                     "' in " + store.dir().string());
}

Result<std::string> runtime_entry(const Store& store, RuntimeTable t, std::string_view table,
                                  std::string_view key) {
  auto value = store.get(t, key);
  if (!value) return tl::unexpected(value.error());
  if (!*value) return not_found(store, table, key);
  Json parsed = Json::parse(**value, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return dump(Json(**value));
  return dump(parsed);
}

/// "mail.example.org": dotted, no '@', nothing but letters, digits, '-' and '.'.
bool is_domain_name(std::string_view v) {
  if (v.empty() || v.find('.') == std::string_view::npos) return false;
  return std::all_of(v.begin(), v.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.';
  });
}

}  // namespace

std::string personal_data_shown(const Store& store, std::string_view table, std::string_view key) {
  static constexpr std::pair<std::string_view, std::string_view> kPersonal[] = {
      {"staff", "staff record"},
      {"email", "staff record"},
      {"staff_by_email", "staff record"},
      {"associations", "declared associations"},
      {"business_interests", "business interests register"},
      {"gifts", "gifts and hospitality register"},
      {"tenders", "tender panels"},
      {"alerts", "alert evidence"},
      {"rule_state", "correlation state"},
      {"audit", "audit state"}};
  const std::string t = table_name(table);
  for (const auto& [name, shown] : kPersonal)
    if (t == name) return std::string(shown);
  if (t == "lists" && !key.empty() && store.list_exists(key)) {
    const auto values = store.list_values(key);
    if (!std::all_of(values.begin(), values.end(), is_domain_name)) return "named list values";
  }
  return {};
}

std::string to_json(const StaffRecord& r) { return dump(staff_json(r)); }
std::string to_json(const Association& a) { return dump(association_json(a)); }

Result<std::string> describe_entry(const Store& store, std::string_view table,
                                   std::string_view key) {
  const std::string t = table_name(table);
  if (t == "staff") {
    if (auto r = store.staff(key)) return to_json(*r);
    return not_found(store, t, key);
  }
  if (t == "email" || t == "staff_by_email") {
    if (auto r = store.staff_by_email(key)) return to_json(*r);
    return not_found(store, t, key);
  }
  if (t == "associations") {
    Json out = Json::array();
    for (const auto& a : store.associations_of(key)) out.push_back(association_json(a));
    return dump(out);
  }
  if (t == "systems") {
    Json out = Json::array();
    for (const auto& [name, level] : store.systems()) {
      if (!key.empty() && name != lower(key)) continue;
      out.push_back(Json{{"system", name}, {"required_vetting", to_string(level)}});
    }
    if (key.empty()) return dump(out);
    if (out.empty()) return not_found(store, t, key);
    return dump(out.front());
  }
  if (t == "lists") {
    if (key.empty()) return dump(Json(store.list_names()));
    if (!store.list_exists(key)) return not_found(store, t, key);
    return dump(Json{{"list", lower(key)}, {"values", store.list_values(key)}});
  }
  // The registers: every row, or those of one staff member (one tender for tenders).
  if (t == "business_interests") {
    Json out = Json::array();
    for (const auto& r : store.business_interests()) {
      if (!key.empty() && r.staff_id != lower(key)) continue;
      out.push_back(Json{{"staff_id", r.staff_id},
                         {"business", r.business},
                         {"domain", r.domain},
                         {"role", r.role},
                         {"approved", r.approved},
                         {"declared_on", time_json(r.declared_on)}});
    }
    return dump(out);
  }
  if (t == "gifts") {
    Json out = Json::array();
    for (const auto& g : store.gifts()) {
      if (!key.empty() && g.staff_id != lower(key)) continue;
      out.push_back(Json{{"staff_id", g.staff_id},
                         {"offeror", g.offeror},
                         {"offeror_domain", g.offeror_domain},
                         {"value_pence", g.value_pence},
                         {"date", event::format_time(g.date)},
                         {"accepted", g.accepted}});
    }
    return dump(out);
  }
  if (t == "tenders") {
    Json out = Json::array();
    for (const auto& b : store.tenders()) {
      if (!key.empty() && b.tender_id != lower(key)) continue;
      out.push_back(Json{{"tender_id", b.tender_id},
                         {"supplier", b.supplier},
                         {"supplier_domain", b.supplier_domain},
                         {"status", to_string(b.status)},
                         {"panel", b.panel},
                         {"opens", time_json(b.opens)},
                         {"closes", time_json(b.closes)}});
    }
    return dump(out);
  }
  if (t == "alerts") return runtime_entry(store, RuntimeTable::alerts, t, key);
  if (t == "outbox") return runtime_entry(store, RuntimeTable::outbox, t, key);
  if (t == "rule_state") return runtime_entry(store, RuntimeTable::rule_state, t, key);
  if (t == "audit") return runtime_entry(store, RuntimeTable::audit, t, key);
  return fail("state.show_table",
              "unknown table '" + std::string(table) +
                  "' (expected staff, email, associations, systems, lists, "
                  "business_interests, gifts, tenders, alerts, outbox, rule_state or audit; "
                  "singular or plural)");
}

}  // namespace probity::state
