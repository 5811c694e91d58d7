// UTF-8 to upper-case ASCII for names; see ascii_fold.h.
#include "rules/ascii_fold.h"

#include <cctype>
#include <cstdint>

namespace probity::rules {
namespace {

// The letter each code point U+00C0..U+017F folds to; '*' marks the ones spelt with two
// letters (handled in two_letters) and '_' the non-letters (x, ÷).
constexpr std::string_view kLatin1 =
    "AAAAAA*CEEEEIIIIDNOOOOO_OUUUUY**AAAAAA*CEEEEIIIIDNOOOOO_OUUUUY*Y";
constexpr std::string_view kExtendedA =
    "AAAAAACCCCCCCCDDDDEEEEEEEEEEGGGGGGGGHHHHIIIIIIIIII**JJKKKLLLLLLLLLLNNNNNNNNNOOOOOO**RRRR"
    "RRSSSSSSSSTTTTTTUUUUUUUUUUUUWWYYYZZZZZZS";

std::string_view two_letters(std::uint32_t cp) {
  switch (cp) {
    case 0xC6:
    case 0xE6:
      return "AE";
    case 0xDE:
    case 0xFE:
      return "TH";
    case 0xDF:
      return "SS";
    case 0x132:
    case 0x133:
      return "IJ";
    case 0x152:
    case 0x153:
      return "OE";
    default:
      return " ";
  }
}

bool is_apostrophe(std::uint32_t cp) {
  return cp == '\'' || cp == '`' || cp == 0x2019 || cp == 0x2018 || cp == 0x2BC;
}

bool is_dash(std::uint32_t cp) { return cp == '-' || (cp >= 0x2010 && cp <= 0x2014); }

// The code point starting at text[i], advancing i past it; U+FFFD for a malformed sequence.
std::uint32_t next_code_point(std::string_view text, std::size_t& i) {
  const auto lead = static_cast<unsigned char>(text[i++]);
  if (lead < 0x80) return lead;
  int more = 0;
  std::uint32_t cp = 0;
  if ((lead & 0xE0) == 0xC0) {
    more = 1;
    cp = lead & 0x1FU;
  } else if ((lead & 0xF0) == 0xE0) {
    more = 2;
    cp = lead & 0x0FU;
  } else if ((lead & 0xF8) == 0xF0) {
    more = 3;
    cp = lead & 0x07U;
  } else {
    return 0xFFFD;
  }
  for (; more > 0; --more) {
    if (i >= text.size() || (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (static_cast<unsigned char>(text[i++]) & 0x3FU);
  }
  return cp;
}

}  // namespace

std::string fold_to_ascii(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    const std::uint32_t cp = next_code_point(utf8, i);
    if (is_apostrophe(cp)) continue;
    if (is_dash(cp)) {
      out.push_back('-');
    } else if (cp < 0x80 && std::isalnum(static_cast<int>(cp)) != 0) {
      out.push_back(static_cast<char>(std::toupper(static_cast<int>(cp))));
    } else if (cp >= 0xC0 && cp <= 0x17F) {
      const char c = cp < 0x100 ? kLatin1[cp - 0xC0] : kExtendedA[cp - 0x100];
      if (c == '*')
        out += two_letters(cp);
      else
        out.push_back(c == '_' ? ' ' : c);
    } else {
      out.push_back(' ');
    }
  }
  return out;
}

}  // namespace probity::rules
