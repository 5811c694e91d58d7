// host_allowed(): the Host header split from its port and compared with the names this
// server answers to. Not for parsing URLs or resolving names: only literal comparison.
#include "http/host_check.h"

#include <algorithm>

#include "base/ascii.h"

namespace probity::http {
namespace {

// RFC 9110 §7.2: Host = uri-host [ ":" port ]; an IPv6 literal is in brackets. Returns the
// uri-host, or empty when the value is not of that shape (a bare IPv6 address, a bad port).
std::string_view name_of(std::string_view host) {
  std::string_view name = host, port;
  if (host.starts_with('[')) {
    const std::size_t close = host.find(']');
    if (close == std::string_view::npos) return {};
    name = host.substr(0, close + 1);
    port = host.substr(close + 1);
  } else if (const std::size_t colon = host.find(':'); colon != std::string_view::npos) {
    name = host.substr(0, colon);
    port = host.substr(colon);
  }
  if (!port.empty()) {
    if (port[0] != ':') return {};
    port.remove_prefix(1);
    if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return {};
  }
  return name;
}

}  // namespace

bool host_allowed(std::string_view host, std::string_view listen_address,
                  const std::vector<std::string>& allowed) {
  const std::string_view name = name_of(host);
  if (name.empty()) return false;
  for (const std::string_view loopback : {"localhost", "127.0.0.1", "[::1]"})
    if (iequals(name, loopback)) return true;
  // An address literal cannot be rebound: a browser sends it only to that address.
  const bool unspecified = listen_address == "0.0.0.0" || listen_address == "::";
  if (!unspecified && !listen_address.empty()) {
    const bool v6 = listen_address.find(':') != std::string_view::npos;
    if (v6 ? name.size() == listen_address.size() + 2 && name.front() == '[' &&
                 iequals(name.substr(1, listen_address.size()), listen_address)
           : iequals(name, listen_address))
      return true;
  }
  return std::any_of(allowed.begin(), allowed.end(),
                     [&](const std::string& a) { return iequals(name, a); });
}

}  // namespace probity::http
