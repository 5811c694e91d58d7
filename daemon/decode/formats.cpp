// The payload-format table and the lookups on it (names for the config and logs, which formats
// are gateways). What each format means: config/SOURCES.md and config/GATEWAYS.md.
#include "decode/formats.h"

#include <string>

#include "base/ascii.h"
#include "decode/text.h"

namespace probity::decode {
namespace {

constexpr PayloadFormatInfo kPayloadFormats[] = {
    {PayloadFormat::sd, "sd", sd_payload_decoder, nullptr},
    {PayloadFormat::kv, "kv", kv_payload_decoder, nullptr},
    {PayloadFormat::json, "json", json_payload_decoder, nullptr},
    {PayloadFormat::cef, "cef", cef_payload_decoder, nullptr},
    {PayloadFormat::leef, "leef", leef_payload_decoder, nullptr},
    {PayloadFormat::csv, "csv", nullptr, nullptr},
    {PayloadFormat::postfix, "postfix", nullptr, make_postfix_assembler},
    {PayloadFormat::mimecast, "mimecast", nullptr, make_mimecast_assembler},
    {PayloadFormat::exchange, "exchange", nullptr, make_exchange_assembler},
    {PayloadFormat::esa, "esa", nullptr, make_esa_assembler},
    {PayloadFormat::proofpoint, "proofpoint", nullptr, make_proofpoint_assembler},
    {PayloadFormat::pod, "pod", pod_payload_decoder, nullptr},
};

// "sd, kv, ... esa or proofpoint"
std::string format_names() {
  std::string out;
  for (std::size_t i = 0; i < std::size(kPayloadFormats); ++i) {
    if (i) out += i + 1 == std::size(kPayloadFormats) ? " or " : ", ";
    out += kPayloadFormats[i].name;
  }
  return out;
}

}  // namespace

std::span<const PayloadFormatInfo> payload_formats() { return kPayloadFormats; }

const PayloadFormatInfo& payload_format_info(PayloadFormat f) {
  for (const auto& info : kPayloadFormats)
    if (info.format == f) return info;
  return kPayloadFormats[0];  // unreachable: the unit test checks every format has a row
}

Result<PayloadFormat> payload_format_from_string(std::string_view s) {
  for (const auto& info : kPayloadFormats)
    if (iequals(s, info.name)) return info.format;
  return fail("decode.bad_mapping",
              "unknown payload format " + quote_for_log(s) + " (expected " + format_names() + ")");
}

std::string_view to_string(PayloadFormat f) {
  for (const auto& info : kPayloadFormats)
    if (info.format == f) return info.name;
  return "?";
}

bool is_assembled(PayloadFormat f) { return payload_format_info(f).assembler != nullptr; }

}  // namespace probity::decode
