#include "notifier/outbox.h"

namespace rectify::notifier {

const char* OutboxStateName(OutboxState state) {
  switch (state) {
    case OutboxState::kPending: return "pending";
    case OutboxState::kSent: return "sent";
    case OutboxState::kFailed: return "failed";
    case OutboxState::kDead: return "dead";
  }
  return "pending";
}

std::optional<OutboxState> ParseOutboxState(std::string_view text) {
  for (const auto state : {OutboxState::kPending, OutboxState::kSent, OutboxState::kFailed, OutboxState::kDead}) {
    if (text == OutboxStateName(state)) return state;
  }
  return std::nullopt;
}

Result<std::vector<const Unit*>> OutboxReader::UnitsWithoutChannel(const Actor& actor) const {
  if (!campaign_.permissions.MayDo("view_outbox", actor))
    return Status::PermissionDenied(actor.name + " may not view_outbox here");
  std::vector<const Unit*> without;
  for (const Unit& unit : campaign_.units)
    if (routed_.count(unit.id) == 0) without.push_back(&unit);
  return without;
}

Result<std::vector<OutboxMessage>> OutboxReader::List(const Actor& actor, std::optional<OutboxState> state,
                                                      std::int64_t before_id, int limit) {
  if (!campaign_.permissions.MayDo("view_outbox", actor))
    return Status::PermissionDenied(actor.name + " may not view_outbox here");
  // The deployment's outbox holds every town's messages; a town's people see those addressed to
  // its own units (unit ids are unique across towns). Pages are read on until `limit` is full.
  std::vector<OutboxMessage> own;
  for (;;) {
    auto page = outbox_.ListOutbox(state, before_id, limit);
    if (!page.ok()) return page.status();
    const std::int64_t last_id = page->empty() ? 0 : page->back().id;
    for (OutboxMessage& message : *page) {
      if (campaign_.FindUnit(message.unit) != nullptr && static_cast<int>(own.size()) < limit)
        own.push_back(std::move(message));
    }
    if (static_cast<int>(page->size()) < limit || static_cast<int>(own.size()) >= limit) return own;
    before_id = last_id;
  }
}

Result<std::int64_t> OutboxReader::Count(const Actor& actor, std::optional<OutboxState> state) {
  if (!campaign_.permissions.MayDo("view_outbox", actor))
    return Status::PermissionDenied(actor.name + " may not view_outbox here");
  std::vector<std::string> units;
  for (const Unit& unit : campaign_.units) units.push_back(unit.id);
  return outbox_.CountOutbox(state, units);
}

}  // namespace rectify::notifier
