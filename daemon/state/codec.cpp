// CBOR value encodings for the reference tables (codec.h). Decoders never throw: any
// malformed or other-version value decodes to nullopt and the caller treats it as missing.
#include "state/codec.h"

namespace probity::state {

namespace cbor {

Json time_value(const std::optional<Timestamp>& t) {
  if (!t) return nullptr;
  return t->time_since_epoch().count();
}

std::optional<Timestamp> time_from(const Json& j, std::string_view name) {
  const auto it = j.find(name);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return Timestamp{std::chrono::microseconds{it->get<std::int64_t>()}};
}

std::string to_bytes(const Json& j) {
  const std::vector<std::uint8_t> bytes = Json::to_cbor(j);
  return std::string(bytes.begin(), bytes.end());
}

std::optional<Json> from_bytes(std::string_view bytes) {
  Json j = Json::from_cbor(bytes.begin(), bytes.end(), /*strict=*/true,
                           /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  const auto v = j.find("v");
  if (v == j.end() || !v->is_number_integer() || v->get<int>() != kValueVersion)
    return std::nullopt;
  return j;
}

}  // namespace cbor

namespace {

using cbor::from_bytes;
using cbor::time_from;
using cbor::time_value;
using cbor::to_bytes;

std::string string_from(const cbor::Json& j, const char* name) {
  const auto it = j.find(name);
  if (it == j.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

/// A list of text; anything else in the list (or no list) is left out.
std::vector<std::string> strings_from(const cbor::Json& j, const char* name) {
  std::vector<std::string> out;
  const auto it = j.find(name);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& v : *it)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

}  // namespace

std::string encode_staff(const StaffRecord& r) {
  cbor::Json j = {
      {"v", kValueVersion},
      {"id", r.id},
      {"surname", r.surname},
      {"forenames", r.forenames},
      {"emails", r.emails},
      {"department", r.department},
      {"role", r.role},
      {"peer_group", r.peer_group},
      {"address", r.address},
      {"hr_status", static_cast<int>(r.hr_status)},
      {"leaving_date", time_value(r.leaving_date)},
      {"vetting",
       {{"level", static_cast<int>(r.vetting.level)},
        {"granted", time_value(r.vetting.granted)},
        {"expires", time_value(r.vetting.expires)},
        {"status", r.vetting.status}}},
  };
  // Written only when recorded, so rows from before absences existed read back the same.
  if (r.absence)
    j["absence"] = {{"kind", static_cast<int>(r.absence->kind)},
                    {"from", time_value(r.absence->from)},
                    {"to", time_value(r.absence->to)}};
  return to_bytes(j);
}

std::optional<StaffRecord> decode_staff(std::string_view bytes) {
  const auto j = from_bytes(bytes);
  if (!j) return std::nullopt;
  StaffRecord r;
  r.id = string_from(*j, "id");
  if (r.id.empty()) return std::nullopt;
  r.surname = string_from(*j, "surname");
  r.forenames = string_from(*j, "forenames");
  if (const auto it = j->find("emails"); it != j->end() && it->is_array()) {
    for (const auto& e : *it)
      if (e.is_string()) r.emails.push_back(e.get<std::string>());
  }
  r.department = string_from(*j, "department");
  r.role = string_from(*j, "role");
  r.peer_group = string_from(*j, "peer_group");
  r.address = string_from(*j, "address");
  const auto hr = j->find("hr_status");
  if (hr == j->end() || !hr->is_number_unsigned() || hr->get<unsigned>() > 3) return std::nullopt;
  r.hr_status = static_cast<HrStatus>(hr->get<unsigned>());
  r.leaving_date = time_from(*j, "leaving_date");
  if (const auto ab = j->find("absence"); ab != j->end() && ab->is_object()) {
    const auto kind = ab->find("kind");
    if (kind == ab->end() || !kind->is_number_unsigned() ||
        kind->get<unsigned>() > static_cast<unsigned>(AbsenceKind::phased_return))
      return std::nullopt;
    r.absence = Absence{static_cast<AbsenceKind>(kind->get<unsigned>()), time_from(*ab, "from"),
                        time_from(*ab, "to")};
  }
  if (const auto vet = j->find("vetting"); vet != j->end() && vet->is_object()) {
    const auto level = vet->find("level");
    if (level == vet->end() || !level->is_number_unsigned() || level->get<unsigned>() > 8)
      return std::nullopt;
    r.vetting.level = static_cast<VettingLevel>(level->get<unsigned>());
    r.vetting.granted = time_from(*vet, "granted");
    r.vetting.expires = time_from(*vet, "expires");
    r.vetting.status = string_from(*vet, "status");
  }
  return r;
}

std::string encode_associations(const std::vector<AssociationEntry>& entries) {
  cbor::Json list = cbor::Json::array();
  for (const auto& e : entries) {
    cbor::Json entry{{"kind", static_cast<int>(e.kind)},
                     {"party_name", e.party_name},
                     {"declared_on", time_value(e.declared_on)}};
    if (!e.party_dob.empty()) entry["party_dob"] = e.party_dob;
    if (!e.party_aliases.empty()) entry["party_aliases"] = e.party_aliases;
    if (!e.party_ids.empty()) entry["party_ids"] = e.party_ids;
    if (!e.party_address.empty()) entry["party_address"] = e.party_address;
    list.push_back(std::move(entry));
  }
  return to_bytes(cbor::Json{{"v", kValueVersion}, {"entries", std::move(list)}});
}

std::optional<std::vector<AssociationEntry>> decode_associations(std::string_view bytes) {
  const auto j = from_bytes(bytes);
  if (!j) return std::nullopt;
  const auto list = j->find("entries");
  if (list == j->end() || !list->is_array()) return std::nullopt;
  std::vector<AssociationEntry> out;
  for (const auto& e : *list) {
    if (!e.is_object()) return std::nullopt;
    const auto kind = e.find("kind");
    if (kind == e.end() || !kind->is_number_unsigned() ||
        kind->get<unsigned>() > static_cast<unsigned>(AssociationKind::business))
      return std::nullopt;
    out.push_back({static_cast<AssociationKind>(kind->get<unsigned>()),
                   string_from(e, "party_name"), time_from(e, "declared_on"),
                   string_from(e, "party_dob"), strings_from(e, "party_aliases"),
                   strings_from(e, "party_ids"), string_from(e, "party_address")});
  }
  return out;
}

std::string encode_system(VettingLevel required) {
  return to_bytes(
      cbor::Json{{"v", kValueVersion}, {"required_vetting", static_cast<int>(required)}});
}

std::optional<VettingLevel> decode_system(std::string_view bytes) {
  const auto j = from_bytes(bytes);
  if (!j) return std::nullopt;
  const auto level = j->find("required_vetting");
  if (level == j->end() || !level->is_number_unsigned() || level->get<unsigned>() > 8)
    return std::nullopt;
  return static_cast<VettingLevel>(level->get<unsigned>());
}

std::string encode_list_meta(Timestamp updated) {
  return to_bytes(cbor::Json{{"v", kValueVersion}, {"updated", time_value(updated)}});
}

std::optional<Timestamp> decode_list_meta(std::string_view bytes) {
  const auto j = from_bytes(bytes);
  if (!j) return std::nullopt;
  return time_from(*j, "updated");
}

}  // namespace probity::state
