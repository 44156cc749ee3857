// What a transition does to an item beside moving it: the ItemService's half of Fire that
// applies the machine's decisions (TransitionEffects) to the stored record.
#include "engine/deadlines.h"
#include "engine/item_service.h"
#include "engine/workflow.h"

namespace rectify {
namespace {

// Adds "; part" to a history note.
void AddToNote(std::string& note, const std::string& part) { note += (note.empty() ? "" : "; ") + part; }

}  // namespace

Status ItemService::DescribeHolder(const Item& item, EventRecord& event, bool asked_to_sign) const {
  event.unit = item.unit;
  if (!asked_to_sign || !item.sign_for) return Status::Ok();
  auto due = SignForDue(campaign_, item);
  if (!due.ok()) return due.status();
  event.sign_for_due = *due;
  return Status::Ok();
}

Status ItemService::ApplyEffects(Item& item, EventRecord& event, const StatePath& to, const TransitionEffects& effects,
                                 const EventInput& input, const Actor& actor, Instant now) const {
  const DeadlineSetting deadline_before{item.deadline, item.deadline_rule, item.original_deadline};
  const std::optional<EnrollmentOutcome> outcome_before = item.outcome;
  if (effects.unit) item.unit = *effects.unit;
  if (effects.sent_back) {
    ++item.send_back_count;
    event.sent_back = true;
  }
  if (effects.signed_for) {
    item.sign_for.reset();
    event.signed_for = true;
  }
  // Asked after the unit changed: the new unit signs.
  if (effects.sign_for_requested) item.sign_for = SignForRequest{item.unit, now};
  switch (effects.extension) {
    case ExtensionDecision::kNone:
      break;
    case ExtensionDecision::kRequested:
      // Asked after the deadline, an approval would wipe out days the unit was already late
      // (the scores judge against the deadline in force): an extension is asked in time.
      if (item.deadline && *item.deadline <= now)
        return Status::Unprocessable("deadline", "the deadline " + FormatInstant(*item.deadline) +
                                                     " has passed: an extension is asked before it")
            .WithReason("deadline_passed", {{"current", FormatInstant(*item.deadline)}});
      if (item.deadline && *input.deadline <= *item.deadline)
        return Status::Unprocessable("deadline", "an extension asks for a date after the deadline " +
                                                     FormatInstant(*item.deadline))
            .WithReason("not_after_deadline",
                        {{"deadline", FormatInstant(*input.deadline)}, {"current", FormatInstant(*item.deadline)}});
      item.extension = ExtensionRequest{*input.deadline, input.reason, actor.name, now};
      AddToNote(event.note, "deadline asked: " + FormatInstant(*input.deadline));
      break;
    case ExtensionDecision::kApproved: {
      const Instant granted = input.deadline.value_or(item.extension->proposed);
      // The office may grant another date than the one asked for, but an extension it stays: a
      // date at or before the deadline would make the unit late for a deadline it was never given.
      if (item.deadline && granted <= *item.deadline)
        return Status::Unprocessable("deadline", "an extension moves the deadline later: " + FormatInstant(granted) +
                                                     " is not after the deadline " + FormatInstant(*item.deadline) +
                                                     " (to keep the deadline, refuse the request)")
            .WithReason("not_after_deadline",
                        {{"deadline", FormatInstant(granted)}, {"current", FormatInstant(*item.deadline)}});
      if (!item.original_deadline) item.original_deadline = item.deadline;
      AddToNote(event.note, "extended to " + FormatInstant(granted) +
                                (item.original_deadline ? " (was " + FormatInstant(*item.original_deadline) + ")" : ""));
      item.deadline = granted;
      item.deadline_rule.clear();  // given, like an explicit deadline: no rule recomputes it
      item.extension.reset();
      break;
    }
    case ExtensionDecision::kRefused:
      // A refusal takes no date (the machine says so: a date sent with one is field_not_taken).
      item.extension.reset();
      break;
  }
  if (effects.reopened) {
    ++item.reopen_count;
    item.outcome.reset();
  }
  if (effects.outcome) item.outcome = effects.outcome;
  if (to != item.state) item.state_since = now;
  item.state = to;
  // A closed item awaits nothing: no signature (an enrollment closed as not eligible right after
  // a send-back), no decision on an extension.
  if (WorkflowFor(item.kind).IsClosed(to)) {
    item.sign_for.reset();
    item.extension.reset();
  }
  item.updated_at = now;
  if (effects.reopened) {
    // A reopened item gets a new deadline: the one given, else the campaign's reopen rule.
    std::optional<Instant> deadline = input.deadline;
    if (!deadline) {
      auto ruled = ReopenDeadlineFor(campaign_, item);
      if (!ruled.ok()) return ruled.status();
      deadline = *ruled;
      if (deadline) AddToNote(event.note, "deadline by rule " + campaign_.ReopenDeadline(SubjectOf(item.kind))->id);
    }
    if (!deadline)
      return Status::Unprocessable("deadline", "reopening needs a new deadline: the campaign has no reopen rule");
    AddToNote(event.note, "new deadline: " + FormatInstant(*deadline));
    item.deadline = *deadline;
    item.deadline_rule.clear();
  }
  RECTIFY_RETURN_IF_ERROR(ApplyCurrentDue(campaign_, item));
  // The row keeps what it changed and no other row keeps, so that a figure of a moment before it
  // judges the item by its deadline and outcome then. An outcome first given needs no record: the
  // item was open before, and has none there.
  if (DeadlineSetting{item.deadline, item.deadline_rule, item.original_deadline} != deadline_before)
    event.before.deadline = deadline_before;
  if (outcome_before && item.outcome != outcome_before) event.before.outcome = outcome_before;
  return DescribeHolder(item, event, effects.sign_for_requested);
}

}  // namespace rectify
