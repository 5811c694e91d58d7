// Prometheus text rendering of the registered series (HELP and TYPE once per name).
#include <fmt/format.h>

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
                     {},
                     nullptr});
}

void MetricsRegistry::add_family(std::string name, std::string help, Type type,
                                 std::function<Family()> read) {
  series_.push_back(
      {"probity_" + std::move(name), std::move(help), "", type, {}, std::move(read), nullptr});
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

void MetricsRegistry::add_histogram(std::string name, std::string help,
                                    const LatencyHistogram& histogram) {
  Series s{"probity_" + std::move(name), std::move(help), {}, Type::counter, {}, {}, &histogram};
  series_.push_back(std::move(s));
}

namespace {

void render_histogram(std::string& out, const std::string& name, const LatencyHistogram& h) {
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= LatencyHistogram::kBoundsUs.size(); ++i) {
    cumulative += h.count_in(i);
    const std::string le = i < LatencyHistogram::kBoundsUs.size()
                               ? fmt::format("{}", LatencyHistogram::kBoundsUs[i] / 1e6)
                               : "+Inf";
    out += fmt::format("{}_bucket{{le=\"{}\"}} {}\n", name, le, cumulative);
  }
  out += fmt::format("{}_sum {}\n{}_count {}\n", name, h.sum_us() / 1e6, name, cumulative);
}

}  // namespace

std::string MetricsRegistry::render() const {
  std::string out;
  std::set<std::string> described;
  for (const auto& s : series_) {
    if (described.insert(s.name).second) {
      out += "# HELP " + s.name + " " + s.help + "\n";
      out += "# TYPE " + s.name +
             (s.histogram               ? " histogram\n"
              : s.type == Type::counter ? " counter\n"
                                        : " gauge\n");
    }
    if (s.histogram) {
      render_histogram(out, s.name, *s.histogram);
      continue;
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
