// The site file: the per-force facts the rule pack cannot guess (how this force writes its
// incident and crime references, which domains are its secure partners, who is on a case team).
// Read once per rule load, so a reload picks up edits. A rule that needs a fact the site does
// not set is disabled with a warning (rules.requires_unset), never run on a default that fits
// only the demo force.
//
//   reference_formats:             # system (as in source.system) -> RE2 patterns, "*" = any
//     "*": ['^CR/\d{5}/\d{2}$']
//     Niche: ['^NI-\d{2}-\d{7}$']
//   lists:                         # named lists, used as list("name") like rule-file lists
//     secure_partner_domains: [cps.gov.uk, cjsm.net]
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <re2/re2.h>

namespace probity::rules {

class Reporter;
class SourceFile;

struct SiteFacts {
  std::string file;  ///< where the facts came from, for messages ("" when there is no site file)
  /// lower-cased system name -> compiled patterns; "*" applies to every system.
  std::map<std::string, std::vector<std::shared_ptr<const re2::RE2>>, std::less<>>
      reference_formats;
  std::map<std::string, std::vector<std::string>, std::less<>> lists;

  /// Whether the site sets `fact`: reference_formats, or a list of that name with items.
  bool sets(std::string_view fact) const;
  /// Whether `reference` has a format this force uses for `system` (or for every system).
  /// Systems with no formats of their own and no "*" entry are not judged: true.
  bool valid_reference(std::string_view system, std::string_view reference) const;
};

/// Parses a site file into `out`; problems (with file:line:col) go to `report`.
void read_site_file(const SourceFile& file, Reporter& report, SiteFacts& out);

}  // namespace probity::rules
