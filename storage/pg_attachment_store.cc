#include "storage/pg_attachment_store.h"

#include <utility>

#include "storage/attachment_sql.h"
#include "storage/pg_blobs.h"

namespace rectify {
namespace {

using attachment_sql::ConfirmedAlready;
using attachment_sql::Describe;
using attachment_sql::LedgerSubject;
using attachment_sql::LatestHandInOf;
using pg::Conn;
using pg::Query;

// Runs an INSERT ... RETURNING id and gives the id.
Result<std::int64_t> InsertReturningId(Query& insert) {
  Result<bool> row = insert.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("postgresql: an INSERT ... RETURNING id returned no row");
  return insert.Int(0);
}

}  // namespace

Result<EvidenceFile> PgAttachmentStore::AddEvidence(EvidenceFile file, std::string_view bytes) {
  file.file.sha256 = ContentHash(bytes);
  file.file.size = static_cast<std::int64_t>(bytes.size());
  Status written = database_.Write([&](Conn& conn) {
    Result<std::string> subject = attachment_sql::ItemSubject(conn, file.kind, file.item_id);
    if (!subject.ok()) return subject.status();
    RECTIFY_RETURN_IF_ERROR(pg::PutBlob(conn, file.file.sha256, bytes));
    Query insert = conn.Prepare(std::string(attachment_sql::kInsertEvidence) + " RETURNING id");
    insert.BindAll(file.item_id, file.file.sha256, file.file.name, file.file.size, file.file.content_type,
                   file.uploaded_at, file.uploaded_by);
    Result<std::int64_t> id = InsertReturningId(insert);
    if (!id.ok()) return id.status();
    file.id = *id;
    return database_.Audit(conn, MakeAuditRecord(file.uploaded_by, "evidence.add", *subject, Describe(file.file)));
  });
  if (!written.ok()) return written;
  return file;
}

Result<std::vector<EvidenceFile>> PgAttachmentStore::ListEvidence(ItemKind kind, std::int64_t item_id) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return attachment_sql::ListEvidence(lease->conn(), kind, item_id);
}

Result<std::string> PgAttachmentStore::ReadFileBytes(const std::string& sha256) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return pg::GetBlob(lease->conn(), sha256);
}

Result<LedgerHandIn> PgAttachmentStore::SubmitLedger(LedgerHandIn handin, std::string_view bytes) {
  handin.file.sha256 = ContentHash(bytes);
  handin.file.size = static_cast<std::int64_t>(bytes.size());
  handin.confirmed_at.reset();
  handin.confirmed_by.clear();
  Status written = database_.Write([&](Conn& conn) {
    auto latest = LatestHandInOf(conn, handin.campaign, handin.unit);
    if (!latest.ok()) return latest.status();
    if (*latest && (*latest)->confirmed_at) return Status::FailedPrecondition(ConfirmedAlready(handin.unit), {});
    RECTIFY_RETURN_IF_ERROR(pg::PutBlob(conn, handin.file.sha256, bytes));
    Query insert = conn.Prepare(std::string(attachment_sql::kInsertHandIn) + " RETURNING id");
    insert.BindAll(handin.campaign, handin.unit, handin.file.sha256, handin.file.name, handin.file.size,
                   handin.file.content_type, handin.submitted_at, handin.submitted_by);
    Result<std::int64_t> id = InsertReturningId(insert);
    if (!id.ok()) return id.status();
    handin.id = *id;
    return database_.Audit(conn, MakeAuditRecord(handin.submitted_by, "ledger.submit", LedgerSubject(handin.unit),
                                                 Describe(handin.file)));
  });
  if (!written.ok()) return written;
  return handin;
}

Result<LedgerHandIn> PgAttachmentStore::ConfirmLedger(const std::string& campaign, const std::string& unit,
                                                      const std::string& by, Instant at) {
  LedgerHandIn confirmed;
  Status written = database_.Write([&](Conn& conn) {
    return attachment_sql::ConfirmLatest(database_, conn, campaign, unit, by, at, confirmed);
  });
  if (!written.ok()) return written;
  return confirmed;
}

Result<std::vector<LedgerHandIn>> PgAttachmentStore::LatestLedgers(const std::string& campaign) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return attachment_sql::LatestLedgers(lease->conn(), campaign);
}

}  // namespace rectify
