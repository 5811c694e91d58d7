// read_delivery: where alerts go, as the config says (delivery_reader.h).
#include "config/delivery_reader.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "config/schema.h"

namespace probity::config {

namespace {

constexpr std::array<std::string_view, 5> kSeverities{"info", "low", "medium", "high", "critical"};

// Names appear in outbox keys, metrics labels and log lines: keep them plain.
void check_name(const Reader& r, const YAML::Node& at, const std::string& name,
                std::set<std::string>& taken) {
  const bool plain =
      !name.empty() && name.size() <= 64 && std::isalnum(static_cast<unsigned char>(name[0])) &&
      std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      });
  if (!plain)
    r.error(at, "destination name '" + name +
                    "' must be 1-64 lower-case letters, digits, '-' or '_' (psd-duty, infosec)");
  if (!taken.insert(name).second)
    r.error(at, "destination name '" + name +
                    "' is used twice (recipient groups, webhooks and SIEMs share one namespace)");
}

std::string severity(const Reader& r, const YAML::Node& n, const std::string& what) {
  const auto s = r.str(n, what);
  if (std::find(kSeverities.begin(), kSeverities.end(), s) == kSeverities.end())
    r.error(n, what + " must be info, low, medium, high or critical, not '" + s + "'");
  return s;
}

std::chrono::seconds digest_period(const Reader& r, const YAML::Node& n) {
  const auto s = r.str(n, "route digest");
  if (s == "immediate") return std::chrono::seconds(0);
  if (s == "hourly") return std::chrono::hours(1);
  if (s == "daily") return std::chrono::hours(24);
  const auto d = std::chrono::duration_cast<std::chrono::seconds>(r.duration(n, "route digest"));
  if (d < std::chrono::seconds(1))
    r.error(n, "route digest must be immediate, hourly, daily or a duration of at least 1s");
  return d;
}

void read_match(const Reader& r, const YAML::Node& n, alerts::Route& route) {
  r.only_keys(n, schema::kRouteMatch, "a route's match");
  if (n["severity"]) {
    const auto& s = n["severity"];
    if (s.IsSequence()) {
      for (const auto& item : s) route.severities.push_back(severity(r, item, "match.severity"));
    } else {
      route.severities.push_back(severity(r, s, "match.severity"));
    }
  }
  if (n["min_severity"]) route.min_severity = severity(r, n["min_severity"], "match.min_severity");
  if (n["rule"]) route.rules = r.strings(n["rule"], "match.rule");
  if (n["tag"]) route.tags = r.strings(n["tag"], "match.tag");
  if (n["source"]) route.sources = r.strings(n["source"], "match.source");
  if (n["internal"]) route.internal = r.boolean(n["internal"], "match.internal");
}

alerts::Route read_route(const Reader& r, const YAML::Node& n, const alerts::EmailConfig& email,
                         const std::set<std::string>& destinations) {
  r.only_keys(n, schema::kRoute, "a route");
  alerts::Route route;
  route.max_per_rule_per_hour = email.max_per_rule_per_hour;
  route.max_per_hour = email.max_per_hour;
  if (n["name"]) route.name = r.str(n["name"], "route name");
  if (n["match"]) read_match(r, n["match"], route);
  if (!n["to"]) r.error(n, "a route needs to: (recipient groups, webhooks or SIEMs by name)");
  route.to = r.strings(n["to"], "route to");
  if (route.to.empty()) r.error(n["to"], "a route's to: names at least one destination");
  for (const auto& name : route.to)
    if (!destinations.contains(name)) {
      std::string known;
      for (const auto& d : destinations) known += (known.empty() ? "" : ", ") + d;
      r.error(n["to"],
              "route to: '" + name + "' is not a recipient group, webhook or SIEM (" + known + ")");
    }
  if (n["digest"]) route.digest = digest_period(r, n["digest"]);
  if (n["continue"]) route.continue_matching = r.boolean(n["continue"], "route continue");
  if (n["max_per_rule_per_hour"])
    route.max_per_rule_per_hour = static_cast<std::uint32_t>(
        r.number(n["max_per_rule_per_hour"], "route max_per_rule_per_hour", 1'000'000));
  if (n["max_per_hour"])
    route.max_per_hour =
        static_cast<std::uint32_t>(r.number(n["max_per_hour"], "route max_per_hour", 1'000'000));
  return route;
}

alerts::WebhookConfig read_webhook(const Reader& r, const YAML::Node& n) {
  r.only_keys(n, schema::kWebhook, "a webhook");
  alerts::WebhookConfig w;
  if (!n["name"] || !n["url"] || !n["secret_file"])
    r.error(n, "a webhook needs name, url and secret_file (its HMAC key, never inline)");
  w.name = r.str(n["name"], "webhook name");
  w.url = r.str(n["url"], "webhook url");
  if (!w.url.starts_with("https://") && !w.url.starts_with("http://"))
    r.error(n["url"], "webhook url must start with https:// (or http:// on this host)");
  w.secret_file = r.str(n["secret_file"], "webhook secret_file");
  if (n["ca_file"]) w.ca_file = r.str(n["ca_file"], "webhook ca_file");
  if (n["timeout"])
    w.timeout = std::chrono::duration_cast<std::chrono::seconds>(
        r.duration(n["timeout"], "webhook timeout"));
  return w;
}

alerts::SiemConfig read_siem(const Reader& r, const YAML::Node& n) {
  r.only_keys(n, schema::kSiem, "a SIEM output");
  alerts::SiemConfig c;
  if (!n["name"] || !n["host"]) r.error(n, "a SIEM output needs name and host");
  c.name = r.str(n["name"], "siem name");
  c.host = r.str(n["host"], "siem host");
  if (n["tls"]) c.tls = r.boolean(n["tls"], "siem tls");
  c.port = c.tls ? 6514 : 514;  // RFC 5425's port, or syslog over TCP's usual one
  if (n["port"]) c.port = static_cast<std::uint16_t>(r.number(n["port"], "siem port", 65535));
  if (n["ca_file"]) c.ca_file = r.str(n["ca_file"], "siem ca_file");
  if (n["cert_file"]) c.cert_file = r.str(n["cert_file"], "siem cert_file");
  if (n["key_file"]) c.key_file = r.str(n["key_file"], "siem key_file");
  if (c.cert_file.empty() != c.key_file.empty())
    r.error(n, "a SIEM output's client certificate needs both cert_file and key_file");
  if (n["format"]) {
    c.format = r.str(n["format"], "siem format");
    if (c.format != "cef" && c.format != "json")
      r.error(n["format"], "siem format must be cef or json, not '" + c.format + "'");
  }
  if (n["timeout"])
    c.timeout =
        std::chrono::duration_cast<std::chrono::seconds>(r.duration(n["timeout"], "siem timeout"));
  if (n["hostname"]) c.hostname = r.str(n["hostname"], "siem hostname");
  return c;
}

}  // namespace

void read_delivery(const Reader& r, const YAML::Node& n, alerts::AlertConfig& a) {
  std::set<std::string> destinations;
  if (const auto& groups = n["recipients"]) {
    if (!groups.IsMap()) r.error(groups, "alerts.recipients must map group names to addresses");
    for (const auto& kv : groups) {
      const auto name = r.str(kv.first, "recipient group name");
      check_name(r, kv.first, name, destinations);
      std::string addresses;
      for (const auto& address : r.strings(kv.second, "recipient group " + name))
        addresses += (addresses.empty() ? "" : ", ") + address;
      a.recipients.emplace_back(name, addresses);
    }
  }
  // The two groups that always exist, from email.to and email.admins_to.
  for (const char* implicit : {"psd", "admins"}) destinations.insert(implicit);
  if (const auto& list = n["webhooks"]) {
    if (!list.IsSequence()) r.error(list, "alerts.webhooks must be a list");
    for (const auto& item : list) {
      a.webhooks.push_back(read_webhook(r, item));
      check_name(r, item["name"], a.webhooks.back().name, destinations);
    }
  }
  if (const auto& list = n["siem"]) {
    if (!list.IsSequence()) r.error(list, "alerts.siem must be a list");
    for (const auto& item : list) {
      a.siems.push_back(read_siem(r, item));
      check_name(r, item["name"], a.siems.back().name, destinations);
    }
  }
  if (const auto& list = n["routes"]) {
    if (!list.IsSequence()) r.error(list, "alerts.routes must be a list");
    for (const auto& item : list) a.routes.push_back(read_route(r, item, a.email, destinations));
  }
}

}  // namespace probity::config
