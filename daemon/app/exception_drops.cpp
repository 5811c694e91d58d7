// format_exception_drops and exception_drops_json (exception_drops.h).
#include "app/exception_drops.h"

#include <algorithm>

#include <fmt/format.h>

namespace probity::app {
namespace {

// Most drops first; ties in load order (stable), so the listing reads like the files.
std::vector<rules::ExceptionInfo> by_drops(const rules::RuleSet& rules) {
  auto all = rules.exceptions();
  std::stable_sort(all.begin(), all.end(),
                   [](const auto& a, const auto& b) { return a.dropped > b.dropped; });
  return all;
}

}  // namespace

std::string format_exception_drops(const rules::RuleSet& rules) {
  const auto all = by_drops(rules);
  if (all.empty()) return {};
  std::uint64_t total = 0;
  for (const auto& x : all) total += x.dropped;
  std::string out = fmt::format("exceptions dropped {} match{}:\n", total, total == 1 ? "" : "es");
  for (const auto& x : all) {
    out += fmt::format("  {:>8}  {} / {}  ({}:{}, owner {}", x.dropped, x.rule_id, x.id, x.pos.file,
                       x.pos.line, x.owner);
    if (x.expires) out += ", expires " + event::format_time(*x.expires);
    out += ")\n";
  }
  return out;
}

nlohmann::ordered_json exception_drops_json(const rules::RuleSet& rules) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& x : by_drops(rules)) {
    nlohmann::ordered_json j;
    j["rule"] = x.rule_id;
    j["exception"] = x.id;
    j["owner"] = x.owner;
    j["file"] = x.pos.file;
    j["line"] = x.pos.line;
    j["expires"] = x.expires ? nlohmann::ordered_json(event::format_time(*x.expires)) : nullptr;
    j["dropped"] = x.dropped;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace probity::app
