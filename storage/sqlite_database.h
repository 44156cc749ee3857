// One SQLite file as every store adapter uses it: its connections, this process's one write
// turn, and the clock audit records are stamped with. The adapters of the file (SqliteStore,
// SqliteSurveyStore) share one Database, so their writers queue on one mutex rather than in
// SQLite's busy loop, and they append to one audit chain.
//
// Durability and concurrency as storage/sqlite_store.h describes them: WAL with synchronous=FULL,
// a connection leased per call, writes in BEGIN IMMEDIATE transactions one at a time.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "engine/audit.h"
#include "engine/clock.h"
#include "engine/status.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_pool.h"

namespace rectify::sqlite {

class Database {
 public:
  // Opens or creates the database at `path`, applies the missing schema migrations
  // (sqlite_migrations.h) and switches it to WAL. kInternal when the file cannot be opened, is
  // read-only, or was written by a newer program. Audit records are stamped with `clock`
  // (nullptr: the system clock). Files kept beside the database go to "<path>.files".
  static Result<std::shared_ptr<Database>> Open(const std::string& path, std::shared_ptr<const Clock> clock = nullptr);

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // A connection for reads, held until the lease goes away.
  Result<ConnectionPool::Lease> Read() { return pool_.Acquire(); }
  ConnectionPool& pool() { return pool_; }

  // Leases a connection, takes the write turn and runs `body` in a BEGIN IMMEDIATE transaction,
  // committed when `body` returns Ok and rolled back otherwise.
  Status Write(const std::function<Status(Db&)>& body);
  // Appends `record`, stamped now, to the audit log; only inside a body given to Write.
  Status Audit(Db& db, AuditRecord record) const;

  // The directory of the files kept by content beside the database (storage/file_blobs.h).
  const std::string& files_dir() const { return files_dir_; }

 private:
  Database(const std::string& path, std::shared_ptr<const Clock> clock);

  static constexpr std::size_t kMaxIdleConnections = 16;

  ConnectionPool pool_;
  const std::shared_ptr<const Clock> clock_;
  std::mutex write_mutex_;  // in-process writers queue here rather than in SQLite's busy loop
  const std::string files_dir_;
};

}  // namespace rectify::sqlite
