// SqliteAttachmentStore: the bytes on disk (storage/file_blobs.h), the records in
// evidence_files, ledger_handins and ledger_receipts (schema version 7), audited.
#include <utility>

#include "storage/file_blobs.h"
#include "storage/sqlite_audit.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_attachment_store.h"

namespace rectify {
namespace {

using sqlite::Db;
using sqlite::Query;

constexpr const char* kInsertEvidence =
    "INSERT INTO evidence_files (item_id, sha256, name, size, content_type, uploaded_at, uploaded_by) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr const char* kListEvidence =
    "SELECT e.id, e.sha256, e.name, e.size, e.content_type, e.uploaded_at, e.uploaded_by "
    "FROM evidence_files e JOIN items i ON i.id = e.item_id WHERE e.item_id = ? AND i.kind = ? ORDER BY e.id";
constexpr const char* kInsertHandIn =
    "INSERT INTO ledger_handins (campaign_id, unit, sha256, name, size, content_type, submitted_at, submitted_by) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
// Each unit's newest hand-in of the campaign with its receipt, if any.
constexpr const char* kLatestHandIns =
    "SELECT h.id, h.campaign_id, h.unit, h.sha256, h.name, h.size, h.content_type, h.submitted_at, h.submitted_by, "
    "r.confirmed_at, r.confirmed_by FROM ledger_handins h LEFT JOIN ledger_receipts r ON r.handin_id = h.id "
    "WHERE h.campaign_id = ? AND h.id = (SELECT max(id) FROM ledger_handins WHERE campaign_id = h.campaign_id "
    "AND unit = h.unit) ORDER BY h.unit";
constexpr const char* kLatestHandInOf =
    "SELECT h.id, h.campaign_id, h.unit, h.sha256, h.name, h.size, h.content_type, h.submitted_at, h.submitted_by, "
    "r.confirmed_at, r.confirmed_by FROM ledger_handins h LEFT JOIN ledger_receipts r ON r.handin_id = h.id "
    "WHERE h.campaign_id = ? AND h.unit = ? ORDER BY h.id DESC LIMIT 1";

StoredFile ReadStoredFile(const Query& row, int first) {
  StoredFile file;
  file.sha256 = row.Text(first);
  file.name = row.Text(first + 1);
  file.size = row.Int(first + 2);
  file.content_type = row.Text(first + 3);
  return file;
}

LedgerHandIn ReadHandIn(const Query& row) {
  LedgerHandIn handin;
  handin.id = row.Int(0);
  handin.campaign = row.Text(1);
  handin.unit = row.Text(2);
  handin.file = ReadStoredFile(row, 3);
  handin.submitted_at = row.Int(7);
  handin.submitted_by = row.Text(8);
  handin.confirmed_at = row.OptionalInt(9);
  if (handin.confirmed_at) handin.confirmed_by = row.Text(10);
  return handin;
}

Result<std::optional<LedgerHandIn>> LatestHandInOf(Db& db, const std::string& campaign, const std::string& unit) {
  Query query = db.Prepare(kLatestHandInOf);
  query.BindAll(campaign, unit);
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<LedgerHandIn>();
  return std::optional<LedgerHandIn>(ReadHandIn(query));
}

std::string Describe(const StoredFile& file) {
  return file.name + " (" + file.content_type + ", " + std::to_string(file.size) + " bytes, sha256 " + file.sha256 +
         ")";
}

std::string LedgerSubject(const std::string& unit) { return "ledger " + unit; }

}  // namespace

Result<EvidenceFile> SqliteAttachmentStore::AddEvidence(EvidenceFile file, std::string_view bytes) {
  file.file.sha256 = ContentHash(bytes);
  file.file.size = static_cast<std::int64_t>(bytes.size());
  // The bytes first: a record must never name a file that is not all there.
  RECTIFY_RETURN_IF_ERROR(WriteBlob(database_.files_dir(), file.file.sha256, bytes));
  Status written = database_.Write([&](Db& db) {
    Query kind = db.Prepare("SELECT kind FROM items WHERE id = ?");
    kind.BindAll(file.item_id);
    Result<bool> row = kind.Step();
    if (!row.ok()) return row.status();
    const std::string subject = std::string(ItemKindName(file.kind)) + " " + std::to_string(file.item_id);
    if (!*row || kind.Text(0) != ItemKindName(file.kind)) return Status::NotFound(subject + " not found");
    RECTIFY_RETURN_IF_ERROR(db.Prepare(kInsertEvidence)
                                .BindAll(file.item_id, file.file.sha256, file.file.name, file.file.size,
                                         file.file.content_type, file.uploaded_at, file.uploaded_by)
                                .Run());
    file.id = db.LastInsertId();
    return database_.Audit(db, MakeAuditRecord(file.uploaded_by, "evidence.add", subject, Describe(file.file)));
  });
  if (!written.ok()) return written;
  return file;
}

Result<std::vector<EvidenceFile>> SqliteAttachmentStore::ListEvidence(ItemKind kind, std::int64_t item_id) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = lease->db().Prepare(kListEvidence);
  query.BindAll(item_id, ItemKindName(kind));
  std::vector<EvidenceFile> files;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return files;
    EvidenceFile file;
    file.id = query.Int(0);
    file.kind = kind;
    file.item_id = item_id;
    file.file = ReadStoredFile(query, 1);
    file.uploaded_at = query.Int(5);
    file.uploaded_by = query.Text(6);
    files.push_back(std::move(file));
  }
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
      return Status::FailedPrecondition("the office has confirmed receipt of the ledger of " + handin.unit +
                                            " already: it holds the signed copy",
                                        {});
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
    auto latest = LatestHandInOf(db, campaign, unit);
    if (!latest.ok()) return latest.status();
    if (!*latest) return Status::NotFound("unit " + unit + " has handed in no ledger");
    if ((*latest)->confirmed_at)
      return Status::FailedPrecondition("the ledger of " + unit + " is confirmed already", {});
    confirmed = std::move(**latest);
    confirmed.confirmed_at = at;
    confirmed.confirmed_by = by;
    RECTIFY_RETURN_IF_ERROR(
        db.Prepare("INSERT INTO ledger_receipts (handin_id, confirmed_at, confirmed_by) VALUES (?, ?, ?)")
            .BindAll(confirmed.id, at, by)
            .Run());
    return database_.Audit(db, MakeAuditRecord(by, "ledger.confirm", LedgerSubject(unit),
                                     "received hand-in " + std::to_string(confirmed.id) + ": " +
                                         Describe(confirmed.file)));
  });
  if (!written.ok()) return written;
  return confirmed;
}

Result<std::vector<LedgerHandIn>> SqliteAttachmentStore::LatestLedgers(const std::string& campaign) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = lease->db().Prepare(kLatestHandIns);
  query.BindAll(campaign);
  std::vector<LedgerHandIn> handins;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return handins;
    handins.push_back(ReadHandIn(query));
  }
}

}  // namespace rectify
