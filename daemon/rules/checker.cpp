// The type checker: binds identifiers to canonical fields or raw.*, calls to built-in
// functions, members to staff-record accessors; coerces string literals that stand for
// times and vetting levels; rejects everything that could only fail at run time.
#include "rules/checker.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/nodes.h"
#include "rules/time_zone.h"
#include "rules/vocab.h"

namespace probity::rules {
namespace {

// The language's functions. `reads` says what a call reads besides the event: the look-ups a
// match reports (collect_lookups in rule_set.cpp) come from this column, so a new builtin
// that reads reference data is reported without touching the collector.
constexpr FunctionSig kFunctions[] = {
    {"exists", Builtin::exists, 1, 1, Reads::event},
    {"associated", Builtin::associated, 2, 11, Reads::reference},
    {"associated_person", Builtin::associated_person, 3, 12, Reads::reference},
    {"at_associate_address", Builtin::at_associate_address, 2, 11, Reads::reference},
    {"staff", Builtin::staff, 1, 1, Reads::via_parent},
    {"system_vetting", Builtin::system_vetting, 1, 1, Reads::reference},
    {"in_list", Builtin::in_list, 2, 2, Reads::named_list},
    {"list", Builtin::named_list, 1, 1, Reads::via_parent},
    {"lower", Builtin::lower, 1, 1, Reads::event},
    {"domain_of", Builtin::domain_of, 1, 1, Reads::event},
    {"cased", Builtin::cased, 1, 1, Reads::event},
    {"raw", Builtin::raw_field, 1, 1, Reads::event},
    {"hour", Builtin::hour, 1, 2, Reads::event},
    {"weekday", Builtin::weekday, 1, 2, Reads::event},
    {"cidr", Builtin::cidr, 2, 64, Reads::event},
    {"all", Builtin::all, 1, 1, Reads::event},
    {"any", Builtin::any, 1, 1, Reads::event},
    {"business_interest", Builtin::business_interest, 2, 2, Reads::reference},
    {"gift_within", Builtin::gift_within, 3, 3, Reads::reference},
    {"tender_panel_supplier", Builtin::tender_panel_supplier, 2, 2, Reads::reference},
    {"open_tender_supplier", Builtin::open_tender_supplier, 1, 1, Reads::reference},
    {"invalid_reference", Builtin::invalid_reference, 2, 2, Reads::event},
    {"domain_in_list", Builtin::domain_in_list, 2, 2, Reads::named_list},
    {"same_address", Builtin::same_address, 2, 2, Reads::event},
    {"names_person", Builtin::names_person, 3, 3, Reads::event},
    {"doors_apart", Builtin::doors_apart, 2, 2, Reads::event},
    {"same_postcode_sector", Builtin::same_postcode_sector, 2, 2, Reads::event},
    {"same_person", Builtin::same_person, 4, 4, Reads::event},
    {"same_name", Builtin::same_name, 2, 2, Reads::event},
    {"high_profile_id", Builtin::high_profile_id, 1, 1, Reads::reference},
    {"high_profile_person", Builtin::high_profile_person, 2, 2, Reads::reference},
    {"high_profile_search", Builtin::high_profile_search, 1, 1, Reads::reference},
    {"high_profile_address", Builtin::high_profile_address, 1, 1, Reads::reference},
    {"site", Builtin::site, 2, 2, Reads::reference},
    {"site_town", Builtin::site_town, 2, 2, Reads::reference},
    {"site_building", Builtin::site_building, 2, 2, Reads::reference},
    {"remote_access", Builtin::remote_access, 2, 2, Reads::reference},
};

struct MemberSig {
  std::string_view name;
  StaffMember member;
  Type type;
};

constexpr MemberSig kStaffMembers[] = {
    {"exists", StaffMember::exists, Type::boolean},
    {"id", StaffMember::id, Type::string},
    {"surname", StaffMember::surname, Type::string},
    {"forenames", StaffMember::forenames, Type::string},
    {"department", StaffMember::department, Type::string},
    {"role", StaffMember::role, Type::string},
    {"peer_group", StaffMember::peer_group, Type::string},
    {"address", StaffMember::address, Type::string},
    {"emails", StaffMember::emails, Type::string_list},
    {"hr_status", StaffMember::hr_status, Type::string},
    {"leaving_date", StaffMember::leaving_date, Type::time},
    {"absence", StaffMember::absence, Type::string},
    {"absent_from", StaffMember::absent_from, Type::time},
    {"absent_to", StaffMember::absent_to, Type::time},
    {"absent", StaffMember::absent, Type::boolean},
    {"vetting.level", StaffMember::vetting_level, Type::vetting},
    {"vetting.granted", StaffMember::vetting_granted, Type::time},
    {"vetting.expires", StaffMember::vetting_expires, Type::time},
    {"vetting.status", StaffMember::vetting_status, Type::string},
};

Type type_of(event::ValueType v) {
  switch (v) {
    case event::ValueType::string:
      return Type::string;
    case event::ValueType::integer:
      return Type::integer;
    case event::ValueType::time:
      return Type::time;
    case event::ValueType::string_list:
      return Type::string_list;
  }
  return Type::unknown;
}

std::string squote(std::string_view s) { return "'" + std::string(s) + "'"; }

class Checker {
 public:
  explicit Checker(CheckContext& ctx) : ctx_(ctx) {}

  bool ok() const { return ok_; }

  // Returns the node's type; Type::unknown after an error (already reported).
  Type check(Expr& e) {
    e.type = visit(e);
    return e.type;
  }

  Type check_boolean(Expr& e, std::string_view where) {
    const Type t = check(e);
    if (t == Type::unknown || t == Type::boolean) return t;
    error(e.span,
          std::string(where) + " must be true or false, but " + squote(to_text(e)) + " is a " +
              std::string(to_string(t)),
          t == Type::string
              ? "compare it, e.g. " + to_text(e) + " == \"...\", or test exists(" + to_text(e) + ")"
              : "compare it with a value");
    return Type::unknown;
  }

  Type check_scalar(Expr& e) {
    const Type t = check(e);
    if (t == Type::staff) {
      error(e.span, squote(to_text(e)) + " is a staff record, not a value",
            "pick a member, e.g. " + to_text(e) + ".vetting.level or " + to_text(e) + ".exists");
      return Type::unknown;
    }
    if (t == Type::named_list) {
      error(e.span, "list(...) can only follow 'in'",
            "write value in " + to_text(e) + ", or in_list(\"name\", value)");
      return Type::unknown;
    }
    return t;
  }

  void error(const Span& at, std::string msg, std::string hint = {}) {
    ctx_.report.error(Code::type, at, std::move(msg), std::move(hint));
    ok_ = false;
  }
  void error(Code code, const Span& at, std::string msg, std::string hint = {}) {
    ctx_.report.error(code, at, std::move(msg), std::move(hint));
    ok_ = false;
  }

 private:
  Type visit(Expr& e) {
    switch (e.kind) {
      case NodeKind::or_:
      case NodeKind::and_: {
        const char* word = e.kind == NodeKind::or_ ? "each side of 'or'" : "each side of 'and'";
        const Type l = check_boolean(*e.args[0], word);
        const Type r = check_boolean(*e.args[1], word);
        return l == Type::unknown || r == Type::unknown ? Type::unknown : Type::boolean;
      }
      case NodeKind::not_:
        return check_boolean(*e.args[0], "the operand of 'not'") == Type::unknown ? Type::unknown
                                                                                  : Type::boolean;
      case NodeKind::compare:
        return compare(e);
      case NodeKind::string_op:
        return string_op(e);
      case NodeKind::in:
        return in(e);
      case NodeKind::string_lit:
        return Type::string;
      case NodeKind::int_lit:
        return Type::integer;
      case NodeKind::duration_lit:
        return Type::duration;
      case NodeKind::bool_lit:
        return Type::boolean;
      case NodeKind::identifier:
        return identifier(e);
      case NodeKind::call:
        return call(e);
      case NodeKind::member:
        return member(e);
      case NodeKind::list_literal:
        error(e.span, "a list in parentheses can only follow 'in'");
        return Type::unknown;
      case NodeKind::arith:
        return arith(e);
    }
    return Type::unknown;
  }

  Type identifier(Expr& e) {
    if (auto id = event::field_by_name(e.text)) {
      e.builtin = Builtin::field;
      e.field = *id;
      return type_of(event::field_info(*id).type);
    }
    if (e.text.starts_with("raw.") && e.text.size() > 4) {
      e.builtin = Builtin::raw_field;
      e.text = e.text.substr(4);
      return Type::string;
    }
    std::string hint;
    if (ctx_.collection.list_by_name.count(e.text)) {
      hint = squote(e.text) + " is a list: write value in list(\"" + e.text + "\")";
    } else if (std::find(function_names().begin(), function_names().end(), e.text) !=
               function_names().end()) {
      hint = squote(e.text) + " is a function: call it with arguments, " + e.text + "(...)";
    } else {
      std::vector<std::string_view> names;
      for (const auto& f : event::all_fields()) names.push_back(f.name);
      for (const auto& m : ctx_.collection.macros) names.push_back(m->name);
      const std::string near = closest(e.text, names);
      if (!near.empty())
        hint = "did you mean '" + near + "'?";
      else if (e.text.find('.') == std::string::npos)
        hint = "not a field or a macro; source fields are written raw." + e.text;
    }
    error(Code::unknown_field, e.span, "unknown field " + squote(e.text), std::move(hint));
    return Type::unknown;
  }

  // A string literal that stands for a time or a vetting level becomes one here, so the
  // compiler and evaluator never parse text.
  bool coerce_literal(Expr& lit, Type want) {
    if (lit.kind == NodeKind::int_lit && want == Type::weekday) {
      if (lit.number < 1 || lit.number > 7) {
        error(Code::bad_literal, lit.span, "weekdays are numbered 1 (Monday) to 7 (Sunday)");
        lit.type = Type::unknown;
        return true;
      }
      lit.type = Type::weekday;
      return true;
    }
    if (lit.kind != NodeKind::string_lit) return false;
    if (want == Type::time) {
      auto t = event::parse_time(lit.text);
      if (!t) {
        error(Code::bad_literal, lit.span, "not a time: \"" + lit.text + "\"",
              "write times in RFC 3339, e.g. \"2026-01-01T00:00:00Z\"");
        lit.type = Type::unknown;
        return true;
      }
      lit.number = t->time_since_epoch().count();
      lit.type = Type::time;
      return true;
    }
    if (want == Type::weekday) {
      auto d = weekday_from_name(lit.text);
      if (!d) {
        error(Code::bad_literal, lit.span, "unknown weekday \"" + lit.text + "\"",
              "write \"mon\" .. \"sun\" or \"monday\" .. \"sunday\"");
        lit.type = Type::unknown;
        return true;
      }
      lit.number = *d;
      lit.type = Type::weekday;
      return true;
    }
    if (want == Type::vetting) {
      auto v = parse_vetting_level(lit.text);
      if (!v) {
        error(Code::bad_literal, lit.span, "unknown vetting level \"" + lit.text + "\"",
              "levels, lowest first: none, RV, MV, NPPV1, NPPV2, NPPV3, CTC, SC, DV");
        lit.type = Type::unknown;
        return true;
      }
      lit.number = static_cast<std::int64_t>(*v);
      lit.type = Type::vetting;
      return true;
    }
    return false;
  }

  // HR statuses are strings, but a misspelt one would silently never match.
  void check_hr_literal(const Expr& value, Expr& lit) {
    if (value.kind == NodeKind::member && value.member == StaffMember::hr_status &&
        lit.kind == NodeKind::string_lit && !is_hr_status_name(lit.text))
      error(Code::bad_literal, lit.span, "unknown HR status \"" + lit.text + "\"",
            "HR status is one of: active, suspended, leaving, left");
    check_absence_literal(value, lit);
  }

  // Absence kinds compare by their canonical name, so "Sick Leave" is written as "sick".
  void check_absence_literal(const Expr& value, Expr& lit) {
    if (value.kind != NodeKind::member || value.member != StaffMember::absence ||
        lit.kind != NodeKind::string_lit)
      return;
    if (const auto kind = parse_absence_kind(lit.text))
      lit.text = state::to_string(*kind);
    else
      error(Code::bad_literal, lit.span, "unknown absence \"" + lit.text + "\"",
            "absence is one of: sick, maternity, paternity, adoption, parental, career_break, "
            "secondment, phased_return");
  }

  static bool is_cased(const Expr& e) {
    return e.cased || (e.kind == NodeKind::call && e.builtin == Builtin::cased);
  }

  Type compare(Expr& e) {
    Expr& l = *e.args[0];
    Expr& r = *e.args[1];
    Type lt = check_scalar(l);
    Type rt = check_scalar(r);
    if (lt == Type::unknown || rt == Type::unknown) return Type::unknown;
    if (lt != rt) {
      if (lt == Type::string_list && rt == Type::string) {
        // any element: handled by the evaluator
      } else if (coerce_literal(r, lt)) {
        rt = r.type;
      } else if (coerce_literal(l, rt)) {
        lt = l.type;
      }
      if (lt == Type::unknown || rt == Type::unknown) return Type::unknown;
    }
    const Type base = lt == Type::string_list ? Type::string : lt;
    if (base != rt) {
      error(e.span,
            "cannot compare " + squote(to_text(l)) + " (" + std::string(to_string(lt)) + ") with " +
                squote(to_text(r)) + " (" + std::string(to_string(rt)) + ")",
            rt == Type::string_list ? "put the list on the left: any element may match" : "");
      return Type::unknown;
    }
    const bool ordered = e.op != Op::eq && e.op != Op::ne;
    if (ordered && (base == Type::boolean)) {
      error(e.span, "'" + std::string(to_string(e.op)) + "' cannot order true/false values");
      return Type::unknown;
    }
    check_hr_literal(l, r);
    check_hr_literal(r, l);
    e.cased = is_cased(l) || is_cased(r);
    return Type::boolean;
  }

  // time +/- duration -> time, time - time -> duration, duration +/- duration -> duration,
  // integer +/- integer -> integer. A string literal next to a duration is a time.
  Type arith(Expr& e) {
    Expr& l = *e.args[0];
    Expr& r = *e.args[1];
    Type lt = check_scalar(l);
    Type rt = check_scalar(r);
    if (lt == Type::unknown || rt == Type::unknown) return Type::unknown;
    if (lt == Type::string && rt == Type::duration && coerce_literal(l, Type::time)) lt = l.type;
    if (lt == Type::unknown) return Type::unknown;
    const bool plus = e.op == Op::plus;
    if (lt == Type::time && rt == Type::duration) return Type::time;
    if (plus && lt == Type::duration && rt == Type::time) return Type::time;
    if (!plus && lt == Type::time && rt == Type::time) return Type::duration;
    if (lt == Type::duration && rt == Type::duration) return Type::duration;
    if (lt == Type::integer && rt == Type::integer) return Type::integer;
    error(e.span,
          "cannot compute " + squote(to_text(e)) + ": " + std::string(to_string(lt)) +
              (plus ? " + " : " - ") + std::string(to_string(rt)),
          "times take durations (event.time - 30d); integers take integers");
    return Type::unknown;
  }

  Type string_op(Expr& e) {
    Expr& l = *e.args[0];
    Expr& r = *e.args[1];
    const Type lt = check_scalar(l);
    const Type rt = check_scalar(r);
    if (lt == Type::unknown || rt == Type::unknown) return Type::unknown;
    const std::string op(to_string(e.op));
    if (lt != Type::string && lt != Type::string_list) {
      error(l.span, "'" + op + "' needs text on the left, but " + squote(to_text(l)) + " is a " +
                        std::string(to_string(lt)));
      return Type::unknown;
    }
    if (rt != Type::string) {
      error(r.span, "'" + op + "' needs text on the right, but " + squote(to_text(r)) + " is a " +
                        std::string(to_string(rt)));
      return Type::unknown;
    }
    if (e.op == Op::matches && r.kind != NodeKind::string_lit) {
      error(r.span, "'matches' needs a regular expression in a string literal",
            "regexes are compiled once at load, so they cannot come from a field");
      return Type::unknown;
    }
    e.cased = is_cased(l) || is_cased(r);
    return Type::boolean;
  }

  Type in(Expr& e) {
    Expr& l = *e.args[0];
    Expr& r = *e.args[1];
    const Type lt = check_scalar(l);
    if (lt == Type::unknown) return Type::unknown;
    const Type elem = lt == Type::string_list ? Type::string : lt;
    if (r.kind == NodeKind::list_literal) {
      r.type = Type::string_list;
      bool ok = true;
      for (auto& item : r.args) {
        const bool literal = item->kind == NodeKind::string_lit || item->kind == NodeKind::int_lit;
        if (literal && elem == Type::weekday) {  // 6 and "sat" both name a weekday
          if (!coerce_literal(*item, elem)) ok = false;
          if (item->type == Type::unknown) ok = false;
          continue;
        }
        if (!literal) {
          error(item->span, "items of an inline list must be literal strings or numbers",
                "to compare with another field, use ==");
          ok = false;
          continue;
        }
        Type it = check(*item);
        if (it != elem && coerce_literal(*item, elem)) it = item->type;
        if (it == Type::unknown) {
          ok = false;
        } else if (it != elem) {
          error(item->span, "list item " + squote(to_text(*item)) + " is a " +
                                std::string(to_string(it)) + " but " + squote(to_text(l)) +
                                " is a " + std::string(to_string(lt)));
          ok = false;
        } else {
          check_hr_literal(l, *item);
        }
      }
      e.cased = is_cased(l);
      return ok ? Type::boolean : Type::unknown;
    }
    const Type rt = check(r);
    if (rt == Type::unknown) return Type::unknown;
    if (rt == Type::named_list || rt == Type::string_list) {
      if (elem != Type::string) {
        error(l.span, "only text can be looked up in a list, but " + squote(to_text(l)) + " is a " +
                          std::string(to_string(lt)));
        return Type::unknown;
      }
      e.cased = is_cased(l);
      return Type::boolean;
    }
    error(r.span,
          "'in' needs a list, but " + squote(to_text(r)) + " is a " + std::string(to_string(rt)),
          "write (\"a\", \"b\"), list(\"name\") or a list field");
    return Type::unknown;
  }

  // Named lists: rule-file lists are compiled in; others are state lists looked up per event.
  bool check_list_name(const Expr& name_arg) {
    if (name_arg.kind != NodeKind::string_lit) {
      error(name_arg.span, "a list name must be a string literal", "e.g. list(\"media_domains\")");
      return false;
    }
    const std::string& name = name_arg.text;
    if (ctx_.collection.list_by_name.count(name)) return true;
    if (ctx_.reference && !ctx_.reference->list_exists(name)) {
      std::vector<std::string_view> names;
      for (const auto& l : ctx_.collection.lists) names.push_back(l->name);
      const std::string near = closest(name, names);
      error(Code::unknown_list, name_arg.span, "unknown list \"" + name + "\"",
            near.empty() ? "define it in a rule file (- list: " + name + ") or import it into state"
                         : "did you mean \"" + near + "\"?");
      return false;
    }
    return true;
  }

  Type call(Expr& e) {
    const FunctionSig* sig = nullptr;
    for (const auto& f : kFunctions)
      if (f.name == e.text) sig = &f;
    if (!sig) {
      const std::string near = closest(e.text, function_names());
      error(Code::unknown_function, e.span, "unknown function " + squote(e.text),
            near.empty() ? "functions: " + fmt::format("{}", fmt::join(function_names(), ", "))
                         : "did you mean '" + near + "'?");
      return Type::unknown;
    }
    e.builtin = sig->builtin;
    const std::size_t n = e.args.size();
    if (n < sig->min_args || n > sig->max_args) {
      const std::string want = sig->min_args == sig->max_args
                                   ? std::to_string(sig->min_args)
                                   : std::to_string(sig->min_args) +
                                         (sig->max_args == sig->min_args + 1 ? " or " : " to ") +
                                         std::to_string(sig->max_args);
      error(Code::arity, e.span,
            squote(e.text) + " takes " + want + " argument" + (sig->max_args == 1 ? "" : "s") +
                ", got " + std::to_string(n));
      return Type::unknown;
    }
    auto want_text = [&](Expr& a) {
      const Type t = check_scalar(a);
      if (t == Type::unknown) return false;
      if (t != Type::string) {
        error(a.span, squote(e.text) + " needs text, but " + squote(to_text(a)) + " is a " +
                          std::string(to_string(t)));
        return false;
      }
      return true;
    };
    switch (sig->builtin) {
      case Builtin::exists: {
        const Type t = check_scalar(*e.args[0]);
        if (t == Type::unknown) return Type::unknown;
        return Type::boolean;
      }
      // The declared associations: text arguments, then association kinds as literals,
      // kept as a bit mask in e.number (0: any kind).
      case Builtin::associated:
      case Builtin::associated_person:
      case Builtin::at_associate_address: {
        const std::size_t texts = sig->builtin == Builtin::associated_person ? 3 : 2;
        bool ok = true;
        for (std::size_t i = 0; i < texts; ++i) ok = want_text(*e.args[i]) && ok;
        std::int64_t kinds = 0;
        for (std::size_t i = texts; i < n; ++i) {
          Expr& kind = *e.args[i];
          const auto parsed = kind.kind == NodeKind::string_lit
                                  ? parse_association_kind(kind.text)
                                  : std::optional<state::AssociationKind>{};
          if (!parsed) {
            error(Code::bad_literal, kind.span,
                  "the association kind must be one of \"media\", \"private_investigator\", "
                  "\"criminal\", \"family\", \"other\", \"ex_partner\", \"partner\", "
                  "\"friend\", \"business\"");
            return Type::unknown;
          }
          kinds |= state::association_bit(*parsed);
        }
        e.number = kinds;
        return ok ? Type::boolean : Type::unknown;
      }
      case Builtin::staff:
        return want_text(*e.args[0]) ? Type::staff : Type::unknown;
      // The registers: text in, a yes/no out; answered by reference data at run time, so a
      // rule using them loads without a state directory.
      case Builtin::business_interest:
      case Builtin::tender_panel_supplier: {
        bool ok = want_text(*e.args[0]);
        ok = want_text(*e.args[1]) && ok;
        return ok ? Type::boolean : Type::unknown;
      }
      case Builtin::open_tender_supplier:
        return want_text(*e.args[0]) ? Type::boolean : Type::unknown;
      case Builtin::same_address:
      case Builtin::same_postcode_sector:
      case Builtin::names_person:
      case Builtin::same_person:
      case Builtin::same_name:
      case Builtin::high_profile_id:  // the register: answered by reference data at run time
      case Builtin::high_profile_person:
      case Builtin::high_profile_search:
      case Builtin::high_profile_address:
      case Builtin::invalid_reference: {  // the site file's formats; see site.h
        bool ok = true;
        for (auto& a : e.args) ok = want_text(*a) && ok;
        return ok ? Type::boolean : Type::unknown;
      }
      case Builtin::gift_within: {
        bool ok = want_text(*e.args[0]);
        ok = want_text(*e.args[1]) && ok;
        const Type t = check_scalar(*e.args[2]);
        if (t == Type::unknown) return Type::unknown;
        if (t != Type::duration) {
          error(e.args[2]->span,
                "'gift_within' needs a duration, but " + squote(to_text(*e.args[2])) + " is a " +
                    std::string(to_string(t)),
                "e.g. gift_within(user.id, email.to.domain, 365d)");
          return Type::unknown;
        }
        return ok ? Type::boolean : Type::unknown;
      }
      case Builtin::system_vetting:
        return want_text(*e.args[0]) ? Type::vetting : Type::unknown;
      case Builtin::in_list:
      case Builtin::domain_in_list: {
        bool ok = check_list_name(*e.args[0]);
        const Type t = check_scalar(*e.args[1]);
        if (t == Type::unknown) return Type::unknown;
        if (t != Type::string && t != Type::string_list) {
          error(e.args[1]->span, "only text can be looked up in a list, but " +
                                     squote(to_text(*e.args[1])) + " is a " +
                                     std::string(to_string(t)));
          return Type::unknown;
        }
        return ok ? Type::boolean : Type::unknown;
      }
      case Builtin::named_list:
        return check_list_name(*e.args[0]) ? Type::named_list : Type::unknown;
      case Builtin::doors_apart: {
        bool ok = want_text(*e.args[0]);
        ok = want_text(*e.args[1]) && ok;
        return ok ? Type::integer : Type::unknown;
      }
      case Builtin::site:
      case Builtin::site_town:
      case Builtin::site_building:
      case Builtin::remote_access: {  // (client address, workstation name)
        bool ok = want_text(*e.args[0]);
        ok = want_text(*e.args[1]) && ok;
        if (!ok) return Type::unknown;
        return sig->builtin == Builtin::remote_access ? Type::boolean : Type::string;
      }
      case Builtin::lower:
      case Builtin::domain_of:
      case Builtin::cased:
        if (!want_text(*e.args[0])) return Type::unknown;
        e.cased = sig->builtin == Builtin::cased;
        return Type::string;
      case Builtin::raw_field: {
        Expr& name = *e.args[0];
        if (name.kind != NodeKind::string_lit || name.text.empty()) {
          error(name.span, "raw(...) takes the source field's name as a string literal");
          return Type::unknown;
        }
        e.text = name.text;
        e.args.clear();  // now a plain raw-field reference
        return Type::string;
      }
      case Builtin::hour:
      case Builtin::weekday: {
        const Type t = check_scalar(*e.args[0]);
        if (t == Type::unknown) return Type::unknown;
        if (t != Type::time) {
          error(e.args[0]->span, squote(e.text) + " needs a time, but " +
                                     squote(to_text(*e.args[0])) + " is a " +
                                     std::string(to_string(t)));
          return Type::unknown;
        }
        if (n == 2 && e.args[1]->kind != NodeKind::string_lit) {
          error(e.args[1]->span, "the time zone must be a string literal",
                "e.g. hour(event.time, \"Europe/London\")");
          return Type::unknown;
        }
        if (n == 2 && ctx_.zones && !ctx_.zones->by_name.count(e.args[1]->text)) {
          auto zone = TimeZone::load(e.args[1]->text, ctx_.zones->dir);
          if (!zone) {
            error(Code::time_zone, e.args[1]->span, zone.error().message,
                  "use an IANA name such as \"Europe/London\", or \"UTC\"");
            return Type::unknown;
          }
          ctx_.zones->by_name.emplace(e.args[1]->text,
                                      std::make_shared<const TimeZone>(std::move(*zone)));
        }
        return sig->builtin == Builtin::hour ? Type::integer : Type::weekday;
      }
      case Builtin::all:
      case Builtin::any:
        return quantifier(e);
      case Builtin::cidr: {
        bool ok = want_text(*e.args[0]);
        for (std::size_t i = 1; i < n; ++i) {
          const Expr& net = *e.args[i];
          if (net.kind != NodeKind::string_lit || !parse_network(net.text)) {
            error(Code::bad_literal, net.span,
                  net.kind == NodeKind::string_lit ? "not a network: \"" + net.text + "\""
                                                   : "networks must be string literals",
                  "write \"10.0.0.0/8\" or \"2001:db8::/32\"; a bare address is one host");
            ok = false;
          }
        }
        return ok ? Type::boolean : Type::unknown;
      }
      default:
        return Type::unknown;
    }
  }

  // all(p) / any(p): p mentions one list (a list field, or staff(x).emails); inside p that
  // list stands for each element in turn.
  Type quantifier(Expr& e) {
    if (quantifier_depth_ > 0) {
      error(e.span, "all() and any() cannot be nested");
      return Type::unknown;
    }
    ++quantifier_depth_;
    const Type t = check_boolean(*e.args[0], "the argument of " + e.text + "()");
    --quantifier_depth_;
    if (t == Type::unknown) return Type::unknown;
    std::vector<Expr*> lists;
    find_lists(*e.args[0], lists);
    if (lists.empty()) {
      error(e.span, e.text + "() needs a list inside, e.g. " + e.text +
                        "(email.attachments.names endswith \".pdf\")");
      return Type::unknown;
    }
    for (Expr* l : lists) {
      if (to_text(*l) != to_text(*lists.front())) {
        error(l->span, e.text + "() can range over one list only; found " +
                           squote(to_text(*lists.front())) + " and " + squote(to_text(*l)));
        return Type::unknown;
      }
    }
    for (Expr* l : lists) {
      l->element = true;
      l->type = Type::string;
    }
    return Type::boolean;
  }

  void find_lists(Expr& e, std::vector<Expr*>& out) {
    if (e.kind == NodeKind::in && e.args[1]->type == Type::string_list) {
      find_lists(*e.args[0], out);  // `x in <list>` tests membership; the list is not ranged
      return;
    }
    if (e.type == Type::string_list &&
        (e.kind == NodeKind::identifier || e.kind == NodeKind::member)) {
      out.push_back(&e);
      return;
    }
    for (auto& a : e.args) find_lists(*a, out);
  }

  Type member(Expr& e) {
    Expr& base = *e.args[0];
    const Type bt = check(base);
    if (bt == Type::unknown) return Type::unknown;
    if (bt != Type::staff) {
      error(e.span,
            "'." + e.text + "' needs a staff record, but " + squote(to_text(base)) + " is a " +
                std::string(to_string(bt)),
            "look the record up first: staff(user.id)." + e.text);
      return Type::unknown;
    }
    for (const auto& m : kStaffMembers) {
      if (m.name == e.text) {
        e.member = m.member;
        return m.type;
      }
    }
    std::vector<std::string_view> names;
    for (const auto& m : kStaffMembers) names.push_back(m.name);
    const std::string near = closest(e.text, names);
    std::string all;
    for (const auto& m : kStaffMembers) all += (all.empty() ? "" : ", ") + std::string(m.name);
    error(Code::unknown_member, e.span, "a staff record has no member " + squote(e.text),
          near.empty() ? "members: " + all : "did you mean '" + near + "'?");
    return Type::unknown;
  }

  CheckContext& ctx_;
  bool ok_ = true;
  int quantifier_depth_ = 0;
};

}  // namespace

std::span<const FunctionSig> function_table() { return kFunctions; }

Reads function_reads(Builtin b) {
  for (const auto& f : kFunctions)
    if (f.builtin == b) return f.reads;
  return Reads::event;  // fields, operators: the event only
}

Reads field_reads(event::FieldId id) {
  return id == event::FieldId::subject_address ? Reads::reference : Reads::event;
}

const std::vector<std::string_view>& function_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (const auto& f : kFunctions) v.push_back(f.name);
    return v;
  }();
  return names;
}

bool check_condition(Expr& e, CheckContext& ctx) {
  Checker c(ctx);
  c.check_boolean(e, "a condition");
  return c.ok();
}

bool check_value(Expr& e, CheckContext& ctx) {
  Checker c(ctx);
  c.check_scalar(e);
  return c.ok();
}

}  // namespace probity::rules
