// The CEF record of an alert, escaped as "Implementing ArcSight Common Event Format"
// (CEF rev. 16+, "Character Encoding") requires. Not for transport: siem_channel.cpp.
#include "alerts/cef.h"

#include <chrono>

namespace probity::alerts {

namespace {

// CEF header fields: '\' and '|' are escaped; a header may not span lines, so CR and LF
// become spaces (only extension values may carry encoded newlines).
void append_header_field(std::string& out, std::string_view value) {
  for (const char c : value) {
    if (c == '\\' || c == '|') {
      out += '\\';
      out += c;
    } else if (c == '\r' || c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  out += '|';
}

// CEF extension values: '\' and '=' are escaped and CR/LF encoded as \r and \n, so the
// collector finds each next " key=" unambiguously; '|' needs no escape here. An empty
// value is left out rather than sent as "key=" with nothing before the next key.
void append_extension(std::string& out, std::string_view key, std::string_view value) {
  if (value.empty()) return;
  if (!out.empty()) out += ' ';
  out += key;
  out += '=';
  for (const char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '=':
        out += "\\=";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
}

int cef_severity(std::string_view severity) {
  if (severity == "low") return 3;
  if (severity == "medium") return 5;
  if (severity == "high") return 8;
  if (severity == "critical") return 10;
  return 1;
}

}  // namespace

std::string to_cef(const Alert& shown_alert, std::string_view product_version) {
  const Alert& a = shown_alert;
  std::string out = "CEF:0|";
  append_header_field(out, "Probity");
  append_header_field(out, "Probity");
  append_header_field(out, product_version);
  append_header_field(out, a.rule_id);
  append_header_field(out, a.title);
  out += std::to_string(cef_severity(a.severity));
  out += '|';
  std::string ext;
  // rt is a CEF timestamp in milliseconds since the epoch.
  const auto event_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(a.event_time.time_since_epoch());
  append_extension(ext, "rt", std::to_string(event_ms.count()));
  append_extension(ext, "suser", a.user_id);
  append_extension(ext, "msg", a.message);
  append_extension(ext, "externalId", a.id);
  append_extension(ext, "cnt", std::to_string(a.count));
  append_extension(ext, "cs1Label", "alertId");
  append_extension(ext, "cs1", a.id);
  append_extension(ext, "cs2Label", "status");
  append_extension(ext, "cs2", a.status);
  return out + ext;
}

}  // namespace probity::alerts
