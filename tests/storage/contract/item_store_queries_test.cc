// The item store's queries (engine/item_store.h) on every backend (backends.h): List's filters
// and keyset paging, Overdue's order and paging, and the paging loops over them
// (ForEachItemPage, ForEachOverduePage).
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "tests/storage/contract/contract.h"

namespace rectify::testing {
namespace {

Item InState(Item item, std::string state, std::string step = "") {
  item.state = StatePath{std::move(state), std::move(step)};
  return item;
}

Item InArea(Item item, int area, std::string source) {
  item.area = area;
  item.source = std::move(source);
  return item;
}

std::vector<std::int64_t> ListIds(ItemStore& store, const ItemQuery& query) {
  Result<std::vector<Item>> items = store.List(query);
  INFO(items.status().ToString());
  REQUIRE(items.ok());
  return Ids(*items);
}

std::vector<std::int64_t> OverdueIds(ItemStore& store, const OverdueQuery& query) {
  Result<std::vector<Item>> items = store.Overdue(query);
  INFO(items.status().ToString());
  REQUIRE(items.ok());
  return Ids(*items);
}

using IdList = std::vector<std::int64_t>;

TEMPLATE_TEST_CASE("List filters by kind, state, step, unit, area, source, village and overdue", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  const std::vector<Item> s =
      InsertAll(store, {
                           Problem("p1", "town-a", kStart + 1 * kDay),                                    // 0
                           InState(Problem("p2", "town-b", kStart + 2 * kDay), "rectifying", "working"),  // 1
                           InState(Problem("p3", "town-a"), "rectifying", "submitted"),                   // 2
                           InState(Problem("p4", "town-a", kStart - 1 * kDay), "closed"),                 // 3
                           InArea(Problem("p5", "town-b", kStart + 5 * kDay), 3, "hotline"),              // 4
                           Enrollment("Wang", "village-1", kStart + 1 * kDay),                            // 5
                           Enrollment("Li", "village-2"),                                                 // 6
                           InState(Enrollment("Zhao", "village-1"), "rectifying", "working"),             // 7
                       });
  auto query = [](ItemKind kind) {
    ItemQuery q;
    q.kind = kind;
    return q;
  };

  CHECK(ListIds(store, query(ItemKind::kProblem)) == IdList{s[0].id, s[1].id, s[2].id, s[3].id, s[4].id});
  CHECK(ListIds(store, query(ItemKind::kEnrollment)) == IdList{s[5].id, s[6].id, s[7].id});
  ItemQuery q = query(ItemKind::kProblem);
  q.state = "rectifying";
  CHECK(ListIds(store, q) == IdList{s[1].id, s[2].id});
  q.step = "submitted";
  CHECK(ListIds(store, q) == IdList{s[2].id});
  q = query(ItemKind::kProblem);
  q.unit = "town-a";
  CHECK(ListIds(store, q) == IdList{s[0].id, s[2].id, s[3].id});
  q.state = "closed";
  CHECK(ListIds(store, q) == IdList{s[3].id});
  q = query(ItemKind::kProblem);
  q.area = 3;
  CHECK(ListIds(store, q) == IdList{s[4].id});
  q = query(ItemKind::kProblem);
  q.source = "hotline";
  CHECK(ListIds(store, q) == IdList{s[4].id});
  q = query(ItemKind::kEnrollment);
  q.village = "village-1";
  CHECK(ListIds(store, q) == IdList{s[5].id, s[7].id});
  q.state = "rectifying";
  CHECK(ListIds(store, q) == IdList{s[7].id});
  q = query(ItemKind::kProblem);
  q.overdue_as_of = kStart + 3 * kDay;  // p4's deadline passed too, but it is closed
  CHECK(ListIds(store, q) == IdList{s[0].id, s[1].id});
  q = query(ItemKind::kEnrollment);
  q.overdue_as_of = kStart + 3 * kDay;
  CHECK(ListIds(store, q) == IdList{s[5].id});
}

TEMPLATE_TEST_CASE("List finds a household's requests by its head's ID number, in every campaign", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  auto with_id = [](Item item, std::string id_number, std::string campaign) {
    item.household->personal.id_number = std::move(id_number);
    item.campaign = std::move(campaign);
    return item;
  };
  const std::string wang = "11010519491231002X";
  const std::vector<Item> s =
      InsertAll(store, {
                           with_id(Enrollment("Wang", "village-1"), wang, "c1"),                      // 0
                           with_id(InState(Enrollment("Wang", "village-1"), "closed"), wang, "c1"),  // 1
                           with_id(Enrollment("Wang", "village-2"), wang, "c2"),                      // 2
                           with_id(Enrollment("Li", "village-1"), "430922198005120030", "c1"),        // 3
                           with_id(Enrollment("Zhao", "village-1"), "", "c1"),                        // 4
                       });
  ItemQuery q;
  q.kind = ItemKind::kEnrollment;
  q.id_number = wang;
  CHECK(ListIds(store, q) == IdList{s[0].id, s[1].id, s[2].id});
  CHECK(*store.Count(q) == 3);
  q.open_only = true;
  CHECK(ListIds(store, q) == IdList{s[0].id, s[2].id});
  q.campaign = "c2";
  CHECK(ListIds(store, q) == IdList{s[2].id});
  q = ItemQuery{};
  q.kind = ItemKind::kEnrollment;
  q.id_number = "110105195001010012";  // nobody's
  CHECK(ListIds(store, q).empty());
  q.kind = ItemKind::kProblem;
  q.id_number = wang;
  CHECK(ListIds(store, q).empty());
}

TEMPLATE_TEST_CASE("CountByUnit counts what List would list, per responsible unit, whatever the paging",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  InsertAll(store, {
                       Problem("p1", "town-a"),
                       Problem("p2", "town-a"),
                       InState(Problem("p3", "town-a"), "closed"),
                       InState(Problem("p4", "town-b"), "rectifying", "working"),
                       Problem("unassigned"),
                       Enrollment("Wang", "village-1"),
                   });
  ItemQuery q;
  q.kind = ItemKind::kProblem;
  q.limit = 1;
  q.after_id = 1000;  // ignored: a count is of everything the conditions match
  using Counts = std::map<std::string, int>;
  CHECK(store.CountByUnit(q).value() == Counts{{"", 1}, {"town-a", 3}, {"town-b", 1}});
  q.open_only = true;
  CHECK(store.CountByUnit(q).value() == Counts{{"", 1}, {"town-a", 2}, {"town-b", 1}});
  q.state_paths = {"rectifying.working"};
  CHECK(store.CountByUnit(q).value() == Counts{{"town-b", 1}});
  q.unit = "town-a";
  CHECK(store.CountByUnit(q).value().empty());
  ItemQuery enrollments;
  enrollments.kind = ItemKind::kEnrollment;
  enrollments.visible_to_unit = "village-1";  // the household's village sees it
  CHECK(store.CountByUnit(enrollments).value() == Counts{{"", 1}});  // no responsible unit yet
}

TEMPLATE_TEST_CASE("List pages by id with after_id and limit until a page comes back empty", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  std::vector<Item> items;
  for (int i = 0; i < 7; ++i) items.push_back(Problem("p" + std::to_string(i), i % 2 == 0 ? "town-a" : "town-b"));
  items.push_back(Enrollment("not a problem", "village-1"));
  const std::vector<Item> stored = InsertAll(store, items);

  ItemQuery q;
  q.unit = "town-a";  // ids 0, 2, 4, 6
  q.limit = 3;
  CHECK(ListIds(store, q) == IdList{stored[0].id, stored[2].id, stored[4].id});
  q.after_id = stored[4].id;
  CHECK(ListIds(store, q) == IdList{stored[6].id});
  q.after_id = stored[6].id;
  CHECK(ListIds(store, q).empty());

  ItemQuery all;
  all.limit = 2;
  IdList seen;
  while (true) {
    IdList page = ListIds(store, all);
    if (page.empty()) break;
    CHECK(page.size() <= 2);
    seen.insert(seen.end(), page.begin(), page.end());
    all.after_id = page.back();
  }
  CHECK(seen.size() == 7);
}

TEMPLATE_TEST_CASE("List and Overdue refuse a limit below one", "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  ItemQuery list;
  list.limit = 0;
  CHECK(store.List(list).status().field() == "limit");
  OverdueQuery overdue;
  overdue.limit = -1;
  CHECK(store.Overdue(overdue).status().code() == StatusCode::kInvalidArgument);
  CHECK(store.Overdue(overdue).status().field() == "limit");
}

TEMPLATE_TEST_CASE("Overdue lists open items past their deadline most overdue first", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  const Instant now = kStart + 10 * kDay;
  const std::vector<Item> s =
      InsertAll(store, {
                           Problem("late 3 days", "town-a", now - 3 * kDay),                                      // 0
                           Problem("late 5 days", "town-b", now - 5 * kDay),                                      // 1
                           Problem("due later", "town-a", now + 1 * kDay),                                        // 2
                           Problem("no deadline", "town-a"),                                                      // 3
                           InState(Problem("closed late", "town-a", now - 9 * kDay), "closed"),                   // 4
                           Enrollment("Wang", "village-1", now - 3 * kDay),                                       // 5
                           Problem("due exactly now", "town-a", now),                                             // 6
                           InState(Problem("late, working", "town-a", now - 4 * kDay), "rectifying", "working"),  // 7
                       });

  OverdueQuery q;
  q.as_of = now;
  CHECK(OverdueIds(store, q) == IdList{s[1].id, s[7].id, s[0].id, s[5].id});
  q.kind = ItemKind::kProblem;
  CHECK(OverdueIds(store, q) == IdList{s[1].id, s[7].id, s[0].id});
  q.unit = "town-a";
  CHECK(OverdueIds(store, q) == IdList{s[7].id, s[0].id});
  q.kind = std::nullopt;
  q.unit = std::nullopt;
  q.as_of = now + 2 * kDay;
  CHECK(OverdueIds(store, q) == IdList{s[1].id, s[7].id, s[0].id, s[5].id, s[6].id, s[2].id});
}

Item InTier(Item item, std::string tier) {
  item.tier = std::move(tier);
  return item;
}

TEMPLATE_TEST_CASE("Overdue and List find the open items by their recorded tier", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  const Instant now = kStart + 10 * kDay;
  const std::vector<Item> s =
      InsertAll(store, {
                           InTier(Problem("yellow, late", "town-a", now - 3 * kDay), "yellow"),          // 0
                           InTier(Problem("red, late", "town-a", now - 5 * kDay), "red"),                // 1
                           InTier(Problem("yellow, due later", "town-b", now + 2 * kDay), "yellow"),     // 2
                           Problem("no tier, late", "town-a", now - 1 * kDay),                           // 3
                           InTier(Problem("yellow, no deadline", "town-a"), "yellow"),                   // 4
                           InTier(InState(Problem("yellow, closed", "town-a", now - 4 * kDay), "closed"),
                                  "yellow"),                                                              // 5
                           InTier(Enrollment("Wang", "village-1", now - 2 * kDay), "yellow"),           // 6
                           Problem("no tier, no deadline", "town-a"),                                    // 7
                           InTier(InState(Problem("red, closed, no deadline", "town-a"), "closed"), "red"),  // 8
                       });
  OverdueQuery q;
  q.as_of = now + 3 * kDay;
  q.tier = "yellow";
  CHECK(OverdueIds(store, q) == IdList{s[0].id, s[6].id, s[2].id});
  q.kind = ItemKind::kProblem;
  CHECK(OverdueIds(store, q) == IdList{s[0].id, s[2].id});
  q.due_from = now;
  CHECK(OverdueIds(store, q) == IdList{s[2].id});
  q.due_from = std::nullopt;
  q.tier = "";
  CHECK(OverdueIds(store, q) == IdList{s[3].id});
  q.tier = "red";
  q.as_of = now - 5 * kDay;  // before, not at
  CHECK(OverdueIds(store, q).empty());

  // Open, without a deadline in force, still carrying a tier: only the open yellow one.
  ItemQuery undue;
  undue.kind = ItemKind::kProblem;
  undue.tier_without_deadline = true;
  CHECK(ListIds(store, undue) == IdList{s[4].id});
  undue.kind = ItemKind::kEnrollment;
  CHECK(ListIds(store, undue).empty());
}

// The fields OverdueQuery::outline promises, as the whole read has them.
void CheckSameOutline(const Item& outline, const Item& whole) {
  INFO("item " << whole.id);
  CHECK(outline.id == whole.id);
  CHECK(outline.kind == whole.kind);
  CHECK(outline.campaign == whole.campaign);
  CHECK(outline.state == whole.state);
  CHECK(outline.unit == whole.unit);
  CHECK(outline.deadline == whole.deadline);
  CHECK(outline.due_at == whole.due_at);
  CHECK(outline.sign_for.has_value() == whole.sign_for.has_value());
  if (outline.sign_for && whole.sign_for) {
    CHECK(outline.sign_for->unit == whole.sign_for->unit);
    CHECK(outline.sign_for->since == whole.sign_for->since);
  }
  CHECK(outline.extension.has_value() == whole.extension.has_value());
  if (outline.extension && whole.extension) CHECK(outline.extension->proposed == whole.extension->proposed);
  CHECK(Sorted(outline.cooperating_units) == Sorted(whole.cooperating_units));
  CHECK(outline.household.has_value() == whole.household.has_value());
  if (outline.household && whole.household) {
    CHECK(outline.household->village == whole.household->village);
    CHECK(outline.household->risk_found_on == whole.household->risk_found_on);
  }
  CHECK(outline.outcome.has_value() == whole.outcome.has_value());
  if (outline.outcome && whole.outcome) CHECK(outline.outcome->entered_on == whole.outcome->entered_on);
  // The rest is not read.
  CHECK(outline.title.empty());
  CHECK(outline.version == 0);
  CHECK_FALSE(outline.facts.has_value());
}

TEMPLATE_TEST_CASE("Overdue in outline finds the same items in the same pages, with the outline's fields",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  const Instant now = kStart + 10 * kDay;
  Item cooperated = InState(Problem("cooperated, signed", "town-a", now - 3 * kDay), "rectifying", "working");
  cooperated.cooperating_units = {"town-b", "town-c"};
  Item awaiting_sign = Problem("awaits sign-for", "town-b", now - 3 * kDay);
  awaiting_sign.sign_for = SignForRequest{"town-b", kStart + kDay};
  Item extension = InState(Problem("asks more time", "town-a", now - 2 * kDay), "rectifying", "working");
  extension.deadline = now - 4 * kDay;
  extension.extension = ExtensionRequest{now + 20 * kDay, "flood", "user li", kStart + 2 * kDay};
  Item enrolled = InState(Enrollment("Wang", "village-1", now - 5 * kDay), "verified");
  enrolled.outcome = EnrollmentOutcome{"enrolled", CivilDate{2021, 10, 20}, ""};
  Item weighed = Enrollment("Li", "village-2", now - 1 * kDay);
  weighed.outcome = EnrollmentOutcome{"not_eligible", std::nullopt, "income above the line"};
  const std::vector<Item> s = InsertAll(store, {cooperated, awaiting_sign, extension, enrolled, weighed,
                                               Problem("due later", "town-a", now + kDay),
                                               InState(Problem("closed late", "town-a", now - 9 * kDay), "closed")});
  OverdueQuery q;
  q.as_of = now;
  q.limit = 2;
  auto every_page = [&store](const OverdueQuery& query) {
    std::vector<Item> items;
    REQUIRE(ForEachOverduePage(store, query, [&](std::vector<Item>& page) {
              items.insert(items.end(), page.begin(), page.end());
              return Status::Ok();
            }).ok());
    return items;
  };
  const std::vector<Item> wholes = every_page(q);
  q.outline = true;
  const std::vector<Item> outlines = every_page(q);
  CHECK(Ids(wholes) == IdList{s[3].id, s[0].id, s[1].id, s[2].id, s[4].id});
  REQUIRE(Ids(outlines) == Ids(wholes));
  for (std::size_t i = 0; i < wholes.size(); ++i) CheckSameOutline(outlines[i], wholes[i]);
  // Filtered by kind and unit alike.
  q.kind = ItemKind::kProblem;
  q.unit = "town-a";
  q.limit = 10;
  CHECK(OverdueIds(store, q) == IdList{s[0].id, s[2].id});
}

TEMPLATE_TEST_CASE("Overdue pages by the last row's deadline and id, ties included", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  const Instant now = kStart + 10 * kDay;
  // Three items share a deadline: paging must neither skip nor repeat any of them.
  const std::vector<Item> s = InsertAll(store, {
                                                   Problem("a", "town-a", now - 2 * kDay),
                                                   Problem("b", "town-a", now - 5 * kDay),
                                                   Problem("c", "town-a", now - 2 * kDay),
                                                   Problem("d", "town-a", now - 2 * kDay),
                                                   Problem("e", "town-a", now - 1 * kDay),
                                               });
  OverdueQuery q;
  q.as_of = now;
  q.limit = 2;
  IdList seen;
  while (true) {
    Result<std::vector<Item>> page = store.Overdue(q);
    REQUIRE(page.ok());
    if (page->empty()) break;
    for (const Item& item : *page) seen.push_back(item.id);
    q.after_due = page->back().due_at;
    q.after_id = page->back().id;
  }
  CHECK(seen == IdList{s[1].id, s[0].id, s[2].id, s[3].id, s[4].id});
}

TEMPLATE_TEST_CASE("Overdue resumes within a shared deadline for one unit or tier, and a cursor outside the bounds has none of its own",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  const Instant now = kStart + 10 * kDay;
  const Instant shared = now - 2 * kDay;
  // Two units' items interleaved on one deadline, and one later.
  const std::vector<Item> s = InsertAll(store, {
                                                   Problem("a1", "town-a", shared),          // 0
                                                   Problem("b1", "town-b", shared),          // 1
                                                   Problem("a2", "town-a", shared),          // 2
                                                   Problem("b2", "town-b", shared),          // 3
                                                   Problem("a3", "town-a", shared),          // 4
                                                   Problem("a4", "town-a", now - kDay),      // 5
                                                   Problem("a5", "town-a", now + kDay),      // 6: not overdue
                                               });
  OverdueQuery q;
  q.as_of = now;
  q.unit = "town-a";
  q.limit = 2;
  q.after_due = shared;
  q.after_id = s[0].id;
  CHECK(OverdueIds(store, q) == IdList{s[2].id, s[4].id});  // the rest of the deadline fills the page
  q.after_id = s[2].id;
  CHECK(OverdueIds(store, q) == IdList{s[4].id, s[5].id});  // and runs on into the next deadline
  q.after_id = s[4].id;
  CHECK(OverdueIds(store, q) == IdList{s[5].id});
  q.unit.reset();
  q.limit = 10;
  q.after_id = s[1].id;
  CHECK(OverdueIds(store, q) == IdList{s[2].id, s[3].id, s[4].id, s[5].id});

  // A cursor at or after as_of: nothing of its deadline, nothing after it.
  q.after_due = now + kDay;
  q.after_id = 0;
  CHECK(OverdueIds(store, q).empty());
  q.after_due = now;
  CHECK(OverdueIds(store, q).empty());
  // A cursor before due_from: the window from its start, not the cursor's deadline.
  q.due_from = now - kDay;
  q.after_due = shared;
  q.after_id = s[0].id;
  CHECK(OverdueIds(store, q) == IdList{s[5].id});
}

TEMPLATE_TEST_CASE("A closed item is never overdue whatever its deadline", "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  Item item = InsertAll(store, {Problem("fixed late", "town-a", kStart)}).front();
  Item closed = InState(item, "closed");
  REQUIRE(store.Update(closed, Moved(item.state, closed.state, "close", kStart + kDay)).ok());

  OverdueQuery overdue;
  overdue.as_of = kStart + 100 * kDay;
  CHECK(OverdueIds(store, overdue).empty());
  ItemQuery list;
  list.overdue_as_of = kStart + 100 * kDay;
  CHECK(ListIds(store, list).empty());
}

TEMPLATE_TEST_CASE("List narrows to the items a unit may see: responsible, cooperating or its village's households",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  Item cooperated = Problem("p2", "town-b");
  cooperated.cooperating_units = {"village-1", "town-a"};
  const std::vector<Item> s = InsertAll(store, {
                                                   Problem("p1", "town-a"),                     // 0
                                                   cooperated,                                  // 1
                                                   Problem("p3", "town-b"),                     // 2
                                                   InState(Problem("p4", "town-a"), "closed"),  // 3
                                                   Enrollment("Wang", "village-1"),             // 4
                                                   Enrollment("Li", "village-2"),               // 5
                                               });
  ItemQuery q;
  q.visible_to_unit = "town-a";
  CHECK(ListIds(store, q) == IdList{s[0].id, s[1].id, s[3].id});
  q.state = "closed";
  CHECK(ListIds(store, q) == IdList{s[3].id});
  q = ItemQuery{};
  q.visible_to_unit = "village-1";
  CHECK(ListIds(store, q) == IdList{s[1].id});
  q.kind = ItemKind::kEnrollment;
  CHECK(ListIds(store, q) == IdList{s[4].id});
  q.visible_to_unit = "town-c";
  CHECK(ListIds(store, q).empty());
}

TEMPLATE_TEST_CASE("List keeps open items only, or the items in any of the given state paths", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  const std::vector<Item> s = InsertAll(store, {
                                                   Problem("p1"),                                      // 0 found
                                                   InState(Problem("p2"), "rectifying", "working"),    // 1
                                                   InState(Problem("p3"), "rectifying", "submitted"),  // 2
                                                   InState(Problem("p4"), "closed"),                   // 3
                                                   InState(Problem("p5"), "verified"),                 // 4
                                               });
  ItemQuery q;
  q.open_only = true;
  CHECK(ListIds(store, q) == IdList{s[0].id, s[1].id, s[2].id, s[4].id});
  q = ItemQuery{};
  q.state_paths = {"rectifying.submitted", "found"};
  CHECK(ListIds(store, q) == IdList{s[0].id, s[2].id});
  q.state_paths = {"rectifying"};  // a path names its step: a state with steps matches none alone
  CHECK(ListIds(store, q).empty());
  q.state_paths = {"closed", "verified"};
  q.open_only = true;
  CHECK(ListIds(store, q) == IdList{s[4].id});
}

TEMPLATE_TEST_CASE("List of one village's households pages by id like any list", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  const std::vector<Item> s = InsertAll(store, {Enrollment("Wang", "village-1"), Enrollment("Li", "village-2"),
                                                Enrollment("Zhao", "village-1"), Enrollment("Sun", "village-1")});
  ItemQuery q;
  q.kind = ItemKind::kEnrollment;
  q.village = "village-1";
  q.limit = 2;
  CHECK(ListIds(store, q) == IdList{s[0].id, s[2].id});
  q.after_id = s[2].id;
  CHECK(ListIds(store, q) == IdList{s[3].id});
  q.after_id = s[3].id;
  CHECK(ListIds(store, q).empty());
}

TEMPLATE_TEST_CASE("Overdue from a start lists only what falls due between it and as_of", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  const Instant now = kStart + 10 * kDay;
  const std::vector<Item> s = InsertAll(store, {
                                                   Problem("late", "town-a", now - 1),              // 0
                                                   Problem("due today", "town-a", now + 3600),      // 1
                                                   Problem("due tomorrow", "town-a", now + kDay),   // 2
                                                   Problem("due later", "town-a", now + 3 * kDay),  // 3
                                                   Problem("due now", "town-a", now),               // 4
                                               });
  OverdueQuery soon;
  soon.due_from = now;
  soon.as_of = now + 2 * kDay;
  CHECK(OverdueIds(store, soon) == IdList{s[4].id, s[1].id, s[2].id});
  soon.limit = 1;
  soon.after_due = s[4].due_at;
  soon.after_id = s[4].id;
  CHECK(OverdueIds(store, soon) == IdList{s[1].id});
}

TEMPLATE_TEST_CASE("ForEachItemPage visits every matching item a page at a time in id order from after_id",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  std::vector<Item> items;
  for (int i = 0; i < 7; ++i) items.push_back(Problem("p" + std::to_string(i), i == 3 ? "town-b" : "town-a"));
  items.push_back(Enrollment("not a problem", "village-1"));
  const std::vector<Item> s = InsertAll(store, items);

  ItemQuery q;
  q.unit = "town-a";
  q.limit = 2;
  // The next page read on another thread meanwhile, or after: the same pages.
  for (const PageReading reading : {PageReading::kInTurn, PageReading::kAhead}) {
    std::vector<IdList> pages;
    REQUIRE(ForEachItemPage(
                store, q,
                [&](std::vector<Item>& page) {
                  pages.push_back(Ids(page));
                  return Status::Ok();
                },
                reading)
                .ok());
    CHECK(pages == std::vector<IdList>{{s[0].id, s[1].id}, {s[2].id, s[4].id}, {s[5].id, s[6].id}});
    // A visit that fails stops the walk: the page already read ahead is not visited.
    pages.clear();
    const Status stopped = ForEachItemPage(
        store, q,
        [&](std::vector<Item>& page) {
          pages.push_back(Ids(page));
          return Status::Aborted("enough");
        },
        reading);
    CHECK(stopped.code() == StatusCode::kAborted);
    CHECK(pages == std::vector<IdList>{{s[0].id, s[1].id}});
  }

  q.after_id = s[4].id;
  IdList seen;
  REQUIRE(ForEachItem(store, q, [&](const Item& item) {
            seen.push_back(item.id);
            return Status::Ok();
          }).ok());
  CHECK(seen == IdList{s[5].id, s[6].id});

  q.limit = 0;
  CHECK(ForEachItem(store, q, [](const Item&) { return Status::Ok(); }).field() == "limit");
}

TEMPLATE_TEST_CASE("ForEachOverduePage visits the overdue items a page at a time most overdue first, ties included",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  const Instant now = kStart + 10 * kDay;
  const std::vector<Item> s = InsertAll(store, {
                                                   Problem("late 3 days", "town-a", now - 3 * kDay),  // 0
                                                   Problem("late 5 days", "town-b", now - 5 * kDay),  // 1
                                                   Enrollment("Wang", "village-1", now - 3 * kDay),   // 2
                                                   Problem("due later", "town-a", now + 1 * kDay),    // 3
                                                   Problem("also 3 days", "town-b", now - 3 * kDay),  // 4
                                               });
  OverdueQuery q;
  q.as_of = now;
  q.limit = 2;
  for (const PageReading reading : {PageReading::kInTurn, PageReading::kAhead}) {
    std::vector<IdList> pages;
    REQUIRE(ForEachOverduePage(
                store, q,
                [&](std::vector<Item>& page) {
                  pages.push_back(Ids(page));
                  return Status::Ok();
                },
                reading)
                .ok());
    CHECK(pages == std::vector<IdList>{{s[1].id, s[0].id}, {s[2].id, s[4].id}});
  }

  q.limit = 0;
  CHECK(ForEachOverduePage(store, q, [](std::vector<Item>&) { return Status::Ok(); }).field() == "limit");
}

TEMPLATE_TEST_CASE("ForEachItem stops at the first failed status of its visitor and returns it", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  const std::vector<Item> s = InsertAll(store, {Problem("a"), Problem("b"), Problem("c"), Problem("d")});
  ItemQuery q;
  q.limit = 3;
  IdList seen;
  const Status stopped = ForEachItem(store, q, [&](const Item& item) {
    seen.push_back(item.id);
    return item.id == s[1].id ? Status::Aborted("enough") : Status::Ok();
  });
  CHECK(stopped.code() == StatusCode::kAborted);
  CHECK(seen == IdList{s[0].id, s[1].id});
}

}  // namespace
}  // namespace rectify::testing
