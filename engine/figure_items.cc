#include "engine/figure_items.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "engine/item_facts.h"
#include "engine/time.h"
#include "engine/workflow.h"

namespace rectify {
namespace {

Instant DayStart(const CivilDate& day) { return ShanghaiInstant(day, 0); }

// The burn-down counts an item's openings and closings by the day they fell on: only each day's
// net change matters.
std::vector<std::pair<Instant, bool>> OpenChangesByDay(const HistoryFacts& facts) {
  std::map<std::int64_t, int> net;
  for (const auto& [at, open] : facts.open_changes) net[DaysSinceEpoch(ShanghaiDate(at))] += open ? 1 : -1;
  std::vector<std::pair<Instant, bool>> out;
  for (const auto& [day, change] : net)
    for (int i = 0; i < std::abs(change); ++i) out.emplace_back(DayStart(DateFromDaysSinceEpoch(day)), change > 0);
  return out;
}

// The holders as the overdue working days read them (engine/charges.h): the day each took over
// after the deadline's day, or 0 for one that took over by then (the days before it charge no
// one); never later than it took over, as HoldersAsOf reads the times too. Without overdue days
// to charge (no deadline, or closed in time) only who held it matters.
std::vector<std::pair<Instant, std::string>> HoldersByDay(const Item& item, const HistoryFacts& facts,
                                                          bool days_charged) {
  std::vector<std::pair<Instant, std::string>> out;
  if (!days_charged) {
    std::set<std::string> units;
    for (const auto& [at, unit] : facts.holders)
      if (!unit.empty()) units.insert(unit);
    for (const std::string& unit : units) out.emplace_back(0, unit);
    return out;
  }
  const CivilDate from = DeadlineDay(*item.deadline);
  for (const auto& [at, unit] : facts.holders) {
    const CivilDate day = ShanghaiDate(at);
    out.emplace_back(from < day ? DayStart(day) : 0, unit);
  }
  return out;
}

// Sign-for requests as their judgement stands once every row is in: a signed or released one by
// whether it was late, one still awaited by its limit.
std::vector<SignForRequestRecord> SignForJudgements(const HistoryFacts& facts) {
  constexpr Instant kInTime = 0, kLimit = 1, kLate = 2;
  std::vector<SignForRequestRecord> out;
  for (const SignForRequestRecord& request : facts.sign_for_requests) {
    if (request.unit.empty()) continue;  // charged to no one
    SignForRequestRecord judged;
    judged.unit = request.unit;
    if (request.signed_at) {
      judged.due = kLimit;
      judged.signed_at = *request.signed_at <= request.due ? kInTime : kLate;
    } else if (request.released_at) {
      judged.due = kLimit;
      judged.released_at = *request.released_at > request.due ? kLate : kInTime;
    } else {
      judged.due = request.due;
    }
    out.push_back(std::move(judged));
  }
  std::sort(out.begin(), out.end(), [](const SignForRequestRecord& a, const SignForRequestRecord& b) {
    return std::tie(a.unit, a.due, a.signed_at, a.released_at) < std::tie(b.unit, b.due, b.signed_at, b.released_at);
  });
  return out;
}

}  // namespace

FigureItem FigureItemOf(const Item& item, const HistoryFacts& facts) {
  FigureItem out;
  Item& figure = out.item;
  const bool closed = WorkflowFor(item.kind).IsClosed(item.state);
  const bool enrollment = item.kind == ItemKind::kEnrollment;
  figure.kind = item.kind;
  figure.state = item.state;
  figure.area = item.area;
  figure.source = item.source;
  figure.unit = item.unit;
  if (enrollment) figure.cooperating_units = item.cooperating_units;  // who sees a household
  figure.deadline = item.deadline;
  if (!closed) {
    figure.due_at = item.due_at;
    // Feasibility counts a step's minimum from the day the item entered it.
    if (item.deadline) figure.state_since = DayStart(ShanghaiDate(item.state_since));
    if (item.due_at) {  // the tier's "entered N times" rules
      figure.tier = item.tier;
      figure.tier_entries = item.tier_entries;
    }
  }
  if (item.household) {
    Household household;
    household.village = item.household->village;
    household.risk_found_on = item.household->risk_found_on;
    figure.household = std::move(household);
  }
  if (item.outcome) figure.outcome = EnrollmentOutcome{item.outcome->result, item.outcome->entered_on, {}};
  if (enrollment && !item.measures.empty()) figure.measures = "*";  // help measures on record

  HistoryFacts& facts_out = out.facts;
  const std::optional<Instant> closed_at = ClosedAt(item, facts);
  bool days_charged = item.deadline.has_value();
  if (closed_at && item.deadline) {
    // In time: only that. Late: the day it closed on, and still after the deadline.
    if (*closed_at <= *item.deadline) {
      facts_out.last_closed_at = *item.deadline;
      days_charged = false;
    } else {
      facts_out.last_closed_at = std::max(*item.deadline + 1, DayStart(ShanghaiDate(*closed_at)));
    }
  } else if (closed_at) {
    facts_out.last_closed_at = 0;  // no deadline to be late for
  }
  facts_out.open_changes = OpenChangesByDay(facts);
  facts_out.holders = HoldersByDay(item, facts, days_charged);
  facts_out.send_backs = facts.send_backs;
  facts_out.sign_for_requests = SignForJudgements(facts);
  facts_out.progress_noted = enrollment && facts.progress_noted;
  return out;
}

}  // namespace rectify
