// A small RFC 4180 CSV reader for reference-data import: quoted fields may hold commas,
// doubled quotes and line breaks; records end in CRLF or LF. Reads a whole buffer, keeps
// going after a bad record so an import can report every problem. Not a general CSV library.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace probity::state {

struct CsvRecord {
  std::size_t line = 0;  ///< physical line (1-based) where the record starts
  std::vector<std::string> fields;
};

struct CsvError {
  std::size_t line = 0;
  std::string message;
};

struct CsvParse {
  std::vector<CsvRecord> records;
  std::vector<CsvError> errors;
};

/// Splits text into records. A UTF-8 byte-order mark is skipped, empty lines are skipped,
/// fields are returned verbatim (no trimming). A quote inside an unquoted field or text after
/// a closing quote makes that record an error (reading resumes on the next line); an
/// unterminated quote is an error at the line it opened on and ends reading.
CsvParse read_csv(std::string_view text);

}  // namespace probity::state
