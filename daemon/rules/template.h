// Alert message templates: "{user.id} looked up {subject.id}" with any value expression
// between braces ({staff(user.id).surname}); "{{" and "}}" are literal braces. Compiled at
// load like conditions; rendering never fails (absent values render as "-").
#pragma once

#include <string>
#include <vector>

#include "rules/checker.h"
#include "rules/compiler.h"

namespace probity::rules {

class CompiledTemplate {
 public:
  struct Part {
    std::string literal;  ///< text before the value (or the whole part when value is null)
    ValuePtr value;
    event::Identity identity = event::Identity::none;  ///< what the value names
  };
  bool empty() const { return parts_.empty(); }
  /// With `identities`, appends where each value of an identity type landed in the text.
  std::string render(EvalContext& c, std::vector<event::IdentitySpan>* identities = nullptr) const;
  std::vector<Part>& parts() { return parts_; }

 private:
  std::vector<Part> parts_;
};

/// Parses, checks and compiles `src` into `out`; reports problems; false on error. A
/// `shown` template (an alert message) warns of values the pseudonymised channels withhold.
bool compile_template(const ScalarText& src, CheckContext& check, CompileContext& compile,
                      CompiledTemplate& out, bool shown);

}  // namespace probity::rules
