// MemoryCorrelationStore: the correlation engine's persistence (CorrelationStore) kept in a
// map, so rule tests can restart an engine on the state a previous one saved.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rules.h"

namespace probity::rules::testing {

class MemoryCorrelationStore final : public CorrelationStore {
 public:
  Result<void> load(const std::function<void(std::string_view, std::string_view)>& each) override {
    for (const auto& [k, v] : data) each(k, v);
    return {};
  }
  Result<void> save(std::vector<StateWrite> writes) override {
    for (const auto& w : writes) {
      if (w.value)
        data[w.key] = *w.value;
      else
        data.erase(w.key);
    }
    return {};
  }
  std::map<std::string, std::string> data;
};

}  // namespace probity::rules::testing
