// The mapper: picks a source for a message, runs its payload decoder (or feeds its gateway
// assembler), and turns payload fields into a canonical event (typed values, defaults from
// the syslog header, email address normalisation and direction, required fields, one event
// per email recipient). Not for any one payload syntax: see <format>_payload.cpp,
// cef.cpp, leef.cpp and the gateway assemblers (postfix.cpp, mimecast.cpp,
// exchange.cpp, esa.cpp, proofpoint.cpp).
#include <array>
#include <cstdint>
#include <unordered_map>

#include "decode/assembler.h"
#include "decode/decode.h"
#include "decode/email.h"
#include "decode/formats.h"
#include "decode/payload.h"
#include "decode/text.h"
#include "decode/values.h"
#include "state/reference.h"

namespace probity::decode {

using event::FieldId;
using event::FieldInfo;
using event::kFieldCount;

namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

std::size_t idx(FieldId id) { return static_cast<std::size_t>(id); }

struct NameHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

/// nullptr for csv and gateway formats (formats.cpp).
const PayloadDecoder* payload_decoder(PayloadFormat format) {
  const auto decoder = payload_format_info(format).decoder;
  return decoder ? &decoder() : nullptr;
}

std::unique_ptr<MessageAssembler> make_assembler(const SourceMapping& source,
                                                 DecodeCounters* counters) {
  const auto assemble = payload_format_info(source.format).assembler;
  return assemble ? assemble(source, counters) : nullptr;
}

/// Any of the '|'-separated alternatives of the pattern.
bool glob_any(std::string_view patterns, std::string_view text) {
  for (;;) {
    const std::size_t bar = patterns.find('|');
    if (glob_match(patterns.substr(0, bar), text, true)) return true;
    if (bar == std::string_view::npos) return false;
    patterns.remove_prefix(bar + 1);
  }
}

bool matches(const SourceMatch& m, const syslog::SyslogMessage& msg) {
  const auto fits = [](const std::optional<std::string>& pattern,
                       const std::optional<std::string_view>& value) {
    return !pattern || (value && glob_any(*pattern, *value));
  };
  if (!fits(m.app_name, msg.app_name) || !fits(m.hostname, msg.hostname)) return false;
  if (m.message_prefix && !message_text(msg).starts_with(*m.message_prefix)) return false;
  if (!m.sd_id) return true;
  for (const auto& element : msg.structured_data)
    if (glob_match(*m.sd_id, element.id, false)) return true;
  return false;
}

/// Stable event ids: two 64-bit FNV-1a lanes (different seeds and primes) finished with
/// MurmurHash3's fmix64, printed as 32 hex digits. Not cryptographic; it only has to be
/// the same for the same input (a resent message keeps its id) and rarely collide.
class IdHash {
 public:
  void add(std::string_view s) {
    for (const char c : s) {
      a_ = (a_ ^ static_cast<std::uint8_t>(c)) * 0x100000001b3ULL;
      b_ = (b_ ^ static_cast<std::uint8_t>(c)) * 0x9E3779B97F4A7C15ULL;
    }
    // 0xFF never occurs in the (UTF-8-repaired) text, so parts cannot run together.
    a_ = (a_ ^ 0xFF) * 0x100000001b3ULL;
    b_ = (b_ ^ 0xFF) * 0x9E3779B97F4A7C15ULL;
  }
  std::string hex() const {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(32, '0');
    const std::uint64_t lanes[2] = {fmix(a_), fmix(b_)};
    for (int lane = 0; lane < 2; ++lane)
      for (int i = 0; i < 16; ++i)
        out[lane * 16 + i] = kDigits[(lanes[lane] >> (60 - 4 * i)) & 0xF];
    return out;
  }

 private:
  static std::uint64_t fmix(std::uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
  }
  std::uint64_t a_ = 0xcbf29ce484222325ULL;
  std::uint64_t b_ = 0x6a09e667f3bcc908ULL;
};

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += sep;
    out += trim(item);
  }
  return out;
}

/// The field at `first` and every later field of the same name: repeated SD params and
/// repeated kv keys are how those formats say "list".
std::vector<const PayloadField*> same_name(const Payload& payload, std::size_t first) {
  std::vector<const PayloadField*> out{&payload[first]};
  for (std::size_t i = first + 1; i < payload.size(); ++i)
    if (payload[i].name == payload[first].name) out.push_back(&payload[i]);
  return out;
}

Error bad_value(const SourceMapping& source, const FieldInfo& info, const PayloadField& from,
                std::string_view expected) {
  return Error{"decode.bad_value",
               "source " + source.name + ": " + std::string(info.name) + " from " +
                   quote_for_log(from.name) + ": " + quote_for_log(from.value) + " is not " +
                   std::string(expected),
               {}};
}

/// Converts one payload field (plus its repeats, for lists) to the canonical type, set on
/// `ev`. Empty text leaves the field absent: an empty value is an absent value.
Result<void> set_value(const SourceMapping& source, const FieldInfo& info, const Payload& payload,
                       std::size_t index, TimeFormat format, event::Event& ev) {
  const PayloadField& f = payload[index];
  switch (info.type) {
    case event::ValueType::string: {
      std::string text = f.is_list ? join(f.items, ", ") : std::string(trim(f.value));
      if (!text.empty()) ev.set(info.id, std::move(text));
      return {};
    }
    case event::ValueType::integer: {
      const std::string_view text = trim(f.value);
      if (text.empty()) return {};
      const auto v = f.is_list ? std::nullopt : parse_integer(text);
      if (!v) return tl::unexpected(bad_value(source, info, f, "an integer"));
      ev.set(info.id, std::int64_t{*v});
      return {};
    }
    case event::ValueType::time: {
      const std::string_view text = trim(f.value);
      if (text.empty()) return {};
      const auto t = f.is_list ? std::nullopt : parse_time_as(text, format);
      if (!t) {
        const char* what = format == TimeFormat::rfc3339 ? "an RFC 3339 time" : "an epoch time";
        return tl::unexpected(bad_value(source, info, f, what));
      }
      ev.set(info.id, event::Timestamp{*t});
      return {};
    }
    case event::ValueType::string_list: {
      std::vector<std::string> items;
      for (const PayloadField* p : same_name(payload, index)) {
        if (p->is_list) {
          for (const auto& item : p->items)
            if (!trim(item).empty()) items.emplace_back(trim(item));
        } else {
          for (auto& item : split_list(p->value)) items.push_back(std::move(item));
        }
      }
      if (!items.empty()) ev.set(info.id, std::move(items));
      return {};
    }
  }
  return {};
}

/// Recipients of an email event: list items, repeated fields, "a, b; c" text.
std::vector<std::string> recipients_of(const Payload& payload, std::size_t index) {
  std::vector<std::string> out;
  for (const PayloadField* p : same_name(payload, index)) {
    if (p->is_list) {
      for (const auto& item : p->items)
        for (auto& address : split_addresses(item)) out.push_back(std::move(address));
    } else {
      for (auto& address : split_addresses(p->value)) out.push_back(std::move(address));
    }
  }
  return out;
}

/// How a source's payload fields reach canonical fields, built once per source.
struct MappingPlan {
  std::array<bool, kFieldCount> mapped{};         // at least one FieldMapping names the field
  std::array<std::size_t, kFieldCount> constant;  // index into source.constants, or kNone
  std::vector<TimeFormat> time_formats;           // per source.fields entry
  /// What a payload field's name can feed: one look-up per field of every message.
  struct NameUse {
    std::vector<std::size_t> mappings;  // indexes into source.fields, in config order
    std::size_t canonical = kNone;      // the canonical field of that name, for zero-config use
  };
  std::unordered_map<std::string, NameUse, NameHash, std::equal_to<>> by_name;
};

/// Where a payload came from: the header time and host of its syslog message (or of the
/// gateway line that completed an assembled record).
struct Origin {
  std::optional<event::Timestamp> time;
  std::string_view host;
};

/// Payload → event(s), appended to `out`; returns how many. Defined at the end of the file.
Result<std::size_t> map_payload(const SourceMapping& source, const MappingPlan& plan,
                                Payload& payload, const Origin& origin,
                                event::Timestamp receive_time,
                                const state::ReferenceData* reference,
                                std::vector<event::Event>& out);

}  // namespace

struct Decoder::Plan : MappingPlan {
  const PayloadDecoder* payload = nullptr;
  std::unique_ptr<MessageAssembler> assembler;  // gateway formats instead of `payload`
  std::unique_ptr<CsvReader> csv;               // format csv instead of `payload`
};

Decoder::Decoder(std::vector<SourceMapping> sources, const state::ReferenceData* reference,
                 DecodeCounters* counters)
    : sources_(std::move(sources)), reference_(reference), counters_(counters) {
  plans_.reserve(sources_.size());
  for (const auto& source : sources_) {
    Plan& plan = plans_.emplace_back();
    plan.payload = payload_decoder(source.format);
    plan.assembler = make_assembler(source, counters_);
    if (source.format == PayloadFormat::csv) plan.csv = std::make_unique<CsvReader>(counters_);
    plan.constant.fill(kNone);
    for (std::size_t c = 0; c < source.constants.size(); ++c)
      if (plan.constant[idx(source.constants[c].first)] == kNone)
        plan.constant[idx(source.constants[c].first)] = c;
    for (std::size_t m = 0; m < source.fields.size(); ++m) {
      const FieldMapping& fm = source.fields[m];
      plan.mapped[idx(fm.field)] = true;
      // check_source() rejects unknown formats at load; here they fall back to RFC 3339.
      plan.time_formats.push_back(
          time_format_from_string(fm.time_format).value_or(TimeFormat::rfc3339));
      plan.by_name[fm.from].mappings.push_back(m);
    }
    for (const FieldInfo& info : event::all_fields())
      plan.by_name[std::string(info.name)].canonical = idx(info.id);
  }
}

Decoder::~Decoder() = default;
Decoder::Decoder(Decoder&&) noexcept = default;
Decoder& Decoder::operator=(Decoder&&) noexcept = default;

const SourceMapping* Decoder::select(const syslog::SyslogMessage& msg) const {
  for (const auto& source : sources_)
    if (matches(source.match, msg)) return &source;
  return nullptr;
}

Result<event::Event> Decoder::decode(const syslog::SyslogMessage& msg,
                                     event::Timestamp receive_time) {
  std::vector<event::Event> events;
  auto n = decode_into(msg, receive_time, events);
  if (!n) return tl::unexpected(std::move(n.error()));
  if (events.size() != 1)
    return fail("decode.multiple_events", "message gives " + std::to_string(events.size()) +
                                              " events (one per recipient); use decode_into()");
  return std::move(events.front());
}

Result<std::size_t> Decoder::decode_into(const syslog::SyslogMessage& msg,
                                         event::Timestamp receive_time,
                                         std::vector<event::Event>& out) {
  bool assembled = false;  // an assembler's records are counted one by one in decode_with
  Result<std::size_t> result = [&]() -> Result<std::size_t> {
    for (std::size_t s = 0; s < sources_.size(); ++s)
      if (matches(sources_[s].match, msg)) {
        assembled = plans_[s].assembler != nullptr;
        return decode_with(sources_[s], plans_[s], msg, receive_time, out);
      }
    std::string seen = "app-name " + quote_for_log(msg.app_name.value_or("-")) + ", host " +
                       quote_for_log(msg.hostname.value_or("-")) + ", SD-IDs [";
    for (std::size_t i = 0; i < msg.structured_data.size() && i < 8; ++i)
      seen += (i ? ", " : "") + quote_for_log(msg.structured_data[i].id, 32);
    return fail("decode.no_source", "no source matches " + seen + "]");
  }();
  if (counters_ && !assembled) {
    if (result && *result > 0)  // 0: a CSV header or blank row, nothing wrong
      counters_->decoded.fetch_add(1, std::memory_order_relaxed);
    else if (!result)
      counters_->record(result.error());
  }
  return result;
}

Result<std::size_t> Decoder::decode_with(const SourceMapping& source, Plan& plan,
                                         const syslog::SyslogMessage& msg,
                                         event::Timestamp receive_time,
                                         std::vector<event::Event>& out) {
  if (plan.assembler) {
    std::vector<AssembledRecord> records;
    auto fed = plan.assembler->feed(msg, receive_time, records);
    if (!fed) {
      Error e = std::move(fed.error());
      e.message = "source " + source.name + ": " + e.message;
      if (counters_) counters_->record(e);
      return tl::unexpected(std::move(e));
    }
    std::optional<Error> first_error;
    const std::size_t before = out.size();
    for (auto& r : records) {
      auto mapped = map_payload(source, plan, r.payload, Origin{r.time, r.host}, receive_time,
                                reference_, out);
      if (counters_) {
        if (mapped)
          counters_->decoded.fetch_add(1, std::memory_order_relaxed);
        else
          counters_->record(mapped.error());
      }
      if (!mapped && !first_error) first_error = std::move(mapped.error());
    }
    // A record that could not be mapped is only reported when nothing else came of the
    // line, so the pipeline logs it; either way it was counted above.
    if (first_error && out.size() == before) return tl::unexpected(std::move(*first_error));
    return out.size() - before;
  }
  Result<Payload> decoded = Payload{};
  if (plan.csv) {
    auto row = plan.csv->decode(msg, source);
    if (row && !*row) return 0;  // a header or blank row
    decoded = row ? Result<Payload>(std::move(**row)) : tl::unexpected(std::move(row.error()));
  } else {
    decoded = plan.payload->decode(msg, source);
  }
  if (!decoded) {
    Error e = std::move(decoded.error());
    e.message = "source " + source.name + ": " + e.message;
    return tl::unexpected(std::move(e));
  }
  std::optional<event::Timestamp> header_time;
  if (msg.timestamp) header_time = parse_header_time(*msg.timestamp, msg.protocol, receive_time);
  return map_payload(source, plan, *decoded, Origin{header_time, msg.hostname.value_or("")},
                     receive_time, reference_, out);
}

std::size_t Decoder::map_flushed(std::size_t s, bool all, event::Timestamp now,
                                 std::vector<event::Event>& out) {
  Plan& plan = plans_[s];
  if (!plan.assembler) return 0;
  std::vector<AssembledRecord> records;
  plan.assembler->flush(now, all, records);
  const std::size_t before = out.size();
  for (auto& r : records) {
    auto mapped =
        map_payload(sources_[s], plan, r.payload, Origin{r.time, r.host}, now, reference_, out);
    if (counters_) {
      if (mapped)
        counters_->decoded.fetch_add(1, std::memory_order_relaxed);
      else
        counters_->record(mapped.error());
    }
  }
  return out.size() - before;
}

std::size_t Decoder::flush_expired(event::Timestamp now, std::vector<event::Event>& out) {
  std::size_t n = 0;
  for (std::size_t s = 0; s < sources_.size(); ++s) n += map_flushed(s, false, now, out);
  return n;
}

std::size_t Decoder::flush_all(std::vector<event::Event>& out) {
  const auto now =
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  std::size_t n = 0;
  for (std::size_t s = 0; s < sources_.size(); ++s) n += map_flushed(s, true, now, out);
  return n;
}

std::size_t Decoder::open_messages() const {
  std::size_t n = 0;
  for (const auto& plan : plans_)
    if (plan.assembler) n += plan.assembler->open_messages();
  return n;
}

namespace {

Result<std::size_t> map_payload(const SourceMapping& source, const MappingPlan& plan,
                                Payload& payload, const Origin& origin,
                                event::Timestamp receive_time,
                                const state::ReferenceData* reference,
                                std::vector<event::Event>& out) {
  for (auto& f : payload) {
    make_safe_text(f.name);
    make_safe_text(f.value);
    for (auto& item : f.items) make_safe_text(item);
  }

  // Which payload field feeds each canonical field: an explicit mapping (the first in
  // config order that is present), else, for fields with neither a mapping nor a
  // constant, a payload field named like the canonical field (zero-config sources).
  std::array<std::size_t, kFieldCount> from;
  std::array<std::size_t, kFieldCount> via;  // source.fields index, or kNone
  from.fill(kNone);
  via.fill(kNone);
  // A field named like a canonical one only feeds a field no mapping names, so the two
  // uses cannot meet in one pass.
  for (std::size_t i = 0; i < payload.size(); ++i) {
    const auto it = plan.by_name.find(std::string_view(payload[i].name));
    if (it == plan.by_name.end()) continue;
    for (const std::size_t m : it->second.mappings) {
      const std::size_t f = idx(source.fields[m].field);
      if (from[f] == kNone || m < via[f]) {
        from[f] = i;
        via[f] = m;
      }
    }
    const std::size_t f = it->second.canonical;
    if (f != kNone && !plan.mapped[f] && plan.constant[f] == kNone && from[f] == kNone) from[f] = i;
  }
  // Constants become payload-like fields so that they convert the same way.
  Payload constants;
  for (std::size_t f = 0; f < kFieldCount; ++f) {
    if (from[f] != kNone || plan.constant[f] == kNone) continue;
    const auto& [id, text] = source.constants[plan.constant[f]];
    constants.push_back(PayloadField{std::string(event::field_info(id).name), text, {}, false});
  }
  const auto field_text = [&](FieldId id) -> std::optional<std::string_view> {
    if (from[idx(id)] != kNone) return payload[from[idx(id)]].value;
    for (const auto& c : constants)
      if (c.name == event::field_info(id).name) return c.value;
    return std::nullopt;
  };

  event::Kind kind = event::Kind::access;
  if (source.kind) {
    kind = *source.kind;
  } else {
    const auto text = field_text(FieldId::event_kind);
    if (!text || trim(*text).empty())
      return fail("decode.missing_field",
                  "source " + source.name + ": event lacks event.kind, which gives its kind");
    const auto k = event::kind_from_string(to_lower(trim(*text)));
    if (!k)
      return fail("decode.bad_value", "source " + source.name + ": event.kind " +
                                          quote_for_log(*text) + " is not access or email");
    kind = *k;
  }

  // Built in place, not moved in at the end (an event is a few dozen values); a message that
  // fails below takes it out again.
  const std::size_t slot = out.size();
  event::Event& ev = out.emplace_back(kind);
  struct Unfinished {
    std::vector<event::Event>& out;
    bool done = false;
    ~Unfinished() {
      if (!done) out.pop_back();
    }
  } unfinished{out};
  std::vector<std::string> recipients;
  for (const FieldInfo& info : event::all_fields()) {
    if (info.id == FieldId::event_kind) continue;
    if (!(kind == event::Kind::access ? info.on_access : info.on_email)) continue;
    const std::size_t f = idx(info.id);
    const Payload* src = &payload;
    std::size_t index = from[f];
    TimeFormat format = via[f] == kNone ? TimeFormat::rfc3339 : plan.time_formats[via[f]];
    if (index == kNone) {
      for (std::size_t c = 0; c < constants.size(); ++c)
        if (constants[c].name == info.name) index = c;
      if (index == kNone) continue;
      src = &constants;
      format = TimeFormat::rfc3339;
    }
    if (info.id == FieldId::email_to) {
      recipients = recipients_of(*src, index);
      continue;
    }
    if (auto set = set_value(source, info, *src, index, format, ev); !set)
      return tl::unexpected(std::move(set.error()));
  }

  if (!ev.has(FieldId::event_time)) ev.set(FieldId::event_time, origin.time.value_or(receive_time));
  if (!ev.has(FieldId::source_host) && !origin.host.empty()) {
    std::string host(trim(origin.host));
    make_safe_text(host);
    if (!host.empty()) ev.set(FieldId::source_host, std::move(host));
  }

  if (kind == event::Kind::email) {
    if (ev.has(FieldId::email_from)) {
      const std::string address(bare_address(ev.str(FieldId::email_from)));
      ev.set(FieldId::email_from, address.empty() ? event::Value{} : event::Value{address});
    }
    if (!ev.has(FieldId::email_from_domain) && ev.has(FieldId::email_from))
      if (auto domain = address_domain(ev.str(FieldId::email_from)))
        ev.set(FieldId::email_from_domain, std::move(*domain));
    if (ev.has(FieldId::email_direction)) {
      // Gateways say it their way: Exchange "Originating"/"Incoming", Mimecast "Inbound".
      std::string d = to_lower(ev.str(FieldId::email_direction));
      if (d == "originating" || d == "outgoing") d = "outbound";
      if (d == "incoming") d = "inbound";
      ev.set(FieldId::email_direction, std::move(d));
    }
    if (!ev.has(FieldId::user_id) && reference && ev.has(FieldId::email_from))
      if (auto staff = reference->staff_by_email(to_lower(ev.str(FieldId::email_from))))
        ev.set(FieldId::user_id, staff->id);
    // A copy forwarded by a mailbox rule names that mailbox only as the original recipient
    // (Postfix orig_to): its owner set the rule, so they are the user.
    if (!ev.has(FieldId::user_id) && reference)
      for (const auto& f : payload)
        if (f.name == "orig_to")
          if (auto staff = reference->staff_by_email(to_lower(bare_address(f.value)))) {
            ev.set(FieldId::user_id, staff->id);
            break;
          }
  }

  const auto missing = [&](std::string_view field) {
    return fail("decode.missing_field",
                "source " + source.name + ": " + std::string(event::to_string(kind)) +
                    " event lacks " + std::string(field) +
                    " (map it from a payload field in the source's fields)");
  };
  if (kind == event::Kind::access && !ev.has(FieldId::user_id)) return missing("user.id");
  if (kind == event::Kind::email) {
    if (!ev.has(FieldId::email_from)) return missing("email.from");
    if (recipients.empty()) return missing("email.to");
    if (recipients.size() > kMaxRecipients)
      return fail("decode.too_many_recipients",
                  "source " + source.name + ": " + std::to_string(recipients.size()) +
                      " recipients (limit " + std::to_string(kMaxRecipients) + ")");
  }

  // Derived ids hash what identifies the event: source, time, host and every raw field.
  IdHash id;
  const bool derive_id = !ev.has(FieldId::event_id);
  if (derive_id) {
    id.add(source.name);
    std::array<char, 40> time_text;
    id.add(event::format_time(*ev.time(), time_text));
    id.add(ev.str(FieldId::source_host));
    for (const auto& f : payload) {
      id.add(f.name);
      id.add(f.value);
    }
  }
  ev.reserve_raw(payload.size());
  for (auto& f : payload) ev.add_raw(std::move(f.name), std::move(f.value));
  unfinished.done = true;

  if (kind == event::Kind::access) {
    if (derive_id) ev.set(FieldId::event_id, id.hex());
    return 1;
  }
  // One event per recipient (PRODUCT.md): rules about "an email to a media domain" must
  // see every recipient, not the first. A mapped email.to.domain only holds for one.
  const bool keep_to_domain = recipients.size() == 1 && ev.has(FieldId::email_to_domain);
  out.reserve(slot + recipients.size());  // `ev` is not used past here: it may move
  for (std::size_t r = 1; r < recipients.size(); ++r) out.push_back(out[slot]);
  for (std::size_t r = 0; r < recipients.size(); ++r) {
    event::Event& e = out[slot + r];
    if (!keep_to_domain) {
      auto domain = address_domain(recipients[r]);
      e.set(FieldId::email_to_domain, domain ? event::Value{std::move(*domain)} : event::Value{});
    }
    if (!source.internal_domains.empty()) {
      // Per recipient: one message to a colleague and a journalist is internal for one
      // and outbound for the other. The config's view beats the gateway's.
      const auto direction =
          derive_direction(e.str(FieldId::email_from_domain), e.str(FieldId::email_to_domain),
                           source.internal_domains);
      if (direction) e.set(FieldId::email_direction, std::string(*direction));
    }
    if (derive_id) {
      IdHash per_recipient = id;
      per_recipient.add(recipients[r]);
      e.set(FieldId::event_id, per_recipient.hex());
    } else if (recipients.size() > 1) {
      // A mapped id names the message (PoD's guid); each recipient's event needs its own,
      // or the second would pass for a re-send of the first.
      e.set(FieldId::event_id, std::string(e.str(FieldId::event_id)) + "/" + recipients[r]);
    }
    e.set(FieldId::email_to, std::move(recipients[r]));
  }
  return recipients.size();
}

}  // namespace

}  // namespace probity::decode
