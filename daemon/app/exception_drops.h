// What each rule exception dropped, as the summaries of `probity replay`, `rules test` and
// `rules calibrate` print it: per rule and exception id, with where the exception is written
// (the pack or the overrides file) and who owns it. Not for /metrics (daemon.cpp reads the same
// counts from RuleSet::exceptions()).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "rules/rules.h"

namespace probity::app {

/// "exceptions dropped N matches:" and one line per exception (those that dropped nothing
/// too, so an exception that never applies shows), most first; "" when there are no
/// exceptions.
std::string format_exception_drops(const rules::RuleSet& rules);

/// The same as a JSON array of {rule, exception, owner, file, line, expires, dropped}.
nlohmann::ordered_json exception_drops_json(const rules::RuleSet& rules);

}  // namespace probity::app
