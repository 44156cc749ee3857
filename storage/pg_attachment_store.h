// AttachmentStore (engine/attachments.h) on a PgDatabase: the records in evidence_files,
// ledger_handins and ledger_receipts, and the bytes in the table blobs (pg_blobs.h), so every
// instance on the database reads every file and one pg_dump holds them all. The bytes are
// written in the transaction of the record that names them: a failed write leaves neither
// (stronger than the port's "bytes before the record", which it implies). Each write audited,
// word for word as on SQLite (attachment_sql.h). Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/attachments.h"
#include "storage/pg_database.h"

namespace rectify {

class PgAttachmentStore final : public AttachmentStore {
 public:
  // `database` must outlive the store.
  explicit PgAttachmentStore(PgDatabase& database) : database_(database) {}

  Result<EvidenceFile> AddEvidence(EvidenceFile file, std::string_view bytes) override;
  Result<std::vector<EvidenceFile>> ListEvidence(ItemKind kind, std::int64_t item_id) override;
  Result<std::string> ReadFileBytes(const std::string& sha256) override;
  Result<LedgerHandIn> SubmitLedger(LedgerHandIn handin, std::string_view bytes) override;
  Result<LedgerHandIn> ConfirmLedger(const std::string& campaign, const std::string& unit, const std::string& by,
                                     Instant at) override;
  Result<std::vector<LedgerHandIn>> LatestLedgers(const std::string& campaign) override;

 private:
  PgDatabase& database_;
};

}  // namespace rectify
