// Rule-file text and positions: maps an offset inside a YAML scalar (a condition, an
// alert template) back to file:line:col in the file, for diagnostics. Not a YAML parser.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace probity::rules {

/// One rule file's whole text, kept for positions, snippets and version hashes.
class SourceFile {
 public:
  SourceFile(std::string path, std::string text);
  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  /// 1-based line and column (in code points) of a byte offset.
  SourcePos pos_at(std::size_t offset) const;
  /// The text of a 1-based line without its line break ("" when out of range).
  std::string_view line_text(std::uint32_t line) const;

 private:
  std::string path_;
  std::string text_;
  std::vector<std::size_t> line_starts_;
};

/// A scalar's value (as YAML decoded it) with, for each byte, the file offset it came
/// from, so that positions inside a condition survive quoting, escapes and folding.
class ScalarText {
 public:
  /// `mark_offset` is the byte offset of the scalar's first character (YAML::Mark::pos),
  /// or npos when unknown (a value built in memory).
  ScalarText(const SourceFile* file, std::string value, std::size_t mark_offset);
  const std::string& value() const { return value_; }
  const SourceFile* file() const { return file_; }
  /// Position of a byte offset inside value() (value().size() is the end).
  SourcePos pos(std::size_t value_offset) const;

 private:
  const SourceFile* file_;
  std::string value_;
  std::vector<std::size_t> offsets_;  // file offset per value byte, plus one for the end
};

/// A half-open byte range inside a ScalarText: where an AST node or token came from.
struct Span {
  const ScalarText* src = nullptr;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  SourcePos pos() const;
  std::string_view text() const;
};

}  // namespace probity::rules
