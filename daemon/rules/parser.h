// Recursive-descent parser for rule conditions and template expressions: text -> AST.
// Knows nothing of fields, macros or types (see checker.h); reports the first syntax error.
//
// Grammar (EBNF). Keywords are lower-case; names may contain dots (user.id, raw.terminal).
//
//   condition  = or_expr ;
//   or_expr    = and_expr { "or" and_expr } ;
//   and_expr   = unary { "and" unary } ;
//   unary      = "not" unary | predicate ;
//   predicate  = sum [ comp_op sum
//                    | [ "not" ] "in" in_target
//                    | ( "contains" | "startswith" | "endswith" | "matches" ) sum ] ;
//   sum        = value { ( "+" | "-" ) value } ;        (* time +/- duration, integers *)
//   comp_op    = "==" | "!=" | "<" | "<=" | ">" | ">=" ;
//   in_target  = "(" [ value { "," value } ] ")"        (* inline list *)
//              | value ;                                (* list("name") or a list value *)
//   value      = primary { "." name } ;                 (* member access: staff(x).vetting.level *)
//   primary    = string | [ "-" ] integer | [ "-" ] duration | "true" | "false"
//              | name "(" [ condition { "," condition } ] ")"   (* function call *)
//              | name                                   (* field, raw.<name> or macro *)
//              | "(" condition ")" ;
//   string     = '"' chars '"' | "'" chars "'" ;         (* \" \' \\ \n \t; other \x kept *)
//   integer    = digit { digit } ;
//   duration   = integer ( "s" | "m" | "h" | "d" | "w" ) ;
//   name       = ( letter | "_" ) { letter | digit | "_" } { "." { letter | digit | "_" } } ;
//
// Precedence, loosest first: or, and, not, one comparison per predicate (a == b == c is
// an error), then + and -. Functions (all, any, cidr, hour, ...) are ordinary calls; the
// checker gives them meaning. Correlation rules will reference detections by id, outside
// this grammar.
#pragma once

#include <string>

#include "rules/ast.h"

namespace probity::rules {

struct ParseError {
  Span span;
  std::string message;
  std::string hint;
};

/// Parses the whole of src.value() as a condition. On failure returns nullptr and sets error.
ExprPtr parse_condition(const ScalarText& src, ParseError& error);
/// Parses src.value()[begin, end) (an expression inside an alert template's braces).
ExprPtr parse_condition(const ScalarText& src, std::uint32_t begin, std::uint32_t end,
                        ParseError& error);

}  // namespace probity::rules
