// Evidence files (整改佐证材料) of items: upload, list, download. Whoever may see the item may list
// and download its files; uploading needs the campaign's add_evidence grant on that item, and
// an open item (a closed one is signed off: reopen it first). An item the actor may not see is
// kNotFound, as are its files. Every upload is audited by the store.
//
// Thread-safe if the stores are.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/attachments.h"
#include "engine/item_service.h"
#include "engine/status.h"

namespace rectify {

class EvidenceService {
 public:
  // Both must outlive the service.
  EvidenceService(ItemService& items, AttachmentStore& files) : items_(items), files_(files) {}

  // kPermissionDenied without add_evidence on the item; kFailedPrecondition (with the events
  // this actor may fire) when the item is closed. A file the item has already (the same bytes)
  // is that file: nothing is stored or recorded again.
  Result<EvidenceFile> Add(ItemKind kind, std::int64_t item_id, UploadedFile upload, const Actor& actor,
                           Instant now);
  // The item's files, oldest first.
  Result<std::vector<EvidenceFile>> List(ItemKind kind, std::int64_t item_id, const Actor& actor);
  // One file of the item; kNotFound when the item has no file with this hash.
  Result<FileDownload> Read(ItemKind kind, std::int64_t item_id, const std::string& sha256, const Actor& actor);

 private:
  ItemService& items_;
  AttachmentStore& files_;
};

}  // namespace rectify
