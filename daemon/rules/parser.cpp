// The recursive-descent parser (grammar in parser.h). One function per grammar rule.
#include "rules/parser.h"

#include <utility>

#include "base/duration.h"
#include "rules/lexer.h"

namespace probity::rules {
namespace {

class Parser {
 public:
  Parser(const ScalarText& src, std::uint32_t base, std::vector<Token> tokens, ParseError& error)
      : src_(src), base_(base), toks_(std::move(tokens)), error_(error) {}

  ExprPtr parse() {
    ExprPtr e = condition();
    if (!e) return nullptr;
    if (peek().kind != Tok::end) {
      return fail(peek(),
                  "expected 'and', 'or' or the end of the condition, found " + found(peek()));
    }
    return e;
  }

 private:
  const Token& peek() const { return toks_[pos_]; }
  const Token& next() { return toks_[pos_ < toks_.size() - 1 ? pos_++ : pos_]; }
  bool accept(Tok k) {
    if (peek().kind != k) return false;
    next();
    return true;
  }

  Span span(const Token& t) const { return Span{&src_, base_ + t.begin, base_ + t.end}; }
  Span span(const Span& a, const Span& b) const { return Span{&src_, a.begin, b.end}; }

  static std::string found(const Token& t) {
    switch (t.kind) {
      case Tok::ident:
        return "'" + t.text + "'";
      case Tok::string:
        return "string \"" + t.text + "\"";
      case Tok::integer:
        return "number " + std::to_string(t.number);
      default:
        return std::string(describe(t.kind));
    }
  }

  ExprPtr fail(const Token& at, std::string message, std::string hint = {}) {
    if (!failed_) {
      failed_ = true;
      error_ = ParseError{span(at), std::move(message), std::move(hint)};
    }
    return nullptr;
  }

  ExprPtr binary(NodeKind k, ExprPtr l, ExprPtr r) {
    auto e = std::make_unique<Expr>(k, span(l->span, r->span));
    e->args.push_back(std::move(l));
    e->args.push_back(std::move(r));
    return e;
  }

  ExprPtr condition() { return or_expr(); }

  ExprPtr or_expr() {
    ExprPtr l = and_expr();
    while (l && peek().kind == Tok::kw_or) {
      next();
      ExprPtr r = and_expr();
      if (!r) return nullptr;
      l = binary(NodeKind::or_, std::move(l), std::move(r));
    }
    return l;
  }

  ExprPtr and_expr() {
    ExprPtr l = unary();
    while (l && peek().kind == Tok::kw_and) {
      next();
      ExprPtr r = unary();
      if (!r) return nullptr;
      l = binary(NodeKind::and_, std::move(l), std::move(r));
    }
    return l;
  }

  ExprPtr unary() {
    if (peek().kind == Tok::kw_not) {
      const Token& t = next();
      const Span s = span(t);
      ExprPtr inner = unary();
      if (!inner) return nullptr;
      auto e = std::make_unique<Expr>(NodeKind::not_, span(s, inner->span));
      e->args.push_back(std::move(inner));
      return e;
    }
    return predicate();
  }

  static Op comp_op(Tok k) {
    switch (k) {
      case Tok::eq:
        return Op::eq;
      case Tok::ne:
        return Op::ne;
      case Tok::lt:
        return Op::lt;
      case Tok::le:
        return Op::le;
      case Tok::gt:
        return Op::gt;
      case Tok::ge:
        return Op::ge;
      case Tok::kw_contains:
        return Op::contains;
      case Tok::kw_startswith:
        return Op::startswith;
      case Tok::kw_endswith:
        return Op::endswith;
      case Tok::kw_matches:
        return Op::matches;
      default:
        return Op::none;
    }
  }

  ExprPtr sum() {
    ExprPtr l = value();
    while (l && (peek().kind == Tok::plus || peek().kind == Tok::minus)) {
      const Op op = next().kind == Tok::plus ? Op::plus : Op::minus;
      ExprPtr r = value();
      if (!r) return nullptr;
      l = binary(NodeKind::arith, std::move(l), std::move(r));
      l->op = op;
    }
    return l;
  }

  ExprPtr predicate() {
    ExprPtr l = sum();
    if (!l) return nullptr;
    const Tok k = peek().kind;
    if (k == Tok::kw_in || (k == Tok::kw_not && toks_[pos_ + 1].kind == Tok::kw_in)) {
      const bool negated = k == Tok::kw_not;
      if (negated) next();
      next();
      ExprPtr r = in_target();
      if (!r) return nullptr;
      auto e = binary(NodeKind::in, std::move(l), std::move(r));
      e->negated = negated;
      return e;
    }
    if (k == Tok::kw_not) {
      return fail(peek(), "unexpected 'not' after a value",
                  "write 'not (a contains b)'; only 'not in' is infix");
    }
    const Op op = comp_op(k);
    if (op == Op::none) return l;
    next();
    ExprPtr r = sum();
    if (!r) return nullptr;
    const bool is_string_op = op >= Op::contains;
    auto e =
        binary(is_string_op ? NodeKind::string_op : NodeKind::compare, std::move(l), std::move(r));
    e->op = op;
    return e;
  }

  ExprPtr in_target() {
    if (peek().kind != Tok::lparen) return value();
    const Span open = span(next());
    auto list = std::make_unique<Expr>(NodeKind::list_literal, open);
    if (peek().kind != Tok::rparen) {
      while (true) {
        ExprPtr item = value();
        if (!item) return nullptr;
        list->args.push_back(std::move(item));
        if (accept(Tok::comma)) continue;
        if (peek().kind == Tok::rparen) break;
        return fail(peek(), "expected ',' or ')' in the list, found " + found(peek()));
      }
    }
    list->span = span(open, span(next()));
    return list;
  }

  ExprPtr value() {
    ExprPtr e = primary();
    while (e && peek().kind == Tok::dot) {
      next();
      if (peek().kind != Tok::ident)
        return fail(peek(), "expected a member name after '.', found " + found(peek()));
      const Token& name = next();
      auto m = std::make_unique<Expr>(NodeKind::member, span(e->span, span(name)));
      m->text = name.text;
      m->args.push_back(std::move(e));
      e = std::move(m);
    }
    return e;
  }

  ExprPtr primary() {
    const Token& t = peek();
    switch (t.kind) {
      case Tok::string: {
        auto e = std::make_unique<Expr>(NodeKind::string_lit, span(t));
        e->text = t.text;
        next();
        return e;
      }
      case Tok::integer:
      case Tok::duration: {
        auto e = std::make_unique<Expr>(
            t.kind == Tok::integer ? NodeKind::int_lit : NodeKind::duration_lit, span(t));
        e->number = t.number;
        next();
        return e;
      }
      case Tok::minus: {  // a negative number
        const Span minus = span(next());
        const Token& n = peek();
        if (n.kind != Tok::integer && n.kind != Tok::duration)
          return fail(n, "expected a number after '-', found " + found(n));
        auto e = std::make_unique<Expr>(
            n.kind == Tok::integer ? NodeKind::int_lit : NodeKind::duration_lit,
            span(minus, span(n)));
        e->number = -n.number;
        next();
        return e;
      }
      case Tok::kw_true:
      case Tok::kw_false: {
        auto e = std::make_unique<Expr>(NodeKind::bool_lit, span(t));
        e->number = t.kind == Tok::kw_true;
        next();
        return e;
      }
      case Tok::lparen: {
        next();
        ExprPtr inner = condition();
        if (!inner) return nullptr;
        if (!accept(Tok::rparen)) return fail(peek(), "expected ')', found " + found(peek()));
        return inner;
      }
      case Tok::ident: {
        const Token& name = next();
        if (peek().kind != Tok::lparen) {
          auto e = std::make_unique<Expr>(NodeKind::identifier, span(name));
          e->text = name.text;
          return e;
        }
        const Span name_span = span(name);
        auto call = std::make_unique<Expr>(NodeKind::call, name_span);
        call->text = name.text;
        next();  // (
        if (peek().kind != Tok::rparen) {
          while (true) {
            ExprPtr arg = condition();
            if (!arg) return nullptr;
            call->args.push_back(std::move(arg));
            if (accept(Tok::comma)) continue;
            if (peek().kind == Tok::rparen) break;
            return fail(peek(),
                        "expected ',' or ')' after a function argument, found " + found(peek()));
          }
        }
        call->span = span(name_span, span(next()));
        return call;
      }
      case Tok::end:
        return fail(t, "the condition ends early: expected a value");
      default:
        return fail(t, "expected a value (a field, string, number or function), found " + found(t));
    }
  }

  const ScalarText& src_;
  std::uint32_t base_;
  std::vector<Token> toks_;
  ParseError& error_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace

ExprPtr parse_condition(const ScalarText& src, ParseError& error) {
  return parse_condition(src, 0, static_cast<std::uint32_t>(src.value().size()), error);
}

ExprPtr parse_condition(const ScalarText& src, std::uint32_t begin, std::uint32_t end,
                        ParseError& error) {
  std::vector<Token> tokens;
  LexError lex;
  const std::string_view text = std::string_view(src.value()).substr(begin, end - begin);
  if (!tokenize(text, tokens, lex)) {
    error = ParseError{Span{&src, begin + lex.begin, begin + lex.end}, std::move(lex.message),
                       std::move(lex.hint)};
    return nullptr;
  }
  Parser p(src, begin, std::move(tokens), error);
  return p.parse();
}

// ---- AST helpers ---------------------------------------------------------------------

ExprPtr Expr::clone() const {
  auto e = std::make_unique<Expr>(kind, span);
  e->op = op;
  e->negated = negated;
  e->text = text;
  e->number = number;
  e->type = type;
  e->builtin = builtin;
  e->field = field;
  e->member = member;
  e->cased = cased;
  e->element = element;
  e->macro = macro;
  e->args.reserve(args.size());
  for (const auto& a : args) e->args.push_back(a->clone());
  return e;
}

std::string_view to_string(Op op) {
  switch (op) {
    case Op::none:
      return "";
    case Op::eq:
      return "==";
    case Op::ne:
      return "!=";
    case Op::lt:
      return "<";
    case Op::le:
      return "<=";
    case Op::gt:
      return ">";
    case Op::ge:
      return ">=";
    case Op::contains:
      return "contains";
    case Op::startswith:
      return "startswith";
    case Op::endswith:
      return "endswith";
    case Op::matches:
      return "matches";
    case Op::plus:
      return "+";
    case Op::minus:
      return "-";
  }
  return "?";
}

std::string_view to_string(Type t) {
  switch (t) {
    case Type::unknown:
      return "unknown";
    case Type::boolean:
      return "boolean";
    case Type::string:
      return "string";
    case Type::integer:
      return "integer";
    case Type::time:
      return "time";
    case Type::duration:
      return "duration";
    case Type::string_list:
      return "string list";
    case Type::vetting:
      return "vetting level";
    case Type::staff:
      return "staff record";
    case Type::named_list:
      return "named list";
    case Type::weekday:
      return "weekday";
  }
  return "?";
}

namespace {

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

int precedence(const Expr& e) {
  switch (e.kind) {
    case NodeKind::or_:
      return 1;
    case NodeKind::and_:
      return 2;
    case NodeKind::not_:
      return 3;
    case NodeKind::compare:
    case NodeKind::in:
    case NodeKind::string_op:
      return 4;
    case NodeKind::arith:
      return 5;
    default:
      return 6;
  }
}

void render(const Expr& e, std::string& out, int parent) {
  const int mine = precedence(e);
  const bool paren = mine < parent;
  if (paren) out += '(';
  switch (e.kind) {
    case NodeKind::or_:
    case NodeKind::and_:
      render(*e.args[0], out, mine);
      out += e.kind == NodeKind::or_ ? " or " : " and ";
      render(*e.args[1], out, mine);
      break;
    case NodeKind::not_:
      out += "not ";
      render(*e.args[0], out, mine);
      break;
    case NodeKind::compare:
    case NodeKind::string_op:
      render(*e.args[0], out, 5);
      out += ' ';
      out += to_string(e.op);
      out += ' ';
      render(*e.args[1], out, 5);
      break;
    case NodeKind::arith:
      render(*e.args[0], out, 5);
      out += e.op == Op::plus ? " + " : " - ";
      render(*e.args[1], out, 6);  // a - (b - c) keeps its parentheses
      break;
    case NodeKind::in:
      render(*e.args[0], out, 5);
      out += e.negated ? " not in " : " in ";
      render(*e.args[1], out, 5);
      break;
    case NodeKind::string_lit:
      out += quote(e.text);
      break;
    case NodeKind::int_lit:
      out += std::to_string(e.number);
      break;
    case NodeKind::duration_lit: {
      out += format_duration(std::chrono::microseconds(e.number));  // 30d, not 2592000s
      break;
    }
    case NodeKind::bool_lit:
      out += e.number ? "true" : "false";
      break;
    case NodeKind::identifier:
      out += e.text;
      break;
    case NodeKind::call:
    case NodeKind::list_literal:
      if (e.kind == NodeKind::call) out += e.text;
      out += '(';
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        if (i) out += ", ";
        render(*e.args[i], out, 0);
      }
      out += ')';
      break;
    case NodeKind::member:
      render(*e.args[0], out, 5);
      out += '.';
      out += e.text;
      break;
  }
  if (paren) out += ')';
}

}  // namespace

std::string to_text(const Expr& e) {
  std::string out;
  render(e, out, 0);
  return out;
}

}  // namespace probity::rules
