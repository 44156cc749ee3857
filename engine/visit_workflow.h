// The Boost-free face of the household visit machine (入户核查): a household on a village's
// list is visited and its sheet recorded; the inspection group spot-checks (抽查) the record or
// sends it back with a reason, and the village records it again. The graph is a Boost.MSM
// machine compiled only in visit_machine.cc, like the item machines behind engine/workflow.h.
//
//   to_visit 待走访 --record--> recorded 已走访 --spot_check--> spot_checked 已抽查
//                                   |  ^
//                         send_back |  | record
//                                   v  |
//                               sent_back 退回重填
//
// Each event needs an action of the campaign's permission table, checked by the machine's guards
// against how the actor's unit stands to the household (Relations::village): `record` needs
// "record_visit", `spot_check` and `send_back` need "spot_check_visit". What a visit must hold
// (a team of at least two, the conclusion's fields) is the service's rule, checked before firing.
//
// Like every machine here it keeps no state between calls: each call restores a fresh machine
// from the stored state name. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/permissions.h"
#include "engine/status.h"
#include "engine/workflow.h"

namespace rectify {

// What a state means for the survey's figures and reminders.
enum class VisitStage {
  kToVisit,      // never visited
  kRecorded,     // a sheet is recorded and awaits the inspection group's spot check, if any
  kSpotChecked,  // the inspection group checked the recorded sheet
  kSentBack,     // the inspection group sent the sheet back: to be recorded again
};

class VisitWorkflow {
 public:
  virtual ~VisitWorkflow() = default;

  // Where a household starts: on the list, not yet visited.
  virtual std::string Initial() const = 0;
  // Every state, in table order.
  virtual std::vector<std::string> States() const = 0;
  // Every event name the machine accepts from the API.
  virtual std::vector<std::string> Events() const = 0;
  // The fields `event` takes and requires, read off its rows (engine/workflow.h).
  virtual EventFields FieldsOf(const std::string& event) const = 0;
  // The stage of `state`; kToVisit for a name that is not a state.
  virtual VisitStage StageOf(std::string_view state) const = 0;
  // Whether a household in `state` counts as visited: a recorded sheet stands (recorded or
  // spot-checked). A sheet sent back does not count until it is recorded again.
  bool IsVisited(std::string_view state) const {
    const VisitStage stage = StageOf(state);
    return stage == VisitStage::kRecorded || stage == VisitStage::kSpotChecked;
  }
  // The states from which `event` has a transition (structural: no permission or payload).
  virtual std::vector<std::string> StatesAllowing(std::string_view event) const = 0;
  // The events `who` may fire from `from`. kInternal for a state this machine does not have.
  virtual Result<std::vector<std::string>> PermittedEvents(const std::string& from, const Authority& who) const = 0;
  // Restores `from` and fires `input` (its name; `reason` for send_back) as `who`. kInternal
  // only for a state this machine cannot restore; every refusal is a FireResult.
  virtual Result<FireResult> Fire(const std::string& from, const EventInput& input, const Authority& who) const = 0;
};

const VisitWorkflow& SurveyVisitWorkflow();

}  // namespace rectify
