// The canonical event that rules see: an access or email event as a flat set of typed,
// dotted fields addressed by FieldId (no string maps on the hot path), plus the
// source's own fields as raw.*. Not for parsing or mapping: see decode/.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "base/result.h"

namespace probity::event {

enum class Kind : std::uint8_t { access, email };
std::string_view to_string(Kind k);
std::optional<Kind> kind_from_string(std::string_view s);

/// UTC instant with microsecond precision.
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

enum class ValueType : std::uint8_t { string, integer, time, string_list };

/// A field value; monostate means the field is absent.
using Value =
    std::variant<std::monostate, std::string, std::int64_t, Timestamp, std::vector<std::string>>;

/// Canonical fields, in one table (fields.cpp) with name, type and the kinds that carry them.
enum class FieldId : std::uint16_t {
  event_id,
  event_time,
  event_kind,
  // access
  source_system,
  source_host,
  client_ip,
  client_host,
  user_id,
  user_account,
  action,
  op,
  reason_code,
  reason_text,
  reason_ref,
  subject_type,
  subject_id,
  subject_name,
  subject_dob,
  subject_address,
  query_terms,
  result_count,
  outcome,
  // email
  gateway,
  email_direction,
  email_from,
  email_from_domain,
  email_to,
  email_to_domain,
  email_subject,
  email_message_id,
  email_size,
  email_attachments_names,
  email_attachments_count,
  email_action,
  count_  // not a field: the number of canonical fields
};
inline constexpr std::size_t kFieldCount = static_cast<std::size_t>(FieldId::count_);

/// What a value says about a person, for the pseudonymised channels (email, live page,
/// API, log): declared once per field here, and per staff(...) member in rules/.
enum class Identity : std::uint8_t {
  none,      ///< names nobody: shown as is
  staff,     ///< a staff id or login: shown as the person's pseudonym
  mailbox,   ///< a mail address: a member of staff's becomes their pseudonym; others stay
  subject,   ///< a looked-up person's name or birth date: withheld when it is a colleague or
             ///< the user themselves
  personal,  ///< a staff member's name, address, role or anything derived: always withheld
};
std::string_view to_string(Identity i);

/// Where a rendered text holds a value of an identity type: [offset, offset + length).
struct IdentitySpan {
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
  Identity identity = Identity::none;
};

struct FieldInfo {
  FieldId id;
  std::string_view name;  ///< dotted, as rules and mappings write it ("user.id")
  ValueType type;
  bool on_access;
  bool on_email;
  Identity identity = Identity::none;
};

const FieldInfo& field_info(FieldId id);
/// Looks up a canonical field by its dotted name; nullopt for anything else (raw.* included).
std::optional<FieldId> field_by_name(std::string_view name);
const std::array<FieldInfo, kFieldCount>& all_fields();

class Event {
 public:
  explicit Event(Kind kind = Kind::access);

  Kind kind() const { return kind_; }
  const Value& get(FieldId id) const { return fields_[static_cast<std::size_t>(id)]; }
  void set(FieldId id, Value v) { fields_[static_cast<std::size_t>(id)] = std::move(v); }
  /// A value of one of Value's types, put in place: no Value made and moved in (decoding
  /// sets a few dozen an event).
  template <class T>
    requires(std::is_same_v<T, std::string> || std::is_same_v<T, std::int64_t> ||
             std::is_same_v<T, Timestamp> || std::is_same_v<T, std::vector<std::string>>)
  void set(FieldId id, T v) {
    fields_[static_cast<std::size_t>(id)].template emplace<T>(std::move(v));
  }
  bool has(FieldId id) const { return !std::holds_alternative<std::monostate>(get(id)); }

  /// Convenience typed views; nullopt/empty when absent or of another type.
  std::string_view str(FieldId id) const;
  std::optional<Timestamp> time() const;

  /// The source's own fields, in arrival order (raw.<name> in rules).
  const std::vector<std::pair<std::string, std::string>>& raw() const { return raw_; }
  // Forwarded, not taken by value: a message's fields are moved here once each, and a short
  // string's move is a copy of its bytes.
  template <class Name, class Text>
  void add_raw(Name&& name, Text&& value) {
    raw_.emplace_back(std::forward<Name>(name), std::forward<Text>(value));
  }
  void reserve_raw(std::size_t n) { raw_.reserve(n); }
  /// First raw field with this name, or nullptr.
  const std::string* raw_field(std::string_view name) const;

  /// When the message that completed this event was received (journaled); not a field, not
  /// rendered: for the event-to-alert latency. Zero when the event came from elsewhere.
  Timestamp received() const { return received_; }
  void set_received(Timestamp t) { received_ = t; }

 private:
  Kind kind_;
  Timestamp received_{};
  std::array<Value, kFieldCount> fields_;
  std::vector<std::pair<std::string, std::string>> raw_;
};

/// RFC 3339 text in UTC with microseconds ("2026-11-24T20:00:00.000000Z").
std::string format_time(Timestamp t);
/// The same text written into `buf` without allocating; the view points into buf.
std::string_view format_time(Timestamp t, std::array<char, 40>& buf);
/// Parses RFC 3339 / ISO 8601 date-times with optional fraction and Z or ±hh:mm offset.
std::optional<Timestamp> parse_time(std::string_view text);

/// One JSON object per event, canonical fields by dotted name plus "raw": {...}.
std::string to_json(const Event& e);

/// An event from text exactly as to_json wrote it, read without a JSON parser (alert evidence
/// is read back to be masked); nullopt for any other text, valid JSON included: parse that.
std::optional<Event> read_own_json(std::string_view text);

/// The inverse of to_json, for replaying JSON lines: "event.kind" is required; other keys
/// must be canonical fields with values of their type (times as RFC 3339 text), or
/// "raw". Errors ("event.bad_json") name the key.
Result<Event> event_from_json(std::string_view json);

}  // namespace probity::event
