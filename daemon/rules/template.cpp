// Alert template compilation and rendering (see template.h).
#include "rules/template.h"

#include "rules/parser.h"

namespace probity::rules {

std::string CompiledTemplate::render(EvalContext& c) const {
  std::string out;
  for (const auto& p : parts_) {
    out += p.literal;
    if (p.value) out += rules::render(p.value->eval(c));
  }
  return out;
}

bool compile_template(const ScalarText& src, CheckContext& check, CompileContext& compile,
                      CompiledTemplate& out) {
  const std::string& s = src.value();
  bool ok = true;
  std::string literal;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if ((c == '{' || c == '}') && i + 1 < s.size() && s[i + 1] == c) {
      literal += c;
      i += 2;
      continue;
    }
    if (c == '}') {
      check.report.error("rules.template", Span{&src, std::uint32_t(i), std::uint32_t(i + 1)},
                         "unmatched '}' in the alert template", "write '}}' for a literal brace");
      ok = false;
      ++i;
      continue;
    }
    if (c != '{') {
      literal += c;
      ++i;
      continue;
    }
    const std::size_t close = s.find('}', i + 1);
    if (close == std::string::npos) {
      check.report.error("rules.template", Span{&src, std::uint32_t(i), std::uint32_t(i + 1)},
                         "unclosed '{' in the alert template",
                         "close it with '}', or write '{{' for a literal brace");
      return false;
    }
    ParseError err;
    ExprPtr e = parse_condition(src, std::uint32_t(i + 1), std::uint32_t(close), err);
    if (!e) {
      check.report.error("rules.syntax", err.span, err.message, err.hint);
      ok = false;
    } else if (!check_value(*e, check)) {
      ok = false;
    } else {
      out.parts().push_back({std::move(literal), compile_value(*e, compile)});
      literal.clear();
    }
    i = close + 1;
  }
  if (!literal.empty()) out.parts().push_back({std::move(literal), nullptr});
  return ok && compile.ok;
}

}  // namespace probity::rules
