// Payload format "cef": ArcSight Common Event Format, as the "Implementing ArcSight CEF"
// guide defines it. Not for LEEF (leef.cpp), and no vendor-specific meaning of keys:
// the source's mapping says what suser or cs1 mean for that product.
//
//   CEF:Version|Device Vendor|Device Product|Device Version|Signature ID|Name|Severity|Ext
// Header: '|' separates; "\|" and "\\" are its escapes. Extension: key=value pairs
// separated by spaces; a value may contain spaces and runs until the space before the next
// key=; in values "\=", "\\" are escapes and "\n", "\r" are line breaks ('|' needs none).
// A syslog prefix before "CEF:" (a relay's own header inside MSG) is skipped.
#include "decode/payload.h"
#include "decode/text.h"

namespace probity::decode {
namespace {

constexpr const char* kHeaderNames[] = {"cef.version",   "deviceVendor",       "deviceProduct",
                                        "deviceVersion", "deviceEventClassId", "name",
                                        "severity"};

bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-' || c == '[' || c == ']';
}

/// Length of the key starting at `i` when it is followed by '=', else 0.
std::size_t key_at(std::string_view ext, std::size_t i) {
  std::size_t j = i;
  while (j < ext.size() && is_key_char(ext[j])) ++j;
  return j > i && j < ext.size() && ext[j] == '=' ? j - i : 0;
}

std::string unescape_value(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\' || i + 1 == raw.size()) {
      out += raw[i];
      continue;
    }
    const char next = raw[i + 1];
    if (next == '=' || next == '\\' || next == '|') {
      out += next;
    } else if (next == 'n') {
      out += '\n';
    } else if (next == 'r') {
      out += '\r';
    } else {
      out += '\\';  // not an escape: keep the backslash and read `next` normally
      continue;
    }
    ++i;
  }
  return out;
}

class CefPayloadDecoder final : public PayloadDecoder {
 public:
  Result<Payload> decode(const syslog::SyslogMessage& msg, const SourceMapping&) const override {
    const std::string_view text = message_text(msg);
    const std::size_t start = text.find("CEF:");
    if (start == std::string_view::npos)
      return fail("decode.bad_payload", "no \"CEF:\" in the message");
    std::vector<std::string> header;
    const auto ext_at = split_pipe_header(text.substr(start + 4), 7, header);
    if (!ext_at)
      return fail("decode.bad_payload",
                  "CEF header has " + std::to_string(header.size()) +
                      " of its 7 '|'-terminated fields (message cut short?)",
                  at_offset(text.size()));
    Payload out;
    for (std::size_t i = 0; i < header.size(); ++i) {
      PayloadField& f = out.emplace_back();
      f.name = kHeaderNames[i];
      f.value = trim(header[i]);
    }
    const std::string_view ext = text.substr(start + 4 + *ext_at);
    std::size_t i = 0;
    while (i < ext.size()) {
      if (ext[i] == ' ') {
        ++i;
        continue;
      }
      const std::size_t key_len = key_at(ext, i);
      if (key_len == 0) {  // junk before the first pair: skip a word
        while (i < ext.size() && ext[i] != ' ') ++i;
        continue;
      }
      const std::string_view key = ext.substr(i, key_len);
      std::size_t j = i + key_len + 1;
      const std::size_t value_start = j;
      while (j < ext.size()) {
        if (ext[j] == '\\' && j + 1 < ext.size() &&
            std::string_view("=\\|nr").find(ext[j + 1]) != std::string_view::npos) {
          j += 2;  // an escape: "\= " is not the end of the value
          continue;
        }
        if (ext[j] == ' ' && key_at(ext, j + 1) != 0) break;
        ++j;
      }
      j = std::min(j, ext.size());
      if (out.size() == kMaxPayloadFields)
        return fail("decode.too_many_fields",
                    "CEF extension has more than " + std::to_string(kMaxPayloadFields) + " fields",
                    at_offset(start + 4 + *ext_at + i));
      PayloadField& f = out.emplace_back();
      f.name = key;
      f.value = unescape_value(trim(ext.substr(value_start, j - value_start)));
      i = j;
    }
    return out;
  }
};

}  // namespace

const PayloadDecoder& cef_payload_decoder() {
  static const CefPayloadDecoder decoder;
  return decoder;
}

}  // namespace probity::decode
