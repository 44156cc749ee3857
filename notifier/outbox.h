// The notifier's durable state, behind one interface like the items' (engine/item_store.h):
// the transactional outbox of messages to deliver and the notification log. Silences (approved
// extensions that mute an item) are the engine's (engine/silences.h).
//
// Delivery contract: the scan enqueues a slot's messages and records the slot as done in one
// transaction (EnqueueSlot): a crash leaves either both or neither, so a morning is neither lost
// nor sent twice. A message whose idempotency key is already there is skipped, so a second scan
// in the same slot enqueues nothing; the sender takes due messages, delivers, and only then marks them sent, which also
// writes the notification log. A process killed between delivery and MarkSent delivers that one
// message again after a restart, with the same idempotency key; nothing is lost.
//
// Each change (a message enqueued, sent or failed) is recorded in the audit log
// in its own transaction, as the item store's are (engine/item_store.h).
//
// Several instances on one database (one OutboxStore each, as OpenStores gives one): a message
// and a slot are each taken by one instance at a time, through claims with a lease (Due,
// ClaimSlot). A claim is not a change of the outbox: it is not audited. On SQLite one process
// usually holds the file, so claims rarely matter there, but they hold the same.
//
// Implementations: SqliteOutboxStore (storage/sqlite_outbox_store.h, the queries in
// storage/sqlite_outbox.h) and PgOutboxStore (storage/pg_outbox_store.h). Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/campaign.h"
#include "engine/permissions.h"
#include "engine/status.h"
#include "engine/time.h"

namespace rectify::notifier {

enum class OutboxState { kPending, kSent, kFailed, kDead };
const char* OutboxStateName(OutboxState state);  // "pending", "sent", "failed", "dead"
std::optional<OutboxState> ParseOutboxState(std::string_view text);

// How long a message that Due returned stays this store's: long enough for a batch of
// deliveries (send_batch of them, each bounded by its channel's timeouts) to finish.
inline constexpr Instant kOutboxClaimLease = 15 * 60;
// How long a slot ClaimSlot gave stays the winner's: long enough for a scan of every campaign.
inline constexpr Instant kSlotClaimLease = 30 * 60;

struct OutboxMessage {
  std::int64_t id = 0;
  // Unique: "<slot>|<audience>|<unit>#<channel id>|<part>" built by the scan. The same key is
  // sent to receivers that support one, so a repeat after a crash is recognisable.
  std::string idempotency_key;
  std::string slot;        // the schedule slot, e.g. "2021-10-22T09:00:00+08:00"
  std::string audience;    // "unit" or "supervisors"
  std::string unit;        // the unit id addressed
  std::string channel;     // the unit's channel by its id (ChannelKey: "village_1#dingtalk-3f2a9c01b7e4")
  std::string message;     // the rendered text (Channel::Render), wrapped and signed at delivery
  int item_count = 0;      // the digest's items, listed or counted, for the API's outbox view
  OutboxState state = OutboxState::kPending;
  int attempts = 0;
  Instant created_at = 0;
  Instant next_attempt_at = 0;  // pending/failed: not before this instant
  std::optional<Instant> sent_at;
  std::string last_error;
};

class OutboxStore {
 public:
  virtual ~OutboxStore() = default;

  // Inserts the messages whose idempotency key is new, all in one transaction; returns how
  // many were new. Ids, state kPending and attempts 0 are set here.
  virtual Result<int> Enqueue(const std::vector<OutboxMessage>& messages) = 0;

  // Enqueue, and records `slot` as the last slot enqueued, in the same transaction: if any
  // message fails, neither the messages nor the slot are written. The slot is recorded even
  // when `messages` is empty (a morning with nothing to say is done too).
  virtual Result<int> EnqueueSlot(const std::string& slot, const std::vector<OutboxMessage>& messages) = 0;

  // The slot EnqueueSlot last recorded; nullopt before the first.
  virtual Result<std::optional<std::string>> LastSlot() = 0;

  // Claims the scan of `slot` for this store until `until`: true when this store is to scan and
  // enqueue it. False when the slot is enqueued already (LastSlot) or another store holds a
  // claim on it that lasts past `now` (it is scanning it, or died doing so: the claim lapses at
  // its end and the slot can be claimed again). This store's own claim is renewed. Of two stores
  // asking at once, at most one gets true. Only the latest slot claimed is remembered: a claim
  // on an older slot does not stand in the way of a newer one. A claim until `now` gives the
  // slot up (a scan that failed).
  virtual Result<bool> ClaimSlot(const std::string& slot, Instant now, Instant until) = 0;

  // Pending or failed messages with next_attempt_at <= now, at most `limit`, the longest due
  // first (by next_attempt_at, then id), that no other store holds; each is claimed for this
  // store until now + kOutboxClaimLease, in a statement of its own (whatever else is written at
  // the moment). While the claim lasts, Due of any other store on the database (another
  // instance) does not return the message, even when called at the same moment: two stores
  // never share one; Due of this store returns it again. MarkSent, MarkFailed and ReleaseClaims
  // end the claim. A claim never ended (the instance died while delivering) lapses: from then on
  // the message is due to any store, which delivers it again with the same idempotency key.
  // kInvalidArgument (field "limit") when limit < 1.
  virtual Result<std::vector<OutboxMessage>> Due(Instant now, int limit) = 0;

  // Ends this store's claims on the messages `ids` without changing them (messages a rate limit
  // held back): they are due again at once, to any store. Ids this store does not hold are
  // left alone.
  virtual Status ReleaseClaims(const std::vector<std::int64_t>& ids) = 0;

  // Ends this store's claims on the messages `ids` and makes each due no earlier than `until`
  // (a later next_attempt_at stays), attempts unchanged: the messages of a channel queued behind
  // one that waits for its retry or for a rate limit, so that they keep their order, and no
  // store (of this process or another) sends to the channel before then. Ids this store does not
  // hold are left alone.
  virtual Status Postpone(const std::vector<std::int64_t>& ids, Instant until) = 0;

  // Records a successful delivery: state kSent, sent_at, attempts + 1, and the notification
  // log row, in one transaction; the claim ends. kNotFound for an unknown id; a message already
  // sent stays as it was (Ok), so a repeated MarkSent is harmless.
  virtual Status MarkSent(std::int64_t id, Instant at) = 0;

  // Records a failed attempt: attempts + 1, last_error, and either kFailed with the next attempt
  // time or, when `dead`, kDead (no more attempts); the claim ends, so whichever store asks
  // first after next_attempt_at retries it. kNotFound for an unknown id; kFailedPrecondition
  // for a message already sent, which stays sent.
  virtual Status MarkFailed(std::int64_t id, const std::string& error, Instant next_attempt_at, bool dead) = 0;

  // The outbox for people: newest first, optionally one state, keyset-paged by id (`before_id`
  // 0 = from the newest). kInvalidArgument (field "limit") when limit < 1, (field "before_id")
  // when before_id < 0.
  virtual Result<std::vector<OutboxMessage>> ListOutbox(std::optional<OutboxState> state, std::int64_t before_id,
                                                        int limit) = 0;

  // How many messages ListOutbox would give on every page together, counting only those
  // addressed to one of `units` (empty: to any unit).
  virtual Result<std::int64_t> CountOutbox(std::optional<OutboxState> state, const std::vector<std::string>& units) = 0;

  // Keys in the notification log (sent at least once) for one slot, in key order, for tests
  // and audits.
  virtual Result<std::vector<std::string>> NotificationLog(const std::string& slot) = 0;
};

// The outbox as people read it (GET /api/outbox): only with the campaign's view_outbox grant.
class OutboxReader {
 public:
  // Both must outlive the reader.
  OutboxReader(const Campaign& campaign, OutboxStore& outbox) : campaign_(campaign), outbox_(outbox) {}

  // OutboxStore::ListOutbox for those granted view_outbox, narrowed to the messages addressed to
  // the campaign's town (its units); kPermissionDenied for others.
  Result<std::vector<OutboxMessage>> List(const Actor& actor, std::optional<OutboxState> state, std::int64_t before_id,
                                          int limit);
  // How many messages List gives on every page together, with the same grant and narrowing.
  Result<std::int64_t> Count(const Actor& actor, std::optional<OutboxState> state);

  // The units the deployment's channel file gives a channel (unit ids). Set once, before the
  // server serves; none until then, so every unit counts as without one.
  void SetRoutedUnits(std::set<std::string> units) { routed_ = std::move(units); }
  // The campaign's units without a channel, in the campaign's order: their digests are never
  // delivered (a channel is added only in the deployment's file). kPermissionDenied without
  // view_outbox.
  Result<std::vector<const Unit*>> UnitsWithoutChannel(const Actor& actor) const;

 private:
  const Campaign& campaign_;
  OutboxStore& outbox_;
  std::set<std::string> routed_;
};

}  // namespace rectify::notifier
