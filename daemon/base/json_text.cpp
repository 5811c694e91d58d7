#include "base/json_text.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace probity {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Bytes copied as they are: printable ASCII but the quote and the backslash. One load per
// byte, where four comparisons were a tenth of the evaluation thread's time in evidence texts.
constexpr std::array<bool, 256> kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return plain;
}();

// Whether the 8 bytes at p are all plain (kPlain), tested at once: none at or above 0x80,
// none below 0x20, no quote, no backslash. The tests say only whether some byte matches
// (a borrow may mark its neighbour), which is all the caller needs.
bool plain_word(const char* p) {
  constexpr std::uint64_t kOnes = 0x0101010101010101, kHighs = 0x8080808080808080;
  std::uint64_t x;
  std::memcpy(&x, p, sizeof x);
  const auto below = [&](std::uint64_t v, std::uint8_t n) { return (v - kOnes * n) & ~v & kHighs; };
  const auto equal = [&](std::uint8_t b) { return below(x ^ (kOnes * b), 1); };
  return ((x & kHighs) | below(x, 0x20) | equal('"') | equal('\\')) == 0;
}

// Length of the well-formed UTF-8 sequence at text[i] (RFC 3629: no overlongs, surrogates or
// code points past U+10FFFF), or 0 with `invalid` set to how many bytes form a maximal invalid
// prefix to replace by one U+FFFD.
std::size_t utf8_length(std::string_view text, std::size_t i, std::size_t& invalid) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
  const std::uint8_t lead = byte(i);
  std::size_t need = 0;
  std::uint8_t low = 0x80, high = 0xBF;  // the range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    need = 1;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    need = 2;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    need = 3;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    invalid = 1;
    return 0;
  }
  for (std::size_t k = 1; k <= need; ++k) {
    if (i + k >= text.size()) {
      invalid = text.size() - i;  // cut short at the end: one replacement for the rest
      return 0;
    }
    const std::uint8_t b = byte(i + k);
    const bool ok = k == 1 ? (b >= low && b <= high) : (b >= 0x80 && b <= 0xBF);
    if (!ok) {
      invalid = k;  // the byte that broke the sequence is read again on its own
      return 0;
    }
  }
  return need + 1;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.reserve(out.size() + text.size() + 2);
  out += '"';
  std::size_t run = 0;  // start of the bytes copied as they are
  for (std::size_t i = 0; i < text.size();) {
    if (i + 8 <= text.size() && plain_word(text.data() + i)) {
      i += 8;
      continue;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (kPlain[c]) {
      ++i;
      continue;
    }
    out.append(text.data() + run, i - run);
    if (c >= 0x80) {
      std::size_t invalid = 0;
      if (const std::size_t n = utf8_length(text, i, invalid)) {
        out.append(text.data() + i, n);
        i += n;
      } else {
        out += kReplacement;
        i += invalid;
      }
    } else {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
      }
      ++i;
    }
    run = i;
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

namespace {

// is_plain_json: recursive descent over the subset, every check erring towards "no" (the
// caller then parses), so that "yes" never lets through text a parser would refuse.
class PlainJson {
 public:
  explicit PlainJson(std::string_view text) : t_(text) {}
  bool check() {
    if (!value(0)) return false;
    blanks();
    return i_ == t_.size();
  }

 private:
  static constexpr int kMaxDepth = 64;

  bool at(char c) const { return i_ < t_.size() && t_[i_] == c; }
  void blanks() {
    while (at(' ') || at('\t')) ++i_;
  }

  bool value(int depth) {
    blanks();
    if (i_ >= t_.size()) return false;
    switch (t_[i_]) {
      case '{':
        return members(depth, '}', true);
      case '[':
        return members(depth, ']', false);
      case '"':
        return string();
      case 't':
        return word("true");
      case 'f':
        return word("false");
      case 'n':
        return word("null");
      default:
        return integer();
    }
  }

  // An object's members (named) or an array's items, after the opening bracket.
  bool members(int depth, char close, bool named) {
    if (depth == kMaxDepth) return false;
    ++i_;
    blanks();
    if (at(close)) {
      ++i_;
      return true;
    }
    for (;;) {
      if (named) {
        blanks();
        if (!at('"') || !string()) return false;
        blanks();
        if (!at(':')) return false;
        ++i_;
      }
      if (!value(depth + 1)) return false;
      blanks();
      if (at(',')) {
        ++i_;
        continue;
      }
      if (!at(close)) return false;
      ++i_;
      return true;
    }
  }

  bool string() {
    ++i_;  // the opening quote
    while (i_ < t_.size()) {
      if (i_ + 8 <= t_.size() && plain_word(t_.data() + i_)) {
        i_ += 8;
        continue;
      }
      const auto c = static_cast<unsigned char>(t_[i_]);
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        if (!escape()) return false;
      } else if (c >= 0x80) {
        std::size_t invalid = 0;
        const std::size_t n = utf8_length(t_, i_, invalid);
        if (n == 0) return false;
        i_ += n;
      } else {
        ++i_;
      }
    }
    return false;  // no closing quote
  }

  bool escape() {
    if (i_ + 1 >= t_.size()) return false;
    const char e = t_[i_ + 1];
    if (e != 'u') {
      if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) return false;
      i_ += 2;
      return true;
    }
    if (i_ + 6 > t_.size()) return false;
    unsigned code = 0;
    for (std::size_t k = i_ + 2; k < i_ + 6; ++k) {
      const char h = t_[k];
      const int digit = h >= '0' && h <= '9'   ? h - '0'
                        : h >= 'a' && h <= 'f' ? h - 'a' + 10
                        : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                               : -1;
      if (digit < 0) return false;
      code = code * 16 + static_cast<unsigned>(digit);
    }
    if (code >= 0xD800 && code <= 0xDFFF) return false;  // pairs are the parser's to judge
    i_ += 6;
    return true;
  }

  bool integer() {
    if (at('-')) ++i_;
    const std::size_t first = i_;
    while (i_ < t_.size() && t_[i_] >= '0' && t_[i_] <= '9') ++i_;
    const std::size_t digits = i_ - first;
    if (digits == 0 || digits > 18 || (digits > 1 && t_[first] == '0')) return false;
    return !at('.') && !at('e') && !at('E');  // fractions and exponents: parsed instead
  }

  bool word(std::string_view w) {
    if (t_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }

  std::string_view t_;
  std::size_t i_ = 0;
};

}  // namespace

bool is_plain_json(std::string_view text) { return PlainJson(text).check(); }

std::size_t find_invalid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    if (i + 8 <= text.size() && plain_word(text.data() + i)) {
      i += 8;
    } else if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
    } else {
      std::size_t invalid = 0;
      const std::size_t n = utf8_length(text, i, invalid);
      if (n == 0) return i;
      i += n;
    }
  }
  return std::string_view::npos;
}

}  // namespace probity
