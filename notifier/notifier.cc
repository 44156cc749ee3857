#include "notifier/notifier.h"

#include <algorithm>

#include "engine/ledger_obligations.h"
#include "engine/warning_tiers.h"
#include "engine/household_survey.h"
#include "notifier/scan.h"
#include "notifier/schedule.h"

namespace rectify::notifier {
namespace {

// "village_1#0": the unit and the index of its channel, as the outbox row names it.
std::string ChannelKey(const std::string& unit, std::size_t index) { return unit + "#" + std::to_string(index); }

constexpr const char* kLastSlotKey = "notifier_last_slot";

}  // namespace

Notifier::Notifier(const Campaign& campaign, NotifierStores stores, const ChannelDirectory& channels,
                   NotifierOptions options)
    : campaign_(campaign), stores_(stores), channels_(channels), options_(std::move(options)) {}

Result<EnqueueReport> Notifier::EnqueueCurrentSlot(Instant now) {
  EnqueueReport report;
  auto slot = CurrentSlot(campaign_, now);
  if (!slot.ok()) return slot.status();
  if (!*slot) return report;
  report.slot = *slot;
  const std::string slot_name = FormatInstant(**slot);
  auto done = AlreadyEnqueued(slot_name);
  if (!done.ok()) return done.status();
  if (*done) {
    report.already_enqueued = true;
    return report;
  }
  // Tiers change with time: recorded at each slot, before the scan shows them.
  auto tiers = RecordTiers(campaign_, stores_.items, **slot);
  if (!tiers.ok()) return tiers.status();
  auto silences = stores_.silences.ActiveSilences(now);
  if (!silences.ok()) return silences.status();
  // The slot's instant, not `now`, is the digest's "as of": every scan of a slot sees the same
  // moment, so a later scan in the slot renders what the first one did.
  std::optional<SurveyCoverage> survey;
  if (stores_.survey != nullptr && campaign_.survey) {
    auto households = LoadSurveyHouseholds(*stores_.survey, SurveyQuery{});
    if (!households.ok()) return households.status();
    std::vector<std::string> villages;
    for (const Unit& unit : campaign_.units)
      if (unit.kind == UnitKind::kVillage) villages.push_back(unit.id);
    // Unvisited households are all the reminder needs: no enrollment records.
    survey = BuildSurveyCoverage(campaign_, *households, {}, villages, **slot);
  }
  auto ledgers = LoadLedgerStatuses(campaign_, stores_.items, stores_.attachments, **slot);
  if (!ledgers.ok()) return ledgers.status();
  auto scanned =
      Scan(campaign_, stores_.items, *ledgers, *silences, **slot, options_.link_base, survey ? &*survey : nullptr);
  if (!scanned.ok()) return scanned.status();
  report.data_errors = scanned->data_errors;

  std::vector<OutboxMessage> messages;
  auto add = [&](const Digest& digest, const char* audience) {
    ++report.digests;
    const auto it = channels_.find(digest.unit_id);
    if (it == channels_.end() || it->second.empty()) {
      report.unrouted.push_back(digest.unit_id);
      return;
    }
    for (std::size_t c = 0; c < it->second.size(); ++c) {
      const std::vector<std::string> parts = it->second[c]->Render(digest);
      for (std::size_t p = 0; p < parts.size(); ++p) {
        OutboxMessage message;
        message.slot = slot_name;
        message.audience = audience;
        message.unit = digest.unit_id;
        message.channel = ChannelKey(digest.unit_id, c);
        message.idempotency_key = slot_name + "|" + audience + "|" + message.channel + "|" + std::to_string(p + 1);
        message.message = parts[p];
        message.item_count = static_cast<int>(digest.overdue.size() + digest.due_soon.size());
        message.created_at = now;
        message.next_attempt_at = now;
        messages.push_back(std::move(message));
      }
    }
  };
  for (const Digest& digest : scanned->units) add(digest, "unit");
  for (const Digest& digest : scanned->supervisors) add(digest, "supervisors");
  auto enqueued = stores_.outbox.Enqueue(messages);
  if (!enqueued.ok()) return enqueued.status();
  report.enqueued = *enqueued;
  // Recorded after the messages: a crash in between rescans the slot, and the idempotency keys
  // keep that rescan from adding anything.
  RECTIFY_RETURN_IF_ERROR(stores_.items.PutMeta(kLastSlotKey, slot_name));
  last_slot_ = slot_name;
  return report;
}

Result<bool> Notifier::AlreadyEnqueued(const std::string& slot_name) {
  if (last_slot_.empty()) {
    auto stored = stores_.items.GetMeta(kLastSlotKey);
    if (!stored.ok()) return stored.status();
    if (*stored) last_slot_ = **stored;
  }
  return last_slot_ == slot_name;
}

const Channel* Notifier::ChannelFor(const std::string& key) const {
  const auto hash = key.rfind('#');
  if (hash == std::string::npos) return nullptr;
  const auto it = channels_.find(key.substr(0, hash));
  if (it == channels_.end()) return nullptr;
  const std::size_t index = std::stoul(key.substr(hash + 1));
  return index < it->second.size() ? it->second[index].get() : nullptr;
}

Instant Notifier::RetryDelay(int attempts) const {
  Instant delay = options_.first_retry_after;
  for (int i = 1; i < attempts && delay < options_.max_retry_after; ++i) delay *= 2;
  return std::min(delay, options_.max_retry_after);
}

Result<SendReport> Notifier::SendDue(Instant now) {
  SendReport report;
  auto due = stores_.outbox.Due(now, options_.send_batch);
  if (!due.ok()) return due.status();
  for (const OutboxMessage& message : *due) {
    const Channel* channel = ChannelFor(message.channel);
    if (channel == nullptr) {
      // The channel file no longer has this channel: nothing can deliver it.
      RECTIFY_RETURN_IF_ERROR(stores_.outbox.MarkFailed(message.id, "channel " + message.channel + " is no longer configured",
                                                 now, /*dead=*/true));
      ++report.dead;
      continue;
    }
    const RateLimiter::Decision decision = limiter_.Acquire(channel->Target(), channel->Limit(), now);
    if (!decision.allowed) {
      ++report.deferred;  // stays due; the next run asks again
      continue;
    }
    const Instant signed_at = options_.signing_clock != nullptr ? options_.signing_clock->Now() : now;
    const Status delivered = channel->Deliver(channel->Wrap(message.message, message.idempotency_key, signed_at));
    if (delivered.ok()) {
      RECTIFY_RETURN_IF_ERROR(stores_.outbox.MarkSent(message.id, now));
      ++report.sent;
      continue;
    }
    // A permanent refusal (wrong key, bad signature, wrong URL) goes to the dead letters at once:
    // retrying it for hours would only hide it. A robot that says "too many messages" is locked
    // for a while: nothing more goes to it until then, and this message waits as long.
    const int attempts = message.attempts + 1;
    const bool rate_limited = delivered.code() == StatusCode::kResourceExhausted;
    const bool dead = (delivered.code() != StatusCode::kUnavailable && !rate_limited) || attempts >= options_.max_attempts;
    Instant retry_at = now + RetryDelay(attempts);
    if (rate_limited) {
      limiter_.Block(channel->Target(), now + channel->Limit().lockout);
      retry_at = std::max(retry_at, now + channel->Limit().lockout);
    }
    RECTIFY_RETURN_IF_ERROR(stores_.outbox.MarkFailed(message.id, delivered.message(), retry_at, dead));
    ++(dead ? report.dead : report.failed);
  }
  return report;
}

}  // namespace rectify::notifier
