// SqliteAccountStore: the users and sessions tables (schema version 5); the login throttle's
// memory (version 15) is storage/login_memory.h's.
#include <utility>

#include "storage/account_sql.h"
#include "storage/login_memory.h"
#include "storage/sqlite_audit.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_account_store.h"

namespace rectify {
namespace {

using account_sql::OneUser;
using account_sql::ReadSession;
using account_sql::ReadUser;
using accounts::Session;
using accounts::SessionOfUser;
using accounts::User;
using sqlite::Db;
using sqlite::Query;

Status RevokeAll(Db& db, std::int64_t user_id, const accounts::SessionRevocation& revoke) {
  return db
      .Prepare(account_sql::kRevokeAll)
      .BindAll(revoke.at, user_id, revoke.keep_token_hash, std::int64_t{revoke.api_tokens_too ? 1 : 0})
      .Run();
}

}  // namespace

Result<User> SqliteAccountStore::AddUser(User user, const AuditRecord& audit) {
  Status written = database_.Write([&](Db& db) {
    Query taken = db.Prepare(account_sql::kUserNamed);
    taken.BindAll(user.username);
    Result<bool> row = taken.Step();
    if (!row.ok()) return row.status();
    if (*row) return Status::InvalidArgument("username", "\"" + user.username + "\" is taken");
    RECTIFY_RETURN_IF_ERROR(
        db.Prepare(account_sql::kInsertUser)
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
  Query query = lease->db().Prepare(std::string(account_sql::kUserColumns) + "WHERE username = ?");
  query.BindAll(username);
  return OneUser(query, "user " + username);
}

Result<User> SqliteAccountStore::GetUser(std::int64_t id) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = lease->db().Prepare(std::string(account_sql::kUserColumns) + "WHERE id = ?");
  query.BindAll(id);
  return OneUser(query, "user " + std::to_string(id));
}

Result<std::vector<User>> SqliteAccountStore::ListUsers() {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = lease->db().Prepare(std::string(account_sql::kUserColumns) + "ORDER BY username");
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
        db.Prepare(account_sql::kUpdateUser)
            .BindAll(user.display_name, user.unit, accounts::JoinRoles(user.roles),
                     std::int64_t{user.disabled ? 1 : 0}, user.password_hash, user.password_changed_at, user.town, user.id)
            .Run());
    if (db.Changes() == 0) return Status::NotFound("user " + std::to_string(user.id) + " not found");
    if (revoke) RECTIFY_RETURN_IF_ERROR(RevokeAll(db, user.id, *revoke));
    return database_.Audit(db, audit);
  });
}

Result<Session> SqliteAccountStore::AddSession(Session session, const AuditRecord& audit) {
  Status written = database_.Write([&](Db& db) {
    Query user = db.Prepare(account_sql::kUserExists);
    user.BindAll(session.user_id);
    Result<bool> row = user.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("user " + std::to_string(session.user_id) + " not found");
    RECTIFY_RETURN_IF_ERROR(
        db.Prepare(account_sql::kInsertSession)
            .BindAll(session.token_hash, session.user_id, session.kind, session.label, session.created_at,
                     session.expires_at, session.revoked_at, session.read_only ? 1 : 0)
            .Run());
    session.id = db.LastInsertId();
    return database_.Audit(db, audit);
  });
  if (!written.ok()) return written;
  return session;
}

Result<SessionOfUser> SqliteAccountStore::FindSession(const std::string& token_hash) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = lease->db().Prepare(account_sql::kSessionOfUser);
  query.BindAll(token_hash);
  return account_sql::OneSessionOfUser(query);
}

Status SqliteAccountStore::TouchSession(const std::string& token_hash, Instant at) {
  return database_.Write(
      [&](Db& db) { return db.Prepare(account_sql::kTouchSession).BindAll(at, token_hash).Run(); });
}

Status SqliteAccountStore::RevokeSession(const std::string& token_hash, Instant at, const AuditRecord& audit) {
  return database_.Write([&](Db& db) {
    RECTIFY_RETURN_IF_ERROR(
        db.Prepare(account_sql::kRevokeSession)
            .BindAll(at, token_hash)
            .Run());
    if (db.Changes() == 0) return Status::NotFound("session not found");
    return database_.Audit(db, audit);
  });
}

Result<int> SqliteAccountStore::PurgeSessions(Instant now, const AuditRecord& audit) {
  int purged = 0;
  const Status done = database_.Write([&](Db& db) {
    RECTIFY_RETURN_IF_ERROR(db.Prepare(account_sql::kPurgeSessions).BindAll(now, now).Run());
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
      lease->db().Prepare(std::string(account_sql::kSessionColumns) + "WHERE user_id = ? AND kind = 'api_token' ORDER BY id DESC");
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
