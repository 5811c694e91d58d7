// `probity audit verify|show`: the consultation trail read back for an auditor. The chain
// and its checks are audit/'s; this file only picks the file and prints.
#include <cstdio>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/consult.h"
#include "app/setup.h"

namespace probity::app {
namespace {

std::optional<std::filesystem::path> chosen_trail(
    const CommonOptions& options, const std::optional<std::filesystem::path>& file) {
  if (file) return *file;
  auto config = effective_config(options);
  if (!config) return std::nullopt;
  return trail_file(*config);
}

}  // namespace

int audit_verify_command(const CommonOptions& options, const AuditVerifyOptions& verify) {
  const auto file = chosen_trail(options, verify.file);
  if (!file) return 2;
  std::error_code ec;
  if (!std::filesystem::exists(*file, ec)) {
    std::fprintf(stderr, "probity: no consultation trail at %s\n", file->c_str());
    return 2;
  }
  auto result = audit::verify_trail(*file);
  if (!result) return std::fprintf(stderr, "probity: %s\n", result.error().message.c_str()), 2;
  if (!result->first_break) {
    std::printf("%s: %zu records, chain intact\n", file->c_str(), result->records);
    return 0;
  }
  const auto& b = *result->first_break;
  std::printf("%s:%zu: %s%s: %s (%zu records before it are intact)\n", file->c_str(), b.line,
              b.kind.c_str(), b.seq ? fmt::format(" (seq {})", *b.seq).c_str() : "",
              b.detail.c_str(), result->records);
  return 1;
}

int audit_show_command(const CommonOptions& options, const AuditShowOptions& show) {
  const auto file = chosen_trail(options, show.file);
  if (!file) return 2;
  auto records = audit::read_trail(*file);
  if (!records) return std::fprintf(stderr, "probity: %s\n", records.error().message.c_str()), 1;
  const std::size_t from =
      show.last == 0 || records->size() <= show.last ? 0 : records->size() - show.last;
  for (std::size_t i = from; i < records->size(); ++i) {
    const auto& r = (*records)[i];
    const auto& c = r.consultation;
    const std::string who = r.actor.person == r.actor.account
                                ? r.actor.person
                                : fmt::format("{} (as {})", r.actor.person, r.actor.account);
    std::printf("%s\n", fmt::format("{:>5}  {}  {}  {} {}  [{}]  reason: {}", r.seq, r.time, who,
                                    c.action, c.target, c.shown, c.reason)
                            .c_str());
  }
  std::fprintf(stderr,
               "%zu records; showing the last %zu (not a check: run `probity audit verify`)\n",
               records->size(), records->size() - from);
  return 0;
}

}  // namespace probity::app
