// `probity learn references`: before switching on record-access-with-invalid-reference,
// reads the force's own logs (as `probity replay` does: merged by event time, nothing stored
// or sent), tallies the reason.ref values per source.system and proposes the site file's
// reference_formats, with the references the proposal would leave unmatched. Not a judge of
// any reference: the force reviews the block and pastes it into its site file.
#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/reference_shapes.h"
#include "app/reference_tally.h"
#include "app/replay_session.h"
#include "base/duration.h"

namespace probity::app {
namespace {

struct SystemReport {
  std::string name;
  ReferenceProposal proposal;
};

struct Report {
  ReplayTotals totals;
  std::uint64_t references = 0;
  std::uint64_t without_system = 0;
  std::uint64_t skipped_untimed = 0;
  std::optional<std::pair<event::Timestamp, event::Timestamp>> span;
  const LearnReferencesOptions& options;
  std::vector<SystemReport> systems;
  /// The block to paste: system (or "*") -> patterns.
  std::vector<std::pair<std::string, std::vector<std::string>>> formats;
};

double percent(std::uint64_t part, std::uint64_t whole) {
  return whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

std::string seconds(event::Timestamp t) {
  const auto text = event::format_time(t);  // "2026-11-24T20:00:00.000000Z"
  return text.substr(0, 19) + "Z";
}

/// A reference as a JSON string: quoted, and control or broken bytes made printable.
std::string quoted(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string yaml_single_quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

/// A system name as a YAML key: plain when it is a plain word, else quoted; "*" as the
/// example site file writes it.
std::string yaml_key(const std::string& name) {
  if (name == "*") return "\"*\"";
  const bool plain = !name.empty() &&
                     std::all_of(name.begin(), name.end(),
                                 [](char c) {
                                   return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                          (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                                          c == '.';
                                 }) &&
                     name.front() != '-' && name.front() != '.';
  return plain ? name : yaml_single_quoted(name);
}

/// One "*" entry when every system has the same patterns (ordered by the references they
/// match in all), else an entry per system that has patterns.
std::vector<std::pair<std::string, std::vector<std::string>>> formats_of(
    const std::vector<SystemReport>& systems) {
  std::vector<const ReferenceProposal*> proposals;
  for (const auto& s : systems) proposals.push_back(&s.proposal);
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  if (same_patterns(proposals)) {
    std::map<std::string, std::uint64_t> matched;
    for (const auto* p : proposals)
      for (const auto& pattern : p->patterns) matched[pattern.pattern] += pattern.references;
    std::vector<std::pair<std::string, std::uint64_t>> order(matched.begin(), matched.end());
    std::stable_sort(order.begin(), order.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    std::vector<std::string> patterns;
    for (const auto& [pattern, n] : order) patterns.push_back(pattern);
    out.emplace_back("*", std::move(patterns));
    return out;
  }
  for (const auto& s : systems) {
    if (s.proposal.patterns.empty()) continue;
    std::vector<std::string> patterns;
    for (const auto& p : s.proposal.patterns) patterns.push_back(p.pattern);
    out.emplace_back(s.name, std::move(patterns));
  }
  return out;
}

void print_yaml(const Report& r) {
  std::printf(
      "# probity learn references: %llu references on %zu systems in %llu events "
      "(%llu rejected)%s\n",
      static_cast<unsigned long long>(r.references), r.systems.size(),
      static_cast<unsigned long long>(r.totals.events),
      static_cast<unsigned long long>(r.totals.rejected),
      r.span ? fmt::format(", {} .. {}{}", seconds(r.span->first), seconds(r.span->second),
                           r.options.since.empty() ? "" : " (--since " + r.options.since + ")")
                   .c_str()
             : "");
  if (r.without_system)
    std::printf(
        "# %llu references without source.system left out (only a \"*\" entry judges "
        "them)\n",
        static_cast<unsigned long long>(r.without_system));
  if (r.skipped_untimed)
    std::printf("# %llu references without an event time left out (--since)\n",
                static_cast<unsigned long long>(r.skipped_untimed));
  std::printf(
      "# Proposed: the shapes holding at least %g %% of a system's references. \"unmatched\" "
      "are\n# the references record-access-with-invalid-reference would flag with these "
      "patterns:\n# check them (a valid format too rare to propose is among them) before "
      "pasting.\n",
      r.options.min_share);
  for (const auto& s : r.systems) {
    const auto& p = s.proposal;
    std::printf("#\n# %s: %llu references\n", s.name.c_str(),
                static_cast<unsigned long long>(p.references));
    for (const auto& pattern : p.patterns)
      std::printf("#   %5.1f %%  %s  e.g. %s\n", percent(pattern.references, p.references),
                  yaml_single_quoted(pattern.pattern).c_str(), quoted(pattern.example).c_str());
    std::string examples;
    for (const auto& e : p.unmatched_examples)
      examples += (examples.empty() ? "" : ", ") + quoted(e);
    std::printf("#   unmatched: %llu (%.1f %%)%s%s\n", static_cast<unsigned long long>(p.unmatched),
                percent(p.unmatched, p.references), examples.empty() ? "" : ", e.g. ",
                examples.c_str());
    for (const auto& why : p.dropped) std::printf("#   dropped: %s\n", why.c_str());
  }
  std::printf("#\nreference_formats:\n");
  for (const auto& [name, patterns] : r.formats) {
    std::printf("  %s:\n", yaml_key(name).c_str());
    for (const auto& pattern : patterns)
      std::printf("    - %s\n", yaml_single_quoted(pattern).c_str());
  }
  for (const auto& s : r.systems)
    if (s.proposal.patterns.empty())  // never with "*": every system has patterns then
      std::printf("  # %s: no shape holds %g %% of its references; left out, so not judged\n",
                  s.name.c_str(), r.options.min_share);
}

void print_json(const Report& r) {
  using Json = nlohmann::ordered_json;
  Json j;
  j["events"] = r.totals.events;
  j["rejected"] = r.totals.rejected;
  j["references"] = r.references;
  j["without_system"] = r.without_system;
  j["first"] = r.span ? Json(seconds(r.span->first)) : Json(nullptr);
  j["last"] = r.span ? Json(seconds(r.span->second)) : Json(nullptr);
  j["since"] = r.options.since.empty() ? Json(nullptr) : Json(r.options.since);
  j["min_share_pct"] = r.options.min_share;
  j["systems"] = Json::array();
  for (const auto& s : r.systems) {
    const auto& p = s.proposal;
    Json patterns = Json::array();
    for (const auto& pattern : p.patterns)
      patterns.push_back({{"pattern", pattern.pattern},
                          {"references", pattern.references},
                          {"share_pct", percent(pattern.references, p.references)},
                          {"example", pattern.example}});
    j["systems"].push_back({{"system", s.name},
                            {"references", p.references},
                            {"patterns", patterns},
                            {"unmatched",
                             {{"references", p.unmatched},
                              {"share_pct", percent(p.unmatched, p.references)},
                              {"examples", p.unmatched_examples}}},
                            {"dropped", p.dropped}});
  }
  j["reference_formats"] = Json::object();
  for (const auto& [name, patterns] : r.formats) j["reference_formats"][name] = patterns;
  std::printf("%s\n", j.dump(2, ' ', false, Json::error_handler_t::replace).c_str());
}

}  // namespace

int learn_references_command(const CommonOptions& options, const LearnReferencesOptions& learn) {
  std::optional<std::chrono::microseconds> since;
  if (!learn.since.empty() && !(since = parse_duration(learn.since))) {
    std::fprintf(stderr,
                 "probity: --since '%s' is not a duration: a whole number and one unit (%s)\n",
                 learn.since.c_str(), std::string(kDurationExamples).c_str());
    return 1;
  }
  auto session = open_replay_session(options, learn.source, RuleLoading::skip);
  if (!session) return 2;

  ReferenceTally tally(since);
  std::uint64_t without_system = 0;
  const auto totals = replay_files(*session, learn.files, [&](const event::Event& e) {
    const auto reference = e.str(event::FieldId::reason_ref);
    if (e.kind() != event::Kind::access || reference.empty()) return;
    const auto system = e.str(event::FieldId::source_system);
    if (system.empty()) return void(++without_system);
    tally.add(system, reference, e.time());
  });

  Report report{totals, 0, without_system, tally.skipped_untimed(), tally.span(), learn, {}, {}};
  for (auto& s : tally.systems()) {
    report.references += s.references;
    report.systems.push_back({s.name, propose_patterns(s.shapes, learn.min_share / 100)});
  }
  if (report.systems.empty()) {
    std::fprintf(stderr,
                 "probity: no reason.ref values with a source.system in %llu events (%llu "
                 "rejected): nothing to learn from\n",
                 static_cast<unsigned long long>(totals.events),
                 static_cast<unsigned long long>(totals.rejected));
    return 1;
  }
  report.formats = formats_of(report.systems);
  for (const auto& s : report.systems)
    for (const auto& why : s.proposal.dropped)
      std::fprintf(stderr, "probity: %s: pattern dropped: %s\n", s.name.c_str(), why.c_str());

  if (learn.format == "json")
    print_json(report);
  else
    print_yaml(report);
  return 0;
}

}  // namespace probity::app
