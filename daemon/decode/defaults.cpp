// The embedded sources (Probity's own canonical forms), format names, the load-time check
// of a mapping, and counting by error code. Administrators' description: config/SOURCES.md.
// Not for decoding: see decoder.cpp.
#include "decode/decode.h"
#include "decode/text.h"
#include "decode/values.h"

namespace probity::decode {

namespace {
// RFC 5612 reserves enterprise number 32473 for documentation; Probity uses it for its
// canonical SD-IDs until it has a PEN of its own. Changing it breaks every sender.
constexpr std::string_view kAccessSdId = "access@32473";
constexpr std::string_view kEmailSdId = "email@32473";
}  // namespace

std::vector<SourceMapping> default_sources() {
  std::vector<SourceMapping> out;
  // Param names are the canonical field names, so these need no field mappings.
  SourceMapping access;
  access.name = "probity-access";
  access.kind = event::Kind::access;
  access.match.sd_id = std::string(kAccessSdId);
  access.format = PayloadFormat::sd;
  out.push_back(std::move(access));

  SourceMapping email;
  email.name = "probity-email";
  email.kind = event::Kind::email;
  email.match.sd_id = std::string(kEmailSdId);
  email.format = PayloadFormat::sd;
  out.push_back(std::move(email));

  // Applications that prefer JSON: one object per message, keys canonical (flat
  // "user.id" or nested {"user":{"id":..}}), and "event.kind" saying which kind it is.
  SourceMapping json;
  json.name = "probity-json";
  json.kind = std::nullopt;
  json.match.app_name = "probity-json";
  json.format = PayloadFormat::json;
  out.push_back(std::move(json));
  return out;
}

Result<PayloadFormat> payload_format_from_string(std::string_view s) {
  if (iequals(s, "sd")) return PayloadFormat::sd;
  if (iequals(s, "kv")) return PayloadFormat::kv;
  if (iequals(s, "json")) return PayloadFormat::json;
  return fail("decode.bad_mapping",
              "unknown payload format " + quote_for_log(s) + " (expected sd, kv or json)");
}

std::string_view to_string(PayloadFormat f) {
  switch (f) {
    case PayloadFormat::sd:
      return "sd";
    case PayloadFormat::kv:
      return "kv";
    case PayloadFormat::json:
      return "json";
  }
  return "?";
}

void DecodeCounters::record(const Error& e) {
  const std::string_view code = e.code;
  if (code == "decode.no_source")
    no_source.fetch_add(1, std::memory_order_relaxed);
  else if (code == "decode.missing_field")
    missing_field.fetch_add(1, std::memory_order_relaxed);
  else if (code == "decode.bad_value")
    bad_value.fetch_add(1, std::memory_order_relaxed);
  else
    bad_payload.fetch_add(1, std::memory_order_relaxed);  // bad_payload, too_deep, too_many_*
}

Result<void> check_source(const SourceMapping& source) {
  const std::string who = "source " + (source.name.empty() ? "(unnamed)" : source.name) + ": ";
  const auto bad = [&](std::string message) {
    return fail("decode.bad_mapping", who + std::move(message));
  };
  if (source.name.empty()) return bad("a source needs a name");
  if (source.format == PayloadFormat::sd && source.sd_id.empty() && !source.match.sd_id)
    return bad("format sd needs sd_id (or match.sd_id): the SD element holding the fields");
  if (source.format == PayloadFormat::sd && source.sd_id.find('*') != std::string::npos)
    return bad("sd_id names one element; '*' is only for match.sd_id");
  const char sep = source.kv_pair_separator;
  if (sep != ' ' && sep != ',' && sep != '|' && sep != ';')
    return bad("kv_pair_separator must be ' ', ',', '|' or ';'");

  const auto carried = [&](event::FieldId id) {
    const auto& info = event::field_info(id);
    if (!source.kind) return true;  // kind from the payload: either kind's fields
    return *source.kind == event::Kind::access ? info.on_access : info.on_email;
  };
  for (const auto& m : source.fields) {
    const auto& info = event::field_info(m.field);
    if (m.from.empty()) return bad(std::string(info.name) + " maps from an empty field name");
    if (m.field == event::FieldId::event_kind && source.kind)
      return bad("event.kind is fixed by the source's kind; map it only with kind: payload");
    if (!carried(m.field))
      return bad(std::string(info.name) + " is not a field of " +
                 std::string(event::to_string(*source.kind)) + " events");
    if (!m.time_format.empty()) {
      if (info.type != event::ValueType::time)
        return bad("time_format is for time fields, not " + std::string(info.name));
      if (!time_format_from_string(m.time_format))
        return bad("unknown time_format " + quote_for_log(m.time_format) +
                   " (expected rfc3339, epoch, epoch_ms or epoch_us)");
    }
  }
  for (const auto& [id, text] : source.constants) {
    const auto& info = event::field_info(id);
    if (id == event::FieldId::event_kind && source.kind)
      return bad("event.kind is fixed by the source's kind");
    if (!carried(id))
      return bad(std::string(info.name) + " is not a field of " +
                 std::string(event::to_string(*source.kind)) + " events");
    if (info.type == event::ValueType::integer && !parse_integer(trim(text)))
      return bad("constant " + std::string(info.name) + " is not an integer");
    if (info.type == event::ValueType::time && !event::parse_time(trim(text)))
      return bad("constant " + std::string(info.name) + " is not an RFC 3339 time");
  }
  return {};
}

}  // namespace probity::decode
