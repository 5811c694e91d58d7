// Payload format "leef": IBM QRadar Log Event Extended Format, versions 1.0 and 2.0. Not
// for CEF (cef.cpp); what the keys mean is the source mapping's business.
//
//   LEEF:1.0|Vendor|Product|Version|EventID|attributes            (attributes tab-separated)
//   LEEF:2.0|Vendor|Product|Version|EventID|Delimiter|attributes
// The 2.0 delimiter field is one character ("^") or its code in hex ("x5E", "0x5E"); an
// empty or absent field means tab. Attributes are key=value split at the first '='; a
// backslash before the delimiter keeps it in the value. A syslog prefix before "LEEF:" is
// skipped; header fields use CEF's "\|" escape, which some producers write.
#include <charconv>

#include "decode/payload.h"
#include "decode/text.h"

namespace probity::decode {
namespace {

constexpr const char* kHeaderNames[] = {"leef.version", "vendor", "product", "version", "eventId"};

/// The 2.0 delimiter field: "^", "x09", "0x09" (also "\t" as written by some). nullopt
/// when the field does not look like a delimiter (then it is the first attribute).
std::optional<char> delimiter_of(std::string_view field) {
  if (field.empty()) return '\t';
  if (field.size() == 1 && field[0] != '=') return field[0];
  if (field == "\\t") return '\t';
  std::string_view hex = field;
  if (hex.starts_with("0x") || hex.starts_with("0X"))
    hex.remove_prefix(2);
  else if (hex.starts_with("x") || hex.starts_with("X"))
    hex.remove_prefix(1);
  else
    return std::nullopt;
  unsigned code = 0;
  const auto [end, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), code, 16);
  if (ec != std::errc{} || end != hex.data() + hex.size() || hex.empty() || hex.size() > 2 ||
      code == 0 || code == '=')
    return std::nullopt;
  return static_cast<char>(code);
}

class LeefPayloadDecoder final : public PayloadDecoder {
 public:
  Result<Payload> decode(const syslog::SyslogMessage& msg, const SourceMapping&) const override {
    const std::string_view text = message_text(msg);
    const std::size_t start = text.find("LEEF:");
    if (start == std::string_view::npos)
      return fail("decode.bad_payload", "no \"LEEF:\" in the message");
    const std::string_view body = text.substr(start + 5);
    std::vector<std::string> header;
    const auto attrs_at = split_pipe_header(body, 5, header);
    if (!attrs_at)
      return fail("decode.bad_payload",
                  "LEEF header has " + std::to_string(header.size()) +
                      " of its 5 '|'-terminated fields (message cut short?)",
                  at_offset(text.size()));
    const std::string version(trim(header[0]));
    if (version != "1.0" && version != "2.0" && version != "1" && version != "2")
      return fail("decode.bad_payload",
                  "LEEF version " + quote_for_log(version) + " (expected 1.0 or 2.0)");
    Payload out;
    for (std::size_t i = 0; i < header.size(); ++i) {
      PayloadField& f = out.emplace_back();
      f.name = kHeaderNames[i];
      f.value = trim(header[i]);
    }
    std::string_view attrs = body.substr(*attrs_at);
    char delimiter = '\t';
    if (version[0] == '2') {
      const std::size_t bar = attrs.find('|');
      if (bar != std::string_view::npos) {
        if (const auto d = delimiter_of(attrs.substr(0, bar))) {
          delimiter = *d;
          attrs.remove_prefix(bar + 1);
        }
      }
    }
    std::size_t i = 0;
    while (i <= attrs.size()) {
      // One attribute up to the next unescaped delimiter.
      std::string item;
      std::size_t j = i;
      for (; j < attrs.size() && attrs[j] != delimiter; ++j) {
        if (attrs[j] == '\\' && j + 1 < attrs.size() && attrs[j + 1] == delimiter) ++j;
        item += attrs[j];
      }
      const std::size_t eq = item.find('=');
      if (eq != std::string::npos && eq > 0) {
        if (out.size() == kMaxPayloadFields)
          return fail(
              "decode.too_many_fields",
              "LEEF event has more than " + std::to_string(kMaxPayloadFields) + " attributes",
              at_offset(start + 5 + *attrs_at + i));
        PayloadField& f = out.emplace_back();
        f.name = trim(std::string_view(item).substr(0, eq));
        f.value = trim(std::string_view(item).substr(eq + 1));
      }
      i = j + 1;
    }
    return out;
  }
};

}  // namespace

const PayloadDecoder& leef_payload_decoder() {
  static const LeefPayloadDecoder decoder;
  return decoder;
}

}  // namespace probity::decode
