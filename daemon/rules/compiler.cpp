// The compiler: lowers a checked AST to nodes. `!=` and `not in` become `not` over == and
// `in`, so absent values behave the same way everywhere; and/or chains are flattened.
#include "rules/compiler.h"

#include <re2/re2.h>

#include "rules/address.h"
#include "rules/time_zone.h"
#include "rules/vocab.h"

namespace probity::rules {

using Tag = Val::Tag;  // at namespace scope, as in evaluator.cpp: a unity batch holds both

namespace {

Tag tag_of(Type t) {
  switch (t) {
    case Type::time:
      return Tag::time;
    case Type::vetting:
      return Tag::vetting;
    case Type::boolean:
      return Tag::boolean;
    case Type::weekday:
      return Tag::weekday;
    case Type::duration:
      return Tag::duration;
    case Type::integer:
      return Tag::integer;
    default:
      return Tag::integer;
  }
}

// The operands of e (an `and` or an `or`), with those of nested ones of the same kind; a
// macro's expansion stays whole, to be evaluated once per event (compile_condition).
void flatten(const Expr& e, NodeKind kind, std::vector<const Expr*>& out) {
  for (const auto& a : e.args) {
    if (a->kind == kind && a->macro < 0)
      flatten(*a, kind, out);
    else
      out.push_back(a.get());
  }
}

// The zone named by hour()/weekday()'s second argument, or the rule set's default.
std::shared_ptr<const TimeZone> zone_for(const Expr& call, CompileContext& ctx) {
  if (!ctx.zones) return std::make_shared<TimeZone>();
  if (call.args.size() < 2) return ctx.zones->default_zone;
  // The checker loaded every zone a rule names.
  auto it = ctx.zones->by_name.find(call.args[1]->text);
  return it != ctx.zones->by_name.end() ? it->second : nullptr;
}

const Expr* first_element(const Expr& e) {
  if (e.element) return &e;
  for (const auto& a : e.args)
    if (const Expr* found = first_element(*a)) return found;
  return nullptr;
}

NodePtr named_list(ValuePtr value, const Expr& name, bool cased, CompileContext& ctx) {
  auto it = ctx.collection.list_by_name.find(name.text);
  if (it != ctx.collection.list_by_name.end())
    return make_in_strings(std::move(value), it->second->items, cased);
  return make_in_state_list(std::move(value), name.text);
}

NodePtr regex(const Expr& e, CompileContext& ctx) {
  const Expr& pattern = *e.args[1];
  RE2::Options options;
  options.set_log_errors(false);
  options.set_case_sensitive(e.cased);
  auto re = std::make_unique<RE2>(pattern.text, options);
  if (!re->ok()) {
    // Point at the offending part of the pattern when RE2 names it.
    Span at = pattern.span;
    const std::string& arg = re->error_arg();
    const auto found = arg.empty() ? std::string::npos : pattern.text.find(arg);
    if (found != std::string::npos && pattern.span.end > pattern.span.begin + 1) {
      // +1 skips the opening quote; escapes before the fragment make this approximate.
      at.begin = pattern.span.begin + 1 + static_cast<std::uint32_t>(found);
      at.end = at.begin + static_cast<std::uint32_t>(arg.size());
      if (at.end > pattern.span.end) at = pattern.span;
    }
    ctx.report.error(Code::bad_regex, at, "bad regular expression: " + re->error(),
                     "RE2 syntax: no backreferences or lookaround; see "
                     "https://github.com/google/re2/wiki/Syntax");
    ctx.ok = false;
    return make_const(false);
  }
  return make_matches(compile_value(*e.args[0], ctx), std::move(re));
}

NodePtr compile_in(const Expr& e, CompileContext& ctx) {
  const Expr& l = *e.args[0];
  const Expr& r = *e.args[1];
  ValuePtr value = compile_value(l, ctx);
  if (r.kind == NodeKind::list_literal) {
    const Type elem = l.type == Type::string_list ? Type::string : l.type;
    if (elem == Type::string) {
      std::vector<std::string> items;
      for (const auto& i : r.args) items.push_back(i->text);
      return make_in_strings(std::move(value), std::move(items), e.cased);
    }
    std::vector<std::int64_t> items;
    for (const auto& i : r.args) items.push_back(i->number);
    return make_in_numbers(std::move(value), std::move(items));
  }
  if (r.kind == NodeKind::call && r.builtin == Builtin::named_list)
    return named_list(std::move(value), *r.args[0], e.cased, ctx);
  return make_in_value_list(std::move(value), compile_value(r, ctx), e.cased);
}

NodePtr compile_node(const Expr& e, CompileContext& ctx) {
  switch (e.kind) {
    case NodeKind::or_:
    case NodeKind::and_: {
      std::vector<const Expr*> parts;
      flatten(e, e.kind, parts);
      std::vector<NodePtr> children;
      for (const Expr* p : parts) children.push_back(compile_condition(*p, ctx));
      return e.kind == NodeKind::or_ ? make_or(std::move(children)) : make_and(std::move(children));
    }
    case NodeKind::not_:
      return make_not(compile_condition(*e.args[0], ctx));
    case NodeKind::compare: {
      const Op op = e.op == Op::ne ? Op::eq : e.op;
      NodePtr n =
          make_compare(op, e.cased, compile_value(*e.args[0], ctx), compile_value(*e.args[1], ctx));
      if (e.op != Op::ne) return n;
      n->text = to_text(e);
      return make_not(std::move(n));
    }
    case NodeKind::in: {
      NodePtr n = compile_in(e, ctx);
      if (!e.negated) return n;
      n->text = to_text(e);
      return make_not(std::move(n));
    }
    case NodeKind::string_op:
      if (e.op == Op::matches) return regex(e, ctx);
      return make_string_op(e.op, e.cased, compile_value(*e.args[0], ctx),
                            compile_value(*e.args[1], ctx));
    case NodeKind::bool_lit:
      return make_const(e.number != 0);
    case NodeKind::call:
      switch (e.builtin) {
        case Builtin::exists:
          return make_exists(compile_value(*e.args[0], ctx));
        case Builtin::associated:
        case Builtin::at_associate_address:
        case Builtin::associated_person: {
          const std::size_t texts = e.builtin == Builtin::associated_person ? 3 : 2;
          std::vector<ValuePtr> args;
          for (std::size_t i = 0; i < texts; ++i) args.push_back(compile_value(*e.args[i], ctx));
          return make_associate_test(e.builtin, std::move(args), static_cast<KindMask>(e.number));
        }
        case Builtin::in_list:
          return named_list(compile_value(*e.args[1], ctx), *e.args[0], false, ctx);
        case Builtin::business_interest:
        case Builtin::tender_panel_supplier:
          return make_register(e.builtin, compile_value(*e.args[0], ctx),
                               compile_value(*e.args[1], ctx));
        case Builtin::open_tender_supplier:
          return make_register(e.builtin, nullptr, compile_value(*e.args[0], ctx));
        case Builtin::domain_in_list: {
          auto it = ctx.collection.list_by_name.find(e.args[0]->text);
          std::optional<std::vector<std::string>> items;
          if (it != ctx.collection.list_by_name.end()) items = it->second->items;
          return make_domain_in_list(compile_value(*e.args[1], ctx), e.args[0]->text,
                                     std::move(items));
        }
        case Builtin::invalid_reference:
          return make_invalid_reference(compile_value(*e.args[0], ctx),
                                        compile_value(*e.args[1], ctx), ctx.site);
        case Builtin::same_address:
          return make_address_test(&same_address, compile_value(*e.args[0], ctx),
                                   compile_value(*e.args[1], ctx));
        case Builtin::same_postcode_sector:
          return make_address_test(&same_postcode_sector, compile_value(*e.args[0], ctx),
                                   compile_value(*e.args[1], ctx));
        case Builtin::names_person:
          return make_names_person(compile_value(*e.args[0], ctx), compile_value(*e.args[1], ctx),
                                   compile_value(*e.args[2], ctx));
        case Builtin::same_person:
          return make_same_person(compile_value(*e.args[0], ctx), compile_value(*e.args[1], ctx),
                                  compile_value(*e.args[2], ctx), compile_value(*e.args[3], ctx));
        case Builtin::same_name:
          return make_same_name(compile_value(*e.args[0], ctx), compile_value(*e.args[1], ctx));
        case Builtin::high_profile_id:
          return make_high_profile(HighProfileBy::id, compile_value(*e.args[0], ctx), nullptr);
        case Builtin::high_profile_person:
          return make_high_profile(HighProfileBy::person, compile_value(*e.args[0], ctx),
                                   compile_value(*e.args[1], ctx));
        case Builtin::high_profile_search:
          return make_high_profile(HighProfileBy::search, compile_value(*e.args[0], ctx), nullptr);
        case Builtin::high_profile_address:
          return make_high_profile(HighProfileBy::address, compile_value(*e.args[0], ctx), nullptr);
        case Builtin::gift_within:
          return make_gift_within(compile_value(*e.args[0], ctx), compile_value(*e.args[1], ctx),
                                  compile_value(*e.args[2], ctx));
        case Builtin::all:
        case Builtin::any: {
          const Expr* source = first_element(*e.args[0]);
          ExprPtr list = source->clone();
          list->element = false;
          list->type = Type::string_list;
          return make_quantifier(e.builtin == Builtin::all, compile_value(*list, ctx),
                                 compile_condition(*e.args[0], ctx));
        }
        case Builtin::cidr: {
          std::vector<Network> nets;
          for (std::size_t i = 1; i < e.args.size(); ++i)
            nets.push_back(*parse_network(e.args[i]->text));
          return make_cidr(compile_value(*e.args[0], ctx), std::move(nets));
        }
        default:
          break;
      }
      break;
    default:
      break;
  }
  // A boolean-typed value (staff(x).exists) used as a condition.
  return make_truthy(compile_value(e, ctx));
}

}  // namespace

NodePtr compile_condition(const Expr& e, CompileContext& ctx) {
  NodePtr n = compile_node(e, ctx);
  n->text = to_text(e);
  // Inside all()/any() a macro may stand for the element: then it is evaluated each time.
  if (e.macro >= 0 && static_cast<std::size_t>(e.macro) < EvalContext::kRememberedMacros &&
      !first_element(e)) {
    std::string text = n->text;
    n = make_remembered(static_cast<std::size_t>(e.macro), std::move(n));
    n->text = std::move(text);
  }
  return n;
}

ValuePtr compile_value(const Expr& e, CompileContext& ctx) {
  if (e.element) return make_element();
  switch (e.kind) {
    case NodeKind::identifier:
      if (e.builtin == Builtin::raw_field) return make_raw(e.text);
      return make_field(e.field);
    case NodeKind::string_lit:
      if (e.type == Type::time || e.type == Type::vetting || e.type == Type::weekday)
        return make_number_literal(tag_of(e.type), e.number);
      return make_string_literal(e.text);
    case NodeKind::int_lit:
    case NodeKind::duration_lit:
      return make_number_literal(tag_of(e.type), e.number);
    case NodeKind::arith:
      return make_arith(e.op, tag_of(e.type), compile_value(*e.args[0], ctx),
                        compile_value(*e.args[1], ctx));
    case NodeKind::bool_lit:
      return make_number_literal(Tag::boolean, e.number);
    case NodeKind::member:
      // The checker only lets members follow staff(...).
      if (e.member == StaffMember::absent)
        return make_staff_absent(
            compile_value(*e.args[0]->args[0], ctx),
            ctx.zones ? ctx.zones->default_zone : std::make_shared<TimeZone>());
      return make_staff_member(compile_value(*e.args[0]->args[0], ctx), e.member);
    case NodeKind::call:
      switch (e.builtin) {
        case Builtin::raw_field:
          return make_raw(e.text);
        case Builtin::lower:
          return make_lower(compile_value(*e.args[0], ctx));
        case Builtin::domain_of:
          return make_domain_of(compile_value(*e.args[0], ctx));
        case Builtin::cased:
          return compile_value(*e.args[0], ctx);  // only flags the comparison
        case Builtin::system_vetting:
          return make_system_vetting(compile_value(*e.args[0], ctx));
        case Builtin::doors_apart:
          return make_doors_apart(compile_value(*e.args[0], ctx), compile_value(*e.args[1], ctx));
        case Builtin::site:
        case Builtin::site_town:
        case Builtin::site_building:
        case Builtin::remote_access:
          return make_site(e.builtin, compile_value(*e.args[0], ctx),
                           compile_value(*e.args[1], ctx));
        case Builtin::hour:
        case Builtin::weekday: {
          auto zone = zone_for(e, ctx);
          if (!zone) return make_number_literal(Tag::none, 0);
          auto t = compile_value(*e.args[0], ctx);
          return e.builtin == Builtin::hour ? make_hour(std::move(t), std::move(zone))
                                            : make_weekday(std::move(t), std::move(zone));
        }
        default:
          break;
      }
      break;
    default:
      break;
  }
  return make_bool_value(compile_condition(e, ctx));
}

namespace {

// Three-valued: true / false when event.kind alone decides, nullopt otherwise.
std::optional<bool> decided(const Expr& e, event::Kind kind) {
  const std::string_view name = event::to_string(kind);
  auto is_kind_field = [](const Expr& x) {
    return x.kind == NodeKind::identifier && x.builtin == Builtin::field &&
           x.field == event::FieldId::event_kind;
  };
  switch (e.kind) {
    case NodeKind::and_: {
      bool unknown = false;
      for (const auto& a : e.args) {
        auto v = decided(*a, kind);
        if (v == false) return false;
        if (!v) unknown = true;
      }
      return unknown ? std::nullopt : std::optional<bool>(true);
    }
    case NodeKind::or_: {
      bool unknown = false;
      for (const auto& a : e.args) {
        auto v = decided(*a, kind);
        if (v == true) return true;
        if (!v) unknown = true;
      }
      return unknown ? std::nullopt : std::optional<bool>(false);
    }
    case NodeKind::not_: {
      auto v = decided(*e.args[0], kind);
      return v ? std::optional<bool>(!*v) : std::nullopt;
    }
    case NodeKind::compare: {
      if (e.op != Op::eq && e.op != Op::ne) return std::nullopt;
      const Expr* lit = nullptr;
      if (is_kind_field(*e.args[0]) && e.args[1]->kind == NodeKind::string_lit)
        lit = e.args[1].get();
      if (is_kind_field(*e.args[1]) && e.args[0]->kind == NodeKind::string_lit)
        lit = e.args[0].get();
      if (!lit) return std::nullopt;
      const bool same = e.cased ? lit->text == name : iequals(lit->text, name);
      return e.op == Op::eq ? same : !same;
    }
    case NodeKind::in: {
      if (!is_kind_field(*e.args[0]) || e.args[1]->kind != NodeKind::list_literal)
        return std::nullopt;
      bool any = false;
      for (const auto& i : e.args[1]->args)
        if (e.cased ? i->text == name : iequals(i->text, name)) any = true;
      return e.negated ? !any : any;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace

bool may_match_kind(const Expr& condition, event::Kind kind) {
  return decided(condition, kind) != false;
}

}  // namespace probity::rules
