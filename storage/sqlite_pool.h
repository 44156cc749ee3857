// Connections to one SQLite file, opened on demand and kept for reuse. A caller leases a
// connection for the length of one store call, so concurrent callers each have their own
// (SQLite connections are not shared between threads) and in WAL mode readers never wait for
// the writer. Every connection is configured the same way (see OpenConnection).
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "engine/status.h"
#include "storage/sqlite_db.h"

namespace rectify::sqlite {

// How long a connection waits for another connection's (or process's) write lock before
// giving up with "database is locked".
inline constexpr int kBusyTimeoutMs = 5000;

// What the WAL file is cut back to when it starts over after a checkpoint (a WAL that grew
// during a large import would otherwise keep its size on disk).
inline constexpr long long kWalSizeLimitBytes = 64LL << 20;

// Opens `path` as the store uses it: synchronous=FULL (a commit is on disk when it returns,
// WAL included), foreign keys enforced, the busy timeout set, and no automatic checkpoint: a
// COMMIT never copies the WAL back, whoever opens the file checkpoints it (SqliteDatabase runs
// sqlite_checkpointer.h). kInternal when the file cannot be opened, kPermissionDenied when
// this process may only read it. Does not change the journal mode: that is the file's, set once
// by the store's Open.
//
// kReadOnly opens the file for reading only (commands that only read, on a copy they may not
// write): no write is ever tried on it.
enum class Access { kReadWrite, kReadOnly };
Result<Db> OpenConnection(const std::string& path, Access access = Access::kReadWrite);

class ConnectionPool {
 public:
  // Keeps at most `max_idle` unused connections open; more may be leased at once.
  ConnectionPool(std::string path, std::size_t max_idle, Access access = Access::kReadWrite)
      : path_(std::move(path)), max_idle_(max_idle), access_(access) {}

  // A connection held until the lease goes away, then returned to the pool.
  class Lease {
   public:
    Lease(ConnectionPool* pool, Db db) : pool_(pool), db_(std::move(db)) {}
    Lease(Lease&& other) noexcept : pool_(std::exchange(other.pool_, nullptr)), db_(std::move(other.db_)) {}
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease() {
      if (pool_ != nullptr) pool_->Return(std::move(db_));
    }
    Db& db() { return db_; }

   private:
    ConnectionPool* pool_;
    Db db_;
  };

  // An idle connection, or a new one. kInternal when a new one cannot be opened.
  Result<Lease> Acquire();
  // Adds an already opened connection to the idle ones.
  void Add(Db db) { Return(std::move(db)); }

 private:
  void Return(Db db);

  const std::string path_;
  const std::size_t max_idle_;
  const Access access_;
  std::mutex mutex_;
  std::vector<Db> idle_;  // guarded by mutex_
};

}  // namespace rectify::sqlite
