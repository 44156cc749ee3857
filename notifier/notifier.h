// The notifier pipeline, after Prometheus Alertmanager: scan (notifier/scan.h, its stages in
// notifier/scan_stages.h: collect -> inhibit/silence -> summarise -> tier -> route -> group) -> render per
// channel -> enqueue in the outbox with the slot's record (dedup by idempotency key, one per slot) -> deliver with rate limits, retries and exponential backoff -> log on success,
// dead-letter after the last attempt. Each stage is a separate call so that a test, the serve
// loop and `rectify notify --once` drive it the same way; none of them reads a clock.
//
// Thread-compatible: one thread runs a Notifier at a time (the serve loop or the CLI).
#pragma once

#include <map>
#include <utility>
#include <memory>
#include <string>
#include <vector>

#include "engine/attachments.h"
#include "engine/campaign.h"
#include "engine/clock.h"
#include "engine/data_error.h"
#include "engine/item_store.h"
#include "engine/silences.h"
#include "engine/survey_store.h"
#include "notifier/channel.h"
#include "notifier/outbox.h"
#include "notifier/rate_limiter.h"

namespace rectify::notifier {

// Where each unit's messages go: unit id -> its channels, in the channel file's order; an outbox
// row names one by its id (Channel::Id), never by its position.
using ChannelDirectory = std::map<std::string, std::vector<std::unique_ptr<Channel>>>;

struct NotifierOptions {
  std::string link_base = "http://127.0.0.1:8080";  // prefix of the links in messages
  int max_attempts = 8;                              // then dead-letter
  Instant first_retry_after = 60;                    // seconds; doubles each attempt
  Instant max_retry_after = 3600;
  int send_batch = 100;                              // messages taken per SendDue call
  // The real time, for robot signatures: DingTalk and Feishu refuse a timestamp more than an
  // hour from theirs, so a business clock set back (--now, the demo) must not sign. nullptr:
  // sign with the business time given to SendDue. Must outlive the notifier.
  const Clock* signing_clock = nullptr;
};

struct EnqueueReport {
  std::optional<Instant> slot;  // nullopt: no slot yet (before the first send_at)
  bool already_enqueued = false;  // the slot was scanned before: nothing was scanned again
  bool scanned_elsewhere = false;  // another instance holds the slot's claim: nothing was scanned here
  // The latest slot is of an earlier day, missed (the server was down, or a cron job runs before
  // send_at): not sent, for its figures are old and the next slot tells the same and newer.
  bool missed = false;
  int digests = 0;              // digests built by the scan
  int enqueued = 0;             // messages new in the outbox (0 on a second scan of a slot)
  std::vector<std::string> unrouted;  // units with something to report but no channel
  std::vector<DataError> data_errors;  // items the scan left out (notifier/scan.h)
};

struct SendReport {
  int sent = 0;
  int failed = 0;   // will be retried
  int dead = 0;
  int deferred = 0; // held back by a rate limit, still due
  // The same, by channel type ("wecom", ..., ChannelType; "unconfigured" for a channel gone from
  // the channel file) and result ("sent", "failed", "dead", "deferred"), for GET /metrics.
  std::map<std::pair<std::string, std::string>, int> by_channel_type;
};

// The ports the notifier reads and writes for one campaign (its own view of the items and the
// survey: app/services.h). With `survey`, villages are also reminded of the households they have
// not yet visited (notifier/scan.h).
struct NotifierStores {
  ItemStore& items;
  AttachmentStore& attachments;  // the ledger hand-ins
  SilenceStore& silences;
  OutboxStore& outbox;
  SurveyStore* survey = nullptr;
};

// One campaign the notifier reports on.
struct CampaignSource {
  const Campaign* campaign;
  NotifierStores stores;
};

// A deployment's campaigns share one notifier: each slot, a unit gets one digest across all its
// campaigns (the lines grouped by campaign inside), never one per campaign. The slots are the
// first campaign's (its notifier.send_at on its calendar); the slot last enqueued is recorded
// once for the deployment, in the outbox, in the transaction that enqueues its messages.
class Notifier {
 public:
  // Everything must outlive the notifier. `campaigns` is not empty; their units' ids are
  // distinct across towns (ValidateDeployment), as the channel file names them alone.
  Notifier(std::vector<CampaignSource> campaigns, OutboxStore& outbox, const ChannelDirectory& channels,
           NotifierOptions options);

  // Scans for the slot current at `now` (today's: a slot of an earlier day is `missed`) and
  // enqueues its messages, once per slot: the last slot
  // enqueued is remembered in the outbox with its messages (OutboxStore::EnqueueSlot), so neither
  // another pass nor a restart scans it again, and a failed enqueue leaves the slot to scan again.
  // Of several instances on one database, only the one that wins the slot's claim
  // (OutboxStore::ClaimSlot) scans it; the others skip it (scanned_elsewhere) until it is
  // enqueued, or until the claim lapses when its holder died.
  Result<EnqueueReport> EnqueueCurrentSlot(Instant now);

  // Delivers the messages due at `now`: each channel's in the order they were written, the
  // channels side by side (up to kDeliveryThreads at once), so that a receiver that hangs until
  // its timeout, or fails, holds up only its own messages. After a message of a channel is not
  // delivered (a failure to retry, or a rate limit), the channel's later ones wait, unchanged, as
  // long as it does (deferred; OutboxStore::Postpone).
  Result<SendReport> SendDue(Instant now);

  static constexpr std::size_t kDeliveryThreads = 4;

 private:
  struct QueueOutcome {
    SendReport report;
    Status status;  // the first store error, which ends the queue
  };
  // Delivers one channel's due messages in order (SendDue).
  QueueOutcome DeliverQueue(const std::vector<const OutboxMessage*>& queue, Instant now);
  std::string ChannelTypeOf(const std::string& key) const;
  const Channel* ChannelFor(const std::string& key) const;
  Instant RetryDelay(int attempts) const;
  Result<bool> AlreadyEnqueued(const std::string& slot_name);
  bool HasChannel(const std::string& unit) const;
  // Scans the slot (named `slot_name`) of every campaign and enqueues its messages with the
  // slot's record; fills `report`.
  Status ScanSlot(Instant slot, const std::string& slot_name, Instant now, EnqueueReport& report);
  // A unit with something to report and no channel is not lost in silence: its campaigns'
  // offices are told (Digest::undeliverable_units), in a digest of their own if need be.
  // Since when a slot's 督办 notes and written items are new (ScanSlot).
  Result<Instant> NotesSince(Instant slot);
  void TellOfficesOfUnrouted(Instant slot, std::map<std::string, Digest>& units) const;

  // The campaign's digests as of the slot, scanned at `now`, merged into `units` and `supervisors`
  // by recipient. 督办 notes written after `previous_slot` are shown.
  Status ScanCampaign(const CampaignSource& source, Instant slot, Instant now, Instant previous_slot,
                      std::map<std::string, Digest>& units, std::map<std::string, Digest>& supervisors,
                      EnqueueReport& report);

  std::vector<CampaignSource> campaigns_;
  OutboxStore& outbox_;
  const ChannelDirectory& channels_;
  NotifierOptions options_;
  RateLimiter limiter_;
  std::string last_slot_;  // cache of the store's record, so a pass within a slot reads nothing
};

}  // namespace rectify::notifier
