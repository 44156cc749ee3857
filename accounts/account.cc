#include "accounts/account.h"

#include <algorithm>
#include <array>
#include <utility>

namespace rectify::accounts {
namespace {

constexpr std::array<std::pair<Role, const char*>, 5> kRoleNames = {{
    {Role::kOffice, "office"},
    {Role::kUnitMember, "unit_member"},
    {Role::kInspector, "inspector"},
    {Role::kSupervisor, "supervisor"},
    {Role::kLeader, "leader"},
}};

}  // namespace

const char* RoleName(Role role) {
  for (const auto& [value, name] : kRoleNames) {
    if (value == role) return name;
  }
  return "unknown";
}

Result<Role> ParseRole(std::string_view name) {
  for (const auto& [value, known] : kRoleNames) {
    if (name == known) return value;
  }
  return Status::InvalidArgument(
      "role", "\"" + std::string(name) + "\" is not one of office, unit_member, inspector, supervisor, leader");
}

std::string JoinRoles(const std::vector<Role>& roles) {
  std::string joined;
  for (const Role role : roles) {
    if (!joined.empty()) joined += ',';
    joined += RoleName(role);
  }
  return joined;
}

Result<std::vector<Role>> ParseRoles(std::string_view joined) {
  std::vector<Role> roles;
  while (!joined.empty()) {
    const std::size_t comma = joined.find(',');
    Result<Role> role = ParseRole(joined.substr(0, comma));
    if (!role.ok()) return role.status();
    roles.push_back(*role);
    joined = comma == std::string_view::npos ? std::string_view() : joined.substr(comma + 1);
  }
  if (roles.empty()) return Status::InvalidArgument("role", "at least one role is required");
  return roles;
}

bool User::Has(Role role) const { return std::find(roles.begin(), roles.end(), role) != roles.end(); }

}  // namespace rectify::accounts
