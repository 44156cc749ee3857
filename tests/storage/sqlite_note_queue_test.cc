// SQLite's history notes reach its search index in bulk (SqliteDatabase::kNotesPerIndexing):
// the queue they wait in stays short, and every note is in the index or in the queue, once.
// That a search finds them either way is the contract's (contract/item_store_search_test.cc).
#include <catch2/catch.hpp>

#include <string>

#include "storage/sqlite_database.h"
#include "storage/sqlite_db.h"
#include "tests/storage/sqlite_test_store.h"
#include "tests/storage/store_test_items.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

std::int64_t CountRows(sqlite::Db& db, const std::string& sql) {
  sqlite::Query query = db.Prepare(sql);
  Result<bool> row = query.Step();
  REQUIRE(row.ok());
  REQUIRE(*row);
  return query.Int(0);
}

TEST_CASE("History notes join the search index kNotesPerIndexing at a time, each exactly once") {
  testing::TempDir dir;
  const std::string path = dir.File("notes.sqlite");
  constexpr std::int64_t kBatch = SqliteDatabase::kNotesPerIndexing;
  auto count_notes = [&path](const char* table, std::int64_t* rows, std::int64_t* distinct) {
    Result<sqlite::Db> db = sqlite::Db::Open(path);
    REQUIRE(db.ok());
    *rows = CountRows(*db, std::string("SELECT count(*) FROM ") + table);
    *distinct = CountRows(*db, std::string("SELECT count(DISTINCT rowid) FROM ") + table);
  };
  {
    auto store = testing::OpenStore(path);
    Item item = testing::InsertOne(store->items(), testing::Problem("回访台账"));
    const std::int64_t notes = 2 * kBatch + kBatch / 2;
    for (std::int64_t n = 0; n < notes; ++n) {
      EventRecord event = testing::Moved(item.state, item.state, "progress", testing::kStart + n);
      event.note = "第" + std::to_string(n) + "次回访";
      item.updated_at = testing::kStart + n;
      REQUIRE(store->items().Update(item, event).ok());
      ++item.version;
    }
    // An empty note is no note: nothing queues for it.
    EventRecord silent = testing::Moved(item.state, item.state, "progress", testing::kStart + notes);
    item.updated_at = testing::kStart + notes;
    REQUIRE(store->items().Update(item, silent).ok());
  }
  std::int64_t indexed = 0, indexed_distinct = 0, queued = 0, queued_distinct = 0;
  count_notes("note_text", &indexed, &indexed_distinct);
  count_notes("note_text_queue", &queued, &queued_distinct);
  CHECK(indexed == 2 * kBatch);  // the batch that reached kBatch went in whole, twice
  CHECK(indexed_distinct == indexed);
  CHECK(queued == kBatch / 2);  // the rest wait, fewer than a batch
  CHECK(queued_distinct == queued);
  Result<sqlite::Db> db = sqlite::Db::Open(path);
  REQUIRE(db.ok());
  // No note in both: the queue's rows are the newest notes, past every indexed one.
  CHECK(CountRows(*db, "SELECT count(*) FROM note_text_queue WHERE seq <= (SELECT max(rowid) FROM note_text)") == 0);
  CHECK(CountRows(*db, "SELECT count(*) FROM events WHERE note <> ''") == indexed + queued);
}

}  // namespace
}  // namespace rectify
