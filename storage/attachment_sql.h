// What the attachment stores of both databases (sqlite_attachment_store.h,
// pg_attachment_store.h) say and do alike: the statements on evidence_files, ledger_handins and
// ledger_receipts (the same words in SQLite's and PostgreSQL's dialects), how their rows read
// back, the audit records' wording, and the reads and the confirmation, written once over either
// database's connection (sqlite::Db, pg::Conn: Prepare, BindAll, Step, typed columns) and
// database (SqliteDatabase, PgDatabase: Audit).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/attachments.h"
#include "engine/audit.h"
#include "engine/status.h"

namespace rectify::attachment_sql {

// PostgreSQL appends " RETURNING id" (it has no last insert id).
inline constexpr const char* kInsertEvidence =
    "INSERT INTO evidence_files (item_id, sha256, name, size, content_type, uploaded_at, uploaded_by) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
inline constexpr const char* kListEvidence =
    "SELECT e.id, e.sha256, e.name, e.size, e.content_type, e.uploaded_at, e.uploaded_by "
    "FROM evidence_files e JOIN items i ON i.id = e.item_id WHERE e.item_id = ? AND i.kind = ? ORDER BY e.id";
inline constexpr const char* kInsertHandIn =
    "INSERT INTO ledger_handins (campaign_id, unit, sha256, name, size, content_type, submitted_at, submitted_by) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
inline constexpr const char* kInsertReceipt =
    "INSERT INTO ledger_receipts (handin_id, confirmed_at, confirmed_by) VALUES (?, ?, ?)";
// Each unit's newest hand-in of the campaign with its receipt, if any.
inline constexpr const char* kLatestHandIns =
    "SELECT h.id, h.campaign_id, h.unit, h.sha256, h.name, h.size, h.content_type, h.submitted_at, h.submitted_by, "
    "r.confirmed_at, r.confirmed_by FROM ledger_handins h LEFT JOIN ledger_receipts r ON r.handin_id = h.id "
    "WHERE h.campaign_id = ? AND h.id = (SELECT max(id) FROM ledger_handins WHERE campaign_id = h.campaign_id "
    "AND unit = h.unit) ORDER BY h.unit";
inline constexpr const char* kLatestHandInOf =
    "SELECT h.id, h.campaign_id, h.unit, h.sha256, h.name, h.size, h.content_type, h.submitted_at, h.submitted_by, "
    "r.confirmed_at, r.confirmed_by FROM ledger_handins h LEFT JOIN ledger_receipts r ON r.handin_id = h.id "
    "WHERE h.campaign_id = ? AND h.unit = ? ORDER BY h.id DESC LIMIT 1";

template <class Row>
StoredFile ReadStoredFile(const Row& row, int first) {
  StoredFile file;
  file.sha256 = row.Text(first);
  file.name = row.Text(first + 1);
  file.size = row.Int(first + 2);
  file.content_type = row.Text(first + 3);
  return file;
}

// A row of kListEvidence, for the item asked for.
template <class Row>
EvidenceFile ReadEvidence(const Row& row, ItemKind kind, std::int64_t item_id) {
  EvidenceFile file;
  file.id = row.Int(0);
  file.kind = kind;
  file.item_id = item_id;
  file.file = ReadStoredFile(row, 1);
  file.uploaded_at = row.Int(5);
  file.uploaded_by = row.Text(6);
  return file;
}

// A row of kLatestHandIns or kLatestHandInOf.
template <class Row>
LedgerHandIn ReadHandIn(const Row& row) {
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

// The audit records' words: "证明.pdf (application/pdf, 20 bytes, sha256 …)", "ledger village_1".
inline std::string Describe(const StoredFile& file) {
  return file.name + " (" + file.content_type + ", " + std::to_string(file.size) + " bytes, sha256 " + file.sha256 +
         ")";
}
inline std::string LedgerSubject(const std::string& unit) { return "ledger " + unit; }

// The refusals both stores give, word for word.
inline std::string ConfirmedAlready(const std::string& unit) {
  return "the office has confirmed receipt of the ledger of " + unit + " already: it holds the signed copy";
}

// "problem 12", the audit subject, when item `item_id` exists and is of `kind`; kNotFound
// naming it otherwise.
template <class Connection>
Result<std::string> ItemSubject(Connection& connection, ItemKind kind, std::int64_t item_id) {
  auto query = connection.Prepare("SELECT kind FROM items WHERE id = ?");
  query.BindAll(item_id);
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  std::string subject = std::string(ItemKindName(kind)) + " " + std::to_string(item_id);
  if (!*row || query.Text(0) != ItemKindName(kind)) return Status::NotFound(subject + " not found");
  return subject;
}

template <class Connection>
Result<std::optional<LedgerHandIn>> LatestHandInOf(Connection& connection, const std::string& campaign,
                                                   const std::string& unit) {
  auto query = connection.Prepare(kLatestHandInOf);
  query.BindAll(campaign, unit);
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<LedgerHandIn>();
  return std::optional<LedgerHandIn>(ReadHandIn(query));
}

// AttachmentStore::ListEvidence on `connection`.
template <class Connection>
Result<std::vector<EvidenceFile>> ListEvidence(Connection& connection, ItemKind kind, std::int64_t item_id) {
  auto query = connection.Prepare(kListEvidence);
  query.BindAll(item_id, ItemKindName(kind));
  std::vector<EvidenceFile> files;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return files;
    files.push_back(ReadEvidence(query, kind, item_id));
  }
}

// AttachmentStore::LatestLedgers on `connection`.
template <class Connection>
Result<std::vector<LedgerHandIn>> LatestLedgers(Connection& connection, const std::string& campaign) {
  auto query = connection.Prepare(kLatestHandIns);
  query.BindAll(campaign);
  std::vector<LedgerHandIn> handins;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return handins;
    handins.push_back(ReadHandIn(query));
  }
}

// The body of AttachmentStore::ConfirmLedger inside `database`'s write on `connection`; fills
// `confirmed`.
template <class Database, class Connection>
Status ConfirmLatest(Database& database, Connection& connection, const std::string& campaign, const std::string& unit,
                     const std::string& by, Instant at, LedgerHandIn& confirmed) {
  auto latest = LatestHandInOf(connection, campaign, unit);
  if (!latest.ok()) return latest.status();
  if (!*latest) return Status::NotFound("unit " + unit + " has handed in no ledger");
  if ((*latest)->confirmed_at) return Status::FailedPrecondition("the ledger of " + unit + " is confirmed already", {});
  confirmed = std::move(**latest);
  confirmed.confirmed_at = at;
  confirmed.confirmed_by = by;
  RECTIFY_RETURN_IF_ERROR(connection.Prepare(kInsertReceipt).BindAll(confirmed.id, at, by).Run());
  return database.Audit(connection, MakeAuditRecord(by, "ledger.confirm", LedgerSubject(unit),
                                                    "received hand-in " + std::to_string(confirmed.id) + ": " +
                                                        Describe(confirmed.file)));
}

}  // namespace rectify::attachment_sql
