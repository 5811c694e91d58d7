// Alert template compilation and rendering (see template.h).
#include "rules/template.h"

#include "rules/identity.h"
#include "rules/parser.h"

namespace probity::rules {

std::string CompiledTemplate::render(EvalContext& c,
                                     std::vector<event::IdentitySpan>* identities) const {
  std::string out;
  for (const auto& p : parts_) {
    out += p.literal;
    if (!p.value) continue;
    const std::size_t at = out.size();
    out += rules::render(p.value->eval(c));
    if (identities && p.identity != event::Identity::none && out.size() > at)
      identities->push_back({static_cast<std::uint32_t>(at),
                             static_cast<std::uint32_t>(out.size() - at), p.identity});
  }
  return out;
}

bool compile_template(const ScalarText& src, CheckContext& check, CompileContext& compile,
                      CompiledTemplate& out, bool shown) {
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
      check.report.error(Code::template_braces, Span{&src, std::uint32_t(i), std::uint32_t(i + 1)},
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
      check.report.error(Code::template_braces, Span{&src, std::uint32_t(i), std::uint32_t(i + 1)},
                         "unclosed '{' in the alert template",
                         "close it with '}', or write '{{' for a literal brace");
      return false;
    }
    ParseError err;
    ExprPtr e = parse_condition(src, std::uint32_t(i + 1), std::uint32_t(close), err);
    if (!e) {
      check.report.error(Code::syntax, err.span, err.message, err.hint);
      ok = false;
    } else if (!check_value(*e, check)) {
      ok = false;
    } else {
      const auto identity = identity_of(*e);
      if (shown && identity == event::Identity::personal)
        check.report.warning(
            Code::withheld_value, Span{&src, std::uint32_t(i + 1), std::uint32_t(close)},
            "this value names a member of staff and is shown as [withheld] in mail, on the "
            "live page and in the log",
            "it stays in the stored alert, which `probity alerts show` reveals with a reason");
      out.parts().push_back({std::move(literal), compile_value(*e, compile), identity});
      literal.clear();
    }
    i = close + 1;
  }
  if (!literal.empty()) out.parts().push_back({std::move(literal), nullptr});
  return ok && compile.ok;
}

}  // namespace probity::rules
