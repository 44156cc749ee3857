// Each village's score for the 2021 performance assessment (实效考核), by the campaign's formula
// (Campaign::scores, documented in the campaign file):
//
//   score = base + on_time_points × on_time_rate + enrollment_points × enrollment_rate
//           − per_send_back × send_backs − per_overdue_working_day × overdue_working_days
//
// clamped to [minimum, maximum] and rounded to one decimal. What each term counts, per village:
//   on_time_rate          of the problems it is responsible for that are closed or past their
//                         deadline (整改时限) at as_of, the share closed (销号) by the deadline
//   enrollment_rate       of its households' requests (not closed as ineligible) that are
//                         enrolled or past their deadline, the share enrolled by the deadline
//   send_backs            every send-back by the inspection group of a problem it held then
//   overdue_working_days  per problem, the working days from its deadline's day to the day it
//                         was closed, or to as_of's day while open (official calendar), each
//                         charged to the village that held the problem when the day began
// Penalties stay with the village that held the problem at the time (engine/charges.h): a
// problem reassigned to another unit takes none of them along.
// A rate with nothing to judge yet is 1: nothing has been late. An item with a data error
// (engine/data_error.h), or whose overdue days cannot be counted, counts for nothing and is
// listed in `data_errors`: one bad item never keeps the other villages from their scores.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/campaign.h"
#include "engine/data_error.h"
#include "engine/item.h"
#include "engine/status.h"
#include "engine/time.h"

namespace rectify {

struct VillageScore {
  std::string village;  // unit id
  int rank = 0;         // 1 = best; equal scores share a rank (1, 2, 2, 4)
  double score = 0;
  int problems = 0;          // responsible for
  int problems_judged = 0;   // closed or past their deadline
  int problems_on_time = 0;
  double on_time_rate = 1;
  int send_backs = 0;
  int overdue_working_days = 0;  // of problems and enrollment requests, while the village held them
  int households = 0;          // requests proposed
  int households_judged = 0;   // enrolled, or open past the campaign's limit (two months from the risk)
  int households_in_time = 0;  // enrolled within that limit
  double enrollment_rate = 1;
};

struct VillageScores {
  std::vector<VillageScore> villages;  // every village of the campaign, best first (ties in its order)
  std::vector<DataError> data_errors;  // the items left out
};

// The scores built one item at a time, so that a caller need hold no more than a page of items:
// each with its kept history facts (engine/history_facts.h); data errors in the order added.
class VillageScoreTally {
 public:
  // `campaign` must outlive the tally.
  VillageScoreTally(const Campaign& campaign, Instant as_of);
  // Whether the scores can be computed at all: kFailedPrecondition when the campaign has no
  // score formula; kInvalidArgument (field "as_of") when as_of's day is outside the calendar
  // (engine/date_rules.h). Add and Finish only after it said Ok.
  Status Check() const;
  // `weight` items like this one (engine/figure_items.h): each counted `weight` times; a data
  // error is listed once.
  void Add(const Item& item, const HistoryFacts& facts, int weight = 1);
  VillageScores Finish() &&;

 private:
  bool Computable(const Item& item);
  // Whether a village holds the item now or held it once (its penalties may be a village's).
  bool ConcernsAVillage(const Item& item, const HistoryFacts& facts) const;
  // Charges the item's working days overdue to the villages that held it; false (a data error
  // listed) when the calendar cannot count them.
  bool ChargeOverdueDays(const Item& item, const HistoryFacts& facts, int weight);
  void AddProblem(const Item& item, const HistoryFacts& facts, int weight);
  void AddEnrollment(const Item& item, const HistoryFacts& facts, int weight);

  const Campaign& campaign_;
  const Instant as_of_;
  std::map<std::string, VillageScore> by_village_;
  std::vector<DataError> data_errors_;
};

// Every record through a VillageScoreTally, after its Check.
Result<VillageScores> ScoreVillages(const Campaign& campaign, const std::vector<ItemRecord>& problems,
                                                const std::vector<ItemRecord>& enrollments, Instant as_of);

}  // namespace rectify
