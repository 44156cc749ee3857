#include "engine/evidence_service.h"

#include <algorithm>
#include <utility>

namespace rectify {

Result<EvidenceFile> EvidenceService::Add(ItemKind kind, std::int64_t item_id, UploadedFile upload,
                                          const Actor& actor, Instant now) {
  auto view = items_.Get(kind, item_id, actor);
  if (!view.ok()) return view.status();
  RECTIFY_RETURN_IF_ERROR(items_.Require("add_evidence", actor, RelationsOf(view->item, actor.unit)));
  RECTIFY_RETURN_IF_ERROR(CheckNotCarriedOut(view->item));
  if (WorkflowFor(kind).IsClosed(view->item.state))
    return Status::FailedPrecondition("the item is closed (销号): reopen it to add evidence", view->allowed_events);
  // The same file on the same item again (its answer was lost on the way and the person sends
  // it once more) is the file already there: a second record would show it twice.
  auto present = files_.ListEvidence(kind, item_id);
  if (!present.ok()) return present.status();
  const std::string sha256 = ContentHash(upload.bytes);
  const auto same = std::find_if(present->begin(), present->end(),
                                 [&](const EvidenceFile& f) { return f.file.sha256 == sha256; });
  if (same != present->end()) return *same;
  EvidenceFile file;
  file.kind = kind;
  file.item_id = item_id;
  file.file.name = std::move(upload.name);
  file.file.content_type = std::move(upload.content_type);
  file.uploaded_at = now;
  file.uploaded_by = actor.name;
  return files_.AddEvidence(std::move(file), upload.bytes);
}

Result<std::vector<EvidenceFile>> EvidenceService::List(ItemKind kind, std::int64_t item_id, const Actor& actor) {
  RECTIFY_RETURN_IF_ERROR(items_.Get(kind, item_id, actor).status());
  return files_.ListEvidence(kind, item_id);
}

Result<FileDownload> EvidenceService::Read(ItemKind kind, std::int64_t item_id, const std::string& sha256,
                                           const Actor& actor) {
  auto files = List(kind, item_id, actor);
  if (!files.ok()) return files.status();
  const auto file =
      std::find_if(files->begin(), files->end(), [&](const EvidenceFile& f) { return f.file.sha256 == sha256; });
  if (file == files->end()) return Status::NotFound("no evidence file " + sha256 + " on this item");
  auto bytes = files_.ReadFileBytes(sha256);
  if (!bytes.ok()) return bytes.status();
  return FileDownload{file->file, std::move(bytes).value()};
}

}  // namespace rectify
