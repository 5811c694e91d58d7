// The alert as JSON: the value stored in the alerts table, the JSONL line, and what the
// HTTP API serves. Not for email text (email_message.cpp).
#include <openssl/evp.h>
#include <nlohmann/json.hpp>

#include "alerts/alerts.h"
#include "base/hex.h"
#include "base/json_text.h"

namespace probity::alerts {

using Json = nlohmann::ordered_json;  // keeps member order: fields are shown in rule order

namespace {

// The alert's JSON is written straight into one string, not built as a tree and dumped:
// in an alert storm the tree cost more than storing the alert. The text is what
// nlohmann's ordered_json dump gave (member order, escaping, invalid UTF-8 replaced), so
// stored alerts, the JSONL log and the API read the same; a test holds it to that.

/// Members of one JSON object, written as added; the closing brace when it goes.
class JsonObject {
 public:
  explicit JsonObject(std::string& out) : out_(out) { out_ += '{'; }
  ~JsonObject() { out_ += '}'; }
  JsonObject(const JsonObject&) = delete;
  JsonObject& operator=(const JsonObject&) = delete;

  /// Writes the member's name; the caller writes its value.
  std::string& key(std::string_view name) {
    if (!first_) out_ += ',';
    first_ = false;
    append_json_string(out_, name);
    out_ += ':';
    return out_;
  }
  void add(std::string_view name, std::string_view value) { append_json_string(key(name), value); }
  void add_unless_empty(std::string_view name, std::string_view value) {
    if (!value.empty()) add(name, value);
  }
  void add_time(std::string_view name, event::Timestamp t) {
    std::array<char, 40> buf;
    append_json_string(key(name), event::format_time(t, buf));
  }

 private:
  std::string& out_;
  bool first_ = true;
};

/// "fields" and "lookups": name -> text. A name given twice keeps its first place and its
/// last value, as a JSON object's member set twice does.
void append_pairs(std::string& out, const std::vector<std::pair<std::string, std::string>>& pairs) {
  JsonObject o(out);
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const auto& name = pairs[i].first;
    const auto earlier = [&](std::size_t k) { return pairs[k].first == name; };
    bool repeat = false;
    for (std::size_t k = 0; k < i && !repeat; ++k) repeat = earlier(k);
    if (repeat) continue;
    const std::string* value = &pairs[i].second;
    for (std::size_t k = i + 1; k < pairs.size(); ++k)
      if (earlier(k)) value = &pairs[k].second;
    o.add(name, *value);
  }
}

void append_strings(std::string& out, const std::vector<std::string>& items) {
  out += '[';
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, items[i]);
  }
  out += ']';
}

// Evidence is embedded as objects so the JSONL log is queryable with jq. Each event's text
// is already JSON (event::to_json, or read back from a stored alert): it is checked
// (is_plain_json: one line, as the log needs), not parsed into a tree, and copied. Any
// other text is embedded the long way: parsed and dumped, or kept as a string when it does
// not parse (a caller's bug; it is still evidence).
void append_events(std::string& out, const std::vector<std::string>& events_json) {
  out += '[';
  for (std::size_t i = 0; i < events_json.size(); ++i) {
    if (i) out += ',';
    const std::string& e = events_json[i];
    if (is_plain_json(e)) {
      out += e;
      continue;
    }
    const Json parsed = Json::parse(e, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded())
      append_json_string(out, e);
    else
      out += parsed.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  out += ']';
}

// Empty members are left out: a note has no owner, an acknowledgement no text.
void append_history(std::string& out, const std::vector<TriageEntry>& history) {
  out += '[';
  for (std::size_t i = 0; i < history.size(); ++i) {
    if (i) out += ',';
    const TriageEntry& h = history[i];
    JsonObject e(out);
    e.add_time("at", h.at);
    e.add("by", h.actor);
    e.add("action", h.action);
    e.add("from", h.from);
    e.add("to", h.to);
    e.add_unless_empty("text", h.text);
    e.add_unless_empty("owner", h.owner);
    e.add_unless_empty("dismissal", h.dismissal);
    e.add_unless_empty("reference", h.reference);
  }
  out += ']';
}

}  // namespace

std::string history_to_json(const std::vector<TriageEntry>& history) {
  std::string out;
  append_history(out, history);
  return out;
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
  std::size_t evidence = 0;
  for (const auto& e : a.events_json) evidence += e.size();
  if (a.shown)
    for (const auto& e : a.shown->events_json) evidence += e.size();
  std::string out;
  out.reserve(1024 + a.description.size() + a.guidance.size() + evidence);
  {
    JsonObject j(out);
    j.add("id", a.id);
    j.add("rule_id", a.rule_id);
    j.add("rule_version", a.rule_version);
    j.add("title", a.title);
    j.add_unless_empty("description", a.description);
    j.add_unless_empty("guidance", a.guidance);
    j.add("severity", a.severity);
    if (!a.tags.empty()) append_strings(j.key("tags"), a.tags);
    j.add_unless_empty("source", a.source);
    j.add("message", a.message);
    j.add_time("event_time", a.event_time);
    j.add_time("raised_at", a.raised_at);
    j.add("user_id", a.user_id);
    j.add("status", a.status);
    j.add_unless_empty("owner", a.owner);
    j.add_unless_empty("origin", a.origin);
    j.key("count") += std::to_string(a.count);
    j.add_time("last_seen", a.last_seen == event::Timestamp{} ? a.event_time : a.last_seen);
    append_pairs(j.key("fields"), a.fields);
    append_events(j.key("events"), a.events_json);
    if (!a.lookups.empty()) append_pairs(j.key("lookups"), a.lookups);
    if (!a.history.empty()) append_history(j.key("history"), a.history);
    if (a.shown) {
      JsonObject shown(j.key("shown"));
      shown.add("key_id", a.shown->key_id);
      shown.add("user", a.shown->user);
      shown.add("message", a.shown->message);
      append_pairs(shown.key("fields"), a.shown->fields);
      append_events(shown.key("events"), a.shown->events_json);
      if (!a.shown->lookups.empty()) append_pairs(shown.key("lookups"), a.shown->lookups);
    }
  }
  return out;
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
