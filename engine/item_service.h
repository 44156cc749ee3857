// The engine's commands: create items, fire events on them, and read them back with what
// may happen next. It ties a validated Campaign, the state machines (workflow.h) and an
// ItemStore together. It reads no clock: every command takes `now`.
//
// Thread-safe if the store is; holds no per-item state between calls.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/campaign.h"
#include "engine/data_error.h"
#include "engine/item.h"
#include "engine/item_store.h"
#include "engine/phase_gates.h"
#include "engine/status.h"
#include "engine/workflow.h"

namespace rectify {

// What a caller gives to create a problem. Empty / unset fields are checked here.
struct NewProblem {
  std::string title;               // required: the problem as found
  int area = 0;                    // required: 1..number of areas
  std::string source;              // required: a campaign source id
  std::string unit;                // optional: assign at once (through the machine's assign row)
  std::vector<std::string> cooperating_units;  // optional: 配合单位, campaign unit ids
  // optional: the sender's key for this request (HTTP Idempotency-Key): the same key again from
  // the same person finds the problem it made instead of making another.
  std::string request_key;
  std::string measures;            // optional
  std::optional<Instant> deadline; // optional: else the campaign's default problem deadline
  std::optional<CivilDate> found_on;  // optional: when the inspection found it (not after today)
};

struct NewEnrollment {
  Household household;             // every field but `members` required
  std::optional<Instant> deadline; // optional: else the campaign's default enrollment rule
  std::string origin;              // optional: where the request came from, noted in its first history line
  std::string request_key;         // optional: as NewProblem::request_key
};

// A phase gate and the items behind it that an actor may see, by responsible unit.
// A phase gate with what the actor may see behind it: counted by the store, not read, so that a
// county's gates answer at once; the items come a page at a time (ItemService::GateItems).
struct GateReport {
  GateCheck check;
  int behind = 0;
  std::map<std::string, int> behind_by_unit;  // by responsible unit (the office's for the unassigned)
  std::vector<Item> first_page;               // the first of them, by id
};

// An item with what the current state allows this actor, as the API shows it.
struct ItemView {
  Item item;
  std::vector<std::string> allowed_events;
  bool personal_data_visible = false;  // the actor may see the household's data unmasked
  // Made by an earlier request with the same key (NewProblem::request_key): nothing was written.
  bool repeated = false;
};

// A page of a list (ItemService::Page).
struct ItemPage {
  std::vector<Item> items;
  std::int64_t total = 0;           // the items of every page together
  std::optional<ItemCursor> next;   // the next page's query.after (in the default order, its id is after_id)
};

// kFailedPrecondition (reason "carried_over", naming the campaign and the id) for a problem
// carried into a later campaign (回头看, Item::carried_to): it goes on there, and this one stays
// as it stood. Ok for every other item.
Status CheckNotCarriedOut(const Item& item);

class ItemService {
 public:
  // `campaign` must be validated and must outlive the service, as must `store`.
  ItemService(const Campaign& campaign, ItemStore& store) : campaign_(campaign), store_(store) {}

  // Dates given are checked by engine/date_rules.h (the calendar's years and sense), and a
  // refusal is kInvalidArgument naming the field. Every command takes the acting person. What the campaign's permission table does not grant
  // them is refused with kPermissionDenied and changes nothing; an item they may not see is
  // kNotFound, as if it did not exist.

  // With a request_key that the same actor sent before, the item that request made, as it is
  // now (ItemView::repeated), and nothing is written: a request whose answer was lost on a weak
  // network is sent again, by the person or the browser, and must not make a second item.
  Result<ItemView> CreateProblem(const NewProblem& input, const Actor& actor, Instant now);
  Result<ItemView> CreateEnrollment(const NewEnrollment& input, const Actor& actor, Instant now);
  // All or none: the first invalid problem fails the whole call (its index in the field path,
  // "[3].area"), and nothing is stored.
  Result<std::vector<Item>> CreateProblems(const std::vector<NewProblem>& inputs, const Actor& actor, Instant now);

  Result<ItemView> Get(ItemKind kind, std::int64_t id, const Actor& actor);
  // The store's List and Overdue, narrowed to what the actor may see. Someone who sees only
  // related items gets them for their own unit; asking for another unit is kPermissionDenied.
  // A unit or state order (ItemSortKey) without ranks ranks by the campaign's units and the
  // workflow's states, in their order (the unassigned first).
  Result<std::vector<Item>> List(ItemQuery query, const Actor& actor);
  // One page of List with the number of items on every page together (ItemStore::Count) and
  // where the next page starts: nullopt when this page is the last (shorter than query.limit).
  // A filter's value the campaign does not know (a unit, village, area, source, or a state or
  // step of the kind's machine) is kInvalidArgument naming it: a typo must not read as "none".
  Result<ItemPage> Page(ItemQuery query, const Actor& actor);
  // query.unit as Page's.
  Result<std::vector<Item>> Overdue(OverdueQuery query, const Actor& actor);
  Result<std::vector<EventRecord>> History(ItemKind kind, std::int64_t id, const Actor& actor);
  // Every item of `query` the actor may see (List's narrowing), a page at a time
  // (ForEachItemPage): from query.after_id on, query.limit per page.
  Status ForEachVisible(ItemQuery query, const Actor& actor, const std::function<Status(const Item&)>& visit);
  // Every phase gate at `as_of` (engine/phase_gates.h), in the campaign's order, with how many
  // items the actor may see behind it and the first `first_page` of them.
  // kInvalidArgument (field "limit") when first_page < 1.
  Result<std::vector<GateReport>> Gates(Instant as_of, const Actor& actor, int first_page);
  // The items behind gate `gate` (its position in Gates' list) that the actor may see, by id,
  // `limit` from after `after_id`. kNotFound for a gate the campaign lacks.
  Result<std::vector<Item>> GateItems(std::size_t gate, Instant as_of, const Actor& actor, std::int64_t after_id,
                                      int limit);
  // Whether the actor may read this item's household data unmasked.
  bool MaySeePersonalData(const Item& item, const Actor& actor) const;
  // kPermissionDenied naming the action unless the permission table grants it to the actor.
  Status Require(std::string_view action, const Actor& actor, const Relations& relations = {}) const;

  // Fires one event on the item. When `expected_version` is given and differs from the stored
  // one, nothing happens and the result is kAborted. Refusals:
  //   item the actor may not see -> kNotFound
  //   unknown event name          -> kInvalidArgument (field "event")
  //   no transition from here     -> kFailedPrecondition with the events this actor may fire
  //   role or unit may not fire   -> kPermissionDenied with the events this actor may fire
  //   guard refuses the payload   -> kUnprocessable naming the field
  //   a date against the rules    -> kInvalidArgument naming it (entered_on: engine/date_rules.h)
  //   a minimum dwell not yet met -> kUnprocessable, field "event", naming when it ends
  //   concurrent change           -> kAborted, only with `expected_version`
  // Without `expected_version` the event is asked of the item as it stands: when another write
  // (the notifier's warning tier, another member's note) lands between this one's read and its
  // write, the event is decided again on the item as it now is, up to kFireAttempts times.
  Result<ItemView> Fire(ItemKind kind, std::int64_t id, const EventInput& input, const Actor& actor,
                        std::optional<std::int64_t> expected_version, Instant now);
  // Enough for a crowd on one item (20 phones and the notifier writing at once took 15 rounds).
  static constexpr int kFireAttempts = 32;

  // When the deadline rules or the calendar changed since the last start (a fingerprint kept
  // in the store), recomputes every open item's deadline and due_at, in batches, without
  // loading them all. An item the new rules cannot compute (a date outside the calendar) keeps
  // what it had and is reported as a data error (engine/data_error.h): one bad item never keeps
  // the server from starting.
  // `progress`, when given, is called after each batch with the open items examined and changed
  // so far, so that a start-up recomputing a county's items can say how far it is.
  struct Recomputed {
    int examined = 0;  // open items looked at (0 when the rules had not changed)
    int changed = 0;   // items whose deadlines changed (0 when nothing did)
    std::vector<DataError> data_errors;
  };
  Result<Recomputed> RecomputeDeadlines(const std::function<void(const Recomputed& so_far)>& progress = {});

  // Checks one problem against the campaign without storing it; on success, the item as it
  // would be stored. Field paths in errors start with `field_prefix` ("[3]." for the 4th row).
  // A problem given a unit is assigned to it by the machine's `assign` row as `actor` (a preview
  // checks the rows as the system, which may do anything; the creation, as its creator).
  Result<Item> ValidateProblem(const NewProblem& input, Instant now, const std::string& field_prefix = {},
                               const Actor& actor = Actor::System("preview")) const;

  const Campaign& campaign() const { return campaign_; }

 private:
  // Fire's one attempt: reads the item, decides the event and writes it if the item is still
  // at the version read.
  Result<ItemView> FireOnce(ItemKind kind, std::int64_t id, const EventInput& input, const Actor& actor,
                            std::optional<std::int64_t> expected_version, Instant now);
  Result<ItemView> View(Item item, const Actor& actor) const;
  // For an actor who does not see every item: their own unit (asking for another is
  // kPermissionDenied); nullopt for one who sees all.
  // List's narrowing and ranks, applied to `query`.
  Status Narrow(ItemQuery& query, const Actor& actor) const;
  // Page's check of the filters' values.
  Status CheckFilterValues(const ItemQuery& query) const;
  Status CheckUnitFilter(const std::optional<std::string>& unit) const;
  Result<std::optional<std::string>> OwnUnitOnly(const std::optional<std::string>& asked, const Actor& actor) const;
  // The item if the actor may see it, else kNotFound worded as for a missing item.
  Result<Item> Visible(ItemKind kind, std::int64_t id, const Actor& actor);
  // Stamps a new item's times and its deadlines (given, or from the campaign's rules).
  Status StartClock(Item& item, std::optional<Instant> deadline, Instant now) const;
  Status CheckEventInput(const Item& item, EventInput& input, Instant now) const;
  // A new item given a unit goes found -> assigned through the machine's `assign` row, its guard
  // and its actions, as any assignment does (so it awaits the unit's signature); refusals name
  // `field`.
  Status AssignOnCreation(Item& item, const std::string& unit, const Actor& actor, const std::string& field,
                          Instant now) const;
  // Applies what a transition decided to `item` and describes it in `event` (the history row):
  // the unit, signing, the extension, the reopened deadline. kUnprocessable naming the field when
  // the decision needs what the request did not give.
  Status ApplyEffects(Item& item, EventRecord& event, const StatePath& to, const TransitionEffects& effects,
                      const EventInput& input, const Actor& actor, Instant now) const;
  // The history row's account of who holds the item and, when the event asked the unit to sign
  // for it, by when.
  Status DescribeHolder(const Item& item, EventRecord& event, bool asked_to_sign) const;
  // One household is in one enrollment procedure at a time. A request of the head with this ID
  // number is written only while no other is open, in any campaign: the store checks the query
  // inside the write (ItemStore::InsertUnless, UpdateUnless), so two cadres, or two instances on
  // one PostgreSQL database, entering the same household at once cannot both get through.
  static ItemQuery OpenRequestsOf(const std::string& id_number);
  // The checked items and their create rows of CreateProblems, not yet stored.
  Result<std::pair<std::vector<Item>, std::vector<EventRecord>>> PrepareProblems(const std::vector<NewProblem>& inputs,
                                                                                 const Actor& actor, Instant now);
  // The item the actor's request with this key made, as Item::request_key says it.
  static ItemQuery MadeByRequest(ItemKind kind, const std::string& scoped_key);
  // The item of an earlier request with the same key, if there is one.
  Result<std::optional<Item>> EarlierRequest(ItemKind kind, const std::string& scoped_key);
  Result<ItemView> Repeated(Item earlier, const Actor& actor);
  // What a write refused for `open` (the blocking request) answers: kUnprocessable (field
  // id_number) naming it, and its campaign when another's.
  Status AlreadyOpen(const Item& open) const;

  const Campaign& campaign_;
  ItemStore& store_;
};

}  // namespace rectify
