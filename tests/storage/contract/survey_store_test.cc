// The household survey's store (engine/survey_store.h) on every backend (backends.h): the
// villages' lists, visits at the version read, the link to an enrollment request, photos, and
// the audit of each write.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/survey_store.h"
#include "tests/storage/contract/contract.h"
#include "tests/storage/survey_test_households.h"

namespace rectify::testing {
namespace {

std::vector<SurveyHousehold> AddThree(SurveyStore& store) {
  auto added = store.AddHouseholds({ListedHousehold("village_1", "张三"), ListedHousehold("village_2", "李四"),
                                    ListedHousehold("village_1", "王五")},
                                   {AddedEvent(), AddedEvent(), AddedEvent()});
  INFO(added.status().ToString());
  REQUIRE(added.ok());
  return added.value();
}

// An enrollment request (an item) the survey may link a household to.
std::int64_t MakeEnrollment(ItemStore& items) {
  Item item;
  item.kind = ItemKind::kEnrollment;
  item.state = StatePath{"found", ""};
  item.title = "张三户";
  Household household;
  household.head_name = "张三";
  household.village = "village_1";
  household.category = "marginal";
  household.risk_type = "illness";
  household.risk_found_on = {2021, 9, 20};
  household.clue_source = "cadre_found";
  item.household = household;
  EventRecord created;
  created.to = "found";
  created.event = "create";
  auto stored = items.Insert({item}, {created});
  REQUIRE(stored.ok());
  return stored->front().id;
}

TEMPLATE_TEST_CASE("added households get ids and version 1, in input order, with their add event", "[survey_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  SurveyStore& store = backend.stores().survey();
  const std::vector<SurveyHousehold> added = AddThree(store);
  REQUIRE(added.size() == 3);
  CHECK(added[0].id < added[1].id);
  CHECK(added[1].id < added[2].id);
  CHECK(added[2].version == 1);
  auto read = store.GetHousehold(added[1].id);
  REQUIRE(read.ok());
  CHECK(read->head_name == "李四");
  CHECK(read->village == "village_2");
  CHECK(read->personal.phone == "13812345678");
  CHECK_FALSE(read->visit.has_value());
  CHECK_FALSE(read->enrollment_id.has_value());
  auto history = store.History(added[1].id);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 1);
  CHECK((*history)[0].event == "add");
  CHECK(store.GetHousehold(added[2].id + 100).status().code() == StatusCode::kNotFound);
  CHECK(store.History(added[2].id + 100).status().code() == StatusCode::kNotFound);
}

TEMPLATE_TEST_CASE("households are added all or none", "[survey_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  SurveyStore& store = backend.stores().survey();
  SurveyHousehold nameless = ListedHousehold("village_1", "");
  auto added = store.AddHouseholds({ListedHousehold("village_1", "张三"), nameless}, {AddedEvent(), AddedEvent()});
  CHECK_FALSE(added.ok());
  SurveyQuery all;
  auto listed = store.ListHouseholds(all);
  REQUIRE(listed.ok());
  CHECK(listed->empty());
  CHECK(store.AddHouseholds({ListedHousehold("village_1", "张三")}, {}).status().code() ==
        StatusCode::kInvalidArgument);
}

TEMPLATE_TEST_CASE("households list by village and state, paged by id", "[survey_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  SurveyStore& store = backend.stores().survey();
  const std::vector<SurveyHousehold> added = AddThree(store);
  SurveyQuery query;
  query.village = "village_1";
  query.limit = 1;
  auto first = store.ListHouseholds(query);
  REQUIRE(first.ok());
  REQUIRE(first->size() == 1);
  CHECK(first->front().id == added[0].id);
  query.after_id = first->front().id;
  auto second = store.ListHouseholds(query);
  REQUIRE(second.ok());
  REQUIRE(second->size() == 1);
  CHECK(second->front().id == added[2].id);
  SurveyQuery by_state;
  by_state.states = {"recorded", "sent_back"};
  CHECK(store.ListHouseholds(by_state)->empty());
  by_state.states.push_back("to_visit");
  CHECK(store.ListHouseholds(by_state)->size() == 3);
  SurveyQuery bad;
  bad.limit = 0;
  CHECK(store.ListHouseholds(bad).status().code() == StatusCode::kInvalidArgument);
  CHECK(store.ListHouseholds(bad).status().field() == "limit");
}

TEMPLATE_TEST_CASE("an update appends the visit and the event only at the version read", "[survey_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  SurveyStore& store = backend.stores().survey();
  SurveyHousehold h = AddThree(store)[0];
  SurveyHousehold recorded = h;
  recorded.state = "recorded";
  auto stored = store.Update(recorded, RecordedVisit("刘联村"), Transition(h, "recorded", "record"));
  REQUIRE(stored.ok());
  CHECK(stored->version == 2);
  CHECK(stored->state == "recorded");
  REQUIRE(stored->visit.has_value());
  const SurveyVisit& visit = *stored->visit;
  CHECK(visit.id > 0);
  CHECK(visit.visited_on == CivilDate{2021, 10, 8});
  REQUIRE(visit.team.size() == 2);
  CHECK(visit.team[0].name == "刘联村");
  CHECK(visit.team[1].role == "first_secretary");
  CHECK(visit.income_last_year == 9000);
  CHECK_FALSE(visit.income_this_year.has_value());
  CHECK(visit.spending_causes == std::vector<std::string>{"illness", "education"});
  CHECK_FALSE(visit.housing_secured);
  CHECK(visit.education_secured);
  CHECK(visit.risk_found_on == CivilDate{2021, 9, 20});
  CHECK(visit.health_condition == "慢性病");

  // Someone who read version 1 writes nothing.
  auto stale = store.Update(recorded, RecordedVisit("赵某"), Transition(h, "recorded", "record"));
  CHECK(stale.status().code() == StatusCode::kAborted);
  CHECK(store.History(h.id)->size() == 2);
  CHECK(store.GetHousehold(h.id)->visit->team[0].name == "刘联村");

  // A visit recorded again becomes the latest; a change without a visit keeps it.
  SurveyHousehold again = *stored;
  auto second = store.Update(again, RecordedVisit("钱干部"), Transition(again, "recorded", "record"));
  REQUIRE(second.ok());
  CHECK(second->visit->id > visit.id);
  CHECK(second->visit->team[0].name == "钱干部");
  SurveyHousehold checked = *second;
  checked.state = "spot_checked";
  auto third = store.Update(checked, std::nullopt, Transition(*second, "spot_checked", "spot_check"));
  REQUIRE(third.ok());
  CHECK(third->visit->team[0].name == "钱干部");
  CHECK(third->version == 4);

  SurveyHousehold missing = h;
  missing.id += 1000;
  CHECK(store.Update(missing, RecordedVisit("x"), Transition(missing, "recorded", "record")).status().code() ==
        StatusCode::kNotFound);
}

TEMPLATE_TEST_CASE("a household links to one enrollment request, found both ways", "[survey_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  SurveyStore& store = backend.stores().survey();
  const std::vector<SurveyHousehold> added = AddThree(store);
  const std::int64_t enrollment = MakeEnrollment(backend.stores().items());
  CHECK_FALSE(store.HouseholdOfEnrollment(enrollment)->has_value());
  SurveyHousehold linked = added[0];
  linked.enrollment_id = enrollment;
  auto stored = store.Update(linked, std::nullopt, Transition(added[0], "to_visit", "open_enrollment"));
  REQUIRE(stored.ok());
  CHECK(stored->enrollment_id == enrollment);
  CHECK(store.HouseholdOfEnrollment(enrollment)->value() == added[0].id);
  // No second household may claim the same request.
  SurveyHousehold other = added[1];
  other.enrollment_id = enrollment;
  CHECK_FALSE(store.Update(other, std::nullopt, Transition(added[1], "to_visit", "open_enrollment")).ok());
  CHECK_FALSE(store.GetHousehold(added[1].id)->enrollment_id.has_value());
}

TEMPLATE_TEST_CASE("a photo is kept with its visit and read back byte for byte", "[survey_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  SurveyStore& store = backend.stores().survey();
  SurveyHousehold h = AddThree(store)[0];
  SurveyHousehold recorded = h;
  recorded.state = "recorded";
  auto stored = store.Update(recorded, RecordedVisit("刘联村"), Transition(h, "recorded", "record"));
  REQUIRE(stored.ok());
  SurveyPhoto photo;
  photo.household_id = h.id;
  photo.visit_id = stored->visit->id;
  photo.file.name = "签字页.png";
  photo.file.content_type = "image/png";
  photo.uploaded_at = 1633914000;
  photo.uploaded_by = "user t.u.village_1";
  const std::string bytes("\x89PNG\r\n\x1A\n signed sheet", 21);
  auto added = store.AddPhoto(photo, bytes);
  REQUIRE(added.ok());
  CHECK(added->file.sha256 == ContentHash(bytes));
  CHECK(added->file.size == 21);
  auto photos = store.ListPhotos(h.id);
  REQUIRE(photos.ok());
  REQUIRE(photos->size() == 1);
  CHECK((*photos)[0].visit_id == stored->visit->id);
  CHECK(store.ReadPhotoBytes(added->file.sha256).value() == bytes);
  CHECK(store.ReadPhotoBytes(std::string(64, 'a')).status().code() == StatusCode::kNotFound);
  photo.household_id = h.id + 1000;
  CHECK(store.AddPhoto(photo, bytes).status().code() == StatusCode::kNotFound);
}

TEMPLATE_TEST_CASE("every survey write is audited in its own transaction, and a refused one is not", "[survey_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  SurveyStore& store = backend.stores().survey();
  SurveyHousehold h = AddThree(store)[0];
  SurveyHousehold recorded = h;
  recorded.state = "recorded";
  REQUIRE(store.Update(recorded, RecordedVisit("刘联村"), Transition(h, "recorded", "record")).ok());
  CHECK_FALSE(store.Update(recorded, RecordedVisit("刘联村"), Transition(h, "recorded", "record")).ok());
  REQUIRE(store.AppendAudit(MakeAuditRecord("user t.o", "export", "visits village_1", "3 rows")).ok());
  CHECK(AuditActions(backend.stores().audit()) ==
        std::vector<std::string>{"survey.add", "survey.add", "survey.add", "survey.record", "export"});
  CHECK(store.AppendAudit(MakeAuditRecord("user t.o", "", "x", "y")).code() == StatusCode::kInvalidArgument);
}

TEMPLATE_TEST_CASE("an update never changes the listed fields", "[survey_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  SurveyStore& store = backend.stores().survey();
  SurveyHousehold h = AddThree(store)[0];
  SurveyHousehold rewritten = h;
  rewritten.state = "recorded";
  rewritten.village = "village_2";
  rewritten.group = "9组";
  rewritten.head_name = "改名";
  rewritten.household_type = "edge";
  rewritten.personal.phone = "13900000000";
  rewritten.added_by = "someone else";
  auto stored = store.Update(rewritten, RecordedVisit("刘联村"), Transition(h, "recorded", "record"));
  REQUIRE(stored.ok());
  for (const SurveyHousehold& read : {*stored, store.GetHousehold(h.id).value()}) {
    CHECK(read.state == "recorded");
    CHECK(read.village == "village_1");
    CHECK(read.group == "1组");
    CHECK(read.head_name == "张三");
    CHECK(read.household_type == "lifted");
    CHECK(read.personal.phone == "13812345678");
    CHECK(read.added_by == "user t.u.village_1");
  }
}

TEMPLATE_TEST_CASE("a household's photos are listed oldest first", "[survey_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  SurveyStore& store = backend.stores().survey();
  SurveyHousehold h = AddThree(store)[0];
  SurveyHousehold recorded = h;
  recorded.state = "recorded";
  auto stored = store.Update(recorded, RecordedVisit("刘联村"), Transition(h, "recorded", "record"));
  REQUIRE(stored.ok());
  std::vector<std::int64_t> ids;
  for (const char* name : {"第一页.png", "第二页.png", "第三页.png"}) {
    SurveyPhoto photo;
    photo.household_id = h.id;
    photo.visit_id = stored->visit->id;
    photo.file.name = name;
    photo.file.content_type = "image/png";
    photo.uploaded_by = "user t.u.village_1";
    auto added = store.AddPhoto(photo, std::string("\x89PNG\r\n\x1A\n ") + name);
    REQUIRE(added.ok());
    ids.push_back(added->id);
  }
  auto photos = store.ListPhotos(h.id);
  REQUIRE(photos.ok());
  std::vector<std::string> names;
  std::vector<std::int64_t> listed_ids;
  for (const SurveyPhoto& photo : *photos) {
    names.push_back(photo.file.name);
    listed_ids.push_back(photo.id);
  }
  CHECK(names == std::vector<std::string>{"第一页.png", "第二页.png", "第三页.png"});
  CHECK(listed_ids == ids);
  CHECK(std::is_sorted(ids.begin(), ids.end()));
  CHECK(store.ListPhotos(h.id + 1)->empty());
}

// A real image holds every byte value, NUL among them (a PNG's chunk lengths start with it).
TEMPLATE_TEST_CASE("a photo holding every byte value, and the same photo twice, read back whole", "[survey_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  SurveyStore& store = backend.stores().survey();
  SurveyHousehold h = AddThree(store)[0];
  SurveyHousehold recorded = h;
  recorded.state = "recorded";
  auto stored = store.Update(recorded, RecordedVisit("刘联村"), Transition(h, "recorded", "record"));
  REQUIRE(stored.ok());
  std::string bytes;
  for (int round = 0; round < 2; ++round)
    for (int value = 0; value < 256; ++value) bytes += static_cast<char>(value);
  SurveyPhoto photo;
  photo.household_id = h.id;
  photo.visit_id = stored->visit->id;
  photo.file.name = "全字节.bin";
  photo.file.content_type = "application/octet-stream";
  photo.uploaded_by = "user t.u.village_1";
  auto first = store.AddPhoto(photo, bytes);
  INFO(first.status().ToString());
  REQUIRE(first.ok());
  auto second = store.AddPhoto(photo, bytes);  // the same bytes again: a second record, one file
  REQUIRE(second.ok());
  CHECK(second->id != first->id);
  CHECK(second->file.sha256 == first->file.sha256);
  CHECK(first->file.size == 512);
  CHECK(store.ReadPhotoBytes(first->file.sha256).value() == bytes);
  CHECK(store.ListPhotos(h.id)->size() == 2);
}

TEMPLATE_TEST_CASE("each survey write's audit record names the household it changed", "[survey_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  SurveyStore& store = backend.stores().survey();
  const std::vector<SurveyHousehold> added = AddThree(store);
  SurveyHousehold recorded = added[1];
  recorded.state = "recorded";
  auto stored = store.Update(recorded, RecordedVisit("刘联村"), Transition(added[1], "recorded", "record"));
  REQUIRE(stored.ok());
  SurveyPhoto photo;
  photo.household_id = added[1].id;
  photo.visit_id = stored->visit->id;
  photo.file.name = "签字页.png";
  photo.file.content_type = "image/png";
  photo.uploaded_by = "user t.u.village_1";
  REQUIRE(store.AddPhoto(photo, "\x89PNG\r\n\x1A\n sheet").ok());
  std::vector<std::string> subjects;
  for (const AuditRecord& record : AllAudit(backend.stores().audit())) subjects.push_back(record.subject);
  const std::string second = "survey household " + std::to_string(added[1].id);
  CHECK(subjects == std::vector<std::string>{"survey household " + std::to_string(added[0].id), second,
                                             "survey household " + std::to_string(added[2].id), second, second});
  CHECK(AuditActions(backend.stores().audit()).back() == "survey.photo");
}

}  // namespace
}  // namespace rectify::testing
