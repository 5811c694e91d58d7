// Payload format "sd": the params of one RFC 5424 structured-data element become the
// fields, in order, repeated names kept (§6.3.3 allows them; they form lists). Not for
// parsing SD syntax: syslog/ has done that and left the escapes for us.
#include "decode/payload.h"
#include "decode/text.h"

namespace probity::decode {
namespace {

class SdPayloadDecoder final : public PayloadDecoder {
 public:
  Result<Payload> decode(const syslog::SyslogMessage& msg,
                         const SourceMapping& source) const override {
    const std::string_view id = sd_element_id(source);
    for (const auto& element : msg.structured_data) {
      if (!glob_match(id, element.id, false)) continue;  // no '*': exact
      if (element.params.size() > kMaxPayloadFields)
        return fail("decode.too_many_fields", "SD element " + std::string(id) + " has " +
                                                  std::to_string(element.params.size()) +
                                                  " params (limit " +
                                                  std::to_string(kMaxPayloadFields) + ")");
      Payload out;
      out.reserve(element.params.size());
      for (const auto& param : element.params) {
        PayloadField& f = out.emplace_back();
        f.name = param.name;
        // §6.3.3: only \" \\ \] are escapes; the parser tells us whether any occur.
        f.value =
            param.escaped ? syslog::unescape_param_value(param.value) : std::string(param.value);
      }
      return out;
    }
    return fail("decode.bad_payload", "source " + source.name + " reads SD element " +
                                          std::string(id) + ", which the message lacks");
  }
};

}  // namespace

const PayloadDecoder& sd_payload_decoder() {
  static const SdPayloadDecoder decoder;
  return decoder;
}

}  // namespace probity::decode
