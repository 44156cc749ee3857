// Items, events, files, outbox messages and audit records for the storage tests, written against
// the ports alone: the contract suites (contract/) and the SQLite-only tests share them.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "engine/attachments.h"
#include "engine/audit.h"
#include "engine/audit_log.h"
#include "engine/item.h"
#include "engine/item_store.h"
#include "engine/time.h"
#include "notifier/outbox.h"

namespace rectify::testing {

// 2021-10-26 00:00 in Shanghai: the campaign's start, a round "now" for the tests.
inline const Instant kStart = ShanghaiInstant(CivilDate{2021, 10, 26});
inline constexpr Instant kDay = kSecondsPerDay;

inline Item Problem(std::string title, std::string unit = "", std::optional<Instant> deadline = std::nullopt) {
  Item item;
  item.kind = ItemKind::kProblem;
  item.state = StatePath{unit.empty() ? "found" : "assigned", ""};
  item.title = std::move(title);
  item.area = 2;
  item.source = "inspection";
  item.unit = std::move(unit);
  item.measures = "rebuild the records";
  item.deadline = deadline;
  item.due_at = deadline;  // the store queries the deadline in force
  item.created_at = kStart;
  item.updated_at = kStart;
  return item;
}

inline Item Enrollment(std::string head_name, std::string village, std::optional<Instant> deadline = std::nullopt) {
  Item item;
  item.kind = ItemKind::kEnrollment;
  item.state = StatePath{"found", ""};
  item.title = head_name + "户 edge";
  item.deadline = deadline;
  item.due_at = deadline;  // the store queries the deadline in force
  item.created_at = kStart;
  item.updated_at = kStart;
  Household household;
  household.head_name = std::move(head_name);
  household.village = std::move(village);
  household.category = "edge";
  household.risk_type = "illness";
  household.risk_found_on = CivilDate{2021, 9, 30};
  household.clue_source = "self_report";
  household.members = 4;
  household.personal = {"11010519491231002X", "13812345678", "6222021234567890123", "高血压，长期服药"};
  item.household = household;
  return item;
}

inline EventRecord Created(const Item& item, Instant at = kStart) {
  EventRecord event;
  event.to = item.state.ToString();
  event.event = "create";
  event.actor = "tester";
  event.at = at;
  return event;
}

inline EventRecord Moved(const StatePath& from, const StatePath& to, std::string event_name, Instant at) {
  EventRecord event;
  event.from = from.ToString();
  event.to = to.ToString();
  event.event = std::move(event_name);
  event.actor = "tester";
  event.at = at;
  return event;
}

// Stores the items, each with a create event, and returns them with their ids.
inline std::vector<Item> InsertAll(ItemStore& store, std::vector<Item> items) {
  std::vector<EventRecord> created;
  for (const Item& item : items) created.push_back(Created(item));
  Result<std::vector<Item>> stored = store.Insert(std::move(items), std::move(created));
  INFO(stored.status().ToString());
  REQUIRE(stored.ok());
  return std::move(stored).value();
}

inline Item InsertOne(ItemStore& store, Item item) { return InsertAll(store, {std::move(item)}).front(); }

// Evidence for `item` as a village cadre uploads it; the store sets the hash and the size.
inline EvidenceFile Evidence(const Item& item, std::string name) {
  EvidenceFile file;
  file.kind = item.kind;
  file.item_id = item.id;
  file.file.name = std::move(name);
  file.file.content_type = "application/pdf";
  file.uploaded_at = kStart;
  file.uploaded_by = "user li";
  return file;
}

// A unit's ledger hand-in, not yet confirmed.
// The campaign the store tests' ledgers are handed in for.
inline constexpr const char kLedgerCampaign[] = "test-campaign";

inline LedgerHandIn HandIn(const std::string& unit, Instant at, const std::string& campaign = kLedgerCampaign) {
  LedgerHandIn handin;
  handin.campaign = campaign;
  handin.unit = unit;
  handin.file.name = "台账.pdf";
  handin.file.content_type = "application/pdf";
  handin.submitted_at = at;
  handin.submitted_by = "user village";
  return handin;
}

// Two of the notifier's schedule slots.
inline constexpr const char* kSlot = "2021-10-26T09:00:00+08:00";
inline constexpr const char* kNextSlot = "2021-10-27T09:00:00+08:00";

// One message of `slot` for `unit`, due at `due`; its key is built as the scan builds it.
inline notifier::OutboxMessage Message(const std::string& slot, const std::string& unit, Instant due = kStart,
                                       int part = 0) {
  notifier::OutboxMessage message;
  message.idempotency_key = slot + "|unit|" + unit + "|" + unit + "#0|" + std::to_string(part);
  message.slot = slot;
  message.audience = "unit";
  message.unit = unit;
  message.channel = unit + "#0";
  message.message = "【整改提醒】" + unit + ": 2 items overdue";
  message.item_count = 2;
  message.created_at = kStart;
  message.next_attempt_at = due;
  return message;
}

// Every audit record, in seq order.
inline std::vector<AuditRecord> AllAudit(AuditLog& log) {
  std::vector<AuditRecord> records;
  const Status read = log.ForEachAudit([&](const AuditRecord& record) {
    records.push_back(record);
    return Status::Ok();
  });
  INFO(read.ToString());
  REQUIRE(read.ok());
  return records;
}

inline std::vector<std::string> AuditActions(AuditLog& log) {
  std::vector<std::string> actions;
  for (const AuditRecord& record : AllAudit(log)) actions.push_back(record.action);
  return actions;
}

// The verdict on the whole log, read one record at a time.
inline ChainCheck VerifyAudit(AuditLog& log) {
  ChainVerifier verifier;
  REQUIRE(log.ForEachAudit([&](const AuditRecord& record) {
               verifier.Feed(record);
               return Status::Ok();
             })
              .ok());
  return verifier.check();
}

inline std::vector<std::int64_t> Ids(const std::vector<Item>& items) {
  std::vector<std::int64_t> ids;
  for (const Item& item : items) ids.push_back(item.id);
  return ids;
}

// The port keeps an item's cooperating units as a set: their order is not part of it.
inline std::vector<std::string> Sorted(std::vector<std::string> units) {
  std::sort(units.begin(), units.end());
  return units;
}

// Every field, so a column the store forgets to write or read shows up by name.
inline void CheckSameItem(const Item& actual, const Item& expected) {
  CHECK(actual.id == expected.id);
  CHECK(actual.kind == expected.kind);
  CHECK(actual.state == expected.state);
  CHECK(actual.version == expected.version);
  CHECK(actual.title == expected.title);
  CHECK(actual.area == expected.area);
  CHECK(actual.source == expected.source);
  CHECK(actual.unit == expected.unit);
  CHECK(Sorted(actual.cooperating_units) == Sorted(expected.cooperating_units));
  CHECK(actual.measures == expected.measures);
  CHECK(actual.deadline == expected.deadline);
  CHECK(actual.deadline_rule == expected.deadline_rule);
  CHECK(actual.state_since == expected.state_since);
  CHECK(actual.due_at == expected.due_at);
  CHECK(actual.due_rule == expected.due_rule);
  CHECK(actual.send_back_count == expected.send_back_count);
  CHECK(actual.reopen_count == expected.reopen_count);
  CHECK(actual.created_at == expected.created_at);
  CHECK(actual.updated_at == expected.updated_at);
  CHECK(actual.found_on == expected.found_on);
  CHECK(actual.original_deadline == expected.original_deadline);
  REQUIRE(actual.sign_for.has_value() == expected.sign_for.has_value());
  if (expected.sign_for) {
    CHECK(actual.sign_for->unit == expected.sign_for->unit);
    CHECK(actual.sign_for->since == expected.sign_for->since);
  }
  REQUIRE(actual.extension.has_value() == expected.extension.has_value());
  if (expected.extension) {
    CHECK(actual.extension->proposed == expected.extension->proposed);
    CHECK(actual.extension->reason == expected.extension->reason);
    CHECK(actual.extension->requested_by == expected.extension->requested_by);
    CHECK(actual.extension->requested_at == expected.extension->requested_at);
  }
  CHECK(actual.tier == expected.tier);
  CHECK(actual.tier_entries == expected.tier_entries);
  CHECK(actual.carried_from == expected.carried_from);
  CHECK(actual.carried_from_id == expected.carried_from_id);
  CHECK(actual.carried_at == expected.carried_at);
  CHECK(actual.carried_to == expected.carried_to);
  CHECK(actual.carried_to_id == expected.carried_to_id);
  REQUIRE(actual.household.has_value() == expected.household.has_value());
  if (expected.household) {
    CHECK(actual.household->head_name == expected.household->head_name);
    CHECK(actual.household->village == expected.household->village);
    CHECK(actual.household->category == expected.household->category);
    CHECK(actual.household->risk_type == expected.household->risk_type);
    CHECK(actual.household->risk_found_on == expected.household->risk_found_on);
    CHECK(actual.household->clue_source == expected.household->clue_source);
    CHECK(actual.household->members == expected.household->members);
    CHECK(actual.household->personal.id_number == expected.household->personal.id_number);
    CHECK(actual.household->personal.phone == expected.household->personal.phone);
    CHECK(actual.household->personal.bank_account == expected.household->personal.bank_account);
    CHECK(actual.household->personal.health_condition == expected.household->personal.health_condition);
  }
  REQUIRE(actual.outcome.has_value() == expected.outcome.has_value());
  if (expected.outcome) {
    CHECK(actual.outcome->result == expected.outcome->result);
    CHECK(actual.outcome->entered_on == expected.outcome->entered_on);
    CHECK(actual.outcome->explanation == expected.outcome->explanation);
  }
}

}  // namespace rectify::testing
