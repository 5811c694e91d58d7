// The embedded defaults: what `probity run` does with no config file. Everything binds
// to loopback and writes under ./probity-state, so a first run needs no root and no
// mail server.
#include <charconv>

#include "config/config.h"

namespace probity::config {

Config default_config() {
  Config c;
  c.alerts.jsonl_path = "alerts.jsonl";
  c.alerts.email.to = "psd@localhost";
  c.alerts.email.from = "probity@localhost";
  c.alerts.email.mailbox_path = "mailbox";
  c.alerts.email.pseudonym_key_file = "pseudonym.key";
  c.sources = decode::default_sources();
  return c;
}

void resolve_paths(Config& c) {
  auto under_state = [&](std::filesystem::path& p) {
    if (!p.empty() && p.is_relative()) p = c.state_dir / p;
  };
  under_state(c.site_file);
  under_state(c.alerts.jsonl_path);
  under_state(c.alerts.email.mailbox_path);
  under_state(c.alerts.email.pseudonym_key_file);
}

Result<std::pair<std::string, std::uint16_t>> parse_endpoint(std::string_view text) {
  const auto colon = text.rfind(':');
  unsigned port = 0;
  if (colon != std::string_view::npos) {
    const auto digits = text.substr(colon + 1);
    const auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec == std::errc{} && p == digits.data() + digits.size() && port <= 65535 && colon > 0)
      return std::pair{std::string(text.substr(0, colon)), static_cast<std::uint16_t>(port)};
  }
  return fail("config.bad_endpoint",
              "'" + std::string(text) + "' is not ADDRESS:PORT (e.g. 127.0.0.1:5514)");
}

}  // namespace probity::config
