// find_threshold_sites, independent_groups and the scaled copies (threshold_variants.h).
#include "app/threshold_variants.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <string_view>

#include <yaml-cpp/yaml.h>

namespace probity::app {
namespace {

constexpr const char* kTypes[] = {"count",    "distinct",   "sequence", "absent",
                                  "baseline", "first_seen", "risk"};

/// The rule ids a correlation's type map names as its inputs: of, followed_by, until,
/// steps (ids or {rule: id}) and the keys of scores.
void collect_inputs(const YAML::Node& spec, std::set<std::string>& out) {
  const auto ids = [&](const YAML::Node& n) {
    if (n.IsScalar()) out.insert(n.as<std::string>());
    if (n.IsSequence())
      for (const auto& item : n) {
        if (item.IsScalar()) out.insert(item.as<std::string>());
        if (item.IsMap() && item["rule"] && item["rule"].IsScalar())
          out.insert(item["rule"].as<std::string>());
      }
  };
  for (const char* key : {"of", "followed_by", "until", "steps"})
    if (spec[key]) ids(spec[key]);
  if (spec["scores"] && spec["scores"].IsMap())
    for (const auto& kv : spec["scores"]) out.insert(kv.first.as<std::string>());
}

struct NumberText {
  std::int64_t value = 0;
  std::size_t offset = 0, length = 0;
};

/// The whole number a scalar node holds and where its digits are in `text`; nullopt when
/// it is not a positive whole number written where the node's mark says.
std::optional<NumberText> number_text(const YAML::Node& n, const std::string& text) {
  if (!n.IsScalar()) return std::nullopt;
  const std::string digits = n.as<std::string>();
  std::size_t at = static_cast<std::size_t>(n.Mark().pos);
  if (at < text.size() && (text[at] == '"' || text[at] == '\'')) ++at;
  if (at >= text.size() || text.compare(at, digits.size(), digits) != 0) return std::nullopt;
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc{} || end != digits.data() + digits.size() || v <= 0) return std::nullopt;
  return NumberText{v, at, digits.size()};
}

/// Which key of a correlation type holds its threshold; nullptr for types without one.
const char* threshold_key(std::string_view type) {
  if (type == "count" || type == "distinct") return "threshold";
  if (type == "baseline") return "min_count";
  return nullptr;
}

}  // namespace

std::vector<ThresholdSite> find_threshold_sites(const std::vector<rules::RuleText>& texts) {
  std::vector<ThresholdSite> sites;
  std::map<std::string, std::set<std::string>> inputs;  // correlation id -> rules it consumes
  for (std::size_t f = 0; f < texts.size(); ++f) {
    YAML::Node root;
    try {
      root = YAML::Load(texts[f].text);
    } catch (const YAML::Exception&) {
      continue;
    }
    if (!root.IsSequence()) continue;
    for (const auto& item : root) {
      if (!item.IsMap() || !item["correlation"] || !item["correlation"].IsScalar()) continue;
      const std::string id = item["correlation"].as<std::string>();
      for (const char* type : kTypes) {
        const YAML::Node spec = item[type];
        if (!spec || !spec.IsMap()) continue;
        collect_inputs(spec, inputs[id]);
        const char* key = threshold_key(type);
        if (!key || !spec[key]) continue;
        const auto number = number_text(spec[key], texts[f].text);
        if (!number) continue;
        sites.push_back({id, key, number->value, f, number->offset, number->length, {}});
      }
    }
  }
  for (auto& site : sites) {
    std::vector<std::string> todo{site.rule_id};
    while (!todo.empty()) {
      const auto it = inputs.find(todo.back());
      todo.pop_back();
      if (it == inputs.end()) continue;
      for (const auto& in : it->second)
        if (site.upstream.insert(in).second) todo.push_back(in);
    }
  }
  return sites;
}

std::vector<std::vector<std::size_t>> independent_groups(const std::vector<ThresholdSite>& sites) {
  std::vector<std::vector<std::size_t>> groups;
  const auto apart = [&](std::size_t a, std::size_t b) {
    return !sites[a].upstream.contains(sites[b].rule_id) &&
           !sites[b].upstream.contains(sites[a].rule_id);
  };
  for (std::size_t i = 0; i < sites.size(); ++i) {
    auto fits = std::find_if(groups.begin(), groups.end(), [&](const auto& g) {
      return std::all_of(g.begin(), g.end(), [&](std::size_t j) { return apart(i, j); });
    });
    if (fits == groups.end())
      groups.push_back({i});
    else
      fits->push_back(i);
  }
  return groups;
}

std::int64_t scaled_threshold(std::int64_t value, double factor) {
  return std::max<std::int64_t>(1, std::llround(static_cast<double>(value) * factor));
}

std::vector<rules::RuleText> with_scaled_thresholds(std::vector<rules::RuleText> texts,
                                                    const std::vector<ThresholdSite>& sites,
                                                    const std::vector<std::size_t>& group,
                                                    double factor) {
  // Later offsets first, so an edit never moves the bytes of the next one in the same file.
  std::vector<std::size_t> order = group;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::pair{sites[a].file, sites[a].offset} > std::pair{sites[b].file, sites[b].offset};
  });
  for (const std::size_t i : order) {
    const ThresholdSite& s = sites[i];
    texts[s.file].text.replace(s.offset, s.length,
                               std::to_string(scaled_threshold(s.value, factor)));
  }
  return texts;
}

}  // namespace probity::app
