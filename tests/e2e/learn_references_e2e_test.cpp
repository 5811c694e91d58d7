// `probity learn references` as a force runs it before switching on the invalid-reference
// rule: its own access log, two systems with their own formats and a few typos; the block
// it prints pasted into a site file as it is, and replay flagging exactly the typos.
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "daemon_fixture.h"

namespace probity::testing {
namespace {

constexpr const char* kLearnReferencesRules = R"(
- detection: invalid-ref
  title: Invalid reference
  severity: medium
  condition: event.kind == "access" and invalid_reference(source.system, reason.ref)
  alert: "{source.system} {reason.ref}"
)";

std::string two_digits(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

std::string access_line(const std::string& day, int minute, const std::string& system,
                        const std::string& ref) {
  return "<110>1 " + day + "T" + two_digits(8 + minute / 60) + ":" + two_digits(minute % 60) +
         ":00Z app01 audit - ACCESS [access@32473 user.id=\"PC1001\" source.system=\"" + system +
         "\" action=\"query\" subject.id=\"P" + std::to_string(minute) + "\" reason.ref=\"" + ref +
         "\"] record consulted\n";
}

std::string padded(int n, std::size_t width) {
  std::string s = std::to_string(n);
  return std::string(width - std::min(width, s.size()), '0') + s;
}

constexpr const char* kTypos[][2] = {{"PNC", "INC/4571/26"},  // serial without its padding
                                     {"PNC", "IMC/04571/26"},
                                     {"NicheRMS", "NI-26-001234"},  // a digit short
                                     {"NicheRMS", "TBC"}};

/// 2 Nov 2026, one look-up a minute from 08:00: PNC cites incidents and crimes
/// (INC/01234/26, CR/01234/26), NicheRMS occurrences and custody records (NI-26-0012345,
/// CUS26/01234), 300 each; then the four typos.
std::string access_log(const std::string& day = "2026-11-02") {
  std::string log;
  int minute = 0;
  for (int i = 0; i < 300; ++i) {
    const std::string serial = padded((i * 337) % 99999 + 1, 5);
    log += access_line(day, minute++, "PNC", (i % 3 ? "INC/" : "CR/") + serial + "/26");
    log += access_line(day, minute++, "NicheRMS",
                       i % 3 ? "NI-26-" + padded(i * 4111 + 1, 7) : "CUS26/" + serial);
  }
  for (const auto& [system, ref] : kTypos) log += access_line(day, minute++, system, ref);
  return log;
}

constexpr const char* kProposedBlock =
    "reference_formats:\n"
    "  NicheRMS:\n"
    "    - 'NI-\\d{2}-\\d{7}'\n"
    "    - 'CUS\\d{2}/\\d{5}'\n"
    "  PNC:\n"
    "    - '(?:CR|INC)/\\d{5}/\\d{2}'\n";

TEST(LearnReferences, ProposesEachSystemsFormatsAndTheBlockFlagsExactlyTheTypos) {
  ProbityDaemon d(DaemonOptions(kLearnReferencesRules, false));
  const auto log = d.dir / "access.log";
  write_file(log, access_log());

  const auto r = d.probity({"learn", "references", log.string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto block = r.output.find("reference_formats:\n");
  ASSERT_NE(block, std::string::npos) << r.output;
  EXPECT_EQ(r.output.substr(block), kProposedBlock) << r.output;
  for (const char* line :
       {"# probity learn references: 604 references on 2 systems in 604 events (0 rejected), "
        "2026-11-02T08:00:00Z .. 2026-11-02T18:03:00Z\n",
        "# NicheRMS: 302 references\n", "#    66.2 %  'NI-\\d{2}-\\d{7}'  e.g. \"NI-26-",
        "#    33.1 %  'CUS\\d{2}/\\d{5}'  e.g. \"CUS26/",
        "#   unmatched: 2 (0.7 %), e.g. \"NI-26-001234\", \"TBC\"\n", "# PNC: 302 references\n",
        "#    99.3 %  '(?:CR|INC)/\\d{5}/\\d{2}'  e.g. \"INC/",
        "#   unmatched: 2 (0.7 %), e.g. \"IMC/04571/26\", \"INC/4571/26\"\n"})
    EXPECT_NE(r.output.find(line), std::string::npos) << "missing: " << line << "\n" << r.output;

  // The whole output is YAML (the report is comments): pasted as a site file, the rule flags
  // the typos and nothing else.
  const auto site = d.dir / "site.yaml";
  write_file(site, r.output);
  const auto replay = d.probity({"replay", "--site", site.string(), log.string()});
  ASSERT_EQ(replay.exit_code, 0) << replay.output;
  std::vector<std::string> flagged;
  std::istringstream lines(replay.output);
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with("{"))
      flagged.push_back(nlohmann::json::parse(line)["message"].get<std::string>());
  EXPECT_EQ(flagged, (std::vector<std::string>{"PNC INC/4571/26", "PNC IMC/04571/26",
                                               "NicheRMS NI-26-001234", "NicheRMS TBC"}))
      << replay.output;
}

TEST(LearnReferences, SinceLeavesOutAFormatOnlyOlderLogsUse) {
  ProbityDaemon d(DaemonOptions(kLearnReferencesRules, false));
  // A week earlier, PNC still wrote its crimes the old way.
  std::string old_log;
  for (int i = 0; i < 100; ++i)
    old_log += access_line("2026-10-26", i, "PNC", "CRIME-" + padded(i, 4));
  const auto old_file = d.dir / "old.log";
  const auto new_file = d.dir / "access.log";
  write_file(old_file, old_log);
  write_file(new_file, access_log());

  const auto patterns = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"learn", "references", "--format", "json"});
    args.push_back(old_file.string());
    args.push_back(new_file.string());
    const auto r = d.probity(args);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return nlohmann::json::parse(r.output.substr(r.output.find('{')));
  };
  const auto all = patterns({});
  EXPECT_EQ(all["references"], 704);
  EXPECT_EQ(all["reference_formats"]["PNC"].get<std::vector<std::string>>(),
            (std::vector<std::string>{"(?:CR|INC)/\\d{5}/\\d{2}", "CRIME-\\d{4}"}));

  const auto recent = patterns({"--since", "2d"});
  EXPECT_EQ(recent["references"], 604);
  EXPECT_EQ(recent["first"], "2026-11-02T08:00:00Z");
  EXPECT_EQ(recent["since"], "2d");
  EXPECT_EQ(recent["reference_formats"]["PNC"].get<std::vector<std::string>>(),
            std::vector<std::string>{"(?:CR|INC)/\\d{5}/\\d{2}"});
  const auto& pnc = recent["systems"][1];
  EXPECT_EQ(pnc["system"], "PNC");
  EXPECT_EQ(pnc["unmatched"]["references"], 2);
  EXPECT_EQ(pnc["unmatched"]["examples"].get<std::vector<std::string>>(),
            (std::vector<std::string>{"IMC/04571/26", "INC/4571/26"}));

  const auto bad = d.probity({"learn", "references", "--since", "2 days", new_file.string()});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.output.find("--since '2 days' is not a duration"), std::string::npos) << bad.output;
}

TEST(LearnReferences, ProposesOneStarEntryWhenEverySystemWritesReferencesAlike) {
  ProbityDaemon d(DaemonOptions(kLearnReferencesRules, false));
  std::string log;
  for (int i = 0; i < 200; ++i)
    log += access_line("2026-11-02", i, i % 2 ? "PNC" : "STORM", "INC/" + padded(i + 1, 5) + "/26");
  const auto file = d.dir / "access.log";
  write_file(file, log);
  const auto r = d.probity({"learn", "references", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.substr(r.output.find("reference_formats:\n")),
            "reference_formats:\n  \"*\":\n    - 'INC/\\d{5}/\\d{2}'\n")
      << r.output;
}

}  // namespace
}  // namespace probity::testing
