// Internal to decode/: the payload formats as one table (name, decoder, gateway assembler),
// so config parsing, the decoder's dispatch and the error text listing the formats cannot
// drift apart. Adding a format is one enum value (decode.h) and one row (formats.cpp).
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "decode/assembler.h"
#include "decode/decode.h"
#include "decode/payload.h"

namespace probity::decode {

struct PayloadFormatInfo {
  PayloadFormat format;
  std::string_view name;  ///< as written in the config: `format: kv`
  /// The stateless decoder of one message; nullptr for csv (each source has its own
  /// CsvReader) and for gateway formats, which an assembler reads instead.
  const PayloadDecoder& (*decoder)();
  /// Gateway formats only: joins a message's log lines (is_assembled()).
  std::unique_ptr<MessageAssembler> (*assembler)(const SourceMapping&, DecodeCounters*);
};

/// Every payload format, in the order the error text lists them.
std::span<const PayloadFormatInfo> payload_formats();
const PayloadFormatInfo& payload_format_info(PayloadFormat f);

}  // namespace probity::decode
