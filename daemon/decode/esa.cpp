// Payload format "esa": Cisco Secure Email Gateway (ESA, AsyncOS) mail logs, by syslog
// push or the textmail file, assembled by MID into one record per message and recipient,
// with connection context from the ICID and DCID lines. Follows the mail log lines
// AsyncOS documents ("Logging" chapter, "Mail Logs" examples); not for the other ESA logs
// (bounce, delivery, status, HTTP), whose lines are read and ignored.
//
// Lines read, after an optional "Www Mmm dd hh:mm:ss yyyy " (textmail) and "Info: ":
//   New SMTP ICID i interface N (ip) address A reverse dns host H verified yes|no
//   ICID i ACCEPT|RELAY|REJECT|TCPREFUSE|... SG GROUP match ... SBRS s ...    ICID i close
//   Start MID m ICID i
//   MID m ICID i From: <F>            MID m ICID i RID r To: <T> [Rejected by ...]
//   MID m Message-ID '<id>'           MID m Subject 'text'
//   MID m ready N bytes from <F>      MID m attachment 'name'
//   MID m matched all recipients for per-recipient policy P in the inbound|outbound table
//   MID m was split creating MID n due to ...  |  MID m rewritten to MID n by ...
//   MID m quarantined to "Q" (why)  |  MID m enqueued for transfer to centralized quarantine "Q"
//   MID m Dropped by ...             MID m DLP violation. Severity: ...
//   New SMTP DCID d interface ip address A port p      DCID d close
//   Delivery start DCID d MID m to RID [r, ...]
//   Message done DCID d MID m to RID [r, ...] [...]
//   Bounced: [DCID d ]MID m to RID r - text    Delayed: DCID d MID m to RID r - text
//   Message finished MID m done|aborted
// A record is emitted per recipient on "Message done" (delivered), Bounced and To: ...
// Rejected (rejected), Dropped (rejected, every recipient not yet final), quarantine
// (quarantined), the first Delayed (deferred). Split and rewritten messages inherit the
// sender, subject and recipients of their parent. "Message finished" closes the MID. A MID
// flushed without it (timeout, max_open) emits recipients that never reached a final
// event without email.action, and is counted. Connection-level REJECT/TCPREFUSE carry no
// addresses, so they give no email event. Everything after the MID keyword is the
// sender's or the appliance's text and is never searched for other MIDs.
#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <unordered_map>

#include "decode/assembler.h"
#include "decode/lru_table.h"
#include "decode/text.h"
#include "decode/values.h"

namespace probity::decode {
namespace {

constexpr std::size_t kMaxConnections = 65536;  // open ICIDs and DCIDs remembered

/// The next space-separated word of `s`, removed from it.
std::string_view word(std::string_view& s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  const std::size_t end = std::min(s.find(' '), s.size());
  const std::string_view w = s.substr(0, end);
  s.remove_prefix(end);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return w;
}

bool is_number(std::string_view s) {
  return !s.empty() && s.size() <= 20 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// "KEY n " at the front of s: n, removed with the key; empty when absent.
std::string_view take_id(std::string_view& s, std::string_view key) {
  std::string_view rest = s;
  if (word(rest) != key) return {};
  const std::string_view id = word(rest);
  if (!is_number(id)) return {};
  s = rest;
  return id;
}

/// "<a@b>" → "a@b"; "<>" → "" (the null sender).
std::string_view angle(std::string_view s) {
  s = trim(s);
  if (s.size() >= 2 && s.front() == '<') {
    const std::size_t close = s.find('>');
    if (close != std::string_view::npos) return s.substr(1, close - 1);
  }
  return s;
}

/// "'text'" → "text": AsyncOS quotes subjects and ids; a cut line keeps what there is.
std::string_view unquote(std::string_view s, char q) {
  s = trim(s);
  if (!s.empty() && s.front() == q) s.remove_prefix(1);
  if (!s.empty() && s.back() == q) s.remove_suffix(1);
  return s;
}

/// "[0, 1, 2]" or "0" → RIDs.
std::vector<std::string> rid_list(std::string_view s) {
  std::vector<std::string> out;
  s = trim(s);
  if (!s.empty() && s.front() == '[') {
    const std::size_t close = s.find(']');
    s = s.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1);
  } else {
    s = s.substr(0, std::min(s.find(' '), s.size()));
  }
  for (auto& item : split_list(s))
    if (is_number(item) && out.size() < kMaxRecipients) out.push_back(std::move(item));
  return out;
}

/// "Sun Mar  1 11:00:00 2026 " (textmail) → the time, removed from s.
std::optional<event::Timestamp> textmail_time(std::string_view& s) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::string_view rest = s;
  const std::string_view weekday = word(rest), month = word(rest), day = word(rest),
                         clock = word(rest), year = word(rest);
  if (weekday.size() != 3 || clock.size() != 8 || year.size() != 4 || !is_number(year) ||
      !is_number(day) || day.size() > 2)
    return std::nullopt;
  const auto m = std::find(kMonths.begin(), kMonths.end(), month);
  if (m == kMonths.end()) return std::nullopt;
  char text[32];
  std::snprintf(text, sizeof text, "%.4s-%02d-%02dT%.8sZ", year.data(),
                static_cast<int>(m - kMonths.begin()) + 1, std::atoi(std::string(day).c_str()),
                clock.data());
  auto t = event::parse_time(text);
  if (t) s = rest;
  return t;
}

struct Connection {
  std::string ip, host, sender_group, verdict, sbrs;
};

struct Recipient {
  std::string rid, address;
  bool final = false, deferred = false;
};

std::size_t connection_bytes(const Connection& c) {
  return decode::held_bytes(c.ip, c.host, c.sender_group, c.verdict, c.sbrs);
}

struct EsaMessage {
  std::string mid, icid, from, subject, message_id, size, policy, direction, dlp;
  std::string quarantine, attachment_names;
  Connection client;
  std::vector<Recipient> recipients;
  bool have_from = false;
  std::vector<AssembledRecord> pending;  // final events for RIDs whose To: was not seen
  std::size_t bytes() const {
    std::size_t n =
        decode::held_bytes(mid, icid, from, subject, message_id, size, policy, direction, dlp) +
        decode::held_bytes(quarantine, attachment_names) + connection_bytes(client) +
        decode::held_bytes(pending) + recipients.capacity() * sizeof(Recipient);
    for (const auto& r : recipients) n += decode::held_bytes(r.rid, r.address);
    return n;
  }
};

class EsaAssembler final : public OneTableAssembler<EsaMessage> {
 public:
  EsaAssembler(const SourceMapping& source, DecodeCounters* counters)
      : OneTableAssembler(source, counters) {}

  Result<void> feed(const syslog::SyslogMessage& msg, event::Timestamp now,
                    std::vector<AssembledRecord>& out) override {
    Line line;
    line.text = trim(message_text(msg));
    line.time = textmail_time(line.text);
    if (!line.time && msg.timestamp)
      line.time = parse_header_time(*msg.timestamp, msg.protocol, now);
    line.host = msg.hostname.value_or("");
    line.now = now;
    for (const std::string_view level : {"Info: ", "Warning: ", "Debug: ", "Trace: ", "Critical: "})
      if (line.text.starts_with(level)) {
        line.text.remove_prefix(level.size());
        break;
      }
    std::string_view s = line.text;
    if (s.starts_with("MID ")) return mid_line(s, line, out);
    if (s.starts_with("Start MID ")) {
      s.remove_prefix(6);
      const std::string_view mid = take_id(s, "MID");
      const std::string_view icid = take_id(s, "ICID");
      if (mid.empty()) return {};
      EsaMessage& m = message(mid, line, out);
      m.icid = icid;
      if (const Connection* c = icids_.find(icid)) m.client = *c;
      count_line();
      return {};
    }
    if (s.starts_with("New SMTP ICID ") || s.starts_with("New SMTP DCID ")) {
      s.remove_prefix(9);
      const bool inbound = s.starts_with("ICID");
      const std::string id(inbound ? take_id(s, "ICID") : take_id(s, "DCID"));
      if (id.empty()) return {};
      Connection c;
      const std::size_t address = s.find(" address ");
      if (address != std::string_view::npos) {
        std::string_view rest = s.substr(address + 9);
        c.ip = word(rest);
        if (rest.starts_with("reverse dns host ")) {
          rest.remove_prefix(17);
          c.host = word(rest);
        }
      }
      remember(inbound ? icids_ : dcids_, id, std::move(c));
      return {};
    }
    if (s.starts_with("ICID ")) {
      const std::string icid(take_id(s, "ICID"));
      if (icid.empty()) return {};
      std::string_view rest = s;
      const std::string_view verdict = word(rest);
      if (verdict == "close") {
        icids_.erase(icid);
        return {};
      }
      if (rest.starts_with("SG ")) {  // ACCEPT, RELAY, REJECT, TCPREFUSE, THROTTLE, CONTINUE
        Connection* found = icids_.find(icid);
        if (!found) {
          remember(icids_, icid, {});
          found = icids_.find(icid);
        }
        Connection& c = *found;
        c.verdict = verdict;
        word(rest);
        c.sender_group = word(rest);
        if (const std::size_t sbrs = rest.find("SBRS "); sbrs != std::string_view::npos) {
          std::string_view score = rest.substr(sbrs + 5);
          c.sbrs = word(score);
        }
      }
      return {};
    }
    if (s.starts_with("DCID ")) {
      const std::string dcid(take_id(s, "DCID"));
      if (word(s) == "close") dcids_.erase(dcid);
      return {};
    }
    if (s.starts_with("Message done ")) {
      s.remove_prefix(13);
      return final_line(s, "delivered", line, out);
    }
    if (s.starts_with("Bounced: ")) {
      s.remove_prefix(9);
      return final_line(s, "rejected", line, out);
    }
    if (s.starts_with("Delayed: ")) {
      s.remove_prefix(9);
      return final_line(s, "deferred", line, out);
    }
    if (s.starts_with("Message finished MID ")) {
      s.remove_prefix(17);
      const std::string_view mid = take_id(s, "MID");
      if (mid.empty()) return {};
      if (auto m = open_.close(mid)) {  // waiting records go out; nothing is invented
        count_line();
        for (auto& rec : m->pending) out.push_back(complete(*m, std::move(rec)));
      }
      return {};
    }
    return {};  // Delivery start, SMTP chatter, system and status lines
  }

 private:
  bool flushed(EsaMessage& m, std::vector<AssembledRecord>& out) override {
    release(m, out);
    return true;
  }

  struct Line {
    std::string_view text;
    std::optional<event::Timestamp> time;
    std::string_view host;
    event::Timestamp now;
  };

  // Least recently used goes: a flood of connections cannot grow this nor push out one
  // whose messages are still arriving.
  void remember(LruTable<Connection>& table, const std::string& id, Connection c) {
    if (table.put(id, std::move(c)) && counters_)
      counters_->streams_evicted.fetch_add(1, std::memory_order_relaxed);
  }

  EsaMessage& message(std::string_view mid, const Line& line, std::vector<AssembledRecord>& out) {
    EsaMessage& m = open_.open(mid, line.now, [&](EsaMessage&& old, Evicted why) {
      count_evicted(why);
      release(old, out);
    });
    if (m.mid.empty()) m.mid = mid;
    return m;
  }

  static Recipient* recipient(EsaMessage& m, std::string_view rid) {
    for (auto& r : m.recipients)
      if (r.rid == rid) return &r;
    if (m.recipients.size() >= kMaxRecipients) return nullptr;
    Recipient& r = m.recipients.emplace_back();
    r.rid = rid;
    return &r;
  }

  Result<void> mid_line(std::string_view s, const Line& line, std::vector<AssembledRecord>& out) {
    const std::string mid(take_id(s, "MID"));
    if (mid.empty()) return {};
    std::string_view rest = s;
    const std::string_view keyword = word(rest);
    // Lines that only describe verdicts (engines, outbreak filters, responses) open nothing.
    static constexpr std::string_view kRead[] = {
        "ICID",     "Message-ID", "Subject", "ready",   "matched", "attachment", "quarantined",
        "enqueued", "rewritten",  "was",     "Dropped", "dropped", "DLP"};
    if (std::find(std::begin(kRead), std::end(kRead), keyword) == std::end(kRead)) return {};
    EsaMessage& m = message(mid, line, out);
    count_line();
    if (keyword == "ICID") {
      take_id(s, "ICID");
      if (m.icid.empty()) m.icid = word(rest);
      if (s.starts_with("From: ")) {
        set_from(m, angle(s.substr(6)), out);
      } else if (s.starts_with("RID ")) {
        const std::string rid(take_id(s, "RID"));
        if (rid.empty() || !s.starts_with("To: ")) return {};
        std::string_view to = s.substr(4);
        const std::size_t rejected = to.find("> Rejected by ");
        Recipient* r = recipient(m, rid);
        if (!r) return {};
        r->address = angle(to);
        if (rejected != std::string_view::npos) {
          r->final = true;
          AssembledRecord rec = record(m, *r, "rejected", line);
          add_field(rec.payload, "reason", trim(to.substr(rejected + 2)));
          emit(m, std::move(rec), out);
        }
      }
    } else if (keyword == "Message-ID") {
      m.message_id = unquote(rest, '\'');
    } else if (keyword == "Subject") {
      m.subject = held(unquote(rest, '\''));
    } else if (keyword == "ready") {
      m.size = word(rest);
      if (word(rest) == "bytes" && word(rest) == "from" && !m.have_from)
        set_from(m, angle(rest), out);
    } else if (keyword == "matched") {
      const std::size_t policy = rest.find("policy ");
      const std::size_t in = rest.rfind(" in the ");
      if (policy != std::string_view::npos && in != std::string_view::npos && in > policy) {
        m.policy = rest.substr(policy + 7, in - policy - 7);
        std::string_view table = rest.substr(in + 8);
        m.direction = word(table);  // "inbound" | "outbound"
      }
    } else if (keyword == "attachment") {
      const std::string_view name = unquote(rest, '\'');
      if (!name.empty() && m.attachment_names.size() < 4096)
        m.attachment_names += (m.attachment_names.empty() ? "" : ";") + std::string(name);
    } else if (keyword == "quarantined" || keyword == "enqueued") {
      const std::size_t open = rest.find('"');
      const std::size_t close = open == std::string_view::npos ? open : rest.find('"', open + 1);
      if (open != std::string_view::npos && close != std::string_view::npos)
        m.quarantine = rest.substr(open + 1, close - open - 1);
      all_remaining(m, "quarantined", trim(rest), line, out, /*final=*/false);
    } else if (keyword == "Dropped" || keyword == "dropped") {
      all_remaining(m, "rejected", trim(line.text.substr(line.text.find(keyword))), line, out,
                    /*final=*/true);
    } else if (keyword == "DLP") {
      m.dlp = trim(rest);
    } else if (keyword == "rewritten" || keyword == "was") {
      // "rewritten to MID n by ..." | "was split creating MID n due to ..."
      std::string_view tail = rest;
      const std::size_t at = tail.find("MID ");
      if (at == std::string_view::npos) return {};
      tail.remove_prefix(at);
      const std::string child(take_id(tail, "MID"));
      if (child.empty() || child == mid) return {};
      EsaMessage copy = m;  // `m` may move when the child's slot evicts: copy first
      copy.mid = child;
      copy.pending.clear();
      for (auto& r : copy.recipients) r.final = r.deferred = false;
      EsaMessage& c = message(child, line, out);
      if (!c.have_from) c = std::move(copy);
    }
    return {};
  }

  /// The sender is known: records that waited for it go out.
  static void set_from(EsaMessage& m, std::string_view from, std::vector<AssembledRecord>& out) {
    m.from = from;
    m.have_from = true;
    for (auto& rec : m.pending) out.push_back(complete(m, std::move(rec)));
    m.pending.clear();
  }

  /// "DCID d MID m to RID [r, ...] ..." | "MID m to RID r - ..." for delivered, bounced,
  /// delayed.
  Result<void> final_line(std::string_view s, std::string_view action, const Line& line,
                          std::vector<AssembledRecord>& out) {
    const std::string dcid(take_id(s, "DCID"));
    const std::string mid(take_id(s, "MID"));
    if (mid.empty() || word(s) != "to" || word(s) != "RID") return {};
    const std::vector<std::string> rids = rid_list(s);
    std::string_view reason;
    if (action != "delivered") {
      const std::size_t dash = s.find(" - ");
      if (dash != std::string_view::npos) reason = trim(s.substr(dash + 3));
    }
    EsaMessage& m = message(mid, line, out);
    count_line();
    std::string delivery_ip;
    if (const Connection* d = dcids_.find(dcid)) delivery_ip = d->ip;
    for (const auto& rid : rids) {
      Recipient* r = recipient(m, rid);
      if (!r || r->final) continue;
      if (action == "deferred") {
        if (r->deferred) continue;  // AsyncOS retries and logs each attempt
        r->deferred = true;
      } else {
        r->final = true;
      }
      AssembledRecord rec = record(m, *r, action, line);
      add_field(rec.payload, "dcid", dcid);
      add_field(rec.payload, "delivery_ip", delivery_ip);
      add_field(rec.payload, "reason", reason);
      emit(m, std::move(rec), out);
    }
    return {};
  }

  void all_remaining(EsaMessage& m, std::string_view action, std::string_view reason,
                     const Line& line, std::vector<AssembledRecord>& out, bool final) {
    for (auto& r : m.recipients) {
      if (r.final) continue;
      r.final = final;
      AssembledRecord rec = record(m, r, action, line);
      add_field(rec.payload, "reason", reason);
      emit(m, std::move(rec), out);
    }
  }

  /// A record waits for the sender (and the RID's address) when they are not known yet.
  static void emit(EsaMessage& m, AssembledRecord rec, std::vector<AssembledRecord>& out) {
    if (m.have_from && !field_of(rec.payload, "to").empty())
      out.push_back(std::move(rec));
    else if (m.pending.size() < kMaxRecipients)
      m.pending.push_back(std::move(rec));
  }

  static std::string_view field_of(const Payload& p, std::string_view name) {
    for (const auto& f : p)
      if (f.name == name) return f.value;
    return {};
  }

  /// A waiting record with what the message learned since (sender, subject, address).
  static AssembledRecord complete(const EsaMessage& m, AssembledRecord rec) {
    Recipient r;
    r.rid = field_of(rec.payload, "rid");
    for (const auto& known : m.recipients)
      if (known.rid == r.rid) r.address = known.address;
    AssembledRecord full =
        record(m, r, field_of(rec.payload, "action"), Line{{}, rec.time, rec.host, {}});
    for (auto& f : rec.payload)
      if (field_of(full.payload, f.name).empty()) full.payload.push_back(std::move(f));
    return full;
  }

  /// Flushed without "Message finished": waiting records with what is known, and the
  /// recipients that never reached a final event, without an action.
  static void release(EsaMessage& m, std::vector<AssembledRecord>& out) {
    for (auto& rec : m.pending) out.push_back(complete(m, std::move(rec)));
    m.pending.clear();
    for (const auto& r : m.recipients)
      if (!r.final && !r.deferred && !r.address.empty()) out.push_back(record(m, r, {}, Line{}));
  }

  // Deliberately parallel to the other gateway assemblers' record(): each maps its own log's
  // fields onto the shared record names, so the lists look alike but are not one list.
  static AssembledRecord record(const EsaMessage& m, const Recipient& r, std::string_view action,
                                const Line& line) {
    AssembledRecord rec;
    rec.time = line.time;
    rec.host = line.host;
    Payload& p = rec.payload;
    add_field(p, "from", m.from);
    add_field(p, "to", r.address);
    add_field(p, "action", action);
    add_field(p, "subject", m.subject);
    add_field(p, "message_id", m.message_id);
    add_field(p, "size", m.size);
    add_field(p, "direction", m.direction);
    add_field(p, "mid", m.mid);
    add_field(p, "icid", m.icid);
    add_field(p, "rid", r.rid);
    add_field(p, "policy", m.policy);
    add_field(p, "quarantine", m.quarantine);
    add_field(p, "dlp", m.dlp);
    add_field(p, "attachment_names", m.attachment_names);
    add_field(p, "client_ip", m.client.ip);
    add_field(p, "client_host", m.client.host);
    add_field(p, "sender_group", m.client.sender_group);
    add_field(p, "sbrs", m.client.sbrs);
    return rec;
  }

  LruTable<Connection> icids_{kMaxConnections}, dcids_{kMaxConnections};
};

}  // namespace

std::unique_ptr<MessageAssembler> make_esa_assembler(const SourceMapping& source,
                                                     DecodeCounters* counters) {
  return std::make_unique<EsaAssembler>(source, counters);
}

}  // namespace probity::decode
