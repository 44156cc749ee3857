#include "storage/sqlite_database.h"

#include <chrono>
#include <utility>

#include "storage/sqlite_audit.h"
#include "storage/sqlite_migrations.h"

namespace rectify {
namespace {

using sqlite::Db;
using sqlite::Query;

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

// The history notes wait in note_text_queue (schema 17) and join the search index in bulk, just
// before the COMMIT of the transaction that brings the queue to kNotesPerIndexing. FTS5 writes a
// new segment every time it is written to (and at every SAVEPOINT and RELEASE, hence the queue):
// indexing each group's few notes at its own commit cost four pages of WAL a commit, a third of a
// transition's (measured by make bench: 20 -> 13.7 KiB of disk a transition, 3,540-3,790 ->
// 4,080-4,310 transitions/s at 8 clients). Until they are moved a search reads the queued notes
// row by row (item_sql.cc).
Status IndexQueuedNotes(Db& db) {
  {
    Query queued = db.Prepare("SELECT count(*) FROM note_text_queue");
    Result<bool> row = queued.Step();
    if (!row.ok()) return row.status();
    if (!*row || queued.Int(0) < SqliteDatabase::kNotesPerIndexing) return Status::Ok();
  }  // the query is reset here, before its table is written
  RECTIFY_RETURN_IF_ERROR(
      db.Prepare("INSERT INTO note_text (rowid, note, item_id) SELECT seq, note, item_id FROM note_text_queue").Run());
  return db.Prepare("DELETE FROM note_text_queue").Run();
}

}  // namespace

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const std::string& path,
                                                             std::shared_ptr<const Clock> clock) {
  Result<Db> db = sqlite::OpenConnection(path);
  if (!db.ok()) return db.status();
  // Migrating first leaves a file written by a newer program untouched when it is refused.
  RECTIFY_RETURN_IF_ERROR(sqlite::Migrate(*db, sqlite::SchemaMigrations()));
  RECTIFY_RETURN_IF_ERROR(SetJournalModeWal(*db));
  if (clock == nullptr) clock = std::make_shared<WallClock>();
  std::unique_ptr<SqliteDatabase> database(new SqliteDatabase(path, std::move(clock)));
  Result<std::unique_ptr<sqlite::Checkpointer>> checkpointer = sqlite::Checkpointer::Start(path, database->writes_);
  if (!checkpointer.ok()) return checkpointer.status();
  database->checkpointer_ = std::move(checkpointer).value();
  database->pool_.Add(std::move(db).value());
  return database;
}

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::OpenReadOnly(const std::string& path,
                                                                     std::shared_ptr<const Clock> clock) {
  Result<Db> db = sqlite::OpenConnection(path, sqlite::Access::kReadOnly);
  if (!db.ok()) return db.status();
  Result<int> version = sqlite::SchemaVersion(*db);
  if (!version.ok()) return version.status();
  const int known = static_cast<int>(sqlite::SchemaMigrations().size());
  if (*version != known) {
    return Status::FailedPrecondition("the database " + path + " can only be read here, and its schema version " +
                                          std::to_string(*version) + " is not this program's (" +
                                          std::to_string(known) + "): " +
                                          (*version < known ? "run this on a writable copy, which is upgraded when opened"
                                                            : "run a newer rectify"),
                                      {});
  }
  if (clock == nullptr) clock = std::make_shared<WallClock>();
  std::unique_ptr<SqliteDatabase> database(new SqliteDatabase(path, std::move(clock), sqlite::Access::kReadOnly));
  database->pool_.Add(std::move(db).value());
  return database;
}

SqliteDatabase::SqliteDatabase(const std::string& path, std::shared_ptr<const Clock> clock, sqlite::Access access)
    : pool_(path, kMaxIdleConnections, access),
      clock_(std::move(clock)),
      files_dir_(path + ".files"),
      writes_(
          pool_, sqlite::GroupLimits{},
          [this] {
            if (checkpointer_ != nullptr) checkpointer_->Committed();
          },
          IndexQueuedNotes) {}

Result<sqlite::ConnectionPool::Lease> SqliteDatabase::Read() { return pool_.Acquire(); }

Status SqliteDatabase::Write(const std::function<Status(Db&)>& body) { return writes_.Write(body); }

Status SqliteDatabase::Audit(Db& db, AuditRecord record) const {
  // Read inside the write, so records stamped by one process follow its clock in seq order.
  record.at = clock_->Now();
  return sqlite::AppendAudit(db, std::move(record));
}

Status SqliteDatabase::AppendAudit(const AuditRecord& record) {
  if (record.action.empty()) return Status::InvalidArgument("action", "must not be empty");
  return Write([&](Db& db) { return Audit(db, record); });
}

}  // namespace rectify
