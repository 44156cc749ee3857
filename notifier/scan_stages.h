// The scan's stages, after Alertmanager's notify.Stage: each takes what the stage before it
// produced and returns what the next one needs, and all but Collect and ReadHistories (which read
// the store) are pure functions of their arguments. Scan (notifier/scan.h) runs them in order:
//
//   Collect       the open items due by the end of the due-soon window, those due later that
//                 Inhibit may keep (unable to finish in time, or with a data error), and the
//                 items behind a phase gate that has closed (reads the store)
//   Inhibit       drops the silenced (an approved 延期), those whose dates cannot be computed
//                 (their data errors kept), and those due later that can still finish in time;
//                 an item is either overdue or due soon, never both (one deadline in force)
//   Summarise     keeps of each recipient's lists the lines they will show (kMostLinesPerList),
//                 the supervisors' first, and the items with a 督办 note since the previous
//                 slot (it goes on its line wherever the item is); counts the rest
//   ReadHistories the history of each item kept, for its ask and its 督办 notes (reads the store)
//   Tier          one line (DigestItem) per item, ledger, survey and gate: its tier, working
//                 days, ask, notes and link, every line made by MakeLine
//   Route         to whom each line goes: the unit that must act next, and whether it is
//                 escalated to the supervisors
//   Group         the lines into one digest per recipient and the supervisors' 督办 list
//
// and the notifier (notifier/notifier.h) continues with Render (a digest into outbox rows, per
// channel) and enqueues them with the slot's record.
#pragma once

#include <deque>
#include <functional>
#include <set>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/campaign.h"
#include "engine/data_error.h"
#include "engine/item.h"
#include "engine/item_facts.h"
#include "engine/item_store.h"
#include "engine/ledger_obligations.h"
#include "engine/silences.h"
#include "engine/survey_coverage.h"
#include "notifier/channel.h"
#include "notifier/digest.h"
#include "notifier/outbox.h"

namespace rectify::notifier {

// How an item's deadline stands at the scan's instant.
enum class Due { kOverdue, kSoon, kLater };

struct Candidate {
  Item item;
  Due due = Due::kOverdue;
  std::optional<CivilDate> cannot_finish_since;  // Inhibit: not overdue and unable to finish in time
  std::vector<EventRecord> history;               // ReadHistories; empty when unreadable
  bool supervised = false;  // AddSupervised: due later, listed for a 督办 note since the previous slot
};

// A digest's list (a unit's overdue or due-soon lines, the supervisors' 督办 list) shows at most
// this many lines, the most urgent, and says how many more there are (Digest::*_unlisted); a line
// with a 督办 note since the previous slot is shown however far down it is.
inline constexpr std::size_t kMostLinesPerList = 20;

// An item behind a gate beyond the lines its gate lists: only what counting it needs.
struct GateItemRef {
  std::int64_t id = 0;
  std::string unit;
  std::optional<Instant> due_at;
};

// The items behind one phase gate that has closed: the first kMostLinesPerList read whole, the
// rest (a county's gate can hold hundreds of thousands) only to be counted.
struct GateCandidates {
  const Phase* phase = nullptr;  // points into the campaign
  Instant closes_at = 0;
  std::vector<Item> behind;
  std::vector<GateItemRef> more;
};

// The lines Summarise left out, counted for the digests (Group adds them).
struct Unlisted {
  std::map<std::string, int> overdue;   // by recipient unit id
  std::map<std::string, int> due_soon;  // by recipient unit id
  std::map<std::string, int> escalated;  // by responsible unit's name
};

struct Collected {
  // Overdue (most overdue first), then due soon, then due later. A deque: at a million items the
  // candidates take about a gigabyte, and a vector's doubling held up to twice that while it grew.
  std::deque<Candidate> items;
  std::vector<GateCandidates> gates;
  Instant soon_end = 0;  // the first instant after the due-soon window (DueSoonEnd)
  Unlisted unlisted;     // Summarise
};

// `keep_overdue`, when given, is asked of each overdue candidate as it is read, and one it
// refuses is not held: at a county's size most overdue items are only counted (Scan passes
// Inhibit's and Summarise's tests, Admission and ListBudget), and holding them all took a gigabyte.
// It is asked of the item's outline (OverdueQuery::outline: no title, history facts or
// updated_at); those it keeps are read whole.
// `written_by` is the latest instant an item may have been written (the time of the pass; a
// pass may come after its slot).
Result<Collected> Collect(const Campaign& campaign, ItemStore& store, Instant as_of, Instant written_by,
                          const std::function<bool(const Candidate&)>& keep_overdue = {});

// Inhibit's test of one item: not silenced (an approved 延期 in force at `as_of`), and its dates
// computable; an item's data error is noted once, however often it is asked about.
class Admission {
 public:
  Admission(const std::vector<Silence>& silences, Instant as_of);
  bool Silenced(std::int64_t id) const { return silenced_.count(id) > 0; }
  bool Admit(const Campaign& campaign, const Item& item, std::vector<DataError>& data_errors);

 private:
  std::set<std::int64_t> silenced_;
  std::set<std::int64_t> errored_;
};

// Summarise's test of one candidate, asked in the order the lists show them (overdue first, most
// overdue first; then the due-soon that cannot finish; then the rest): whether a digest will list
// it (among its recipient's first kMostLinesPerList of its list, or the supervisors' first
// long-overdue ones) or it has a 督办 note written since the previous slot (read with its
// history, for its line); else it is counted in `unlisted`. Asked again of what it kept, with
// the same `supervised`, it keeps them all and counts nothing.
class ListBudget {
 public:
  // `supervised`: the ids of the items with a 督办 note since the previous slot
  // (OpenItemsSupervisedSince); null when there is no previous slot: every note is new, and
  // every candidate is kept.
  ListBudget(const Campaign& campaign, Instant as_of, const std::set<std::int64_t>* supervised);
  bool Keep(const Candidate& candidate, Unlisted& unlisted);
  // Overdue by more than the escalation threshold at `as_of`: on the supervisors' 督办 list.
  bool Escalated(const std::optional<Instant>& due_at) const;

 private:
  const Campaign& campaign_;
  Instant as_of_;
  CivilDate today_;
  AwaitsOfficeMemo awaits_office_;
  std::map<std::string, std::size_t> overdue_shown_, due_soon_shown_;  // by recipient
  std::size_t escalated_shown_ = 0;
  const std::set<std::int64_t>* supervised_;
};

// The open items (of either kind) with a 督办 note written in (since, as_of]: found by the
// history's index of events and times (ItemQuery::event_between), not by their write times, which
// every recorded warning tier moves (so at a county's size a pass after one that recorded
// hundreds of thousands of tiers read each of those items whole and its history).
struct SupervisedSince {
  std::set<std::int64_t> ids;  // all of them: ListBudget's test
  // Those not overdue at the scan's `as_of` (AddSupervised: an overdue one's note is listed anyway).
  std::vector<std::pair<ItemKind, std::int64_t>> not_overdue;
};
Result<SupervisedSince> OpenItemsSupervisedSince(ItemStore& store, Instant since, Instant as_of);

// Adds as due later (Candidate::supervised) each of `written` (SupervisedSince::not_overdue) that
// is not a candidate yet and has a 督办 note written in (notes_since, as_of]: a note on an item
// neither overdue nor due soon reaches its unit at the next slot, on a line of its own, rather
// than wait for a line the item may never have (Inhibit keeps them).
Status AddSupervised(ItemStore& store, const std::vector<std::pair<ItemKind, std::int64_t>>& written, Instant notes_since,
                     Instant as_of, Collected& collected);

// Appends to `data_errors` each item left out for its dates, once (`admission` remembers those it
// has told of: Scan shares one with Collect's test of the overdue).
Collected Inhibit(const Campaign& campaign, Collected collected, Admission& admission, Instant as_of,
                  std::vector<DataError>& data_errors);

// The campaign's page in the web front end ("<link_base>/?campaign=gaoqiao-2021-autumn"): opened
// on a phone it goes through the login page to the reader's own work.
std::string CampaignPage(const std::string& link_base, const Campaign& campaign);

// Who must act next on the item: the office (campaign notifier.office) while it waits to be
// assigned or closed, its responsible unit otherwise.
const std::string& RecipientOf(const Campaign& campaign, const Item& item, AwaitsOfficeMemo& awaits_office);

// Leaves out the candidates no digest will list, counting them in `unlisted`: of each recipient's
// overdue and due-soon items all but the first kMostLinesPerList (those that cannot finish in
// time first among the due-soon, as Group orders them), unless among the supervisors' first
// kMostLinesPerList long-overdue ones or `supervised` (ListBudget); counts the items behind a
// gate beyond its listed ones, but those overdue beyond the threshold (on the list by their own
// line, or counted with it).
Collected Summarise(const Campaign& campaign, Collected collected, Instant as_of, const std::set<std::int64_t>* supervised);

// Fills each item's history; an unreadable history leaves it empty (the line still goes out).
Collected ReadHistories(ItemStore& store, Collected collected);

// The facts every line states; MakeLine adds the unit's name and the working days.
struct LineFacts {
  std::string kind;  // "problem", "enrollment", "ledger", "survey"
  std::int64_t id = 0;
  std::string title;
  std::string area_name;
  std::string unit;  // the responsible unit's id; "" for the office
  Instant deadline = 0;
  bool overdue = false;
  std::optional<CivilDate> counted_from;  // the working days' start; the deadline's day by default
  std::string link;
  std::string deadline_label;  // DigestItem::deadline_label
};

// The one place a digest line is made. kInvalidArgument when the calendar does not cover its days.
Result<DigestItem> MakeLine(const Campaign& campaign, const LineFacts& facts, Instant as_of);

// What a line is for: an item's, a ledger's or a survey's line goes to `recipient`; a gate's
// only to the supervisors.
enum class LineSource { kItem, kLedger, kSurvey, kGate };

struct Line {
  DigestItem row;
  LineSource source = LineSource::kItem;
  const Item* item = nullptr;  // an item's or a gate's: points into the Collected it came from (Group needs it not)
  std::string owner;           // a ledger's unit, a survey's village
  std::string recipient;       // Route: the unit addressed ("" for a gate's line)
  bool escalated = false;  // Route: also on the supervisors' 督办 list
};

// Every line of the scan, in order: items, the ledgers owed (附件1), the survey's villages, the
// gates. An item whose working days cannot be counted is left out with a data error; a ledger,
// survey or gate whose days cannot be counted fails the scan.
struct TierInputs {
  const std::vector<LedgerStatus>& ledgers;
  const SurveyCoverage* survey;  // nullptr: no survey to remind of
  Instant notes_since;           // 督办 notes after this go on their lines
  std::string link_base;
};
Result<std::vector<Line>> Tier(const Campaign& campaign, const Collected& collected, const TierInputs& inputs,
                               Instant as_of, std::vector<DataError>& data_errors);

// Sets each line's recipient and escalation.
std::vector<Line> Route(const Campaign& campaign, std::vector<Line> lines);

// One digest per recipient (by unit id), what can no longer finish first among its due-soon
// lines; the 督办 list by responsible unit, once per supervisor, when anything is escalated; a
// gate's item only when not already on the list. Each list keeps its first kMostLinesPerList
// lines and those with a 督办 note, and counts the rest with those Summarise left out.
struct Grouped {
  std::vector<Digest> units;
  std::vector<Digest> supervisors;
};
Grouped Group(const Campaign& campaign, std::vector<Line> lines, const Unlisted& unlisted, Instant as_of);

// The digest's outbox rows, one per part per channel of its recipient, keyed
// "<slot>|<audience>|<unit>#<channel id>|<part>".
std::vector<OutboxMessage> Render(const Digest& digest, const std::string& audience,
                                  const std::vector<std::unique_ptr<Channel>>& channels, const std::string& slot,
                                  Instant now);

}  // namespace rectify::notifier
