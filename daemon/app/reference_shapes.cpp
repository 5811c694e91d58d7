// shape_of, propose_patterns and same_patterns (reference_shapes.h).
#include "app/reference_shapes.h"
#include "base/ascii.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include <fmt/format.h>
#include <re2/re2.h>

namespace probity::app {
namespace {

using Kind = ShapeRun::Kind;

Kind kind_of(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return Kind::letters;
  if (c >= '0' && c <= '9') return Kind::digits;
  return Kind::literal;
}

/// How many references make `share` of `total`, rounded up; at least one. The epsilon keeps
/// 1 % of 300 at 3 despite the binary fraction.
std::uint64_t at_least(double share, std::uint64_t total) {
  const double n = std::ceil(share * static_cast<double>(total) - 1e-9);
  return std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::max(n, 0.0)));
}

/// RE2 for characters as written: metacharacters escaped, control characters as code points
/// (so the YAML stays one printable line). Other bytes pass through, as UTF-8, which is how
/// the site file compiles its patterns.
std::string escaped(std::string_view literal) {
  constexpr std::string_view kMeta = "\\^$.|?*+()[]{}";
  std::string out;
  for (const char c : literal) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\x{{{:02X}}}", byte);
      continue;
    }
    if (kMeta.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

/// The shape with its code demoted to letters unless it is one of the system's common codes.
Shape generalised(Shape shape, const std::set<std::string>& common_codes) {
  for (auto& run : shape)
    if (run.kind == Kind::code && !common_codes.contains(run.text))
      run = ShapeRun{Kind::letters, {}, run.text.size()};
  return shape;
}

/// A shape without its run lengths: what the references of one format share even when their
/// serials vary in width ("CAD 7 …", "CAD 1545 …").
using Form = std::vector<std::pair<Kind, std::string>>;

Form form_of(const Shape& shape) {
  Form form;
  for (const auto& run : shape) form.emplace_back(run.kind, run.text);
  return form;
}

struct Member {
  const ShapeCount* counted;
  Shape shape;  // generalised
};

struct Format {
  std::uint64_t references = 0;
  std::vector<Member> members;
};

struct LengthRange {
  std::size_t low = 0, high = 0;
};

/// Per run of the format, the lengths its references have in at least `min_share` of them
/// (the commonest always). Literal and code runs get an unused {0, 0}.
std::vector<LengthRange> length_ranges(const Format& format, double min_share) {
  const Shape& first = format.members.front().shape;
  std::vector<LengthRange> out(first.size());
  const std::uint64_t floor = at_least(min_share, format.references);
  for (std::size_t i = 0; i < first.size(); ++i) {
    if (first[i].kind != Kind::letters && first[i].kind != Kind::digits) continue;
    std::map<std::size_t, std::uint64_t> seen;
    for (const auto& m : format.members) seen[m.shape[i].length] += m.counted->references;
    const auto commonest = std::max_element(
        seen.begin(), seen.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    LengthRange r{commonest->first, commonest->first};
    for (const auto& [length, references] : seen) {
      if (references < floor) continue;
      r.low = std::min(r.low, length);
      r.high = std::max(r.high, length);
    }
    out[i] = r;
  }
  return out;
}

bool within(const Shape& shape, const std::vector<LengthRange>& ranges) {
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const auto& run = shape[i];
    if ((run.kind == Kind::letters || run.kind == Kind::digits) &&
        (run.length < ranges[i].low || run.length > ranges[i].high))
      return false;
  }
  return true;
}

std::string repeat(const LengthRange& r) {
  return r.low == r.high ? fmt::format("{{{}}}", r.low) : fmt::format("{{{},{}}}", r.low, r.high);
}

/// A pattern in the making: the RE2 before and after the code, and the codes that share
/// them (none when the format has no code). Formats that differ only in their code land on
/// one candidate.
struct Candidate {
  std::string before, after;
  bool has_code = false;
  std::set<std::string> codes;  // ordered, so systems with the same codes get the same text
  std::uint64_t in_range = 0;   // references within the length ranges: the matching order
  std::vector<const ShapeCount*> covered;  // shapes within the ranges
  std::string pattern;
  std::unique_ptr<re2::RE2> re;
  std::uint64_t matched = 0;

  void build_pattern() {
    pattern = before;
    if (codes.size() == 1)
      pattern += *codes.begin();
    else if (!codes.empty()) {
      std::string alternation;
      for (const auto& code : codes) alternation += (alternation.empty() ? "" : "|") + code;
      pattern += "(?:" + alternation + ")";
    }
    pattern += after;
  }
};

/// The formats holding at least `min_share` of the references, as candidates merged by code.
std::vector<Candidate> candidates(const std::map<Form, Format>& formats, std::uint64_t total,
                                  double min_share) {
  std::map<std::tuple<bool, std::string, std::string>, Candidate> by_text;
  for (const auto& [form, format] : formats) {
    if (format.references < at_least(min_share, total)) continue;
    const auto ranges = length_ranges(format, min_share);
    std::string before, after, code;
    bool has_code = false;
    const Shape& first = format.members.front().shape;
    for (std::size_t i = 0; i < first.size(); ++i) {
      std::string& text = has_code ? after : before;
      switch (first[i].kind) {
        case Kind::code:
          code = first[i].text;
          has_code = true;
          break;
        case Kind::letters:
          text += "[A-Z]" + repeat(ranges[i]);
          break;
        case Kind::digits:
          text += "\\d" + repeat(ranges[i]);
          break;
        case Kind::literal:
          text += escaped(first[i].text);
          break;
      }
    }
    Candidate& c = by_text[{has_code, before, after}];
    c.before = before;
    c.after = after;
    c.has_code = has_code;
    if (has_code) c.codes.insert(code);
    for (const auto& m : format.members) {
      if (!within(m.shape, ranges)) continue;
      c.in_range += m.counted->references;
      c.covered.push_back(m.counted);
    }
  }
  std::vector<Candidate> out;
  for (auto& [key, c] : by_text) out.push_back(std::move(c));
  return out;
}

/// For a message: bytes outside printable ASCII as \xHH, so a reference that is not UTF-8
/// cannot break the YAML or JSON the message is printed in.
std::string printable(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f)
      out += fmt::format("\\x{:02X}", byte);
    else
      out += c;
  }
  return out;
}

/// Compiles the candidate as the site file compiles its patterns (rules/site.cpp: RE2,
/// ignoring case, whole reference) and checks that it matches every shape it was built
/// from; on failure says why.
std::optional<std::string> compile_and_check(Candidate& c) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_case_sensitive(false);
  c.re = std::make_unique<re2::RE2>(c.pattern, options);
  if (!c.re->ok())
    return fmt::format("'{}': RE2 rejects it: {}", printable(c.pattern), printable(c.re->error()));
  for (const ShapeCount* s : c.covered)
    if (!re2::RE2::FullMatch(s->examples.front(), *c.re))
      return fmt::format("'{}' does not match its example \"{}\"", printable(c.pattern),
                         printable(s->examples.front()));
  return std::nullopt;
}

bool more_references(const ShapeCount* a, const ShapeCount* b) {
  return std::tie(b->references, a->shape) < std::tie(a->references, b->shape);
}

/// Up to kUnmatchedExamples distinct references, one from each shape in turn, commonest
/// shape first.
std::vector<std::string> examples_of(const std::vector<const ShapeCount*>& shapes) {
  std::vector<std::string> out;
  for (std::size_t round = 0; out.size() < kUnmatchedExamples; ++round) {
    bool any = false;
    for (const ShapeCount* s : shapes) {
      if (round >= s->examples.size()) continue;
      any = true;
      const auto& e = s->examples[round];
      if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
      if (out.size() == kUnmatchedExamples) break;
    }
    if (!any) break;
  }
  return out;
}

}  // namespace

Shape shape_of(std::string_view reference) {
  Shape shape;
  bool has_code = false;
  std::size_t i = 0;
  while (i < reference.size()) {
    const Kind kind = kind_of(reference[i]);
    std::size_t end = i + 1;
    while (end < reference.size() && kind_of(reference[end]) == kind) ++end;
    const std::string_view run = reference.substr(i, end - i);
    if (kind == Kind::letters && !has_code) {
      shape.push_back({Kind::code, to_upper(run), 0});
      has_code = true;
    } else if (kind == Kind::literal) {
      shape.push_back({Kind::literal, std::string(run), 0});
    } else {
      shape.push_back({kind, {}, run.size()});
    }
    i = end;
  }
  return shape;
}

ReferenceProposal propose_patterns(const std::vector<ShapeCount>& shapes, double min_share) {
  ReferenceProposal out;
  std::vector<const ShapeCount*> counted;
  for (const auto& s : shapes) {
    if (s.references == 0 || s.examples.empty()) continue;
    out.references += s.references;
    counted.push_back(&s);
  }
  if (out.references == 0) return out;
  std::sort(counted.begin(), counted.end(), more_references);

  std::map<std::string, std::uint64_t> codes;
  for (const ShapeCount* s : counted)
    for (const auto& run : s->shape)
      if (run.kind == Kind::code) codes[run.text] += s->references;
  std::set<std::string> common_codes;
  for (const auto& [code, references] : codes)
    if (references >= at_least(min_share, out.references)) common_codes.insert(code);

  std::map<Form, Format> formats;
  for (const ShapeCount* s : counted) {
    Shape shape = generalised(s->shape, common_codes);
    Format& f = formats[form_of(shape)];
    f.references += s->references;
    f.members.push_back({s, std::move(shape)});
  }

  std::vector<Candidate> proposed;
  for (auto& c : candidates(formats, out.references, min_share)) {
    c.build_pattern();
    if (const auto why = compile_and_check(c))
      out.dropped.push_back(*why);
    else
      proposed.push_back(std::move(c));
  }
  std::sort(proposed.begin(), proposed.end(), [](const Candidate& a, const Candidate& b) {
    return std::tie(b.in_range, a.pattern) < std::tie(a.in_range, b.pattern);
  });

  // Every reference of a shape is matched alike: a pattern is made of whole runs (codes
  // compared ignoring case, letters and digits by count, literals as written), and a shape
  // fixes each run's code, kind, length and literal text. So one example answers for all.
  std::vector<const ShapeCount*> unmatched;
  for (const ShapeCount* s : counted) {
    const auto hit = std::find_if(proposed.begin(), proposed.end(), [&](const Candidate& c) {
      return re2::RE2::FullMatch(s->examples.front(), *c.re);
    });
    if (hit == proposed.end()) {
      out.unmatched += s->references;
      unmatched.push_back(s);
    } else {
      hit->matched += s->references;
    }
  }
  out.unmatched_examples = examples_of(unmatched);

  for (auto& c : proposed) {
    if (c.matched == 0) continue;  // an earlier, wider pattern matches all it would
    const ShapeCount* commonest =
        *std::min_element(c.covered.begin(), c.covered.end(), more_references);
    out.patterns.push_back({c.pattern, c.matched, commonest->examples.front()});
  }
  std::stable_sort(out.patterns.begin(), out.patterns.end(),
                   [](const auto& a, const auto& b) { return a.references > b.references; });
  return out;
}

bool same_patterns(const std::vector<const ReferenceProposal*>& proposals) {
  if (proposals.size() < 2) return false;
  const auto set_of = [](const ReferenceProposal* p) {
    std::set<std::string> out;
    for (const auto& pattern : p->patterns) out.insert(pattern.pattern);
    return out;
  };
  const auto first = set_of(proposals.front());
  if (first.empty()) return false;
  return std::all_of(proposals.begin() + 1, proposals.end(),
                     [&](const ReferenceProposal* p) { return set_of(p) == first; });
}

}  // namespace probity::app
