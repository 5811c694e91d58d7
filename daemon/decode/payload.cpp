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

}  // namespace probity::decode
