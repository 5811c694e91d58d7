// Pass 3 of loading: expands macro references (bare names that match a macro) in every
// detection's AST, detecting cycles, and records which macros and rule-file lists are used
// so unused ones can be reported. Does not type-check.
#include <algorithm>

#include "rules/loader.h"

namespace probity::rules {
namespace {

class MacroResolver {
 public:
  MacroResolver(Collection& c, Reporter& report) : c_(c), report_(report) {}

  // Expands in place; returns false when a cycle or a broken macro made `e` unusable.
  bool expand(ExprPtr& e) {
    if (e->kind == NodeKind::identifier) {
      auto it = c_.macro_by_name.find(e->text);
      if (it == c_.macro_by_name.end()) return true;
      MacroDef& m = *it->second;
      m.used = true;
      if (!expand_macro(m, e->span)) return false;
      e = m.ast->clone();
      e->macro = m.number;
      return true;
    }
    if (e->kind == NodeKind::call &&
        (e->text == "list" || e->text == "in_list" || e->text == "domain_in_list") &&
        !e->args.empty() && e->args[0]->kind == NodeKind::string_lit) {
      auto it = c_.list_by_name.find(e->args[0]->text);
      if (it != c_.list_by_name.end()) it->second->used = true;
    }
    bool ok = true;
    for (auto& a : e->args) ok = expand(a) && ok;
    return ok;
  }

 private:
  bool expand_macro(MacroDef& m, const Span& at) {
    if (m.state == MacroDef::State::done) return m.ast != nullptr;
    if (m.state == MacroDef::State::expanding) {
      std::string path;
      for (const MacroDef* s : stack_) path += s->name + " -> ";
      report_.error(Code::macro_cycle, at, "macro cycle: " + path + m.name,
                    "a macro cannot use itself, directly or through other macros");
      return false;
    }
    if (!m.ast) {  // its condition failed to parse; that error is already reported
      m.state = MacroDef::State::done;
      return false;
    }
    m.state = MacroDef::State::expanding;
    stack_.push_back(&m);
    const bool ok = expand(m.ast);
    stack_.pop_back();
    m.state = MacroDef::State::done;
    if (!ok) m.ast.reset();
    return ok;
  }

  Collection& c_;
  Reporter& report_;
  std::vector<const MacroDef*> stack_;
};

}  // namespace

void resolve_macros(Collection& c, Reporter& report) {
  for (std::size_t i = 0; i < c.macros.size(); ++i) c.macros[i]->number = static_cast<int>(i);
  MacroResolver resolver(c, report);
  for (auto& d : c.detections) {
    if (d->ast && !resolver.expand(d->ast)) d->ast.reset();
    for (auto& x : d->exceptions)
      if (x.ast && !resolver.expand(x.ast)) x.ast.reset();
  }
  // Only detections mark macros and lists used, so one used only by an unused macro is
  // reported too: that is dead code all the same.
  for (const auto& m : c.macros)
    if (!m->used)
      report.add(Diagnostic::Level::warning, Code::unused_macro, m->where.file, m->where.offset,
                 m->where.length, "macro '" + m->name + "' is never used");
  for (const auto& l : c.lists)
    if (!l->used)
      report.add(Diagnostic::Level::warning, Code::unused_list, l->where.file, l->where.offset,
                 l->where.length, "list '" + l->name + "' is never used");
}

}  // namespace probity::rules
