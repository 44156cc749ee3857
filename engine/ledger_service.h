// The ledger hand-in (附件1) as people do it: a unit uploads the scan of its signed and stamped
// ledger, the office confirms receipt, and everyone sees where each unit stands
// (engine/ledger_obligations.h). Those who see every item see every unit; a unit member sees
// its own unit. The scan itself is for the office that receives it (confirm_ledger) and for the
// unit that handed it in. Every hand-in and confirmation is audited by the store.
//
// Thread-safe if the stores are.
#pragma once

#include <string>
#include <vector>

#include "engine/attachments.h"
#include "engine/campaign.h"
#include "engine/item_store.h"
#include "engine/ledger_obligations.h"
#include "engine/permissions.h"
#include "engine/status.h"

namespace rectify {

class LedgerService {
 public:
  // Everything must outlive the service.
  LedgerService(const Campaign& campaign, ItemStore& items, AttachmentStore& files)
      : campaign_(campaign), items_(items), files_(files) {}

  // Where each unit the actor may see stands at `as_of`, in the campaign's order;
  // kPermissionDenied for someone who sees neither every item nor a unit of their own.
  Result<std::vector<LedgerStatus>> Statuses(const Actor& actor, Instant as_of);

  // The actor's own unit hands in `scan`. kPermissionDenied without submit_ledger;
  // kFailedPrecondition when the unit owes no ledger or its ledger is confirmed already. The
  // same file as the unit's latest hand-in is that hand-in: nothing is stored, its time stays.
  Result<LedgerStatus> Submit(UploadedFile scan, const Actor& actor, Instant now);

  // The office confirms the unit's latest hand-in. kPermissionDenied without confirm_ledger;
  // kNotFound for an unknown unit or one that handed in nothing.
  Result<LedgerStatus> Confirm(const std::string& unit, const Actor& actor, Instant now);

  // The unit's latest scan: for the unit itself and for those who confirm ledgers; kNotFound
  // for anyone else, as for a unit that handed in nothing.
  Result<FileDownload> Read(const std::string& unit, const Actor& actor);

 private:
  // Where the unit stands right after its hand-in was stored or confirmed.
  LedgerStatus StatusAfter(const LedgerHandIn& handin) const;

  const Campaign& campaign_;
  ItemStore& items_;
  AttachmentStore& files_;
};

}  // namespace rectify
