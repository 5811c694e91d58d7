// log_safe and the spdlog flag that applies it to every record (see log_format.h).
#include "app/log_format.h"

#include <memory>

#include <fmt/format.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

namespace probity::app {

namespace {

constexpr std::string_view kContinuation = "\n    ";

class SafeMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const std::string safe = log_safe(std::string_view(msg.payload.data(), msg.payload.size()));
    dest.append(safe.data(), safe.data() + safe.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<SafeMessage>();
  }
};

}  // namespace

std::string log_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto u = static_cast<unsigned char>(text[i]);
    if (u == '\n') {
      out += kContinuation;
    } else if (u == '\t' || (u >= 0x20 && u != 0x7f && u != 0xc2)) {
      out += static_cast<char>(u);
    } else if (u == 0xc2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      out += fmt::format("\\xc2\\x{:02x}", static_cast<unsigned char>(text[++i]));
    } else if (u == 0xc2) {
      out += static_cast<char>(u);
    } else {
      out += fmt::format("\\x{:02x}", u);
    }
  }
  return out;
}

void use_safe_log_pattern() {
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<SafeMessage>('*').set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ %*");
  spdlog::set_formatter(std::move(formatter));
}

}  // namespace probity::app
