// Files people hand in: evidence attached to an item (整改佐证材料: photos, scanned certificates)
// and each unit's signed and stamped ledger (附件1). The bytes are kept once under their SHA-256,
// whoever uploads them and however often; what was uploaded, by whom and when is an append-only
// record in the store, audited like every other write.
//
// Only images and PDFs are accepted, recognised by their first bytes, never by the name or the
// type the uploader claims.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/item.h"
#include "engine/status.h"
#include "engine/time.h"

namespace rectify {

// The largest file accepted: a phone photo or a multi-page scan.
inline constexpr std::size_t kMaxAttachmentBytes = 10u << 20;

// The file's type from its magic bytes: "image/jpeg", "image/png", "image/gif", "image/webp" or
// "application/pdf"; nullopt for anything else (kinds of evidence the town does not take).
std::optional<std::string> DetectAttachmentType(std::string_view bytes);

// SHA-256 of `bytes` as 64 lowercase hex digits: the name a file is stored under.
std::string ContentHash(std::string_view bytes);
bool IsContentHash(std::string_view text);

// A file name as it may be stored and offered for download: the last path component, control
// and non-characters removed, and the characters that reorder text (U+202A..U+202E,
// U+2066..U+2069, U+200E, U+200F, U+061C: "\u202Egnp.exe" shows as "exe.png"), at most 200 bytes
// (cut at a UTF-8 character boundary); "file" when nothing is left. Cleaned, not refused: a
// phone names its photos, and a cadre cannot rename one there. kInvalidArgument (field "file")
// when the name is not UTF-8 (a GBK name from an old client): stored names are text like any other.
Result<std::string> CleanFileName(std::string_view name);

// The extension of an accepted type (DetectAttachmentType): ".jpg", ".png", ".gif", ".webp",
// ".pdf"; "" for any other.
std::string ExtensionOfType(std::string_view content_type);

// The name a stored file is downloaded under: its name when its extension is its type's
// (".jpeg" counts for a JPEG, in any case), else the name with the type's extension added
// ("x.html" holding a PNG is saved as "x.html.png"), so what a person opens from the disk opens
// as what it is.
std::string DownloadName(std::string_view name, std::string_view content_type);

// A file as it arrived, already read off its request: the name cleaned (CleanFileName), the
// type recognised from the bytes (DetectAttachmentType), the size within kMaxAttachmentBytes.
struct UploadedFile {
  std::string name;
  std::string content_type;
  std::string bytes;
};

// What is stored about one file, whatever it is attached to.
struct StoredFile {
  std::string sha256;
  std::string name;          // as uploaded, cleaned (CleanFileName)
  std::int64_t size = 0;     // bytes
  std::string content_type;  // as detected
};

// One evidence file attached to one item.
struct EvidenceFile {
  std::int64_t id = 0;  // assigned by the store, increasing
  ItemKind kind = ItemKind::kProblem;
  std::int64_t item_id = 0;
  StoredFile file;
  Instant uploaded_at = 0;
  std::string uploaded_by;  // the actor's name
};

// A unit's latest ledger hand-in and, once the office has it, the receipt.
struct LedgerHandIn {
  std::int64_t id = 0;  // assigned by the store, increasing
  std::string campaign;  // each campaign has its own ledger (附件1)
  std::string unit;
  StoredFile file;
  Instant submitted_at = 0;
  std::string submitted_by;
  std::optional<Instant> confirmed_at;
  std::string confirmed_by;
};

// A stored file with its bytes, to download.
struct FileDownload {
  StoredFile file;
  std::string bytes;
};

// Where the files and their records live. Implementations must be thread-safe. A file's bytes
// are durable on disk (written to a temporary file, synced and renamed into place) before its
// record is committed, so a record never names a missing or partial file; a crash in between
// leaves only an unreferenced file, which a later upload of the same bytes reuses.
class AttachmentStore {
 public:
  virtual ~AttachmentStore() = default;

  // Stores the bytes and records the file for the item; `file.file.sha256` and `.size` are set
  // from `bytes`, `id` assigned. Audited ("evidence.add").
  virtual Result<EvidenceFile> AddEvidence(EvidenceFile file, std::string_view bytes) = 0;
  // The item's files, oldest first.
  virtual Result<std::vector<EvidenceFile>> ListEvidence(ItemKind kind, std::int64_t item_id) = 0;
  // The bytes stored under `sha256`; kNotFound when there are none.
  virtual Result<std::string> ReadFileBytes(const std::string& sha256) = 0;

  // Records a new hand-in of the unit's ledger for `handin.campaign` (`confirmed_*` ignored).
  // kFailedPrecondition when the unit's ledger of that campaign has already been confirmed: the
  // office holds the signed copy. Audited ("ledger.submit").
  virtual Result<LedgerHandIn> SubmitLedger(LedgerHandIn handin, std::string_view bytes) = 0;
  // Confirms receipt of the unit's latest hand-in for the campaign. kNotFound when the unit has
  // handed in nothing; kFailedPrecondition when it is confirmed already. Audited ("ledger.confirm").
  virtual Result<LedgerHandIn> ConfirmLedger(const std::string& campaign, const std::string& unit,
                                             const std::string& by, Instant at) = 0;
  // Every unit's latest hand-in for the campaign, by unit id.
  virtual Result<std::vector<LedgerHandIn>> LatestLedgers(const std::string& campaign) = 0;
};

}  // namespace rectify
