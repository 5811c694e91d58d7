// Who is consulting: resolve_actor over plain inputs, and the readers of /proc and the
// environment that feed it for this process or for a socket peer.
#include <pwd.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "audit/audit.h"

namespace probity::audit {
namespace {

std::optional<std::uint32_t> read_loginuid(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text)) return std::nullopt;
  std::uint32_t uid = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), uid);
  if (ec != std::errc{} || p != text.data() + text.size()) return std::nullopt;
  return uid;
}

/// SUDO_USER from a NUL-separated environ file; "" when absent or unreadable.
std::string sudo_user_in_environ(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string env{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  constexpr std::string_view kKey = "SUDO_USER=";
  std::size_t start = 0;
  while (start < env.size()) {
    const auto end = std::min(env.find('\0', start), env.size());
    const std::string_view entry(env.data() + start, end - start);
    if (entry.starts_with(kKey)) return std::string(entry.substr(kKey.size()));
    start = end + 1;
  }
  return {};
}

}  // namespace

Actor resolve_actor(const ActorInputs& in, const NameOfUid& name_of) {
  const auto name = [&](std::uint32_t uid) {
    auto n = name_of ? name_of(uid) : std::nullopt;
    return n ? *n : std::to_string(uid);
  };
  Actor a;
  a.uid = in.uid;
  a.account = name(in.uid);
  if (in.loginuid && *in.loginuid != kUnsetLoginUid) {
    a.person = name(*in.loginuid);
    a.source = "loginuid";
  } else if (!in.sudo_user.empty()) {
    a.person = in.sudo_user.substr(0, 256);  // a login name; anything longer is not one
    a.source = "sudo_user";
  } else {
    a.person = a.account;
    a.source = "uid";
  }
  return a;
}

std::optional<std::string> account_name(std::uint32_t uid) {
  passwd entry{};
  passwd* found = nullptr;
  std::string buf(16384, '\0');
  if (::getpwuid_r(uid, &entry, buf.data(), buf.size(), &found) != 0 || !found) return std::nullopt;
  return std::string(found->pw_name);
}

Actor current_actor() {
  ActorInputs in;
  in.loginuid = read_loginuid("/proc/self/loginuid");
  if (const char* sudo = std::getenv("SUDO_USER")) in.sudo_user = sudo;
  in.uid = ::geteuid();
  return resolve_actor(in, account_name);
}

Actor peer_actor(std::uint32_t uid, pid_t pid) {
  const std::string proc = "/proc/" + std::to_string(pid);
  ActorInputs in;
  in.loginuid = read_loginuid(proc + "/loginuid");
  in.sudo_user = sudo_user_in_environ(proc + "/environ");
  in.uid = uid;
  return resolve_actor(in, account_name);
}

}  // namespace probity::audit
