// The decode stage: turns parsed syslog messages into canonical events (access or email)
// using per-source field mappings from configuration, so a new source needs a mapping, not
// code; gateway formats whose messages span lines are assembled here. Not for framing or
// syslog parsing (syslog/), nor for rules.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "event/event.h"
#include "syslog/syslog.h"

namespace probity::state {
class ReferenceData;
}

namespace probity::decode {

/// Where a source's fields are: the params of one RFC 5424 SD element, key=value pairs in
/// MSG, a JSON object in MSG, a CEF or LEEF record in MSG, one CSV row in MSG (columns
/// named by config or by the stream's first row); or a mail gateway's log, whose
/// lines are assembled into one record per message and recipient before mapping
/// (config/GATEWAYS.md names the fields each gateway format gives).
enum class PayloadFormat : std::uint8_t {
  sd,
  kv,
  json,
  cef,
  leef,
  postfix,
  mimecast,
  exchange,
  esa,
  proofpoint,
  pod,  ///< Proofpoint on Demand's JSON message log: one record per message, not assembled
  csv
};
inline constexpr std::size_t kPayloadFormatCount = static_cast<std::size_t>(PayloadFormat::csv) + 1;
/// By its config name ("kv"); the names, decoders and assemblers are one table (formats.cpp).
Result<PayloadFormat> payload_format_from_string(std::string_view s);
std::string_view to_string(PayloadFormat f);
/// True for formats whose messages span several log lines (held by a MessageAssembler).
bool is_assembled(PayloadFormat f);

/// Bounds on a gateway's open (not yet complete) messages. A message idle for `timeout`
/// is flushed; when `max_open` are open, or they hold `max_bytes` (ids and held field
/// text), the least recently active are flushed to make room. Either way what is known is
/// emitted and the eviction is counted.
struct AssemblyLimits {
  std::chrono::seconds timeout{std::chrono::minutes(10)};
  std::size_t max_open = 20000;
  std::size_t max_bytes = std::size_t{64} << 20;
};

/// Which messages a source claims. Every criterion that is given must match; none given
/// matches everything (a catch-all, so put it last). app_name and hostname compare
/// case-insensitively; all three accept '*' as a wildcard for any run of characters
/// ("probity-*"). sd_id matches when the message has an SD element with that id.
/// app_name may list alternatives separated by '|' ("filter_instance*|sendmail").
/// message_prefix matches the start of MSG exactly ("CEF:", "LEEF:").
struct SourceMatch {
  std::optional<std::string> app_name;
  std::optional<std::string> hostname;
  std::optional<std::string> sd_id;
  std::optional<std::string> message_prefix;
};

/// One canonical field taken from one payload field. Several mappings may name the same
/// canonical field: the first (in config order) whose payload field is present wins.
struct FieldMapping {
  event::FieldId field;
  std::string from;  ///< payload field name: "user", "usr.id", nested JSON as "a.b"
  /// For time fields: "" or "rfc3339" (the default), "epoch" (seconds, fraction allowed),
  /// "epoch_ms", "epoch_us". Ignored for other types.
  std::string time_format;
};

struct SourceMapping {
  std::string name;  ///< shown in errors and metrics; part of the derived event.id
  /// nullopt: the kind comes from the payload (mapped event.kind, or a field "event.kind").
  std::optional<event::Kind> kind = event::Kind::access;
  SourceMatch match;
  PayloadFormat format = PayloadFormat::sd;
  std::string sd_id;  ///< format sd: the element holding the fields (default: match.sd_id)
  std::vector<FieldMapping> fields;
  /// Fixed values for fields the mapping does not take from the payload, e.g. gateway:
  /// "postfix". A mapped field that is present beats a constant; a constant beats a
  /// payload field that merely happens to carry the canonical name.
  std::vector<std::pair<event::FieldId, std::string>> constants;
  /// format kv: pairs are separated by whitespace, or by this character (',' or '|')
  /// with whitespace around pairs ignored. ' ' means whitespace only.
  char kv_pair_separator = ' ';
  /// format csv: the column names, in row order (csv_columns). Empty with
  /// csv_header_first_row: the first row of each stream (host + app-name) names them.
  std::vector<std::string> csv_columns;
  bool csv_header_first_row = false;
  char csv_delimiter = ',';  ///< format csv: the field delimiter (RFC 4180 quoting)
  /// Email sources: the force's own mail domains (a listed domain covers its subdomains).
  /// When the sender's and the recipient's domains are known, email.direction is derived
  /// from them: internal→internal "internal", internal→other "outbound", other→internal
  /// "inbound". Empty: the gateway's own direction field (if mapped) is used as sent.
  std::vector<std::string> internal_domains;
  AssemblyLimits assembly;  ///< gateway formats only
};

/// Limits on hostile payloads; exceeding one rejects the message (never truncates).
inline constexpr std::size_t kMaxPayloadFields = 256;     ///< "decode.too_many_fields"
inline constexpr std::size_t kMaxJsonDepth = 16;          ///< "decode.too_deep"
inline constexpr std::size_t kMaxRecipients = 256;        ///< per email message
inline constexpr std::size_t kMaxAssemblyKeyBytes = 256;  ///< longer message ids are hashed
inline constexpr std::size_t kMaxHeldValueBytes = 4096;   ///< a value held for assembly
inline constexpr std::size_t kMaxCsvStreams = 4096;       ///< header rows remembered per source
inline constexpr std::size_t kMaxCsvHeaderBytes = 16384;  ///< one header row's text

/// Outcomes by reason, for metrics. Owned by the caller so counts survive a reload that
/// replaces the Decoder; updated with relaxed atomics from any thread.
struct DecodeCounters {
  std::atomic<std::uint64_t> decoded{0};        ///< messages that gave event(s)
  std::atomic<std::uint64_t> no_source{0};      ///< decode.no_source
  std::atomic<std::uint64_t> bad_payload{0};    ///< decode.bad_payload, too_deep, too_many_*
  std::atomic<std::uint64_t> missing_field{0};  ///< decode.missing_field
  std::atomic<std::uint64_t> bad_value{0};      ///< decode.bad_value
  /// Gateway lines taken into an open message (no event yet), and open messages
  /// flushed before they were complete: idle past the timeout, or pushed out at max_open.
  std::atomic<std::uint64_t> assembled_lines{0};
  std::atomic<std::uint64_t> evicted_timeout{0};
  std::atomic<std::uint64_t> evicted_capacity{0};
  /// Open messages flushed early because the source's assembly held max_bytes.
  std::atomic<std::uint64_t> evicted_bytes{0};
  /// Per-stream entries (CSV header rows, Exchange #Fields layouts, ESA connection ids)
  /// forgotten, least recently used first, when their table was full.
  std::atomic<std::uint64_t> streams_evicted{0};
  /// Gateway messages that left their assembly unfinished, for whatever reason (timeout,
  /// max_open, max_bytes, or the flush of everything at shutdown or end of input), by gateway
  /// format (indexed by PayloadFormat; only assembled formats count). What they knew was
  /// emitted: e.g. a Mimecast receipt whose delivery never came, as "accepted".
  std::array<std::atomic<std::uint64_t>, kPayloadFormatCount> flushed_incomplete{};

  /// Counts one failed message under its reason (by Error::code).
  void record(const Error& e);
  void count_flushed_incomplete(PayloadFormat f) {
    flushed_incomplete[static_cast<std::size_t>(f)].fetch_add(1, std::memory_order_relaxed);
  }
};

/// Checks a mapping the way the config loader should before building a Decoder: fields
/// carried by the kind, known time formats, an SD-ID for format sd, a sane separator.
/// Error codes "decode.bad_mapping"; the message names the source.
Result<void> check_source(const SourceMapping& source);

/// Selects a source per message and builds the canonical event(s).
///
/// Threading contract: a Decoder holds the open messages of its gateway sources (Postfix
/// lines wait for their queue id's delivery line), so decode_into() and flush_expired()
/// mutate it and must be called from one thread at a time: the pipeline calls both on its
/// single I/O thread. select() and sources() are const and safe anywhere. A reload that
/// rebuilds the Decoder drops open messages (flush_all() first to keep them).
class Decoder {
 public:
  /// `reference` (may be null) resolves email senders to staff ids; `counters` (may be
  /// null) is updated on every call. Both must outlive the Decoder.
  Decoder(std::vector<SourceMapping> sources, const state::ReferenceData* reference,
          DecodeCounters* counters = nullptr);
  ~Decoder();
  Decoder(Decoder&&) noexcept;
  Decoder& operator=(Decoder&&) noexcept;

  /// The first source, in config order, whose match fits; nullptr when none does.
  const SourceMapping* select(const syslog::SyslogMessage& msg) const;

  /// Decodes a message that carries one event. An email to several recipients gives one
  /// event per recipient (PRODUCT.md), so this fails with "decode.multiple_events" for
  /// those: the pipeline calls decode_into(). receive_time is the event time of last
  /// resort and the reference "now" for RFC 3164 timestamps, which carry no year.
  /// A gateway line that completes nothing gives "decode.multiple_events" too (0 events).
  Result<event::Event> decode(const syslog::SyslogMessage& msg, event::Timestamp receive_time);

  /// Appends the message's event(s) to `out` (one per email recipient) and returns how
  /// many; on error `out` is unchanged. For gateway sources a line may give none (it is
  /// held until its message completes) or events of an earlier message it completes or
  /// pushes out. receive_time is also the assembly clock.
  Result<std::size_t> decode_into(const syslog::SyslogMessage& msg, event::Timestamp receive_time,
                                  std::vector<event::Event>& out);

  /// Flushes gateway messages idle past their source's timeout, appending what they give.
  /// Called about once a second from the I/O thread's timer. Records that cannot be
  /// mapped (e.g. no sender was ever seen) are counted by reason, not returned.
  std::size_t flush_expired(event::Timestamp now, std::vector<event::Event>& out);
  /// Flushes every open message (end of `probity parse` input, orderly shutdown).
  std::size_t flush_all(std::vector<event::Event>& out);
  /// Gateway messages open now, over all sources.
  std::size_t open_messages() const;

  const std::vector<SourceMapping>& sources() const { return sources_; }

 private:
  struct Plan;  // per-source look-up tables (and assembler) built once in the constructor
  Result<std::size_t> decode_with(const SourceMapping& source, Plan& plan,
                                  const syslog::SyslogMessage& msg, event::Timestamp receive_time,
                                  std::vector<event::Event>& out);
  std::size_t map_flushed(std::size_t source_index, bool all, event::Timestamp now,
                          std::vector<event::Event>& out);

  std::vector<SourceMapping> sources_;
  std::vector<Plan> plans_;
  const state::ReferenceData* reference_;
  DecodeCounters* counters_;
};

/// The embedded sources, which the config loader appends after the configured ones:
/// "probity-access" (SD-ID access@32473) and "probity-email" (SD-ID email@32473), whose
/// param names are the canonical field names, and "probity-json" (app-name probity-json,
/// a JSON object whose "event.kind" gives the kind). config/SOURCES.md describes them.
/// Then the gateway and generic-format defaults (postfix, cef, leef, mimecast, ...),
/// described in config/GATEWAYS.md.
std::vector<SourceMapping> default_sources();

/// email.direction from the sender's and recipient's domains (lower-case) and the
/// internal domains; nullopt when either domain is unknown or both are external.
std::optional<std::string_view> derive_direction(std::string_view from_domain,
                                                 std::string_view to_domain,
                                                 const std::vector<std::string>& internal_domains);

}  // namespace probity::decode
