// event_from_json: canonical events written by `probity parse` (or by hand) read back for
// replay and tests. Strict: an unknown key or a value of the wrong type is an error.
#include <nlohmann/json.hpp>

#include "event/event.h"

namespace probity::event {

Result<Event> event_from_json(std::string_view text) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail("event.bad_json", "not a JSON object");
  const auto kind_it = j.find("event.kind");
  if (kind_it == j.end() || !kind_it->is_string())
    return fail("event.bad_json", "\"event.kind\" (access or email) is required");
  const auto kind = kind_from_string(kind_it->get<std::string>());
  if (!kind) return fail("event.bad_json", "\"event.kind\" must be access or email");
  Event e(*kind);
  for (const auto& [key, value] : j.items()) {
    if (key == "event.kind") continue;
    if (key == "raw") {
      if (!value.is_object()) return fail("event.bad_json", "\"raw\" must be an object");
      for (const auto& [rk, rv] : value.items())
        e.add_raw(rk, rv.is_string() ? rv.get<std::string>() : rv.dump());
      continue;
    }
    const auto id = field_by_name(key);
    if (!id) return fail("event.bad_json", "\"" + key + "\" is not a canonical field");
    const auto type = field_info(*id).type;
    auto wrong = [&] {
      return fail("event.bad_json", "\"" + key + "\" has a value of the wrong type");
    };
    switch (type) {
      case ValueType::string:
        if (!value.is_string()) return wrong();
        e.set(*id, value.get<std::string>());
        break;
      case ValueType::integer:
        if (!value.is_number_integer()) return wrong();
        e.set(*id, value.get<std::int64_t>());
        break;
      case ValueType::time: {
        if (!value.is_string()) return wrong();
        auto t = parse_time(value.get<std::string>());
        if (!t) return fail("event.bad_json", "\"" + key + "\" is not an RFC 3339 time");
        e.set(*id, *t);
        break;
      }
      case ValueType::string_list: {
        if (!value.is_array()) return wrong();
        std::vector<std::string> items;
        for (const auto& item : value) {
          if (!item.is_string()) return wrong();
          items.push_back(item.get<std::string>());
        }
        e.set(*id, std::move(items));
        break;
      }
    }
  }
  return e;
}

}  // namespace probity::event
