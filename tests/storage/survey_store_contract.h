// What every implementation of engine/survey_store.h must do, written against the port alone.
// A backend's test file defines SURVEY_STORE_BACKENDS as a list of fixture types, then includes
// this header; each fixture offers:
//   SurveyStore& store();
//   std::int64_t MakeEnrollment();              an enrollment request the store may link to
//   std::vector<AuditRecord> AuditRecords();    the audit log of the same database, in order
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/survey_store.h"

namespace rectify::testing {

inline SurveyHousehold ListedHousehold(const std::string& village, const std::string& head_name) {
  SurveyHousehold h;
  h.village = village;
  h.group = "1组";
  h.head_name = head_name;
  h.household_type = "lifted";
  h.priority = "income_drop";
  h.personal.phone = "13812345678";
  h.state = "to_visit";
  h.added_at = 1633827600;
  h.added_by = "user t.u.village_1";
  h.updated_at = h.added_at;
  return h;
}

inline SurveyEvent AddedEvent() {
  SurveyEvent e;
  e.to = "to_visit";
  e.event = "add";
  e.actor = "user t.u.village_1";
  e.at = 1633827600;
  return e;
}

inline SurveyVisit RecordedVisit(const std::string& first_member) {
  SurveyVisit v;
  v.visited_on = {2021, 10, 8};
  v.team = {{first_member, "town_cadre"}, {"陈书记", "first_secretary"}};
  v.members = 3;
  v.income_last_year = 9000;
  v.rigid_spending = 12000;
  v.spending_causes = {"illness", "education"};
  v.housing_secured = false;
  v.risk_found = true;
  v.risk_type = "illness";
  v.risk_found_on = CivilDate{2021, 9, 20};
  v.category = "marginal";
  v.health_condition = "慢性病";
  v.recorded_at = 1633914000;
  v.recorded_by = "user t.u.village_1";
  return v;
}

inline SurveyEvent Transition(const SurveyHousehold& h, const std::string& to, const std::string& event) {
  SurveyEvent e;
  e.household_id = h.id;
  e.from = h.state;
  e.to = to;
  e.event = event;
  e.actor = "user t.u.village_1";
  e.at = 1633914000;
  return e;
}

template <class Backend>
std::vector<SurveyHousehold> AddThree(Backend& backend) {
  auto added = backend.store().AddHouseholds(
      {ListedHousehold("village_1", "张三"), ListedHousehold("village_2", "李四"), ListedHousehold("village_1", "王五")},
      {AddedEvent(), AddedEvent(), AddedEvent()});
  REQUIRE(added.ok());
  return added.value();
}

TEMPLATE_TEST_CASE("added households get ids and version 1, in input order, with their add event",
                   "[survey_store]", SURVEY_STORE_BACKENDS) {
  TestType backend;
  const std::vector<SurveyHousehold> added = AddThree(backend);
  REQUIRE(added.size() == 3);
  CHECK(added[0].id < added[1].id);
  CHECK(added[1].id < added[2].id);
  CHECK(added[2].version == 1);
  auto read = backend.store().GetHousehold(added[1].id);
  REQUIRE(read.ok());
  CHECK(read->head_name == "李四");
  CHECK(read->village == "village_2");
  CHECK(read->personal.phone == "13812345678");
  CHECK_FALSE(read->visit.has_value());
  CHECK_FALSE(read->enrollment_id.has_value());
  auto history = backend.store().History(added[1].id);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 1);
  CHECK((*history)[0].event == "add");
  CHECK(backend.store().GetHousehold(added[2].id + 100).status().code() == StatusCode::kNotFound);
  CHECK(backend.store().History(added[2].id + 100).status().code() == StatusCode::kNotFound);
}

TEMPLATE_TEST_CASE("households are added all or none", "[survey_store]", SURVEY_STORE_BACKENDS) {
  TestType backend;
  SurveyHousehold nameless = ListedHousehold("village_1", "");
  auto added = backend.store().AddHouseholds({ListedHousehold("village_1", "张三"), nameless},
                                             {AddedEvent(), AddedEvent()});
  CHECK_FALSE(added.ok());
  SurveyQuery all;
  auto listed = backend.store().ListHouseholds(all);
  REQUIRE(listed.ok());
  CHECK(listed->empty());
  CHECK(backend.store().AddHouseholds({ListedHousehold("village_1", "张三")}, {}).status().code() ==
        StatusCode::kInvalidArgument);
}

TEMPLATE_TEST_CASE("households list by village and state, paged by id", "[survey_store]", SURVEY_STORE_BACKENDS) {
  TestType backend;
  const std::vector<SurveyHousehold> added = AddThree(backend);
  SurveyQuery query;
  query.village = "village_1";
  query.limit = 1;
  auto first = backend.store().ListHouseholds(query);
  REQUIRE(first.ok());
  REQUIRE(first->size() == 1);
  CHECK(first->front().id == added[0].id);
  query.after_id = first->front().id;
  auto second = backend.store().ListHouseholds(query);
  REQUIRE(second.ok());
  REQUIRE(second->size() == 1);
  CHECK(second->front().id == added[2].id);
  SurveyQuery by_state;
  by_state.states = {"recorded", "sent_back"};
  CHECK(backend.store().ListHouseholds(by_state)->empty());
  by_state.states.push_back("to_visit");
  CHECK(backend.store().ListHouseholds(by_state)->size() == 3);
  SurveyQuery bad;
  bad.limit = 0;
  CHECK(backend.store().ListHouseholds(bad).status().code() == StatusCode::kInvalidArgument);
}

TEMPLATE_TEST_CASE("an update appends the visit and the event only at the version read", "[survey_store]",
                   SURVEY_STORE_BACKENDS) {
  TestType backend;
  SurveyHousehold h = AddThree(backend)[0];
  SurveyHousehold recorded = h;
  recorded.state = "recorded";
  auto stored = backend.store().Update(recorded, RecordedVisit("刘联村"), Transition(h, "recorded", "record"));
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
  auto stale = backend.store().Update(recorded, RecordedVisit("赵某"), Transition(h, "recorded", "record"));
  CHECK(stale.status().code() == StatusCode::kAborted);
  CHECK(backend.store().History(h.id)->size() == 2);
  CHECK(backend.store().GetHousehold(h.id)->visit->team[0].name == "刘联村");

  // A visit recorded again becomes the latest; a change without a visit keeps it.
  SurveyHousehold again = *stored;
  auto second = backend.store().Update(again, RecordedVisit("钱干部"), Transition(again, "recorded", "record"));
  REQUIRE(second.ok());
  CHECK(second->visit->id > visit.id);
  CHECK(second->visit->team[0].name == "钱干部");
  SurveyHousehold checked = *second;
  checked.state = "spot_checked";
  auto third = backend.store().Update(checked, std::nullopt, Transition(*second, "spot_checked", "spot_check"));
  REQUIRE(third.ok());
  CHECK(third->visit->team[0].name == "钱干部");
  CHECK(third->version == 4);

  SurveyHousehold missing = h;
  missing.id += 1000;
  CHECK(backend.store().Update(missing, RecordedVisit("x"), Transition(missing, "recorded", "record")).status().code() ==
        StatusCode::kNotFound);
}

TEMPLATE_TEST_CASE("a household links to one enrollment request, found both ways", "[survey_store]",
                   SURVEY_STORE_BACKENDS) {
  TestType backend;
  const std::vector<SurveyHousehold> added = AddThree(backend);
  const std::int64_t enrollment = backend.MakeEnrollment();
  CHECK_FALSE(backend.store().HouseholdOfEnrollment(enrollment)->has_value());
  SurveyHousehold linked = added[0];
  linked.enrollment_id = enrollment;
  auto stored = backend.store().Update(linked, std::nullopt, Transition(added[0], "to_visit", "open_enrollment"));
  REQUIRE(stored.ok());
  CHECK(stored->enrollment_id == enrollment);
  CHECK(backend.store().HouseholdOfEnrollment(enrollment)->value() == added[0].id);
  // No second household may claim the same request.
  SurveyHousehold other = added[1];
  other.enrollment_id = enrollment;
  CHECK_FALSE(backend.store().Update(other, std::nullopt, Transition(added[1], "to_visit", "open_enrollment")).ok());
  CHECK_FALSE(backend.store().GetHousehold(added[1].id)->enrollment_id.has_value());
}

TEMPLATE_TEST_CASE("a photo is kept with its visit and read back byte for byte", "[survey_store]",
                   SURVEY_STORE_BACKENDS) {
  TestType backend;
  SurveyHousehold h = AddThree(backend)[0];
  SurveyHousehold recorded = h;
  recorded.state = "recorded";
  auto stored = backend.store().Update(recorded, RecordedVisit("刘联村"), Transition(h, "recorded", "record"));
  REQUIRE(stored.ok());
  SurveyPhoto photo;
  photo.household_id = h.id;
  photo.visit_id = stored->visit->id;
  photo.file.name = "签字页.png";
  photo.file.content_type = "image/png";
  photo.uploaded_at = 1633914000;
  photo.uploaded_by = "user t.u.village_1";
  const std::string bytes("\x89PNG\r\n\x1A\n signed sheet", 21);
  auto added = backend.store().AddPhoto(photo, bytes);
  REQUIRE(added.ok());
  CHECK(added->file.sha256 == ContentHash(bytes));
  CHECK(added->file.size == 21);
  auto photos = backend.store().ListPhotos(h.id);
  REQUIRE(photos.ok());
  REQUIRE(photos->size() == 1);
  CHECK((*photos)[0].visit_id == stored->visit->id);
  CHECK(backend.store().ReadPhotoBytes(added->file.sha256).value() == bytes);
  CHECK(backend.store().ReadPhotoBytes(std::string(64, 'a')).status().code() == StatusCode::kNotFound);
  photo.household_id = h.id + 1000;
  CHECK(backend.store().AddPhoto(photo, bytes).status().code() == StatusCode::kNotFound);
}

TEMPLATE_TEST_CASE("every survey write is audited in its own transaction, and a refused one is not",
                   "[survey_store]", SURVEY_STORE_BACKENDS) {
  TestType backend;
  SurveyHousehold h = AddThree(backend)[0];
  SurveyHousehold recorded = h;
  recorded.state = "recorded";
  REQUIRE(backend.store().Update(recorded, RecordedVisit("刘联村"), Transition(h, "recorded", "record")).ok());
  CHECK_FALSE(backend.store().Update(recorded, RecordedVisit("刘联村"), Transition(h, "recorded", "record")).ok());
  REQUIRE(backend.store().AppendAudit(MakeAuditRecord("user t.o", "export", "visits village_1", "3 rows")).ok());
  std::vector<std::string> actions;
  for (const AuditRecord& record : backend.AuditRecords()) actions.push_back(record.action);
  CHECK(actions == std::vector<std::string>{"survey.add", "survey.add", "survey.add", "survey.record", "export"});
  CHECK(backend.store().AppendAudit(MakeAuditRecord("user t.o", "", "x", "y")).code() == StatusCode::kInvalidArgument);
}

}  // namespace rectify::testing
