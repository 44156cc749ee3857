#include "notifier/notifier.h"

#include <algorithm>
#include <atomic>
#include <future>
#include <iterator>
#include <mutex>
#include <thread>

#include "engine/date_rules.h"
#include "engine/ledger_obligations.h"
#include "engine/warning_tiers.h"
#include "engine/household_survey.h"
#include "notifier/scan.h"
#include "notifier/scan_stages.h"
#include "notifier/schedule.h"

namespace rectify::notifier {

Notifier::Notifier(std::vector<CampaignSource> campaigns, OutboxStore& outbox, const ChannelDirectory& channels,
                   NotifierOptions options)
    : campaigns_(std::move(campaigns)), outbox_(outbox), channels_(channels), options_(std::move(options)) {}

Status Notifier::ScanCampaign(const CampaignSource& source, Instant slot, Instant now, Instant previous_slot,
                              std::map<std::string, Digest>& units,
                              std::map<std::string, Digest>& supervisors, EnqueueReport& report) {
  const Campaign& campaign = *source.campaign;
  // Tiers change with time: recorded at each slot. The scan does not wait for them: it shows
  // each item's tier as decided at the slot (TierId), which is the tier recorded once RecordTiers
  // has written it (a decision is a fixed point of its own record), and reads nothing else that
  // recording changes. So the day's tier writes (at a county's size, tens of thousands of items,
  // each a history row and an audit record) run beside the scan's reads, on the other core.
  auto recording = std::async(std::launch::async, [&] { return RecordTiers(campaign, source.stores.items, slot); });
  auto recorded = [&recording]() -> Status {
    auto tiers = recording.get();
    return tiers.ok() ? Status::Ok() : tiers.status();
  };
  auto silences = source.stores.silences.ActiveSilences(slot);
  if (!silences.ok()) return silences.status();
  std::optional<SurveyCoverage> survey;
  if (source.stores.survey != nullptr && campaign.survey) {
    auto households = LoadSurveyHouseholds(*source.stores.survey, SurveyQuery{});
    if (!households.ok()) return households.status();
    std::vector<std::string> villages;
    for (const Unit& unit : campaign.units)
      if (unit.kind == UnitKind::kVillage) villages.push_back(unit.id);
    // Unvisited households are all the reminder needs: no enrollment records.
    survey = BuildSurveyCoverage(campaign, *households, {}, villages, slot);
  }
  auto ledgers = LoadLedgerStatuses(campaign, source.stores.items, source.stores.attachments, slot);
  if (!ledgers.ok()) return ledgers.status();
  auto scanned =
      Scan(campaign, source.stores.items, *ledgers, *silences, slot, now, previous_slot, options_.link_base,
           survey ? &*survey : nullptr);
  RECTIFY_RETURN_IF_ERROR(recorded());
  if (!scanned.ok()) return scanned.status();
  report.data_errors.insert(report.data_errors.end(), scanned->data_errors.begin(), scanned->data_errors.end());
  // The recipient is looked up before the digest is moved into the merge.
  auto merge = [](std::map<std::string, Digest>& into, std::vector<Digest>& digests) {
    for (Digest& digest : digests) {
      Digest& recipient = into[digest.unit_id];
      MergeDigest(recipient, std::move(digest));
    }
  };
  merge(units, scanned->units);
  merge(supervisors, scanned->supervisors);
  return Status::Ok();
}

Result<EnqueueReport> Notifier::EnqueueCurrentSlot(Instant now) {
  EnqueueReport report;
  auto slot = CurrentSlot(*campaigns_.front().campaign, now);
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
  // A morning missed is not caught up on another day: a digest "as of" yesterday's 09:00 sent at
  // today's 08:30, half an hour before today's, would only mislead (还剩1个工作日 for what is due
  // today).
  if (ShanghaiDate(**slot) != ShanghaiDate(now)) {
    report.missed = true;
    return report;
  }
  // Another instance on the database may be scanning the slot, or have enqueued it since this
  // one last looked: only the winner of the claim scans.
  auto claimed = outbox_.ClaimSlot(slot_name, now, now + kSlotClaimLease);
  if (!claimed.ok()) return claimed.status();
  if (!*claimed) {
    auto stored = outbox_.LastSlot();
    if (!stored.ok()) return stored.status();
    if (*stored && **stored == slot_name) {
      last_slot_ = slot_name;
      report.already_enqueued = true;
    } else {
      report.scanned_elsewhere = true;
    }
    return report;
  }
  // A scan that fails gives its claim up (a claim until now), so the next pass of any instance
  // scans again instead of waiting out the lease.
  Status scanned = ScanSlot(**slot, slot_name, now, report);
  if (!scanned.ok()) {
    (void)outbox_.ClaimSlot(slot_name, now, now);
    return scanned;
  }
  last_slot_ = slot_name;
  return report;
}

Status Notifier::ScanSlot(Instant slot, const std::string& slot_name, Instant now, EnqueueReport& report) {
  // The slot's instant, not `now`, is the digest's "as of": every scan of a slot sees the same
  // moment, so a later scan in the slot renders what the first one did.
  // 督办 notes are shown once: those written since the slot before this one, or since the last
  // slot enqueued when that is earlier (a server stopped over a morning would otherwise never show
  // the notes written after the last slot it did send). 0 when there is none: every note is new.
  auto notes_since = NotesSince(slot);
  if (!notes_since.ok()) return notes_since.status();
  const Instant previous_slot = *notes_since;
  std::map<std::string, Digest> units;
  std::map<std::string, Digest> supervisors;
  for (const CampaignSource& source : campaigns_) {
    // An ended campaign is reminded of no more: what it left open is on the record (its scores
    // and forms), and goes on in the town's next campaign by 回头看 (carry_over), not by a year of
    // daily messages about the same days overdue.
    const std::optional<Instant> end = CampaignEnd(*source.campaign);
    if (end && *end <= slot) continue;
    RECTIFY_RETURN_IF_ERROR(ScanCampaign(source, slot, now, previous_slot, units, supervisors, report));
  }

  TellOfficesOfUnrouted(slot, units);

  std::vector<OutboxMessage> messages;
  auto add = [&](const Digest& digest, const char* audience) {
    ++report.digests;
    if (!HasChannel(digest.unit_id)) {
      // The office is also a supervisor: its two digests name it once.
      if (std::find(report.unrouted.begin(), report.unrouted.end(), digest.unit_id) == report.unrouted.end())
        report.unrouted.push_back(digest.unit_id);
      return;
    }
    std::vector<OutboxMessage> rendered = Render(digest, audience, channels_.at(digest.unit_id), slot_name, now);
    messages.insert(messages.end(), std::make_move_iterator(rendered.begin()), std::make_move_iterator(rendered.end()));
  };
  for (const auto& [unit, digest] : units) add(digest, "unit");
  for (const auto& [unit, digest] : supervisors) add(digest, "supervisors");
  // The messages and the slot's record are one transaction: a crash leaves both or neither.
  auto enqueued = outbox_.EnqueueSlot(slot_name, messages);
  if (!enqueued.ok()) return enqueued.status();
  report.enqueued = *enqueued;
  return Status::Ok();
}

Result<Instant> Notifier::NotesSince(Instant slot) {
  auto previous = CurrentSlot(*campaigns_.front().campaign, slot - 1);
  if (!previous.ok()) return previous.status();
  const Instant scheduled = *previous ? **previous : 0;
  // Slots missed since the last one enqueued: their notes are new to everyone.
  auto last = outbox_.LastSlot();
  if (!last.ok()) return last.status();
  const std::optional<Instant> enqueued = *last ? ParseInstant(**last) : std::nullopt;
  if (enqueued && *enqueued < scheduled) return *enqueued;
  return scheduled;
}

bool Notifier::HasChannel(const std::string& unit) const {
  const auto it = channels_.find(unit);
  return it != channels_.end() && !it->second.empty();
}

void Notifier::TellOfficesOfUnrouted(Instant slot, std::map<std::string, Digest>& units) const {
  std::map<std::string, std::vector<std::string>> by_office;
  for (const auto& [unit, digest] : units) {
    if (HasChannel(unit)) continue;
    const std::vector<std::string> names = CampaignsOf(digest);
    for (const CampaignSource& source : campaigns_) {
      const Campaign& campaign = *source.campaign;
      const std::string& office = campaign.notifier.office;
      if (office == unit || std::find(names.begin(), names.end(), campaign.name) == names.end()) continue;
      std::vector<std::string>& told = by_office[office];
      if (std::find(told.begin(), told.end(), digest.unit_name) == told.end()) told.push_back(digest.unit_name);
    }
  }
  for (auto& [office, names] : by_office) {
    Digest& digest = units[office];
    if (digest.unit_id.empty()) {  // nothing of its own this slot: a digest for the notice alone
      const Campaign& campaign = *campaigns_.front().campaign;
      const Unit* found = campaign.FindUnit(office);
      digest.unit_id = office;
      digest.unit_name = found ? found->name : office;
      digest.campaign_name = campaign.name;
      digest.as_of = slot;
    }
    digest.undeliverable_units = std::move(names);
  }
}

Result<bool> Notifier::AlreadyEnqueued(const std::string& slot_name) {
  if (last_slot_.empty()) {
    auto stored = outbox_.LastSlot();
    if (!stored.ok()) return stored.status();
    if (*stored) last_slot_ = **stored;
  }
  return last_slot_ == slot_name;
}

const Channel* Notifier::ChannelFor(const std::string& key) const {
  const auto hash = key.find('#');
  if (hash == std::string::npos) return nullptr;
  const auto it = channels_.find(key.substr(0, hash));
  if (it == channels_.end()) return nullptr;
  const std::string id = key.substr(hash + 1);
  // A row enqueued before channels had ids names its channel by position: all it recorded.
  const std::string legacy = "position:";
  if (id.rfind(legacy, 0) == 0) {
    const std::string digits = id.substr(legacy.size());
    if (digits.empty() || digits.size() > 6 || digits.find_first_not_of("0123456789") != std::string::npos) return nullptr;
    const std::size_t index = std::stoul(digits);
    return index < it->second.size() ? it->second[index].get() : nullptr;
  }
  for (const auto& channel : it->second)
    if (channel->Id() == id) return channel.get();
  return nullptr;
}

Instant Notifier::RetryDelay(int attempts) const {
  Instant delay = options_.first_retry_after;
  for (int i = 1; i < attempts && delay < options_.max_retry_after; ++i) delay *= 2;
  return std::min(delay, options_.max_retry_after);
}

Result<SendReport> Notifier::SendDue(Instant now) {
  auto due = outbox_.Due(now, options_.send_batch);
  if (!due.ok()) return due.status();
  // One queue per channel, in the order written (a digest's parts, an older slot's before a
  // newer): a receiver that hangs or fails holds up only its own queue, and no part overtakes
  // the one before it.
  std::map<std::string, std::vector<const OutboxMessage*>> queues;
  for (const OutboxMessage& message : *due) queues[message.channel].push_back(&message);
  std::vector<std::vector<const OutboxMessage*>*> work;
  for (auto& [channel, queue] : queues) {
    std::sort(queue.begin(), queue.end(), [](const OutboxMessage* a, const OutboxMessage* b) { return a->id < b->id; });
    work.push_back(&queue);
  }

  SendReport report;
  Status first_error;
  std::mutex mutex;  // guards report and first_error
  std::atomic<std::size_t> next{0};
  auto deliver_queues = [&] {
    for (std::size_t i = next++; i < work.size(); i = next++) {
      QueueOutcome outcome = DeliverQueue(*work[i], now);
      std::lock_guard<std::mutex> lock(mutex);
      report.sent += outcome.report.sent;
      report.failed += outcome.report.failed;
      report.dead += outcome.report.dead;
      report.deferred += outcome.report.deferred;
      for (const auto& [key, count] : outcome.report.by_channel_type) report.by_channel_type[key] += count;
      if (first_error.ok() && !outcome.status.ok()) first_error = outcome.status;
    }
  };
  const std::size_t threads = std::min<std::size_t>(work.size(), kDeliveryThreads);
  std::vector<std::thread> workers;
  for (std::size_t t = 1; t < threads; ++t) workers.emplace_back(deliver_queues);
  deliver_queues();
  for (std::thread& worker : workers) worker.join();
  if (!first_error.ok()) return first_error;
  return report;
}

Notifier::QueueOutcome Notifier::DeliverQueue(const std::vector<const OutboxMessage*>& queue, Instant now) {
  QueueOutcome out;
  SendReport& report = out.report;
  // Once a message of the queue is not delivered, the rest wait as long as it does, unchanged (no
  // attempt counted): they would overtake it, and a receiver that just timed out would make each
  // of them wait as long again. Kept in the outbox, so another process waits too.
  auto hold_the_rest = [&](std::size_t from, Instant until) {
    std::vector<std::int64_t> held;
    for (std::size_t j = from; j < queue.size(); ++j) {
      held.push_back(queue[j]->id);
      ++report.deferred;
      ++report.by_channel_type[{ChannelTypeOf(queue[j]->channel), "deferred"}];
    }
    out.status = outbox_.Postpone(held, until);
  };
  for (std::size_t i = 0; i < queue.size(); ++i) {
    const OutboxMessage& message = *queue[i];
    const Channel* channel = ChannelFor(message.channel);
    if (channel == nullptr) {
      // The channel file no longer has this channel: nothing can deliver it.
      out.status = outbox_.MarkFailed(message.id, "channel " + message.channel + " is no longer configured", now,
                                      /*dead=*/true);
      if (!out.status.ok()) return out;
      ++report.dead;
      ++report.by_channel_type[{"unconfigured", "dead"}];
      continue;
    }
    const RateLimiter::Decision decision = limiter_.Acquire(channel->LimitKeys(), channel->Limit(), now);
    const std::string type = ChannelType(*channel);
    if (!decision.allowed) {
      hold_the_rest(i, decision.retry_at);
      return out;
    }
    const Instant signed_at = options_.signing_clock != nullptr ? options_.signing_clock->Now() : now;
    const Status delivered = channel->Deliver(channel->Wrap(message.message, message.idempotency_key, signed_at));
    if (delivered.ok()) {
      out.status = outbox_.MarkSent(message.id, now);
      if (!out.status.ok()) return out;
      ++report.sent;
      ++report.by_channel_type[{type, "sent"}];
      continue;
    }
    // A robot that says "too many messages" is locked for a while: nothing more goes to it until
    // then, and this message waits as long, with the rest of its queue. The message was not at
    // fault: no attempt is counted, so a lock never pushes it towards the dead letters.
    if (delivered.code() == StatusCode::kResourceExhausted) {
      const Instant until = now + channel->LockoutFor(delivered);
      limiter_.Block(channel->LimitKeys(), until);
      hold_the_rest(i, until);
      return out;
    }
    // A permanent refusal (wrong key, bad signature, wrong URL) goes to the dead letters at once:
    // retrying it for hours would only hide it.
    const int attempts = message.attempts + 1;
    const bool dead = delivered.code() != StatusCode::kUnavailable || attempts >= options_.max_attempts;
    const Instant retry_at = now + RetryDelay(attempts);
    const Status marked = outbox_.MarkFailed(message.id, delivered.message(), retry_at, dead);
    // Sent meanwhile by another process, which took it when this one's claim lapsed (this attempt
    // outlasted the lease): delivered, so nothing to record here, and the pass goes on.
    if (marked.code() == StatusCode::kFailedPrecondition) continue;
    out.status = marked;
    if (!out.status.ok()) return out;
    ++(dead ? report.dead : report.failed);
    ++report.by_channel_type[{type, dead ? "dead" : "failed"}];
    // A dead message holds nothing up: it will never be delivered. One that waits for a retry
    // holds the rest of its queue behind it.
    if (!dead) {
      hold_the_rest(i + 1, retry_at);
      return out;
    }
  }
  return out;
}

std::string Notifier::ChannelTypeOf(const std::string& key) const {
  const Channel* channel = ChannelFor(key);
  return channel != nullptr ? ChannelType(*channel) : std::string("unconfigured");
}

}  // namespace rectify::notifier
