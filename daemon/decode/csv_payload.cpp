// Payload format "csv": one CSV row per syslog MSG (RFC 4180 quoting, the source's
// csv_delimiter), as a product's CSV log forwarded line by line (rsyslog imfile) sends it.
// The cells are named by the source's csv_columns, or by the header row: with
// csv_header first_row the first row seen on a stream (host + app-name) names the columns
// and gives no event. A row equal to the header (a rotated file's new header) is skipped;
// a blank row is skipped; a row of another field count is rejected. Not for CSV logs whose
// rows must be joined into messages (Exchange message tracking: exchange.cpp).
#include <algorithm>

#include "decode/payload.h"
#include "decode/text.h"

namespace probity::decode {

namespace {

std::string_view without_line_end(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

bool same_row(const std::vector<std::string_view>& cells, const std::vector<std::string>& names) {
  if (cells.size() != names.size()) return false;
  for (std::size_t i = 0; i < cells.size(); ++i)
    if (trim(cells[i]) != names[i]) return false;
  return true;
}

}  // namespace

Result<std::optional<Payload>> CsvReader::decode(const syslog::SyslogMessage& msg,
                                                 const SourceMapping& source) {
  const std::string_view row = without_line_end(message_text(msg));
  if (trim(row).empty()) return std::optional<Payload>{};
  auto cells = split_csv(row, source.csv_delimiter, unquoted_);
  if (!cells) return tl::unexpected(std::move(cells.error()));

  const std::vector<std::string>* columns = &source.csv_columns;
  if (source.csv_header_first_row) {
    std::string stream =
        std::string(msg.hostname.value_or("-")) + '\x1f' + std::string(msg.app_name.value_or("-"));
    // find() marks the stream used: a stream sending rows keeps its header however many
    // new hosts (real or forged) send header rows meanwhile.
    const auto* found = headers_.find(stream);
    if (!found) {
      if (row.size() > kMaxCsvHeaderBytes)
        return fail("decode.bad_payload", "CSV header row of " + std::to_string(row.size()) +
                                              " bytes (limit " +
                                              std::to_string(kMaxCsvHeaderBytes) + ")");
      std::vector<std::string> names;
      names.reserve(cells->size());
      for (const auto cell : *cells) names.emplace_back(trim(cell));
      if (headers_.put(stream, std::move(names)) && counters_)
        counters_->streams_evicted.fetch_add(1, std::memory_order_relaxed);
      return std::optional<Payload>{};
    }
    columns = found;
  }
  if (same_row(*cells, *columns)) return std::optional<Payload>{};  // a repeated header
  if (cells->size() != columns->size())
    return fail(
        "decode.bad_payload",
        "CSV row has " + std::to_string(cells->size()) + " fields, expected " +
            std::to_string(columns->size()) +
            (source.csv_header_first_row ? " from its stream's header row" : " from csv_columns") +
            " (a cut or merged line, or the wrong csv_delimiter?)");
  Payload out;
  out.reserve(cells->size());
  for (std::size_t i = 0; i < cells->size(); ++i) {
    PayloadField& f = out.emplace_back();
    f.name = (*columns)[i];
    f.value = (*cells)[i];
  }
  return std::optional<Payload>{std::move(out)};
}

}  // namespace probity::decode
