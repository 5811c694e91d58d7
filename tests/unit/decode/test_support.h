// Shared helpers for the decode tests: hand-built SyslogMessage values (views into string
// literals or strings the test keeps alive), a fixed clock, and a staff directory (a
// MemoryReference).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "decode/decode.h"
#include "state/memory_reference.h"

namespace probity::decode::testing {

inline event::Timestamp at(std::string_view rfc3339) { return *event::parse_time(rfc3339); }
inline const event::Timestamp kReceived = at("2026-03-01T12:00:00Z");

/// A 5424 message whose MSG is `text` (kv or JSON payloads).
inline syslog::SyslogMessage text_message(std::string_view text, std::string_view app = "app",
                                          std::string_view host = "host1") {
  syslog::SyslogMessage m;
  m.version = 1;
  m.timestamp = "2026-03-01T11:59:58.5Z";
  m.hostname = host;
  m.app_name = app;
  m.message = text;
  return m;
}

/// A 5424 message with one SD element (unescaped params) and no MSG.
inline syslog::SyslogMessage sd_message(
    std::string_view sd_id, std::vector<std::pair<std::string_view, std::string_view>> params,
    std::string_view app = "app", std::string_view host = "host1") {
  syslog::SyslogMessage m = text_message({}, app, host);
  m.message.reset();
  syslog::SdElement e{sd_id, {}};
  for (auto [name, value] : params) e.params.push_back({name, value, false});
  m.structured_data.push_back(e);
  m.has_structured_data = true;
  return m;
}

inline SourceMapping kv_source(std::string name = "kv-app") {
  SourceMapping s;
  s.name = std::move(name);
  s.kind = event::Kind::access;
  s.match.app_name = "app";
  s.format = PayloadFormat::kv;
  return s;
}

inline SourceMapping json_source(std::string name = "json-app") {
  SourceMapping s = kv_source(std::move(name));
  s.format = PayloadFormat::json;
  return s;
}

inline const std::string* raw(const event::Event& e, std::string_view name) {
  return e.raw_field(name);
}

/// Reference data holding one staff member per (id, email) pair.
inline state::MemoryReference staff_directory(
    std::initializer_list<std::pair<std::string, std::string>> staff) {
  state::ReferenceTables tables;
  for (const auto& [id, email] : staff) {
    state::StaffRecord r;
    r.id = id;
    r.emails = {email};
    tables.staff.push_back(std::move(r));
  }
  return state::MemoryReference(std::move(tables));
}

}  // namespace probity::decode::testing
