// The reference data an inline rule test brings along (staff, associations, systems, lists
// and the registers), read from the test's YAML through state's row validators
// (state/reference_rows.h), so a test row is written, spelt and checked as an import file
// row is. Older test keys (staff:, party:, nested vetting:) still load, with a warning.
#pragma once

#include <yaml-cpp/yaml.h>

#include "rules/loader.h"
#include "state/reference_tables.h"

namespace probity::rules {

/// Reads every reference key of `test` into `out`. False after reporting an error; old key
/// names are reported as rules.deprecated_key warnings and read as their new names.
bool read_test_reference(const YAML::Node& test, const SourceFile& file, Reporter& report,
                         state::ReferenceTables& out);

/// Whether `key` of a test holds reference data: systems, lists, or a table by its import
/// name (staff, associations, business_interests, gifts, tenders, ...).
bool is_test_reference_key(std::string_view key);

}  // namespace probity::rules
