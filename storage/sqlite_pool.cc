#include "storage/sqlite_pool.h"

namespace rectify::sqlite {

Result<Db> OpenConnection(const std::string& path, Access access) {
  Result<Db> db = Db::Open(path, access == Access::kReadOnly ? Db::Mode::kReadOnly : Db::Mode::kReadWrite);
  if (!db.ok()) return db;
  db->SetBusyTimeout(kBusyTimeoutMs);
  if (access == Access::kReadOnly) {
    if (db->Exec("SELECT count(*) FROM sqlite_schema").ok()) return db;
    // A WAL database in a folder this process may not write: SQLite cannot make the shared
    // memory file it reads the WAL through. No one can be writing it without that folder
    // either, so it is read as the file stands.
    return Db::Open(path, Db::Mode::kImmutable);
  }
  // SQLite silently opens a file it may not write read-only; the store needs to write, and
  // failing here names the cause instead of a later "attempt to write a readonly database".
  if (db->ReadOnly()) return Status::PermissionDenied("sqlite: database file " + path + " is read-only");
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
  Result<Db> db = OpenConnection(path_, access_);
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
