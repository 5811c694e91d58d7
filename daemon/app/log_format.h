// How every log record's text is written: event text reaches the log (alert messages,
// rejected values), so a record must not be able to forge another or drive the terminal.
// Not for the log level or destination (setup.cpp).
#pragma once

#include <string>
#include <string_view>

namespace probity::app {

/// `text` safe to log: control characters (C0, DEL, and C1 as UTF-8 — terminals take
/// U+009B as CSI) become \xNN; a newline stays but the next line is indented, so only a
/// real record ever starts at column 0 (multi-line reports stay readable).
std::string log_safe(std::string_view text);

/// Installs the pattern on the default logger with the message written through log_safe.
void use_safe_log_pattern();

}  // namespace probity::app
