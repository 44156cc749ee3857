// The numbers behind the dashboard's charts, computed from items and their histories: a pure
// function, so the same input always draws the same charts. The caller decides which items the
// viewer may see (a unit's own, or the whole town's) and passes only those.
//
// Counts are of the items as they stand; `as_of` judges "overdue" and ends the burn-down. An
// item with a data error (engine/data_error.h) is counted nowhere and listed in `data_errors`.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/campaign.h"
#include "engine/data_error.h"
#include "engine/item.h"
#include "engine/time.h"

namespace rectify {

// Problems open (not closed: 销号 takes one off, 回头看 reopening puts it back) at the end of a
// day, or at `as_of` on its own day. Events after `as_of` are ignored.
struct BurnDownPoint {
  CivilDate date;
  int open = 0;
};

// One responsible unit's problems ("" = not yet assigned). Every problem it holds now is in
// exactly one of on_time, overdue and closed_late. Send-backs are charged to the unit that held
// the problem when its work was sent back (engine/charges.h), even if it was reassigned since.
struct UnitProblemCounts {
  std::string unit;
  int total = 0;
  int on_time = 0;      // closed by its deadline, or open and not past its deadline in force
  int overdue = 0;      // open and past its deadline in force (due_at) at as_of
  int closed_late = 0;  // closed after its deadline (整改时限)
  int sent_back = 0;     // problems sent back at least once while it held them
  int send_backs = 0;   // every send-back, a problem sent back twice counting twice
};

// The three rates Chinese 督办 systems score a unit by, over its problems and enrollment
// requests, each read from the histories so that it stays with the unit that held the item at
// the time (engine/charges.h). A rate is its good count over its judged count; with nothing
// judged there is no rate yet.
struct UnitRates {
  std::string unit;
  int sign_for_judged = 0;  // 按时签收率: requests to sign for an item, signed or past their limit
  int signed_on_time = 0;   //   of those, signed by the limit
  int close_judged = 0;     // 按时办结率: items it holds that are closed, or open past their deadline
  int closed_on_time = 0;   //   of those, closed by the deadline (an approved extension's)
  int held = 0;             // 发回重办率: items it has held (承办)
  int sent_back = 0;        //   of those, sent back at least once while it held them
  // Open items it holds now in each warning tier (engine/warning_tiers.h), in the campaign's
  // order of tiers.
  std::vector<int> tiers;
  int cannot_finish = 0;  // open items it holds now that can no longer make their deadline (engine/feasibility.h)
};

// Problems per source (问题来源), in the campaign's order: the plan names how many some sources
// fed back (13 national assessment, 11 post-evaluation, 5 provincial), so a shortfall shows.
struct SourceProgress {
  std::string source;
  std::optional<int> expected;  // the campaign's expected_count
  int total = 0;
  int closed = 0;
  int overdue = 0;  // open past their deadline in force
};

struct AreaProgress {
  int area = 0;
  int total = 0;
  int closed = 0;
};

// The plan's targets: every household at risk enrolled within two months, every monitored one
// with help measures in place.
struct EnrollmentProgress {
  int proposed = 0;       // requests not closed as not eligible
  int enrolled = 0;       // closed as enrolled
  int within_limit = 0;   // enrolled within the campaign's limit from the risk (EnrolledWithinLimit)
  int with_measures = 0;  // enrolled with help measures on record (HasHelpMeasures)
  int overdue = 0;        // open past their deadline in force
};

struct Dashboard {
  Instant as_of = 0;
  // From the first day of the campaign's first phase to as_of's day; empty before it starts.
  std::vector<BurnDownPoint> burn_down;
  // The campaign's order, unassigned last; only units with problems or send-backs charged.
  std::vector<UnitProblemCounts> units;
  std::vector<UnitRates> rates;  // the campaign's order; only units that have held an item
  std::vector<AreaProgress> areas;       // every area of the campaign, in order
  std::vector<SourceProgress> sources;   // every source of the campaign, in order
  EnrollmentProgress enrollment;
  std::vector<DataError> data_errors;  // problems first, then enrollments, by input order
};

// The dashboard built one item at a time, so that a caller need hold no more than a page of
// items: each with its kept history facts (engine/history_facts.h), in any order (data errors
// are listed problems first, each kind in the order added).
// Whether a unit member's figures count `item` (its dashboard, its campaign summary): the
// problems its unit leads, and the enrollment requests it leads, cooperates on or that are of
// its village. A problem it only cooperates on is its lead unit's to answer for.
bool CountsForUnit(const Item& item, const std::string& unit);

class DashboardTally {
 public:
  // `campaign` must outlive the tally.
  DashboardTally(const Campaign& campaign, Instant as_of);
  // `weight` items like this one (engine/figure_items.h): each counted `weight` times; a data
  // error is listed once.
  void Add(const Item& item, const HistoryFacts& facts, int weight = 1);
  Dashboard Finish() &&;

 private:
  void AddProblem(const Item& item, const HistoryFacts& facts, int weight);
  void AddEnrollment(const Item& item, const HistoryFacts& facts, const std::optional<Instant>& limit, int weight);

  const Campaign& campaign_;
  const Instant as_of_;
  Dashboard dashboard_;
  std::int64_t first_day_ = 0;
  std::vector<int> open_changes_;  // per day from the campaign's start to as_of's; empty before it starts
  std::map<std::string, UnitProblemCounts> units_;
  std::map<std::string, UnitRates> rates_;
  std::vector<DataError> problem_errors_;
  std::vector<DataError> enrollment_errors_;
};

// Every record through a DashboardTally. `problems` and `enrollments` may hold items of the
// other kind; they are skipped.
Dashboard BuildDashboard(const Campaign& campaign, const std::vector<ItemRecord>& problems,
                         const std::vector<ItemRecord>& enrollments, Instant as_of);

// The first day of the campaign (its earliest phase start); nullopt without phases.
std::optional<CivilDate> CampaignStart(const Campaign& campaign);

}  // namespace rectify
