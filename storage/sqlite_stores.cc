#include "storage/sqlite_stores.h"

#include <cctype>
#include <chrono>
#include <filesystem>
#include <string>
#include <utility>

#include "storage/pg_stores.h"
#include "storage/sqlite_db.h"

namespace rectify {

Result<std::unique_ptr<SqliteStores>> SqliteStores::Open(const std::string& path, std::shared_ptr<const Clock> clock) {
  auto database = SqliteDatabase::Open(path, std::move(clock));
  if (!database.ok()) return database.status();
  return std::unique_ptr<SqliteStores>(new SqliteStores(std::move(database).value()));
}

Result<std::unique_ptr<SqliteStores>> SqliteStores::OpenReadOnly(const std::string& path,
                                                                 std::shared_ptr<const Clock> clock) {
  auto database = SqliteDatabase::OpenReadOnly(path, std::move(clock));
  if (!database.ok()) return database.status();
  return std::unique_ptr<SqliteStores>(new SqliteStores(std::move(database).value()));
}

namespace {

// The rows written before campaigns: NULL (or, written by a test, empty) campaign or town.
constexpr const char* kUnowned[][2] = {
    {"items", "campaign_id"},
    {"ledger_handins", "campaign_id"},
    {"survey_households", "campaign_id"},
};

}  // namespace

Result<bool> SqliteStores::HasUnowned() {
  auto lease = database_->Read();
  if (!lease.ok()) return lease.status();
  for (const auto& [table, column] : kUnowned) {
    sqlite::Query query = lease->db().Prepare(std::string("SELECT 1 FROM ") + table + " WHERE " + column +
                                              " IS NULL OR " + column + " = '' LIMIT 1");
    auto row = query.Step();
    if (!row.ok()) return row.status();
    if (*row) return true;
  }
  sqlite::Query users = lease->db().Prepare("SELECT 1 FROM users WHERE town IS NULL LIMIT 1");
  auto row = users.Step();
  if (!row.ok()) return row.status();
  return *row;
}

Result<int> SqliteStores::AdoptUnowned(const std::string& campaign, const std::string& town) {
  int changed = 0;
  std::string detail;
  const Status written = database_->Write([&](sqlite::Db& db) {
    // Their figure groups were of no campaign: counted again in the campaign's (CountFigures).
    RECTIFY_RETURN_IF_ERROR(
        db.Prepare("UPDATE items SET figure_group = NULL WHERE campaign_id IS NULL OR campaign_id = ''").Run());
    RECTIFY_RETURN_IF_ERROR(db.Prepare("DELETE FROM figure_groups WHERE campaign_id = ''").Run());
    for (const auto& [table, column] : kUnowned) {
      RECTIFY_RETURN_IF_ERROR(db.Prepare(std::string("UPDATE ") + table + " SET " + column + " = ? WHERE " + column +
                                         " IS NULL OR " + column + " = ''")
                                  .BindAll(campaign)
                                  .Run());
      if (db.Changes() > 0) detail += std::string(detail.empty() ? "" : ", ") + table + " " + std::to_string(db.Changes());
      changed += static_cast<int>(db.Changes());
    }
    RECTIFY_RETURN_IF_ERROR(db.Prepare("UPDATE users SET town = ? WHERE town IS NULL").BindAll(town).Run());
    if (db.Changes() > 0) detail += std::string(detail.empty() ? "" : ", ") + "users " + std::to_string(db.Changes());
    changed += static_cast<int>(db.Changes());
    if (changed == 0) return Status::Ok();
    return database_->Audit(db, MakeAuditRecord(kAuditActorSystem, "deployment.adopt", "campaign " + campaign,
                                                "rows written before campaigns, now campaign " + campaign +
                                                    " of town " + town + ": " + detail));
  });
  if (!written.ok()) return written;
  return changed;
}

namespace {

// A PostgreSQL address that is not a postgresql:// URL ("postgresql:rectify", or libpq's
// "host=... dbname=..." keywords) would otherwise open as a new, empty SQLite file of that name:
// each instance with the same typo on a database of its own.
Status CheckNotMistypedPostgres(const std::string& where) {
  if (IsPostgresUrl(where)) return Status::Ok();
  std::string lower;
  for (char c : where) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const bool scheme = lower.rfind("postgres:", 0) == 0 || lower.rfind("postgresql:", 0) == 0;
  bool keywords = false;
  for (const char* keyword : {"host=", "hostaddr=", "port=", "dbname=", "user=", "password=", "service="})
    keywords = keywords || lower.rfind(keyword, 0) == 0;
  if (!scheme && !keywords) return Status::Ok();
  return Status::InvalidArgument("db", "\"" + where + "\" is neither a SQLite file nor a PostgreSQL URL: write "
                                       "postgresql://user@host:port/database (a socket directory as ?host=/path)");
}

}  // namespace

Result<std::unique_ptr<Stores>> OpenStores(const std::string& where, std::shared_ptr<const Clock> clock) {
  RECTIFY_RETURN_IF_ERROR(CheckNotMistypedPostgres(where));
  if (IsPostgresUrl(where)) {
    auto stores = PgStores::Open(where, std::move(clock));
    if (!stores.ok()) return stores.status();
    return std::unique_ptr<Stores>(std::move(stores).value());
  }
  auto stores = SqliteStores::Open(where, std::move(clock));
  if (!stores.ok()) return stores.status();
  return std::unique_ptr<Stores>(std::move(stores).value());
}

Result<std::unique_ptr<Stores>> OpenExistingStores(const std::string& where, std::shared_ptr<const Clock> clock) {
  RECTIFY_RETURN_IF_ERROR(CheckNotMistypedPostgres(where));
  if (IsPostgresUrl(where)) {
    Result<bool> exists = PgStores::HoldsRectify(where);
    if (!exists.ok()) return exists.status();
    if (!*exists) return Status::NotFound("no rectify database at " + where);
  } else {
    std::error_code error;
    if (!std::filesystem::is_regular_file(where, error)) return Status::NotFound("no database file " + where);
  }
  return OpenStores(where, std::move(clock));
}

Result<std::unique_ptr<Stores>> OpenExistingStoresToRead(const std::string& where, std::shared_ptr<const Clock> clock) {
  auto stores = OpenExistingStores(where, clock);
  if (stores.ok() || stores.status().code() != StatusCode::kPermissionDenied || IsPostgresUrl(where)) return stores;
  auto read_only = SqliteStores::OpenReadOnly(where, std::move(clock));
  if (!read_only.ok()) return read_only.status();
  return std::unique_ptr<Stores>(std::move(read_only).value());
}

Status SqliteStores::Ping() {
  auto lease = database_->Read();
  if (!lease.ok()) return lease.status();
  return lease->db().Prepare("SELECT 1").Run();
}

ops::WriteQueueFigures SqliteStores::WriteQueue() const {
  const sqlite::GroupStats stats = database_->write_stats();
  ops::WriteQueueFigures figures;
  figures.transactions = stats.transactions;
  figures.writes = stats.writes;
  figures.wait_seconds = std::chrono::duration<double>(stats.queue_wait).count();
  figures.queued = static_cast<std::int64_t>(database_->queued_writes());
  return figures;
}

}  // namespace rectify
