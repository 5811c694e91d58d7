// read_own_json: an event read back from the exact text to_json writes, without a JSON
// library. A correlation's alert carries up to 20 kept events as JSON, and each is read back
// to be masked; through a JSON DOM (nlohmann's ordered_json) that was 1.8 % of the evaluation
// thread at half the maximum rate, in bursts as correlations fire. Anything to_json would not
// have written is refused, and the caller parses it instead, so this reader never has to
// agree with a parser on text it does not know.
#include <charconv>

#include "base/json_text.h"
#include "event/event.h"

namespace probity::event {
namespace {

class OwnJsonReader {
 public:
  explicit OwnJsonReader(std::string_view text) : t_(text) {}

  std::optional<Event> read() {
    // Every string to_json writes is well-formed UTF-8; checked once here, so the strings
    // below only need their escapes undone.
    if (find_invalid_utf8(t_) != std::string_view::npos || !take('{')) return std::nullopt;
    std::array<Value, kFieldCount> values;
    std::vector<std::pair<std::string, std::string>> raw;
    std::size_t next = 0;  // to_json writes fields in FieldId order, each once
    std::string key;
    while (!at('}')) {
      if ((next > 0 || !raw.empty()) && !take(',')) return std::nullopt;
      if (!string(key) || !take(':')) return std::nullopt;
      if (key == "raw") {
        if (!raw_fields(raw) || !at('}')) return std::nullopt;  // raw comes last
        break;
      }
      const auto id = field_by_name(key);
      if (!id || static_cast<std::size_t>(*id) < next) return std::nullopt;
      next = static_cast<std::size_t>(*id) + 1;
      if (!value(field_info(*id).type, values[static_cast<std::size_t>(*id)])) return std::nullopt;
    }
    if (!take('}') || i_ != t_.size()) return std::nullopt;

    const auto* kind_text = std::get_if<std::string>(&values[idx(FieldId::event_kind)]);
    const auto kind = kind_text ? kind_from_string(*kind_text) : std::nullopt;
    if (!kind) return std::nullopt;
    Event e(*kind);
    for (std::size_t f = 0; f < kFieldCount; ++f)
      if (f != idx(FieldId::event_kind) && !std::holds_alternative<std::monostate>(values[f]))
        e.set(static_cast<FieldId>(f), std::move(values[f]));
    e.reserve_raw(raw.size());
    for (auto& [name, text] : raw) e.add_raw(std::move(name), std::move(text));
    return e;
  }

 private:
  static std::size_t idx(FieldId id) { return static_cast<std::size_t>(id); }

  bool at(char c) const { return i_ < t_.size() && t_[i_] == c; }
  bool take(char c) {
    if (!at(c)) return false;
    ++i_;
    return true;
  }

  // A value as to_json wrote it, of whichever type the event held (a field may hold another
  // type than its own: decoders set lists as text). A time field's text is read as a time
  // when it is to_json's rendering of one, so the event writes the same JSON again.
  bool value(ValueType type, Value& out) {
    if (at('"')) {
      std::string text;
      if (!string(text)) return false;
      if (type == ValueType::time)
        if (const auto t = parse_time(text)) {
          std::array<char, 40> again;
          if (format_time(*t, again) == text) {
            out.emplace<Timestamp>(*t);
            return true;
          }
        }
      out.emplace<std::string>(std::move(text));
      return true;
    }
    if (take('[')) {
      std::vector<std::string> items;
      while (!take(']')) {
        if (!items.empty() && !take(',')) return false;
        if (!string(items.emplace_back())) return false;
      }
      out.emplace<std::vector<std::string>>(std::move(items));
      return true;
    }
    std::int64_t n = 0;
    const char* begin = t_.data() + i_;
    const auto [end, error] = std::from_chars(begin, t_.data() + t_.size(), n);
    if (error != std::errc() || end == begin) return false;
    const std::string_view digits(begin, static_cast<std::size_t>(end - begin));
    if (digits != std::to_string(n)) return false;  // "007", "-0": not to_json's
    i_ += digits.size();
    out.emplace<std::int64_t>(n);
    return true;
  }

  bool raw_fields(std::vector<std::pair<std::string, std::string>>& raw) {
    if (!take('{')) return false;
    while (!take('}')) {
      if (!raw.empty() && !take(',')) return false;
      auto& [name, text] = raw.emplace_back();
      if (!string(name) || !take(':') || !string(text)) return false;
    }
    return !raw.empty();  // to_json leaves "raw" out when there is none
  }

  // A quoted string with append_json_string's escapes undone (any \u escape but a
  // surrogate, which append_json_string never writes).
  bool string(std::string& out) {
    out.clear();
    if (!take('"')) return false;
    for (;;) {
      const std::size_t run = t_.find_first_of("\"\\", i_);
      if (run == std::string_view::npos) return false;
      for (std::size_t k = i_; k < run; ++k)
        if (static_cast<unsigned char>(t_[k]) < 0x20) return false;  // JSON refuses these
      out.append(t_.data() + i_, run - i_);
      i_ = run + 1;
      if (t_[run] == '"') return true;
      if (i_ >= t_.size()) return false;
      switch (const char c = t_[i_++]) {
        case '"':
        case '\\':
        case '/':
          out += c;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u':
          if (!code_point(out)) return false;
          break;
        default:
          return false;
      }
    }
  }

  bool code_point(std::string& out) {
    if (i_ + 4 > t_.size()) return false;
    unsigned cp = 0;
    const auto [end, error] = std::from_chars(t_.data() + i_, t_.data() + i_ + 4, cp, 16);
    if (error != std::errc() || end != t_.data() + i_ + 4) return false;
    i_ += 4;
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return true;
  }

  std::string_view t_;
  std::size_t i_ = 0;
};

}  // namespace

std::optional<Event> read_own_json(std::string_view text) { return OwnJsonReader(text).read(); }

}  // namespace probity::event
