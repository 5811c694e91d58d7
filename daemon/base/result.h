// Result<T>: a value or an Error with a code, a message a user can act on, and a
// position. Used wherever failure is expected (parsers, loaders, store calls);
// exceptions are kept for programmer errors and start-up aborts.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace probity {

/// Where in an input an error was found. line/column are 1-based; 0 means unknown.
struct SourcePos {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::size_t offset = 0;  ///< byte offset into a single message or buffer
};

struct Error {
  std::string code;     ///< stable, machine-readable (e.g. "syslog.bad_pri")
  std::string message;  ///< one line for a human
  SourcePos pos;
};

/// [[nodiscard]]: a dropped Result is a dropped error. Discard one on purpose with (void).
template <class T>
class [[nodiscard]] Result : public tl::expected<T, Error> {
 public:
  using tl::expected<T, Error>::expected;
  Result() = default;
  // From the expected that and_then/map/... chains return.
  Result(tl::expected<T, Error> e) : tl::expected<T, Error>(std::move(e)) {}  // NOLINT
};

inline tl::unexpected<Error> fail(std::string code, std::string message, SourcePos pos = {}) {
  return tl::unexpected<Error>(Error{std::move(code), std::move(message), std::move(pos)});
}

/// "file:line:col: message" when a position is known, else the message alone.
inline std::string describe(const Error& e) {
  std::string out;
  if (!e.pos.file.empty()) {
    out += e.pos.file;
    if (e.pos.line) out += ":" + std::to_string(e.pos.line) + ":" + std::to_string(e.pos.column);
    out += ": ";
  }
  out += e.message;
  return out;
}

}  // namespace probity

// tl::expected's and_then/or_else accept only expected types from their callbacks: a
// Result is one.
template <class T>
struct tl::detail::is_expected_impl<probity::Result<T>> : std::true_type {};
