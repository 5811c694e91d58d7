// The alert as JSON: the value stored in the alerts table, the JSONL line, and what the
// HTTP API serves. Not for email text (email_message.cpp).
#include <openssl/evp.h>
#include <nlohmann/json.hpp>

#include "alerts/alerts.h"
#include "base/hex.h"

namespace probity::alerts {

using Json = nlohmann::ordered_json;  // keeps member order: fields are shown in rule order

namespace {

// Evidence is embedded as objects so the JSONL log is queryable with jq; text that is not
// JSON (a caller's bug) is kept as a string rather than dropped: it is evidence.
Json events_array(const std::vector<std::string>& events_json) {
  Json events = Json::array();
  for (const auto& e : events_json) {
    Json parsed = Json::parse(e, nullptr, /*allow_exceptions=*/false);
    events.push_back(parsed.is_discarded() ? Json(e) : std::move(parsed));
  }
  return events;
}

Json fields_object(const std::vector<std::pair<std::string, std::string>>& fields) {
  Json j = Json::object();
  for (const auto& [name, value] : fields) j[name] = value;
  return j;
}

// Empty members are left out: a note has no owner, an acknowledgement no text.
Json history_array(const std::vector<TriageEntry>& history) {
  Json out = Json::array();
  for (const auto& h : history) {
    Json e;
    e["at"] = event::format_time(h.at);
    e["by"] = h.actor;
    e["action"] = h.action;
    e["from"] = h.from;
    e["to"] = h.to;
    const std::pair<const char*, const std::string*> optional[] = {{"text", &h.text},
                                                                   {"owner", &h.owner},
                                                                   {"dismissal", &h.dismissal},
                                                                   {"reference", &h.reference}};
    for (const auto& [name, value] : optional)
      if (!value->empty()) e[name] = *value;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

std::string history_to_json(const std::vector<TriageEntry>& history) {
  return history_array(history).dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string alert_origin(std::string_view rule_id, std::string_view event_id,
                         std::string_view message) {
  // Lengths first: no choice of fields can make two different triples hash alike.
  std::string input;
  for (const auto part : {rule_id, event_id, message})
    input += std::to_string(part.size()) + ":" + std::string(part);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(input.data(), input.size(), digest, &n, EVP_sha256(), nullptr);
  return to_hex(digest, 16);
}

std::string to_json(const Alert& a) {
  Json j;
  j["id"] = a.id;
  j["rule_id"] = a.rule_id;
  j["rule_version"] = a.rule_version;
  j["title"] = a.title;
  if (!a.description.empty()) j["description"] = a.description;
  if (!a.guidance.empty()) j["guidance"] = a.guidance;
  j["severity"] = a.severity;
  if (!a.tags.empty()) j["tags"] = a.tags;
  if (!a.source.empty()) j["source"] = a.source;
  j["message"] = a.message;
  j["event_time"] = event::format_time(a.event_time);
  j["raised_at"] = event::format_time(a.raised_at);
  j["user_id"] = a.user_id;
  j["status"] = a.status;
  if (!a.owner.empty()) j["owner"] = a.owner;
  if (!a.origin.empty()) j["origin"] = a.origin;
  j["count"] = a.count;
  j["last_seen"] =
      event::format_time(a.last_seen == event::Timestamp{} ? a.event_time : a.last_seen);
  j["fields"] = fields_object(a.fields);
  j["events"] = events_array(a.events_json);
  if (!a.lookups.empty()) j["lookups"] = fields_object(a.lookups);
  if (!a.history.empty()) j["history"] = history_array(a.history);
  if (a.shown) {
    Json& shown = j["shown"];
    shown["key_id"] = a.shown->key_id;
    shown["user"] = a.shown->user;
    shown["message"] = a.shown->message;
    shown["fields"] = fields_object(a.shown->fields);
    shown["events"] = events_array(a.shown->events_json);
    if (!a.shown->lookups.empty()) shown["lookups"] = fields_object(a.shown->lookups);
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

// "fields" and "lookups": objects of name -> text (a non-string value is kept as JSON).
Result<void> read_pairs(const Json& j, const char* member,
                        std::vector<std::pair<std::string, std::string>>& out) {
  const auto it = j.find(member);
  if (it == j.end()) return {};  // lookups arrived later than fields: older records lack them
  if (!it->is_object())
    return fail("alerts.bad_json", std::string("alert JSON \"") + member + "\" is not an object");
  for (const auto& [name, value] : it->items())
    out.emplace_back(name, value.is_string() ? value.get<std::string>() : value.dump());
  return {};
}

Result<void> read_fields_and_events(const Json& j,
                                    std::vector<std::pair<std::string, std::string>>& fields,
                                    std::vector<std::string>& events_json,
                                    std::vector<std::pair<std::string, std::string>>& lookups) {
  if (auto ok = read_pairs(j, "fields", fields); !ok) return ok;
  if (auto ok = read_pairs(j, "lookups", lookups); !ok) return ok;
  if (const auto it = j.find("events"); it != j.end()) {
    if (!it->is_array()) return fail("alerts.bad_json", "alert JSON \"events\" is not an array");
    for (const auto& e : *it)
      events_json.push_back(e.is_string() ? e.get<std::string>()
                                          : e.dump(-1, ' ', false, Json::error_handler_t::replace));
  }
  return {};
}

Result<void> read_history(const Json& j, std::vector<TriageEntry>& history) {
  const auto it = j.find("history");
  if (it == j.end()) return {};
  if (!it->is_array()) return fail("alerts.bad_json", "alert JSON \"history\" is not an array");
  for (const auto& e : *it) {
    if (!e.is_object()) return fail("alerts.bad_json", "alert JSON history entry is not an object");
    TriageEntry h;
    auto at = member_time(e, "at");
    if (!at) return tl::unexpected(at.error());
    h.at = *at;
    const std::pair<const char*, std::string*> strings[] = {{"by", &h.actor},
                                                            {"action", &h.action},
                                                            {"from", &h.from},
                                                            {"to", &h.to},
                                                            {"text", &h.text},
                                                            {"owner", &h.owner},
                                                            {"dismissal", &h.dismissal},
                                                            {"reference", &h.reference}};
    for (const auto& [name, out] : strings) {
      auto v = member_string(e, name, false);
      if (!v) return tl::unexpected(v.error());
      *out = std::move(*v);
    }
    history.push_back(std::move(h));
  }
  return {};
}

}  // namespace

Result<Alert> alert_from_json(std::string_view json) {
  const Json j = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    return fail("alerts.bad_json", "alert record is not a JSON object");

  Alert a;
  const std::pair<const char*, std::string*> strings[] = {{"id", &a.id},
                                                          {"rule_id", &a.rule_id},
                                                          {"rule_version", &a.rule_version},
                                                          {"title", &a.title},
                                                          {"description", &a.description},
                                                          {"guidance", &a.guidance},
                                                          {"severity", &a.severity},
                                                          {"message", &a.message},
                                                          {"user_id", &a.user_id},
                                                          {"status", &a.status},
                                                          {"owner", &a.owner},
                                                          {"origin", &a.origin},
                                                          {"source", &a.source}};
  for (const auto& [name, out] : strings) {
    const bool required = std::string_view(name) == "id" || std::string_view(name) == "rule_id";
    auto v = member_string(j, name, required);
    if (!v) return tl::unexpected(v.error());
    if (std::string_view(name) != "status" || !v->empty()) *out = std::move(*v);
  }
  if (const auto it = j.find("tags"); it != j.end()) {
    if (!it->is_array()) return fail("alerts.bad_json", "alert JSON \"tags\" is not an array");
    for (const auto& tag : *it)
      if (tag.is_string()) a.tags.push_back(tag.get<std::string>());
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

  if (auto ok = read_fields_and_events(j, a.fields, a.events_json, a.lookups); !ok)
    return tl::unexpected(ok.error());
  if (auto ok = read_history(j, a.history); !ok) return tl::unexpected(ok.error());
  if (const auto it = j.find("shown"); it != j.end()) {
    if (!it->is_object()) return fail("alerts.bad_json", "alert JSON \"shown\" is not an object");
    ShownAlert& shown = a.shown.emplace();
    const std::pair<const char*, std::string*> shown_strings[] = {
        {"key_id", &shown.key_id}, {"user", &shown.user}, {"message", &shown.message}};
    for (const auto& [name, out] : shown_strings) {
      auto v = member_string(*it, name, true);
      if (!v) return tl::unexpected(v.error());
      *out = std::move(*v);
    }
    if (auto ok = read_fields_and_events(*it, shown.fields, shown.events_json, shown.lookups); !ok)
      return tl::unexpected(ok.error());
  }
  return a;
}

Alert as_shown(const Alert& a) {
  Alert out = a;
  out.fields.clear();
  out.events_json.clear();
  out.lookups.clear();
  if (!a.shown) {
    out.user_id = a.user_id.empty() ? "" : "withheld";
    out.message = a.title + " (details withheld: reveal the alert to see them)";
    return out;
  }
  out.user_id = a.shown->user;
  out.message = a.shown->message;
  out.fields = a.shown->fields;
  out.events_json = a.shown->events_json;
  out.lookups = a.shown->lookups;
  return out;
}

}  // namespace probity::alerts
