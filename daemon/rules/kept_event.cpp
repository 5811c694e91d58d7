#include "rules/kept_event.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <variant>

namespace probity::rules {
namespace {

// The flat form: the kind; per present field its id, its variant index and its value (text
// as a 32-bit length and bytes; integers and times as 8 bytes); kEnd; the raw fields' count
// and each name and value. Only ever read back by the process that wrote it.
constexpr std::uint8_t kEnd = 0xFF;
static_assert(event::kFieldCount < kEnd);

// Writes into a buffer sized beforehand (sizes_of): one allocation and no capacity checks.
class FlatWriter {
 public:
  explicit FlatWriter(char* at) : at_(at) {}
  void byte(std::uint8_t b) { *at_++ = static_cast<char>(b); }
  void u32(std::uint32_t v) { bytes(&v, sizeof v); }
  void i64(std::int64_t v) { bytes(&v, sizeof v); }
  void text(std::string_view t) {
    u32(static_cast<std::uint32_t>(t.size()));
    bytes(t.data(), t.size());
  }

 private:
  void bytes(const void* p, std::size_t n) {
    std::memcpy(at_, p, n);
    at_ += n;
  }
  char* at_;
};

class FlatReader {
 public:
  explicit FlatReader(std::string_view s) : s_(s) {}
  bool ok() const { return ok_; }
  std::uint8_t byte() {
    if (!need(1)) return kEnd;
    const auto b = static_cast<std::uint8_t>(s_[0]);
    s_.remove_prefix(1);
    return b;
  }
  std::uint32_t u32() { return fixed<std::uint32_t>(); }
  std::int64_t i64() { return fixed<std::int64_t>(); }
  std::string text() {
    const std::uint32_t n = u32();
    if (!need(n)) return {};
    std::string out(s_.substr(0, n));
    s_.remove_prefix(n);
    return out;
  }

 private:
  template <class T>
  T fixed() {
    T v{};
    if (!need(sizeof v)) return v;
    std::memcpy(&v, s_.data(), sizeof v);
    s_.remove_prefix(sizeof v);
    return v;
  }
  bool need(std::size_t n) {
    if (s_.size() < n) ok_ = false;
    return ok_;
  }
  std::string_view s_;
  bool ok_ = true;
};

// What an event takes as a flat copy, and as event::to_json's text when nothing in it needs
// escaping (keys, quotes and separators on top of the values; a time is 27 characters, an
// integer at most 20). One pass for both: every kept event is measured.
struct Sizes {
  std::size_t flat = 1 + 1 + 4;  // kind, kEnd, raw count
  std::size_t json = 2 + 8;      // {} and "raw":{}
};

Sizes sizes_of(const event::Event& e) {
  Sizes n;
  for (const auto& f : event::all_fields()) {
    const event::Value& v = e.get(f.id);
    if (std::holds_alternative<std::monostate>(v)) continue;
    n.flat += 2;
    n.json += f.name.size() + 4;
    if (const auto* text = std::get_if<std::string>(&v)) {
      n.flat += 4 + text->size();
      n.json += text->size() + 2;
    } else if (const auto* list = std::get_if<std::vector<std::string>>(&v)) {
      n.flat += 4;
      n.json += 2;
      for (const auto& item : *list) {
        n.flat += 4 + item.size();
        n.json += item.size() + 3;
      }
    } else {
      n.flat += 8;
      n.json += std::holds_alternative<std::int64_t>(v) ? 20 : 29;
    }
  }
  for (const auto& [name, value] : e.raw()) {
    n.flat += 8 + name.size() + value.size();
    n.json += name.size() + value.size() + 6;
  }
  return n;
}

FlatEvent flatten(const event::Event& e, std::size_t size) {
  auto out = std::make_shared_for_overwrite<char[]>(size);
  FlatWriter w(out.get());
  w.byte(static_cast<std::uint8_t>(e.kind()));
  for (const auto& f : event::all_fields()) {
    const event::Value& v = e.get(f.id);
    if (std::holds_alternative<std::monostate>(v)) continue;
    w.byte(static_cast<std::uint8_t>(f.id));
    w.byte(static_cast<std::uint8_t>(v.index()));
    if (const auto* text = std::get_if<std::string>(&v)) {
      w.text(*text);
    } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
      w.i64(*n);
    } else if (const auto* t = std::get_if<event::Timestamp>(&v)) {
      w.i64(t->time_since_epoch().count());
    } else if (const auto* list = std::get_if<std::vector<std::string>>(&v)) {
      w.u32(static_cast<std::uint32_t>(list->size()));
      for (const auto& item : *list) w.text(item);
    }
  }
  w.byte(kEnd);
  w.u32(static_cast<std::uint32_t>(e.raw().size()));
  for (const auto& [name, value] : e.raw()) {
    w.text(name);
    w.text(value);
  }
  return {std::move(out), size};
}

std::optional<event::Event> unflatten(std::string_view flat) {
  FlatReader r(flat);
  event::Event e(static_cast<event::Kind>(r.byte()));
  for (std::uint8_t id = r.byte(); r.ok() && id != kEnd; id = r.byte()) {
    if (id >= event::kFieldCount) return std::nullopt;
    const auto field = static_cast<event::FieldId>(id);
    switch (r.byte()) {
      case 1:
        e.set(field, r.text());
        break;
      case 2:
        e.set(field, r.i64());
        break;
      case 3:
        e.set(field, event::Timestamp(std::chrono::microseconds(r.i64())));
        break;
      case 4: {
        const std::uint32_t n = r.u32();
        if (n > flat.size()) return std::nullopt;  // each item takes at least its length
        std::vector<std::string> items(n);
        for (auto& item : items) item = r.text();
        e.set(field, std::move(items));
        break;
      }
      default:
        return std::nullopt;
    }
  }
  const std::uint32_t raw = r.u32();
  for (std::uint32_t i = 0; i < raw && r.ok(); ++i) {
    std::string name = r.text();
    e.add_raw(std::move(name), r.text());
  }
  if (!r.ok()) return std::nullopt;
  return e;
}

}  // namespace

void FlatEvent::append_json(std::string& out) const {
  // Only this process writes the flat form, so this cannot fail; should it, an empty
  // object shows that a kept event was lost rather than stopping the alert.
  const auto e = bytes ? unflatten({bytes.get(), size}) : std::nullopt;
  std::string json = e ? event::to_json(*e) : std::string("{}");
  if (out.empty())
    out = std::move(json);
  else
    out += json;
}

std::shared_ptr<const KeptEvent> KeptEvent::copy_of(const event::Event& e) {
  const Sizes sizes = sizes_of(e);
  const std::size_t bytes = std::max(sizes.flat, sizes.json);
  return std::make_shared<const KeptEvent>(flatten(e, sizes.flat), nullptr, bytes);
}

std::shared_ptr<const KeptEvent> KeptEvent::from_json(std::shared_ptr<const std::string> json) {
  const std::size_t bytes = json->size();
  return std::make_shared<const KeptEvent>(FlatEvent{}, std::move(json), bytes);
}

std::shared_ptr<const std::string> KeptEvent::json() const {
  if (json_) return json_;
  std::string text;
  flat_.append_json(text);
  auto json = std::make_shared<const std::string>(std::move(text));
  if (json->size() <= bytes_) {
    json_ = json;
    flat_ = {};  // a checkpoint's writer may still hold it
  }
  return json;
}

}  // namespace probity::rules
