// The store's writes under many concurrent writers, now that they commit in groups
// (storage/sqlite_group_commit.h): each caller gets its own answer, a stale write is refused
// without spoiling the writes it shared a transaction with, and the audit log stays one
// unbroken chain in the order of the writes. Worker threads only record; the test thread checks.
#include <catch2/catch.hpp>

#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/audit.h"
#include "storage/sqlite_stores.h"
#include "tests/storage/sqlite_test_store.h"
#include "tests/storage/store_test_items.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

using testing::kStart;
using testing::Moved;
using testing::OpenStore;
using testing::Problem;
using testing::TempDir;

std::string Note(int writer, int round) { return "writer " + std::to_string(writer) + " round " + std::to_string(round); }

TEST_CASE("Many concurrent writers each get their own answer and leave one audit chain in the order of their writes") {
  TempDir dir;
  auto store = OpenStore(dir.File("rectify.sqlite"));
  constexpr int kWriters = 12;
  constexpr int kRounds = 40;
  std::vector<Item> inputs;
  for (int w = 0; w < kWriters; ++w) inputs.push_back(Problem("item of writer " + std::to_string(w), "town-a"));
  const std::vector<Item> items = testing::InsertAll(store->items(), inputs);

  // Every fifth write of each writer carries a version that is no longer current: it must be
  // refused, and only it.
  auto stale = [](int round) { return round % 5 == 4; };
  std::vector<std::vector<Status>> answers(kWriters);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w)
    writers.emplace_back([&, w] {
      Item mine = items[static_cast<std::size_t>(w)];
      for (int round = 0; round < kRounds; ++round) {
        Item next = mine;
        next.measures = Note(w, round);
        if (stale(round)) next.version = mine.version - 1;
        EventRecord event = Moved(mine.state, mine.state, "progress", kStart + round);
        event.note = Note(w, round);
        Status answer = store->items().Update(next, event);
        if (answer.ok()) ++mine.version;
        answers[static_cast<std::size_t>(w)].push_back(std::move(answer));
      }
    });
  for (std::thread& t : writers) t.join();

  std::map<std::string, std::vector<std::string>> audited;  // subject -> details, in seq order
  ChainVerifier chain;
  REQUIRE(store->audit()
              .ForEachAudit([&](const AuditRecord& record) {
                chain.Feed(record);
                audited[record.subject].push_back(record.detail);
                return Status::Ok();
              })
              .ok());
  INFO(chain.check().problem);
  CHECK(chain.check().intact);
  const int stale_rounds = kRounds / 5;
  CHECK(chain.check().records == kWriters + kWriters * (kRounds - stale_rounds));

  for (int w = 0; w < kWriters; ++w) {
    const Item& item = items[static_cast<std::size_t>(w)];
    std::vector<std::string> expected_notes;
    for (int round = 0; round < kRounds; ++round) {
      const Status& answer = answers[static_cast<std::size_t>(w)][static_cast<std::size_t>(round)];
      INFO(Note(w, round) << ": " << answer.ToString());
      CHECK(answer.code() == (stale(round) ? StatusCode::kAborted : StatusCode::kOk));
      if (!stale(round)) expected_notes.push_back(Note(w, round));
    }
    Result<Item> stored = store->items().Get(ItemKind::kProblem, item.id);
    REQUIRE(stored.ok());
    CHECK(stored->version == 1 + kRounds - stale_rounds);
    Result<std::vector<EventRecord>> history = store->items().History(ItemKind::kProblem, item.id);
    REQUIRE(history.ok());
    std::vector<std::string> history_notes;
    for (std::size_t i = 1; i < history->size(); ++i) history_notes.push_back((*history)[i].note);
    CHECK(history_notes == expected_notes);
    const std::vector<std::string>& details = audited["problem " + std::to_string(item.id)];
    REQUIRE(details.size() == expected_notes.size() + 1);  // its creation, then each accepted write
    for (std::size_t i = 0; i < expected_notes.size(); ++i) {
      const std::string& detail = details[i + 1];
      CHECK(detail.substr(detail.size() - expected_notes[i].size()) == expected_notes[i]);
    }
  }
}

}  // namespace
}  // namespace rectify
