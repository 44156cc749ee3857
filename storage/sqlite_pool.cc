#include "storage/sqlite_pool.h"

namespace rectify::sqlite {

Result<Db> OpenConnection(const std::string& path) {
  Result<Db> db = Db::Open(path);
  if (!db.ok()) return db;
  // SQLite silently opens a file it may not write read-only; the store needs to write, and
  // failing here names the cause instead of a later "attempt to write a readonly database".
  if (db->ReadOnly()) return Status::Internal("sqlite: database file " + path + " is read-only");
  db->SetBusyTimeout(kBusyTimeoutMs);
  RECTIFY_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
                                   "PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = " +
                                   std::to_string(kWalSizeLimitBytes) + ";"));
  return db;
}

Result<ConnectionPool::Lease> ConnectionPool::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      Db db = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(db));
    }
  }
  // Opened outside the lock: opening reads the file and must not hold up other callers.
  Result<Db> db = OpenConnection(path_);
  if (!db.ok()) return db.status();
  return Lease(this, std::move(db).value());
}

void ConnectionPool::Return(Db db) {
  // A connection left inside a transaction (a failed rollback) would hold locks: drop it.
  if (db.InTransaction()) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(db));
}

}  // namespace rectify::sqlite
