// JsonlBacklog (jsonl_backlog.h). Why marks and not "the last id logged": a line can fail
// while later ones succeed (the fd table empties again), and the log is rotated; a mark
// per alert survives both and a restart, and costs one key in a batch already synced.
#include "alerts/jsonl_backlog.h"

#include <vector>

namespace probity::alerts {

namespace {
constexpr std::string_view kPrefix = "jsonl:";  // delivery entries are "send:..." and "hold:..."

std::string key_of(std::string_view alert_id) {
  return std::string(kPrefix) + std::string(alert_id);
}
}  // namespace

state::RuntimeWrite JsonlBacklog::mark_write(std::string_view alert_id) {
  return {state::RuntimeTable::outbox, key_of(alert_id), std::string()};
}

Result<void> JsonlBacklog::append(const std::vector<std::pair<std::string, std::string>>& lines,
                                  std::optional<std::uint64_t> catch_ups_before) {
  std::lock_guard lock(mutex_);
  // A catch-up takes only marks it finds stored: with none begun since before these were
  // written, each is still there, and reading it back (a store look-up per alert, in a storm
  // ten thousand a second) tells nothing.
  const bool untouched = catch_ups_before && *catch_ups_before == catch_ups_.load();
  std::string text;
  std::vector<state::RuntimeWrite> erased;
  for (const auto& [alert_id, line] : lines) {
    if (!untouched) {
      auto marked = store_.get(state::RuntimeTable::outbox, key_of(alert_id));
      if (marked && !*marked) continue;  // catch_up() wrote it already
    }
    text.append(line).push_back('\n');
    erased.push_back({state::RuntimeTable::outbox, key_of(alert_id), std::nullopt});
  }
  if (erased.empty()) return {};
  if (auto r = sink_.append_lines(text); !r) return r;
  return store_.write_batch(erased, /*sync=*/false);
}

void JsonlBacklog::mark(std::string_view alert_id) {
  std::lock_guard lock(mutex_);
  (void)store_.put(state::RuntimeTable::outbox, key_of(alert_id), "");
}

Result<std::size_t> JsonlBacklog::catch_up() {
  std::lock_guard lock(mutex_);
  catch_ups_.fetch_add(1, std::memory_order_acq_rel);
  std::vector<std::string> ids;
  auto scanned = store_.scan(state::RuntimeTable::outbox, kPrefix, [&](auto key, auto) {
    ids.emplace_back(key.substr(kPrefix.size()));
    return true;
  });
  if (!scanned) return tl::unexpected(scanned.error());
  std::size_t written = 0;
  for (const auto& id : ids) {
    auto stored = store_.get(state::RuntimeTable::alerts, id);
    if (!stored) return tl::unexpected(stored.error());
    if (*stored) {
      auto alert = alert_from_json(**stored);
      // An unreadable alert has no line to give; its mark would only be retried for ever.
      if (alert) {
        if (auto r = sink_.append(line_of_(*alert, **stored)); !r) return tl::unexpected(r.error());
        ++written;
      }
    }
    if (auto r = store_.erase(state::RuntimeTable::outbox, key_of(id)); !r)
      return tl::unexpected(r.error());
  }
  return written;
}

}  // namespace probity::alerts
