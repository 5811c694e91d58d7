// Payload format "postfix": the Postfix maillog, assembled by queue id into one record per
// message and recipient. Follows the log lines Postfix documents (postfix.org, the daemons'
// man pages); not a general Postfix log analyser (no TLS, postscreen or anvil statistics).
//
// Lines read, after "QUEUEID: " (short hex id, or the enable_long_queue_ids form):
//   smtpd    client=HOST[IP][, sasl_method=M, sasl_username=U]
//   pickup   uid=N from=<ADDR>
//   cleanup  message-id=<ID>
//   cleanup  warning|info: header Subject: TEXT from CLIENT; from=<F> to=<T> ...  (header_checks)
//   cleanup  reject|discard|hold: header ... ; from=<F> to=<T> ...
//   smtpd    reject: RCPT from CLIENT: REPLY; from=<F> to=<T> proto=P helo=<H>
//   qmgr     from=<ADDR>, size=N, nrcpt=N (queue active)  |  from=<ADDR>, status=expired, ...
//   smtp, lmtp, local, virtual, pipe, error, discard:
//            to=<ADDR>[, orig_to=<ADDR>], relay=R, [conn_use=N, ]delay=D, delays=a/b/c/d,
//            dsn=X.Y.Z, status=sent|deferred|bounced|expired (REPLY)
//   qmgr     removed
// and "NOQUEUE: reject: STAGE from CLIENT: REPLY; from=<F> to=<T> proto=P helo=<H>".
// A record is emitted per recipient when its delivery line arrives (sent, the first
// deferral, bounced, expired), or at once for rejects and holds. A delivery seen before
// the sender (lost or reordered qmgr line) waits until the sender arrives or the message
// is flushed. Lines may also arrive as whole maillog lines inside MSG (rsyslog imfile
// without needParse): the embedded "Mmm dd hh:mm:ss host postfix/x[pid]: " is parsed.
#include <algorithm>

#include "decode/assembler.h"
#include "decode/email.h"
#include "decode/text.h"
#include "decode/values.h"

namespace probity::decode {
namespace {

constexpr std::string_view kNullSender = "MAILER-DAEMON";

struct Delivery {
  std::string to, orig_to, relay, delay, dsn, status, reply, agent, action;
  std::optional<event::Timestamp> time;
  std::string host;
  std::size_t bytes() const {
    return held_bytes(to, orig_to, relay, delay, dsn, status, reply, agent, action, host);
  }
};

struct PostfixMessage {
  std::string queue_id, client, client_ip, sasl_username, message_id, from, size, nrcpt, subject;
  bool have_from = false;
  std::vector<Delivery> pending;         // deliveries seen before the sender
  std::vector<std::string> deferred_to;  // recipients whose deferral was already emitted
  std::size_t bytes() const {
    std::size_t n = held_bytes(queue_id, client, client_ip, sasl_username, message_id, from, size,
                               nrcpt, subject) +
                    held_bytes(deferred_to) + pending.capacity() * sizeof(Delivery);
    for (const auto& d : pending) n += d.bytes();
    return n;
  }
};

bool is_long_id_char(char c) {
  // Postfix mail_queue.h: base-52 digits 0-9 and consonants; 'z' only as the separator.
  if (c >= '0' && c <= '9') return true;
  if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'y'))) return false;
  return std::string_view("AEIOUaeiou").find(c) == std::string_view::npos;
}

/// Short ids are upper-case hex; long ids (enable_long_queue_ids) are 6 base-52 digits of
/// seconds, 4 of microseconds, 'z', then the inode number in base 51 (mail_queue.h).
bool is_queue_id(std::string_view s) {
  if (s.size() < 6 || s.size() > 40) return false;
  if (std::all_of(s.begin(), s.end(),
                  [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); }))
    return true;
  if (s.size() < 12 || s[10] != 'z') return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (i != 10 && !is_long_id_char(s[i])) return false;
  return true;
}

/// "k=v, k=<v>, status=sent (reply)" → pairs. A value in <> runs to the '>' that is
/// followed by ", " or the end, so a quoted local part with ", " stays whole. After
/// status= the first word is the value and the rest the reply (returned in `reply`).
std::vector<std::pair<std::string_view, std::string_view>> attributes(std::string_view text,
                                                                      std::string_view* reply) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  std::size_t i = 0;
  while (i < text.size() && out.size() < kMaxPayloadFields) {
    const std::size_t eq = text.find('=', i);
    if (eq == std::string_view::npos) break;
    const std::string_view key = trim(text.substr(i, eq - i));
    std::size_t end;
    if (key == "status") {
      end = text.find_first_of(" ,", eq + 1);  // "status=sent (..)", "status=expired, .."
      if (end == std::string_view::npos) end = text.size();
      out.emplace_back(key, text.substr(eq + 1, end - eq - 1));
      if (end < text.size() && text[end] == ',') ++end;
      if (reply && end < text.size()) *reply = strip_angles(trim(text.substr(end + 1)));
      if (reply && reply->size() >= 2 && reply->front() == '(' && reply->back() == ')')
        *reply = reply->substr(1, reply->size() - 2);
      break;
    }
    if (eq + 1 < text.size() && text[eq + 1] == '<') {
      end = eq + 1;
      for (;;) {
        const std::size_t close = text.find('>', end + 1);
        if (close == std::string_view::npos) {
          end = text.size();
          break;
        }
        end = close + 1;
        if (end == text.size() || text.substr(end).starts_with(", ")) break;
      }
    } else {
      end = text.find(", ", eq + 1);
      if (end == std::string_view::npos) end = text.size();
    }
    out.emplace_back(key, text.substr(eq + 1, end - eq - 1));
    i = end + 2;
  }
  return out;
}

std::string_view attribute(const std::vector<std::pair<std::string_view, std::string_view>>& attrs,
                           std::string_view key) {
  for (const auto& [k, v] : attrs)
    if (k == key) return v;
  return {};
}

/// "HOST[IP]" or "HOST[IP]:PORT" → {HOST, IP}.
std::pair<std::string_view, std::string_view> host_and_ip(std::string_view s) {
  const std::size_t open = s.find('[');
  const std::size_t close = s.find(']', open == std::string_view::npos ? 0 : open);
  if (open == std::string_view::npos || close == std::string_view::npos) return {s, {}};
  return {s.substr(0, open), s.substr(open + 1, close - open - 1)};
}

/// The envelope trailer smtpd and cleanup append to rejects and header actions:
/// "...; from=<F> to=<T> proto=P helo=<H>[: TEXT]". Everything before it (a Subject, a
/// reply that quotes the recipient) is sender-controlled, so the trailer is the last
/// "; from=<" and the prefix cannot forge it.
struct Trailer {
  std::string_view before;  // text up to "; from=<"
  std::string_view from, to, proto, helo;
};

std::optional<Trailer> envelope_trailer(std::string_view text) {
  const std::size_t at = text.rfind("; from=<");
  if (at == std::string_view::npos) return std::nullopt;
  Trailer t;
  t.before = text.substr(0, at);
  std::string_view rest = text.substr(at + 2);
  const auto take = [&](std::string_view key) -> std::string_view {
    if (!rest.starts_with(key)) return {};
    rest.remove_prefix(key.size());
    std::size_t end;
    if (!rest.empty() && rest.front() == '<') {
      end = rest.find("> ");
      end = end == std::string_view::npos ? rest.size() : end + 1;
      if (end == rest.size() && rest.find(">:") != std::string_view::npos)
        end = rest.find(">:") + 1;
    } else {
      end = std::min(rest.find(' '), rest.size());
    }
    const std::string_view v = rest.substr(0, end);
    rest.remove_prefix(end);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    return strip_angles(v);
  };
  t.from = take("from=");
  t.to = take("to=");
  t.proto = take("proto=");
  t.helo = take("helo=");
  return t;
}

std::string sender_text(std::string_view from) {
  from = trim(from);
  return from.empty() ? std::string(kNullSender) : std::string(from);
}

class PostfixAssembler final : public OneTableAssembler<PostfixMessage> {
 public:
  PostfixAssembler(const SourceMapping& source, DecodeCounters* counters)
      : OneTableAssembler(source, counters), internal_domains_(source.internal_domains) {}

  Result<void> feed(const syslog::SyslogMessage& outer, event::Timestamp now,
                    std::vector<AssembledRecord>& out) override {
    // A whole maillog line inside MSG (rsyslog imfile, whose tag becomes the app-name) is
    // read as the line Postfix wrote. Normal messages fail this parse at the first byte.
    const syslog::SyslogMessage* msg = &outer;
    std::optional<syslog::SyslogMessage> embedded;
    if (auto inner = syslog::parse_rfc3164(message_text(outer));
        inner && is_postfix_program(inner->app_name)) {
      if (!inner->hostname) inner->hostname = outer.hostname;
      embedded = std::move(*inner);
      msg = &*embedded;
    }
    Line line;
    line.text = trim(message_text(*msg));
    line.agent = daemon_name(msg->app_name.value_or(""));
    if (msg->timestamp) line.time = parse_header_time(*msg->timestamp, msg->protocol, now);
    line.host = msg->hostname.value_or("");
    line.now = now;

    const std::size_t colon = line.text.find(": ");
    if (colon == std::string_view::npos) return {};  // "connect from ...", statistics
    const std::string_view id = line.text.substr(0, colon);
    line.rest = line.text.substr(colon + 2);
    if (id == "NOQUEUE") {
      noqueue(line, out);
      return {};
    }
    if (!is_queue_id(id)) return {};  // "warning: ...", "fatal: ...": not about a message
    queued(id, line, out);
    return {};
  }

 private:
  bool flushed(PostfixMessage& m, std::vector<AssembledRecord>& out) override {
    emit_pending(m, out);
    return true;
  }

  struct Line {
    std::string_view text, rest, agent;
    std::optional<event::Timestamp> time;
    std::string_view host;
    event::Timestamp now;
  };

  static bool is_postfix_program(const std::optional<std::string_view>& app) {
    // "postfix/smtpd", "postfix-out/smtp", "postfix/submission/smtpd" (syslog_name).
    return app && app->find('/') != std::string_view::npos &&
           to_lower(app->substr(0, 7)) == "postfix";
  }

  static std::string_view daemon_name(std::string_view app) {
    const std::size_t slash = app.rfind('/');
    return slash == std::string_view::npos ? app : app.substr(slash + 1);
  }

  PostfixMessage& message(std::string_view id, const Line& line,
                          std::vector<AssembledRecord>& out) {
    PostfixMessage& m = open_.open(id, line.now, [&](PostfixMessage&& old, Evicted why) {
      count_evicted(why);
      emit_pending(old, out);
    });
    if (m.queue_id.empty()) m.queue_id = id;
    return m;
  }

  void queued(std::string_view id, const Line& line, std::vector<AssembledRecord>& out) {
    std::string_view rest = line.rest;
    if (rest == "removed") {
      if (auto m = open_.close(id)) emit_pending(*m, out);
      return;
    }
    // Actions of header/body checks and smtpd restrictions: "reject: ...", "hold: ...".
    for (const std::string_view action :
         {"reject: ", "milter-reject: ", "discard: ", "hold: ", "warning: ", "info: "}) {
      if (!rest.starts_with(action)) continue;
      policy_action(id, action.substr(0, action.size() - 2), rest.substr(action.size()), line, out);
      return;
    }
    if (rest.starts_with("client=")) {
      PostfixMessage& m = message(id, line, out);
      const auto attrs = attributes(rest, nullptr);
      const auto [host, ip] = host_and_ip(attribute(attrs, "client"));
      m.client = host;
      m.client_ip = ip;
      m.sasl_username = attribute(attrs, "sasl_username");
    } else if (rest.starts_with("message-id=")) {
      message(id, line, out).message_id = strip_angles(trim(rest.substr(11)));
    } else if (rest.starts_with("uid=")) {  // pickup: local submission (sendmail command)
      PostfixMessage& m = message(id, line, out);
      if (m.client.empty()) m.client = "local";
    } else if (rest.starts_with("from=<")) {
      PostfixMessage& m = message(id, line, out);
      const auto attrs = attributes(rest, nullptr);
      m.from = sender_text(strip_angles(attribute(attrs, "from")));
      m.have_from = true;
      if (const auto size = attribute(attrs, "size"); !size.empty()) m.size = size;
      if (const auto n = attribute(attrs, "nrcpt"); !n.empty()) m.nrcpt = n.substr(0, n.find(' '));
      if (attribute(attrs, "status") == "expired") expired(m, line, out);
      emit_pending(m, out);
    } else if (rest.starts_with("to=<")) {
      delivery(id, line, out);
    } else {
      return;  // bounce/defer notifications, "sender non-delivery notification", ...
    }
    count_line();
  }

  void delivery(std::string_view id, const Line& line, std::vector<AssembledRecord>& out) {
    std::string_view reply;
    const auto attrs = attributes(line.rest, &reply);
    const std::string_view status = attribute(attrs, "status");
    std::string_view action;
    if (status == "sent")
      action = "delivered";
    else if (status == "deferred")
      action = "deferred";
    else if (status == "bounced" || status == "expired")
      action = "rejected";
    else
      return;  // address-verification probes ("deliverable", "undeliverable")
    PostfixMessage& m = message(id, line, out);
    Delivery d;
    d.to = strip_angles(attribute(attrs, "to"));
    d.orig_to = strip_angles(attribute(attrs, "orig_to"));
    d.relay = attribute(attrs, "relay");
    d.delay = attribute(attrs, "delay");
    d.dsn = attribute(attrs, "dsn");
    d.status = status;
    d.reply = held(reply);  // SMTP replies are the remote server's text: any length
    d.agent = line.agent;
    d.action = action;
    d.time = line.time;
    d.host = line.host;
    if (status == "deferred") {
      // Postfix retries for days and logs every attempt; one event says "it is queued".
      if (std::find(m.deferred_to.begin(), m.deferred_to.end(), d.to) != m.deferred_to.end())
        return;
      if (m.deferred_to.size() < kMaxRecipients) m.deferred_to.push_back(d.to);
    }
    if (m.have_from) {
      out.push_back(record(m, d));
    } else if (m.pending.size() < kMaxRecipients) {
      m.pending.push_back(std::move(d));
    }
  }

  /// qmgr "status=expired, returned to sender": every recipient still deferred is given up.
  void expired(PostfixMessage& m, const Line& line, std::vector<AssembledRecord>& out) {
    for (const auto& to : m.deferred_to) {
      Delivery d;
      d.to = to;
      d.status = "expired";
      d.action = "rejected";
      d.reply = "returned to sender";
      d.agent = line.agent;
      d.time = line.time;
      d.host = line.host;
      out.push_back(record(m, d));
    }
    m.deferred_to.clear();
  }

  void policy_action(std::string_view id, std::string_view action, std::string_view text,
                     const Line& line, std::vector<AssembledRecord>& out) {
    const auto trailer = envelope_trailer(text);
    if (!trailer) return;
    PostfixMessage& m = message(id, line, out);
    count_line();
    if (action == "warning" || action == "info") {
      // header_checks "/^Subject:/ WARN" is how sites log subjects: "header Subject: TEXT
      // from CLIENT". TEXT is the sender's; CLIENT is the last " from " before the trailer.
      std::string_view before = trailer->before;
      if (before.size() >= 16 && iequals(before.substr(0, 16), "header Subject: ")) {
        const std::size_t from = before.rfind(" from ");
        m.subject = held(trim(before.substr(
            16, from == std::string_view::npos || from < 16 ? std::string_view::npos : from - 16)));
      }
      return;
    }
    Delivery d;
    d.to = trailer->to;
    d.status = action;
    d.action = action == "hold" ? "held" : "rejected";
    d.reply = held(trailer->before);
    d.agent = line.agent;
    d.time = line.time;
    d.host = line.host;
    if (!m.have_from) {
      m.from = sender_text(trailer->from);
      m.have_from = true;
    }
    out.push_back(record(m, d));
  }

  void noqueue(const Line& line, std::vector<AssembledRecord>& out) {
    std::string_view rest = line.rest;
    if (!rest.starts_with("reject: ") && !rest.starts_with("milter-reject: ")) return;
    rest.remove_prefix(rest.find(' ') + 1);
    const auto trailer = envelope_trailer(rest);
    if (!trailer) return;
    count_line();
    // "RCPT from host[ip]: 554 5.7.1 <x@y>: Relay access denied"
    PostfixMessage m;
    m.queue_id = "NOQUEUE";
    m.from = sender_text(trailer->from);
    std::string_view before = trailer->before;
    const std::size_t from = before.find(" from ");
    std::string_view stage, reply = before;
    if (from != std::string_view::npos) {
      stage = before.substr(0, from);
      const std::size_t colon = before.find(": ", from);
      const auto [host, ip] = host_and_ip(before.substr(
          from + 6, colon == std::string_view::npos ? std::string_view::npos : colon - from - 6));
      m.client = host;
      m.client_ip = ip;
      reply = colon == std::string_view::npos ? std::string_view{} : before.substr(colon + 2);
    }
    Delivery d;
    d.to = trailer->to;
    d.status = "reject";
    d.action = "rejected";
    d.reply = held(reply);  // SMTP replies are the remote server's text: any length
    d.agent = line.agent;
    d.time = line.time;
    d.host = line.host;
    AssembledRecord r = record(m, d);
    add_field(r.payload, "stage", stage);
    add_field(r.payload, "proto", trailer->proto);
    add_field(r.payload, "helo", trailer->helo);
    out.push_back(std::move(r));
  }

  void emit_pending(PostfixMessage& m, std::vector<AssembledRecord>& out) {
    for (const auto& d : m.pending) out.push_back(record(m, d));
    m.pending.clear();
  }

  /// A bounce (null sender) is the mail system writing back to a message's sender, so
  /// there is no sender domain to judge by: the recipient decides. To staff it is inbound,
  /// which is also assumed when no internal domains are configured (a force's gateway
  /// bounces to its own senders); to an outside address it is outbound (backscatter).
  std::string_view bounce_direction(std::string_view to) const {
    if (internal_domains_.empty()) return "inbound";
    const auto domain = address_domain(to);
    return !domain || is_internal_domain(*domain, internal_domains_) ? "inbound" : "outbound";
  }

  // Deliberately parallel to the other gateway assemblers' record(): each maps its own log's
  // fields onto the shared record names, so the lists look alike but are not one list.
  AssembledRecord record(const PostfixMessage& m, const Delivery& d) const {
    AssembledRecord r;
    r.time = d.time;
    r.host = d.host;
    Payload& p = r.payload;
    add_field(p, "queue_id", m.queue_id);
    add_field(p, "from", m.from);
    add_field(p, "to", d.to);
    add_field(p, "orig_to", d.orig_to);
    add_field(p, "action", d.action);
    if (m.from == kNullSender) add_field(p, "direction", bounce_direction(d.to));
    add_field(p, "status", d.status);
    add_field(p, "dsn", d.dsn);
    add_field(p, "reply", d.reply);
    add_field(p, "relay", d.relay);
    add_field(p, "delay", d.delay);
    add_field(p, "agent", d.agent);
    add_field(p, "message_id", m.message_id);
    add_field(p, "subject", m.subject);
    add_field(p, "size", m.size);
    add_field(p, "nrcpt", m.nrcpt);
    add_field(p, "client", m.client);
    add_field(p, "client_ip", m.client_ip);
    add_field(p, "sasl_username", m.sasl_username);
    return r;
  }

  std::vector<std::string> internal_domains_;
};

}  // namespace

std::unique_ptr<MessageAssembler> make_postfix_assembler(const SourceMapping& source,
                                                         DecodeCounters* counters) {
  return std::make_unique<PostfixAssembler>(source, counters);
}

}  // namespace probity::decode
