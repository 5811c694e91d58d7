// The alert as JSON: the value stored in the alerts table, the JSONL line, and what the
// HTTP API serves. Not for email text (email_message.cpp).
#include <nlohmann/json.hpp>

#include "alerts/alerts.h"

namespace probity::alerts {

using Json = nlohmann::ordered_json;  // keeps member order: fields are shown in rule order

std::string to_json(const Alert& a) {
  Json j;
  j["id"] = a.id;
  j["rule_id"] = a.rule_id;
  j["rule_version"] = a.rule_version;
  j["title"] = a.title;
  j["severity"] = a.severity;
  j["message"] = a.message;
  j["event_time"] = event::format_time(a.event_time);
  j["raised_at"] = event::format_time(a.raised_at);
  j["user_id"] = a.user_id;
  j["status"] = a.status;
  j["count"] = a.count;
  j["last_seen"] =
      event::format_time(a.last_seen == event::Timestamp{} ? a.event_time : a.last_seen);
  auto& fields = j["fields"] = Json::object();
  for (const auto& [name, value] : a.fields) fields[name] = value;
  auto& events = j["events"] = Json::array();
  for (const auto& e : a.events_json) {
    // Embedded as objects so the JSONL log is queryable with jq; text that is not JSON
    // (a caller's bug) is kept as a string rather than dropped: it is evidence.
    Json parsed = Json::parse(e, nullptr, /*allow_exceptions=*/false);
    events.push_back(parsed.is_discarded() ? Json(e) : std::move(parsed));
  }
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

namespace {

Result<std::string> member_string(const Json& j, const char* name, bool required) {
  const auto it = j.find(name);
  if (it == j.end()) {
    if (!required) return std::string();
    return fail("alerts.bad_json", std::string("alert JSON lacks \"") + name + "\"");
  }
  if (!it->is_string())
    return fail("alerts.bad_json", std::string("alert JSON \"") + name + "\" is not a string");
  return it->get<std::string>();
}

Result<event::Timestamp> member_time(const Json& j, const char* name) {
  auto text = member_string(j, name, true);
  if (!text) return tl::unexpected(text.error());
  const auto t = event::parse_time(*text);
  if (!t)
    return fail("alerts.bad_json",
                std::string("alert JSON \"") + name + "\" is not an RFC 3339 time: " + *text);
  return *t;
}

}  // namespace

Result<Alert> alert_from_json(std::string_view json) {
  const Json j = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    return fail("alerts.bad_json", "alert record is not a JSON object");

  Alert a;
  const std::pair<const char*, std::string*> strings[] = {
      {"id", &a.id},           {"rule_id", &a.rule_id},   {"rule_version", &a.rule_version},
      {"title", &a.title},     {"severity", &a.severity}, {"message", &a.message},
      {"user_id", &a.user_id}, {"status", &a.status}};
  for (const auto& [name, out] : strings) {
    const bool required = std::string_view(name) == "id" || std::string_view(name) == "rule_id";
    auto v = member_string(j, name, required);
    if (!v) return tl::unexpected(v.error());
    if (std::string_view(name) != "status" || !v->empty()) *out = std::move(*v);
  }
  auto event_time = member_time(j, "event_time");
  if (!event_time) return tl::unexpected(event_time.error());
  a.event_time = *event_time;
  auto raised_at = member_time(j, "raised_at");
  if (!raised_at) return tl::unexpected(raised_at.error());
  a.raised_at = *raised_at;
  // count and last_seen arrived with suppression: older records have neither.
  if (const auto it = j.find("count"); it != j.end()) {
    if (!it->is_number_unsigned() || it->get<std::uint64_t>() == 0)
      return fail("alerts.bad_json", "alert JSON \"count\" is not a positive integer");
    a.count = it->get<std::uint64_t>();
  }
  if (j.contains("last_seen")) {
    auto last_seen = member_time(j, "last_seen");
    if (!last_seen) return tl::unexpected(last_seen.error());
    a.last_seen = *last_seen;
  }

  if (const auto it = j.find("fields"); it != j.end()) {
    if (!it->is_object()) return fail("alerts.bad_json", "alert JSON \"fields\" is not an object");
    for (const auto& [name, value] : it->items())
      a.fields.emplace_back(name, value.is_string() ? value.get<std::string>() : value.dump());
  }
  if (const auto it = j.find("events"); it != j.end()) {
    if (!it->is_array()) return fail("alerts.bad_json", "alert JSON \"events\" is not an array");
    for (const auto& e : *it)
      a.events_json.push_back(e.is_string()
                                  ? e.get<std::string>()
                                  : e.dump(-1, ' ', false, Json::error_handler_t::replace));
  }
  return a;
}

}  // namespace probity::alerts
