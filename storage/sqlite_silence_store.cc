#include "storage/sqlite_silence_store.h"

#include <string>
#include <utility>

#include "storage/sqlite_audit.h"
#include "storage/sqlite_db.h"

namespace rectify {
namespace {

using sqlite::Db;
using sqlite::Query;

constexpr const char* kInsertSilence =
    "INSERT INTO silences (item_id, approved_by, reason, until, created_at) VALUES (?, ?, ?, ?, ?)";

Silence ReadSilence(const Query& row) {
  Silence silence;
  silence.id = row.Int(0);
  silence.item_id = row.Int(1);
  silence.approved_by = row.Text(2);
  silence.reason = row.Text(3);
  silence.until = row.Int(4);
  silence.created_at = row.Int(5);
  return silence;
}

// "problem 12": the kind of item `item_id`, for the audit record; kNotFound when it does not exist.
Result<std::string> DescribeItem(Db& db, std::int64_t item_id) {
  Query query = db.Prepare("SELECT kind FROM items WHERE id = ?");
  query.BindAll(item_id);
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("item " + std::to_string(item_id) + " not found");
  return query.Text(0) + " " + std::to_string(item_id);
}

}  // namespace

namespace sqlite {

SqlQuery ActiveSilencesSql(Instant now) {
  SqlQuery out;
  out.sql = "SELECT id, item_id, approved_by, reason, until, created_at FROM silences WHERE until > ? ORDER BY until, id";
  out.params = {now};
  return out;
}

}  // namespace sqlite

Result<Silence> SqliteSilenceStore::AddSilence(const Silence& silence) {
  Silence stored = silence;
  Status written = database_.Write([&](Db& db) {
    // Checked here so that a missing item is kNotFound, not the foreign key's kInternal.
    Result<std::string> item = DescribeItem(db, silence.item_id);
    if (!item.ok()) return item.status();
    RECTIFY_RETURN_IF_ERROR(db.Prepare(kInsertSilence)
                                .BindAll(silence.item_id, silence.approved_by, silence.reason, silence.until,
                                         silence.created_at)
                                .Run());
    stored.id = db.LastInsertId();
    return database_.Audit(db, SilenceAddedRecord(stored, std::move(item).value()));
  });
  if (!written.ok()) return written;
  return stored;
}

Result<Silence> SqliteSilenceStore::EndSilence(std::int64_t id, Instant at, const std::string& actor) {
  Silence ended;
  Status written = database_.Write([&](Db& db) {
    Query query = db.Prepare("SELECT id, item_id, approved_by, reason, until, created_at FROM silences "
                             "WHERE id = ? AND until > ?");
    query.BindAll(id, at);
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("no silence " + std::to_string(id) + " in force");
    ended = ReadSilence(query);
    const Instant was = ended.until;
    ended.until = at;
    RECTIFY_RETURN_IF_ERROR(db.Prepare("UPDATE silences SET until = ? WHERE id = ?").BindAll(at, id).Run());
    Result<std::string> item = DescribeItem(db, ended.item_id);
    if (!item.ok()) return item.status();
    return database_.Audit(db, MakeAuditRecord(actor, kAuditSilenceEnd, std::move(item).value(),
                                               "silence " + std::to_string(id) + " ended (was until " +
                                                   FormatInstant(was) + ")"));
  });
  if (!written.ok()) return written;
  return ended;
}

Result<std::vector<Silence>> SqliteSilenceStore::ActiveSilences(Instant now) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = sqlite::PrepareBound(lease->db(), sqlite::ActiveSilencesSql(now));
  std::vector<Silence> silences;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return silences;
    silences.push_back(ReadSilence(query));
  }
}

}  // namespace rectify
