// The first stage of the notifier pipeline: find, per unit, the open items that are overdue or
// due soon at an instant, and build one digest per unit, plus the supervisors' 督办 digest of
// items overdue beyond the escalation threshold. Reads the store; writes nothing. Scan runs the
// stages of notifier/scan_stages.h (collect, inhibit/silence, summarise, tier, route, group) in
// order, the overdue items through inhibit's and summarise's tests as they are read, so that it
// holds only the lines the digests will list (each list its first kMostLinesPerList, the rest
// counted: Digest::overdue_unlisted and the like).
//
// Routing: an item goes to the unit that must act next: the office (campaign notifier.office)
// for items waiting to be assigned or closed, the responsible unit otherwise.
// Can it finish: an item not yet overdue that can no longer finish in time (engine/feasibility.h)
// is flagged, and listed even when due later than the due-soon window, first among its unit's
// due-soon lines.
// Inhibition: an item is either overdue or due soon, never both (one deadline in force).
// Silences: an item with an active approved extension (延期) is left out entirely.
// Phase gates: after a phase ends, the items that have not reached its gate (campaign phases'
// gates) are added to the supervisors' 督办 digest.
// Ledgers: a unit that owes the town its signed ledger (附件1, engine/ledger_obligations.h) and
// has handed in nothing gets a line for it (kind "ledger", id 0) among its due-soon or overdue
// items, escalated like an item once overdue beyond the threshold.
// Data errors: an item whose dates the calendar does not cover (engine/data_error.h) is left out
// of every digest and listed in `data_errors`; every other digest is built as usual.
//
// 督办 notes: a note the supervisors wrote on a listed item (the `supervise` event) after
// `notes_since` (the previous slot) and by `as_of` goes on its line (DigestItem::supervision).
// An item neither overdue nor due soon has no line, so its note waits until it has one.
//
// Household survey: a village with households not yet visited (engine/survey_coverage.h) gets a
// line for them (kind "survey", id 0) while the survey deadline is due soon and once it is past;
// past it, the line also goes on the supervisors' 督办 list.
#pragma once

#include <string>
#include <vector>

#include "engine/campaign.h"
#include "engine/data_error.h"
#include "engine/item_store.h"
#include "engine/ledger_obligations.h"
#include "engine/silences.h"
#include "engine/survey_coverage.h"
#include "notifier/digest.h"
#include "notifier/outbox.h"

namespace rectify::notifier {

struct ScanResult {
  std::vector<Digest> units;        // one per unit with something to report, by unit id
  std::vector<Digest> supervisors;  // one per supervisor, when anything is escalated
  std::vector<DataError> data_errors;  // the items left out
};

// `ledgers` are the units' ledger statuses as of `as_of` (engine/ledger_obligations.h);
// `survey` is the survey's coverage at `as_of`, nullptr when there is none to remind of;
// `notes_since` is the previous slot (0 when there is none: every note counts);
// `link_base` prefixes item links ("http://127.0.0.1:8080"); `now` is the time of the pass, which
// may come after its slot (`as_of`): no item was written later. kInvalidArgument when the
// calendar does not cover as_of or a date of the campaign itself.
Result<ScanResult> Scan(const Campaign& campaign, ItemStore& store, const std::vector<LedgerStatus>& ledgers,
                        const std::vector<Silence>& silences, Instant as_of, Instant now, Instant notes_since,
                        const std::string& link_base,
                        const SurveyCoverage* survey = nullptr);

}  // namespace rectify::notifier
