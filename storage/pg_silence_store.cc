#include "storage/pg_silence_store.h"

#include <string>
#include <utility>

#include "storage/audit_records.h"

namespace rectify {
namespace {

using pg::Conn;
using pg::Query;

constexpr const char* kSilenceColumns = "SELECT id, item_id, approved_by, reason, until, created_at FROM silences ";

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
Result<std::string> DescribeItem(Conn& conn, std::int64_t item_id) {
  Query query = conn.Prepare("SELECT kind FROM items WHERE id = ?");
  query.BindAll(item_id);
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("item " + std::to_string(item_id) + " not found");
  return query.Text(0) + " " + std::to_string(item_id);
}

}  // namespace

Result<Silence> PgSilenceStore::AddSilence(const Silence& silence) {
  Silence stored = silence;
  Status written = database_.Write([&](Conn& conn) {
    // Checked here so that a missing item is kNotFound, not the foreign key's kInternal.
    Result<std::string> item = DescribeItem(conn, silence.item_id);
    if (!item.ok()) return item.status();
    Query insert = conn.Prepare(
        "INSERT INTO silences (item_id, approved_by, reason, until, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id");
    insert.BindAll(silence.item_id, silence.approved_by, silence.reason, silence.until, silence.created_at);
    Result<bool> row = insert.Step();
    if (!row.ok()) return row.status();
    stored.id = insert.Int(0);
    return database_.Audit(conn, SilenceAddedRecord(stored, std::move(item).value()));
  });
  if (!written.ok()) return written;
  return stored;
}

Result<Silence> PgSilenceStore::EndSilence(std::int64_t id, Instant at, const std::string& actor) {
  Silence ended;
  Status written = database_.Write([&](Conn& conn) {
    Query query = conn.Prepare(std::string(kSilenceColumns) + "WHERE id = ? AND until > ?");
    query.BindAll(id, at);
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("no silence " + std::to_string(id) + " in force");
    ended = ReadSilence(query);
    const Instant was = ended.until;
    ended.until = at;
    RECTIFY_RETURN_IF_ERROR(conn.Prepare("UPDATE silences SET until = ? WHERE id = ?").BindAll(at, id).Run());
    Result<std::string> item = DescribeItem(conn, ended.item_id);
    if (!item.ok()) return item.status();
    return database_.Audit(conn, MakeAuditRecord(actor, kAuditSilenceEnd, std::move(item).value(),
                                                 "silence " + std::to_string(id) + " ended (was until " +
                                                     FormatInstant(was) + ")"));
  });
  if (!written.ok()) return written;
  return ended;
}

Result<std::vector<Silence>> PgSilenceStore::ActiveSilences(Instant now) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = lease->conn().Prepare(std::string(kSilenceColumns) + "WHERE until > ? ORDER BY until, id");
  query.BindAll(now);
  std::vector<Silence> silences;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return silences;
    silences.push_back(ReadSilence(query));
  }
}

}  // namespace rectify
