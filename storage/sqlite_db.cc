#include "storage/sqlite_db.h"

#include <sqlite3.h>

#include <mutex>

namespace rectify::sqlite {
namespace {

// SQLite keeps memory statistics by default, and every allocation and free of every connection
// in the process takes the one mutex that guards them: under concurrent requests it was the
// most contended lock after the write queue's (perf, 8 clients: a third of the bench
// process's futex calls came from sqlite3Malloc and sqlite3_free). rectify reads none of those
// statistics, so they are turned off, once, before SQLite initializes. Should anything in the
// process have opened a database before (a test or a tool using SQLite directly), SQLite refuses
// the change and keeps its statistics: slower, never wrong.
void TurnOffMemoryStatisticsOnce() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

// A full disk is no bug: the write is refused whole (SQLite rolls it back), the operator must
// free space, and the client may try again later. Said as such (reason disk_full) rather than
// as an internal error.
Status FullDiskOr(int code, std::string message) {
  if ((code & 0xff) == SQLITE_FULL) return Status::Unavailable(std::move(message)).WithReason("disk_full", {});
  return Status::Internal(std::move(message));
}

Status SqliteError(sqlite3* db, int code, std::string_view what) {
  std::string message = "sqlite: ";
  message += what;
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  message += " (";
  message += std::to_string(code);
  message += ")";
  return FullDiskOr(code, std::move(message));
}

}  // namespace

Query::~Query() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void Query::Fail(int code) {
  if (error_.ok()) error_ = SqliteError(db_, code, sqlite3_sql(stmt_));
}

Query& Query::Bind(int index, std::int64_t value) {
  if (!error_.ok()) return *this;
  const int code = sqlite3_bind_int64(stmt_, index, value);
  if (code != SQLITE_OK) Fail(code);
  return *this;
}

Query& Query::Bind(int index, std::string_view value) {
  if (!error_.ok()) return *this;
  // SQLITE_TRANSIENT: SQLite copies the text, so the caller's string may go away before Step.
  const int code = sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (code != SQLITE_OK) Fail(code);
  return *this;
}

Query& Query::Bind(int index, const std::optional<std::int64_t>& value) {
  return value ? Bind(index, *value) : BindNull(index);
}

Query& Query::Bind(int index, const std::optional<std::string>& value) {
  return value ? Bind(index, std::string_view(*value)) : BindNull(index);
}

Query& Query::BindNull(int index) {
  if (!error_.ok()) return *this;
  const int code = sqlite3_bind_null(stmt_, index);
  if (code != SQLITE_OK) Fail(code);
  return *this;
}

Result<bool> Query::Step() {
  if (!error_.ok()) return error_;
  const int code = sqlite3_step(stmt_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  Fail(code);
  return error_;
}

Status Query::Run() {
  while (true) {
    Result<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

bool Query::IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::int64_t Query::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Query::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  const int size = sqlite3_column_bytes(stmt_, column);
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::optional<std::int64_t> Query::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

void Db::Closer::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

void Db::Finalizer::operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }

Db::~Db() = default;

Result<Db> Db::Open(const std::string& path, Mode mode) {
  TurnOffMemoryStatisticsOnce();
  sqlite3* raw = nullptr;
  // NOMUTEX: a connection is used by one thread at a time (see the header), so SQLite's own
  // per-connection mutex would only cost time.
  int flags = (mode == Mode::kReadWrite ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY) |
              SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  std::string name = path;
  if (mode == Mode::kImmutable) {
    // A URI, so every character that means something in one is escaped.
    name = "file:";
    for (const char c : path) {
      if (c == '%' || c == '?' || c == '#') {
        constexpr char kHex[] = "0123456789ABCDEF";
        name += '%';
        name += kHex[static_cast<unsigned char>(c) >> 4];
        name += kHex[static_cast<unsigned char>(c) & 15];
      } else {
        name += c;
      }
    }
    name += "?immutable=1";
    flags |= SQLITE_OPEN_URI;
  }
  const int code = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
  Db db(raw);  // closes the handle on every path, as SQLite asks even after a failed open
  if (code != SQLITE_OK) return SqliteError(raw, code, "opening " + path);
  return db;
}

Status Db::Exec(const std::string& sql) {
  char* error = nullptr;
  const int code = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &error);
  if (code == SQLITE_OK) return Status::Ok();
  std::string message = "sqlite: ";
  message += error != nullptr ? error : sqlite3_errstr(code);
  message += " (" + std::to_string(code) + ")";
  sqlite3_free(error);
  return FullDiskOr(code, std::move(message));
}

Query Db::Prepare(const std::string& sql) {
  auto found = statements_.find(sql);
  if (found != statements_.end()) return Query(db_.get(), found->second.get(), Status::Ok());
  sqlite3_stmt* stmt = nullptr;
  const int code = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                      &stmt, nullptr);
  if (code != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Query(db_.get(), nullptr, SqliteError(db_.get(), code, "preparing " + sql));
  }
  if (stmt == nullptr) return Query(db_.get(), nullptr, Status::Internal("sqlite: no statement in: " + sql));
  statements_.emplace(sql, std::unique_ptr<sqlite3_stmt, Finalizer>(stmt));
  return Query(db_.get(), stmt, Status::Ok());
}

void Db::SetBusyTimeout(int milliseconds) { sqlite3_busy_timeout(db_.get(), milliseconds); }

std::int64_t Db::Changes() const { return sqlite3_changes64(db_.get()); }

std::int64_t Db::LastInsertId() const { return sqlite3_last_insert_rowid(db_.get()); }

bool Db::ReadOnly() const { return sqlite3_db_readonly(db_.get(), "main") == 1; }

bool Db::InTransaction() const { return sqlite3_get_autocommit(db_.get()) == 0; }

Result<Transaction> Transaction::Begin(Db& db, Mode mode) {
  Status begun = db.Prepare(mode == Mode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN").Run();
  if (!begun.ok()) return begun;
  return Transaction(&db);
}

Transaction::~Transaction() {
  // SQLite may already have rolled back by itself (after SQLITE_FULL or an I/O error, say).
  if (db_ != nullptr && db_->InTransaction()) static_cast<void>(db_->Prepare("ROLLBACK").Run());
}

Status Transaction::Commit() {
  Status committed = db_->Prepare("COMMIT").Run();
  if (committed.ok()) db_ = nullptr;
  return committed;
}

}  // namespace rectify::sqlite
