// Prometheus text rendering of the registered series (HELP and TYPE once per name).
#include <set>

#include "http/http.h"

namespace probity::http {

void MetricsRegistry::add(std::string name, std::string help, Type type, std::string labels,
                          std::function<std::uint64_t()> read) {
  series_.push_back({"probity_" + std::move(name),
                     std::move(help),
                     std::move(labels),
                     type,
                     std::move(read),
                     {}});
}

void MetricsRegistry::add_family(std::string name, std::string help, Type type,
                                 std::function<Family()> read) {
  series_.push_back({"probity_" + std::move(name), std::move(help), "", type, {}, std::move(read)});
}

namespace {

// Label values are escaped as the exposition format asks: backslash, quote, newline.
std::string label_text(const std::vector<std::pair<std::string, std::string>>& labels) {
  std::string out;
  for (const auto& [name, value] : labels) {
    if (!out.empty()) out += ',';
    out += name + "=\"";
    for (const char c : value) {
      if (c == '\\' || c == '"') out += '\\';
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      out += c;
    }
    out += '"';
  }
  return out;
}

}  // namespace

std::string MetricsRegistry::render() const {
  std::string out;
  std::set<std::string> described;
  for (const auto& s : series_) {
    if (described.insert(s.name).second) {
      out += "# HELP " + s.name + " " + s.help + "\n";
      out += "# TYPE " + s.name + (s.type == Type::counter ? " counter\n" : " gauge\n");
    }
    if (s.read_family) {
      for (const auto& sample : s.read_family())
        out +=
            s.name + "{" + label_text(sample.labels) + "} " + std::to_string(sample.value) + "\n";
      continue;
    }
    out += s.name;
    if (!s.labels.empty()) out += "{" + s.labels + "}";
    out += " " + std::to_string(s.read()) + "\n";
  }
  return out;
}

}  // namespace probity::http
