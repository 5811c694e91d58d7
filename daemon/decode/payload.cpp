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

}  // namespace probity::decode
