// Which Host header values the HTTP server answers: the defence against DNS rebinding, where
// a page from an attacker's name resolves that name to 127.0.0.1 and reads the live page and
// the API with the browser's help. Not for authentication (there is none: the port is local).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace probity::http {

/// True when `host` (a Host header value, with or without a port) is a loopback name or
/// address (localhost, 127.0.0.1, [::1]), the literal address the server listens on, or one
/// of `allowed` (names compared without case). A rebinding page's Host is its own name, so
/// it never passes unless an administrator listed that name.
bool host_allowed(std::string_view host, std::string_view listen_address,
                  const std::vector<std::string>& allowed);

}  // namespace probity::http
