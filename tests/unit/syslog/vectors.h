// Test-only helpers for the peers' conformance vectors in shared/conformance/syslog: loading
// the jsonl files and comparing a parsed SyslogMessage with a vector's "expected" object.
// Shared by the syslog and ingest unit tests; not part of any daemon target.
#pragma once

#include <cstddef>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "syslog/syslog.h"

#ifndef PROBITY_CONFORMANCE_DIR
#error "PROBITY_CONFORMANCE_DIR must point at shared/conformance/syslog"
#endif

namespace probity::test_vectors {

using nlohmann::json;

/// One record of a jsonl file; `index` is its 0-based line number.
struct Record {
  std::string file;
  std::size_t index = 0;
  json data;
};

/// gtest prints a failing parameter with this instead of a hex dump.
inline void PrintTo(const Record& record, std::ostream* os) {
  *os << record.file << " line " << record.index + 1;
}

inline std::string conformance_path(std::string_view file) {
  return std::string(PROBITY_CONFORMANCE_DIR) + "/" + std::string(file);
}

/// All records of `file`; empty when the file is missing (the count tests then fail and
/// say where the file was expected).
inline std::vector<Record> load_jsonl(std::string_view file) {
  std::vector<Record> records;
  std::ifstream in(conformance_path(file));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    records.push_back({std::string(file), records.size(), json::parse(line)});
  }
  return records;
}

inline std::string decode_base64(std::string_view text) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (const char c : text) {
    const std::size_t v = kAlphabet.find(c);
    if (v == std::string_view::npos) continue;  // '=' padding
    bits = (bits << 6) | static_cast<unsigned>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xFF);
    }
  }
  return out;
}

/// The raw bytes of a message record ("input", or "input_base64" when not UTF-8).
inline std::string input_bytes(const json& record) {
  if (record.contains("input") && record["input"].is_string()) return record["input"];
  return decode_base64(record.at("input_base64").get<std::string>());
}

/// A readable gtest name part: letters, digits and '_' only.
inline std::string sanitize(std::string_view text, std::size_t max_length = 60) {
  std::string out;
  for (const char c : text) {
    if (out.size() >= max_length) break;
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (word) {
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

/// JSON text that tolerates the Latin-1 bytes some vectors carry.
inline std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

inline std::string show(const std::optional<std::string_view>& v) {
  return v ? "\"" + std::string(*v) + "\"" : "null";
}

/// Differences between `m` and a vector's "expected" object, one per line; empty if equal.
/// An empty MSG and a null MSG are the same (conformance README).
inline std::string compare_message(const syslog::SyslogMessage& m, const json& expected) {
  std::string diff;
  const auto text_field = [&](const char* name, const std::optional<std::string_view>& got) {
    const json& want = expected.at(name);
    const bool same =
        want.is_null() ? !got.has_value() : got.has_value() && *got == want.get<std::string>();
    if (!same) diff += std::string(name) + ": got " + show(got) + ", want " + dump(want) + "\n";
  };
  const json& pri = expected.at("pri");
  if (pri.is_null() || pri.get<int>() != m.pri) {
    diff += "pri: got " + std::to_string(m.pri) + ", want " + pri.dump() + "\n";
  }
  if (expected.contains("facility") && !expected["facility"].is_null() &&
      (expected["facility"].get<int>() != m.facility() ||
       expected["severity"].get<int>() != m.severity())) {
    diff += "facility/severity differ\n";
  }
  const json& version = expected.at("version");
  if (version.is_null() ? m.version.has_value()
                        : (!m.version || *m.version != version.get<int>())) {
    diff += "version: got " + (m.version ? std::to_string(*m.version) : "null") + ", want " +
            version.dump() + "\n";
  }
  text_field("timestamp", m.timestamp);
  text_field("hostname", m.hostname);
  text_field("appname", m.app_name);
  text_field("procid", m.proc_id);
  text_field("msgid", m.msg_id);

  const json& sd = expected.at("structured_data");
  if (sd.is_null()) {
    if (m.has_structured_data || !m.structured_data.empty()) diff += "structured_data: want null\n";
  } else {
    std::map<std::string, std::map<std::string, std::string>> got;
    for (const auto& element : m.structured_data) {
      auto& params = got[std::string(element.id)];
      for (const auto& param : element.params) {
        params[std::string(param.name)] =
            param.escaped ? syslog::unescape_param_value(param.value) : std::string(param.value);
      }
    }
    std::map<std::string, std::map<std::string, std::string>> want;
    for (const auto& [id, params] : sd.items()) {
      auto& out = want[id];
      for (const auto& [name, value] : params.items()) out[name] = value.get<std::string>();
    }
    if (!m.has_structured_data || got != want || got.size() != m.structured_data.size()) {
      const json got_json = got;
      diff += "structured_data: got " + dump(got_json) + ", want " + dump(sd) + "\n";
    }
  }

  std::string want_message;
  bool want_null = false;
  if (expected.contains("message_base64") && expected["message_base64"].is_string()) {
    want_message = decode_base64(expected["message_base64"].get<std::string>());
  } else if (expected.at("message").is_null()) {
    want_null = true;
  } else {
    want_message = expected["message"].get<std::string>();
  }
  const std::string_view got_message = m.message.value_or(std::string_view{});
  if ((want_null || want_message.empty()) ? !got_message.empty() : got_message != want_message) {
    diff += "message: got " + show(m.message) + ", want " +
            (want_null ? std::string("null") : dump(json(want_message))) + "\n";
  }
  return diff;
}

}  // namespace probity::test_vectors
