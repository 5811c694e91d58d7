// Roles (access.h): their names and the permission table.
#include <array>
#include <utility>

#include "access/access.h"

namespace probity::access {

namespace {

constexpr std::array<std::pair<Role, std::string_view>, 3> kRoleNames = {{
    {analyst, "analyst"},
    {investigator, "investigator"},
    {admin, "admin"},
}};

}  // namespace

Result<Roles> parse_roles(std::string_view text) {
  Roles roles = 0;
  while (!text.empty()) {
    const auto end = text.find_first_of(", ");
    const std::string_view word = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (word.empty()) continue;
    bool known = false;
    for (const auto& [role, name] : kRoleNames)
      if (word == name) roles |= role, known = true;
    if (!known)
      return fail("access.role", "unknown role \"" + std::string(word) +
                                     "\" (roles: analyst, investigator, admin)");
  }
  if (roles == 0) return fail("access.role", "no role given (analyst, investigator, admin)");
  return roles;
}

std::string roles_text(Roles roles) {
  std::string out;
  for (const auto& [role, name] : kRoleNames)
    if (roles & role) out += (out.empty() ? "" : ",") + std::string(name);
  return out;
}

bool allows(Roles roles, Permission permission) {
  switch (permission) {
    case Permission::view_alerts:
      return (roles & (analyst | investigator | admin)) != 0;
    case Permission::work_alerts:
      return (roles & (analyst | investigator)) != 0;
    case Permission::close_alerts:
    case Permission::reveal:
      return (roles & investigator) != 0;
    case Permission::manage_access:
      return (roles & admin) != 0;
  }
  return false;
}

}  // namespace probity::access
