#include "engine/workflow.h"

#include <utility>

#include "engine/text.h"

namespace rectify {
namespace {

// EventInput's fields in its order, as the API spells them.
constexpr std::pair<unsigned, const char*> kFieldNames[] = {
    {event_field::kNote, "note"},
    {event_field::kUnit, "unit"},
    {event_field::kReason, "reason"},
    {event_field::kEnteredOn, "entered_on"},
    {event_field::kExplanation, "explanation"},
    {event_field::kDeadline, "deadline"},
};

}  // namespace

std::vector<std::string> EventFieldNames(unsigned fields) {
  std::vector<std::string> names;
  for (const auto& [bit, name] : kFieldNames)
    if ((fields & bit) != 0) names.emplace_back(name);
  return names;
}

unsigned FieldsGiven(const EventInput& input) {
  unsigned given = 0;
  if (!input.note.empty()) given |= event_field::kNote;
  if (!input.unit.empty()) given |= event_field::kUnit;
  if (!input.reason.empty()) given |= event_field::kReason;
  if (input.entered_on) given |= event_field::kEnteredOn;
  if (!input.explanation.empty()) given |= event_field::kExplanation;
  if (input.deadline) given |= event_field::kDeadline;
  return given;
}

Status CheckFieldsTaken(const EventInput& input, const EventFields& fields) {
  const std::vector<std::string> extra = EventFieldNames(FieldsGiven(input) & ~fields.takes);
  if (extra.empty()) return Status::Ok();
  const std::string takes = JoinNames(EventFieldNames(fields.takes));
  return Status::InvalidArgument(extra.front(), "\"" + input.name + "\" takes no " + extra.front() +
                                                    " (it would be ignored); it takes: " + takes)
      .WithReason("field_not_taken", {{"event", input.name}, {"takes", takes}});
}

}  // namespace rectify
