// Key and value encodings for the reference tables (tables.h says which goes where).
// Values are CBOR maps with a "v" version so a later build can tell old rows apart. The
// registers are encoded generically from their descriptors (reference_tables.h's
// kRegisters): one CBOR key per field, so a new register needs no codec of its own.
// Internal to state/; other stages see typed records only.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "state/keys.h"
#include "state/reference.h"
#include "state/reference_tables.h"

namespace probity::state {

std::string encode_staff(const StaffRecord& r);
/// nullopt when the bytes are not a v1 staff value (corrupt or from another schema).
std::optional<StaffRecord> decode_staff(std::string_view bytes);

/// One declared association of a (staff, party) pair; a pair may carry several kinds.
/// One kind of one (staff, party) pair. The identity fields (dob .. address) are stored only
/// when given, so values written before they existed decode unchanged (and as empty).
struct AssociationEntry {
  AssociationKind kind = AssociationKind::other;
  std::string party_name;
  std::optional<Timestamp> declared_on;
  std::string party_dob{};
  std::vector<std::string> party_aliases{};
  std::vector<std::string> party_ids{};
  std::string party_address{};
};
std::string encode_associations(const std::vector<AssociationEntry>& entries);
std::optional<std::vector<AssociationEntry>> decode_associations(std::string_view bytes);

std::string encode_system(VettingLevel required);
std::optional<VettingLevel> decode_system(std::string_view bytes);

std::string encode_list_meta(Timestamp updated);
std::optional<Timestamp> decode_list_meta(std::string_view bytes);

/// Version field inside every encoded reference value ("v"), checked on decode.
inline constexpr int kValueVersion = 1;

// The CBOR plumbing the encoders share (codec.cpp), declared for the register templates.
namespace cbor {
using Json = nlohmann::json;
/// Times are µs since the epoch: compact, and no text parsing on the hot path.
Json time_value(const std::optional<Timestamp>& t);
std::optional<Timestamp> time_from(const Json& j, std::string_view name);
std::string to_bytes(const Json& j);
/// A CBOR map carrying kValueVersion; anything else is nullopt.
std::optional<Json> from_bytes(std::string_view bytes);

/// One field's stored form: enums as their number, times as µs (null when absent), the
/// rest (text, yes/no, integers, lists of text) as themselves.
template <class T>
Json stored(const T& v) {
  if constexpr (std::is_enum_v<T>) {
    return static_cast<int>(v);
  } else if constexpr (std::is_same_v<T, Timestamp> ||
                       std::is_same_v<T, std::optional<Timestamp>>) {
    return time_value(v);
  } else {
    return v;
  }
}

/// Reads one field back; false when a required value is missing or malformed. An absent
/// optional value leaves `out` as the row type's default (a later field added to a
/// register therefore reads from older rows as its default).
template <class T>
bool restore(const Json& j, std::string_view name, bool required, T& out) {
  const auto it = j.find(name);
  const bool present = it != j.end();
  if constexpr (std::is_same_v<T, std::string>) {
    if (present && it->is_string()) out = it->template get<std::string>();
    return !required || !out.empty();
  } else if constexpr (std::is_same_v<T, bool>) {
    out = present && it->is_boolean() && it->template get<bool>();
    return true;
  } else if constexpr (std::is_same_v<T, std::int64_t>) {
    if (present && it->is_number_integer()) out = it->template get<std::int64_t>();
    return true;
  } else if constexpr (std::is_same_v<T, Timestamp>) {
    const auto t = time_from(j, name);
    if (t) out = *t;
    return t.has_value() || !required;
  } else if constexpr (std::is_same_v<T, std::optional<Timestamp>>) {
    out = time_from(j, name);
    return true;
  } else if constexpr (std::is_enum_v<T>) {
    // Numbers this build has no name for are another schema's: unreadable.
    if (present && it->is_number_unsigned() && it->template get<unsigned>() <= 0xff) {
      const auto value = static_cast<T>(it->template get<unsigned>());
      if (to_string(value) != "?") {
        out = value;
        return true;
      }
    }
    return !required;
  } else {
    static_assert(std::is_same_v<T, std::vector<std::string>>, "no stored form for this type");
    if (present && it->is_array()) {
      for (const auto& e : *it)
        if (e.is_string()) out.push_back(e.template get<std::string>());
    }
    return true;
  }
}
}  // namespace cbor

/// A register row as its CBOR value: {"v": 1, <field>: <value>...} (reference_tables.h).
template <class Def>
std::string encode_register_row(const Def& reg, const typename Def::RowType& row) {
  cbor::Json j{{"v", kValueVersion}};
  for_each_field(reg, [&](const auto& f) { j[std::string(f.name)] = cbor::stored(row.*f.member); });
  return cbor::to_bytes(j);
}

/// nullopt when the bytes are not a v1 value of this register or lack a required field.
template <class Def>
std::optional<typename Def::RowType> decode_register_row(const Def& reg, std::string_view bytes) {
  const auto j = cbor::from_bytes(bytes);
  if (!j) return std::nullopt;
  typename Def::RowType row{};
  bool ok = true;
  for_each_field(
      reg, [&](const auto& f) { ok = cbor::restore(*j, f.name, f.required, row.*f.member) && ok; });
  if (!ok) return std::nullopt;
  return row;
}

}  // namespace probity::state
