// Tokenizer for the condition language (grammar in parser.h). Identifiers may contain dots
// ("email.to.domain"); a dot that starts a token is member access after a call.
#include "rules/lexer.h"

#include <limits>

#include "base/duration.h"

namespace probity::rules {
namespace {

bool ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9'); }
bool digit(char c) { return c >= '0' && c <= '9'; }

struct Keyword {
  std::string_view word;
  Tok tok;
};
constexpr Keyword kKeywords[] = {
    {"and", Tok::kw_and},           {"or", Tok::kw_or},
    {"not", Tok::kw_not},           {"in", Tok::kw_in},
    {"contains", Tok::kw_contains}, {"startswith", Tok::kw_startswith},
    {"endswith", Tok::kw_endswith}, {"matches", Tok::kw_matches},
    {"true", Tok::kw_true},         {"false", Tok::kw_false},
};

}  // namespace

std::string_view describe(Tok t) {
  switch (t) {
    case Tok::end:
      return "end of condition";
    case Tok::ident:
      return "a name";
    case Tok::string:
      return "a string";
    case Tok::integer:
      return "a number";
    case Tok::duration:
      return "a duration";
    case Tok::lparen:
      return "'('";
    case Tok::rparen:
      return "')'";
    case Tok::comma:
      return "','";
    case Tok::dot:
      return "'.'";
    case Tok::plus:
      return "'+'";
    case Tok::minus:
      return "'-'";
    case Tok::eq:
      return "'=='";
    case Tok::ne:
      return "'!='";
    case Tok::lt:
      return "'<'";
    case Tok::le:
      return "'<='";
    case Tok::gt:
      return "'>'";
    case Tok::ge:
      return "'>='";
    case Tok::kw_and:
      return "'and'";
    case Tok::kw_or:
      return "'or'";
    case Tok::kw_not:
      return "'not'";
    case Tok::kw_in:
      return "'in'";
    case Tok::kw_contains:
      return "'contains'";
    case Tok::kw_startswith:
      return "'startswith'";
    case Tok::kw_endswith:
      return "'endswith'";
    case Tok::kw_matches:
      return "'matches'";
    case Tok::kw_true:
      return "'true'";
    case Tok::kw_false:
      return "'false'";
  }
  return "?";
}

bool tokenize(std::string_view s, std::vector<Token>& out, LexError& error) {
  out.clear();
  std::size_t i = 0;
  auto fail = [&](std::size_t b, std::size_t e, std::string msg, std::string hint = {}) {
    error = LexError{static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e), std::move(msg),
                     std::move(hint)};
    return false;
  };
  while (true) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
    Token t;
    t.begin = static_cast<std::uint32_t>(i);
    if (i == s.size()) {
      t.end = t.begin;
      out.push_back(std::move(t));
      return true;
    }
    const char c = s[i];
    if (ident_start(c)) {
      std::size_t j = i;
      while (j < s.size()) {
        while (j < s.size() && ident_char(s[j])) ++j;
        // A dot continues the name only when another name part follows ("user.id").
        if (j + 1 < s.size() && s[j] == '.' && ident_char(s[j + 1])) {
          ++j;
          continue;
        }
        break;
      }
      t.text.assign(s.substr(i, j - i));
      t.kind = Tok::ident;
      for (const auto& k : kKeywords)
        if (k.word == t.text) t.kind = k.tok;
      i = j;
    } else if (digit(c)) {
      std::size_t j = i;
      std::int64_t v = 0;
      while (j < s.size() && digit(s[j])) {
        const int d = s[j] - '0';
        if (v > (std::numeric_limits<std::int64_t>::max() - d) / 10)
          return fail(i, j + 1, "number is too large");
        v = v * 10 + d;
        ++j;
      }
      if (j < s.size() && ident_start(s[j])) {
        // One unit letter (base/duration.h: the same units as the config file).
        const auto unit_length = duration_unit(s.substr(j, 1));
        const std::int64_t unit = unit_length ? unit_length->count() : 0;
        if (unit == 0 || (j + 1 < s.size() && ident_char(s[j + 1])))
          return fail(i, j + 1,
                      "bad number or duration '" + std::string(s.substr(i, j + 1 - i)) + "'",
                      "durations are a number and one unit: " + std::string(kDurationExamples));
        if (v > std::numeric_limits<std::int64_t>::max() / unit)
          return fail(i, j + 1, "duration is too large");
        t.kind = Tok::duration;
        t.number = v * unit;
        ++j;
      } else {
        t.kind = Tok::integer;
        t.number = v;
      }
      i = j;
    } else if (c == '"' || c == '\'') {
      std::size_t j = i + 1;
      bool closed = false;
      while (j < s.size()) {
        const char d = s[j];
        if (d == c) {
          closed = true;
          ++j;
          break;
        }
        if (d == '\\' && j + 1 < s.size()) {
          const char e = s[j + 1];
          switch (e) {
            case 'n':
              t.text += '\n';
              break;
            case 't':
              t.text += '\t';
              break;
            case '\\':
            case '"':
            case '\'':
              t.text += e;
              break;
            default:  // keep unknown escapes as written: regexes use \d, \. and friends
              t.text += '\\';
              t.text += e;
          }
          j += 2;
          continue;
        }
        t.text += d;
        ++j;
      }
      if (!closed)
        return fail(i, s.size(), "unterminated string", "close it with " + std::string(1, c));
      t.kind = Tok::string;
      i = j;
    } else {
      auto two = [&](char second) { return i + 1 < s.size() && s[i + 1] == second; };
      std::size_t len = 1;
      switch (c) {
        case '(':
          t.kind = Tok::lparen;
          break;
        case ')':
          t.kind = Tok::rparen;
          break;
        case ',':
          t.kind = Tok::comma;
          break;
        case '.':
          t.kind = Tok::dot;
          break;
        case '+':
          t.kind = Tok::plus;
          break;
        case '-':
          t.kind = Tok::minus;
          break;
        case '=':
          if (!two('=')) return fail(i, i + 1, "unexpected '='", "comparison is written '=='");
          t.kind = Tok::eq;
          len = 2;
          break;
        case '!':
          if (!two('=')) return fail(i, i + 1, "unexpected '!'", "negation is written 'not'");
          t.kind = Tok::ne;
          len = 2;
          break;
        case '<':
          t.kind = two('=') ? Tok::le : Tok::lt;
          len = two('=') ? 2 : 1;
          break;
        case '>':
          t.kind = two('=') ? Tok::ge : Tok::gt;
          len = two('=') ? 2 : 1;
          break;
        case '&':
          return fail(i, i + (two('&') ? 2 : 1), "unexpected '&'", "use 'and'");
        case '|':
          return fail(i, i + (two('|') ? 2 : 1), "unexpected '|'", "use 'or'");
        default:
          return fail(i, i + 1, std::string("unexpected character '") + c + "'");
      }
      i += len;
    }
    t.end = static_cast<std::uint32_t>(i);
    out.push_back(std::move(t));
  }
}

}  // namespace probity::rules
