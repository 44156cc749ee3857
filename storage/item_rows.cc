#include "storage/item_rows.h"

#include <algorithm>
#include <string>
#include <utility>

#include "storage/item_codec.h"
#include "storage/pg_db.h"
#include "storage/sqlite_db.h"

namespace rectify::sql {
namespace {

template <class Row>
Result<CivilDate> ReadDate(const Row& row, int column) {
  const std::string text = row.Text(column);
  std::optional<CivilDate> date = ParseDate(text);
  if (!date) return Status::Internal("stored date is not YYYY-MM-DD: " + text);
  return *date;
}

// The cooperating units' column: their ids joined by commas.
std::vector<std::string> SplitUnits(const std::string& units) {
  std::vector<std::string> split;
  for (std::size_t start = 0; start <= units.size();) {
    const std::size_t comma = std::min(units.find(',', start), units.size());
    split.push_back(units.substr(start, comma - start));
    start = comma + 1;
  }
  return split;
}

// Every row of `query`, each read by `read`.
template <class Query, class Read>
Result<std::vector<Item>> ReadRows(Query& query, std::size_t expected, Read read) {
  std::vector<Item> items;
  items.reserve(expected);
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return items;
    Result<Item> item = read(query);
    if (!item.ok()) return item.status();
    items.push_back(std::move(item).value());
  }
}

}  // namespace

template <class Row>
Result<Item> ReadItem(const Row& row) {
  Item item;
  item.id = row.Int(0);
  std::optional<ItemKind> kind = ParseItemKind(row.Text(1));
  if (!kind) return Status::Internal("item " + std::to_string(item.id) + " has unknown kind " + row.Text(1));
  item.kind = *kind;
  item.state = StatePath{row.Text(2), row.Text(3)};
  item.version = row.Int(4);
  item.title = row.Text(5);
  item.area = static_cast<int>(row.Int(6));
  item.source = row.Text(7);
  item.unit = row.Text(8);
  item.measures = row.Text(9);
  item.deadline = row.OptionalInt(10);
  item.send_back_count = static_cast<int>(row.Int(11));
  item.reopen_count = static_cast<int>(row.Int(12));
  item.created_at = row.Int(13);
  item.updated_at = row.Int(14);
  item.deadline_rule = row.Text(15);
  item.state_since = row.Int(16);
  item.due_at = row.OptionalInt(17);
  item.due_rule = row.Text(18);
  if (!row.IsNull(19)) {
    Household household;
    household.head_name = row.Text(20);
    household.village = row.Text(21);
    household.category = row.Text(22);
    household.risk_type = row.Text(23);
    Result<CivilDate> found_on = ReadDate(row, 24);
    if (!found_on.ok()) return found_on.status();
    household.risk_found_on = *found_on;
    household.clue_source = row.Text(25);
    household.members = static_cast<int>(row.Int(26));
    household.personal.id_number = row.Text(31);
    household.personal.phone = row.Text(32);
    household.personal.bank_account = row.Text(33);
    household.personal.health_condition = row.Text(34);
    item.household = std::move(household);
  }
  if (!row.IsNull(35)) item.cooperating_units = SplitUnits(row.Text(35));
  item.campaign = row.Text(36);
  item.carried_from = row.Text(37);
  item.carried_at = row.OptionalInt(38);
  if (!row.IsNull(39)) {
    Result<CivilDate> found_on = ReadDate(row, 39);
    if (!found_on.ok()) return found_on.status();
    item.found_on = *found_on;
  }
  item.original_deadline = row.OptionalInt(40);
  if (!row.IsNull(41) && !row.IsNull(42)) item.sign_for = SignForRequest{row.Text(41), row.Int(42)};
  if (!row.IsNull(43))
    item.extension = ExtensionRequest{row.Int(43), row.Text(44), row.Text(45), row.OptionalInt(46).value_or(0)};
  item.tier = row.Text(47);
  item.tier_entries = ParseTierEntries(row.Text(48));
  if (!row.IsNull(49)) item.facts = ParseHistoryFacts(row.Text(49));
  if (!row.IsNull(51)) item.latest_progress = ProgressNote{row.OptionalInt(50).value_or(0), row.Text(51)};
  item.request_key = row.Text(52);
  item.carried_from_id = row.OptionalInt(53).value_or(0);
  item.carried_to = row.Text(54);
  item.carried_to_id = row.OptionalInt(55).value_or(0);
  if (!row.IsNull(27)) {
    EnrollmentOutcome outcome;
    outcome.result = row.Text(28);
    if (!row.IsNull(29)) {
      Result<CivilDate> entered_on = ReadDate(row, 29);
      if (!entered_on.ok()) return entered_on.status();
      outcome.entered_on = *entered_on;
    }
    outcome.explanation = row.Text(30);
    item.outcome = std::move(outcome);
  }
  return item;
}

template <class Query>
Result<std::vector<Item>> ReadItems(Query& query, std::size_t expected) {
  return ReadRows(query, expected, [](const Query& row) { return ReadItem(row); });
}

template <class Row>
Result<Item> ReadItemOutline(const Row& row) {
  Item item;
  item.id = row.Int(0);
  std::optional<ItemKind> kind = ParseItemKind(row.Text(1));
  if (!kind) return Status::Internal("item " + std::to_string(item.id) + " has unknown kind " + row.Text(1));
  item.kind = *kind;
  item.campaign = row.Text(2);
  item.state = StatePath{row.Text(3), row.Text(4)};
  item.unit = row.Text(5);
  item.deadline = row.OptionalInt(6);
  item.due_at = row.OptionalInt(7);
  if (!row.IsNull(8) && !row.IsNull(9)) item.sign_for = SignForRequest{row.Text(8), row.Int(9)};
  if (!row.IsNull(10)) item.extension = ExtensionRequest{row.Int(10), {}, {}, 0};
  if (!row.IsNull(11)) {
    Household household;
    household.village = row.Text(12);
    Result<CivilDate> found_on = ReadDate(row, 13);
    if (!found_on.ok()) return found_on.status();
    household.risk_found_on = *found_on;
    item.household = std::move(household);
  }
  if (!row.IsNull(14)) {
    EnrollmentOutcome outcome;
    if (!row.IsNull(15)) {
      Result<CivilDate> entered_on = ReadDate(row, 15);
      if (!entered_on.ok()) return entered_on.status();
      outcome.entered_on = *entered_on;
    }
    item.outcome = std::move(outcome);
  }
  if (!row.IsNull(16)) item.cooperating_units = SplitUnits(row.Text(16));
  return item;
}

template <class Query>
Result<std::vector<Item>> ReadItemOutlines(Query& query, std::size_t expected) {
  return ReadRows(query, expected, [](const Query& row) { return ReadItemOutline(row); });
}

// The event in the columns from `first` on, in kReadHistory's order.
template <class Query>
EventRecord ReadEvent(const Query& query, int first) {
  EventRecord event;
  event.seq = query.Int(first);
  event.item_id = query.Int(first + 1);
  event.from = query.Text(first + 2);
  event.to = query.Text(first + 3);
  event.event = query.Text(first + 4);
  event.actor = query.Text(first + 5);
  event.at = query.Int(first + 6);
  event.note = query.Text(first + 7);
  event.unit = query.Text(first + 8);
  event.sign_for_due = query.OptionalInt(first + 9);
  event.signed_for = query.Int(first + 10) != 0;
  event.sent_back = query.Int(first + 11) != 0;
  if (query.Int(first + 12) != 0)
    event.before.deadline = DeadlineSetting{query.OptionalInt(first + 13), query.Text(first + 14),
                                            query.OptionalInt(first + 15)};
  if (!query.IsNull(first + 16)) {
    EnrollmentOutcome outcome;
    outcome.result = query.Text(first + 16);
    // A date that does not read is left out rather than failing the history it is part of.
    if (!query.IsNull(first + 17)) outcome.entered_on = ParseDate(query.Text(first + 17));
    outcome.explanation = query.Text(first + 18);
    event.before.outcome = std::move(outcome);
  }
  return event;
}

template <class Query>
Result<std::optional<std::vector<EventRecord>>> ReadEvents(Query& query) {
  // kReadHistory's left join tells "no such item" (no row) from "no events" (one row of NULLs).
  std::optional<std::vector<EventRecord>> events;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return events;
    if (!events) events.emplace();
    if (query.IsNull(0)) continue;
    events->push_back(ReadEvent(query, 0));
  }
}

template <class Query>
Result<std::map<std::int64_t, std::vector<EventRecord>>> ReadEventsByItem(Query& query) {
  std::map<std::int64_t, std::vector<EventRecord>> events;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return events;
    std::vector<EventRecord>& of_item = events[query.Int(0)];
    if (!query.IsNull(1)) of_item.push_back(ReadEvent(query, 1));
  }
}

template Result<Item> ReadItem(const sqlite::Query& row);
template Result<Item> ReadItem(const pg::Query& row);
template Result<std::vector<Item>> ReadItems(sqlite::Query& query, std::size_t expected);
template Result<std::vector<Item>> ReadItems(pg::Query& query, std::size_t expected);
template Result<std::vector<Item>> ReadItemOutlines(sqlite::Query& query, std::size_t expected);
template Result<std::vector<Item>> ReadItemOutlines(pg::Query& query, std::size_t expected);
template Result<std::optional<std::vector<EventRecord>>> ReadEvents(sqlite::Query& query);
template Result<std::optional<std::vector<EventRecord>>> ReadEvents(pg::Query& query);
template Result<std::map<std::int64_t, std::vector<EventRecord>>> ReadEventsByItem(sqlite::Query& query);
template Result<std::map<std::int64_t, std::vector<EventRecord>>> ReadEventsByItem(pg::Query& query);

}  // namespace rectify::sql
