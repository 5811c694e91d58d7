// Internal to decode/: the flat field list that every payload format decodes to, and the
// one interface a format implements (a new format = one more PayloadDecoder). Not for
// mapping onto canonical fields: decoder.cpp does that for every format alike.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "decode/decode.h"
#include "decode/lru_table.h"
#include "syslog/syslog.h"

namespace probity::decode {

/// One field as the source sent it. Names of nested JSON members are dotted ("a.b").
struct PayloadField {
  std::string name;
  std::string value;               ///< as text (raw.<name>); a list as a JSON array
  std::vector<std::string> items;  ///< the items when the payload gave a list
  bool is_list = false;
};
using Payload = std::vector<PayloadField>;

class PayloadDecoder {
 public:
  virtual ~PayloadDecoder() = default;
  /// The message's fields in payload order. Errors: decode.bad_payload (with the byte
  /// offset into MSG where known), decode.too_many_fields, decode.too_deep. Values may
  /// still hold invalid UTF-8 or NULs; the caller makes them safe.
  virtual Result<Payload> decode(const syslog::SyslogMessage& msg,
                                 const SourceMapping& source) const = 0;
};

const PayloadDecoder& sd_payload_decoder();
const PayloadDecoder& kv_payload_decoder();
const PayloadDecoder& json_payload_decoder();
const PayloadDecoder& cef_payload_decoder();
const PayloadDecoder& leef_payload_decoder();
const PayloadDecoder& pod_payload_decoder();

/// Which flattened JSON fields to keep (by dotted name, "msgParts.0.detectedName"); the
/// others are parsed and dropped, and do not count towards kMaxPayloadFields.
using JsonFieldFilter = bool (*)(std::string_view name);
/// Format json's reading of one JSON object (json_payload.cpp), keeping only the fields
/// `keep` accepts (every field when null): a product's record wider than kMaxPayloadFields
/// can still be read for the fields its format needs. Same errors as the json decoder.
Result<Payload> flatten_json(std::string_view text, JsonFieldFilter keep);

/// An error position inside MSG.
inline SourcePos at_offset(std::size_t offset) {
  SourcePos pos;
  pos.offset = offset;
  return pos;
}

/// The SD element a format-sd source reads: its sd_id, else its match.sd_id.
std::string_view sd_element_id(const SourceMapping& source);

/// MSG without a leading UTF-8 BOM (RFC 5424 §6.4 allows one before UTF-8 text).
std::string_view message_text(const syslog::SyslogMessage& msg);

/// CEF and LEEF headers: `count` fields each ended by an unescaped '|', with `\|` and
/// `\\` unescaped. Returns the offset just after the last of those pipes, or nullopt
/// when the text has fewer (a truncated header).
std::optional<std::size_t> split_pipe_header(std::string_view text, std::size_t count,
                                             std::vector<std::string>& fields);

/// One CSV row (RFC 4180) split at `delimiter`: a quoted field may hold the delimiter and
/// '""'. The views point into `row` or into `unquoted` (scratch that the caller keeps alive
/// while it reads them). Fails with decode.bad_payload on an unterminated quote or text
/// after a closing quote (what a cut line looks like), decode.too_many_fields past
/// kMaxPayloadFields.
Result<std::vector<std::string_view>> split_csv(std::string_view row, char delimiter,
                                                std::vector<std::string>& unquoted);

/// Format csv: one row per message, its cells named by the source's csv_columns or by the
/// header row remembered per stream (host + app-name). Stateful, so one per source in a
/// Decoder and used from one thread at a time, like the gateway assemblers.
class CsvReader {
 public:
  /// `counters` (may be null) counts header rows forgotten at kMaxCsvStreams.
  explicit CsvReader(DecodeCounters* counters = nullptr)
      : headers_(kMaxCsvStreams), counters_(counters) {}
  /// The row's cells as fields named by the columns, in column order; nullopt for a row
  /// that is not data: a blank row, a stream's header row, or a repeat of it.
  Result<std::optional<Payload>> decode(const syslog::SyslogMessage& msg,
                                        const SourceMapping& source);
  std::size_t streams() const { return headers_.size(); }

 private:
  LruTable<std::vector<std::string>> headers_;  // host '\x1f' app -> column names
  DecodeCounters* counters_;
  std::vector<std::string> unquoted_;  // scratch for split_csv
};

}  // namespace probity::decode
