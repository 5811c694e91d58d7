// Internal to rules/: every diagnostic code a rule load (and its site file) can report, one row
// each with the stable text users see (error[rules.bad_value]; tests and docs match it), a short
// title and a longer explanation. Call sites name a Code, never a string. Not for runtime errors.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace probity::rules {

enum class Code : std::uint8_t {
  yaml_parse,
  io,
  internal,
  bad_file,
  bad_item,
  unknown_key,
  missing_key,
  bad_value,
  deprecated_key,
  bad_override,
  override_unknown,
  duplicate_id,
  bad_name,
  syntax,
  unknown_field,
  unknown_function,
  unknown_member,
  unknown_list,
  unknown_rule,
  arity,
  type,
  bad_literal,
  bad_regex,
  time_zone,
  template_braces,
  withheld_value,
  macro_cycle,
  correlation_cycle,
  list_conflict,
  unbounded_state,
  unused_macro,
  unused_list,
  requires_unset,
  never_matches,
  exception_expired,
  field_never_set,
  site_missing,
  site_bad_value,  // keep last: the static_assert below counts up to it
};

struct CodeInfo {
  Code code;
  std::string_view id;       ///< what users see and tests match: "rules.bad_value"
  std::string_view title;    ///< a few words
  std::string_view meaning;  ///< when it is reported and what to look at
};

// In enum order (checked below), so code_info() is an index.
inline constexpr CodeInfo kCodes[] = {
    {Code::yaml_parse, "yaml.parse", "YAML syntax",
     "the file is not valid YAML, or a value could not be converted"},
    {Code::io, "rules.io", "cannot read",
     "a rule path does not exist, or a file or directory cannot be read"},
    {Code::internal, "rules.internal", "internal error",
     "loading failed unexpectedly; the message says where"},
    {Code::bad_file, "rules.bad_file", "not a list of items",
     "a rule file is a YAML list of items (- list:, - macro:, - detection:, - correlation:)"},
    {Code::bad_item, "rules.bad_item", "bad item",
     "an item is not a map, is of no kind or of several, or a correlation has no or several "
     "types"},
    {Code::unknown_key, "rules.unknown_key", "unknown key",
     "a key the item, test, step or correlation type does not take; the hint lists those it "
     "does"},
    {Code::missing_key, "rules.missing_key", "missing key",
     "a key the item needs is absent (a list's items, a macro's condition, an exception's "
     "owner)"},
    {Code::bad_value, "rules.bad_value", "bad value",
     "a value of the wrong shape or range: not the string, list, map, number, duration, time or "
     "severity the key takes"},
    {Code::deprecated_key, "rules.deprecated_key", "deprecated key",
     "an inline test uses an old reference-data key; it still works, under its new name"},
    {Code::bad_override, "rules.bad_override", "bad override",
     "override: names a key that cannot be overridden, a mode the key does not allow, or a key "
     "the item lacks; or an overrides-file entry changes nothing, or gives a correlation "
     "exceptions"},
    {Code::override_unknown, "rules.override_unknown", "override of nothing",
     "an override item names a list, macro or detection that no earlier item defines, or an "
     "overrides-file entry a rule id (or glob) that no rule has"},
    {Code::duplicate_id, "rules.duplicate_id", "defined twice",
     "two lists, macros, detections or correlations have the same name, or two exceptions of one "
     "rule the same id"},
    {Code::bad_name, "rules.bad_name", "bad name", "a macro has the name of a field it would hide"},
    {Code::syntax, "rules.syntax", "syntax error",
     "a condition, shown field or template expression does not parse"},
    {Code::unknown_field, "rules.unknown_field", "unknown field",
     "a name that is neither a canonical field nor a macro, or an unknown field in a test event"},
    {Code::unknown_function, "rules.unknown_function", "unknown function",
     "a call to a function the rule language does not have"},
    {Code::unknown_member, "rules.unknown_member", "unknown staff member",
     "staff(...).x where a staff record has no member x"},
    {Code::unknown_list, "rules.unknown_list", "unknown list",
     "a named list defined neither in the rule files nor in reference data"},
    {Code::unknown_rule, "rules.unknown_rule", "unknown rule",
     "a correlation consumes a rule id that no detection or correlation has"},
    {Code::arity, "rules.arity", "wrong number of arguments",
     "a function called with too few or too many arguments"},
    {Code::type, "rules.type", "type error",
     "an expression's type does not fit where it is used (a condition that is not yes/no, text "
     "compared with a time)"},
    {Code::bad_literal, "rules.bad_literal", "bad literal",
     "a literal that stands for a time, weekday, vetting level, HR status, network or kind and "
     "cannot be read as one"},
    {Code::bad_regex, "rules.bad_regex", "bad regular expression",
     "a regular expression RE2 cannot compile"},
    {Code::time_zone, "rules.time_zone", "bad time zone",
     "an unknown or unreadable time zone: its name, its POSIX rule or its zoneinfo file"},
    {Code::template_braces, "rules.template", "bad alert template",
     "an alert template's braces do not pair up"},
    {Code::withheld_value, "rules.withheld_value", "value withheld",
     "an alert template shows a value that names a member of staff, which pseudonymised "
     "channels withhold"},
    {Code::macro_cycle, "rules.macro_cycle", "macro cycle", "macros that use each other in a loop"},
    {Code::correlation_cycle, "rules.correlation_cycle", "correlation cycle",
     "correlations that consume each other in a loop"},
    {Code::list_conflict, "rules.list_conflict", "list defined twice",
     "a rule-file list has the name of a list in reference data"},
    {Code::unbounded_state, "rules.unbounded_state", "unbounded state",
     "a correlation keeps state per key with no window, up to its key cap"},
    {Code::unused_macro, "rules.unused_macro", "unused macro", "a macro no rule uses"},
    {Code::unused_list, "rules.unused_list", "unused list", "a rule-file list no rule uses"},
    {Code::requires_unset, "rules.requires_unset", "site fact unset",
     "a rule needs a site fact no site file sets; the rule is loaded disabled"},
    {Code::never_matches, "rules.never_matches", "never matches",
     "a detection whose event.kind tests exclude every kind of event"},
    {Code::exception_expired, "rules.exception_expired", "exception expired",
     "an exception past its expiry date, which no longer applies"},
    {Code::field_never_set, "rules.field_never_set", "field never set",
     "a field the rule's event kinds never carry, so its test is constant"},
    {Code::site_missing, "site.missing", "no site file",
     "no site file at the configured path: rules that need a site fact are disabled"},
    {Code::site_bad_value, "site.bad_value", "bad site fact",
     "a fact in the site file is unknown, has the wrong shape or a bad pattern"},
};

constexpr bool codes_in_enum_order() {
  for (std::size_t i = 0; i < std::size(kCodes); ++i)
    if (static_cast<std::size_t>(kCodes[i].code) != i) return false;
  return true;
}
static_assert(codes_in_enum_order(), "kCodes rows must follow the order of enum Code");
static_assert(std::size(kCodes) == static_cast<std::size_t>(Code::site_bad_value) + 1,
              "every Code needs a row in kCodes");

constexpr const CodeInfo& code_info(Code c) { return kCodes[static_cast<std::size_t>(c)]; }
/// The code as users see it: "rules.bad_value".
constexpr std::string_view code_id(Code c) { return code_info(c).id; }

}  // namespace probity::rules
