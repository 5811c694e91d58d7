// The evaluable node classes: how each construct of the language behaves on one event.
// Hot path: no exceptions, no allocation except for reference look-ups and the rare cased
// comparison of a lower()ed value. Semantics: an absent (or empty) value makes every
// comparison false; != and `not in` are the negations of == and `in`.
#include <re2/re2.h>

#include <boost/container_hash/hash.hpp>
#include <boost/unordered/unordered_flat_set.hpp>

#include <algorithm>
#include <array>
#include <functional>

#include "rules/address.h"
#include "rules/high_profile.h"
#include "rules/link_text.h"
#include "rules/nodes.h"
#include "rules/person_match.h"
#include "rules/site.h"
#include "rules/vocab.h"

namespace probity::rules {

using Tag = Val::Tag;

const state::StaffRecord* EvalContext::staff(std::string_view id) {
  for (std::size_t i = 0; i < cached_; ++i)
    if (iequals(cache_[i].key, id)) return cache_[i].record.get();
  for (const auto& c : overflow_)
    if (iequals(c.key, id)) return c.record.get();
  Cached& slot = cached_ < cache_.size() ? cache_[cached_++] : overflow_.emplace_back();
  slot.key = id;
  slot.record = ref.staff(id);
  return slot.record.get();
}

const state::SiteRange* EvalContext::site(std::string_view ip, std::string_view host) {
  if (!site_asked_ || ip != site_ip_ || host != site_host_) {
    site_asked_ = true;
    site_ip_ = ip;
    site_host_ = host;
    site_ = ref.site_of(ip, host);
  }
  return site_.get();
}

const std::vector<state::Association>& EvalContext::associations(std::string_view id) {
  if (!associations_ || !iequals(associations_key_, id)) {
    associations_key_ = id;
    associations_ = ref.associations_of_staff(id);
  }
  return *associations_;
}

std::string_view EvalContext::registered_subject_address() {
  if (!subject_address_) {
    std::optional<std::string> found;
    const std::string_view id = event.str(event::FieldId::subject_id);
    if (!id.empty()) found = ref.subject_address(event.str(event::FieldId::source_system), id);
    subject_address_.emplace(std::move(found));
  }
  return *subject_address_ ? std::string_view(**subject_address_) : std::string_view();
}

std::string render(const Val& v) {
  switch (v.tag) {
    case Tag::none:
      return "-";
    case Tag::str:
      return v.lower ? to_lower(v.s) : std::string(v.s);
    case Tag::integer:
      return std::to_string(v.i);
    case Tag::time:
      return event::format_time(event::Timestamp(std::chrono::microseconds(v.i)));
    case Tag::vetting:
      return std::string(vetting_level_name(static_cast<state::VettingLevel>(v.i)));
    case Tag::boolean:
      return v.i ? "true" : "false";
    case Tag::weekday:
      return std::string(weekday_name(v.i));
    case Tag::duration: {
      static constexpr std::pair<std::int64_t, char> kUnits[] = {
          {86'400'000'000, 'd'}, {3'600'000'000, 'h'}, {60'000'000, 'm'}, {1'000'000, 's'}};
      for (const auto& [micros, unit] : kUnits)
        if (v.i % micros == 0) return std::to_string(v.i / micros) + unit;
      return std::to_string(v.i) + "us";
    }
    case Tag::list: {
      std::string out;
      for (const auto& s : *v.list) out += (out.empty() ? "" : ", ") + s;
      return out.empty() ? "-" : out;
    }
  }
  return "-";
}

namespace {

Val str_val(std::string_view s) {
  Val v;
  if (!s.empty()) {
    v.tag = Tag::str;
    v.s = s;
  }
  return v;
}

Val num_val(Tag tag, std::int64_t i) {
  Val v;
  v.tag = tag;
  v.i = i;
  return v;
}

// For a cased comparison of a lower()ed value only: materialise the folded text.
std::string_view text_of(const Val& v, std::string& buf) {
  if (!v.lower) return v.s;
  buf = to_lower(v.s);
  return buf;
}

// Calls f(element) for a string or each element of a list; true if any call is true.
template <class F>
bool any_string(const Val& v, F&& f) {
  if (v.tag == Tag::str) return f(v);
  if (v.tag != Tag::list) return false;
  for (const auto& s : *v.list) {
    Val e = str_val(s);
    e.lower = v.lower;
    if (e.tag != Tag::none && f(e)) return true;
  }
  return false;
}

// ---- structure -----------------------------------------------------------------------

class RememberedNode final : public Node {
 public:
  RememberedNode(std::size_t number, NodePtr body) : number_(number), body_(std::move(body)) {}
  bool test(EvalContext& c) const override {
    // Explaining: the body's steps each time, under this node's own line.
    if (c.trace) return body_->test(c);
    std::uint8_t& known = c.macro_results[number_];
    if (known == 0) known = body_->test(c) ? 2 : 1;
    return known == 2;
  }

 private:
  std::size_t number_;
  NodePtr body_;
};

class AndNode final : public Node {
 public:
  explicit AndNode(std::vector<NodePtr> c) : children_(std::move(c)) {}
  bool test(EvalContext& c) const override {
    for (const auto& n : children_)
      if (!run(*n, c)) return false;
    return true;
  }

 private:
  std::vector<NodePtr> children_;
};

class OrNode final : public Node {
 public:
  explicit OrNode(std::vector<NodePtr> c) : children_(std::move(c)) {}
  bool test(EvalContext& c) const override {
    for (const auto& n : children_)
      if (run(*n, c)) return true;
    return false;
  }

 private:
  std::vector<NodePtr> children_;
};

class NotNode final : public Node {
 public:
  explicit NotNode(NodePtr c) : child_(std::move(c)) {}
  bool test(EvalContext& c) const override { return !run(*child_, c); }

 private:
  NodePtr child_;
};

class ConstNode final : public Node {
 public:
  explicit ConstNode(bool v) : value_(v) {}
  bool test(EvalContext&) const override { return value_; }

 private:
  bool value_;
};

// ---- comparisons -----------------------------------------------------------------------

bool holds(Op op, int k) {
  switch (op) {
    case Op::eq:
      return k == 0;
    case Op::ne:
      return k != 0;
    case Op::lt:
      return k < 0;
    case Op::le:
      return k <= 0;
    case Op::gt:
      return k > 0;
    case Op::ge:
      return k >= 0;
    default:
      return false;
  }
}

int compare_strings(const Val& a, const Val& b, bool cased) {
  if (!cased) return icompare(a.s, b.s);
  std::string ba, bb;
  const int k = text_of(a, ba).compare(text_of(b, bb));
  return k < 0 ? -1 : (k > 0 ? 1 : 0);
}

class CompareNode final : public Node {
 public:
  CompareNode(Op op, bool cased, ValuePtr l, ValuePtr r)
      : op_(op), cased_(cased), l_(std::move(l)), r_(std::move(r)) {}
  bool test(EvalContext& c) const override {
    const Val l = l_->eval(c);
    if (l.tag == Tag::none) return false;
    const Val r = r_->eval(c);
    if (r.tag == Tag::none) return false;
    if (r.tag == Tag::str) {
      // Equality needs no order: iequals turns most texts away on their length alone.
      if (!cased_ && (op_ == Op::eq || op_ == Op::ne))
        return any_string(l, [&](const Val& e) { return iequals(e.s, r.s) == (op_ == Op::eq); });
      return any_string(l, [&](const Val& e) { return holds(op_, compare_strings(e, r, cased_)); });
    }
    if (l.tag != r.tag) return false;
    return holds(op_, l.i < r.i ? -1 : (l.i > r.i ? 1 : 0));
  }

 private:
  Op op_;
  bool cased_;
  ValuePtr l_, r_;
};

class InStringsNode final : public Node {
 public:
  InStringsNode(ValuePtr l, std::vector<std::string> items, bool cased)
      : l_(std::move(l)), cased_(cased) {
    // Case-blind: the literals folded once into a hash set, so a value is folded once and
    // hashed, not folded again at each step of a search; cased: sorted, searched with no
    // copies.
    if (!cased_) {
      for (auto& s : items) {
        longest_ = std::max(longest_, s.size());
        folded_.insert(to_lower(s));
      }
      return;
    }
    items_ = std::move(items);
    std::sort(items_.begin(), items_.end());
    items_.erase(std::unique(items_.begin(), items_.end()), items_.end());
  }
  bool test(EvalContext& c) const override {
    const Val l = l_->eval(c);
    return any_string(l, [&](const Val& e) {
      if (!cased_) {
        if (e.s.size() > longest_) return false;  // longer than every item: none of them
        std::array<char, kFoldOnStack> on_stack;
        std::string on_heap;
        char* folded = on_stack.data();
        if (e.s.size() > on_stack.size()) {
          on_heap.resize(e.s.size());
          folded = on_heap.data();
        }
        for (std::size_t i = 0; i < e.s.size(); ++i) folded[i] = ascii_lower(e.s[i]);
        return folded_.contains(std::string_view(folded, e.s.size()));
      }
      std::string buf;
      return std::binary_search(items_.begin(), items_.end(), text_of(e, buf));
    });
  }

 private:
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return boost::hash<std::string_view>()(s); }
  };
  static constexpr std::size_t kFoldOnStack = 128;
  ValuePtr l_;
  bool cased_;
  boost::unordered_flat_set<std::string, TextHash, std::equal_to<>> folded_;
  std::size_t longest_ = 0;
  std::vector<std::string> items_;
};

class InNumbersNode final : public Node {
 public:
  InNumbersNode(ValuePtr l, std::vector<std::int64_t> items)
      : l_(std::move(l)), items_(std::move(items)) {
    std::sort(items_.begin(), items_.end());
  }
  bool test(EvalContext& c) const override {
    const Val l = l_->eval(c);
    if (l.tag == Tag::none || l.tag == Tag::str || l.tag == Tag::list) return false;
    return std::binary_search(items_.begin(), items_.end(), l.i);
  }

 private:
  ValuePtr l_;
  std::vector<std::int64_t> items_;
};

class InStateListNode final : public Node {
 public:
  InStateListNode(ValuePtr l, std::string list) : l_(std::move(l)), list_(std::move(list)) {}
  bool test(EvalContext& c) const override {
    const Val l = l_->eval(c);
    // Reference data folds case on write and look-up (state/reference.h).
    return any_string(l, [&](const Val& e) { return c.ref.in_list(list_, e.s); });
  }

 private:
  ValuePtr l_;
  std::string list_;
};

class InValueListNode final : public Node {
 public:
  InValueListNode(ValuePtr l, ValuePtr list, bool cased)
      : l_(std::move(l)), list_(std::move(list)), cased_(cased) {}
  bool test(EvalContext& c) const override {
    const Val l = l_->eval(c);
    if (l.tag == Tag::none) return false;
    const Val list = list_->eval(c);
    if (list.tag != Tag::list) return false;
    return any_string(l, [&](const Val& e) {
      for (const auto& s : *list.list)
        if (!s.empty() && compare_strings(e, str_val(s), cased_) == 0) return true;
      return false;
    });
  }

 private:
  ValuePtr l_, list_;
  bool cased_;
};

class StringOpNode final : public Node {
 public:
  StringOpNode(Op op, bool cased, ValuePtr l, ValuePtr r)
      : op_(op), cased_(cased), l_(std::move(l)), r_(std::move(r)) {}
  bool test(EvalContext& c) const override {
    const Val l = l_->eval(c);
    if (l.tag == Tag::none) return false;
    const Val r = r_->eval(c);
    if (r.tag != Tag::str) return false;
    return any_string(l, [&](const Val& e) { return apply(e, r); });
  }

 private:
  bool apply(const Val& a, const Val& b) const {
    if (!cased_) {
      switch (op_) {
        case Op::contains:
          return ifind(a.s, b.s) != std::string_view::npos;
        case Op::startswith:
          return istarts_with(a.s, b.s);
        case Op::endswith:
          return iends_with(a.s, b.s);
        default:
          return false;
      }
    }
    std::string ba, bb;
    const std::string_view x = text_of(a, ba), y = text_of(b, bb);
    switch (op_) {
      case Op::contains:
        return x.find(y) != std::string_view::npos;
      case Op::startswith:
        return x.starts_with(y);
      case Op::endswith:
        return x.ends_with(y);
      default:
        return false;
    }
  }
  Op op_;
  bool cased_;
  ValuePtr l_, r_;
};

class MatchesNode final : public Node {
 public:
  MatchesNode(ValuePtr l, std::unique_ptr<re2::RE2> re) : l_(std::move(l)), re_(std::move(re)) {}
  bool test(EvalContext& c) const override {
    const Val l = l_->eval(c);
    return any_string(l, [&](const Val& e) {
      std::string buf;
      const std::string_view s = text_of(e, buf);
      return re2::RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *re_);
    });
  }

 private:
  ValuePtr l_;
  std::unique_ptr<re2::RE2> re_;
};

// associated / associated_person / at_associate_address: one pass over the user's few rows.
class AssociateNode final : public Node {
 public:
  AssociateNode(Builtin which, std::vector<ValuePtr> args, KindMask kinds)
      : which_(which), args_(std::move(args)), kinds_(kinds) {}
  bool test(EvalContext& c) const override {
    const Val s = args_[0]->eval(c);
    if (s.tag != Tag::str) return false;
    const Val subject = args_[1]->eval(c);
    if (subject.tag == Tag::none) return false;
    Val dob;
    if (which_ == Builtin::associated_person) {
      dob = args_[2]->eval(c);
      if (dob.tag != Tag::str) return false;
    }
    for (const auto& a : c.associations(s.s)) {
      if (!kind_in(a.kind, kinds_)) continue;
      const bool hit = any_string(subject, [&](const Val& e) {
        switch (which_) {
          case Builtin::associated:
            return declares_id(a, e.s);
          case Builtin::associated_person:
            return declares_person(a, e.s, dob.s);
          case Builtin::at_associate_address:
            return declares_address(a, e.s);
          default:
            return false;
        }
      });
      if (hit) return true;
    }
    return false;
  }

 private:
  Builtin which_;
  std::vector<ValuePtr> args_;
  KindMask kinds_;
};

class RegisterNode final : public Node {
 public:
  RegisterNode(Builtin which, ValuePtr staff, ValuePtr domain)
      : which_(which), staff_(std::move(staff)), domain_(std::move(domain)) {}
  bool test(EvalContext& c) const override {
    Val s;
    if (staff_) {
      s = staff_->eval(c);
      if (s.tag != Tag::str) return false;
    }
    const Val d = domain_->eval(c);
    return any_string(d, [&](const Val& e) {
      switch (which_) {
        case Builtin::business_interest:
          return c.ref.has_business_interest(s.s, e.s);
        case Builtin::tender_panel_supplier:
          return c.ref.on_open_tender_panel_with(s.s, e.s);
        case Builtin::open_tender_supplier:
          return c.ref.is_open_tender_supplier(e.s);
        default:
          return false;
      }
    });
  }

 private:
  Builtin which_;
  ValuePtr staff_, domain_;
};

class AddressTestNode final : public Node {
 public:
  AddressTestNode(AddressTest compare, ValuePtr a, ValuePtr b)
      : test_(compare), a_(std::move(a)), b_(std::move(b)) {}
  bool test(EvalContext& c) const override {
    const Val a = a_->eval(c);
    const Val b = b_->eval(c);
    return any_string(a, [&](const Val& x) {
      return any_string(b, [&](const Val& y) { return test_(x.s, y.s); });
    });
  }

 private:
  AddressTest test_;
  ValuePtr a_, b_;
};

class DoorsApartValue final : public ValueNode {
 public:
  DoorsApartValue(ValuePtr a, ValuePtr b) : a_(std::move(a)), b_(std::move(b)) {}
  Val eval(EvalContext& c) const override {
    const Val a = a_->eval(c);
    const Val b = b_->eval(c);
    if (a.tag != Tag::str || b.tag != Tag::str) return {};
    const auto doors = doors_apart(a.s, b.s);
    return doors ? num_val(Tag::integer, *doors) : Val{};
  }

 private:
  ValuePtr a_, b_;
};

class NamesPersonNode final : public Node {
 public:
  NamesPersonNode(ValuePtr name, ValuePtr forenames, ValuePtr surname)
      : text_(std::move(name)), forenames_(std::move(forenames)), surname_(std::move(surname)) {}
  bool test(EvalContext& c) const override {
    const Val forenames = forenames_->eval(c);
    const Val surname = surname_->eval(c);
    if (forenames.tag != Tag::str || surname.tag != Tag::str) return false;
    return any_string(text_->eval(c),
                      [&](const Val& t) { return names_person(t.s, forenames.s, surname.s); });
  }

 private:
  ValuePtr text_, forenames_, surname_;
};

class SamePersonNode final : public Node {
 public:
  SamePersonNode(ValuePtr name_a, ValuePtr dob_a, ValuePtr name_b, ValuePtr dob_b)
      : name_a_(std::move(name_a)),
        dob_a_(std::move(dob_a)),
        name_b_(std::move(name_b)),
        dob_b_(std::move(dob_b)) {}
  bool test(EvalContext& c) const override {
    const Val dob_a = dob_a_->eval(c);
    const Val dob_b = dob_b_->eval(c);
    if (dob_a.tag != Tag::str || dob_b.tag != Tag::str) return false;
    const Val b = name_b_->eval(c);
    return any_string(name_a_->eval(c), [&](const Val& x) {
      return any_string(b, [&](const Val& y) { return same_person(x.s, dob_a.s, y.s, dob_b.s); });
    });
  }

 private:
  ValuePtr name_a_, dob_a_, name_b_, dob_b_;
};

class SameNameNode final : public Node {
 public:
  SameNameNode(ValuePtr a, ValuePtr b) : a_(std::move(a)), b_(std::move(b)) {}
  bool test(EvalContext& c) const override {
    const Val b = b_->eval(c);
    return any_string(a_->eval(c), [&](const Val& x) {
      return any_string(b, [&](const Val& y) { return same_name(x.s, y.s); });
    });
  }

 private:
  ValuePtr a_, b_;
};

class DomainInListNode final : public Node {
 public:
  DomainInListNode(ValuePtr domain, std::string list, std::optional<std::vector<std::string>> items)
      : domain_(std::move(domain)), list_(std::move(list)) {
    if (items) {
      items_.emplace();
      for (auto& i : *items) items_->push_back(to_lower(i));
      std::sort(items_->begin(), items_->end());
    }
  }
  bool test(EvalContext& c) const override {
    const Val d = domain_->eval(c);
    return any_string(d, [&](const Val& e) {
      const std::string domain = to_lower(e.s);
      for (std::size_t at = 0; at != std::string::npos;) {
        const std::string_view suffix = std::string_view(domain).substr(at);
        if (items_ ? std::binary_search(items_->begin(), items_->end(), suffix)
                   : c.ref.in_list(list_, suffix))
          return true;
        at = domain.find('.', at);
        if (at != std::string::npos) ++at;
      }
      return false;
    });
  }

 private:
  ValuePtr domain_;
  std::string list_;
  std::optional<std::vector<std::string>> items_;  // sorted, lower-case
};

class InvalidReferenceNode final : public Node {
 public:
  InvalidReferenceNode(ValuePtr system, ValuePtr reference, const SiteFacts* site)
      : system_(std::move(system)), reference_(std::move(reference)), site_(site) {}
  bool test(EvalContext& c) const override {
    if (!site_) return false;
    const Val r = reference_->eval(c);
    if (r.tag != Tag::str || r.s.empty()) return false;
    const Val s = system_->eval(c);
    return !site_->valid_reference(s.tag == Tag::str ? s.s : std::string_view(), trim(r.s, " \t"));
  }

 private:
  ValuePtr system_, reference_;
  const SiteFacts* site_;  // owned by the RuleSet, which outlives its nodes' use
};

class HighProfileNode final : public Node {
 public:
  HighProfileNode(HighProfileBy by, ValuePtr value, ValuePtr dob)
      : by_(by), value_(std::move(value)), dob_(std::move(dob)) {}
  bool test(EvalContext& c) const override {
    std::string_view dob;
    Val d;
    if (dob_) {
      d = dob_->eval(c);
      if (d.tag != Tag::str) return false;
      dob = d.s;
    }
    const auto at = c.event.time();
    return any_string(value_->eval(c),
                      [&](const Val& v) { return is_high_profile(c.ref, by_, v.s, dob, at); });
  }

 private:
  HighProfileBy by_;
  ValuePtr value_, dob_;
};

class GiftWithinNode final : public Node {
 public:
  GiftWithinNode(ValuePtr staff, ValuePtr domain, ValuePtr window)
      : staff_(std::move(staff)), domain_(std::move(domain)), window_(std::move(window)) {}
  bool test(EvalContext& c) const override {
    const auto at = c.event.time();
    if (!at) return false;
    const Val s = staff_->eval(c);
    if (s.tag != Tag::str) return false;
    const Val w = window_->eval(c);
    if (w.tag != Tag::duration) return false;
    const Val d = domain_->eval(c);
    return any_string(d, [&](const Val& e) {
      const auto gift = c.ref.latest_gift(s.s, e.s, *at);
      return gift && (*at - gift->date).count() <= w.i;
    });
  }

 private:
  ValuePtr staff_, domain_, window_;
};

class ExistsNode final : public Node {
 public:
  explicit ExistsNode(ValuePtr v) : v_(std::move(v)) {}
  bool test(EvalContext& c) const override { return v_->eval(c).tag != Tag::none; }

 private:
  ValuePtr v_;
};

class TruthyNode final : public Node {
 public:
  explicit TruthyNode(ValuePtr v) : v_(std::move(v)) {}
  bool test(EvalContext& c) const override {
    const Val v = v_->eval(c);
    return v.tag == Tag::boolean && v.i != 0;
  }

 private:
  ValuePtr v_;
};

// ---- values ----------------------------------------------------------------------------

class FieldValue final : public ValueNode {
 public:
  explicit FieldValue(event::FieldId id) : id_(id) {}
  Val eval(EvalContext& c) const override {
    const event::Value& v = c.event.get(id_);
    if (const auto* s = std::get_if<std::string>(&v)) return str_val(*s);
    if (const auto* i = std::get_if<std::int64_t>(&v)) return num_val(Tag::integer, *i);
    if (const auto* t = std::get_if<event::Timestamp>(&v))
      return num_val(Tag::time, t->time_since_epoch().count());
    if (const auto* l = std::get_if<std::vector<std::string>>(&v)) {
      Val out;
      if (!l->empty()) {
        out.tag = Tag::list;
        out.list = l;
      }
      return out;
    }
    return {};
  }

 private:
  event::FieldId id_;
};

// subject.address: the event's own when it gives one, else the subject-address register's
// for the record the event names (many systems log a person view by id only).
class SubjectAddressValue final : public ValueNode {
 public:
  Val eval(EvalContext& c) const override {
    const std::string_view own = c.event.str(event::FieldId::subject_address);
    return str_val(own.empty() ? c.registered_subject_address() : own);
  }
};

class RawValue final : public ValueNode {
 public:
  explicit RawValue(std::string name) : name_(std::move(name)) {}
  Val eval(EvalContext& c) const override {
    const std::string* s = c.event.raw_field(name_);
    return s ? str_val(*s) : Val{};
  }

 private:
  std::string name_;
};

class StringLiteral final : public ValueNode {
 public:
  explicit StringLiteral(std::string s) : s_(std::move(s)) {}
  Val eval(EvalContext&) const override {
    Val v;
    v.tag = Tag::str;  // a literal "" is a value, unlike an empty field
    v.s = s_;
    return v;
  }

 private:
  std::string s_;
};

class NumberLiteral final : public ValueNode {
 public:
  NumberLiteral(Tag tag, std::int64_t i) : v_(num_val(tag, i)) {}
  Val eval(EvalContext&) const override { return v_; }

 private:
  Val v_;
};

class BoolValue final : public ValueNode {
 public:
  explicit BoolValue(NodePtr n) : n_(std::move(n)) {}
  Val eval(EvalContext& c) const override { return num_val(Tag::boolean, run(*n_, c)); }

 private:
  NodePtr n_;
};

Val time_val(const std::optional<event::Timestamp>& t) {
  return t ? num_val(Tag::time, t->time_since_epoch().count()) : Val{};
}

class StaffMemberValue final : public ValueNode {
 public:
  StaffMemberValue(ValuePtr id, StaffMember m) : id_(std::move(id)), m_(m) {}
  Val eval(EvalContext& c) const override {
    const Val id = id_->eval(c);
    const state::StaffRecord* r = id.tag == Tag::str ? c.staff(id.s) : nullptr;
    if (m_ == StaffMember::exists) return num_val(Tag::boolean, r != nullptr);
    if (!r) return {};
    switch (m_) {
      case StaffMember::id:
        return str_val(r->id);
      case StaffMember::surname:
        return str_val(r->surname);
      case StaffMember::forenames:
        return str_val(r->forenames);
      case StaffMember::department:
        return str_val(r->department);
      case StaffMember::role:
        return str_val(r->role);
      case StaffMember::peer_group:
        return str_val(r->peer_group);
      case StaffMember::address:
        return str_val(r->address);
      case StaffMember::emails: {
        Val v;
        if (!r->emails.empty()) {
          v.tag = Tag::list;
          v.list = &r->emails;
        }
        return v;
      }
      case StaffMember::hr_status:
        return str_val(hr_status_name(r->hr_status));
      case StaffMember::leaving_date:
        return time_val(r->leaving_date);
      case StaffMember::absence:
        return r->absence ? str_val(state::to_string(r->absence->kind)) : Val{};
      case StaffMember::absent_from:
        return time_val(r->absence ? r->absence->from : std::nullopt);
      case StaffMember::absent_to:
        return time_val(r->absence ? r->absence->to : std::nullopt);
      case StaffMember::vetting_level:
        return num_val(Tag::vetting, static_cast<std::int64_t>(r->vetting.level));
      case StaffMember::vetting_granted:
        return time_val(r->vetting.granted);
      case StaffMember::vetting_expires:
        return time_val(r->vetting.expires);
      case StaffMember::vetting_status:
        return str_val(r->vetting.status);
      default:
        return {};
    }
  }

 private:
  ValuePtr id_;
  StaffMember m_;
};

class SystemVettingValue final : public ValueNode {
 public:
  explicit SystemVettingValue(ValuePtr system) : system_(std::move(system)) {}
  Val eval(EvalContext& c) const override {
    const Val s = system_->eval(c);
    if (s.tag != Tag::str) return {};
    const auto level = c.ref.system_required_vetting(s.s);
    return level ? num_val(Tag::vetting, static_cast<std::int64_t>(*level)) : Val{};
  }

 private:
  ValuePtr system_;
};

class SiteValue final : public ValueNode {
 public:
  SiteValue(Builtin which, ValuePtr ip, ValuePtr host)
      : which_(which), ip_(std::move(ip)), host_(std::move(host)) {}
  Val eval(EvalContext& c) const override {
    const Val ip = ip_->eval(c);
    const Val host = host_->eval(c);
    const std::string_view a = ip.tag == Tag::str ? ip.s : std::string_view();
    const std::string_view h = host.tag == Tag::str ? host.s : std::string_view();
    const state::SiteRange* s = c.site(a, h);
    if (which_ == Builtin::remote_access) return num_val(Tag::boolean, s && s->remote);
    if (!s) return {};
    Val v;
    v.tag = Tag::str;
    v.s = which_ == Builtin::site        ? std::string_view(s->site_id)
          : which_ == Builtin::site_town ? std::string_view(s->town)
                                         : std::string_view(s->building);
    return v;
  }

 private:
  Builtin which_;
  ValuePtr ip_, host_;
};

class LowerValue final : public ValueNode {
 public:
  explicit LowerValue(ValuePtr v) : v_(std::move(v)) {}
  Val eval(EvalContext& c) const override {
    Val v = v_->eval(c);
    v.lower = true;
    return v;
  }

 private:
  ValuePtr v_;
};

// "Name <a.b@Example.org>" -> "Example.org"; text without '@' is taken as a domain already.
class DomainOfValue final : public ValueNode {
 public:
  explicit DomainOfValue(ValuePtr v) : v_(std::move(v)) {}
  Val eval(EvalContext& c) const override {
    Val v = v_->eval(c);
    if (v.tag != Tag::str) return v.tag == Tag::none ? v : Val{};
    std::string_view s = v.s;
    const auto at = s.rfind('@');
    if (at != std::string_view::npos) s.remove_prefix(at + 1);
    while (!s.empty() && (s.back() == '>' || s.back() == ' ' || s.back() == '.'))
      s.remove_suffix(1);
    v.s = s;
    if (s.empty()) v.tag = Tag::none;
    return v;
  }

 private:
  ValuePtr v_;
};

class QuantifierNode final : public Node {
 public:
  QuantifierNode(bool all, ValuePtr list, NodePtr body)
      : all_(all), list_(std::move(list)), body_(std::move(body)) {}
  bool test(EvalContext& c) const override {
    const Val v = list_->eval(c);
    if (v.tag != Tag::list && v.tag != Tag::str) return false;
    const std::string_view saved = c.element;
    bool result = all_;
    auto each = [&](std::string_view s) {
      c.element = s;
      const bool r = run(*body_, c);
      if (r != all_) result = r;
      return r == all_;  // keep going while all() holds / any() has not matched
    };
    if (v.tag == Tag::str) {
      each(v.s);
    } else {
      for (const auto& s : *v.list)
        if (!each(s)) break;
    }
    c.element = saved;
    return result;
  }

 private:
  bool all_;
  ValuePtr list_;
  NodePtr body_;
};

class ElementValue final : public ValueNode {
 public:
  Val eval(EvalContext& c) const override { return str_val(c.element); }
};

class ArithValue final : public ValueNode {
 public:
  ArithValue(Op op, Tag result, ValuePtr l, ValuePtr r)
      : op_(op), result_(result), l_(std::move(l)), r_(std::move(r)) {}
  Val eval(EvalContext& c) const override {
    const Val l = l_->eval(c);
    if (l.tag == Tag::none) return {};
    const Val r = r_->eval(c);
    if (r.tag == Tag::none) return {};
    std::int64_t v = 0;
    if (__builtin_add_overflow(l.i, op_ == Op::plus ? r.i : -r.i, &v)) return {};
    return num_val(result_, v);
  }

 private:
  Op op_;
  Tag result_;
  ValuePtr l_, r_;
};

}  // namespace

NodePtr make_quantifier(bool all, ValuePtr list, NodePtr body) {
  return std::make_unique<QuantifierNode>(all, std::move(list), std::move(body));
}
ValuePtr make_element() { return std::make_unique<ElementValue>(); }

ValuePtr make_arith(Op op, Tag result, ValuePtr l, ValuePtr r) {
  return std::make_unique<ArithValue>(op, result, std::move(l), std::move(r));
}

NodePtr make_and(std::vector<NodePtr> c) { return std::make_unique<AndNode>(std::move(c)); }
NodePtr make_or(std::vector<NodePtr> c) { return std::make_unique<OrNode>(std::move(c)); }
NodePtr make_not(NodePtr c) { return std::make_unique<NotNode>(std::move(c)); }
NodePtr make_const(bool v) { return std::make_unique<ConstNode>(v); }
NodePtr make_compare(Op op, bool cased, ValuePtr l, ValuePtr r) {
  return std::make_unique<CompareNode>(op, cased, std::move(l), std::move(r));
}
NodePtr make_remembered(std::size_t number, NodePtr body) {
  return std::make_unique<RememberedNode>(number, std::move(body));
}

NodePtr make_in_strings(ValuePtr l, std::vector<std::string> items, bool cased) {
  return std::make_unique<InStringsNode>(std::move(l), std::move(items), cased);
}
NodePtr make_in_numbers(ValuePtr l, std::vector<std::int64_t> items) {
  return std::make_unique<InNumbersNode>(std::move(l), std::move(items));
}
NodePtr make_in_state_list(ValuePtr l, std::string list) {
  return std::make_unique<InStateListNode>(std::move(l), std::move(list));
}
NodePtr make_in_value_list(ValuePtr l, ValuePtr list, bool cased) {
  return std::make_unique<InValueListNode>(std::move(l), std::move(list), cased);
}
NodePtr make_string_op(Op op, bool cased, ValuePtr l, ValuePtr r) {
  return std::make_unique<StringOpNode>(op, cased, std::move(l), std::move(r));
}
NodePtr make_matches(ValuePtr l, std::unique_ptr<re2::RE2> re) {
  return std::make_unique<MatchesNode>(std::move(l), std::move(re));
}
NodePtr make_register(Builtin which, ValuePtr staff, ValuePtr domain) {
  return std::make_unique<RegisterNode>(which, std::move(staff), std::move(domain));
}
NodePtr make_domain_in_list(ValuePtr domain, std::string list,
                            std::optional<std::vector<std::string>> items) {
  return std::make_unique<DomainInListNode>(std::move(domain), std::move(list), std::move(items));
}
NodePtr make_invalid_reference(ValuePtr system, ValuePtr reference, const SiteFacts* site) {
  return std::make_unique<InvalidReferenceNode>(std::move(system), std::move(reference), site);
}
NodePtr make_gift_within(ValuePtr staff, ValuePtr domain, ValuePtr window) {
  return std::make_unique<GiftWithinNode>(std::move(staff), std::move(domain), std::move(window));
}
NodePtr make_associate_test(Builtin which, std::vector<ValuePtr> args, KindMask kinds) {
  return std::make_unique<AssociateNode>(which, std::move(args), kinds);
}
NodePtr make_exists(ValuePtr v) { return std::make_unique<ExistsNode>(std::move(v)); }
NodePtr make_truthy(ValuePtr v) { return std::make_unique<TruthyNode>(std::move(v)); }
ValuePtr make_field(event::FieldId id) {
  if (id == event::FieldId::subject_address) return std::make_unique<SubjectAddressValue>();
  return std::make_unique<FieldValue>(id);
}
ValuePtr make_raw(std::string name) { return std::make_unique<RawValue>(std::move(name)); }
ValuePtr make_string_literal(std::string s) {
  return std::make_unique<StringLiteral>(std::move(s));
}
ValuePtr make_number_literal(Tag tag, std::int64_t i) {
  return std::make_unique<NumberLiteral>(tag, i);
}
ValuePtr make_bool_value(NodePtr n) { return std::make_unique<BoolValue>(std::move(n)); }
ValuePtr make_staff_member(ValuePtr id, StaffMember m) {
  return std::make_unique<StaffMemberValue>(std::move(id), m);
}
ValuePtr make_system_vetting(ValuePtr s) {
  return std::make_unique<SystemVettingValue>(std::move(s));
}
NodePtr make_names_person(ValuePtr text, ValuePtr forenames, ValuePtr surname) {
  return std::make_unique<NamesPersonNode>(std::move(text), std::move(forenames),
                                           std::move(surname));
}
NodePtr make_address_test(AddressTest test, ValuePtr a, ValuePtr b) {
  return std::make_unique<AddressTestNode>(test, std::move(a), std::move(b));
}
NodePtr make_same_person(ValuePtr name_a, ValuePtr dob_a, ValuePtr name_b, ValuePtr dob_b) {
  return std::make_unique<SamePersonNode>(std::move(name_a), std::move(dob_a), std::move(name_b),
                                          std::move(dob_b));
}
NodePtr make_high_profile(HighProfileBy by, ValuePtr value, ValuePtr dob) {
  return std::make_unique<HighProfileNode>(by, std::move(value), std::move(dob));
}
NodePtr make_same_name(ValuePtr a, ValuePtr b) {
  return std::make_unique<SameNameNode>(std::move(a), std::move(b));
}
ValuePtr make_doors_apart(ValuePtr a, ValuePtr b) {
  return std::make_unique<DoorsApartValue>(std::move(a), std::move(b));
}
ValuePtr make_site(Builtin which, ValuePtr ip, ValuePtr host) {
  return std::make_unique<SiteValue>(which, std::move(ip), std::move(host));
}
ValuePtr make_lower(ValuePtr v) { return std::make_unique<LowerValue>(std::move(v)); }
ValuePtr make_domain_of(ValuePtr v) { return std::make_unique<DomainOfValue>(std::move(v)); }

}  // namespace probity::rules
