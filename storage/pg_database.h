// One PostgreSQL database as the PostgreSQL store adapters share it (pg_*_store.h): a pool of
// connections, the way every write runs, and the clock that stamps audit records.
//
// Writes: every write is one transaction (READ COMMITTED) that first locks the audit chain's
// head row (audit_head). Every write of rectify appends to the audit chain, and the chain is one
// line, so writes are ordered there anyway; taking that lock first, before the write reads
// anything, makes each write see every write committed before it and none after, in every
// instance on the database. That is the guarantee SQLite's single writer gives
// (sqlite_database.h), so the adapters' read-check-write bodies (version checks answered 409,
// "not found", duplicate checks) hold as they do on SQLite, with no retry loop. Reads take no
// lock and see the last committed state. A write returns Ok only after COMMIT returned, which
// with PostgreSQL's synchronous_commit = on (its default) means flushed to its WAL.
//
// Errors: anything PostgreSQL reports, including a value the schema refuses, is kInternal with
// its message; a lost connection is dropped from the pool and the next write opens a new one.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/audit.h"
#include "engine/clock.h"
#include "engine/status.h"
#include "ops/metrics.h"
#include "storage/pg_db.h"

namespace rectify {
namespace pg {

// The last record of the audit chain as a write in progress sees it.
struct ChainTip {
  std::int64_t seq = 0;
  std::string hash;
  bool moved = false;  // records appended after it in this transaction: audit_head is behind
};

}  // namespace pg

class PgDatabase {
 public:
  // Connects to `url` (postgresql://user@host/db, or a libpq connection string) and applies the
  // missing migrations (pg_migrations.h). kInternal when it cannot connect or the schema is
  // newer than this program. Audit records are stamped with `clock` (nullptr: the system clock).
  static Result<std::unique_ptr<PgDatabase>> Open(const std::string& url, std::shared_ptr<const Clock> clock = nullptr);

  // A connection held until the lease goes away, then returned to the pool (or dropped when
  // the server went away).
  class Lease {
   public:
    Lease(PgDatabase* database, pg::Conn conn) : database_(database), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept : database_(std::exchange(other.database_, nullptr)), conn_(std::move(other.conn_)) {}
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease();
    pg::Conn& conn() { return conn_; }

   private:
    PgDatabase* database_;
    pg::Conn conn_;
  };

  // A connection for reads. About kMaxConnections are open at once per process (PostgreSQL wants
  // few): a caller beyond them waits for one to come back, up to 2 s, then opens one more; the
  // wait is counted in WriteQueue().wait_seconds.
  Result<Lease> Read();

  // Runs `body` in a write transaction and returns its result: committed when `body` returns
  // Ok, rolled back when it returns an error or throws (the exception reaches the caller). The
  // transaction holds the audit head's lock from its start (see above). `body` must not call
  // Write itself.
  Status Write(const std::function<Status(pg::Conn&)>& body);

  // Appends `record`, stamped now, to the audit log; only inside a body given to Write.
  Status Audit(pg::Conn& conn, AuditRecord record) const;
  // A write of its own that appends only `record`. kInvalidArgument (field "action") when the
  // action is empty.
  Status AppendAudit(const AuditRecord& record);

  ops::WriteQueueFigures WriteQueue() const;
  const std::string& url() const { return url_; }

 private:
  PgDatabase(std::string url, std::shared_ptr<const Clock> clock) : url_(std::move(url)), clock_(std::move(clock)) {}
  void Return(pg::Conn conn);
  // The tip of the write in progress on `conn` (Write made it).
  pg::ChainTip& Tip(const pg::Conn& conn) const;

  // 3 instances x 16 stay within deploy/postgresql/rectify.conf's max_connections = 100. Writes
  // take turns on the audit head anyway; more connections would only wait there.
  static constexpr std::size_t kMaxConnections = 16;

  const std::string url_;
  const std::shared_ptr<const Clock> clock_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<pg::Conn> idle_;
  std::size_t open_ = 0;  // connections leased or idle

  // The chain's tip as each write in progress last saw it (on its connection): Write reads it
  // with the head's lock, Audit appends after it and moves it, and audit_head is written once,
  // before the COMMIT, instead of being read and written for every record (three round trips a
  // record were a quarter of the notifier's tier records on PostgreSQL).
  mutable std::mutex tips_mutex_;
  mutable std::unordered_map<const pg::Conn*, pg::ChainTip> tips_;

  std::atomic<std::int64_t> transactions_{0};
  std::atomic<std::int64_t> queued_{0};
  // Waits for a pooled connection (any caller) and for the audit head's lock (writes).
  std::atomic<std::int64_t> wait_nanoseconds_{0};
};

namespace pg {

// The head (audit_head) as the write holding its lock reads it; inside PgDatabase::Write.
Result<ChainTip> LockChainHead(Conn& conn);
// As sqlite::AppendAudit: appends `record` after `tip` and moves `tip` to it; must run inside
// PgDatabase::Write (which holds the head's lock). A tip that a ROLLBACK TO has left ahead of the
// log (its record undone) is noticed by the INSERT itself, which then finds no record at
// `tip`: it is read again from the log, and the record appended after the true last one.
Status AppendAudit(Conn& conn, AuditRecord record, ChainTip& tip);
// Moves audit_head to the log's last record, before the COMMIT of a write that appended.
Status StoreChainHead(Conn& conn);
// The reads behind AuditLog::AuditRange and ForEachAudit, arguments checked.
Result<std::vector<AuditRecord>> ReadAuditRange(Conn& conn, Instant from, Instant to, std::int64_t after_seq, int limit);
Status VisitAudit(Conn& conn, const std::function<Status(const AuditRecord&)>& visit);

}  // namespace pg
}  // namespace rectify
