// `probity replay`: back-testing. Log files go through the same parse → decode → rules
// path as the daemon, merged by event time across files (replay_session.h), as fast as
// they can be read, and each match is printed as a JSON line instead of being stored or
// mailed. Reference data is read from the state directory (read-only) when there is one.
#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/exception_drops.h"
#include "app/replay_session.h"

namespace probity::app {
namespace {

class PrintingSink final : public MatchSink {
 public:
  void on_match(const rules::Match& m, const event::Event& e) override {
    nlohmann::ordered_json j;
    j["rule"] = m.rule_id;
    j["severity"] = rules::to_string(m.severity);
    j["title"] = m.title;
    j["message"] = m.message;
    if (auto t = e.time()) j["event.time"] = event::format_time(*t);
    j["event.id"] = e.str(event::FieldId::event_id);
    j["user.id"] = e.str(event::FieldId::user_id);
    // The daemon folds a repeat into the open alert (count, last seen) instead of raising
    // a new one; replay shows it, marked, so a back-test sees what suppression hides.
    if (m.repeat > 0) j["repeat"] = m.repeat;
    // Its event came behind the correlation clock (logs out of time order): evaluated in a
    // backfill frame of its own, as the daemon would (its alert would carry the tag).
    if (m.backfill) j["backfill"] = true;
    std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    ++(m.repeat > 0 ? repeats : alerts);
    ++by_rule[m.rule_id];
  }
  std::map<std::string, std::uint64_t> by_rule;
  std::uint64_t alerts = 0;
  std::uint64_t repeats = 0;
};

}  // namespace

int replay_command(const CommonOptions& options, const ReplayOptions& replay) {
  auto session = open_replay_session(options, replay.source);
  if (!session) return 2;
  PrintingSink printer;
  EvaluationStage evaluator(session->reference(), printer, session->counters,
                            session->correlation());
  evaluator.set_rules(session->rules);

  const auto totals =
      replay_files(*session, replay.files, [&](const event::Event& e) { evaluator.on_event(e); });
  evaluator.tick(/*force=*/true);  // publishes the correlation counters
  std::fflush(stdout);
  const auto evaluated = session->counters.evaluated.load();
  const double secs = totals.seconds;
  std::fprintf(stderr,
               "replayed %llu events in %.2f s (%.0f events/s); %llu rejected; %llu alerts "
               "(+%llu repeats the daemon would fold into them)\n",
               static_cast<unsigned long long>(evaluated), secs, secs > 0 ? evaluated / secs : 0.0,
               static_cast<unsigned long long>(totals.rejected),
               static_cast<unsigned long long>(printer.alerts),
               static_cast<unsigned long long>(printer.repeats));
  for (const auto& [rule, n] : printer.by_rule)
    std::fprintf(stderr, "  %8llu  %s\n", static_cast<unsigned long long>(n), rule.c_str());
  const auto& c = session->counters;
  if (c.backfill_events > 0)
    std::fprintf(stderr,
                 "%llu events came behind the correlation clock (out of time order): correlated "
                 "in %llu backfill frames of their own\n",
                 static_cast<unsigned long long>(c.backfill_events.load()),
                 static_cast<unsigned long long>(c.backfill_frames.load()));
  if (c.correlation_late > 0)
    std::fprintf(stderr,
                 "%llu events came behind the correlation clock and were not correlated "
                 "(correlation.backfill_frames is 0)\n",
                 static_cast<unsigned long long>(c.correlation_late.load()));
  // What tuning hid: each exception (the pack's and the overrides file's) and its drops.
  std::fputs(format_exception_drops(*session->rules).c_str(), stderr);
  return 0;
}

}  // namespace probity::app
