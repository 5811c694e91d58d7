// JSON rendering of stored entries for `state show` (describe.h). Uses ordered JSON so the
// fields read in the same order as the import columns.
#include "state/describe.h"

#include <algorithm>
#include <optional>
#include <type_traits>
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
              {"declared_on", time_json(a.declared_on)},
              {"party_dob", a.party_dob},
              {"party_aliases", a.party_aliases},
              {"party_ids", a.party_ids},
              {"party_address", a.party_address}};
}

/// A field as `state show` prints it: enums by name, times as RFC 3339 (null when absent).
template <class T>
Json shown(const T& v) {
  if constexpr (std::is_enum_v<T>) {
    return std::string(to_string(v));
  } else if constexpr (std::is_same_v<T, Timestamp>) {
    return event::format_time(v);
  } else if constexpr (std::is_same_v<T, std::optional<Timestamp>>) {
    return time_json(v);
  } else {
    return v;
  }
}

/// A register row as JSON, its fields in stored order (reference_tables.h's kRegisters).
template <class Def>
Json register_json(const Def& reg, const typename Def::RowType& row) {
  Json out = Json::object();
  for_each_field(reg, [&](const auto& f) { out[std::string(f.name)] = shown(row.*f.member); });
  return out;
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
      {"emails", "email"},           {"association", "associations"},
      {"system", "systems"},         {"list", "lists"},
      {"alert", "alerts"},           {"outboxes", "outbox"},
      {"rule_states", "rule_state"}, {"audits", "audit"}};
  for (const auto& [other, name] : kOtherSpelling)
    if (t == other) return std::string(name);
  for_each_register([&](const auto& reg) {
    if (reg.table == t + "s") t = reg.table;  // a register by its singular
  });
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
      {"alerts", "alert evidence"},
      {"rule_state", "correlation state"},
      {"audit", "audit state"}};
  const std::string t = table_name(table);
  for (const auto& [name, shown] : kPersonal)
    if (t == name) return std::string(shown);
  std::string shown;
  for_each_register([&](const auto& reg) {
    if (t == reg.table) shown = reg.personal_data;
  });
  if (!shown.empty()) return shown;
  if (t == "lists" && !key.empty() && store.list_exists(key)) {
    const auto values = store.list_values(key);
    if (!std::all_of(values.begin(), values.end(), is_domain_name)) return "named list values";
  }
  return {};
}

std::string show_tables() {
  std::string registers;
  for_each_register([&](const auto& reg) { registers += std::string(reg.table) + "|"; });
  return "staff|email|associations|systems|list|" + registers +
         "alerts|outbox|rule_state|audit (singular or plural)";
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
  // The registers: every row, or those whose shown_by field (staff member, tender) is key.
  std::optional<Json> rows;
  const std::string wanted = lower(key);
  for_each_register([&](const auto& reg) {
    if (t != reg.table) return;
    rows = Json::array();
    const ReferenceTables all = store.registers();
    for (const auto& row : all.*reg.rows)
      if (key.empty() || row.*reg.shown_by == wanted) rows->push_back(register_json(reg, row));
  });
  if (rows) return dump(*rows);
  if (t == "alerts") return runtime_entry(store, RuntimeTable::alerts, t, key);
  if (t == "outbox") return runtime_entry(store, RuntimeTable::outbox, t, key);
  if (t == "rule_state") return runtime_entry(store, RuntimeTable::rule_state, t, key);
  if (t == "audit") return runtime_entry(store, RuntimeTable::audit, t, key);
  return fail("state.show_table",
              "unknown table '" + std::string(table) + "' (expected " + show_tables() + ")");
}

}  // namespace probity::state
