// SqliteAttachmentStore: the bytes on disk (storage/file_blobs.h), the records in
// evidence_files, ledger_handins and ledger_receipts (schema version 7), audited.
#include <utility>

#include "storage/attachment_sql.h"
#include "storage/file_blobs.h"
#include "storage/sqlite_audit.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_attachment_store.h"

namespace rectify {
namespace {

using sqlite::Db;
using sqlite::Query;

using attachment_sql::ConfirmedAlready;
using attachment_sql::Describe;
using attachment_sql::kInsertEvidence;
using attachment_sql::kInsertHandIn;
using attachment_sql::LatestHandInOf;
using attachment_sql::LedgerSubject;

}  // namespace

Result<EvidenceFile> SqliteAttachmentStore::AddEvidence(EvidenceFile file, std::string_view bytes) {
  file.file.sha256 = ContentHash(bytes);
  file.file.size = static_cast<std::int64_t>(bytes.size());
  // The bytes first: a record must never name a file that is not all there.
  RECTIFY_RETURN_IF_ERROR(WriteBlob(database_.files_dir(), file.file.sha256, bytes));
  Status written = database_.Write([&](Db& db) {
    Result<std::string> subject = attachment_sql::ItemSubject(db, file.kind, file.item_id);
    if (!subject.ok()) return subject.status();
    RECTIFY_RETURN_IF_ERROR(db.Prepare(kInsertEvidence)
                                .BindAll(file.item_id, file.file.sha256, file.file.name, file.file.size,
                                         file.file.content_type, file.uploaded_at, file.uploaded_by)
                                .Run());
    file.id = db.LastInsertId();
    return database_.Audit(db, MakeAuditRecord(file.uploaded_by, "evidence.add", *subject, Describe(file.file)));
  });
  if (!written.ok()) return written;
  return file;
}

Result<std::vector<EvidenceFile>> SqliteAttachmentStore::ListEvidence(ItemKind kind, std::int64_t item_id) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return attachment_sql::ListEvidence(lease->db(), kind, item_id);
}

Result<std::string> SqliteAttachmentStore::ReadFileBytes(const std::string& sha256) {
  if (!IsContentHash(sha256)) return Status::NotFound("no stored file " + sha256);
  return ReadBlob(database_.files_dir(), sha256);
}

Result<LedgerHandIn> SqliteAttachmentStore::SubmitLedger(LedgerHandIn handin, std::string_view bytes) {
  handin.file.sha256 = ContentHash(bytes);
  handin.file.size = static_cast<std::int64_t>(bytes.size());
  handin.confirmed_at.reset();
  handin.confirmed_by.clear();
  RECTIFY_RETURN_IF_ERROR(WriteBlob(database_.files_dir(), handin.file.sha256, bytes));
  Status written = database_.Write([&](Db& db) {
    auto latest = LatestHandInOf(db, handin.campaign, handin.unit);
    if (!latest.ok()) return latest.status();
    if (*latest && (*latest)->confirmed_at)
      return Status::FailedPrecondition(ConfirmedAlready(handin.unit), {});
    RECTIFY_RETURN_IF_ERROR(db.Prepare(kInsertHandIn)
                                .BindAll(handin.campaign, handin.unit, handin.file.sha256, handin.file.name, handin.file.size,
                                         handin.file.content_type, handin.submitted_at, handin.submitted_by)
                                .Run());
    handin.id = db.LastInsertId();
    return database_.Audit(db, MakeAuditRecord(handin.submitted_by, "ledger.submit", LedgerSubject(handin.unit),
                                     Describe(handin.file)));
  });
  if (!written.ok()) return written;
  return handin;
}

Result<LedgerHandIn> SqliteAttachmentStore::ConfirmLedger(const std::string& campaign, const std::string& unit,
                                                          const std::string& by, Instant at) {
  LedgerHandIn confirmed;
  Status written = database_.Write([&](Db& db) {
    return attachment_sql::ConfirmLatest(database_, db, campaign, unit, by, at, confirmed);
  });
  if (!written.ok()) return written;
  return confirmed;
}

Result<std::vector<LedgerHandIn>> SqliteAttachmentStore::LatestLedgers(const std::string& campaign) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return attachment_sql::LatestLedgers(lease->db(), campaign);
}

}  // namespace rectify
