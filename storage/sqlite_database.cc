#include "storage/sqlite_database.h"

#include <chrono>
#include <utility>

#include "storage/sqlite_audit.h"
#include "storage/sqlite_migrations.h"

namespace rectify::sqlite {
namespace {

// The default clock of audit records. The binary passes its own (app/clocks.h), which
// storage/ cannot include.
class WallClock final : public Clock {
 public:
  Instant Now() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

Status SetJournalModeWal(Db& db) {
  Query query = db.Prepare("PRAGMA journal_mode = WAL");
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row || query.Text(0) != "wal") {
    return Status::Internal("sqlite: could not switch the database to WAL mode");
  }
  return Status::Ok();
}

}  // namespace

Database::Database(const std::string& path, std::shared_ptr<const Clock> clock)
    : pool_(path, kMaxIdleConnections), clock_(std::move(clock)), files_dir_(path + ".files") {}

Result<std::shared_ptr<Database>> Database::Open(const std::string& path, std::shared_ptr<const Clock> clock) {
  Result<Db> db = OpenConnection(path);
  if (!db.ok()) return db.status();
  // Migrating first leaves a file written by a newer program untouched when it is refused.
  RECTIFY_RETURN_IF_ERROR(Migrate(*db, SchemaMigrations()));
  RECTIFY_RETURN_IF_ERROR(SetJournalModeWal(*db));
  if (clock == nullptr) clock = std::make_shared<WallClock>();
  std::shared_ptr<Database> database(new Database(path, std::move(clock)));
  database->pool_.Add(std::move(db).value());
  return database;
}

Status Database::Write(const std::function<Status(Db&)>& body) {
  Result<ConnectionPool::Lease> lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  std::lock_guard<std::mutex> turn(write_mutex_);
  Result<Transaction> tx = Transaction::Begin(lease->db(), Transaction::Mode::kWrite);
  if (!tx.ok()) return tx.status();
  RECTIFY_RETURN_IF_ERROR(body(lease->db()));
  return tx->Commit();
}

Status Database::Audit(Db& db, AuditRecord record) const {
  // Read inside the write turn, so records stamped by one process follow its clock in seq order.
  record.at = clock_->Now();
  return AppendAudit(db, std::move(record));
}

}  // namespace rectify::sqlite
