// One SQLite file as the store adapters share it (sqlite_item_store.h, sqlite_audit_log.h,
// sqlite_attachment_store.h, sqlite_outbox_store.h, sqlite_account_store.h): its connections,
// the write turn, the clock that stamps audit records and the folder of stored files. Items,
// outbox, accounts and files share the file and the turn, so an outbox write queues behind an
// item write instead of failing as busy.
//
// Durability: the file is in WAL mode with synchronous=FULL, so a write that returned Ok has its
// transaction fsynced to the WAL; a crash or kill -9 afterwards loses nothing.
//
// Concurrency: safe from any number of threads. Each read leases its own connection from a
// small pool, so reads run in parallel and never wait for a writer (WAL snapshots). Writes in
// this process take turns on a mutex, then BEGIN IMMEDIATE; another process's writer is waited
// for up to kBusyTimeoutMs (sqlite_pool.h), after which the write fails with kInternal
// ("database is locked").
//
// Errors: anything SQLite reports, including a value its schema refuses, is kInternal with its
// message.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "engine/audit.h"
#include "engine/clock.h"
#include "engine/status.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_pool.h"

namespace rectify {

class SqliteDatabase {
 public:
  // Opens or creates the database at `path`, switches it to WAL and applies the missing
  // schema migrations (sqlite_migrations.h). kInternal when the file cannot be opened, is
  // read-only, or was written by a newer program (its schema version is unknown here).
  // Reads no items: opening costs the same at any size. Audit records are stamped with
  // `clock` (nullptr: the system clock); pass the clock the program runs on (--now).
  static Result<std::unique_ptr<SqliteDatabase>> Open(const std::string& path,
                                                      std::shared_ptr<const Clock> clock = nullptr);

  // A connection for reads, returned to the pool when the lease goes away.
  Result<sqlite::ConnectionPool::Lease> Read();

  // Leases a connection, takes the write turn and runs `body` in a BEGIN IMMEDIATE
  // transaction, committed when `body` returns Ok and rolled back otherwise. Every write of
  // every adapter goes through here.
  Status Write(const std::function<Status(sqlite::Db&)>& body);

  // Appends `record`, stamped now, to the audit log; only inside a body given to Write, so the
  // record commits or rolls back with the change it records.
  Status Audit(sqlite::Db& db, AuditRecord record) const;

  // A write of its own that appends only `record` (an action that changes nothing else).
  // kInvalidArgument (field "action") when the action is empty.
  Status AppendAudit(const AuditRecord& record);

  // Where stored files live: "<database path>.files", as <first two hex digits>/<sha256>.
  const std::string& files_dir() const { return files_dir_; }

 private:
  SqliteDatabase(const std::string& path, std::shared_ptr<const Clock> clock)
      : pool_(path, kMaxIdleConnections), clock_(std::move(clock)), files_dir_(path + ".files") {}

  static constexpr std::size_t kMaxIdleConnections = 16;

  sqlite::ConnectionPool pool_;
  const std::shared_ptr<const Clock> clock_;
  std::mutex write_mutex_;  // in-process writers queue here rather than in SQLite's busy loop
  const std::string files_dir_;
};

}  // namespace rectify
