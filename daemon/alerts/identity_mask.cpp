// IdentityMask: the shown view of an alert (see identity_mask.h for the rules it applies).
#include "alerts/identity_mask.h"

#include <algorithm>
#include <array>
#include <optional>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "base/ascii.h"
#include "base/json_text.h"
#include "base/mail_address.h"

namespace probity::alerts {

namespace {

using Json = nlohmann::ordered_json;

// Stored values may keep the quotes a display name or CSV cell had.
constexpr std::string_view kBlanksAndQuotes = " \t\"";

// "Jane Doe <Jane.Doe@Force.uk>" → "jane.doe@force.uk"; a bare address is lower-cased.
std::string address_of(std::string_view text) { return to_lower(bare_address(text)); }

// Name parts long enough to mean something in an address or a name ("Lee", not "Jo").
std::vector<std::string> name_parts(const state::StaffRecord& s) {
  std::vector<std::string> parts;
  for (const std::string* text : {&s.forenames, &s.surname}) {
    std::string part;
    for (const char c : to_lower(*text) + " ") {
      if ((c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80) {
        part += c;
      } else {
        if (part.size() >= 3) parts.push_back(part);
        part.clear();
      }
    }
  }
  return parts;
}

// What the masking of one alert needs to know about its user and its first event.
struct AlertContext {
  std::string user_id, user_account, subject_id, subject_name;
  std::shared_ptr<const state::StaffRecord> user;
};

bool names_all_of(std::string_view text, const std::vector<std::string>& parts) {
  const std::string t = to_lower(text);
  return !parts.empty() && std::all_of(parts.begin(), parts.end(), [&](const std::string& p) {
    return t.find(p) != std::string::npos;
  });
}

class Masker {
 public:
  Masker(const PseudonymKey& key, const state::ReferenceData& reference,
         const std::vector<std::string>& internal_domains, AlertContext context)
      : key_(key), reference_(reference), internal_(internal_domains), ctx_(std::move(context)) {
    if (ctx_.user) user_name_ = name_parts(*ctx_.user);
    // Decided once per alert, so the name, birth date and search terms of a colleague's
    // record are all withheld together.
    subject_is_staff_ =
        (!ctx_.subject_id.empty() && reference_.in_list("staff_nominals", ctx_.subject_id)) ||
        names_all_of(ctx_.subject_name, user_name_);
  }

  std::string mask(event::Identity identity, std::string_view text) const {
    if (text.empty() || text == "-") return std::string(text);  // absent: nobody named
    switch (identity) {
      case event::Identity::none:
        return std::string(text);
      case event::Identity::staff:
        return key_.of(staff_key(text));
      case event::Identity::mailbox:
        return mailboxes(text);
      case event::Identity::subject:
        return subject_is_staff_ || names_all_of(text, user_name_) ? std::string(kWithheld)
                                                                   : std::string(text);
      case event::Identity::personal:
        return std::string(kWithheld);
    }
    return std::string(kWithheld);
  }

  std::string user() const {
    return ctx_.user_id.empty() ? "unknown user" : key_.of(staff_key(ctx_.user_id));
  }

 private:
  // The identity a pseudonym is computed from: the staff id behind an address or a login.
  std::string staff_key(std::string_view value) const {
    const std::string v = to_lower(trim(value, kBlanksAndQuotes));
    if (v.find('@') != std::string::npos)
      if (auto s = reference_.staff_by_email(address_of(v))) return to_lower(s->id);
    if (!ctx_.user_account.empty() && !ctx_.user_id.empty() && v == ctx_.user_account)
      return ctx_.user_id;
    return v;
  }

  bool internal(std::string_view domain) const {
    return std::any_of(internal_.begin(), internal_.end(), [&](const std::string& d) {
      const std::string own = to_lower(d);
      return domain == own || (domain.size() > own.size() && domain.ends_with(own) &&
                               domain[domain.size() - own.size() - 1] == '.');
    });
  }

  std::string mailbox(std::string_view item) const {
    const std::string address = address_of(item);
    if (address.empty()) return std::string(kWithheld);
    if (auto s = reference_.staff_by_email(address)) return key_.of(to_lower(s->id));
    const auto at = address.rfind('@');
    if (at == std::string::npos) return key_.of(staff_key(address));  // a login, not an address
    const std::string_view local = std::string_view(address).substr(0, at);
    const std::string_view domain = std::string_view(address).substr(at + 1);
    if (internal(domain)) return key_.of(address);
    for (const auto& part : user_name_)
      if (local.find(part) != std::string_view::npos)
        return std::string(kWithheld) + "@" + std::string(domain);
    return address;
  }

  std::string mailboxes(std::string_view text) const {
    std::string out;
    std::size_t start = 0;
    while (start <= text.size()) {
      const std::size_t end = std::min(text.find_first_of(",;", start), text.size());
      const std::string_view item = trim(text.substr(start, end - start), kBlanksAndQuotes);
      if (!item.empty()) out += (out.empty() ? "" : ", ") + mailbox(item);
      start = end + 1;
    }
    return out;
  }

  const PseudonymKey& key_;
  const state::ReferenceData& reference_;
  const std::vector<std::string>& internal_;
  AlertContext ctx_;
  std::vector<std::string> user_name_;  // name parts of the user's staff record
  bool subject_is_staff_ = false;
};

event::Identity identity_by_name(std::string_view name) {
  if (const auto id = event::field_by_name(name)) return event::field_info(*id).identity;
  return event::Identity::personal;
}

std::string string_member(const Json& j, const char* name) {
  const auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Canonical fields only; identities masked; the source's own fields withheld and counted.
/// `j`: the event's JSON, parsed (discarded when it did not parse).
std::string shown_event(Json j, const Masker& m) {
  if (j.is_discarded() || !j.is_object()) return Json::object().dump();
  Json out = Json::object();
  std::size_t withheld = 0;
  for (auto& [name, value] : j.items()) {
    const auto id = event::field_by_name(name);
    if (!id) {
      withheld += value.is_object() ? value.size() : 1;
      continue;
    }
    const auto identity = event::field_info(*id).identity;
    if (identity != event::Identity::none) {
      if (value.is_string()) value = m.mask(identity, value.get<std::string>());
      if (value.is_array())
        for (auto& item : value)
          if (item.is_string()) item = m.mask(identity, item.get<std::string>());
    }
    out[name] = std::move(value);
  }
  if (withheld > 0) out["withheld_source_fields"] = withheld;
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Whether every text of the event is well-formed UTF-8. Then event::to_json holds the same
// texts, so masking them straight from the event gives what masking its JSON gives.
bool texts_are_utf8(const event::Event& e) {
  for (const auto& f : event::all_fields()) {
    const event::Value& v = e.get(f.id);
    if (const auto* text = std::get_if<std::string>(&v);
        text && find_invalid_utf8(*text) != std::string::npos)
      return false;
    if (const auto* items = std::get_if<std::vector<std::string>>(&v))
      for (const auto& item : *items)
        if (find_invalid_utf8(item) != std::string::npos) return false;
  }
  return true;
}

// What shown_event() gives for event::to_json(e), written from the event: its canonical
// fields in to_json's order, masked, then the count of its distinct source field names.
std::string shown_event(const event::Event& e, const Masker& m) {
  std::string out = "{";
  const auto key = [&out](std::string_view name) -> std::string& {
    if (out.size() > 1) out += ',';
    append_json_string(out, name);
    out += ':';
    return out;
  };
  const auto text = [&m](event::Identity identity, const std::string& value) {
    return identity == event::Identity::none ? value : m.mask(identity, value);
  };
  std::array<char, 40> time_text;
  for (const auto& f : event::all_fields()) {
    const event::Value& v = e.get(f.id);
    if (const auto* s = std::get_if<std::string>(&v)) {
      append_json_string(key(f.name), text(f.identity, *s));
    } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
      key(f.name) += std::to_string(*n);
    } else if (const auto* t = std::get_if<event::Timestamp>(&v)) {
      append_json_string(key(f.name), event::format_time(*t, time_text));
    } else if (const auto* items = std::get_if<std::vector<std::string>>(&v)) {
      key(f.name) += '[';
      for (std::size_t i = 0; i < items->size(); ++i) {
        if (i) out += ',';
        append_json_string(out, text(f.identity, (*items)[i]));
      }
      out += ']';
    }
  }
  std::unordered_set<std::string_view> names;
  for (const auto& [name, value] : e.raw()) names.insert(name);
  if (!names.empty()) key("withheld_source_fields") += std::to_string(names.size());
  out += '}';
  return out;
}

// The masking context of an alert or one of its events: the user, their login (when the event
// is theirs) and staff record, and the record the event looked up.
AlertContext context_of(const Json& event, std::string_view user_id,
                        const state::ReferenceData& reference) {
  AlertContext ctx;
  ctx.user_id = to_lower(user_id);
  if (event.is_object()) {
    ctx.user_account = to_lower(string_member(event, "user.account"));
    ctx.subject_id = string_member(event, "subject.id");
    ctx.subject_name = string_member(event, "subject.name");
  }
  if (!ctx.user_id.empty()) ctx.user = reference.staff(ctx.user_id);
  return ctx;
}

AlertContext context_of(const event::Event& event, std::string_view user_id,
                        const state::ReferenceData& reference) {
  AlertContext ctx;
  ctx.user_id = to_lower(user_id);
  ctx.user_account = to_lower(event.str(event::FieldId::user_account));
  ctx.subject_id = event.str(event::FieldId::subject_id);
  ctx.subject_name = event.str(event::FieldId::subject_name);
  if (!ctx.user_id.empty()) ctx.user = reference.staff(ctx.user_id);
  return ctx;
}

bool is_number_or_time(std::string_view v) {
  return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == ':' || c == 'T' ||
           c == 'Z';
  });
}

}  // namespace

std::string shown_lookup_value(std::string_view expression, std::string_view value) {
  static constexpr std::string_view kPlainValues[] = {
      "true", "false", "", "-", "RV", "MV", "NPPV1", "NPPV2", "NPPV3", "CTC", "SC", "DV", "none"};
  // Statuses and levels, which say what the rule relied on but not who the person is (a
  // department or role narrows a person down: withheld, as in the shown fields).
  static constexpr std::string_view kPlainAttributes[] = {".hr_status",       ".vetting.level",
                                                          ".vetting.status",  ".vetting.expires",
                                                          ".vetting.granted", "system_vetting"};
  if (expression.ends_with(".id")) return std::string(kWithheld);  // a staff id may be digits
  if (is_number_or_time(value) ||
      std::find(std::begin(kPlainValues), std::end(kPlainValues), value) != std::end(kPlainValues))
    return std::string(value);
  for (const auto attribute : kPlainAttributes)
    if (expression.ends_with(attribute) || expression.starts_with(attribute))
      return std::string(value);
  return std::string(kWithheld);
}

IdentityMask::IdentityMask(const PseudonymKey& key, const state::ReferenceData& reference,
                           std::vector<std::string> internal_domains)
    : key_(key), reference_(reference), internal_domains_(std::move(internal_domains)) {}

ShownAlert IdentityMask::shown(const Alert& alert,
                               const std::vector<event::IdentitySpan>& message_identities,
                               const std::vector<event::Identity>& field_identities,
                               const event::Event* evidence) const {
  // Each evidence event is masked straight from the event: the caller's, or one read back from
  // the text to_json wrote (its strings are then well-formed UTF-8). Only other text is parsed.
  const bool given = evidence && alert.events_json.size() == 1 && texts_are_utf8(*evidence);
  std::vector<std::optional<event::Event>> read_back(alert.events_json.size());
  if (!given)
    for (std::size_t i = 0; i < alert.events_json.size(); ++i)
      read_back[i] = event::read_own_json(alert.events_json[i]);
  const auto event_at = [&](std::size_t i) -> const event::Event* {
    if (given) return evidence;
    return read_back[i] ? &*read_back[i] : nullptr;
  };

  // The message and fields are rendered from the triggering event, the last of the evidence.
  const event::Event* direct = alert.events_json.empty() ? nullptr : event_at(read_back.size() - 1);
  Json last;
  if (!direct && !alert.events_json.empty())
    last = Json::parse(alert.events_json.back(), nullptr, false);
  const AlertContext ctx = direct ? context_of(*direct, alert.user_id, reference_)
                                  : context_of(last, alert.user_id, reference_);
  const Masker m(key_, reference_, internal_domains_, ctx);

  ShownAlert s;
  s.key_id = key_.id();
  s.user = m.user();
  std::size_t at = 0;
  for (const auto& span : message_identities) {
    if (span.offset < at || span.offset + std::size_t(span.length) > alert.message.size())
      continue;  // not from this message: ignore rather than cut it wrongly
    s.message.append(alert.message, at, span.offset - at);
    s.message +=
        m.mask(span.identity, std::string_view(alert.message).substr(span.offset, span.length));
    at = span.offset + span.length;
  }
  s.message.append(alert.message, at);
  for (std::size_t i = 0; i < alert.fields.size(); ++i) {
    const auto& [name, value] = alert.fields[i];
    const auto identity =
        i < field_identities.size() ? field_identities[i] : identity_by_name(name);
    s.fields.emplace_back(name, m.mask(identity, value));
  }
  // A correlation's events: each masked in its own context (its user and record), as if alone.
  if (alert.events_json.size() == 1) {
    s.events_json.push_back(direct ? shown_event(*direct, m) : shown_event(std::move(last), m));
  } else {
    for (std::size_t i = 0; i < alert.events_json.size(); ++i) {
      if (const event::Event* e = event_at(i)) {
        const std::string_view own_user = e->str(event::FieldId::user_id);
        const Masker own(key_, reference_, internal_domains_,
                         context_of(*e, own_user.empty() ? alert.user_id : own_user, reference_));
        s.events_json.push_back(shown_event(*e, own));
        continue;
      }
      Json j = Json::parse(alert.events_json[i], nullptr, false);
      const std::string own_user = j.is_object() ? string_member(j, "user.id") : std::string();
      const Masker own(key_, reference_, internal_domains_,
                       context_of(j, own_user.empty() ? alert.user_id : own_user, reference_));
      s.events_json.push_back(shown_event(std::move(j), own));
    }
  }
  for (const auto& [expression, value] : alert.lookups)
    s.lookups.emplace_back(expression, shown_lookup_value(expression, value));
  return s;
}

ShownAlert unmasked(const Alert& alert) {
  ShownAlert s;
  s.user = alert.user_id.empty() ? "unknown user" : alert.user_id;
  s.message = alert.message;
  s.fields = alert.fields;
  s.events_json = alert.events_json;
  s.lookups = alert.lookups;
  return s;
}

}  // namespace probity::alerts
