// `rectify user add|list|disable|reset-password`: accounts (accounts/account_service.h) from the
// command line, by whoever may run the binary on the server's database. This is how the first
// office user is made: there is no default account and no default password. Like
// app/audit_commands.h, each returns a process exit code (0 done, 1 refused or failed) and
// writes what a person needs to read to `out`/`err`; no password hash is ever printed.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "accounts/passwords.h"
#include "engine/time.h"

namespace rectify::app {

// Common to every user command.
struct UserCommandOptions {
  std::string db_path;
  // Who makes the change, for the audit record; empty (the command line): "os:<login name>".
  std::string actor;
  std::optional<Instant> now;  // --now; unset: the system clock
  // Tests pass accounts::PasswordCost::TestOnlyMinimum().
  accounts::PasswordCost cost = accounts::PasswordCost::Interactive();
};

struct UserAddOptions {
  UserCommandOptions common;
  std::string username;
  std::string display_name;
  std::string unit;
  // The user's town (the town file's id); empty with `county` for a county-level leader or
  // supervisor. One of the two is required.
  std::string town;
  bool county = false;
  std::vector<std::string> roles;  // role names (accounts/account.h)
  // Read the password from the first line of `in`; otherwise one is generated and printed once.
  bool password_stdin = false;
};

// Creates the database if it does not exist yet: the first user is added to a new file.
int UserAdd(const UserAddOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

// A table of username, display name, unit, roles and disabled. The database must exist.
int UserList(const UserCommandOptions& options, std::ostream& out, std::ostream& err);

// Disables the user and revokes their sessions and API tokens. The database must exist.
int UserDisable(const UserCommandOptions& options, const std::string& username, std::ostream& out,
                std::ostream& err);

// `rectify user move`: another unit, and maybe another town or other roles, for the same login.
struct UserMoveOptions {
  UserCommandOptions common;
  std::string username;
  std::string unit;                // the new unit; empty for a user without one
  std::string town;                // the new town; empty with `county`; neither: the same town
  bool county = false;
  std::vector<std::string> roles;  // the new roles; none given: the same
};

// Moves the user (AccountService::Move) and revokes their sessions and API tokens. The
// database must exist.
int UserMove(const UserMoveOptions& options, std::ostream& out, std::ostream& err);

// Enables a disabled user again. The database must exist.
int UserEnable(const UserCommandOptions& options, const std::string& username, std::ostream& out,
               std::ostream& err);

// Deletes expired and revoked login sessions and prints how many. The database must exist.
int UserPurgeSessions(const UserCommandOptions& options, std::ostream& out, std::ostream& err);

// Sets a generated password, prints it once, and revokes the user's sessions and API tokens.
int UserResetPassword(const UserCommandOptions& options, const std::string& username, std::ostream& out,
                      std::ostream& err);

}  // namespace rectify::app
