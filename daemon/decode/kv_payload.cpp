// Payload format "kv": key=value pairs in MSG, as many appliances and scripts write them.
// Grammar (no space around '='):
//   payload = *( sep / pair / junk )      sep   = whitespace / the source's separator
//   pair    = key "=" ( quoted / bare )   key   = 1*( ALPHA / DIGIT / "_" / "." / "-" / "@" )
//   quoted  = DQUOTE *( "\" CHAR / any but DQUOTE ) DQUOTE   ; \" and \\ unescape, other
//                                                           ; backslashes are kept
//   bare    = up to the next separator (whitespace; or the separator char, then trimmed)
// A token that is not a pair (a prose word, "a:b=c") is junk and skipped up to the next
// separator, so a human prefix such as "audit event: user=x" still decodes.
// Not for vendor quirks (Mimecast's \subject\ wrapping, CEF headers): those get decoders.
#include "decode/payload.h"
#include "decode/text.h"

namespace probity::decode {
namespace {

bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-' || c == '@';
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

class KvPayloadDecoder final : public PayloadDecoder {
 public:
  Result<Payload> decode(const syslog::SyslogMessage& msg,
                         const SourceMapping& source) const override {
    const std::string_view text = message_text(msg);
    const char sep = source.kv_pair_separator;
    const bool whitespace_only = sep == ' ';
    const auto is_sep = [&](char c) { return is_space(c) || c == sep; };
    // With a separator char, a value may contain spaces: only the separator ends it.
    const auto ends_bare = [&](char c) { return whitespace_only ? is_space(c) : c == sep; };

    Payload out;
    std::size_t i = 0;
    const std::size_t n = text.size();
    while (i < n) {
      if (is_sep(text[i])) {
        ++i;
        continue;
      }
      const std::size_t key_start = i;
      while (i < n && is_key_char(text[i])) ++i;
      if (i == key_start || i == n || text[i] != '=') {
        while (i < n && !ends_bare(text[i])) ++i;  // junk token
        continue;
      }
      const std::string_view key = text.substr(key_start, i - key_start);
      ++i;  // '='
      if (out.size() == kMaxPayloadFields)
        return fail(
            "decode.too_many_fields",
            "key=value payload has more than " + std::to_string(kMaxPayloadFields) + " pairs",
            at_offset(key_start));
      PayloadField& f = out.emplace_back();
      f.name = key;
      if (i < n && text[i] == '"') {
        const std::size_t quote = i++;
        bool closed = false;
        while (i < n) {
          const char c = text[i];
          if (c == '"') {
            closed = true;
            ++i;
            break;
          }
          if (c == '\\' && i + 1 < n && (text[i + 1] == '"' || text[i + 1] == '\\')) {
            f.value += text[i + 1];
            i += 2;
            continue;
          }
          f.value += c;
          ++i;
        }
        if (!closed)
          return fail(
              "decode.bad_payload",
              "unterminated quoted value for key " + quote_for_log(key) + " (message cut short?)",
              at_offset(quote));
        while (i < n && !ends_bare(text[i])) f.value += text[i++];  // a"b"c: keep the tail
      } else {
        const std::size_t value_start = i;
        while (i < n && !ends_bare(text[i])) ++i;
        f.value = trim(text.substr(value_start, i - value_start));
      }
    }
    return out;
  }
};

}  // namespace

const PayloadDecoder& kv_payload_decoder() {
  static const KvPayloadDecoder decoder;
  return decoder;
}

}  // namespace probity::decode
