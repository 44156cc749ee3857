#include "app/user_commands.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <istream>
#include <memory>
#include <ostream>
#include <utility>

#include "accounts/account_service.h"
#include "app/clocks.h"
#include "storage/stores.h"

namespace rectify::app {
namespace {

std::string Actor(const UserCommandOptions& options) {
  if (!options.actor.empty()) return options.actor;
  const passwd* user = getpwuid(geteuid());
  return "os:" + (user != nullptr ? std::string(user->pw_name) : std::to_string(geteuid()));
}

// An existing database only, for every command but add: a typo in --db must not create a file.
Result<std::unique_ptr<Stores>> Open(const UserCommandOptions& options, bool create,
                                          const std::shared_ptr<const Clock>& clock) {
  return create ? OpenStores(options.db_path, clock) : OpenExistingStores(options.db_path, clock);
}

int Fail(std::ostream& err, const char* command, const Status& status) {
  err << "rectify user " << command << ": " << status.ToString() << "\n";
  return 1;
}

// Pads to `width` display columns, counting a CJK character (3 UTF-8 bytes) as two columns.
std::string Pad(const std::string& text, std::size_t width) {
  std::size_t columns = 0;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte & 0xC0) != 0x80) columns += byte >= 0xE0 ? 2 : 1;
  }
  return text + std::string(columns < width ? width - columns : 0, ' ');
}

}  // namespace

int UserAdd(const UserAddOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
  std::vector<accounts::Role> roles;
  for (const std::string& name : options.roles) {
    Result<accounts::Role> role = accounts::ParseRole(name);
    if (!role.ok()) return Fail(err, "add", role.status());
    roles.push_back(*role);
  }
  std::string password;
  if (options.password_stdin) {
    if (!std::getline(in, password)) return Fail(err, "add", Status::InvalidArgument("password", "none on stdin"));
    if (!password.empty() && password.back() == '\r') password.pop_back();
  } else {
    password = accounts::GeneratePassword();
  }
  const std::shared_ptr<const Clock> clock = MakeClock(options.common.now);
  auto store = Open(options.common, /*create=*/true, clock);
  if (!store.ok()) return Fail(err, "add", store.status());
  accounts::AccountPolicy policy;
  policy.cost = options.common.cost;
  accounts::AccountService service((*store)->accounts(), policy);
  if (options.town.empty() == !options.county)
    return Fail(err, "add", Status::InvalidArgument("town", "give the user's --town, or --county for a county-level user"));
  Result<accounts::User> user = service.AddUser(Actor(options.common), options.username, options.display_name,
                                                options.unit, options.town, roles, password, clock->Now());
  if (!user.ok()) return Fail(err, "add", user.status());
  out << "added user " << user->username << " (" << accounts::JoinRoles(user->roles) << ")\n";
  if (!options.password_stdin) out << "password (shown once): " << password << "\n";
  return 0;
}

int UserList(const UserCommandOptions& options, std::ostream& out, std::ostream& err) {
  auto store = OpenExistingStoresToRead(options.db_path, nullptr);  // it only reads
  if (!store.ok()) return Fail(err, "list", store.status());
  Result<std::vector<accounts::User>> users = (*store)->accounts().ListUsers();
  if (!users.ok()) return Fail(err, "list", users.status());
  // A county-level user has no town: said so, for a county leader and a town's look alike otherwise.
  auto town_of = [](const accounts::User& u) { return u.town.empty() ? std::string("(county)") : u.town; };
  std::size_t name_width = 8, display_width = 12, town_width = 8, unit_width = 4, roles_width = 5;
  for (const accounts::User& u : *users) {
    name_width = std::max(name_width, u.username.size());
    town_width = std::max(town_width, town_of(u).size());
    display_width = std::max(display_width, u.display_name.size());
    unit_width = std::max(unit_width, u.unit.size());
    roles_width = std::max(roles_width, accounts::JoinRoles(u.roles).size());
  }
  out << Pad("username", name_width) << "  " << Pad("display name", display_width) << "  " << Pad("town", town_width)
      << "  " << Pad("unit", unit_width) << "  " << Pad("roles", roles_width) << "  disabled\n";
  for (const accounts::User& u : *users) {
    out << Pad(u.username, name_width) << "  " << Pad(u.display_name, display_width) << "  "
        << Pad(town_of(u), town_width) << "  " << Pad(u.unit, unit_width) << "  " << Pad(accounts::JoinRoles(u.roles), roles_width) << "  "
        << (u.disabled ? "yes" : "no") << "\n";
  }
  return 0;
}

int UserDisable(const UserCommandOptions& options, const std::string& username, std::ostream& out,
                std::ostream& err) {
  const std::shared_ptr<const Clock> clock = MakeClock(options.now);
  auto store = Open(options, /*create=*/false, clock);
  if (!store.ok()) return Fail(err, "disable", store.status());
  accounts::AccountService service((*store)->accounts());
  const Status disabled = service.Disable(Actor(options), username, clock->Now());
  if (!disabled.ok()) return Fail(err, "disable", disabled);
  out << "disabled user " << username << "; their sessions and API tokens are revoked\n";
  return 0;
}

int UserMove(const UserMoveOptions& options, std::ostream& out, std::ostream& err) {
  if (!options.town.empty() && options.county)
    return Fail(err, "move", Status::InvalidArgument("town", "give --town or --county, not both"));
  std::optional<std::vector<accounts::Role>> roles;
  if (!options.roles.empty()) {
    roles.emplace();
    for (const std::string& name : options.roles) {
      Result<accounts::Role> role = accounts::ParseRole(name);
      if (!role.ok()) return Fail(err, "move", role.status());
      roles->push_back(*role);
    }
  }
  std::optional<std::string> town;
  if (options.county) town = std::string();
  else if (!options.town.empty()) town = options.town;
  const std::shared_ptr<const Clock> clock = MakeClock(options.common.now);
  auto store = Open(options.common, /*create=*/false, clock);
  if (!store.ok()) return Fail(err, "move", store.status());
  accounts::AccountService service((*store)->accounts());
  auto user = service.Move(Actor(options.common), options.username, town, options.unit, roles, clock->Now());
  if (!user.ok()) return Fail(err, "move", user.status());
  out << "user " << user->username << " is now " << (user->unit.empty() ? std::string("without a unit") : "of unit " + user->unit)
      << ", " << (user->town.empty() ? std::string("county-level") : "town " + user->town) << " ("
      << accounts::JoinRoles(user->roles) << "); their sessions and API tokens are revoked\n";
  return 0;
}

int UserEnable(const UserCommandOptions& options, const std::string& username, std::ostream& out,
               std::ostream& err) {
  const std::shared_ptr<const Clock> clock = MakeClock(options.now);
  auto store = Open(options, /*create=*/false, clock);
  if (!store.ok()) return Fail(err, "enable", store.status());
  accounts::AccountService service((*store)->accounts());
  const Status enabled = service.Enable(Actor(options), username);
  if (!enabled.ok()) return Fail(err, "enable", enabled);
  out << "enabled user " << username << "; they log in with their password (reset-password gives a new one)\n";
  return 0;
}

int UserPurgeSessions(const UserCommandOptions& options, std::ostream& out, std::ostream& err) {
  const std::shared_ptr<const Clock> clock = MakeClock(options.now);
  auto store = Open(options, /*create=*/false, clock);
  if (!store.ok()) return Fail(err, "purge-sessions", store.status());
  accounts::AccountService service((*store)->accounts());
  const Result<int> purged = service.PurgeSessions(Actor(options), clock->Now());
  if (!purged.ok()) return Fail(err, "purge-sessions", purged.status());
  out << "deleted " << *purged << " expired or revoked login session(s)\n";
  return 0;
}

int UserResetPassword(const UserCommandOptions& options, const std::string& username, std::ostream& out,
                      std::ostream& err) {
  const std::shared_ptr<const Clock> clock = MakeClock(options.now);
  auto store = Open(options, /*create=*/false, clock);
  if (!store.ok()) return Fail(err, "reset-password", store.status());
  accounts::AccountPolicy policy;
  policy.cost = options.cost;
  accounts::AccountService service((*store)->accounts(), policy);
  Result<std::string> password = service.ResetPassword(Actor(options), username, clock->Now());
  if (!password.ok()) return Fail(err, "reset-password", password.status());
  out << "new password for " << username << " (shown once): " << *password << "\n";
  return 0;
}

}  // namespace rectify::app
