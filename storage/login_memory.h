// The login throttle's memory (AccountStore::ReadLoginCounters to IsFamiliarAddress,
// accounts/account.h) on a connection of either database: SQLite and PostgreSQL read the same
// SQL here, and their connection wrappers (sqlite_db.h, pg_db.h) share the calls used, so both
// adapters run this one text. Tables login_failures, login_holds and familiar_addresses (SQLite
// schema version 15, PostgreSQL version 1).
//
// The writes must run inside the database's Write (one transaction, the single writer's turn).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "accounts/account.h"
#include "engine/status.h"
#include "engine/time.h"

namespace rectify::login_memory {

// One key's counter: its failures after a time, its hold and next check (NULL, read as 0, when
// it has none). Parameters: key, since, key.
inline constexpr char kReadCounter[] =
    "SELECT (SELECT count(*) FROM login_failures WHERE key = ? AND at > ?), h.held_until, h.next_check "
    "FROM (SELECT 1) AS one LEFT JOIN login_holds h ON h.key = ?";

template <class Connection>
Result<std::vector<accounts::LoginCounter>> ReadCounters(Connection& conn, const std::vector<std::string>& keys,
                                                         Instant since) {
  std::vector<accounts::LoginCounter> counters;
  for (const std::string& key : keys) {
    auto query = conn.Prepare(kReadCounter);
    query.BindAll(key, since, key);
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Internal("a login counter's read returned no row");
    counters.push_back({static_cast<int>(query.Int(0)), query.Int(1), query.Int(2)});
  }
  return counters;
}

// AddLoginFailure's transaction: forgets what no rule counts any more (failures at or before
// `since`, holds and next checks ended by `at`), then counts the failure under each key.
template <class Connection>
Result<std::vector<accounts::LoginCounter>> AddFailure(Connection& conn, const std::vector<std::string>& keys,
                                                       Instant at, Instant since) {
  RECTIFY_RETURN_IF_ERROR(conn.Prepare("DELETE FROM login_failures WHERE at <= ?").BindAll(since).Run());
  RECTIFY_RETURN_IF_ERROR(
      conn.Prepare("DELETE FROM login_holds WHERE held_until <= ? AND next_check <= ?").BindAll(at, at).Run());
  for (const std::string& key : keys)
    RECTIFY_RETURN_IF_ERROR(conn.Prepare("INSERT INTO login_failures (key, at) VALUES (?, ?)").BindAll(key, at).Run());
  return ReadCounters(conn, keys, since);
}

template <class Connection>
Status ResetCounter(Connection& conn, const std::string& key, Instant held_until) {
  RECTIFY_RETURN_IF_ERROR(conn.Prepare("DELETE FROM login_failures WHERE key = ?").BindAll(key).Run());
  if (held_until == 0) return conn.Prepare("DELETE FROM login_holds WHERE key = ?").BindAll(key).Run();
  return conn
      .Prepare("INSERT INTO login_holds (key, held_until, next_check) VALUES (?, ?, 0) "
               "ON CONFLICT (key) DO UPDATE SET held_until = excluded.held_until, next_check = 0")
      .BindAll(key, held_until)
      .Run();
}

// One statement, so that the turn is checked and taken at once; RETURNING yields a row only
// when it was taken (the upsert's WHERE held it back otherwise).
template <class Connection>
Result<bool> TakeCheck(Connection& conn, const std::string& key, Instant now, Instant next) {
  auto query = conn.Prepare(
      "INSERT INTO login_holds (key, held_until, next_check) VALUES (?, 0, ?) "
      "ON CONFLICT (key) DO UPDATE SET next_check = excluded.next_check WHERE login_holds.next_check <= ? "
      "RETURNING next_check");
  query.BindAll(key, next, now);
  return query.Step();
}

template <class Connection>
Status AddFamiliar(Connection& conn, const std::string& username, const std::string& address, Instant at, int keep) {
  RECTIFY_RETURN_IF_ERROR(conn.Prepare("INSERT INTO familiar_addresses (username, address, at) VALUES (?, ?, ?) "
                                       "ON CONFLICT (username, address) DO UPDATE SET at = excluded.at")
                              .BindAll(username, address, at)
                              .Run());
  return conn
      .Prepare("DELETE FROM familiar_addresses WHERE username = ? AND address NOT IN "
               "(SELECT address FROM familiar_addresses WHERE username = ? ORDER BY at DESC, address LIMIT ?)")
      .BindAll(username, username, std::int64_t{keep})
      .Run();
}

template <class Connection>
Result<bool> IsFamiliar(Connection& conn, const std::string& username, const std::string& address) {
  auto query = conn.Prepare("SELECT 1 FROM familiar_addresses WHERE username = ? AND address = ?");
  query.BindAll(username, address);
  return query.Step();
}

}  // namespace rectify::login_memory
