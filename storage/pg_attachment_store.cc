#include "storage/pg_attachment_store.h"

// Not written yet: each method fails until its PostgreSQL version lands.

namespace rectify {
Result<EvidenceFile> PgAttachmentStore::AddEvidence(EvidenceFile, std::string_view) { return Status::Internal("postgresql: PgAttachmentStore::AddEvidence is not written yet"); }
Result<std::vector<EvidenceFile>> PgAttachmentStore::ListEvidence(ItemKind, std::int64_t) { return Status::Internal("postgresql: PgAttachmentStore::ListEvidence is not written yet"); }
Result<std::string> PgAttachmentStore::ReadFileBytes(const std::string&) { return Status::Internal("postgresql: PgAttachmentStore::ReadFileBytes is not written yet"); }
Result<LedgerHandIn> PgAttachmentStore::SubmitLedger(LedgerHandIn, std::string_view) { return Status::Internal("postgresql: PgAttachmentStore::SubmitLedger is not written yet"); }
Result<LedgerHandIn> PgAttachmentStore::ConfirmLedger(const std::string&, const std::string&, const std::string&, Instant) { return Status::Internal("postgresql: PgAttachmentStore::ConfirmLedger is not written yet"); }
Result<std::vector<LedgerHandIn>> PgAttachmentStore::LatestLedgers(const std::string&) { return Status::Internal("postgresql: PgAttachmentStore::LatestLedgers is not written yet"); }

}  // namespace rectify
