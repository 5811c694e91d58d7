// Prometheus text rendering of the registered series (HELP and TYPE once per name).
#include <set>

#include "http/http.h"

namespace probity::http {

void MetricsRegistry::add(std::string name, std::string help, Type type, std::string labels,
                          std::function<std::uint64_t()> read) {
  series_.push_back(
      {"probity_" + std::move(name), std::move(help), std::move(labels), type, std::move(read)});
}

std::string MetricsRegistry::render() const {
  std::string out;
  std::set<std::string> described;
  for (const auto& s : series_) {
    if (described.insert(s.name).second) {
      out += "# HELP " + s.name + " " + s.help + "\n";
      out += "# TYPE " + s.name + (s.type == Type::counter ? " counter\n" : " gauge\n");
    }
    out += s.name;
    if (!s.labels.empty()) out += "{" + s.labels + "}";
    out += " " + std::to_string(s.read()) + "\n";
  }
  return out;
}

}  // namespace probity::http
