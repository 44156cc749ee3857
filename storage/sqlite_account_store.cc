// SqliteAccountStore: the users and sessions tables (schema version 5); the login throttle's
// memory (version 15) is storage/login_memory.h's.
#include <utility>

#include "storage/login_memory.h"
#include "storage/sqlite_audit.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_account_store.h"

namespace rectify {
namespace {

using accounts::Session;
using accounts::User;
using sqlite::Db;
using sqlite::Query;

// Column order read by ReadUser and ReadSession.
constexpr const char* kUserColumns =
    "SELECT id, username, display_name, unit, roles, disabled, password_hash, created_at, password_changed_at, "
    "town FROM users ";
constexpr const char* kSessionColumns =
    "SELECT id, token_hash, user_id, kind, label, created_at, expires_at, revoked_at FROM sessions ";

Result<User> ReadUser(const Query& row) {
  User user;
  user.id = row.Int(0);
  user.username = row.Text(1);
  user.display_name = row.Text(2);
  user.unit = row.Text(3);
  Result<std::vector<accounts::Role>> roles = accounts::ParseRoles(row.Text(4));
  if (!roles.ok()) return Status::Internal("user " + user.username + " has bad roles: " + roles.status().message());
  user.roles = std::move(roles).value();
  user.disabled = row.Int(5) != 0;
  user.password_hash = row.Text(6);
  user.created_at = row.Int(7);
  user.password_changed_at = row.Int(8);
  user.town = row.Text(9);
  return user;
}

Session ReadSession(const Query& row) {
  Session session;
  session.id = row.Int(0);
  session.token_hash = row.Text(1);
  session.user_id = row.Int(2);
  session.kind = row.Text(3);
  session.label = row.Text(4);
  session.created_at = row.Int(5);
  session.expires_at = row.Int(6);
  session.revoked_at = row.OptionalInt(7);
  return session;
}

// The user of the first row of `query`, kNotFound (naming `what`) when there is none.
Result<User> OneUser(Query& query, const std::string& what) {
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound(what + " not found");
  return ReadUser(query);
}

Status RevokeAll(Db& db, std::int64_t user_id, const accounts::SessionRevocation& revoke) {
  return db
      .Prepare("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND token_hash <> ? "
               "AND (kind = 'session' OR ? = 1)")
      .BindAll(revoke.at, user_id, revoke.keep_token_hash, std::int64_t{revoke.api_tokens_too ? 1 : 0})
      .Run();
}

}  // namespace

Result<User> SqliteAccountStore::AddUser(User user, const AuditRecord& audit) {
  Status written = database_.Write([&](Db& db) {
    Query taken = db.Prepare("SELECT 1 FROM users WHERE username = ?");
    taken.BindAll(user.username);
    Result<bool> row = taken.Step();
    if (!row.ok()) return row.status();
    if (*row) return Status::InvalidArgument("username", "\"" + user.username + "\" is taken");
    RECTIFY_RETURN_IF_ERROR(
        db.Prepare("INSERT INTO users (username, display_name, unit, roles, disabled, password_hash, created_at, "
                   "password_changed_at, town) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .BindAll(user.username, user.display_name, user.unit, accounts::JoinRoles(user.roles),
                     std::int64_t{user.disabled ? 1 : 0}, user.password_hash, user.created_at,
                     user.password_changed_at, user.town)
            .Run());
    user.id = db.LastInsertId();
    return database_.Audit(db, audit);
  });
  if (!written.ok()) return written;
  return user;
}

Result<User> SqliteAccountStore::FindUserByName(const std::string& username) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = lease->db().Prepare(std::string(kUserColumns) + "WHERE username = ?");
  query.BindAll(username);
  return OneUser(query, "user " + username);
}

Result<User> SqliteAccountStore::GetUser(std::int64_t id) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = lease->db().Prepare(std::string(kUserColumns) + "WHERE id = ?");
  query.BindAll(id);
  return OneUser(query, "user " + std::to_string(id));
}

Result<std::vector<User>> SqliteAccountStore::ListUsers() {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = lease->db().Prepare(std::string(kUserColumns) + "ORDER BY username");
  std::vector<User> users;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return users;
    Result<User> user = ReadUser(query);
    if (!user.ok()) return user.status();
    users.push_back(std::move(user).value());
  }
}

Status SqliteAccountStore::UpdateUser(const User& user, const std::optional<accounts::SessionRevocation>& revoke,
                               const AuditRecord& audit) {
  return database_.Write([&](Db& db) {
    RECTIFY_RETURN_IF_ERROR(
        db.Prepare("UPDATE users SET display_name = ?, unit = ?, roles = ?, disabled = ?, password_hash = ?, "
                   "password_changed_at = ? WHERE id = ?")
            .BindAll(user.display_name, user.unit, accounts::JoinRoles(user.roles),
                     std::int64_t{user.disabled ? 1 : 0}, user.password_hash, user.password_changed_at, user.id)
            .Run());
    if (db.Changes() == 0) return Status::NotFound("user " + std::to_string(user.id) + " not found");
    if (revoke) RECTIFY_RETURN_IF_ERROR(RevokeAll(db, user.id, *revoke));
    return database_.Audit(db, audit);
  });
}

Result<Session> SqliteAccountStore::AddSession(Session session, const AuditRecord& audit) {
  Status written = database_.Write([&](Db& db) {
    Query user = db.Prepare("SELECT 1 FROM users WHERE id = ?");
    user.BindAll(session.user_id);
    Result<bool> row = user.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("user " + std::to_string(session.user_id) + " not found");
    RECTIFY_RETURN_IF_ERROR(
        db.Prepare("INSERT INTO sessions (token_hash, user_id, kind, label, created_at, expires_at, revoked_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)")
            .BindAll(session.token_hash, session.user_id, session.kind, session.label, session.created_at,
                     session.expires_at, session.revoked_at)
            .Run());
    session.id = db.LastInsertId();
    return database_.Audit(db, audit);
  });
  if (!written.ok()) return written;
  return session;
}

Result<Session> SqliteAccountStore::FindSession(const std::string& token_hash) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = lease->db().Prepare(std::string(kSessionColumns) + "WHERE token_hash = ?");
  query.BindAll(token_hash);
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("session not found");
  return ReadSession(query);
}

Status SqliteAccountStore::RevokeSession(const std::string& token_hash, Instant at, const AuditRecord& audit) {
  return database_.Write([&](Db& db) {
    RECTIFY_RETURN_IF_ERROR(
        db.Prepare("UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL")
            .BindAll(at, token_hash)
            .Run());
    if (db.Changes() == 0) return Status::NotFound("session not found");
    return database_.Audit(db, audit);
  });
}

Result<int> SqliteAccountStore::PurgeSessions(Instant now, const AuditRecord& audit) {
  int purged = 0;
  const Status done = database_.Write([&](Db& db) {
    RECTIFY_RETURN_IF_ERROR(db.Prepare("DELETE FROM sessions WHERE kind = 'session' AND "
                                       "(expires_at <= ? OR (revoked_at IS NOT NULL AND revoked_at <= ?))")
                                .BindAll(now, now)
                                .Run());
    purged = static_cast<int>(db.Changes());
    if (purged == 0) return Status::Ok();
    AuditRecord counted = audit;
    counted.detail += ": " + std::to_string(purged);
    return database_.Audit(db, counted);
  });
  if (!done.ok()) return done;
  return purged;
}

Result<std::vector<Session>> SqliteAccountStore::ListTokens(std::int64_t user_id) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query =
      lease->db().Prepare(std::string(kSessionColumns) + "WHERE user_id = ? AND kind = 'api_token' ORDER BY id DESC");
  query.BindAll(user_id);
  std::vector<Session> tokens;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return tokens;
    tokens.push_back(ReadSession(query));
  }
}

Status SqliteAccountStore::AppendAudit(const AuditRecord& record) { return database_.AppendAudit(record); }

Result<std::vector<accounts::LoginCounter>> SqliteAccountStore::ReadLoginCounters(const std::vector<std::string>& keys,
                                                                   Instant since) {
  auto lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return login_memory::ReadCounters(lease->db(), keys, since);
}

Result<std::vector<accounts::LoginCounter>> SqliteAccountStore::AddLoginFailure(const std::vector<std::string>& keys, Instant at,
                                                                 Instant since) {
  std::vector<accounts::LoginCounter> counters;
  const Status written = database_.Write([&](Db& conn) {
    auto added = login_memory::AddFailure(conn, keys, at, since);
    if (!added.ok()) return added.status();
    counters = std::move(added).value();
    return Status::Ok();
  });
  if (!written.ok()) return written;
  return counters;
}

Status SqliteAccountStore::ResetLoginCounter(const std::string& key, Instant held_until) {
  return database_.Write([&](Db& conn) { return login_memory::ResetCounter(conn, key, held_until); });
}

Result<bool> SqliteAccountStore::TakeLoginCheck(const std::string& key, Instant now, Instant next) {
  bool taken = false;
  const Status written = database_.Write([&](Db& conn) {
    Result<bool> took = login_memory::TakeCheck(conn, key, now, next);
    if (!took.ok()) return took.status();
    taken = *took;
    return Status::Ok();
  });
  if (!written.ok()) return written;
  return taken;
}

Status SqliteAccountStore::AddFamiliarAddress(const std::string& username, const std::string& address, Instant at, int keep) {
  return database_.Write([&](Db& conn) { return login_memory::AddFamiliar(conn, username, address, at, keep); });
}

Result<bool> SqliteAccountStore::IsFamiliarAddress(const std::string& username, const std::string& address) {
  auto lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return login_memory::IsFamiliar(lease->db(), username, address);
}

}  // namespace rectify
