// The item store's search, orders and change filter (engine/item_store.h: ItemQuery::text,
// order, after, changed_since) on every backend (backends.h).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/workflow.h"
#include "tests/storage/contract/contract.h"

namespace rectify::testing {
namespace {

using IdList = std::vector<std::int64_t>;

IdList Found(ItemStore& store, ItemQuery query) {
  Result<std::vector<Item>> items = store.List(query);
  INFO(items.status().ToString());
  REQUIRE(items.ok());
  return Ids(*items);
}

IdList Search(ItemStore& store, ItemKind kind, const std::string& text) {
  ItemQuery query;
  query.kind = kind;
  query.text = text;
  return Found(store, query);
}

// Appends a history row with `note` (the item's state unchanged) and returns the item as stored.
Item Noted(ItemStore& store, Item item, const std::string& note, Instant at) {
  EventRecord event = Moved(item.state, item.state, "progress", at);
  event.note = note;
  item.updated_at = at;
  const Status updated = store.Update(item, event);
  INFO(updated.ToString());
  REQUIRE(updated.ok());
  ++item.version;
  return item;
}

// Every page of `query`, `limit` at a time, following the cursor of each page's last item.
IdList AllPages(ItemStore& store, ItemQuery query, int limit) {
  query.limit = limit;
  IdList seen;
  while (true) {
    Result<std::vector<Item>> page = store.List(query);
    REQUIRE(page.ok());
    if (page->empty()) return seen;
    for (const Item& item : *page) seen.push_back(item.id);
    query.after = ItemCursor{SortValue(page->back(), query.order), page->back().id};
  }
}

// A distinct two-character word for each note number: a character repeated, which no other
// note holds (U+4E00 onwards, none of them in the notes' common text).
std::string PairWord(int number) {
  const char32_t c = 0x4E00 + static_cast<char32_t>(number);
  std::string one;
  one += static_cast<char>(0xE0 | (c >> 12));
  one += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
  one += static_cast<char>(0x80 | (c & 0x3F));
  return one + one;
}

}  // namespace

TEMPLATE_TEST_CASE("List finds items by any part of their title, measures, household or history notes", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  Item dropout = Problem("某村一名适龄儿童辍学未劝返", "town-a");
  dropout.measures = "上门劝返并落实资助";
  Item roads = Problem("国家脱贫攻坚成效考核后评估反馈问题：通组道路损毁", "town-b");
  roads.measures = "Repair the ROAD before winter";
  const std::vector<Item> s = InsertAll(store, {dropout, roads, Enrollment("张三丰", "village-1")});
  Noted(store, s[1], "已撤销，退回整改1次", kStart + kDay);

  CHECK(Search(store, ItemKind::kProblem, "辍学未劝返") == IdList{s[0].id});    // a title, in the middle
  CHECK(Search(store, ItemKind::kProblem, "落实资助") == IdList{s[0].id});      // measures
  CHECK(Search(store, ItemKind::kProblem, "退回整改") == IdList{s[1].id});      // a history note
  CHECK(Search(store, ItemKind::kProblem, "road") == IdList{s[1].id});         // ASCII in either case
  CHECK(Search(store, ItemKind::kEnrollment, "张三丰") == IdList{s[2].id});      // the household's head
  CHECK(Search(store, ItemKind::kProblem, "张三丰").empty());                    // one kind at a time
  // Words shorter than three characters have no trigram; they are found all the same.
  CHECK(Search(store, ItemKind::kProblem, "辍学") == IdList{s[0].id});
  CHECK(Search(store, ItemKind::kEnrollment, "三") == IdList{s[2].id});
  CHECK(Search(store, ItemKind::kProblem, "问题") == IdList{s[1].id});
  // Every word must appear, anywhere in the item.
  CHECK(Search(store, ItemKind::kProblem, "道路 撤销") == IdList{s[1].id});
  CHECK(Search(store, ItemKind::kProblem, "道路\u3000辍学").empty());
  CHECK(Search(store, ItemKind::kProblem, "劝返 \"quoted\"").empty());
  CHECK(Search(store, ItemKind::kProblem, "  ") == IdList{s[0].id, s[1].id});  // no words: no filter

  // With the other filters.
  ItemQuery query;
  query.text = "劝返";
  query.unit = "town-b";
  CHECK(Found(store, query).empty());
  query.unit = "town-a";
  CHECK(Found(store, query) == IdList{s[0].id});
}

TEMPLATE_TEST_CASE("Search words match literally: LIKE wildcards, backslashes, ASCII letters in either case",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  const std::vector<Item> s = InsertAll(store, {Problem("完成率100%"), Problem("完成率1000"), Problem("编号a_b"),
                                                Problem("编号axb"), Problem("路径C:\\dir"), Problem("路径C:dir"),
                                                Problem("Repair the ROAD")});
  CHECK(Search(store, ItemKind::kProblem, "100%") == IdList{s[0].id});
  CHECK(Search(store, ItemKind::kProblem, "%") == IdList{s[0].id});
  CHECK(Search(store, ItemKind::kProblem, "a_b") == IdList{s[2].id});
  CHECK(Search(store, ItemKind::kProblem, "_") == IdList{s[2].id});
  CHECK(Search(store, ItemKind::kProblem, "C:\\dir") == IdList{s[4].id});
  CHECK(Search(store, ItemKind::kProblem, "\\") == IdList{s[4].id});
  CHECK(Search(store, ItemKind::kProblem, "rOad") == IdList{s[6].id});
  CHECK(Search(store, ItemKind::kProblem, "Oa") == IdList{s[6].id});  // short: compared item by item
}

TEMPLATE_TEST_CASE("A search word finds its full-width and half-width spellings, in texts and notes",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  const Instant at = ShanghaiInstant(CivilDate{2021, 10, 12}, 9 * 3600);
  std::vector<Item> s = InsertAll(store, {Problem("ＡＢＣ村１２３号危房"), Problem("3组饮水管网漏水"),
                                          Problem("示例村道路ROAD破损"), Problem("无关的问题")});
  Noted(store, s[3], "已联系ＸＹＺ公司维修", at);
  // An IME's full-width mode one way, plain ASCII the other; a short word row by row, a long one
  // through the indexes.
  CHECK(Search(store, ItemKind::kProblem, "ABC") == IdList{s[0].id});
  CHECK(Search(store, ItemKind::kProblem, "ABC村") == IdList{s[0].id});
  CHECK(Search(store, ItemKind::kProblem, "123") == IdList{s[0].id});
  CHECK(Search(store, ItemKind::kProblem, "３组") == IdList{s[1].id});
  CHECK(Search(store, ItemKind::kProblem, "３组饮水") == IdList{s[1].id});
  CHECK(Search(store, ItemKind::kProblem, "ＲＯＡＤ") == IdList{s[2].id});
  CHECK(Search(store, ItemKind::kProblem, "XYZ公司") == IdList{s[3].id});  // in a note
  CHECK(Search(store, ItemKind::kProblem, "ＡＢＣ ３组").empty());       // every word must match
  CHECK(Search(store, ItemKind::kProblem, "ＡＢＣ 危房") == IdList{s[0].id});
}

TEMPLATE_TEST_CASE("List finds an item by what it says now, and by notes added since", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  Item item = InsertOne(store, Problem("危房改造未完成", "town-a"));
  item.title = "饮水安全未保障";
  item = Noted(store, item, "", kStart + kDay);
  CHECK(Search(store, ItemKind::kProblem, "危房改造").empty());
  CHECK(Search(store, ItemKind::kProblem, "饮水安全") == IdList{item.id});
  item = Noted(store, item, "第一次回访", kStart + 2 * kDay);
  item = Noted(store, item, "第二次回访已解决", kStart + 3 * kDay);
  CHECK(Search(store, ItemKind::kProblem, "第一次回访") == IdList{item.id});
  CHECK(Search(store, ItemKind::kProblem, "第二次回访") == IdList{item.id});
  // Each note is searched on its own: words from two notes, a short word, and with the title.
  CHECK(Search(store, ItemKind::kProblem, "第一次 已解决") == IdList{item.id});
  CHECK(Search(store, ItemKind::kProblem, "回访") == IdList{item.id});
  CHECK(Search(store, ItemKind::kProblem, "饮水安全 第一次回访") == IdList{item.id});
  CHECK(Search(store, ItemKind::kProblem, "第三次回访").empty());
  backend.Reopen();
  CHECK(Search(backend.stores().items(), ItemKind::kProblem, "第二次回访") == IdList{item.id});
}

TEMPLATE_TEST_CASE("List finds every note of a long history, the newest and the oldest", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  // More notes than SQLite keeps waiting for its search index (SqliteDatabase::kNotesPerIndexing,
  // 256): the first notes have joined the index, the newest wait for it; a search finds both.
  TestType backend;
  ItemStore& store = backend.stores().items();
  constexpr int kNotes = 600;
  constexpr int kItems = 6;
  std::vector<Item> items;
  for (int i = 0; i < kItems; ++i) items.push_back(InsertOne(store, Problem("回访台账" + std::to_string(i), "town-a")));
  for (int n = 0; n < kNotes; ++n) {
    Item& item = items[static_cast<std::size_t>(n % kItems)];
    item = Noted(store, item, "第" + std::to_string(n) + "号记录：" + PairWord(n) + "。已回访", kStart + n);
  }
  for (const int n : {0, 1, 255, 256, 300, 511, 512, 513, 599}) {
    INFO(n);
    const IdList expected{items[static_cast<std::size_t>(n % kItems)].id};
    CHECK(Search(store, ItemKind::kProblem, "第" + std::to_string(n) + "号记录") == expected);  // indexed word
    CHECK(Search(store, ItemKind::kProblem, PairWord(n)) == expected);                       // short: row by row
  }
  IdList all;
  for (const Item& item : items) all.push_back(item.id);
  CHECK(Search(store, ItemKind::kProblem, "已回访") == all);
  CHECK(Search(store, ItemKind::kProblem, "第600号记录").empty());
  backend.Reopen();
  CHECK(Search(backend.stores().items(), ItemKind::kProblem, "第599号记录") == IdList{items[599 % kItems].id});
}

TEMPLATE_TEST_CASE("List refuses a search of more words than kMaxSearchWords", "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemQuery query;
  query.text = "a b c d e f g h i";
  const Status refused = backend.stores().items().List(query).status();
  CHECK(refused.code() == StatusCode::kInvalidArgument);
  CHECK(refused.field() == "q");
}

TEMPLATE_TEST_CASE("List orders by deadline, deadline in force, unit, area or state, either way, then by id",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  Item a = Problem("a", "town-b", kStart + 3 * kDay);
  a.area = 5;
  Item b = Problem("b", "town-a", kStart + 1 * kDay);
  b.area = 1;
  b.due_at = kStart + 5 * kDay;  // a step limit put off: the deadline in force differs from the deadline
  Item c = Problem("c", "");     // no deadline, no unit
  c.area = 5;
  Item d = Problem("d", "town-c", kStart + 2 * kDay);
  d.area = 3;
  d.state = StatePath{"rectifying", "working"};
  const std::vector<Item> s = InsertAll(store, {a, b, c, d});

  ItemQuery q;
  q.order.key = ItemSortKey::kDeadline;
  CHECK(Found(store, q) == IdList{s[1].id, s[3].id, s[0].id, s[2].id});  // no deadline last
  q.order.descending = true;
  CHECK(Found(store, q) == IdList{s[2].id, s[0].id, s[3].id, s[1].id});
  q.order = {ItemSortKey::kDueAt, false, {}};
  CHECK(Found(store, q) == IdList{s[3].id, s[0].id, s[1].id, s[2].id});
  q.order = {ItemSortKey::kArea, false, {}};
  CHECK(Found(store, q) == IdList{s[1].id, s[3].id, s[0].id, s[2].id});  // equal areas by id
  q.order = {ItemSortKey::kUnit, false, {"", "town-c", "town-a"}};
  CHECK(Found(store, q) == IdList{s[2].id, s[3].id, s[1].id, s[0].id});  // town-b not listed: last
  q.order = {ItemSortKey::kState, false, {"found", "assigned", "rectifying.working"}};
  CHECK(Found(store, q) == IdList{s[2].id, s[0].id, s[1].id, s[3].id});
  q.order.descending = true;
  CHECK(Found(store, q) == IdList{s[3].id, s[1].id, s[0].id, s[2].id});
  q.order = {ItemSortKey::kId, true, {}};
  CHECK(Found(store, q) == IdList{s[3].id, s[2].id, s[1].id, s[0].id});
}

TEMPLATE_TEST_CASE("Pages of a sorted list follow one another without skipping or repeating an item", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  std::vector<Item> items;
  for (int i = 0; i < 11; ++i) {
    Item item = Problem("p" + std::to_string(i), i % 3 == 0 ? "town-a" : "town-b",
                        i % 4 == 0 ? std::nullopt : std::optional<Instant>(kStart + (i % 3) * kDay));
    item.area = 1 + i % 2;
    items.push_back(item);
  }
  const std::vector<Item> stored = InsertAll(store, items);
  for (const ItemSortKey key : {ItemSortKey::kDeadline, ItemSortKey::kDueAt, ItemSortKey::kUnit, ItemSortKey::kArea,
                                ItemSortKey::kId}) {
    for (const bool descending : {false, true}) {
      INFO("key " << static_cast<int>(key) << (descending ? " descending" : ""));
      ItemQuery q;
      q.order = {key, descending, {"town-b", "town-a"}};
      const IdList whole = Found(store, q);
      REQUIRE(whole.size() == 11);
      CHECK(AllPages(store, q, 3) == whole);
      // ForEachItemPage follows the same order.
      IdList visited;
      REQUIRE(ForEachItem(store, q, [&visited](const Item& item) {
                visited.push_back(item.id);
                return Status::Ok();
              }).ok());
      CHECK(visited == whole);
    }
  }
}

TEMPLATE_TEST_CASE("List filters the items changed since an instant", "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  const std::vector<Item> s = InsertAll(store, {Problem("a", "town-a"), Problem("b", "town-a"), Problem("c")});
  Noted(store, s[1], "进展", kStart + 2 * kDay);
  ItemQuery q;
  q.changed_since = kStart + kDay;
  CHECK(Found(store, q) == IdList{s[1].id});
  q.changed_since = kStart;
  CHECK(Found(store, q) == IdList{s[0].id, s[1].id, s[2].id});
}

TEMPLATE_TEST_CASE("List and CountByUnit filter the items recorded before an instant", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  Item later = Problem("b", "town-a");
  later.created_at = later.updated_at = kStart + kDay;
  const std::vector<Item> s = InsertAll(store, {Problem("a", "town-a"), later, Problem("c", "town-b")});
  ItemQuery q;
  q.recorded_before = kStart + kDay;
  CHECK(Found(store, q) == IdList{s[0].id, s[2].id});
  auto counts = store.CountByUnit(q);
  REQUIRE(counts.ok());
  CHECK(*counts == std::map<std::string, int>{{"town-a", 1}, {"town-b", 1}});
  q.recorded_before = kStart + kDay + 1;
  CHECK(Found(store, q) == IdList{s[0].id, s[1].id, s[2].id});
  q.recorded_before = kStart;
  CHECK(Found(store, q).empty());
}

TEMPLATE_TEST_CASE("List filters the items with a history row of an event in a window, paged by id", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  const std::vector<Item> s =
      InsertAll(store, {Problem("a", "town-a"), Problem("b", "town-a"), Problem("c"), Problem("d"), Problem("e")});
  // A 督办 note in the window on a and d, one before it on b, one after it on c; a progress note
  // in it on e.
  auto supervised = [&store](Item item, Instant at) {
    EventRecord event = Moved(item.state, item.state, kSuperviseEvent, at);
    event.note = "督办";
    item.updated_at = at;
    const Status updated = store.Update(item, event);
    INFO(updated.ToString());
    REQUIRE(updated.ok());
  };
  supervised(s[0], kStart + 2 * kDay);
  supervised(s[1], kStart + kDay);
  supervised(s[2], kStart + 3 * kDay + 1);
  supervised(s[3], kStart + 3 * kDay);
  Noted(store, s[4], "进展", kStart + 2 * kDay);
  ItemQuery q;
  q.event_between = EventWindow{kSuperviseEvent, kStart + kDay, kStart + 3 * kDay};
  CHECK(Found(store, q) == IdList{s[0].id, s[3].id});
  CHECK(AllPages(store, q, 1) == IdList{s[0].id, s[3].id});
  q.limit = 1;
  q.after_id = s[0].id;
  CHECK(Found(store, q) == IdList{s[3].id});
  q.after_id = 0;
  q.limit = 50;
  q.unit = "town-a";
  CHECK(Found(store, q) == IdList{s[0].id});
  q.unit.reset();
  q.event_between->event = "progress";
  CHECK(Found(store, q) == IdList{s[4].id});
  q.event_between = EventWindow{kSuperviseEvent, kStart + 3 * kDay + 1, kStart + 9 * kDay};
  CHECK(Found(store, q).empty());
}

TEMPLATE_TEST_CASE("Count gives the items of every page together, by the same filters and search", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  std::vector<Item> items;
  for (int i = 0; i < 7; ++i) items.push_back(Problem(i < 3 ? "危房改造第" + std::to_string(i) + "户" : "饮水", "town-a"));
  items.push_back(Problem("危房改造未完成", "town-b"));
  InsertAll(store, items);
  InsertAll(store, {Enrollment("危房户", "village-1")});
  auto count = [&store](ItemQuery query) {
    Result<std::int64_t> counted = store.Count(query);
    INFO(counted.status().ToString());
    REQUIRE(counted.ok());
    return *counted;
  };
  ItemQuery q;
  CHECK(count(q) == 8);
  q.limit = 2;  // the page, its position and order do not matter
  q.after_id = 5;
  q.order.key = ItemSortKey::kDeadline;
  CHECK(count(q) == 8);
  q.text = "危房改造";
  CHECK(count(q) == 4);
  q.text = "危房";  // two characters: no trigram, counted all the same
  CHECK(count(q) == 4);
  q.unit = "town-a";
  CHECK(count(q) == 3);
  q.kind = ItemKind::kEnrollment;
  q.unit.reset();
  CHECK(count(q) == 1);
  q.text = "a b c d e f g h i";
  CHECK(store.Count(q).status().field() == "q");
}

}  // namespace rectify::testing
