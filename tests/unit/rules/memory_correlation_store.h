// MemoryCorrelationStore: the correlation engine's persistence (CorrelationStore) kept in a
// map, so rule tests can restart an engine on the state a previous one saved.
#pragma once

#include <functional>
#include <map>
#include <optional>
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
  Result<void> save(StateWrites& writes) override {
    if (fail) return tl::unexpected(Error{"test.refused", "refused by the test", {}});
    writes.each([&](std::string_view key, std::optional<PackedValue> value) {
      if (value)
        data[std::string(key)] = value->joined();
      else
        data.erase(std::string(key));
    });
    writes.clear();
    return {};
  }
  std::map<std::string, std::string> data;
  bool fail = false;  ///< refuse every save, as a store whose disk is full
};

}  // namespace probity::rules::testing
