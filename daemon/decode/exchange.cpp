// Payload format "exchange": Exchange Server message-tracking logs, one CSV row
// per syslog message with the log's own "#..." header lines sent first on the
// same stream, assembled by message into one record per recipient; and Exchange
// Online message trace rows (the objects Get-MessageTrace returns, as one JSON
// object per line), one record each. Not for Exchange's other logs
// (connectivity, protocol, agent): their rows are read and ignored.
//
// Message tracking (learn.microsoft.com, "Message tracking" / "Search message
// tracking logs"): the header is `#Software`, `#Version`, `#Log-type`, `#Date`,
// `#Fields: a,b,...`. The field order is read from #Fields (Exchange 2013+
// writes 30 fields; older versions fewer, without network-message-id,
// transport-traffic-type, log-id, schema-version), kept per stream (syslog host
// + app-name), since several servers may forward at once. Rows are CSV (RFC
// 4180 quoting: a subject with commas is quoted, '"' doubled).
// recipient-address holds one or more addresses separated by ';'.
//
// Lines of one message share network-message-id (else message-id, else the
// server's internal-message-id). The final event for a recipient emits its
// record: DELIVER (to a mailbox) and SEND/SENDEXTERNAL (out of the
// organisation) give "delivered"; FAIL, DROP, POISONMESSAGE, BADMAIL give
// "rejected"; the first DEFER "deferred". A SEND over an Intra-Organization
// connector is a hop between servers, not final. RECEIVE, SUBMIT, AGENTINFO,
// EXPAND, RESOLVE, REDIRECT... only add what the message is known by. Messages
// stay open until the timeout (so a second server's DELIVER after a hop is not
// a second event); a recipient that was received but never reached a final
// event is then emitted without email.action, and the message counted as
// evicted.
#include <algorithm>
#include <array>
#include <unordered_map>

#include "decode/assembler.h"
#include "decode/email.h"
#include "decode/lru_table.h"
#include "decode/text.h"
#include "decode/values.h"

namespace probity::decode {
namespace {

/// The message-tracking columns the assembler reads, by their #Fields names.
enum Column : std::uint8_t {
  kDateTime,
  kClientIp,
  kClientHostname,
  kServerHostname,
  kSourceContext,
  kConnectorId,
  kSource,
  kEventId,
  kInternalMessageId,
  kMessageId,
  kNetworkMessageId,
  kRecipientAddress,
  kRecipientStatus,
  kTotalBytes,
  kRelatedRecipientAddress,
  kMessageSubject,
  kSenderAddress,
  kReturnPath,
  kDirectionality,
  kOriginalClientIp,
  kColumnCount
};

constexpr std::array<std::string_view, kColumnCount> kColumnNames = {
    "date-time",        "client-ip",          "client-hostname",
    "server-hostname",  "source-context",     "connector-id",
    "source",           "event-id",           "internal-message-id",
    "message-id",       "network-message-id", "recipient-address",
    "recipient-status", "total-bytes",        "related-recipient-address",
    "message-subject",  "sender-address",     "return-path",
    "directionality",   "original-client-ip"};

/// Exchange 2013 and later, used for a stream whose #Fields header was not seen
/// (Probity started mid-file) when a row has exactly this many fields.
constexpr std::string_view kDefaultFields =
    "date-time,client-ip,client-hostname,server-ip,server-hostname,source-"
    "context,"
    "connector-id,source,event-id,internal-message-id,message-id,network-"
    "message-id,"
    "recipient-address,recipient-status,total-bytes,recipient-count,"
    "related-recipient-address,reference,message-subject,sender-address,return-"
    "path,"
    "message-info,directionality,tenant-id,original-client-ip,original-server-"
    "ip,custom-data,"
    "transport-traffic-type,log-id,schema-version";

constexpr std::size_t kMaxStreams = 4096;  // header layouts remembered (host + app-name)

constexpr std::size_t kNoColumn = static_cast<std::size_t>(-1);

/// Where each read column sits in a row, from one #Fields header.
struct Layout {
  std::size_t field_count = 0;
  std::array<std::size_t, kColumnCount> at;
  bool tracking = true;  // #Log-type said "Message Tracking Log" (or said nothing)
};

Layout layout_of(std::string_view fields) {
  Layout l;
  l.at.fill(kNoColumn);
  std::size_t i = 0;
  for (;;) {
    const std::size_t comma = fields.find(',');
    const std::string_view name = trim(fields.substr(0, comma));
    for (std::size_t c = 0; c < kColumnCount; ++c)
      if (iequals(name, kColumnNames[c]) && l.at[c] == kNoColumn) l.at[c] = i;
    ++i;
    if (comma == std::string_view::npos) break;
    fields.remove_prefix(comma + 1);
  }
  l.field_count = i;
  return l;
}

bool contains(const std::vector<std::string>& items, std::string_view item) {
  return std::any_of(items.begin(), items.end(),
                     [&](const std::string& s) { return iequals(s, item); });
}

void insert(std::vector<std::string>& items, std::string_view item) {
  if (!item.empty() && items.size() < kMaxRecipients && !contains(items, item))
    items.emplace_back(item);
}

/// "2026-03-01T11:00:00.1234567" (UTC without a zone, as Get-MessageTrace's
/// DateTime serialises in PowerShell 7) or "/Date(1772362800000)/" (Windows
/// PowerShell 5.1).
std::optional<event::Timestamp> trace_time(std::string_view text) {
  text = trim(text);
  if (text.starts_with("/Date(") || text.starts_with("\\/Date(")) {
    const std::size_t open = text.find('(') + 1;
    const std::size_t end = text.find_first_of(")+-", open + 1);
    if (end == std::string_view::npos) return std::nullopt;
    return parse_time_as(text.substr(open, end - open), TimeFormat::epoch_ms);
  }
  if (auto t = event::parse_time(text)) return t;
  if (text.size() >= 19 && text[10] == 'T') return event::parse_time(std::string(text) + "Z");
  return std::nullopt;
}

/// Get-MessageTrace Status → email.action; nullopt for states that are not an
/// outcome (Expanded, Resolved, GettingStatus, None). The Status itself stays
/// in raw.status.
std::optional<std::string_view> trace_action(std::string_view status) {
  status = trim(status);
  if (iequals(status, "Delivered")) return "delivered";
  if (iequals(status, "Failed")) return "rejected";
  if (iequals(status, "Quarantined") || iequals(status, "FilteredAsSpam")) return "quarantined";
  if (iequals(status, "Pending")) return "deferred";
  return std::nullopt;
}

struct ExchangeMessage {
  std::string key, sender, subject, message_id, network_message_id, size, direction;
  std::string client_ip, client_hostname, original_client_ip, return_path;
  std::vector<std::string> expected;  // every recipient the message was seen for
  std::vector<std::string> done;      // recipients whose final event was emitted
  std::vector<std::string> deferred;  // recipients whose deferral was emitted
  std::optional<event::Timestamp> time;
  std::string host, last_event;
  std::size_t bytes() const {
    return held_bytes(key, sender, subject, message_id, network_message_id, size, direction) +
           held_bytes(client_ip, client_hostname, original_client_ip, return_path, host,
                      last_event) +
           held_bytes(expected) + held_bytes(done) + held_bytes(deferred);
  }
};

class ExchangeAssembler final : public OneTableAssembler<ExchangeMessage> {
 public:
  ExchangeAssembler(const SourceMapping& source, DecodeCounters* counters)
      : OneTableAssembler(source, counters), source_(source) {}

  Result<void> feed(const syslog::SyslogMessage& msg, event::Timestamp now,
                    std::vector<AssembledRecord>& out) override {
    const std::string_view text = trim(message_text(msg));
    if (text.empty()) return {};
    const std::string stream =
        std::string(msg.hostname.value_or("-")) + '\x1f' + std::string(msg.app_name.value_or("-"));
    if (text.front() == '#') {
      header(stream, text);
      return {};
    }
    std::optional<event::Timestamp> header_time;
    if (msg.timestamp) header_time = parse_header_time(*msg.timestamp, msg.protocol, now);
    if (text.front() == '{') return trace_row(msg, header_time, out);
    return tracking_row(stream, text, msg, header_time, now, out);
  }

 private:
  bool flushed(ExchangeMessage& m, std::vector<AssembledRecord>& out) override {
    return unfinished(m, out);
  }

  void header(const std::string& stream, std::string_view text) {
    const std::size_t colon = text.find(':');
    if (colon == std::string_view::npos) return;
    const std::string_view name = trim(text.substr(1, colon - 1));
    const std::string_view value = trim(text.substr(colon + 1));
    if (iequals(name, "Fields")) {
      Layout l = layout_of(value);
      if (const Layout* old = layouts_.find(stream)) l.tracking = old->tracking;
      remember(stream, l);
    } else if (iequals(name, "Log-type")) {
      // A new file starts: its own #Fields follows. Until then keep the old
      // layout.
      const Layout* old = layouts_.find(stream);
      Layout l = old ? *old : layout_of(kDefaultFields);
      l.tracking = to_lower(value).find("message tracking") != std::string::npos;
      remember(stream, l);
    }
  }

  void remember(const std::string& stream, const Layout& l) {
    // Least recently used goes: a flood of hosts cannot grow this nor push out a stream
    // that is sending rows.
    if (layouts_.put(stream, l) && counters_)
      counters_->streams_evicted.fetch_add(1, std::memory_order_relaxed);
  }

  Result<void> tracking_row(const std::string& stream, std::string_view text,
                            const syslog::SyslogMessage& msg,
                            std::optional<event::Timestamp> header_time, event::Timestamp now,
                            std::vector<AssembledRecord>& out) {
    auto cells = split_csv(text, ',', unquoted_);
    if (!cells) return tl::unexpected(std::move(cells.error()));
    const Layout* layout = layouts_.find(stream);
    if (!layout) {
      static const Layout kDefault = layout_of(kDefaultFields);
      if (cells->size() != kDefault.field_count)
        return fail("decode.bad_payload",
                    "Exchange row of " + std::to_string(cells->size()) +
                        " fields before any #Fields header from this host and app-name "
                        "(forward the log's header lines too)");
      layout = &kDefault;
    }
    if (!layout->tracking) return {};  // a connectivity or agent log on the same stream
    if (cells->size() != layout->field_count)
      return fail("decode.bad_payload", "Exchange row has " + std::to_string(cells->size()) +
                                            " fields, its #Fields header " +
                                            std::to_string(layout->field_count) +
                                            " (a cut or merged line)");
    const auto cell = [&](Column c) -> std::string_view {
      const std::size_t at = layout->at[c];
      return at == kNoColumn ? std::string_view{} : trim((*cells)[at]);
    };

    std::string key(cell(kNetworkMessageId));
    if (key.empty()) key = cell(kMessageId);
    if (key.empty() && !cell(kInternalMessageId).empty())
      key = std::string(cell(kInternalMessageId)) + "@" + std::string(cell(kServerHostname));
    if (key.empty()) return {};
    count_line();

    ExchangeMessage& m = open_.open(key, now, [&](ExchangeMessage&& old, Evicted why) {
      if (unfinished(old, out)) count_evicted(why);
    });
    if (m.key.empty()) m.key = key;
    take(m.sender, cell(kSenderAddress));
    take(m.subject, cell(kMessageSubject));
    take(m.message_id, cell(kMessageId));
    take(m.network_message_id, cell(kNetworkMessageId));
    take(m.size, cell(kTotalBytes));
    take(m.direction, cell(kDirectionality));
    take(m.return_path, cell(kReturnPath));
    take(m.original_client_ip, cell(kOriginalClientIp));
    const std::string event_id = to_lower(cell(kEventId));
    if (event_id == "receive" && m.client_ip.empty()) {  // the first RECEIVE: the submitter
      take(m.client_ip, cell(kClientIp));
      take(m.client_hostname, cell(kClientHostname));
    }
    m.last_event = event_id;
    m.time = cell(kDateTime).empty() ? header_time : event::parse_time(cell(kDateTime));
    if (!m.time) m.time = header_time;
    m.host = std::string(cell(kServerHostname));
    if (m.host.empty()) m.host = msg.hostname.value_or("");

    const std::vector<std::string> recipients = split_addresses(cell(kRecipientAddress));
    std::string_view action;
    if (event_id == "deliver")
      action = "delivered";
    else if (event_id == "send" || event_id == "sendexternal")
      action = to_lower(cell(kConnectorId)).find("intra-organization") == std::string::npos
                   ? "delivered"
                   : "";
    else if (event_id == "fail" || event_id == "drop" || event_id == "poisonmessage" ||
             event_id == "badmail")
      action = "rejected";
    else if (event_id == "defer")
      action = "deferred";
    if (event_id == "expand" || event_id == "resolve" || event_id == "redirect") {
      // The related address (a group, an alias) became these recipients: it
      // needs no event.
      for (const auto& r : split_addresses(cell(kRelatedRecipientAddress))) {
        insert(m.expected, r);
        insert(m.done, r);
      }
    }
    if (event_id == "duplicatedeliver")
      for (const auto& r : recipients) insert(m.done, r);
    for (const auto& r : recipients) {
      insert(m.expected, r);
      if (action.empty() || contains(m.done, r)) continue;
      if (action == "deferred") {
        if (contains(m.deferred, r)) continue;  // Exchange retries and logs each one
        insert(m.deferred, r);
      } else {
        insert(m.done, r);
      }
      AssembledRecord rec = record(m, r, action);
      Payload& p = rec.payload;
      add_field(p, "event-id", cell(kEventId));
      add_field(p, "recipient-status", cell(kRecipientStatus));
      add_field(p, "source", cell(kSource));
      add_field(p, "source-context", cell(kSourceContext));
      add_field(p, "connector-id", cell(kConnectorId));
      add_field(p, "related-recipient-address", cell(kRelatedRecipientAddress));
      out.push_back(std::move(rec));
    }
    return {};
  }

  Result<void> trace_row(const syslog::SyslogMessage& msg,
                         std::optional<event::Timestamp> header_time,
                         std::vector<AssembledRecord>& out) {
    Result<Payload> fields = json_payload_decoder().decode(msg, source_);
    if (!fields) return tl::unexpected(std::move(fields.error()));
    const auto field = [&](std::string_view name) -> std::string_view {
      for (const auto& f : *fields)
        if (iequals(f.name, name)) return trim(f.value);
      return {};
    };
    if (field("RecipientAddress").empty() && field("SenderAddress").empty())
      return {};  // not a message trace row (a summary, a query's metadata)
    AssembledRecord r;
    r.time = trace_time(field("Received"));
    if (!r.time) r.time = header_time;
    r.host = msg.hostname.value_or("");
    Payload& p = r.payload;
    add_field(p, "from", field("SenderAddress"));
    add_field(p, "to", field("RecipientAddress"));
    add_field(p, "subject", field("Subject"));
    add_field(p, "message_id", field("MessageId"));
    add_field(p, "size", field("Size"));
    if (const auto action = trace_action(field("Status"))) add_field(p, "action", *action);
    add_field(p, "status", field("Status"));
    add_field(p, "from_ip", field("FromIP"));
    add_field(p, "to_ip", field("ToIP"));
    add_field(p, "message_trace_id", field("MessageTraceId"));
    add_field(p, "organization", field("Organization"));
    add_field(p, "received", field("Received"));
    out.push_back(std::move(r));
    return {};
  }

  /// Emits, without an action, the recipients that never reached a final event;
  /// true when there were any (the message was flushed incomplete).
  static bool unfinished(const ExchangeMessage& m, std::vector<AssembledRecord>& out) {
    bool any = false;
    for (const auto& r : m.expected) {
      if (contains(m.done, r) || contains(m.deferred, r)) continue;
      AssembledRecord rec = record(m, r, {});
      add_field(rec.payload, "event-id", m.last_event);
      out.push_back(std::move(rec));
      any = true;
    }
    return any;
  }

  static void take(std::string& slot, std::string_view value) {
    value = trim(value);
    if (!value.empty() && slot.empty()) slot = value;
  }

  // Deliberately parallel to the other gateway assemblers' record(): each maps its own log's
  // fields onto the shared record names, so the lists look alike but are not one list.
  static AssembledRecord record(const ExchangeMessage& m, std::string_view to,
                                std::string_view action) {
    AssembledRecord r;
    r.time = m.time;
    r.host = m.host;
    Payload& p = r.payload;
    add_field(p, "from", m.sender);
    add_field(p, "to", to);
    add_field(p, "action", action);
    add_field(p, "subject", m.subject);
    add_field(p, "message_id", m.message_id);
    add_field(p, "size", m.size);
    add_field(p, "direction", m.direction);
    add_field(p, "network-message-id", m.network_message_id);
    add_field(p, "client-ip", m.client_ip);
    add_field(p, "client-hostname", m.client_hostname);
    add_field(p, "original-client-ip", m.original_client_ip);
    add_field(p, "return-path", m.return_path);
    return r;
  }

  const SourceMapping& source_;
  LruTable<Layout> layouts_{kMaxStreams};  // by host '\x1f' app-name
  std::vector<std::string> unquoted_;      // scratch for split_csv
};

}  // namespace

std::unique_ptr<MessageAssembler> make_exchange_assembler(const SourceMapping& source,
                                                          DecodeCounters* counters) {
  return std::make_unique<ExchangeAssembler>(source, counters);
}

}  // namespace probity::decode
