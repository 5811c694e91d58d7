// Load diagnostics: collecting them with positions and snippets, and formatting them the
// way compilers do (file:line:col, source line, caret, hint).
#include <fmt/format.h>

#include <algorithm>

#include "rules/loader.h"

namespace probity::rules {

bool LoadReport::ok() const { return error_count() == 0; }

std::size_t LoadReport::error_count() const {
  return static_cast<std::size_t>(
      std::count_if(diagnostics.begin(), diagnostics.end(),
                    [](const Diagnostic& d) { return d.level == Diagnostic::Level::error; }));
}

std::size_t LoadReport::warning_count() const { return diagnostics.size() - error_count(); }

std::string LoadReport::format() const {
  std::string out;
  for (const auto& d : diagnostics) {
    const char* level = d.level == Diagnostic::Level::error ? "error" : "warning";
    if (!d.pos.file.empty() && d.pos.line)
      out += fmt::format("{}:{}:{}: ", d.pos.file, d.pos.line, d.pos.column);
    else if (!d.pos.file.empty())
      out += d.pos.file + ": ";
    out += fmt::format("{}[{}]: {}\n", level, d.code, d.message);
    if (!d.snippet.empty() && d.pos.column) {
      out += "  " + d.snippet + "\n  ";
      // The caret line copies tabs so it stays aligned under the snippet.
      std::uint32_t col = 1;
      for (std::size_t i = 0; i < d.snippet.size() && col < d.pos.column; ++i) {
        if ((static_cast<unsigned char>(d.snippet[i]) & 0xC0) == 0x80) continue;
        out += d.snippet[i] == '\t' ? '\t' : ' ';
        ++col;
      }
      out += std::string(std::max<std::uint32_t>(d.length, 1), '^') + "\n";
    }
    if (!d.hint.empty()) out += "  hint: " + d.hint + "\n";
  }
  return out;
}

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::info:
      return "info";
    case Severity::low:
      return "low";
    case Severity::medium:
      return "medium";
    case Severity::high:
      return "high";
    case Severity::critical:
      return "critical";
  }
  return "info";
}

std::optional<Severity> severity_from_string(std::string_view s) {
  for (Severity v :
       {Severity::info, Severity::low, Severity::medium, Severity::high, Severity::critical})
    if (to_string(v) == s) return v;
  return std::nullopt;
}

void Reporter::add(Diagnostic::Level level, Code code, const SourceFile* file, std::size_t offset,
                   std::uint32_t length, std::string message, std::string hint) {
  Diagnostic d;
  d.level = level;
  d.code = std::string(code_id(code));
  d.message = std::move(message);
  d.hint = std::move(hint);
  d.length = length;
  if (file) {
    d.pos = file->pos_at(offset);
    d.snippet = std::string(file->line_text(d.pos.line));
    // Underline no further than the end of the line.
    const std::uint32_t room = d.pos.column <= d.snippet.size()
                                   ? static_cast<std::uint32_t>(d.snippet.size()) - d.pos.column + 1
                                   : 1;
    d.length = std::clamp<std::uint32_t>(length, 1, room);
  }
  // A problem inside a macro shows up once per rule using it; report it once.
  for (const auto& seen : report_.diagnostics)
    if (seen.code == d.code && seen.message == d.message && seen.pos.file == d.pos.file &&
        seen.pos.offset == d.pos.offset)
      return;
  report_.diagnostics.push_back(std::move(d));
}

void Reporter::add_span(Diagnostic::Level level, Code code, const Span& at, std::string message,
                        std::string hint) {
  if (!at.src) {
    add(level, code, nullptr, 0, 1, std::move(message), std::move(hint));
    return;
  }
  const SourcePos begin = at.src->pos(at.begin);
  const SourcePos end = at.src->pos(at.end);
  std::uint32_t length = 1;
  if (end.line == begin.line && end.column > begin.column) length = end.column - begin.column;
  add(level, code, at.src->file(), begin.offset, length, std::move(message), std::move(hint));
}

void Reporter::error_at(const Where& where, Code code, std::string message, std::string hint) {
  add(Diagnostic::Level::error, code, where.file, where.offset, where.length, std::move(message),
      std::move(hint));
}

std::string place_of(const Where& where) {
  if (!where.file) return "?";
  const SourcePos p = where.file->pos_at(where.offset);
  return fmt::format("{}:{}:{}", p.file, p.line, p.column);
}

void Reporter::error(Code code, const Span& at, std::string message, std::string hint) {
  add_span(Diagnostic::Level::error, code, at, std::move(message), std::move(hint));
}

void Reporter::warning(Code code, const Span& at, std::string message, std::string hint) {
  add_span(Diagnostic::Level::warning, code, at, std::move(message), std::move(hint));
}

void Reporter::error_nowhere(Code code, std::string file, std::string message, std::string hint) {
  Diagnostic d;
  d.code = std::string(code_id(code));
  d.pos.file = std::move(file);
  d.message = std::move(message);
  d.hint = std::move(hint);
  report_.diagnostics.push_back(std::move(d));
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string closest(std::string_view word, const std::vector<std::string_view>& candidates) {
  std::string_view best;
  std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (auto c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return std::string(best);
}

}  // namespace probity::rules
