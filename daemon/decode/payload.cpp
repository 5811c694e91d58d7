// Helpers that several payload decoders share (see payload.h). Not for a format's own
// rules: each format lives in its own <format>_payload.cpp.
#include "decode/payload.h"

namespace probity::decode {

std::string_view sd_element_id(const SourceMapping& source) {
  if (!source.sd_id.empty()) return source.sd_id;
  if (source.match.sd_id) return *source.match.sd_id;
  return {};
}

std::string_view message_text(const syslog::SyslogMessage& msg) {
  std::string_view text = msg.message.value_or(std::string_view{});
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  return text;
}

std::optional<std::size_t> split_pipe_header(std::string_view text, std::size_t count,
                                             std::vector<std::string>& fields) {
  fields.clear();
  std::string current;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size() && (text[i + 1] == '|' || text[i + 1] == '\\')) {
      current += text[++i];
    } else if (c == '|') {
      fields.push_back(std::move(current));
      current.clear();
      if (fields.size() == count) return i + 1;
    } else {
      current += c;
    }
  }
  return std::nullopt;
}

Result<std::vector<std::string_view>> split_csv(std::string_view row, char delimiter,
                                                std::vector<std::string>& unquoted) {
  std::vector<std::string_view> out;
  unquoted.clear();
  unquoted.reserve(kMaxPayloadFields);  // views into it stay valid: it never reallocates
  std::size_t i = 0;
  for (;;) {
    if (out.size() == kMaxPayloadFields)
      return fail("decode.too_many_fields",
                  "CSV row has more than " + std::to_string(kMaxPayloadFields) + " fields",
                  at_offset(i));
    if (i < row.size() && row[i] == '"') {
      std::string& value = unquoted.emplace_back();
      std::size_t j = i + 1;
      for (;;) {
        if (j >= row.size())
          return fail("decode.bad_payload", "CSV row ends inside a quoted field", at_offset(i));
        if (row[j] == '"') {
          if (j + 1 < row.size() && row[j + 1] == '"') {
            value += '"';
            j += 2;
            continue;
          }
          ++j;
          break;
        }
        value += row[j++];
      }
      out.push_back(value);
      if (j == row.size()) return out;
      if (row[j] != delimiter)
        return fail("decode.bad_payload", "CSV text after a closing quote", at_offset(j));
      i = j + 1;
      continue;
    }
    const std::size_t end = row.find(delimiter, i);
    out.push_back(row.substr(i, end == std::string_view::npos ? end : end - i));
    if (end == std::string_view::npos) return out;
    i = end + 1;
  }
}

}  // namespace probity::decode
