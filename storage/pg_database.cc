#include "storage/pg_database.h"

#include <utility>

#include "storage/pg_migrations.h"

namespace rectify {
namespace {

class WallClock final : public Clock {
 public:
  Instant Now() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

constexpr std::chrono::seconds kPoolWait{2};

// Read by VisitAudit a page at a time, so that checking a long chain holds one page in memory.
constexpr std::int64_t kAuditPage = 2000;

constexpr const char* kAuditColumns = "SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM audit_log ";

AuditRecord ReadRecord(const pg::Query& row) {
  AuditRecord record;
  record.seq = row.Int(0);
  record.at = row.Int(1);
  record.actor = row.Text(2);
  record.action = row.Text(3);
  record.subject = row.Text(4);
  record.detail = row.Text(5);
  record.prev_hash = row.Text(6);
  record.hash = row.Text(7);
  return record;
}

}  // namespace

Result<std::unique_ptr<PgDatabase>> PgDatabase::Open(const std::string& url, std::shared_ptr<const Clock> clock) {
  Result<pg::Conn> conn = pg::Conn::Open(url);
  if (!conn.ok()) return conn.status();
  RECTIFY_RETURN_IF_ERROR(pg::Migrate(*conn, pg::SchemaMigrations()));
  if (clock == nullptr) clock = std::make_shared<WallClock>();
  std::unique_ptr<PgDatabase> database(new PgDatabase(url, std::move(clock)));
  database->open_ = 1;
  database->Return(std::move(conn).value());
  return database;
}

PgDatabase::Lease::~Lease() {
  if (database_ != nullptr) database_->Return(std::move(conn_));
}

void PgDatabase::Return(pg::Conn conn) {
  std::lock_guard<std::mutex> lock(mutex_);
  // A connection left inside a transaction (an exception in a body) or cut off is not reused.
  if (conn.Healthy() && !conn.InTransaction()) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;
  }
  returned_.notify_one();
}

Result<PgDatabase::Lease> PgDatabase::Read() {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (idle_.empty() && open_ >= kMaxConnections) {
      const auto waiting_since = std::chrono::steady_clock::now();
      // Bounded: a caller that already holds a lease (a visit that reads more) must not wait
      // forever for connections that callers like it hold. Past the wait it opens one more.
      returned_.wait_for(lock, kPoolWait, [this] { return !idle_.empty() || open_ < kMaxConnections; });
      wait_nanoseconds_ += std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                                                 waiting_since)
                               .count();
    }
    while (!idle_.empty()) {
      pg::Conn conn = std::move(idle_.back());
      idle_.pop_back();
      if (conn.StillOpen()) return Lease(this, std::move(conn));
      --open_;  // ended by the server while idle: dropped, and another taken or opened
    }
    ++open_;  // reserved before connecting, outside the lock
  }
  Result<pg::Conn> conn = pg::Conn::Open(url_);
  if (!conn.ok()) {
    std::lock_guard<std::mutex> lock(mutex_);
    --open_;
    returned_.notify_one();
    return conn.status();
  }
  return Lease(this, std::move(conn).value());
}

Status PgDatabase::Write(const std::function<Status(pg::Conn&)>& body) {
  ++queued_;
  struct Dequeue {
    std::atomic<std::int64_t>& queued;
    ~Dequeue() { --queued; }
  } dequeue{queued_};

  Result<Lease> lease = Read();
  if (!lease.ok()) return lease.status();
  pg::Conn& conn = lease->conn();
  Result<pg::Transaction> transaction = pg::Transaction::Begin(conn);
  if (!transaction.ok()) return transaction.status();
  const auto locking_since = std::chrono::steady_clock::now();
  Result<pg::ChainTip> head = pg::LockChainHead(conn);
  if (!head.ok()) return head.status();
  wait_nanoseconds_ +=
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - locking_since).count();
  ++transactions_;
  {
    std::lock_guard<std::mutex> lock(tips_mutex_);
    tips_[&conn] = std::move(*head);
  }
  struct Forget {
    PgDatabase& database;
    const pg::Conn* conn;
    ~Forget() {
      std::lock_guard<std::mutex> lock(database.tips_mutex_);
      database.tips_.erase(conn);
    }
  } forget{*this, &conn};
  RECTIFY_RETURN_IF_ERROR(body(conn));
  if (Tip(conn).moved) RECTIFY_RETURN_IF_ERROR(pg::StoreChainHead(conn));
  return transaction->Commit();
}

pg::ChainTip& PgDatabase::Tip(const pg::Conn& conn) const {
  std::lock_guard<std::mutex> lock(tips_mutex_);
  return tips_.at(&conn);  // the node stays put while other writes come and go
}

Status PgDatabase::Audit(pg::Conn& conn, AuditRecord record) const {
  {
    std::lock_guard<std::mutex> lock(tips_mutex_);
    if (tips_.count(&conn) == 0) return Status::Internal("audit record appended outside a write transaction");
  }
  record.at = clock_->Now();
  return pg::AppendAudit(conn, std::move(record), Tip(conn));
}

Status PgDatabase::AppendAudit(const AuditRecord& record) {
  if (record.action.empty()) return Status::InvalidArgument("action", "must not be empty");
  return Write([&](pg::Conn& conn) { return Audit(conn, record); });
}

ops::WriteQueueFigures PgDatabase::WriteQueue() const {
  ops::WriteQueueFigures figures;
  // One write is one transaction here: PostgreSQL commits each on its own.
  figures.transactions = transactions_.load();
  figures.writes = transactions_.load();
  figures.wait_seconds = static_cast<double>(wait_nanoseconds_.load()) / 1e9;
  figures.queued = queued_.load();
  return figures;
}

namespace pg {

Result<ChainTip> LockChainHead(Conn& conn) {
  Query head = conn.Prepare("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE");
  Result<bool> found = head.Step();
  if (!found.ok()) return found.status();
  if (!*found) return Status::Internal("postgresql: the audit chain's head row is missing");
  return ChainTip{head.Int(0), head.Text(1), false};
}

namespace {

// The log's last record (the genesis before any), as written in this transaction so far.
Result<ChainTip> ReadLastRecord(Conn& conn) {
  Query last = conn.Prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  Result<bool> found = last.Step();
  if (!found.ok()) return found.status();
  if (!*found) return ChainTip{0, kAuditGenesisHash, false};
  return ChainTip{last.Int(0), last.Text(1), false};
}

}  // namespace

Status AppendAudit(Conn& conn, AuditRecord record, ChainTip& tip) {
  if (!conn.InTransaction()) return Status::Internal("audit record appended outside a write transaction");
  // Appended only where `tip` is the log's last record: the record at tip.seq is there with its
  // hash (none for the genesis), and the primary key refuses a second record at a seq.
  constexpr const char* kAppendAfterTip =
      "INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash) "
      "SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), "
      "CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT) "
      "WHERE CAST(? AS BIGINT) = 0 OR EXISTS (SELECT 1 FROM audit_log WHERE seq = CAST(? AS BIGINT) AND hash = ?)";
  for (int attempt = 0; attempt < 2; ++attempt) {
    const AuditRecord sealed = SealAuditRecord(record, tip.seq + 1, tip.hash);
    auto append = conn.Prepare(kAppendAfterTip);
    append.BindAll(sealed.seq, sealed.at, sealed.actor, sealed.action, sealed.subject, sealed.detail, sealed.prev_hash,
                   sealed.hash, tip.seq, tip.seq, tip.hash);
    RECTIFY_RETURN_IF_ERROR(append.Run());
    if (append.Changes() == 1) {
      tip = ChainTip{sealed.seq, sealed.hash, true};
      return Status::Ok();
    }
    // A ROLLBACK TO took the tip's record away: the log's last record is the tip.
    Result<ChainTip> last = ReadLastRecord(conn);
    if (!last.ok()) return last.status();
    tip.seq = last->seq;
    tip.hash = last->hash;
  }
  return Status::Internal("postgresql: the audit chain's last record moved while its head was locked");
}

Status StoreChainHead(Conn& conn) {
  // From the log, not from a tip: a ROLLBACK TO after the last append leaves the tip ahead.
  return conn
      .Prepare("UPDATE audit_head SET seq = last.seq, hash = last.hash "
               "FROM (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1) AS last WHERE audit_head.id = 1")
      .Run();
}

Result<std::vector<AuditRecord>> ReadAuditRange(Conn& conn, Instant from, Instant to, std::int64_t after_seq,
                                                int limit) {
  Query query = conn.Prepare(std::string(kAuditColumns) + "WHERE seq > ? AND at >= ? AND at < ? ORDER BY seq LIMIT ?");
  query.BindAll(after_seq, from, to, std::int64_t{limit});
  std::vector<AuditRecord> records;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return records;
    records.push_back(ReadRecord(query));
  }
}

Status VisitAudit(Conn& conn, const std::function<Status(const AuditRecord&)>& visit) {
  std::int64_t after = 0;
  while (true) {
    Query query = conn.Prepare(std::string(kAuditColumns) + "WHERE seq > ? ORDER BY seq LIMIT ?");
    query.BindAll(after, kAuditPage);
    std::int64_t read = 0;
    while (true) {
      Result<bool> row = query.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      const AuditRecord record = ReadRecord(query);
      after = record.seq;
      ++read;
      RECTIFY_RETURN_IF_ERROR(visit(record));
    }
    if (read < kAuditPage) return Status::Ok();
  }
}

}  // namespace pg
}  // namespace rectify
