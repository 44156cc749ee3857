// For the random walks over the machines (streamed forms and figures): an input filled with
// every field, cut to what its event takes, since ItemService refuses a field the event would
// ignore (engine/workflow.h CheckFieldsTaken).
#pragma once

#include "engine/workflow.h"

namespace rectify::testing {

inline EventInput TakenOnly(EventInput input, const EventFields& fields) {
  if ((fields.takes & event_field::kNote) == 0) input.note.clear();
  if ((fields.takes & event_field::kUnit) == 0) input.unit.clear();
  if ((fields.takes & event_field::kReason) == 0) input.reason.clear();
  if ((fields.takes & event_field::kEnteredOn) == 0) input.entered_on.reset();
  if ((fields.takes & event_field::kExplanation) == 0) input.explanation.clear();
  if ((fields.takes & event_field::kDeadline) == 0) input.deadline.reset();
  return input;
}

}  // namespace rectify::testing
