// Survey households, visits and events for the storage tests (the contract suite and the
// SQLite-only test share them).
#pragma once

#include <string>

#include "engine/survey.h"

namespace rectify::testing {

// A household on `village`'s list as imported, not yet visited.
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

// Its "add" history row.
inline SurveyEvent AddedEvent() {
  SurveyEvent e;
  e.to = "to_visit";
  e.event = "add";
  e.actor = "user t.u.village_1";
  e.at = 1633827600;
  return e;
}

// A visit that found an illness risk, its team led by `first_member`.
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

// The event moving `h` to `to`.
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

}  // namespace rectify::testing
