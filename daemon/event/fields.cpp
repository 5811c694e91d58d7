// The table of canonical fields (PRODUCT.md "Canonical events"). Adding a field means
// adding it to FieldId and here, in the same order.
#include "event/event.h"

#include <stdexcept>

namespace probity::event {
namespace {

using enum ValueType;
// One-letter marks keep the table below readable as a grid.
// NOLINTBEGIN(readability-identifier-naming)
constexpr bool A = true;  // on access events
constexpr bool E = true;  // on email events
constexpr bool _ = false;
// NOLINTEND(readability-identifier-naming)

constexpr std::array<FieldInfo, kFieldCount> kFields{{
    {FieldId::event_id, "event.id", string, A, E},
    {FieldId::event_time, "event.time", time, A, E},
    {FieldId::event_kind, "event.kind", string, A, E},
    {FieldId::source_system, "source.system", string, A, _},
    {FieldId::source_host, "source.host", string, A, E},
    {FieldId::client_ip, "client.ip", string, A, _},
    {FieldId::client_host, "client.host", string, A, _},
    {FieldId::user_id, "user.id", string, A, E, Identity::staff},
    {FieldId::user_account, "user.account", string, A, _, Identity::staff},
    {FieldId::action, "action", string, A, _},
    {FieldId::op, "op", string, A, _},
    {FieldId::reason_code, "reason.code", string, A, _},
    {FieldId::reason_text, "reason.text", string, A, _},
    {FieldId::reason_ref, "reason.ref", string, A, _},
    {FieldId::subject_type, "subject.type", string, A, _},
    {FieldId::subject_id, "subject.id", string, A, _},
    {FieldId::subject_name, "subject.name", string, A, _, Identity::subject},
    {FieldId::subject_dob, "subject.dob", string, A, _, Identity::subject},
    {FieldId::subject_address, "subject.address", string, A, _, Identity::subject},
    {FieldId::query_terms, "query.terms", string, A, _, Identity::subject},
    {FieldId::result_count, "result.count", integer, A, _},
    {FieldId::outcome, "outcome", string, A, _},
    {FieldId::gateway, "gateway", string, _, E},
    {FieldId::email_direction, "email.direction", string, _, E},
    {FieldId::email_from, "email.from", string, _, E, Identity::mailbox},
    {FieldId::email_from_domain, "email.from.domain", string, _, E},
    {FieldId::email_to, "email.to", string, _, E, Identity::mailbox},
    {FieldId::email_to_domain, "email.to.domain", string, _, E},
    {FieldId::email_subject, "email.subject", string, _, E},
    {FieldId::email_message_id, "email.message_id", string, _, E},
    {FieldId::email_size, "email.size", integer, _, E},
    {FieldId::email_attachments_names, "email.attachments.names", string_list, _, E},
    {FieldId::email_attachments_count, "email.attachments.count", integer, _, E},
    {FieldId::email_action, "email.action", string, _, E},
}};

constexpr bool table_in_order() {
  for (std::size_t i = 0; i < kFields.size(); ++i)
    if (static_cast<std::size_t>(kFields[i].id) != i) return false;
  return true;
}
static_assert(table_in_order(), "kFields must list fields in FieldId order");

}  // namespace

const FieldInfo& field_info(FieldId id) { return kFields.at(static_cast<std::size_t>(id)); }

const std::array<FieldInfo, kFieldCount>& all_fields() { return kFields; }

std::optional<FieldId> field_by_name(std::string_view name) {
  // Called for every payload field of every event: only names of the same length are
  // compared, first letter first.
  struct Index {
    std::array<std::array<std::uint8_t, 8>, 64> by_len{};  // (length, slot) → id + 1
    bool complete = true;
    Index() {
      for (const auto& f : kFields) {
        auto& slots = by_len[f.name.size() % 64];
        bool placed = false;
        for (auto& s : slots)
          if (!placed && s == 0) {
            s = static_cast<std::uint8_t>(static_cast<std::size_t>(f.id) + 1);
            placed = true;
          }
        complete = complete && placed && f.name.size() < 64;
      }
    }
  };
  static const Index index;
  if (!index.complete) {
    for (const auto& f : kFields)
      if (f.name == name) return f.id;
    return std::nullopt;
  }
  if (name.empty() || name.size() >= 64) return std::nullopt;
  for (const std::uint8_t s : index.by_len[name.size()]) {
    if (s == 0) break;
    const FieldInfo& f = kFields[s - 1];
    if (f.name[0] == name[0] && f.name == name) return f.id;
  }
  return std::nullopt;
}

std::string_view to_string(Identity i) {
  switch (i) {
    case Identity::none:
      return "none";
    case Identity::staff:
      return "staff";
    case Identity::mailbox:
      return "mailbox";
    case Identity::subject:
      return "subject";
    case Identity::personal:
      return "personal";
  }
  return "none";
}

std::string_view to_string(Kind k) { return k == Kind::access ? "access" : "email"; }

std::optional<Kind> kind_from_string(std::string_view s) {
  if (s == "access") return Kind::access;
  if (s == "email") return Kind::email;
  return std::nullopt;
}

}  // namespace probity::event
