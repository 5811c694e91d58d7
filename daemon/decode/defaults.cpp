// The embedded sources (Probity's own canonical forms), the load-time check of a mapping, and
// counting by error code (format names: formats.cpp). Administrators' description:
// config/SOURCES.md. Not for decoding: see decoder.cpp.
#include <algorithm>

#include "decode/decode.h"
#include "decode/text.h"
#include "decode/values.h"

namespace probity::decode {

namespace {

FieldMapping map(event::FieldId field, std::string from) {
  return FieldMapping{field, std::move(from), {}};
}

/// The defaults for gateways and generic formats (config/GATEWAYS.md). Their match is
/// narrow (the program name a product logs under, or a "CEF:" / "LEEF:" prefix), so they
/// claim nothing else; a config source with the same name replaces one.
std::vector<SourceMapping> gateway_sources() {
  using F = event::FieldId;
  std::vector<SourceMapping> out;

  // Records from the gateway assemblers (postfix.cpp, mimecast.cpp, ...) name their fields
  // alike on purpose, so every gateway source reads them with one map.
  const auto gateway = [](std::string name, std::string app_names, PayloadFormat format) {
    SourceMapping m;
    m.name = name;
    m.kind = event::Kind::email;
    m.match.app_name = std::move(app_names);
    m.format = format;
    m.fields = {map(F::email_from, "from"),          map(F::email_to, "to"),
                map(F::email_subject, "subject"),    map(F::email_message_id, "message_id"),
                map(F::email_size, "size"),          map(F::email_action, "action"),
                map(F::email_direction, "direction")};
    m.constants = {{F::gateway, std::move(name)}};
    return m;
  };

  // postfix/smtpd, postfix-out/smtp, ...; and "postfix" alone, which rsyslog makes of an
  // imfile tag "postfix/..." (it cuts program names at '/').
  out.push_back(gateway("postfix", "postfix*", PayloadFormat::postfix));

  SourceMapping mimecast = gateway("mimecast", "mimecast*", PayloadFormat::mimecast);
  mimecast.fields.push_back(map(F::email_attachments_names, "attachment_names"));
  mimecast.fields.push_back(map(F::email_attachments_count, "attachment_count"));
  out.push_back(std::move(mimecast));

  // Exchange Online message trace rows first: "exchange*" below would claim them too.
  out.push_back(
      gateway("exchange-online", "exchange-online*|messagetrace*", PayloadFormat::exchange));
  out.push_back(gateway("exchange", "exchange*|msexchange*|msgtrk*", PayloadFormat::exchange));

  // "mail_logs" is the name AsyncOS gives the mail log subscription; syslog push sends it
  // as the program name.
  SourceMapping esa =
      gateway("cisco-esa", "mail_logs*|cisco-esa*|cisco_esa*|esa*", PayloadFormat::esa);
  esa.fields.push_back(map(F::email_attachments_names, "attachment_names"));
  out.push_back(std::move(esa));

  // Proofpoint on Demand's message log, one JSON object per message (pod.cpp). Before
  // "proofpoint" below, whose "proofpoint*" would claim the tag too.
  SourceMapping pod = gateway("proofpoint-pod", "proofpoint-pod*|pod-message*", PayloadFormat::pod);
  pod.fields.push_back(map(F::email_attachments_names, "attachment_names"));
  pod.fields.push_back(map(F::email_attachments_count, "attachment_count"));
  pod.fields.push_back(map(F::event_id, "guid"));
  pod.fields.push_back(FieldMapping{F::event_time, "ts", {}});
  pod.fields.push_back(map(F::source_host, "agent"));
  out.push_back(std::move(pod));

  // Proofpoint TAP's own syslog form: one RFC 5424 message per delivered or blocked message
  // (MSGID MSGDLV / MSGBLK), its fields in the SD element tapmsg@21139, the recipients
  // comma-separated in one param. Delivered or blocked is only in the MSGID, which a source
  // cannot match on, so email.action stays unset (the raw fields keep the rest).
  SourceMapping tap;
  tap.name = "proofpoint-tap";
  tap.kind = event::Kind::email;
  tap.match.sd_id = "tapmsg@21139";
  tap.format = PayloadFormat::sd;
  tap.fields = {map(F::email_from, "sender"),      map(F::email_to, "recipient"),
                map(F::email_subject, "subject"),  map(F::email_message_id, "messageID"),
                map(F::email_size, "messageSize"), map(F::event_id, "GUID")};
  tap.constants = {{F::gateway, "proofpoint-tap"}};
  out.push_back(std::move(tap));

  // PPS logs its filter as filter_instanceN and its MTA as sendmail; one source reads both
  // because they are joined by qid.
  out.push_back(
      gateway("proofpoint", "filter_instance*|sendmail*|proofpoint*", PayloadFormat::proofpoint));

  // CEF and LEEF carry any product's events; these defaults read them as access audit
  // with the keys those specs define for the acting user, the client and the action.
  SourceMapping cef;
  cef.name = "cef";
  cef.kind = event::Kind::access;
  cef.match.message_prefix = "CEF:";
  cef.format = PayloadFormat::cef;
  cef.fields = {map(F::user_id, "suser"),
                map(F::user_account, "suid"),
                map(F::client_ip, "src"),
                map(F::client_host, "shost"),
                map(F::source_system, "deviceProduct"),
                map(F::source_host, "dvchost"),
                map(F::action, "act"),
                map(F::outcome, "outcome"),
                map(F::reason_text, "reason"),
                map(F::subject_id, "duser"),
                map(F::event_id, "externalId")};
  out.push_back(std::move(cef));

  SourceMapping leef;
  leef.name = "leef";
  leef.kind = event::Kind::access;
  leef.match.message_prefix = "LEEF:";
  leef.format = PayloadFormat::leef;
  leef.fields = {map(F::user_id, "usrName"),
                 map(F::client_ip, "src"),
                 map(F::client_host, "identHostName"),
                 map(F::source_system, "product"),
                 map(F::action, "eventId"),
                 map(F::outcome, "outcome"),
                 map(F::subject_id, "resource")};
  out.push_back(std::move(leef));
  return out;
}

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
  for (auto& s : gateway_sources()) out.push_back(std::move(s));
  return out;
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
  if (is_assembled(source.format) && source.kind != event::Kind::email)
    return bad("format " + std::string(to_string(source.format)) +
               " gives email events: kind email");
  if (source.assembly.max_open == 0) return bad("assembly.max_open must be at least 1");
  if (source.assembly.max_bytes == 0) return bad("assembly.max_mb must be at least 1");
  if (source.assembly.timeout.count() <= 0) return bad("assembly.timeout must be positive");
  const char sep = source.kv_pair_separator;
  if (sep != ' ' && sep != ',' && sep != '|' && sep != ';')
    return bad("kv_pair_separator must be ' ', ',', '|' or ';'");
  if (source.format == PayloadFormat::csv) {
    if (source.csv_columns.empty() == !source.csv_header_first_row)
      return bad("format csv needs either csv_columns or csv_header: first_row");
    if (source.csv_columns.size() > kMaxPayloadFields)
      return bad("csv_columns lists more than " + std::to_string(kMaxPayloadFields) + " columns");
    for (std::size_t i = 0; i < source.csv_columns.size(); ++i) {
      const std::string& c = source.csv_columns[i];
      if (c.empty() || trim(c) != c)
        return bad("csv_columns entry " + std::to_string(i + 1) +
                   " must be a name without surrounding spaces");
      if (std::find(source.csv_columns.begin(), source.csv_columns.begin() + i, c) !=
          source.csv_columns.begin() + i)
        return bad("csv_columns names " + quote_for_log(c) + " twice");
    }
    const char d = source.csv_delimiter;
    if (d == '"' || d == '\r' || d == '\n' || d == '\0')
      return bad("csv_delimiter cannot be '\"', a line end or NUL");
  } else if (!source.csv_columns.empty() || source.csv_header_first_row ||
             source.csv_delimiter != ',') {
    return bad("csv_columns, csv_header and csv_delimiter are for format csv");
  }

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
