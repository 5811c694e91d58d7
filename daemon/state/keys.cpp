// Key helpers for reference data (keys.h).
#include "state/keys.h"

namespace probity::state {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string composite_key(std::string_view a, std::string_view b) {
  std::string key = lower(a);
  key += kKeySep;
  key += lower(b);
  return key;
}

std::string prefix_successor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty()) {
    auto& c = reinterpret_cast<unsigned char&>(s.back());
    if (c != 0xff) {
      ++c;
      return s;
    }
    s.pop_back();
  }
  return s;
}

}  // namespace probity::state
