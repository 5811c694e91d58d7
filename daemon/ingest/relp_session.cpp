// RelpSession: the RELP command set a syslog receiver needs (open, syslog, close), the
// answers rsyslog's omrelp expects, and durable-then-acknowledge per read.
#include "ingest/relp_session.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace probity::ingest {

namespace {

constexpr std::string_view kOk = "200 OK";
// What this server offers in its answer to "open": RELP version 0, the syslog command.
constexpr std::string_view kOffers = "relp_version=0\nrelp_software=probity\ncommands=syslog";
// The RELP overhead beside a message: offers in "open" are short, so a frame over the
// message limit plus this is a message over the limit.
constexpr std::size_t kOverhead = 1024;

/// True when the "open" offers name the syslog command ("commands=syslog[,...]").
bool offers_syslog(std::string_view offers) {
  while (!offers.empty()) {
    const auto eol = offers.find('\n');
    const auto line = offers.substr(0, eol);
    offers = eol == std::string_view::npos ? std::string_view() : offers.substr(eol + 1);
    if (!line.starts_with("commands=")) continue;
    auto list = line.substr(9);
    while (!list.empty()) {
      const auto comma = list.find(',');
      if (list.substr(0, comma) == "syslog") return true;
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
  }
  return false;
}

}  // namespace

RelpSession::RelpSession(std::string listener, std::string peer, std::size_t max_message_size,
                         MessageSink& sink, IngestCounters& counters)
    : listener_(std::move(listener)),
      peer_(std::move(peer)),
      max_message_size_(max_message_size),
      sink_(sink),
      counters_(counters),
      decoder_(max_message_size + kOverhead) {}

bool RelpSession::on_open(const RelpFrame& frame) {
  if (!offers_syslog(frame.data)) {
    answers_.push_back({frame.txnr, "500 this server takes only the syslog command", {}});
    spdlog::warn("{}: {} opened RELP without offering the syslog command; closed", listener_,
                 peer_);
    return false;
  }
  open_ = true;
  answers_.push_back({frame.txnr, kOk, kOffers});
  return true;
}

bool RelpSession::on_frame(const RelpFrame& frame) {
  if (!open_) {
    if (frame.command == "open") return on_open(frame);
    counters_.relp_protocol_errors.fetch_add(1, std::memory_order_relaxed);
    spdlog::warn("{}: {} sent RELP '{}' before 'open'; closed", listener_, peer_, frame.command);
    answers_.push_back({frame.txnr, "500 session not open", {}});
    return false;
  }
  if (frame.command == "syslog") {
    counters_.messages_received.fetch_add(1, std::memory_order_relaxed);
    const bool early = messages_++ < kResendWindow;
    if (frame.status == RelpStatus::too_long || frame.data.size() > max_message_size_) {
      // Answered, not refused: a refusal would make the sender re-send it for ever.
      counters_.rejected_too_long.fetch_add(1, std::memory_order_relaxed);
      if (too_long_++ == 0)
        spdlog::warn("{}: {} sent a message of {} bytes, over the {}-byte limit; skipped",
                     listener_, peer_, frame.length, max_message_size_);
    } else {
      sink_.on_acknowledged_message(frame.data, peer_, early);
    }
    answers_.push_back({frame.txnr, kOk, {}, true});
    return true;
  }
  if (frame.command == "close") {
    answers_.push_back({frame.txnr, kOk, {}});
    return false;
  }
  // RELP: a command the server does not know gets a 500 and the session goes on.
  answers_.push_back({frame.txnr, "500 command not supported", {}});
  return true;
}

bool RelpSession::on_bytes(std::string_view bytes, std::string& out) {
  decoder_.feed(bytes);
  bool go_on = true;
  while (go_on) {
    const RelpFrame frame = decoder_.next();
    if (frame.status == RelpStatus::need_more) break;
    if (frame.status == RelpStatus::bad_frame) {
      counters_.relp_protocol_errors.fetch_add(1, std::memory_order_relaxed);
      counters_.rejected_bad_frame.fetch_add(1, std::memory_order_relaxed);
      spdlog::warn(
          "{}: {} broke RELP framing ({}); closed, the sender re-sends what was "
          "not answered",
          listener_, peer_, frame.problem);
      go_on = false;
      break;
    }
    go_on = on_frame(frame);
  }
  bool durable = true;
  if (std::any_of(answers_.begin(), answers_.end(), [](const Answer& a) { return a.durable; })) {
    sink_.on_batch_end();
    durable = sink_.make_durable();
  }
  for (const auto& a : answers_) {
    if (a.durable && !durable) {
      counters_.relp_refused.fetch_add(1, std::memory_order_relaxed);
      out += relp_response(a.txnr, "500 not stored, send again");
      continue;
    }
    if (a.durable) counters_.relp_acknowledged.fetch_add(1, std::memory_order_relaxed);
    out += relp_response(a.txnr, a.code, a.data);
  }
  answers_.clear();
  if (!durable) {
    spdlog::error(
        "{}: messages from {} could not be made durable; answered 500 and closed, so "
        "the sender re-sends them",
        listener_, peer_);
    return false;
  }
  return go_on;
}

}  // namespace probity::ingest
