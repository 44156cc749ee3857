// The records the engine keeps: problems (问题) and enrollment requests (识别纳入申请), and
// the events that moved them. Plain data; the rules that change them live in workflow.h and
// item_service.h.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/personal_data.h"
#include "engine/time.h"

namespace rectify {

enum class ItemKind { kProblem, kEnrollment };
const char* ItemKindName(ItemKind kind);  // "problem", "enrollment"
std::optional<ItemKind> ParseItemKind(std::string_view text);

// Where an item stands: a top-level state (found, assigned, rectifying, verified, closed)
// and, inside a state that has steps (rectifying), the step. Persisted as the path
// "rectifying.submitted", never as Boost.MSM's numeric ids.
struct StatePath {
  std::string state;
  std::string step;  // empty when the state has no steps

  std::string ToString() const { return step.empty() ? state : state + "." + step; }
  static StatePath Parse(std::string_view path);
  friend bool operator==(const StatePath& a, const StatePath& b) { return a.state == b.state && a.step == b.step; }
  friend bool operator!=(const StatePath& a, const StatePath& b) { return !(a == b); }
};

// The household an enrollment request is about (附件3's columns that this phase keeps).
struct Household {
  std::string head_name;    // 户主姓名
  std::string village;      // unit id of the village
  std::string category;     // choice id: 脱贫不稳定户 / 边缘易致贫户 / 突发严重困难户
  std::string risk_type;    // choice id: 因病, 因学, ...
  CivilDate risk_found_on;  // when the risk appeared; the two-month limit counts from here
  std::string clue_source;  // choice id: 农户自主申报 / 基层干部排查 / 部门筛查预警
  int members = 0;          // 家庭人口, 0 when unknown
  // Stored in full; shown masked or left out depending on who looks (engine/personal_data.h).
  PersonalData personal;
};

// How an enrollment request ended, recorded when it is closed.
struct EnrollmentOutcome {
  std::string result;  // "enrolled" or "not_eligible"
  std::optional<CivilDate> entered_on;  // enrolled: the date entered in the national system
  std::string explanation;              // not_eligible: what the household was told

  bool operator==(const EnrollmentOutcome& other) const {
    return result == other.result && entered_on == other.entered_on && explanation == other.explanation;
  }
  bool operator!=(const EnrollmentOutcome& other) const { return !(*this == other); }
};

// A unit's acknowledgement that it has received an item (签收), awaited since the item was assigned,
// reassigned, sent back or reopened to it. Its limit is a deadline rule counted from `since`
// (engine/deadlines.h), in force while it is awaited.
struct SignForRequest {
  std::string unit;  // the unit that must sign
  Instant since = 0;
};

// A unit's request for a later deadline (延期申请), awaiting the office's approval or refusal.
struct ExtensionRequest {
  Instant proposed = 0;  // the deadline the unit asks for
  std::string reason;
  std::string requested_by;
  Instant requested_at = 0;
};

// One request to sign for an item (签收), from the row that asked for it to the row that ended it.
struct SignForRequestRecord {
  std::string unit;
  Instant asked_at = 0;
  Instant due = 0;                     // the sign-for limit the asking row recorded
  std::optional<Instant> signed_at;    // the unit signed (or took up the work) then
  std::optional<Instant> released_at;  // another request, the item leaving the unit or closing ended it unsigned
};

// What the figures need of an item's history, kept beside the item so that the dashboard and the
// scores never read the history itself: the store advances it with every history row it writes
// (AdvanceFacts, engine/history_facts.h), in the same transaction. Each list is in history order
// and carries the times, so a figure "as of" an earlier instant still reads the rows up to it.
struct HistoryFacts {
  // Each time the item opened (true) or closed (false); a new item opens with its first row.
  std::vector<std::pair<Instant, bool>> open_changes;
  // Each time the responsible unit named by the rows changed ("" = none), from the first row on.
  std::vector<std::pair<Instant, std::string>> holders;
  std::map<std::string, int> send_backs;  // 退回重办 per unit that held the item then
  std::vector<SignForRequestRecord> sign_for_requests;
  std::optional<Instant> last_closed_at;  // the last row that closed it (moved it from open to closed)
  bool progress_noted = false;            // a progress row with a note (帮扶措施 recorded while it ran)

  bool operator==(const HistoryFacts& other) const;
};

// The newest progress row with a note (整改进展, what the ledger prints): when, and the note;
// an empty note while the item has none.
struct ProgressNote {
  Instant at = 0;
  std::string note;
  bool operator==(const ProgressNote& other) const { return at == other.at && note == other.note; }
};

struct Item {
  std::int64_t id = 0;
  ItemKind kind = ItemKind::kProblem;
  // The campaign the item belongs to (engine/deployment.h). An open problem of an ended campaign
  // may be carried into a later one (回头看): a new problem begins there, whose `carried_from`,
  // `carried_from_id` and `carried_at` say where from and when it arrived, and the old one stays
  // in its campaign as it stood, on last year's record, with `carried_to` and `carried_to_id`
  // saying where it went; nothing more happens to it. (A problem carried before 2026-12 moved
  // whole: it kept its id, and its carried_from_id is 0.)
  std::string campaign;
  std::string carried_from;
  std::int64_t carried_from_id = 0;
  std::optional<Instant> carried_at;
  std::string carried_to;
  std::int64_t carried_to_id = 0;
  // The key of the request that created it, with its sender ("zhang.office:<key>"); empty when
  // the request gave none. A request repeated with the same key (its answer was lost on the way)
  // finds this item instead of making another (ItemService::CreateProblem, CreateEnrollment).
  std::string request_key;
  StatePath state;
  std::int64_t version = 0;  // +1 on every change; the optimistic-concurrency token

  std::string title;        // a problem's description, or "<head>户 <category>" for a household
  int area = 0;             // area number in the campaign; 0 = none
  std::string source;       // problem source id (enrollments: empty)
  std::string unit;         // responsible unit id; empty until assigned
  std::vector<std::string> cooperating_units;  // 配合单位: they see the item and record progress
  std::string measures;     // 整改措施, free text
  // Problems: the day the inspection found it, as given (not when it was typed in); deadline
  // rules counted from "found" count from here, or from the day it was recorded when unknown.
  std::optional<CivilDate> found_on;
  // The overall deadline (整改时限 / the enrollment limit); nullopt = none. `deadline_rule` names
  // the campaign rule it came from, or is empty when the deadline was given explicitly.
  std::optional<Instant> deadline;
  std::string deadline_rule;
  // The deadline before the first approved extension (原时限); nullopt while never extended.
  std::optional<Instant> original_deadline;
  // When the item entered its current state; step limits and minimum dwells count from here.
  Instant state_since = 0;
  // The deadline in force now: the earliest of `deadline` and every step limit of the current
  // state, and which rule set it ("" for `deadline`). Closed items have none. Computed on every
  // change (engine/deadlines.h) and stored, so overdue queries are index lookups.
  std::optional<Instant> due_at;
  std::string due_rule;
  int send_back_count = 0;  // times the inspection group sent it back
  int reopen_count = 0;     // times it was reopened after closing (回头看)
  std::optional<SignForRequest> sign_for;     // awaiting 签收
  std::optional<ExtensionRequest> extension;  // awaiting the office's decision
  // The warning tier (红黄蓝, engine/warning_tiers.h) last recorded for the item ("" none), and
  // how often it has entered each tier: a rule such as "yellow twice" reads these.
  std::string tier;
  std::map<std::string, int> tier_entries;
  Instant created_at = 0;
  Instant updated_at = 0;

  std::optional<Household> household;        // enrollments only
  std::optional<EnrollmentOutcome> outcome;  // enrollments, once closed
  // Kept by the store, which ignores what a caller sets here; nullopt on an item written before
  // the store kept them (HistoryFactsOf reads them off its history) and on one not yet stored.
  std::optional<HistoryFacts> facts;
  // Kept by the store like `facts` (AdvanceLatestProgress, engine/history_facts.h), so that the
  // ledger never reads the history; nullopt on an item written before the store kept it.
  std::optional<ProgressNote> latest_progress;
};

// The overall deadline of an item (Item::deadline, deadline_rule, original_deadline).
struct DeadlineSetting {
  std::optional<Instant> deadline;
  std::string rule;
  std::optional<Instant> original;

  bool operator==(const DeadlineSetting& other) const {
    return deadline == other.deadline && rule == other.rule && original == other.original;
  }
  bool operator!=(const DeadlineSetting& other) const { return !(*this == other); }
};

// What an event changed that the history rows keep nowhere else, as it was before the event: an
// extension granted or a reopening moves the deadline, a reopening clears an enrollment's
// outcome. A figure of an earlier moment takes them from the first such row after it
// (engine/as_it_stood.h). Each part is nullopt where the event left it alone.
struct ChangedByEvent {
  std::optional<DeadlineSetting> deadline;
  std::optional<EnrollmentOutcome> outcome;

  bool operator==(const ChangedByEvent& other) const {
    return deadline == other.deadline && outcome == other.outcome;
  }
  bool empty() const { return !deadline && !outcome; }
};

// One line of an item's history, written in the same transaction as the change it records.
struct EventRecord {
  std::int64_t seq = 0;  // assigned by the store, increasing
  std::int64_t item_id = 0;
  std::string from;   // state path before ("" for creation)
  std::string to;     // state path after
  std::string event;  // "create", "assign", "send_back", ...
  std::string actor;  // who did it
  Instant at = 0;
  std::string note;   // the reason, the progress note, "unit a -> unit b", ...
  // The responsible unit once the event happened: what the unit answers for from here on is
  // charged to it (send-backs, overdue days), even if the item is later reassigned.
  std::string unit;
  std::optional<Instant> sign_for_due;  // the event asked `unit` to sign for the item by then
  bool signed_for = false;              // the event was the unit's acknowledgement (签收)
  bool sent_back = false;               // the event sent the unit's work back (退回重办)
  // What the event changed, as it was before (nothing on rows written before 2026-12-03: a figure
  // of a moment before such a row reads the deadline and outcome as they are now).
  ChangedByEvent before;
};

// An item with its history, oldest event first: what the forms and the dashboard read.
struct ItemRecord {
  Item item;
  std::vector<EventRecord> history;
};

}  // namespace rectify
