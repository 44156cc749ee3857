// The engine's commands: create items, fire events on them, and read them back with what
// may happen next. It ties a validated Campaign, the state machines (workflow.h) and an
// ItemStore together. It reads no clock: every command takes `now`.
//
// Thread-safe if the store is; holds no per-item state between calls.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/campaign.h"
#include "engine/item.h"
#include "engine/item_store.h"
#include "engine/status.h"
#include "engine/workflow.h"

namespace rectify {

// What a caller gives to create a problem. Empty / unset fields are checked here.
struct NewProblem {
  std::string title;               // required: the problem as found
  int area = 0;                    // required: 1..number of areas
  std::string source;              // required: a campaign source id
  std::string unit;                // optional: assign at once (the item then starts "assigned")
  std::string measures;            // optional
  std::optional<Instant> deadline; // optional: else the campaign's default problem deadline
};

struct NewEnrollment {
  Household household;             // every field but `members` required
  std::optional<Instant> deadline; // optional: else the campaign's default enrollment rule
};

// An item with what the current state allows, as the API shows it.
struct ItemView {
  Item item;
  std::vector<std::string> allowed_events;
};

class ItemService {
 public:
  // `campaign` must be validated and must outlive the service, as must `store`.
  ItemService(const Campaign& campaign, ItemStore& store) : campaign_(campaign), store_(store) {}

  Result<ItemView> CreateProblem(const NewProblem& input, const std::string& actor, Instant now);
  Result<ItemView> CreateEnrollment(const NewEnrollment& input, const std::string& actor, Instant now);
  // All or none: the first invalid problem fails the whole call (its index in the field path,
  // "[3].area"), and nothing is stored.
  Result<std::vector<Item>> CreateProblems(const std::vector<NewProblem>& inputs, const std::string& actor,
                                           Instant now);

  Result<ItemView> Get(ItemKind kind, std::int64_t id);

  // Fires one event on the item. When `expected_version` is given and differs from the stored
  // one, nothing happens and the result is kAborted. Refusals:
  //   unknown event name          -> kInvalidArgument (field "event"; allowed lists the events)
  //   no transition from here     -> kFailedPrecondition with the allowed events
  //   guard refuses the payload   -> kUnprocessable naming the field
  //   a minimum dwell not yet met -> kUnprocessable, field "event", naming when it ends
  //   concurrent change           -> kAborted
  Result<ItemView> Fire(ItemKind kind, std::int64_t id, const EventInput& input,
                        std::optional<std::int64_t> expected_version, Instant now);

  // When the deadline rules or the calendar changed since the last start (a fingerprint kept
  // in the store), recomputes every open item's deadline and due_at, in batches, without
  // loading them all; returns how many items changed (0 when nothing did).
  Result<int> RecomputeDeadlines();

  // Checks one problem against the campaign without storing it; on success, the item as it
  // would be stored. Field paths in errors start with `field_prefix` ("[3]." for the 4th row).
  Result<Item> ValidateProblem(const NewProblem& input, Instant now, const std::string& field_prefix = {}) const;

  const Campaign& campaign() const { return campaign_; }
  ItemStore& store() { return store_; }

 private:
  Result<ItemView> View(Item item) const;
  // Stamps a new item's times and its deadlines (given, or from the campaign's rules).
  Status StartClock(Item& item, std::optional<Instant> deadline, Instant now) const;
  Status CheckEventInput(const Item& item, EventInput& input) const;

  const Campaign& campaign_;
  ItemStore& store_;
};

}  // namespace rectify
