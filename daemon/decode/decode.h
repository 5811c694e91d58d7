// The decode stage: turns one parsed syslog message into one canonical event (access or
// email) using per-source field mappings from configuration, so a new source needs a
// mapping, not code. Not for framing or syslog parsing (syslog/), nor for rules.
#pragma once

#include <atomic>
#include <cstdint>
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
/// MSG, or a JSON object in MSG. Gateway formats (CEF, LEEF, Postfix...) join this list.
enum class PayloadFormat : std::uint8_t { sd, kv, json };
Result<PayloadFormat> payload_format_from_string(std::string_view s);  // "sd" | "kv" | "json"
std::string_view to_string(PayloadFormat f);

/// Which messages a source claims. Every criterion that is given must match; none given
/// matches everything (a catch-all, so put it last). app_name and hostname compare
/// case-insensitively; all three accept '*' as a wildcard for any run of characters
/// ("probity-*"). sd_id matches when the message has an SD element with that id.
struct SourceMatch {
  std::optional<std::string> app_name;
  std::optional<std::string> hostname;
  std::optional<std::string> sd_id;
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
};

/// Limits on hostile payloads; exceeding one rejects the message (never truncates).
inline constexpr std::size_t kMaxPayloadFields = 256;  ///< "decode.too_many_fields"
inline constexpr std::size_t kMaxJsonDepth = 16;       ///< "decode.too_deep"
inline constexpr std::size_t kMaxRecipients = 256;     ///< per email message

/// Outcomes by reason, for metrics. Owned by the caller so counts survive a reload that
/// replaces the Decoder; updated with relaxed atomics from any thread.
struct DecodeCounters {
  std::atomic<std::uint64_t> decoded{0};        ///< messages that gave event(s)
  std::atomic<std::uint64_t> no_source{0};      ///< decode.no_source
  std::atomic<std::uint64_t> bad_payload{0};    ///< decode.bad_payload, too_deep, too_many_*
  std::atomic<std::uint64_t> missing_field{0};  ///< decode.missing_field
  std::atomic<std::uint64_t> bad_value{0};      ///< decode.bad_value

  /// Counts one failed message under its reason (by Error::code).
  void record(const Error& e);
};

/// Checks a mapping the way the config loader should before building a Decoder: fields
/// carried by the kind, known time formats, an SD-ID for format sd, a sane separator.
/// Error codes "decode.bad_mapping"; the message names the source.
Result<void> check_source(const SourceMapping& source);

/// Selects a source per message and builds the canonical event. Immutable once built, so
/// one instance is shared by all pipeline threads; a reload builds a new one.
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
  Result<event::Event> decode(const syslog::SyslogMessage& msg,
                              event::Timestamp receive_time) const;

  /// Appends the message's event(s) to `out` (one per email recipient) and returns how
  /// many; on error `out` is unchanged.
  Result<std::size_t> decode_into(const syslog::SyslogMessage& msg, event::Timestamp receive_time,
                                  std::vector<event::Event>& out) const;

  const std::vector<SourceMapping>& sources() const { return sources_; }

 private:
  struct Plan;  // per-source look-up tables built once in the constructor
  Result<std::size_t> decode_with(const SourceMapping& source, const Plan& plan,
                                  const syslog::SyslogMessage& msg, event::Timestamp receive_time,
                                  std::vector<event::Event>& out) const;

  std::vector<SourceMapping> sources_;
  std::vector<Plan> plans_;
  const state::ReferenceData* reference_;
  DecodeCounters* counters_;
};

/// The embedded sources, which the config loader appends after the configured ones:
/// "probity-access" (SD-ID access@32473) and "probity-email" (SD-ID email@32473), whose
/// param names are the canonical field names, and "probity-json" (app-name probity-json,
/// a JSON object whose "event.kind" gives the kind). config/SOURCES.md describes them.
std::vector<SourceMapping> default_sources();

}  // namespace probity::decode
