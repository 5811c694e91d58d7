// RFC 4180 CSV reading (csv.h). A hand-written state machine over the buffer: it tracks
// physical lines so import errors point at the line an administrator sees in an editor.
#include "state/csv.h"

namespace probity::state {

namespace {

class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }

  CsvParse read() {
    CsvParse out;
    while (pos_ < text_.size()) {
      if (at_line_end()) {  // RFC 4180 has no empty records; an empty line is skipped
        skip_line_end();
        continue;
      }
      CsvRecord record;
      record.line = line_;
      std::string error;
      const bool complete = read_record(record.fields, error);
      if (!error.empty()) {
        out.errors.push_back({error_line_, std::move(error)});
        if (!complete) break;  // unterminated quote: the rest of the file is inside it
        skip_to_next_line();
        continue;
      }
      out.records.push_back(std::move(record));
    }
    return out;
  }

 private:
  bool at_line_end() const { return text_[pos_] == '\n' || text_[pos_] == '\r'; }

  void skip_line_end() {
    // CRLF, LF, or a lone CR (old Mac exports) each end one line.
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }

  void skip_to_next_line() {
    while (pos_ < text_.size() && !at_line_end()) ++pos_;
    if (pos_ < text_.size()) skip_line_end();
  }

  // Reads fields up to and including the record's line end. Returns false only when the
  // input ended inside a quoted field.
  bool read_record(std::vector<std::string>& fields, std::string& error) {
    while (true) {
      std::string field;
      if (pos_ < text_.size() && text_[pos_] == '"') {
        const std::size_t open_line = line_;
        ++pos_;
        bool closed = false;
        while (pos_ < text_.size()) {
          const char c = text_[pos_];
          if (c == '"') {
            if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {  // RFC 4180 §2.7
              field += '"';
              pos_ += 2;
              continue;
            }
            ++pos_;
            closed = true;
            break;
          }
          if (c == '\n' || (c == '\r' && !(pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n')))
            ++line_;
          field += c;
          ++pos_;
        }
        if (!closed) {
          error_line_ = open_line;
          error = "unterminated quoted field (opened on line " + std::to_string(open_line) + ")";
          return false;
        }
        if (pos_ < text_.size() && text_[pos_] != ',' && !at_line_end()) {
          error_line_ = line_;
          error = "unexpected text after a closing quote (field " +
                  std::to_string(fields.size() + 1) + "); double a quote inside a quoted field";
          return true;
        }
      } else {
        while (pos_ < text_.size() && text_[pos_] != ',' && !at_line_end()) {
          if (text_[pos_] == '"') {
            error_line_ = line_;
            error = "quote inside an unquoted field (field " + std::to_string(fields.size() + 1) +
                    "); quote the whole field and double the quote";
            return true;
          }
          field += text_[pos_++];
        }
      }
      fields.push_back(std::move(field));
      if (pos_ >= text_.size()) return true;
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      skip_line_end();
      return true;
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t error_line_ = 0;
};

}  // namespace

CsvParse read_csv(std::string_view text) { return CsvReader(text).read(); }

}  // namespace probity::state
