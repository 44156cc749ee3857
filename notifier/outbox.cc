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

Result<std::vector<OutboxMessage>> OutboxReader::List(const Actor& actor, std::optional<OutboxState> state,
                                                      std::int64_t before_id, int limit) {
  if (!campaign_.permissions.MayDo("view_outbox", actor))
    return Status::PermissionDenied(actor.name + " may not view_outbox here");
  return outbox_.ListOutbox(state, before_id, limit);
}

}  // namespace rectify::notifier
