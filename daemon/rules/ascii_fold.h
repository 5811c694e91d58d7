// Latin-script text folded to upper-case ASCII, for comparing names typed with and without
// accents (person_match.h, step 2). Not a general transliterator: Cyrillic, Arabic and other
// scripts are not read, only separated.
#pragma once

#include <string>
#include <string_view>

namespace probity::rules {

/// The UTF-8 text upper-cased, Latin accents dropped (é -> E, ł -> L, ø -> O), ligatures
/// spelt out (ß -> SS, æ -> AE, œ -> OE, þ -> TH, ĳ -> IJ). Apostrophes (' ` ’ ‘ ʼ) are
/// dropped, hyphens and dashes become '-', and every other character, malformed bytes
/// included, becomes a space.
std::string fold_to_ascii(std::string_view utf8);

}  // namespace probity::rules
