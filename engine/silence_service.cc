#include "engine/silence_service.h"

#include "engine/date_rules.h"
#include "engine/text.h"
#include "engine/workflow.h"

namespace rectify {
namespace {

// Silences name an item by its id alone (ids are the deployment's, whatever the kind).
Result<Item> ItemOf(ItemStore& items, std::int64_t id) {
  auto problem = items.Get(ItemKind::kProblem, id);
  if (problem.ok() || problem.status().code() != StatusCode::kNotFound) return problem;
  return items.Get(ItemKind::kEnrollment, id);
}

bool IsItemOf(ItemStore& items, std::int64_t id) { return ItemOf(items, id).ok(); }

}  // namespace

Status SilenceService::Require(const Actor& actor) const {
  if (campaign_.permissions.MayDo("manage_silences", actor)) return Status::Ok();
  return Status::PermissionDenied(actor.name + " may not manage_silences here");
}

Result<Silence> SilenceService::Add(const NewSilence& input, const Actor& actor, Instant now) {
  RECTIFY_RETURN_IF_ERROR(Require(actor));
  for (const auto& [field, text] : {std::pair<const char*, const std::string&>{"approved_by", input.approved_by},
                                    std::pair<const char*, const std::string&>{"reason", input.reason}}) {
    RECTIFY_RETURN_IF_ERROR(CheckText(field, text));
    if (IsBlank(text)) return Status::InvalidArgument(field, "must not be empty");
  }
  RECTIFY_RETURN_IF_ERROR(CheckSilenceUntil(campaign_, input.until, now, "until"));
  auto item = ItemOf(items_, input.item_id);
  if (!item.ok() && item.status().code() == StatusCode::kNotFound)
    return Status::NotFound("item " + std::to_string(input.item_id) + " not found in campaign " + campaign_.id);
  if (!item.ok()) return item.status();
  // A closed item (销号) has no reminders to mute; one silence at a time keeps "until when is it
  // muted" a single answer, and a longer extension is the old one ended and a new one granted.
  if (WorkflowFor(item->kind).IsClosed(item->state))
    return Status::FailedPrecondition("item " + std::to_string(input.item_id) +
                                          " is closed: it has no reminders to silence",
                                      {});
  auto active = store_.ActiveSilences(now);
  if (!active.ok()) return active.status();
  for (const Silence& existing : *active)
    if (existing.item_id == input.item_id)
      return Status::FailedPrecondition("item " + std::to_string(input.item_id) + " is already silenced until " +
                                            FormatInstant(existing.until) + " (silence " +
                                            std::to_string(existing.id) + "); end that one first to grant another",
                                        {});
  Silence silence;
  silence.item_id = input.item_id;
  silence.approved_by = input.approved_by;
  silence.reason = input.reason;
  silence.until = input.until;
  silence.created_at = now;
  return store_.AddSilence(silence);
}

Result<Silence> SilenceService::End(std::int64_t id, const Actor& actor, Instant now) {
  RECTIFY_RETURN_IF_ERROR(Require(actor));
  auto active = Active(now, actor);
  if (!active.ok()) return active.status();
  for (const Silence& silence : *active)
    if (silence.id == id) return store_.EndSilence(id, now, actor.name);
  return Status::NotFound("no silence " + std::to_string(id) + " in force in campaign " + campaign_.id);
}

Result<std::vector<Silence>> SilenceService::Active(Instant as_of, const Actor& actor) {
  RECTIFY_RETURN_IF_ERROR(Require(actor));
  auto active = store_.ActiveSilences(as_of);
  if (!active.ok()) return active.status();
  std::vector<Silence> own;
  for (Silence& silence : *active)
    if (IsItemOf(items_, silence.item_id)) own.push_back(std::move(silence));
  return own;
}

}  // namespace rectify
