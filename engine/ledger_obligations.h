// The ledger hand-in (附件1) as an obligation of each unit: who owes one (the campaign's
// `ledgers`), by when (its fixed deadline rule), and where each unit stands at an instant. Pure
// functions over the campaign, the hand-ins and which units have problems; the one loader reads
// the latter from a store.
//
// A unit is late when it has handed in nothing by the deadline, or handed in after it. The
// office's confirmation of receipt is shown, but does not decide lateness: the unit cannot make
// the office confirm in time.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/attachments.h"
#include "engine/campaign.h"
#include "engine/item_store.h"
#include "engine/status.h"
#include "engine/time.h"

namespace rectify {

struct LedgerStatus {
  std::string unit;
  Instant due = 0;
  std::optional<LedgerHandIn> handin;  // the latest
  // Nothing handed in and the deadline has passed at the as-of instant: shown as overdue and
  // reminded in the unit's digest.
  bool overdue = false;
  bool late = false;  // handed in after the deadline
};

// The instant the campaign's ledgers are due; nullopt when the campaign asks for none.
std::optional<Instant> LedgerDue(const Campaign& campaign);

// The units that owe a ledger, in the campaign's order: those of `owed_by_units` that are, when
// the campaign says so, among `units_with_problems`.
std::vector<std::string> UnitsOwingLedger(const Campaign& campaign, const std::set<std::string>& units_with_problems);

// One status per unit owing a ledger, in the campaign's order. Empty when none is owed. A
// hand-in or receipt recorded after `as_of` is not counted: it had not happened yet then.
std::vector<LedgerStatus> LedgerStatuses(const Campaign& campaign, const std::set<std::string>& units_with_problems,
                                         const std::vector<LedgerHandIn>& latest, Instant as_of);

// The units of `owed_by_units` responsible for at least one problem at `as_of` (recorded, or
// carried in, by then, and theirs then): one indexed lookup each, of the unit's first problem,
// or, where problems were written after as_of, a walk of the problems as they stood.
Result<std::set<std::string>> UnitsWithProblems(const Campaign& campaign, ItemStore& store, Instant as_of);

// UnitsWithProblems and the latest hand-ins, then LedgerStatuses.
Result<std::vector<LedgerStatus>> LoadLedgerStatuses(const Campaign& campaign, ItemStore& items,
                                                     AttachmentStore& attachments, Instant as_of);

}  // namespace rectify
