// Shared by the decode fuzz targets: runs a Decoder over one kind of source on the lines
// of a fuzz input, through the same calls the pipeline makes (decode_into, flush_expired,
// flush_all). Not a test harness: it checks nothing itself and leaves that to the sanitizers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "decode/decode.h"

namespace probity::fuzz {

/// The embedded default source called `name`; aborts when there is none, because a
/// renamed default would otherwise leave the target fuzzing nothing.
decode::SourceMapping default_source(std::string_view name);

/// A catch-all access source of `format` that maps only canonical field names.
decode::SourceMapping generic_source(decode::PayloadFormat format);

/// Each '\n'-separated line of the input is one whole syslog message (RFC 5424 or 3164),
/// as `probity parse` reads a log file; lines that do not parse are skipped.
void decode_syslog_lines(std::vector<decode::SourceMapping> sources, const std::uint8_t* data,
                         std::size_t size);

/// Each line of the input is the MSG of a fixed RFC 5424 header, so every mutation
/// reaches the payload decoder instead of the header parser.
void decode_payload_lines(decode::SourceMapping source, const std::uint8_t* data, std::size_t size);

}  // namespace probity::fuzz
