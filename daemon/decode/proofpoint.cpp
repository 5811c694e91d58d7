// Payload format "proofpoint": Proofpoint Protection Server (PPS) filter log joined with its
// sendmail MTA log by qid, into one record per message and recipient with the final
// disposition. Follows the PPS "filter log" line layout (rprt|info s= m= x= mod= cmd= and
// module keys) and sendmail's documented log lines; not for PPS's other logs (admin, smart
// search export) nor for TAP, which arrives as RFC 5424 structured data (config/GATEWAYS.md).
//
// Filter lines (program filter_instanceN), keyed by x= (one message of a session):
//   cmd=connect ip= country= lip= helo=     cmd=env_from value=<F>    cmd=env_rcpt value=<T>
//   mod=mail cmd=msg ... subject="..." hdr_mid=<id> size= qid=Q rcpts=N attachments=N
//   mod=spam|av|zerohour|dmarc|access|... cmd=run rule= action= score= spamscore= ...
//   cmd=send profile=mail qid=Q rcpts=a,b      mod=session cmd=disconnect
// sendmail lines (program sendmail), keyed by the queue id Q:
//   Q: from=<F>, size=N, class=0, nrcpts=N, msgid=<id>, proto=ESMTP, relay=...
//   Q: to=<a>,<b>, [ctladdr=...,] delay=, xdelay=, mailer=, pri=, relay=, dsn=X.Y.Z, stat=...
// A record is emitted per recipient on its sendmail delivery line (stat=Sent: delivered; the
// first Deferred: deferred; a 5.x.x dsn: rejected), with the filter's view (subject, rules,
// scores) when the filter's qid line came first. A filter action of quarantine, discard or
// reject emits for every envelope recipient at once (quarantined / rejected). A delivery
// seen before any sender waits for it until the message is flushed. A queued message whose
// filter named recipients that sendmail never logged a final line for (its log not
// forwarded, or a delivery later than the timeout) emits them at the flush as "accepted".
#include <algorithm>

#include "decode/assembler.h"
#include "decode/email.h"
#include "decode/text.h"
#include "decode/values.h"

namespace probity::decode {
namespace {

using Pairs = std::vector<std::pair<std::string_view, std::string>>;

/// "k=v k="quoted \"v\"" ..." → pairs; a quoted value runs to its unescaped closing quote
/// (to the end when cut), so a subject cannot add keys.
Pairs filter_pairs(std::string_view s) {
  Pairs out;
  std::size_t i = 0;
  while (i < s.size() && out.size() < kMaxPayloadFields) {
    while (i < s.size() && s[i] == ' ') ++i;
    const std::size_t eq = s.find('=', i);
    const std::size_t space = s.find(' ', i);
    if (eq == std::string_view::npos) break;
    if (space != std::string_view::npos && space < eq) {  // a word without '=': skip it
      i = space + 1;
      continue;
    }
    const std::string_view key = s.substr(i, eq - i);
    std::string value;
    std::size_t j = eq + 1;
    if (j < s.size() && s[j] == '"') {
      for (++j; j < s.size() && s[j] != '"'; ++j) {
        if (s[j] == '\\' && j + 1 < s.size()) ++j;
        value += s[j];
      }
      ++j;
    } else {
      const std::size_t end = std::min(s.find(' ', j), s.size());
      value = s.substr(j, end - j);
      j = end;
    }
    out.emplace_back(key, std::move(value));
    i = j;
  }
  return out;
}

std::string_view pair(const Pairs& pairs, std::string_view key) {
  for (const auto& [k, v] : pairs)
    if (k == key) return v;
  return {};
}

bool is_sendmail_qid(std::string_view s) {
  return s.size() >= 8 && s.size() <= 20 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
         });
}

/// What the filter knows of one message (x=).
struct FilterView {
  std::string x, session, from, subject, message_id, size, qid, client_ip, country, helo;
  std::string rules, actions, spam_score, phish_score, quarantine_folder, routes;
  std::vector<std::string> recipients;
  bool disposed = false;  // a quarantine/discard/reject was emitted
  std::size_t bytes() const {
    return held_bytes(x, session, from, subject, message_id, size, qid, client_ip, country, helo) +
           held_bytes(rules, actions, spam_score, phish_score, quarantine_folder, routes) +
           held_bytes(recipients);
  }
};

struct ProofpointDelivery {
  std::string to, action, dsn, stat, relay, mailer, delay;
  std::optional<event::Timestamp> time;
  std::string host;
  std::size_t bytes() const {
    return held_bytes(to, action, dsn, stat, relay, mailer, delay, host);
  }
};

/// One sendmail queue id: the MTA's view, plus the filter's once linked by qid.
struct QueuedMessage {
  std::string qid, from, size, message_id, nrcpts;
  bool have_from = false;
  std::optional<FilterView> filter;
  std::vector<ProofpointDelivery> pending;
  std::vector<std::string> deferred_to;
  std::vector<std::string> final_to;     // recipients given a delivered or rejected record
  std::optional<event::Timestamp> time;  // of the line that linked the filter's view
  std::string host;
  std::size_t bytes() const {
    std::size_t n = held_bytes(qid, from, size, message_id, nrcpts, host) +
                    held_bytes(deferred_to) + held_bytes(final_to) +
                    (filter ? filter->bytes() : 0) +
                    pending.capacity() * sizeof(ProofpointDelivery);
    for (const auto& d : pending) n += d.bytes();
    return n;
  }
};

class ProofpointAssembler final : public MessageAssembler {
 public:
  ProofpointAssembler(const SourceMapping& source, DecodeCounters* counters)
      : sessions_(source.assembly), queued_(source.assembly), counters_(counters) {}

  Result<void> feed(const syslog::SyslogMessage& msg, event::Timestamp now,
                    std::vector<AssembledRecord>& out) override {
    Line line;
    line.text = trim(message_text(msg));
    if (msg.timestamp) line.time = parse_header_time(*msg.timestamp, msg.protocol, now);
    line.host = msg.hostname.value_or("");
    line.now = now;
    std::string_view s = line.text;
    for (const std::string_view level : {"rprt ", "info ", "err ", "warn ", "note "})
      if (s.starts_with(level)) return filter_line(s.substr(level.size()), line, out);
    const std::size_t colon = s.find(": ");
    if (colon != std::string_view::npos && is_sendmail_qid(s.substr(0, colon)))
      return sendmail_line(s.substr(0, colon), s.substr(colon + 2), line, out);
    return {};  // sendmail daemon chatter, filter start-up and status lines
  }

  void flush(event::Timestamp now, bool all, std::vector<AssembledRecord>& out) override {
    sessions_.expire(now, all, [](FilterView&&, auto) {});  // context only: nothing to emit
    flush_open(queued_, now, all, counters_, PayloadFormat::proofpoint,
               [&](QueuedMessage& m) { return release(m, out); });
  }

  std::size_t open_messages() const override { return sessions_.size() + queued_.size(); }
  std::size_t held_bytes() override { return sessions_.bytes() + queued_.bytes(); }

 private:
  struct Line {
    std::string_view text;
    std::optional<event::Timestamp> time;
    std::string_view host;
    event::Timestamp now;
  };

  void counted() { count_assembled_line(counters_); }

  QueuedMessage& queued(std::string_view qid, const Line& line, std::vector<AssembledRecord>& out) {
    QueuedMessage& m = queued_.open(qid, line.now, [&](QueuedMessage&& old, Evicted why) {
      // its context is lost for later lines, delivered or not
      release(old, out);
      count_early_eviction(counters_, why, PayloadFormat::proofpoint);
    });
    if (m.qid.empty()) m.qid = qid;
    return m;
  }

  Result<void> filter_line(std::string_view text, const Line& line,
                           std::vector<AssembledRecord>& out) {
    const Pairs p = filter_pairs(text);
    const std::string x(pair(p, "x"));
    if (x.empty()) return {};
    counted();
    FilterView& f = sessions_.open(x, line.now, [&](FilterView&&, Evicted why) {
      count_early_eviction(counters_, why, PayloadFormat::proofpoint);
    });
    if (f.x.empty()) f.x = x;
    const std::string_view cmd = pair(p, "cmd"), mod = pair(p, "mod");
    const auto take = [&](std::string& slot, std::string_view key) {
      const std::string_view v = trim(pair(p, key));
      if (!v.empty()) slot = v;
    };
    take(f.session, "s");
    if (cmd == "connect") {
      take(f.client_ip, "ip");
      take(f.country, "country");
      take(f.helo, "helo");
    } else if (cmd == "env_from") {
      f.from = strip_angles(trim(pair(p, "value")));
      if (f.from.empty()) f.from = "MAILER-DAEMON";
    } else if (cmd == "env_rcpt") {
      const std::string_view to = strip_angles(trim(pair(p, "value")));
      if (!to.empty() && f.recipients.size() < kMaxRecipients &&
          std::find(f.recipients.begin(), f.recipients.end(), to) == f.recipients.end())
        f.recipients.emplace_back(to);
    }
    take(f.subject, "subject");
    take(f.message_id, "hdr_mid");
    take(f.size, "size");
    take(f.routes, "routes");
    take(f.spam_score, "spamscore");
    take(f.phish_score, "phishscore");
    if (mod == "spam" && f.spam_score.empty()) take(f.spam_score, "score");
    take(f.quarantine_folder, "folder");
    const std::string_view rule = pair(p, "rule");
    const std::string_view action = pair(p, "action");
    if (!rule.empty() && f.rules.size() < 1024)
      f.rules += (f.rules.empty() ? "" : ";") + std::string(mod) + ":" + std::string(rule);
    if (!action.empty() && f.actions.size() < 1024)
      f.actions += (f.actions.empty() ? "" : ";") + std::string(mod) + ":" + std::string(action);

    if (const std::string_view qid = pair(p, "qid"); is_sendmail_qid(qid)) {
      f.qid = qid;
      FilterView copy = f;  // the queued table may evict: keep the filter's view by value
      QueuedMessage& q = queued(qid, line, out);
      q.filter = std::move(copy);
      q.time = line.time;
      q.host = line.host;
      if (!q.have_from && !q.filter->from.empty()) {
        q.from = q.filter->from;
        q.have_from = true;
      }
      for (const auto& d : q.pending) out.push_back(record(q, d));
      q.pending.clear();
    }
    // The filter's own disposition: nothing reaches sendmail's delivery for these.
    const std::string lowered = to_lower(action);
    const bool quarantine = lowered.find("quarantine") != std::string::npos;
    const bool dropped =
        lowered.find("discard") != std::string::npos || lowered.find("reject") != std::string::npos;
    if ((quarantine || dropped) && !f.disposed) {
      f.disposed = true;
      if (!f.qid.empty())  // its queued copy must not emit the recipients again at the flush
        if (QueuedMessage* q = queued_.find(f.qid, line.now); q && q->filter)
          q->filter->disposed = true;
      QueuedMessage m;
      m.qid = pair(p, "qid");
      m.from = f.from;
      m.filter = f;
      for (const auto& to : f.recipients) {
        ProofpointDelivery d;
        d.to = to;
        d.action = dropped ? "rejected" : "quarantined";
        d.stat = std::string(mod) + ":" + std::string(action);
        d.time = line.time;
        d.host = line.host;
        out.push_back(record(m, d));
      }
    }
    return {};
  }

  Result<void> sendmail_line(std::string_view qid, std::string_view rest, const Line& line,
                             std::vector<AssembledRecord>& out) {
    if (rest.starts_with("from=")) {
      QueuedMessage& m = queued(qid, line, out);
      counted();
      for (std::string_view item : attributes(rest)) {
        if (item.starts_with("from=")) {
          m.from = strip_angles(trim(item.substr(5)));
          if (m.from.empty()) m.from = "MAILER-DAEMON";
          m.have_from = true;
        } else if (item.starts_with("size=")) {
          m.size = item.substr(5);
        } else if (item.starts_with("msgid=")) {
          m.message_id = strip_angles(trim(item.substr(6)));
        } else if (item.starts_with("nrcpts=")) {
          m.nrcpts = item.substr(7);
        }
      }
      for (const auto& d : m.pending) out.push_back(record(m, d));
      m.pending.clear();
      return {};
    }
    if (!rest.starts_with("to=")) return {};  // DSN notices, "done", clone lines
    const std::size_t stat_at = rest.find(", stat=");
    if (stat_at == std::string_view::npos) return {};  // a cut line: nothing is invented
    const std::string_view stat = trim(rest.substr(stat_at + 7));
    ProofpointDelivery d;
    for (std::string_view item : attributes(rest.substr(0, stat_at))) {
      if (item.starts_with("dsn=")) d.dsn = item.substr(4);
      if (item.starts_with("relay=")) d.relay = item.substr(6);
      if (item.starts_with("mailer=")) d.mailer = item.substr(7);
      if (item.starts_with("delay=")) d.delay = item.substr(6);
    }
    if (stat.starts_with("Sent"))
      d.action = "delivered";
    else if (stat.starts_with("Deferred"))
      d.action = "deferred";
    else if (d.dsn.starts_with("5"))
      d.action = "rejected";
    else
      return {};  // queued, or a status sendmail does not call final
    d.stat = stat;
    d.time = line.time;
    d.host = line.host;
    QueuedMessage& m = queued(qid, line, out);
    counted();
    // to=<a>,<b>,... up to the first ", " attribute separator
    const std::string_view tos = rest.substr(3, rest.find(", ") - 3);
    for (const auto& to : split_addresses(tos)) {
      ProofpointDelivery one = d;
      one.to = to;
      if (one.action == "deferred") {
        if (std::find(m.deferred_to.begin(), m.deferred_to.end(), to) != m.deferred_to.end())
          continue;  // sendmail retries and logs every attempt
        if (m.deferred_to.size() < kMaxRecipients) m.deferred_to.push_back(to);
      } else if (m.final_to.size() < kMaxRecipients &&
                 std::find(m.final_to.begin(), m.final_to.end(), to) == m.final_to.end()) {
        m.final_to.push_back(to);
      }
      if (m.have_from)
        out.push_back(record(m, one));
      else if (m.pending.size() < kMaxRecipients)
        m.pending.push_back(std::move(one));
    }
    return {};
  }

  /// The message leaves the table: deliveries waiting for a sender go out with what they
  /// know, and recipients the filter named that sendmail gave no final line (nor a deferral)
  /// go out as "accepted", unless the filter disposed of the message itself. True when
  /// either happened: it left unfinished.
  static bool release(QueuedMessage& m, std::vector<AssembledRecord>& out) {
    bool unfinished = !m.pending.empty();
    for (const auto& d : m.pending) out.push_back(record(m, d));
    m.pending.clear();
    if (!m.filter || m.filter->disposed) return unfinished;
    const auto seen = [](const std::vector<std::string>& v, const std::string& to) {
      return std::find(v.begin(), v.end(), to) != v.end();
    };
    for (const auto& to : m.filter->recipients) {
      if (seen(m.final_to, to) || seen(m.deferred_to, to)) continue;
      ProofpointDelivery d;
      d.to = to;
      d.action = "accepted";
      d.time = m.time;
      d.host = m.host;
      out.push_back(record(m, d));
      unfinished = true;
    }
    return unfinished;
  }

  /// sendmail's "a=1, b=<x>, c=y" attributes.
  static std::vector<std::string_view> attributes(std::string_view s) {
    std::vector<std::string_view> out;
    while (!s.empty() && out.size() < kMaxPayloadFields) {
      const std::size_t sep = s.find(", ");
      out.push_back(trim(s.substr(0, sep)));
      if (sep == std::string_view::npos) break;
      s.remove_prefix(sep + 2);
    }
    return out;
  }

  // Deliberately parallel to the other gateway assemblers' record(): each maps its own log's
  // fields onto the shared record names, so the lists look alike but are not one list.
  static AssembledRecord record(const QueuedMessage& m, const ProofpointDelivery& d) {
    AssembledRecord r;
    r.time = d.time;
    r.host = d.host;
    Payload& p = r.payload;
    const FilterView* f = m.filter ? &*m.filter : nullptr;
    add_field(p, "from", m.have_from || !f ? std::string_view(m.from) : std::string_view(f->from));
    add_field(p, "to", d.to);
    add_field(p, "action", d.action);
    add_field(p, "subject", f ? std::string_view(f->subject) : std::string_view{});
    add_field(p, "message_id",
              !m.message_id.empty() || !f ? std::string_view(m.message_id)
                                          : std::string_view(f->message_id));
    add_field(p, "size",
              !m.size.empty() || !f ? std::string_view(m.size) : std::string_view(f->size));
    add_field(p, "qid", m.qid);
    add_field(p, "stat", d.stat);
    add_field(p, "dsn", d.dsn);
    add_field(p, "relay", d.relay);
    add_field(p, "mailer", d.mailer);
    add_field(p, "delay", d.delay);
    if (f) {
      add_field(p, "x", f->x);
      add_field(p, "s", f->session);
      add_field(p, "client_ip", f->client_ip);
      add_field(p, "country", f->country);
      add_field(p, "helo", f->helo);
      add_field(p, "rules", f->rules);
      add_field(p, "actions", f->actions);
      add_field(p, "routes", f->routes);
      add_field(p, "spam_score", f->spam_score);
      add_field(p, "phish_score", f->phish_score);
      add_field(p, "quarantine_folder", f->quarantine_folder);
    }
    return r;
  }

  OpenMessages<FilterView> sessions_;
  OpenMessages<QueuedMessage> queued_;
  DecodeCounters* counters_;
};

}  // namespace

std::unique_ptr<MessageAssembler> make_proofpoint_assembler(const SourceMapping& source,
                                                            DecodeCounters* counters) {
  return std::make_unique<ProofpointAssembler>(source, counters);
}

}  // namespace probity::decode
