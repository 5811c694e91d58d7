// Events kept as correlation evidence: the flat copy is shown exactly as the event itself
// would be, whatever its values, and the budget it is counted at covers what it holds, copy or
// JSON.
#include <gtest/gtest.h>

#include <random>

#include "rules/kept_event.h"

using namespace probity;
using probity::rules::FlatEvent;
using probity::rules::KeptEvent;

namespace {

std::string random_text(std::mt19937& rng) {
  // Plain letters most of the time; quotes, backslashes, controls, UTF-8 and broken UTF-8
  // (shown as U+FFFD) sometimes: the JSON must come out the same either way.
  static const std::vector<std::string> pieces = {"a",  "Zed",  " ", "\"",   "\\",
                                                  "\n", "\x01", "é", "\xC3", "日本"};
  std::string out;
  const int n = static_cast<int>(rng() % 12);
  for (int i = 0; i < n; ++i) out += pieces[rng() % pieces.size()];
  return out;
}

event::Event random_event(std::mt19937& rng) {
  event::Event e(rng() % 2 ? event::Kind::access : event::Kind::email);
  for (const auto& f : event::all_fields()) {
    if (f.id == event::FieldId::event_kind || rng() % 3 == 0) continue;
    switch (f.type) {
      case event::ValueType::string:
        e.set(f.id, random_text(rng));
        break;
      case event::ValueType::integer:
        e.set(f.id, static_cast<std::int64_t>(rng()) - (1LL << 31));
        break;
      case event::ValueType::time:
        e.set(f.id, event::Timestamp(std::chrono::microseconds(1'700'000'000'000'000LL + rng())));
        break;
      case event::ValueType::string_list: {
        std::vector<std::string> items(rng() % 4);
        for (auto& item : items) item = random_text(rng);
        e.set(f.id, std::move(items));
        break;
      }
    }
  }
  const int raw = static_cast<int>(rng() % 6);
  for (int i = 0; i < raw; ++i) e.add_raw(random_text(rng), random_text(rng));
  if (raw > 0) e.add_raw(e.raw().front().first, std::string("a repeated name"));
  return e;
}

TEST(KeptEvent, ACopyIsShownExactlyAsTheEventItself) {
  std::mt19937 rng(7);
  for (int round = 0; round < 500; ++round) {
    const event::Event e = random_event(rng);
    const auto kept = KeptEvent::copy_of(e);
    const std::string expected = event::to_json(e);
    ASSERT_EQ(*kept->json(), expected) << "round " << round;
    ASSERT_EQ(*kept->json(), expected) << "round " << round << ", shown again";
  }
}

event::Event plain_lookup() {
  event::Event e(event::Kind::access);
  e.set(event::FieldId::user_id, std::string("PC11653"));
  e.set(event::FieldId::subject_name, std::string("Rebecca Harris"));
  e.set(event::FieldId::result_count, std::int64_t{1});
  e.set(event::FieldId::event_time, *event::parse_time("2026-03-02T00:00:00Z"));
  e.add_raw("user.id", "PC11653");
  e.add_raw("subject.name", "Rebecca Harris");
  return e;
}

TEST(KeptEvent, ItsBudgetCoversItsJsonClosely) {
  const auto kept = KeptEvent::copy_of(plain_lookup());
  const std::size_t json = event::to_json(plain_lookup()).size();
  EXPECT_GE(kept->bytes(), json);
  EXPECT_LE(kept->bytes(), json + 32);  // an integer is counted at 20 digits
}

TEST(KeptEvent, ItsJsonIsWrittenOnceAndKept) {
  const auto kept = KeptEvent::copy_of(plain_lookup());
  const std::size_t bytes = kept->bytes();
  const auto first = kept->json();
  EXPECT_EQ(kept->json(), first);  // the same text, not written again
  EXPECT_EQ(kept->bytes(), bytes);
}

TEST(KeptEvent, JsonThatEscapingSwellsPastItsBudgetIsNotKept) {
  event::Event e = plain_lookup();
  e.set(event::FieldId::reason_text, std::string(500, '\x01'));  // each becomes \u0001
  const auto kept = KeptEvent::copy_of(e);
  const auto first = kept->json();
  EXPECT_GT(first->size(), kept->bytes());
  const auto second = kept->json();
  EXPECT_NE(second, first);
  EXPECT_EQ(*second, *first);
}

// A checkpoint's writer writes the JSON from the flat copy on its own thread while the engine
// goes on: the copy it holds must stay whole after json() has let it go, and read back as
// json() shows the event.
TEST(KeptEvent, ItsFlatCopyOutlivesTheJsonThatReplacesIt) {
  const auto kept = KeptEvent::copy_of(plain_lookup());
  const FlatEvent held = kept->flat();
  ASSERT_TRUE(held.bytes);
  EXPECT_EQ(held.bytes.use_count(), 2);
  const auto json = kept->json();
  EXPECT_FALSE(kept->flat().bytes);  // the JSON replaced it
  EXPECT_EQ(held.bytes.use_count(), 1);
  std::string written;
  held.append_json(written);
  EXPECT_EQ(written, *json);
  EXPECT_EQ(written, event::to_json(plain_lookup()));
  written = "[";
  held.append_json(written);  // appends to what is there
  EXPECT_EQ(written, "[" + *json);
  EXPECT_FALSE(KeptEvent::from_json(json)->flat().bytes);
}

TEST(KeptEvent, OneWrittenAsJsonIsShownAsItCame) {
  const auto json = std::make_shared<const std::string>(R"({"event.kind":"access"})");
  const auto kept = KeptEvent::from_json(json);
  EXPECT_EQ(kept->json(), json);
  EXPECT_EQ(kept->bytes(), json->size());
}

}  // namespace
