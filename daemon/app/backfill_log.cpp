// BackfillLog: one line per frame opened or closed, refusals rate-limited (backfill_log.h).
#include "app/backfill_log.h"

#include <spdlog/spdlog.h>

namespace probity::app {
namespace {

std::string sender(const rules::BackfillNotice& n) {
  std::string s = n.host.empty() ? std::string("an unnamed host") : "host " + n.host;
  if (!n.system.empty()) s += " (" + n.system + ")";
  return s;
}

// How far behind, in its two largest units ("23h 59m", "4m 10s"): enough to read, not exact.
std::string behind(const rules::BackfillNotice& n) {
  static constexpr std::pair<std::int64_t, char> kUnits[] = {
      {86'400, 'd'}, {3'600, 'h'}, {60, 'm'}, {1, 's'}};
  std::int64_t left =
      std::chrono::duration_cast<std::chrono::seconds>(n.clock - n.event_time).count();
  std::string out;
  int shown = 0;
  for (const auto& [size, unit] : kUnits) {
    if (left < size || shown == 2) continue;
    if (!out.empty()) out += ' ';
    out += fmt::format("{}{}", left / size, unit);
    left %= size;
    ++shown;
  }
  return out.empty() ? "0s" : out;
}

}  // namespace

void BackfillLog::operator()(const rules::BackfillNotice& n) {
  using Kind = rules::BackfillNotice::Kind;
  switch (n.kind) {
    case Kind::opened:
      spdlog::info(
          "backfill: an event from {} dated {} is {} behind the correlation clock ({}): it and the "
          "events sent with it are correlated in backfill frame {}, apart from live events",
          sender(n), event::format_time(n.event_time), behind(n), event::format_time(n.clock),
          n.frame);
      return;
    case Kind::closed:
      spdlog::info("backfill frame {} closed: {} events dated {} to {}, {} alerting matches",
                   n.frame, n.events, event::format_time(n.first), event::format_time(n.last),
                   n.matches);
      return;
    case Kind::refused: {
      ++refusals_unlogged_;
      const auto now = std::chrono::steady_clock::now();
      if (now - last_refusal_logged_ < std::chrono::minutes(1)) return;
      last_refusal_logged_ = now;
      spdlog::warn(
          "backfill: an event from {} dated {} is {} behind the correlation clock ({}) and every "
          "backfill frame is busy (correlation.backfill_frames): evaluated by detections, not "
          "correlated ({} such events since the last message; "
          "probity_correlation_backfill_refused_total)",
          sender(n), event::format_time(n.event_time), behind(n), event::format_time(n.clock),
          refusals_unlogged_);
      refusals_unlogged_ = 0;
      return;
    }
  }
}

}  // namespace probity::app
