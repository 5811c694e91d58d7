// Positions in rule files. The offset map is built by walking the raw file text from the
// scalar's mark and matching the decoded value character by character: quotes, escape
// backslashes, block headers and indentation are skipped; a folded line break matches
// whatever whitespace is there.
#include "rules/source.h"

namespace probity::rules {

SourceFile::SourceFile(std::string path, std::string text)
    : path_(std::move(path)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

SourcePos SourceFile::pos_at(std::size_t offset) const {
  if (offset > text_.size()) offset = text_.size();
  std::size_t lo = 0, hi = line_starts_.size();
  while (hi - lo > 1) {  // last line start <= offset
    const std::size_t mid = (lo + hi) / 2;
    if (line_starts_[mid] <= offset)
      lo = mid;
    else
      hi = mid;
  }
  std::uint32_t column = 1;
  for (std::size_t i = line_starts_[lo]; i < offset; ++i)
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;  // count code points
  return SourcePos{path_, static_cast<std::uint32_t>(lo + 1), column, offset};
}

std::string_view SourceFile::line_text(std::uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  const std::size_t begin = line_starts_[line - 1];
  std::size_t end = line < line_starts_.size() ? line_starts_[line] - 1 : text_.size();
  if (end > begin && text_[end - 1] == '\r') --end;
  return std::string_view(text_).substr(begin, end - begin);
}

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

ScalarText::ScalarText(const SourceFile* file, std::string value, std::size_t mark_offset)
    : file_(file), value_(std::move(value)) {
  offsets_.reserve(value_.size() + 1);
  if (!file_ || mark_offset >= file_->text().size()) {
    for (std::size_t i = 0; i <= value_.size(); ++i) offsets_.push_back(mark_offset);
    return;
  }
  const std::string& src = file_->text();
  std::size_t at = mark_offset;
  const char first = src[at];
  if (first == '"' || first == '\'') {
    ++at;
  } else if (first == '|' || first == '>') {  // block scalar: content starts on the next line
    while (at < src.size() && src[at] != '\n') ++at;
  }
  for (std::size_t i = 0; i < value_.size(); ++i) {
    const char want = value_[i];
    std::size_t k = at;
    if (want == ' ' || want == '\n') {
      // A space or line break in the value may stand for a folded line break: accept
      // any whitespace here.
      while (k < src.size() && src[k] == '\\') ++k;
    } else {
      // Skip what YAML removed: escapes, the second quote of '', indentation, breaks.
      while (k < src.size() && src[k] != want &&
             (is_space(src[k]) || src[k] == '\\' || src[k] == '\'' || src[k] == '"'))
        ++k;
    }
    if (k >= src.size() || (src[k] != want && !(is_space(want) && is_space(src[k])))) {
      // Lost track (an escape like \x41): keep the last good position for the rest.
      const std::size_t last = offsets_.empty() ? mark_offset : offsets_.back();
      while (offsets_.size() <= value_.size()) offsets_.push_back(last);
      return;
    }
    offsets_.push_back(k);
    at = k + 1;
  }
  offsets_.push_back(at);
}

SourcePos ScalarText::pos(std::size_t value_offset) const {
  if (!file_) return {};
  if (value_offset >= offsets_.size()) value_offset = offsets_.size() - 1;
  return file_->pos_at(offsets_[value_offset]);
}

SourcePos Span::pos() const { return src ? src->pos(begin) : SourcePos{}; }

std::string_view Span::text() const {
  if (!src) return {};
  return std::string_view(src->value()).substr(begin, end - begin);
}

}  // namespace probity::rules
