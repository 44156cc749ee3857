#include "storage/pg_account_store.h"

#include <string>
#include <utility>

#include "storage/account_sql.h"
#include "storage/login_memory.h"

namespace rectify {
namespace {

using account_sql::OneUser;
using account_sql::ReadSession;
using account_sql::ReadUser;
using accounts::Session;
using accounts::SessionOfUser;
using accounts::User;
using pg::Conn;
using pg::Query;

// True when `sql` (one bound parameter) finds a row.
Result<bool> Exists(Conn& conn, const char* sql, std::int64_t id) {
  Query query = conn.Prepare(sql);
  query.BindAll(id);
  return query.Step();
}

Status RevokeAll(Conn& conn, std::int64_t user_id, const accounts::SessionRevocation& revoke) {
  return conn
      .Prepare(account_sql::kRevokeAll)
      .BindAll(revoke.at, user_id, revoke.keep_token_hash, std::int64_t{revoke.api_tokens_too ? 1 : 0})
      .Run();
}

}  // namespace

Result<User> PgAccountStore::AddUser(User user, const AuditRecord& audit) {
  Status written = database_.Write([&](Conn& conn) {
    // Checked here so that a taken name is kInvalidArgument, not the unique index's kInternal.
    Query taken = conn.Prepare(account_sql::kUserNamed);
    taken.BindAll(user.username);
    Result<bool> row = taken.Step();
    if (!row.ok()) return row.status();
    if (*row) return Status::InvalidArgument("username", "\"" + user.username + "\" is taken");
    Query insert = conn.Prepare(std::string(account_sql::kInsertUser) + " RETURNING id");
    insert.BindAll(user.username, user.display_name, user.unit, accounts::JoinRoles(user.roles),
                   std::int64_t{user.disabled ? 1 : 0}, user.password_hash, user.created_at,
                   user.password_changed_at, user.town);
    Result<bool> inserted = insert.Step();
    if (!inserted.ok()) return inserted.status();
    user.id = insert.Int(0);
    return database_.Audit(conn, audit);
  });
  if (!written.ok()) return written;
  return user;
}

Result<User> PgAccountStore::FindUserByName(const std::string& username) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = lease->conn().Prepare(std::string(account_sql::kUserColumns) + "WHERE username = ?");
  query.BindAll(username);
  return OneUser(query, "user " + username);
}

Result<User> PgAccountStore::GetUser(std::int64_t id) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = lease->conn().Prepare(std::string(account_sql::kUserColumns) + "WHERE id = ?");
  query.BindAll(id);
  return OneUser(query, "user " + std::to_string(id));
}

Result<std::vector<User>> PgAccountStore::ListUsers() {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
  Query query = lease->conn().Prepare(std::string(account_sql::kUserColumns) + "ORDER BY username COLLATE \"C\"");
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

Status PgAccountStore::UpdateUser(const User& user, const std::optional<accounts::SessionRevocation>& revoke,
                                  const AuditRecord& audit) {
  return database_.Write([&](Conn& conn) {
    Query update = conn.Prepare(account_sql::kUpdateUser);
    update.BindAll(user.display_name, user.unit, accounts::JoinRoles(user.roles), std::int64_t{user.disabled ? 1 : 0},
                   user.password_hash, user.password_changed_at, user.town, user.id);
    RECTIFY_RETURN_IF_ERROR(update.Run());
    if (update.Changes() == 0) return Status::NotFound("user " + std::to_string(user.id) + " not found");
    if (revoke) RECTIFY_RETURN_IF_ERROR(RevokeAll(conn, user.id, *revoke));
    return database_.Audit(conn, audit);
  });
}

Result<Session> PgAccountStore::AddSession(Session session, const AuditRecord& audit) {
  Status written = database_.Write([&](Conn& conn) {
    Result<bool> user = Exists(conn, account_sql::kUserExists, session.user_id);
    if (!user.ok()) return user.status();
    if (!*user) return Status::NotFound("user " + std::to_string(session.user_id) + " not found");
    Query insert = conn.Prepare(std::string(account_sql::kInsertSession) + " RETURNING id");
    insert.BindAll(session.token_hash, session.user_id, session.kind, session.label, session.created_at,
                   session.expires_at, session.revoked_at, session.read_only ? 1 : 0);
    Result<bool> inserted = insert.Step();
    if (!inserted.ok()) return inserted.status();
    session.id = insert.Int(0);
    return database_.Audit(conn, audit);
  });
  if (!written.ok()) return written;
  return session;
}

Result<SessionOfUser> PgAccountStore::FindSession(const std::string& token_hash) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = lease->conn().Prepare(account_sql::kSessionOfUser);
  query.BindAll(token_hash);
  return account_sql::OneSessionOfUser(query);
}

Status PgAccountStore::TouchSession(const std::string& token_hash, Instant at) {
  return database_.Write([&](Conn& conn) {
    Query touch = conn.Prepare(account_sql::kTouchSession);
    touch.BindAll(at, token_hash);
    return touch.Run();
  });
}

Status PgAccountStore::RevokeSession(const std::string& token_hash, Instant at, const AuditRecord& audit) {
  return database_.Write([&](Conn& conn) {
    Query revoke = conn.Prepare(account_sql::kRevokeSession);
    revoke.BindAll(at, token_hash);
    RECTIFY_RETURN_IF_ERROR(revoke.Run());
    if (revoke.Changes() == 0) return Status::NotFound("session not found");
    return database_.Audit(conn, audit);
  });
}

Result<int> PgAccountStore::PurgeSessions(Instant now, const AuditRecord& audit) {
  int purged = 0;
  const Status done = database_.Write([&](Conn& conn) {
    Query purge = conn.Prepare(account_sql::kPurgeSessions);
    purge.BindAll(now, now);
    RECTIFY_RETURN_IF_ERROR(purge.Run());
    purged = static_cast<int>(purge.Changes());
    if (purged == 0) return Status::Ok();
    AuditRecord counted = audit;
    counted.detail += ": " + std::to_string(purged);
    return database_.Audit(conn, counted);
  });
  if (!done.ok()) return done;
  return purged;
}

Result<std::vector<Session>> PgAccountStore::ListTokens(std::int64_t user_id) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = lease->conn().Prepare(std::string(account_sql::kSessionColumns) +
                                      "WHERE user_id = ? AND kind = 'api_token' ORDER BY id DESC");
  query.BindAll(user_id);
  std::vector<Session> tokens;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return tokens;
    tokens.push_back(ReadSession(query));
  }
}

Status PgAccountStore::AppendAudit(const AuditRecord& record) { return database_.AppendAudit(record); }

Result<std::vector<accounts::LoginCounter>> PgAccountStore::ReadLoginCounters(const std::vector<std::string>& keys,
                                                                   Instant since) {
  auto lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return login_memory::ReadCounters(lease->conn(), keys, since);
}

Result<std::vector<accounts::LoginCounter>> PgAccountStore::AddLoginFailure(const std::vector<std::string>& keys, Instant at,
                                                                 Instant since) {
  std::vector<accounts::LoginCounter> counters;
  const Status written = database_.Write([&](Conn& conn) {
    auto added = login_memory::AddFailure(conn, keys, at, since);
    if (!added.ok()) return added.status();
    counters = std::move(added).value();
    return Status::Ok();
  });
  if (!written.ok()) return written;
  return counters;
}

Status PgAccountStore::ResetLoginCounter(const std::string& key, Instant held_until) {
  return database_.Write([&](Conn& conn) { return login_memory::ResetCounter(conn, key, held_until); });
}

Result<bool> PgAccountStore::TakeLoginCheck(const std::string& key, Instant now, Instant next) {
  bool taken = false;
  const Status written = database_.Write([&](Conn& conn) {
    Result<bool> took = login_memory::TakeCheck(conn, key, now, next);
    if (!took.ok()) return took.status();
    taken = *took;
    return Status::Ok();
  });
  if (!written.ok()) return written;
  return taken;
}

Status PgAccountStore::AddFamiliarAddress(const std::string& username, const std::string& address, Instant at, int keep) {
  return database_.Write([&](Conn& conn) { return login_memory::AddFamiliar(conn, username, address, at, keep); });
}

Result<bool> PgAccountStore::IsFamiliarAddress(const std::string& username, const std::string& address) {
  auto lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return login_memory::IsFamiliar(lease->conn(), username, address);
}

}  // namespace rectify
