// The store port of items. Every SQL statement of rectify lives behind such ports: SQLite today
// (storage/sqlite_item_store.h), PostgreSQL for deployments that outgrow one machine. The engine
// never opens a transaction itself; each method that writes is one transaction, all or nothing.
//
// Implementations must be safe to call from many threads at once. A write is durable when the
// method returns Ok: a crash or kill afterwards does not lose it.
//
// Every change is also recorded in the audit log (engine/audit.h), in the same transaction:
// a write that fails records nothing, one that succeeds records each change it made, and one
// that changed nothing (a repeated MarkSent, an empty list) records nothing. Audit records
// are appended one writer at a time, so concurrent writers never fork the chain.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/audit.h"
#include "engine/figure_items.h"
#include "engine/item.h"
#include "engine/status.h"
#include "engine/time.h"

namespace rectify {

// What List orders items by; every order ends with the id, so paging through it never skips
// or repeats an item.
enum class ItemSortKey {
  kId,
  kDeadline,  // the item's own deadline (整改时限)
  kDueAt,     // the deadline in force: ascending, the most overdue open item first
  kUnit,      // the responsible unit, in the order of `ranks`
  kArea,      // the area's number
  kState,     // the state path, in the order of `ranks`
};

struct ItemOrder {
  ItemSortKey key = ItemSortKey::kId;
  bool descending = false;
  // For kUnit unit ids, for kState state paths ("rectifying.working"), in the order wanted; a
  // value not listed comes after every listed one.
  std::vector<std::string> ranks;

  bool is_default() const { return key == ItemSortKey::kId && !descending; }
};

// The value List orders by, then the id: the id; the deadline or due_at (none: after every
// date, as INT64_MAX); the unit's or state path's position in `ranks` (not listed:
// ranks.size()); the area. Every backend orders by exactly this.
std::int64_t SortValue(const Item& item, const ItemOrder& order);

// Where a page in a non-default order ended: its last item's SortValue and id.
struct ItemCursor {
  std::int64_t value = 0;
  std::int64_t id = 0;
};

// Items whose history has a row of `event` written in (after, until]: the 督办 notes written
// since the notifier's previous slot, found by the history's index of events and their times.
struct EventWindow {
  std::string event;
  Instant after = 0;
  Instant until = 0;
};

// Filters for listing one kind of item; unset fields do not filter. Results are ordered by
// `order` (by default, by id) and paged by keyset: pass the last id of a page as `after_id` to
// get the next one, or in another order its ItemCursor as `after`.
struct ItemQuery {
  ItemKind kind = ItemKind::kProblem;
  std::optional<std::string> campaign;  // the campaign's items only (every service sets it)
  std::optional<std::string> state;  // top-level state ("rectifying" matches every step)
  std::optional<std::string> step;
  std::optional<std::string> unit;
  std::optional<int> area;
  std::optional<std::string> source;
  std::optional<std::string> village;      // enrollments: the household's village
  std::optional<std::string> id_number;    // enrollments: the household head's ID number, as stored
  std::optional<std::string> request_key;  // the item created by this request (Item::request_key)
  // Only items this unit may see: it is responsible, cooperating, or the household's village.
  std::optional<std::string> visible_to_unit;
  std::optional<Instant> overdue_as_of;    // open (not closed) with due_at < this instant
  bool open_only = false;                  // not closed
  bool figures_uncounted = false;          // written before the store counted figures (CountFigures)
  // Open, without a deadline in force, and still carrying a warning tier (Item::tier) from when
  // it had one: what RecordTiers must clear (engine/warning_tiers.h).
  bool tier_without_deadline = false;
  std::vector<std::string> state_paths;    // in any of these state paths ("rectifying.working")
  // Search: every word of it (split at white space) appears in the item's title, measures,
  // household head's name or a note of its history (ASCII letters in either case); at most
  // kMaxSearchWords words, longer words are matched whole, shorter ones too. Indexed where a
  // backend can: SQLite's FTS5 trigram index for words of three characters or more.
  std::optional<std::string> text;
  std::optional<Instant> changed_since;    // updated_at >= this instant
  std::optional<Instant> recorded_before;  // created_at < this instant (recorded, or carried in, before it)
  std::optional<EventWindow> event_between;  // a history row of this event in the window
  ItemOrder order;
  std::int64_t after_id = 0;               // the default order: items with a greater id
  std::optional<ItemCursor> after;         // any order: items after this position (then after_id is ignored)
  int limit = 50;
};

inline constexpr int kMaxSearchWords = 8;
// The words of a search text, as ItemQuery::text is matched: split at white space (ASCII and
// U+3000), empty ones dropped. kInvalidArgument (field "q") beyond kMaxSearchWords words.
Result<std::vector<std::string>> SearchWords(const std::string& text);

// The spellings one search word finds: itself, and its half-width and full-width forms, each
// once (engine/text.h): 3组 finds ３组 typed in an IME's full-width mode, and ＡＢＣ finds ABC.
// A word without ASCII or full-width forms, most Chinese, has one spelling.
std::vector<std::string> SearchSpellings(const std::string& word);

// Open items whose deadline in force (due_at) is before `as_of`, most overdue first; paged by
// the last row's (due_at, id). Unset kind or unit does not filter.
struct OverdueQuery {
  std::optional<std::string> campaign;  // the campaign's items only (every service sets it)
  Instant as_of = 0;                 // due_at < as_of
  std::optional<Instant> due_from;   // and, when set, due_at >= due_from (due soon, not yet late)
  std::optional<ItemKind> kind;
  std::optional<std::string> unit;
  std::optional<std::string> tier;   // the warning tier last recorded (Item::tier; "" for none)
  std::optional<Instant> after_due;  // with after_id: the last row of the previous page
  std::int64_t after_id = 0;
  int limit = 100;
  // Only the item's outline: what decides whether and to whom a digest lists it, for a reader
  // that counts most items and reads whole the few it keeps (the notifier at a county's size:
  // SQLite answers it from its index of open deadlines without reading the items themselves).
  // An outline holds id, kind, campaign, state, unit, deadline, due_at, the pending sign-for
  // request (sign_for), of a pending extension request its proposed deadline, the cooperating units, the household's village and risk_found_on, and the outcome's
  // entered_on; every other field is left as a default Item has it.
  bool outline = false;
};

// Many items' histories in one read (ItemStore::Histories).
struct HistoriesQuery {
  ItemKind kind = ItemKind::kProblem;
  std::optional<std::string> campaign;  // the campaign's items only (every service sets it)
  std::vector<std::int64_t> ids;        // at most kMaxHistoriesBatch
};
inline constexpr std::size_t kMaxHistoriesBatch = 1000;

// The items of one kind as the figures read them (ItemStore::FigureGroups).
struct FigureGroupsQuery {
  ItemKind kind = ItemKind::kProblem;
  std::optional<std::string> campaign;  // the campaign's items only (every service sets it)
  Instant as_of = 0;                    // the instant the figures are for
};

// One item written with the history row that says why (ItemStore::UpdateEach).
struct ItemUpdate {
  Item item;
  EventRecord event;
};

// What a write made only while no item matches a query did (ItemStore::InsertUnless,
// UpdateUnless): either it wrote, and `written` is the item as stored, or it found `blocking`,
// the first item the query matched, and wrote nothing.
struct GuardedWrite {
  std::optional<Item> written;
  std::optional<Item> blocking;
};

// Items, their history and the program's small named values. The files attached to items are
// another port (engine/attachments.h), as is reading the audit log (engine/audit_log.h).
class ItemStore {
 public:
  virtual ~ItemStore() = default;

  // Stores new items and their "create" history rows in one transaction: all of them or, on
  // any failure, none. Ids, version 1 and the rows' seq are assigned here; the returned items
  // carry them, in input order. `created[i]` describes `items[i]` (its item_id is filled in).
  // Each item's history facts are those of its create row (item.facts is ignored and returned).
  virtual Result<std::vector<Item>> Insert(std::vector<Item> items, std::vector<EventRecord> created) = 0;

  // kNotFound when there is no item with this id and kind.
  virtual Result<Item> Get(ItemKind kind, std::int64_t id) = 0;

  virtual Result<std::vector<Item>> List(const ItemQuery& query) = 0;
  // How many items List would give for `query` on every page together: its filters and search
  // only (order, after_id, after and limit aside). kInvalidArgument as List for a bad search.
  virtual Result<std::int64_t> Count(const ItemQuery& query) = 0;
  virtual Result<std::vector<Item>> Overdue(const OverdueQuery& query) = 0;
  // How many items `query` matches, per responsible unit ("" for the unassigned), counted by
  // the store without reading them; query.after_id and query.limit are ignored. Units with
  // none are absent.
  virtual Result<std::map<std::string, int>> CountByUnit(const ItemQuery& query) = 0;

  // Replaces the item's mutable fields and appends `event`, in one transaction, only if the
  // stored version is still `item.version`; the stored version becomes item.version + 1. The
  // stored history facts are advanced by `event` (AdvanceFacts, engine/history_facts.h; read
  // off the stored history first when the item has none yet); item.facts is ignored.
  // kAborted if someone else wrote first, kNotFound if the item is gone.
  virtual Status Update(const Item& item, const EventRecord& event) = 0;

  // Many updates of the program's own (tier changes found by a pass over every open item), in
  // one transaction so that they share one commit: each is applied as Update would apply it,
  // with its own version check, and a failed one (kAborted, kNotFound, or any error of its own)
  // is left out without spoiling the others. Returns one Status per update, in order; the
  // Result itself fails only when the transaction does (then none was written).
  virtual Result<std::vector<Status>> UpdateEach(const std::vector<ItemUpdate>& updates) = 0;

  // Insert of one item, and Update, made only while no item matches `blocker`: a rule that
  // spans items (one open enrollment request per household). The query is run inside the
  // write's transaction, after every write committed before it (SQLite has one writer; each
  // PostgreSQL write first takes the audit head's lock), so two writers, in one process or in
  // several instances on one database, cannot both find no match. It reads the items of every
  // campaign, with its own campaign filter if it sets one (a CampaignItemStore leaves it as it
  // is); its order, paging and limit are ignored, and the item being updated does not block
  // itself. Errors as Insert and Update.
  virtual Result<GuardedWrite> InsertUnless(Item item, EventRecord created, const ItemQuery& blocker) = 0;
  virtual Result<GuardedWrite> UpdateUnless(const Item& item, const EventRecord& event, const ItemQuery& blocker) = 0;

  // 回头看 (engine/deployment_service.h): inserts `arriving`, a problem carried over from
  // `leaving`, with `arrived` as its first row, and updates `leaving` with `left` as Update does,
  // in one transaction: both or neither, so no problem is ever in neither campaign or carried
  // twice. `leaving`'s carried_to_id is set there to the new problem's id. Returns the new
  // problem as Insert does. Errors as Insert and Update: kAborted when `leaving` changed since
  // it was read, and then nothing was written.
  virtual Result<Item> CarryOver(Item arriving, EventRecord arrived, Item leaving, EventRecord left) = 0;

  // Every event of the item, oldest first. kNotFound for an unknown item.
  virtual Result<std::vector<EventRecord>> History(ItemKind kind, std::int64_t id) = 0;
  // The histories of many items, each as History gives it, in the order of query.ids: one read
  // for a page of items, where History would be one read per item. kNotFound naming the first id
  // that is no item of the kind (or of the campaign); kInvalidArgument (field "ids") beyond
  // kMaxHistoriesBatch ids.
  virtual Result<std::vector<std::vector<EventRecord>>> Histories(const HistoriesQuery& query) = 0;

  // Writes only the computed deadline fields (deadline, deadline_rule, due_at, due_rule) of
  // these items, in one transaction, without a history row or a version change: they follow
  // from the rules, not from anyone's action.
  virtual Status UpdateDeadlines(const std::vector<Item>& items) = 0;

  // Calls `visit` with each group of the items of query.kind by their figure item
  // (engine/figure_items.h), with its count, as the store counted them while writing each item
  // (in the same transaction), without reading the items; in no particular order, one group held
  // at a time. Returns false when the groups cannot stand for the items at query.as_of: an item of
  // the kind (of any campaign) was written after it, or some item has not been counted yet
  // (written before the store counted figures); then `visit` was not called, or (a group the
  // program cannot read) what it was given must be dropped.
  virtual Result<bool> FigureGroups(const FigureGroupsQuery& query,
                                    const std::function<void(const FigureGroup& group)>& visit) = 0;
  // Counts the figures of these items, as they are stored, where not counted yet (read with
  // ItemQuery::figures_uncounted); one transaction, no history row, no audit record: the counts
  // follow from the items. Items counted meanwhile are left as they are.
  virtual Status CountFigures(const std::vector<Item>& items) = 0;

  // Small named values the program keeps about the database (the deadline fingerprint).
  virtual Result<std::optional<std::string>> GetMeta(const std::string& key) = 0;
  virtual Status PutMeta(const std::string& key, const std::string& value) = 0;
  // PutMeta only if `key` still holds `expected` (nullopt: no value), deciding and writing in one
  // transaction, so that of the writers racing from one reading (instances starting together)
  // exactly one writes; `because`, when given, is appended to the audit log in that transaction,
  // before the meta.put record. false, and nothing written, when the value was no longer `expected`.
  virtual Result<bool> PutMetaIf(const std::string& key, const std::optional<std::string>& expected,
                                 const std::string& value, const std::optional<AuditRecord>& because) = 0;
};

// How a paging loop reads its pages. kInTurn: each after the last one was visited. kAhead: the
// next page on a thread of its own while `visit` works on this one, so that a long read-only walk
// (a form written row by row) spends its time writing, not waiting on the store: at most two
// pages are held at once. Only for a `visit` that writes nothing: a write it made would not be
// seen by the page already read, and on SQLite the two threads each lease a connection.
enum class PageReading { kInTurn, kAhead };

// The one keyset-paging loop: calls `visit` with each page of the items `query` matches, in
// its order, `query.limit` at a time, from query.after_id (or query.after) on, so no more than a
// page is held at once (two with kAhead). Stops at, and returns, the first failed Status of the
// store or of `visit`.
Status ForEachItemPage(ItemStore& store, ItemQuery query, const std::function<Status(std::vector<Item>& page)>& visit,
                       PageReading reading = PageReading::kInTurn);

// ForEachItemPage, one item at a time.
Status ForEachItem(ItemStore& store, ItemQuery query, const std::function<Status(const Item& item)>& visit);

// The keyset-paging loop of ItemStore::Overdue: as ForEachItemPage, paged by (due_at, id).
Status ForEachOverduePage(ItemStore& store, OverdueQuery query,
                          const std::function<Status(std::vector<Item>& page)>& visit,
                          PageReading reading = PageReading::kInTurn);

// The items, in order, each with its history (ItemStore::Histories, a batch at a time): a page's
// records. With `needs`, only the items it names get their history; the others an empty one.
Result<std::vector<ItemRecord>> WithHistories(ItemStore& store, std::vector<Item> items,
                                              const std::function<bool(const Item&)>& needs = {});

// Counts the figures (ItemStore::CountFigures) of every item written before the store counted
// them, `batch` items to a transaction, calling `progress` with the number counted so far after
// each; returns how many. Nothing to do (the usual start) is one index lookup per kind.
Result<std::int64_t> CountUncountedFigures(ItemStore& store, int batch,
                                           const std::function<void(std::int64_t counted)>& progress = {});

// ForEachItem, each item with its history facts as the store keeps them, or read off its
// history for an item written before the store kept them (engine/history_facts.h): what the
// figures read, a page at a time, never a whole history.
Status ForEachItemWithFacts(ItemStore& store, ItemQuery query,
                            const std::function<void(const Item& item, const HistoryFacts& facts)>& visit);

// Every item matching `query` (all pages from the first: query.after_id and query.limit are
// ignored), by id; with LoadRecords, each with its history: for readers that need them all.
Result<std::vector<Item>> LoadItems(ItemStore& store, const ItemQuery& query);
Result<std::vector<ItemRecord>> LoadRecords(ItemStore& store, const ItemQuery& query);

}  // namespace rectify
