// Internal to rules/: the compiled form of one detection, as a RuleSet holds it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "rules/correlation.h"
#include "rules/inline_tests.h"
#include "rules/nodes.h"
#include "rules/rules.h"
#include "rules/template.h"

namespace probity::rules {

struct CompiledRule {
  RuleInfo info;
  NodePtr condition;
  CompiledTemplate alert;  ///< empty: the message is the title
  std::vector<std::pair<std::string, ValuePtr>> fields;
  std::vector<event::Identity> field_identities;  ///< what each of `fields` names
  std::vector<InlineTest> tests;
  std::vector<std::pair<std::string, ValuePtr>> lookups;  ///< see Match::lookups
  SuppressSpec suppress;
  struct Exception {
    ExceptionInfo info;
    NodePtr condition;
  };
  std::vector<Exception> exceptions;
};

}  // namespace probity::rules
