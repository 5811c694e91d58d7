// staff(id).absent: whether HR records the person away from work on the event's date. An
// absence is a run of calendar days, so the event's instant is turned into a day in the
// rules' zone (as hour() and weekday() do) before it is compared with the recorded dates.
#include <chrono>

#include "rules/nodes.h"
#include "rules/time_zone.h"

namespace probity::rules {

namespace {

using Tag = Val::Tag;

/// Days since 1970-01-01 of `t`'s local calendar date in `zone`.
std::int64_t local_day(event::Timestamp t, const TimeZone& zone) {
  const auto utc = std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
  const std::int64_t local = utc + zone.offset_at(utc);
  return local / 86400 - (local % 86400 < 0 ? 1 : 0);
}

class StaffAbsentValue final : public ValueNode {
 public:
  StaffAbsentValue(ValuePtr id, std::shared_ptr<const TimeZone> zone)
      : id_(std::move(id)), zone_(std::move(zone)) {}
  Val eval(EvalContext& c) const override {
    const Val id = id_->eval(c);
    const state::StaffRecord* r = id.tag == Tag::str ? c.staff(id.s) : nullptr;
    const auto when = c.event.time();
    if (!r || !when) return {};  // unknown person or time: neither absent nor present
    Val out;
    out.tag = Tag::boolean;
    out.i = r->absence && state::absent_on(*r->absence, local_day(*when, *zone_));
    return out;
  }

 private:
  ValuePtr id_;
  std::shared_ptr<const TimeZone> zone_;
};

}  // namespace

ValuePtr make_staff_absent(ValuePtr id, std::shared_ptr<const TimeZone> zone) {
  return std::make_unique<StaffAbsentValue>(std::move(id), std::move(zone));
}

}  // namespace probity::rules
