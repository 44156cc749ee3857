#include "storage/pg_stores.h"

#include <string>
#include <utility>

namespace rectify {
namespace {

// The rows written before campaigns: NULL (or, written by a test, empty) campaign or town.
constexpr const char* kUnowned[][2] = {
    {"items", "campaign_id"},
    {"ledger_handins", "campaign_id"},
    {"survey_households", "campaign_id"},
};

}  // namespace

bool IsPostgresUrl(const std::string& where) {
  return where.rfind("postgresql://", 0) == 0 || where.rfind("postgres://", 0) == 0;
}

Result<std::unique_ptr<PgStores>> PgStores::Open(const std::string& url, std::shared_ptr<const Clock> clock) {
  auto database = PgDatabase::Open(url, std::move(clock));
  if (!database.ok()) return database.status();
  return std::unique_ptr<PgStores>(new PgStores(std::move(database).value()));
}

Result<bool> PgStores::HoldsRectify(const std::string& url) {
  Result<pg::Conn> conn = pg::Conn::Open(url);
  if (!conn.ok()) return conn.status();
  pg::Query query = conn->Prepare("SELECT to_regclass('schema_version') IS NOT NULL");
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  return query.Text(0) == "t";
}

Result<bool> PgStores::HasUnowned() {
  auto lease = database_->Read();
  if (!lease.ok()) return lease.status();
  for (const auto& [table, column] : kUnowned) {
    pg::Query query = lease->conn().Prepare(std::string("SELECT 1 FROM ") + table + " WHERE " + column +
                                            " IS NULL OR " + column + " = '' LIMIT 1");
    auto row = query.Step();
    if (!row.ok()) return row.status();
    if (*row) return true;
  }
  pg::Query users = lease->conn().Prepare("SELECT 1 FROM users WHERE town IS NULL LIMIT 1");
  auto row = users.Step();
  if (!row.ok()) return row.status();
  return *row;
}

Result<int> PgStores::AdoptUnowned(const std::string& campaign, const std::string& town) {
  int changed = 0;
  std::string detail;
  const Status written = database_->Write([&](pg::Conn& conn) {
    auto adopt = [&](const std::string& table, pg::Query update) -> Status {
      RECTIFY_RETURN_IF_ERROR(update.Run());
      if (update.Changes() > 0) detail += (detail.empty() ? "" : ", ") + table + " " + std::to_string(update.Changes());
      changed += static_cast<int>(update.Changes());
      return Status::Ok();
    };
    // Their figure groups were of no campaign: counted again in the campaign's (CountFigures).
    RECTIFY_RETURN_IF_ERROR(
        conn.Prepare("UPDATE items SET figure_group = NULL WHERE campaign_id IS NULL OR campaign_id = ''").Run());
    RECTIFY_RETURN_IF_ERROR(conn.Prepare("DELETE FROM figure_groups WHERE campaign_id = ''").Run());
    for (const auto& [table, column] : kUnowned) {
      pg::Query update = conn.Prepare(std::string("UPDATE ") + table + " SET " + column + " = ? WHERE " + column +
                                      " IS NULL OR " + column + " = ''");
      update.BindAll(campaign);
      RECTIFY_RETURN_IF_ERROR(adopt(table, std::move(update)));
    }
    pg::Query users = conn.Prepare("UPDATE users SET town = ? WHERE town IS NULL");
    users.BindAll(town);
    RECTIFY_RETURN_IF_ERROR(adopt("users", std::move(users)));
    if (changed == 0) return Status::Ok();
    return database_->Audit(conn, MakeAuditRecord(kAuditActorSystem, "deployment.adopt", "campaign " + campaign,
                                                  "rows written before campaigns, now campaign " + campaign +
                                                      " of town " + town + ": " + detail));
  });
  if (!written.ok()) return written;
  return changed;
}

Status PgStores::Ping() {
  auto lease = database_->Read();
  if (!lease.ok()) return lease.status();
  return lease->conn().Prepare("SELECT 1").Run();
}

}  // namespace rectify
