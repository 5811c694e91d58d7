// Internal to config/: the keys each mapping of the config file may hold. The loader
// rejects any other key with these lists; config_keys() (config.h) flattens them for the
// check that the example config shows every setting.
#pragma once

#include <set>
#include <string>

namespace probity::config::schema {

using Keys = std::set<std::string>;

extern const Keys kTop;           ///< the file's top level
extern const Keys kCorrelation;   ///< correlation:
extern const Keys kListener;      ///< an item of listeners:
extern const Keys kListenerTls;   ///< listeners[].tls:
extern const Keys kHttp;          ///< http:
extern const Keys kHttpTls;       ///< http.tls:
extern const Keys kAlerts;        ///< alerts:
extern const Keys kEmail;         ///< alerts.email:
extern const Keys kRoute;         ///< an item of alerts.routes:
extern const Keys kRouteMatch;    ///< alerts.routes[].match:
extern const Keys kWebhook;       ///< an item of alerts.webhooks:
extern const Keys kSiem;          ///< an item of alerts.siem:
extern const Keys kAudit;         ///< audit:
extern const Keys kRetention;     ///< retention:
extern const Keys kSource;        ///< an item of sources:
extern const Keys kSourceMatch;   ///< sources[].match:
extern const Keys kAssembly;      ///< sources[].assembly:
extern const Keys kFieldMapping;  ///< sources[].fields.<field>: {from, time_format}

}  // namespace probity::config::schema
