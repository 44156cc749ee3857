// What the account stores of both databases (sqlite_account_store.h, pg_account_store.h) say
// alike: the statements on users and sessions (the same words in SQLite's and PostgreSQL's
// dialects) and how their rows read back (any Query with Int/Text/OptionalInt). The login
// throttle's memory is login_memory.h.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "accounts/account.h"
#include "engine/status.h"

namespace rectify::account_sql {

// Column order read by ReadUser and ReadSession; a WHERE or ORDER BY follows.
inline constexpr const char* kUserColumns =
    "SELECT id, username, display_name, unit, roles, disabled, password_hash, created_at, password_changed_at, "
    "town FROM users ";
inline constexpr const char* kSessionColumns =
    "SELECT id, token_hash, user_id, kind, label, created_at, expires_at, revoked_at, last_seen_at, read_only FROM sessions ";
// A session's columns as kSessionColumns, then its user's as kUserColumns (ReadSessionOfUser).
inline constexpr const char* kSessionOfUser =
    "SELECT s.id, s.token_hash, s.user_id, s.kind, s.label, s.created_at, s.expires_at, s.revoked_at, s.last_seen_at, "
    "s.read_only, "
    "u.id, u.username, u.display_name, u.unit, u.roles, u.disabled, u.password_hash, u.created_at, "
    "u.password_changed_at, u.town FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?";

inline constexpr const char* kUserNamed = "SELECT 1 FROM users WHERE username = ?";
inline constexpr const char* kUserExists = "SELECT 1 FROM users WHERE id = ?";
// PostgreSQL appends " RETURNING id" (it has no last insert id), here and to kInsertSession.
inline constexpr const char* kInsertUser =
    "INSERT INTO users (username, display_name, unit, roles, disabled, password_hash, created_at, "
    "password_changed_at, town) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
inline constexpr const char* kUpdateUser =
    "UPDATE users SET display_name = ?, unit = ?, roles = ?, disabled = ?, password_hash = ?, "
    "password_changed_at = ?, town = ? WHERE id = ?";
inline constexpr const char* kInsertSession =
    "INSERT INTO sessions (token_hash, user_id, kind, label, created_at, expires_at, revoked_at, read_only) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
// A SessionRevocation: at, user id, the hash kept, 1 when API tokens go too.
inline constexpr const char* kRevokeAll =
    "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND token_hash <> ? "
    "AND (kind = 'session' OR ? = 1)";
inline constexpr const char* kTouchSession = "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?";
inline constexpr const char* kRevokeSession =
    "UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL";
inline constexpr const char* kPurgeSessions =
    "DELETE FROM sessions WHERE kind = 'session' AND (expires_at <= ? OR (revoked_at IS NOT NULL AND revoked_at <= ?))";

// A user's columns in kUserColumns order, from column `first` on.
template <class Row>
Result<accounts::User> ReadUser(const Row& row, int first = 0) {
  accounts::User user;
  user.id = row.Int(first);
  user.username = row.Text(first + 1);
  user.display_name = row.Text(first + 2);
  user.unit = row.Text(first + 3);
  Result<std::vector<accounts::Role>> roles = accounts::ParseRoles(row.Text(first + 4));
  if (!roles.ok()) return Status::Internal("user " + user.username + " has bad roles: " + roles.status().message());
  user.roles = std::move(roles).value();
  user.disabled = row.Int(first + 5) != 0;
  user.password_hash = row.Text(first + 6);
  user.created_at = row.Int(first + 7);
  user.password_changed_at = row.Int(first + 8);
  user.town = row.Text(first + 9);
  return user;
}

// How many columns kSessionColumns reads (where kSessionOfUser's user columns begin).
inline constexpr int kSessionColumnCount = 10;

template <class Row>
accounts::Session ReadSession(const Row& row) {
  accounts::Session session;
  session.id = row.Int(0);
  session.token_hash = row.Text(1);
  session.user_id = row.Int(2);
  session.kind = row.Text(3);
  session.label = row.Text(4);
  session.created_at = row.Int(5);
  session.expires_at = row.Int(6);
  session.revoked_at = row.OptionalInt(7);
  session.last_seen_at = row.OptionalInt(8).value_or(0);
  session.read_only = row.Int(9) != 0;
  return session;
}

// The session and user of a kSessionOfUser query, bound: kNotFound when there is none.
template <class Query>
Result<accounts::SessionOfUser> OneSessionOfUser(Query& query) {
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("session not found");
  Result<accounts::User> user = ReadUser(query, kSessionColumnCount);
  if (!user.ok()) return user.status();
  return accounts::SessionOfUser{ReadSession(query), std::move(user).value()};
}

// The user of the first row of `query` (a kUserColumns query, bound), kNotFound naming `what`
// when there is none.
template <class Query>
Result<accounts::User> OneUser(Query& query, const std::string& what) {
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound(what + " not found");
  return ReadUser(query);
}

}  // namespace rectify::account_sql
