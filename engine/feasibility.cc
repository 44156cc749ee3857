#include "engine/feasibility.h"

#include <algorithm>
#include <string>
#include <vector>

#include "engine/deadlines.h"
#include "engine/item_facts.h"
#include "engine/workflow.h"

namespace rectify {
namespace {

// How long a step takes, in days of one kind.
struct StepLength {
  int days = 0;
  bool working_days = false;
};

// The step's minimum (typical: its typical duration, never below the minimum). Minimums of
// different kinds are not compared: a working-day one wins, as the longer in practice.
StepLength LengthOf(const Campaign& campaign, ItemKind kind, const std::string& path, bool typical) {
  StepLength out;
  auto take = [&](int days, bool working) {
    if (days > out.days || (working && !out.working_days && days > 0)) out = StepLength{days, working};
  };
  for (const MinimumDwell& dwell : campaign.minimum_dwells)
    if (dwell.applies_to == SubjectOf(kind) && dwell.state == path) take(dwell.days, dwell.working_days);
  for (const StepDuration& step : campaign.step_durations) {
    if (step.applies_to != SubjectOf(kind) || step.state != path) continue;
    take(step.minimum_days, step.working_days);
    if (typical) take(step.typical_days, step.working_days);
  }
  return out;
}

Result<CivilDate> After(const Campaign& campaign, const CivilDate& day, const StepLength& length) {
  if (length.days == 0) return day;
  if (length.working_days) return campaign.calendar->AddWorkingDays(day, length.days);
  return AddDays(day, length.days);
}

// The remaining steps after the current one, in the workflow's order, up to closing.
std::vector<std::string> LaterSteps(const Workflow& workflow, const StatePath& current) {
  std::vector<std::string> out;
  bool after = false;
  for (const std::string& path : workflow.States()) {
    if (workflow.IsClosed(StatePath::Parse(path))) break;
    if (after) out.push_back(path);
    if (path == current.ToString()) after = true;
  }
  return out;
}

// How long the item's current step and the steps after it take (typical: their typical
// durations), looked up once for the many finishes CheckFeasibility asks for.
struct StepsAhead {
  StepLength current;
  std::vector<StepLength> later;
};

StepsAhead StepsOf(const Campaign& campaign, const Item& item, const std::vector<std::string>& later, bool typical) {
  StepsAhead out;
  out.current = LengthOf(campaign, item.kind, item.state.ToString(), typical);
  for (const std::string& path : later) out.later.push_back(LengthOf(campaign, item.kind, path, typical));
  return out;
}

// The day the item can be closed if the current step ends no earlier than `free_from`. Never
// earlier for a later `free_from` (each step's end only moves with its start).
Result<CivilDate> Finish(const Campaign& campaign, const Item& item, const StepsAhead& steps,
                         const CivilDate& free_from) {
  auto current = After(campaign, ShanghaiDate(item.state_since), steps.current);
  if (!current.ok()) return current.status();
  CivilDate cursor = std::max(*current, free_from);
  for (const StepLength& length : steps.later) {
    auto next = After(campaign, cursor, length);
    if (!next.ok()) return next.status();
    cursor = *next;
  }
  return cursor;
}

}  // namespace

Result<std::optional<Feasibility>> CheckFeasibility(const Campaign& campaign, const Item& item, Instant as_of) {
  const Workflow& workflow = WorkflowFor(item.kind);
  if (!item.deadline || workflow.IsClosed(item.state) || !campaign.calendar) return std::optional<Feasibility>();
  const std::vector<std::string> later = LaterSteps(workflow, item.state);
  const CivilDate today = ShanghaiDate(as_of);
  const CivilDate due_day = DeadlineDay(*item.deadline);
  const StepsAhead minimum = StepsOf(campaign, item, later, false);
  Feasibility out;
  auto earliest = Finish(campaign, item, minimum, today);
  if (!earliest.ok()) return earliest.status();
  auto typical = Finish(campaign, item, StepsOf(campaign, item, later, true), today);
  if (!typical.ok()) return typical.status();
  out.earliest_finish = *earliest;
  out.typical_finish = *typical;
  out.in_time = *earliest <= due_day;
  if (out.in_time) return std::optional<Feasibility>(out);
  // Since when it cannot finish in time: the day after the last day before today (not before the
  // step was entered) whose earliest finish still made it, or the day it was entered. The finish
  // only moves later as the days pass, so that day is found by halving [entered, today).
  std::int64_t high = DaysSinceEpoch(today);
  std::int64_t low = std::min(DaysSinceEpoch(ShanghaiDate(item.state_since)), high);  // entered
  while (low < high) {  // impossible since a day in [low, high]
    const std::int64_t middle = low + (high - low) / 2;  // in [low, high)
    auto finish = Finish(campaign, item, minimum, DateFromDaysSinceEpoch(middle));
    if (!finish.ok()) return finish.status();
    if (*finish <= due_day) low = middle + 1;
    else high = middle;
  }
  out.impossible_since = DateFromDaysSinceEpoch(low);
  return std::optional<Feasibility>(out);
}

Result<CivilDate> LatestEarliestFinish(const Campaign& campaign, ItemKind kind, Instant as_of, Instant entered_by) {
  if (!campaign.calendar) return Status::InvalidArgument("calendar", "feasibility counts working days: no calendar");
  const Workflow& workflow = WorkflowFor(kind);
  const CivilDate today = ShanghaiDate(as_of);
  CivilDate latest = today;
  for (const std::string& path : workflow.States()) {
    Item probe;
    probe.kind = kind;
    probe.state = StatePath::Parse(path);
    if (workflow.IsClosed(probe.state)) continue;
    probe.state_since = std::max(as_of, entered_by);  // the latest it can have entered: every minimum ahead
    auto finish = Finish(campaign, probe, StepsOf(campaign, probe, LaterSteps(workflow, probe.state), false), today);
    if (!finish.ok()) return finish.status();
    latest = std::max(latest, *finish);
  }
  return latest;
}

}  // namespace rectify
