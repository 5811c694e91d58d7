// Payload format "mimecast": Mimecast SIEM logs (per Mimecast "Understanding SIEM Logs"),
// key=value with '|' separators or one JSON object per line, assembled by aCode into one
// record per message and recipient. Not for Mimecast's impersonation, URL or attachment
// protect feeds, which are read (no error) but give no email record.
//
// Each message logs a receipt line (Rcpt, Sender, Subject, Dir, Act), a process line
// (AttNames, AttCnt, MsgSize, Hld) and one delivery line per recipient and attempt
// (Delivered=true|false). In the kv form, Subject is wrapped in backslashes
// (Subject=\Re: a|b\) because it may hold '|', and SpamProcessingDetail holds JSON.
// SIEM batches arrive per log type, so a delivery line may come before its receipt: it
// waits for the receipt (sender, subject) until the message is flushed. Records are
// emitted on delivery (delivered or failed), on a receipt that rejects, and on a hold. A
// receipt whose recipients never see a delivery line (only receipt logs collected, or a
// delivery later than the timeout) is emitted at the flush as "accepted": the gateway took
// the message, and nothing more is known; it is counted as flushed incomplete.
#include <algorithm>
#include <array>

#include "decode/assembler.h"
#include "decode/text.h"
#include "decode/values.h"

namespace probity::decode {
namespace {

/// One field of a line, viewing the line's text (or a JSON line's decoded fields): a line's
/// fields are read once each and only a few are kept, so they are not copied.
struct LineField {
  std::string_view name, value;
};
using LineFields = std::vector<LineField>;

/// "k=v|Subject=\a|b\|J={"x":"|"}" → fields. Backslash-wrapped values end at "\|" or at
/// the end; a value starting with '{' runs to its matching '}' outside JSON strings.
Result<void> split_pipes(std::string_view text, LineFields& out) {
  out.clear();
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '|' || text[i] == ' ') {
      ++i;
      continue;
    }
    const std::size_t eq = text.find('=', i);
    const std::size_t bar = text.find('|', i);
    if (eq == std::string_view::npos || (bar != std::string_view::npos && bar < eq)) {
      i = bar == std::string_view::npos ? text.size() : bar + 1;  // not a pair: skip
      continue;
    }
    if (out.size() == kMaxPayloadFields)
      return fail("decode.too_many_fields",
                  "Mimecast line has more than " + std::to_string(kMaxPayloadFields) + " fields",
                  at_offset(i));
    LineField& f = out.emplace_back();
    f.name = trim(text.substr(i, eq - i));
    std::size_t j = eq + 1;
    if (j < text.size() && text[j] == '\\') {
      const std::size_t close = text.find("\\|", j + 1);
      const std::size_t end = close == std::string_view::npos ? text.size() : close;
      std::string_view v = text.substr(j + 1, end - j - 1);
      if (close == std::string_view::npos && v.ends_with('\\')) v.remove_suffix(1);
      f.value = v;
      i = close == std::string_view::npos ? text.size() : close + 2;
      continue;
    }
    if (j < text.size() && text[j] == '{') {
      int depth = 0;
      bool in_string = false;
      std::size_t k = j;
      for (; k < text.size(); ++k) {
        const char c = text[k];
        if (in_string) {
          if (c == '\\')
            ++k;
          else if (c == '"')
            in_string = false;
        } else if (c == '"') {
          in_string = true;
        } else if (c == '{') {
          ++depth;
        } else if (c == '}' && --depth == 0) {
          ++k;
          break;
        }
      }
      k = std::min(k, text.size());
      f.value = text.substr(j, k - j);
      i = k;
      continue;
    }
    const std::size_t end = text.find('|', j);
    f.value =
        trim(text.substr(j, end == std::string_view::npos ? std::string_view::npos : end - j));
    i = end == std::string_view::npos ? text.size() : end + 1;
  }
  return {};
}

/// The first field named `name`, any case; empty when none. Over a record's fields.
std::string_view field(const Payload& p, std::string_view name) {
  for (const auto& f : p)
    if (iequals(f.name, name)) return f.value;
  return {};
}

/// The line fields the assembler reads.
enum class Key : std::uint8_t {
  acode,
  datetime,
  acc,
  delivered,
  rcpt,
  sender,
  header_from,
  subject,
  msg_id,
  dir,
  ip,
  act,
  spam_score,
  rej_type,
  rej_code,
  rej_info,
  att_names,
  att_cnt,
  msg_size,
  hld,
  attempt,
  route,
  tls_ver,
  snt,
  count_
};
constexpr std::size_t kKeys = static_cast<std::size_t>(Key::count_);
constexpr std::array<std::string_view, kKeys> kKeyNames = {
    "aCode",    "datetime", "acc",     "Delivered", "Rcpt",      "Sender",  "headerFrom", "Subject",
    "MsgId",    "Dir",      "IP",      "Act",       "SpamScore", "RejType", "RejCode",    "RejInfo",
    "AttNames", "AttCnt",   "MsgSize", "Hld",       "Attempt",   "Route",   "TlsVer",     "Snt"};

/// A line's fields by key, found in one pass: the first field of each name, any case; empty
/// when the line has none. A line is read a score of times, so a scan per read cost more
/// than the rest of the assembly.
class LineIndex {
 public:
  void index(const LineFields& fields) {
    values_.fill({});
    seen_.fill(false);
    for (const auto& f : fields)
      for (std::size_t k = 0; k < kKeys; ++k)
        if (f.name.size() == kKeyNames[k].size() && !seen_[k] && iequals(f.name, kKeyNames[k])) {
          seen_[k] = true;
          values_[k] = f.value;
          break;
        }
  }
  std::string_view operator[](Key k) const { return values_[static_cast<std::size_t>(k)]; }

 private:
  std::array<std::string_view, kKeys> values_;
  std::array<bool, kKeys> seen_;
};

/// "2017-05-26T16:47:41+0100" (no colon in the offset) as RFC 3339.
std::optional<event::Timestamp> mimecast_time(std::string_view text) {
  text = trim(text);
  if (auto t = event::parse_time(text)) return t;
  if (text.size() > 5) {
    const char sign = text[text.size() - 5];
    if (sign == '+' || sign == '-') {
      std::string fixed(text);
      fixed.insert(fixed.size() - 2, ":");
      return event::parse_time(fixed);
    }
  }
  return std::nullopt;
}

struct MimecastMessage {
  std::string acode, account, from, header_from, subject, message_id, direction, ip, act;
  std::string att_names, att_count, size, held_reason, spam_score;
  std::vector<std::string> recipients;    // from the receipt
  std::vector<std::string> delivered_to;  // recipients a delivery line named (any outcome)
  std::optional<event::Timestamp> receipt_time;
  std::string receipt_host;
  bool have_receipt = false;
  bool held_emitted = false;
  std::vector<AssembledRecord> pending;  // delivery records waiting for the receipt
  std::size_t bytes() const {
    return held_bytes(acode, account, from, header_from, subject, message_id, direction, ip, act) +
           held_bytes(att_names, att_count, size, held_reason, spam_score) +
           held_bytes(recipients) + held_bytes(delivered_to) + held_bytes(receipt_host) +
           held_bytes(pending);
  }
};

class MimecastAssembler final : public OneTableAssembler<MimecastMessage> {
 public:
  MimecastAssembler(const SourceMapping& source, DecodeCounters* counters)
      : OneTableAssembler(source, counters), source_(source) {}

  Result<void> feed(const syslog::SyslogMessage& msg, event::Timestamp now,
                    std::vector<AssembledRecord>& out) override {
    const std::string_view text = trim(message_text(msg));
    Payload json_fields;  // a JSON line's, which line_ views
    if (text.starts_with("{")) {
      auto decoded = json_payload_decoder().decode(msg, source_);
      if (!decoded) return tl::unexpected(std::move(decoded.error()));
      json_fields = std::move(*decoded);
      line_.clear();
      for (const auto& f : json_fields) line_.push_back({f.name, f.value});
    } else if (auto split = split_pipes(text, line_); !split) {
      return split;
    }
    index_.index(line_);
    const LineIndex& p = index_;
    const std::string acode(trim(p[Key::acode]));
    if (acode.empty()) return {};  // not a message log (e.g. an audit or TTP line)
    count_line();

    Line line;
    line.time = mimecast_time(p[Key::datetime]);
    if (!line.time && msg.timestamp)
      line.time = parse_header_time(*msg.timestamp, msg.protocol, now);
    line.host = msg.hostname.value_or("");

    MimecastMessage& m = open_.open(acode, now, [&](MimecastMessage&& old, Evicted why) {
      if (release(old, out)) count_evicted(why);
    });
    m.acode = acode;
    take(m.account, p[Key::acc]);
    if (!p[Key::delivered].empty()) {
      delivery(m, p, line, out);
    } else if (!p[Key::rcpt].empty()) {
      receipt(m, p, line, out);
    } else {
      process(m, p, line, out);
    }
    return {};
  }

 private:
  bool flushed(MimecastMessage& m, std::vector<AssembledRecord>& out) override {
    return release(m, out);
  }

  struct Line {
    std::optional<event::Timestamp> time;
    std::string_view host;
  };

  static void take(std::string& slot, std::string_view value) {
    value = trim(value);
    if (!value.empty()) slot = value;
  }

  void receipt(MimecastMessage& m, const LineIndex& p, const Line& line,
               std::vector<AssembledRecord>& out) {
    m.have_receipt = true;
    if (!m.receipt_time) m.receipt_time = line.time;
    if (m.receipt_host.empty()) m.receipt_host = line.host;
    take(m.from, p[Key::sender]);
    take(m.header_from, p[Key::header_from]);
    if (m.from.empty()) m.from = m.header_from;
    take(m.subject, p[Key::subject]);
    take(m.message_id, p[Key::msg_id]);
    take(m.direction, p[Key::dir]);
    take(m.ip, p[Key::ip]);
    take(m.act, p[Key::act]);
    take(m.spam_score, p[Key::spam_score]);
    for (const auto& r : split_list(p[Key::rcpt]))
      if (m.recipients.size() < kMaxRecipients &&
          std::find(m.recipients.begin(), m.recipients.end(), r) == m.recipients.end())
        m.recipients.push_back(r);
    if (iequals(m.act, "Rej")) {
      for (const auto& r : split_list(p[Key::rcpt])) {
        AssembledRecord rec = record(m, r, "rejected", line);
        add_field(rec.payload, "rej_type", p[Key::rej_type]);
        add_field(rec.payload, "rej_code", p[Key::rej_code]);
        add_field(rec.payload, "rej_info", p[Key::rej_info]);
        out.push_back(std::move(rec));
      }
      const std::string acode = m.acode;  // `m` lives in the table until close()
      open_.close(acode);
      return;
    }
    for (auto& rec : m.pending) out.push_back(complete(m, std::move(rec)));
    m.pending.clear();
    if (iequals(m.act, "Hld") || !m.held_reason.empty()) held(m, line, out);
  }

  void process(MimecastMessage& m, const LineIndex& p, const Line& line,
               std::vector<AssembledRecord>& out) {
    // AttNames="a.jpg", "b, c.docx": quoted names that may hold commas. Each is taken whole
    // and the list joined with ';', which the mapper splits on in preference to ','.
    if (const std::string_view names = trim(p[Key::att_names]); !names.empty()) {
      m.att_names.clear();
      for (std::size_t i = 0; i < names.size();) {
        std::size_t end;
        std::string_view name;
        if (names[i] == '"') {
          end = names.find('"', i + 1);
          if (end == std::string_view::npos) end = names.size();
          name = names.substr(i + 1, end - i - 1);
          end = names.find(',', end);
        } else {
          end = names.find(',', i);
          name = names.substr(i, end == std::string_view::npos ? end : end - i);
        }
        name = trim(name);
        if (!name.empty()) m.att_names += (m.att_names.empty() ? "" : ";") + std::string(name);
        if (end == std::string_view::npos) break;
        i = end + 1;
        while (i < names.size() && names[i] == ' ') ++i;
      }
    }
    take(m.att_count, p[Key::att_cnt]);
    take(m.size, p[Key::msg_size]);
    take(m.message_id, p[Key::msg_id]);
    take(m.held_reason, p[Key::hld]);
    if (iequals(p[Key::act], "Hld") || !m.held_reason.empty()) held(m, line, out);
  }

  void delivery(MimecastMessage& m, const LineIndex& p, const Line& line,
                std::vector<AssembledRecord>& out) {
    const bool delivered = iequals(trim(p[Key::delivered]), "true");
    if (m.from.empty()) take(m.from, p[Key::sender]);
    if (m.direction.empty()) take(m.direction, p[Key::dir]);
    for (const auto& r : split_list(p[Key::rcpt])) {
      if (m.delivered_to.size() < kMaxRecipients &&
          std::find(m.delivered_to.begin(), m.delivered_to.end(), r) == m.delivered_to.end())
        m.delivered_to.push_back(r);
      AssembledRecord rec = record(m, r, delivered ? "delivered" : "rejected", line);
      add_field(rec.payload, "delivered", p[Key::delivered]);
      add_field(rec.payload, "attempt", p[Key::attempt]);
      add_field(rec.payload, "route", p[Key::route]);
      add_field(rec.payload, "delivery_ip", p[Key::ip]);
      add_field(rec.payload, "tls_ver", p[Key::tls_ver]);
      add_field(rec.payload, "rej_type", p[Key::rej_type]);
      add_field(rec.payload, "rej_code", p[Key::rej_code]);
      add_field(rec.payload, "rej_info", p[Key::rej_info]);
      add_field(rec.payload, "snt", p[Key::snt]);
      if (m.have_receipt)
        out.push_back(std::move(rec));
      else if (m.pending.size() < kMaxRecipients)
        m.pending.push_back(std::move(rec));
    }
  }

  void held(MimecastMessage& m, const Line& line, std::vector<AssembledRecord>& out) {
    if (m.held_emitted || !m.have_receipt) return;  // the receipt emits it on arrival
    m.held_emitted = true;
    for (const auto& r : m.recipients) out.push_back(record(m, r, "held", line));
  }

  /// Fills a waiting delivery record with what the receipt and process lines told.
  static AssembledRecord complete(const MimecastMessage& m, AssembledRecord rec) {
    const std::string to = std::string(field(rec.payload, "to"));
    const std::string action = std::string(field(rec.payload, "action"));
    AssembledRecord full = record(m, to, action, Line{rec.time, {}});
    full.host = rec.host;
    for (auto& f : rec.payload)
      if (field(full.payload, f.name).empty()) full.payload.push_back(std::move(f));
    return full;
  }

  /// The message leaves the table: deliveries still waiting for their receipt go out with
  /// what they know, and receipt recipients no delivery line named go out as "accepted"
  /// (unless already emitted as held). True when either happened: it left unfinished.
  static bool release(MimecastMessage& m, std::vector<AssembledRecord>& out) {
    bool unfinished = !m.pending.empty();
    for (auto& rec : m.pending) out.push_back(std::move(rec));
    m.pending.clear();
    for (const auto& r : m.recipients) {
      if (std::find(m.delivered_to.begin(), m.delivered_to.end(), r) != m.delivered_to.end())
        continue;
      unfinished = true;
      if (!m.held_emitted)
        out.push_back(record(m, r, "accepted", Line{m.receipt_time, m.receipt_host}));
    }
    return unfinished;
  }

  // Deliberately parallel to the other gateway assemblers' record(): each maps its own log's
  // fields onto the shared record names, so the lists look alike but are not one list.
  // The fields record() may give and the most a delivery line adds: one allocation.
  static constexpr std::size_t kRecordFields = 16 + 9;

  static AssembledRecord record(const MimecastMessage& m, std::string_view to,
                                std::string_view action, const Line& line) {
    AssembledRecord r;
    r.time = line.time;
    r.host = line.host;
    Payload& p = r.payload;
    p.reserve(kRecordFields);
    add_field(p, "aCode", m.acode);
    add_field(p, "acc", m.account);
    add_field(p, "from", m.from);
    add_field(p, "header_from", m.header_from);
    add_field(p, "to", to);
    add_field(p, "action", action);
    add_field(p, "act", m.act);
    add_field(p, "subject", m.subject);
    add_field(p, "message_id", m.message_id);
    add_field(p, "direction", m.direction);
    add_field(p, "ip", m.ip);
    add_field(p, "size", m.size);
    add_field(p, "attachment_names", m.att_names);
    add_field(p, "attachment_count", m.att_count);
    add_field(p, "held_reason", m.held_reason);
    add_field(p, "spam_score", m.spam_score);
    return r;
  }

  const SourceMapping& source_;
  LineFields line_;  // the line being fed; kept for its capacity
  LineIndex index_;  // its fields by key
};

}  // namespace

std::unique_ptr<MessageAssembler> make_mimecast_assembler(const SourceMapping& source,
                                                          DecodeCounters* counters) {
  return std::make_unique<MimecastAssembler>(source, counters);
}

}  // namespace probity::decode
