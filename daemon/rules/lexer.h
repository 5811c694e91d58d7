// Tokenizer for condition expressions and alert-template expressions. Pure; positions are
// byte offsets into the expression text. Not for YAML.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace probity::rules {

enum class Tok : std::uint8_t {
  end,
  ident,
  string,
  integer,
  duration,
  lparen,
  rparen,
  comma,
  dot,
  plus,
  minus,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  kw_and,
  kw_or,
  kw_not,
  kw_in,
  kw_contains,
  kw_startswith,
  kw_endswith,
  kw_matches,
  kw_true,
  kw_false,
};
std::string_view describe(Tok);

struct Token {
  Tok kind = Tok::end;
  std::uint32_t begin = 0, end = 0;  ///< byte range in the expression text
  std::string text;                  ///< ident name, or a string literal's decoded value
  std::int64_t number = 0;           ///< integer value; duration in microseconds
};

struct LexError {
  std::uint32_t begin = 0, end = 0;
  std::string message;
  std::string hint;
};

/// Splits `text` into tokens ending with Tok::end. On failure returns false and sets `error`.
bool tokenize(std::string_view text, std::vector<Token>& out, LexError& error);

}  // namespace probity::rules
