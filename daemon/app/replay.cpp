// `probity replay`: back-testing. Log files go through the same parse → decode → rules
// path as the daemon, as fast as they can be read, and each match is printed as a JSON
// line instead of being stored or mailed. Reference data is read from the state
// directory (read-only) when there is one.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/no_reference.h"
#include "app/pipeline.h"
#include "app/setup.h"
#include "ingest/framing.h"
#include "state/state.h"

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
    std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    ++(m.repeat > 0 ? repeats : alerts);
    ++by_rule[m.rule_id];
  }
  std::map<std::string, std::uint64_t> by_rule;
  std::uint64_t alerts = 0;
  std::uint64_t repeats = 0;
};

bool looks_like_json_lines(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  char c = 0;
  while (in.get(c))
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return c == '{';
  return false;
}

/// Raw syslog: frames as a TCP stream would carry them (octet-counted or one per line).
void replay_syslog(const std::filesystem::path& file, Pipeline& pipeline, std::size_t max_size) {
  std::ifstream in(file, std::ios::binary);
  ingest::FrameDecoder frames(max_size);
  std::vector<char> chunk(1 << 20);
  const std::string peer = file.string();
  auto drain = [&](ingest::Frame f) {
    if (f.status == ingest::FrameStatus::frame) pipeline.on_message(f.bytes, peer);
    return f.status != ingest::FrameStatus::need_more;
  };
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    if (in.gcount() <= 0) break;
    frames.feed(std::string_view(chunk.data(), static_cast<std::size_t>(in.gcount())));
    while (drain(frames.next())) {
    }
    pipeline.on_batch_end();
  }
  drain(frames.finish());
  pipeline.on_batch_end();
}

/// Canonical events, one JSON object per line (what `probity parse` prints).
std::size_t replay_json_lines(const std::filesystem::path& file, Evaluator& evaluator) {
  std::ifstream in(file, std::ios::binary);
  std::string line;
  std::size_t line_no = 0, bad = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto e = event::event_from_json(line);
    if (!e) {
      if (bad++ == 0)
        spdlog::warn("{}:{}: {}; further bad lines are only counted", file.string(), line_no,
                     e.error().message);
      continue;
    }
    evaluator.on_event(*e);
  }
  return bad;
}

}  // namespace

int replay_command(const CommonOptions& options, const ReplayOptions& replay) {
  auto config = effective_config(options);
  if (!config) return 2;
  set_up_logging(config->log_level == "info" ? "warn" : config->log_level);

  std::unique_ptr<state::Store> store;
  if (std::filesystem::exists(config->state_dir)) {
    auto opened = state::Store::open({config->state_dir, true});
    if (!opened) return spdlog::error("state: {}", describe(opened.error())), 2;
    store = std::move(*opened);
  }
  const NoReference empty;
  const state::ReferenceData& reference =
      store ? static_cast<const state::ReferenceData&>(*store) : empty;

  rules::LoadReport report;
  std::shared_ptr<const rules::RuleSet> rules =
      rules::load_rules(config->rule_paths, rule_load_options(*config, store.get()), report);
  if (!rules) return std::fprintf(stderr, "%s", report.format().c_str()), 2;

  auto sources = config->sources;
  if (!replay.source.empty()) {
    std::erase_if(sources, [&](const auto& s) { return s.name != replay.source; });
    if (sources.empty()) return spdlog::error("no source named '{}'", replay.source), 2;
    sources[0].match = {};
  }
  decode::DecodeCounters decode_counters;
  decode::Decoder decoder(sources, store.get(), &decode_counters);
  PipelineCounters counters;
  PrintingSink printer;
  rules::CorrelationOptions correlation;
  correlation.lateness = config->correlation_lateness;
  Evaluator evaluator(reference, printer, counters, correlation);
  evaluator.set_rules(rules);
  Pipeline pipeline(decoder, evaluator, counters);

  const auto start = std::chrono::steady_clock::now();
  std::size_t bad_json = 0;
  const std::size_t max_size =
      config->listeners.empty() ? 64 * 1024 : config->listeners[0].max_message_size;
  for (const auto& file : replay.files) {
    if (looks_like_json_lines(file))
      bad_json += replay_json_lines(file, evaluator);
    else
      replay_syslog(file, pipeline, max_size);
  }
  pipeline.flush_gateways(true);  // gateway messages still open at the end of the files
  std::fflush(stdout);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto evaluated = counters.evaluated.load();
  const auto rejected = counters.rejected_parse.load() + decode_counters.no_source.load() +
                        decode_counters.bad_payload.load() + decode_counters.missing_field.load() +
                        decode_counters.bad_value.load() + bad_json;
  std::fprintf(stderr,
               "replayed %llu events in %.2f s (%.0f events/s); %llu rejected; %llu alerts "
               "(+%llu repeats the daemon would fold into them)\n",
               static_cast<unsigned long long>(evaluated), secs, secs > 0 ? evaluated / secs : 0.0,
               static_cast<unsigned long long>(rejected),
               static_cast<unsigned long long>(printer.alerts),
               static_cast<unsigned long long>(printer.repeats));
  for (const auto& [rule, n] : printer.by_rule)
    std::fprintf(stderr, "  %8llu  %s\n", static_cast<unsigned long long>(n), rule.c_str());
  return 0;
}

}  // namespace probity::app
