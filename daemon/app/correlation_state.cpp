// StoreCorrelationState: rule_state scan and batch writes.
#include "app/correlation_state.h"

namespace probity::app {

Result<void> StoreCorrelationState::load(
    const std::function<void(std::string_view, std::string_view)>& each) {
  return store_.scan(state::RuntimeTable::rule_state, "",
                     [&](std::string_view key, std::string_view value) {
                       each(key, value);
                       return true;
                     });
}

Result<void> StoreCorrelationState::save(const std::vector<rules::StateWrite>& writes) {
  std::vector<state::RuntimeWrite> batch;
  batch.reserve(writes.size());
  for (const auto& w : writes) batch.push_back({state::RuntimeTable::rule_state, w.key, w.value});
  const bool with_point = position_ && resume_unsaved_;
  if (with_point) batch.push_back(EvaluatedPosition::write(resume_point_));
  if (batch.empty()) return {};
  auto saved = store_.write_batch(batch, /*sync=*/false);
  if (saved && with_point) {
    position_->saved(resume_point_);
    resume_unsaved_ = false;
  }
  return saved;
}

}  // namespace probity::app
