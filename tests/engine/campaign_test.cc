#include "engine/campaign.h"
#include "engine/workflow.h"

#include <functional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace rectify {
namespace {

// A small campaign that validates: two departments, a bank, two villages, both kinds of group.
Campaign ValidCampaign() {
  Campaign c;
  c.id = "test-campaign";
  c.name = "测试行动";
  c.town = "test_town";
  c.units = {
      {"rural_office", "镇农业农村和乡村振兴办公室", UnitKind::kDepartment, false, {}, {}},
      {"bank", "农商银行支行", UnitKind::kBank, false, {}, {}},
      {"village_a", "甲村", UnitKind::kVillage, true, {}, {}},
      {"central_school", "镇中心校", UnitKind::kDepartment, false, {}, {}},
      {"village_b", "乙村", UnitKind::kVillage, true, {}, {}},
  };
  c.groups = {
      {"all_departments", "镇直各单位", UnitKind::kDepartment, {}},
      {"all_villages", "各村", UnitKind::kVillage, {}},
      {"office_and_bank", "办和行", std::nullopt, {"rural_office", "bank"}},
  };
  c.areas = {
      {1, "责任压实", {"all_departments", "all_villages"}, {}},
      {2, "义务教育", {"central_school", "all_villages"}, {}},
      {3, "风险防控", {"rural_office", "office_and_bank", "all_departments"}, {}},
  };
  c.phases = {{"mobilise", "动员部署", {2021, 9, 21}, {2021, 10, 10}, {}}};
  DeadlineRule ledger;
  ledger.id = "ledger_due";
  ledger.name = "台账";
  ledger.applies_to = DeadlineSubject::kLedger;
  ledger.date = {2021, 10, 26};
  ledger.seconds_of_day = c.close_of_business_seconds;
  DeadlineRule cleared;
  cleared.id = "problems_cleared";
  cleared.name = "动态清零";
  cleared.date = {2021, 10, 31};
  cleared.item_default = true;
  DeadlineRule enrolled;
  enrolled.id = "enrollment_within_two_months";
  enrolled.name = "两个月内纳入";
  enrolled.applies_to = DeadlineSubject::kEnrollment;
  enrolled.kind = DeadlineKind::kMonthsAfter;
  enrolled.from = "risk_found";
  enrolled.months = 2;
  enrolled.item_default = true;
  c.deadlines = {ledger, cleared, enrolled};
  // Relative rules count on the official calendar; one year of it is enough here.
  HolidayNotice notice;
  notice.year = 2021;
  notice.notice = "国务院办公厅关于2021年部分节假日安排的通知";
  notice.holidays = {{"国庆节", {2021, 10, 1}, {2021, 10, 7}}};
  notice.make_up_working_days = {{2021, 9, 26}, {2021, 10, 9}};
  c.calendar = std::make_shared<const WorkCalendar>(WorkCalendar::Build({notice}).value());
  c.sources = {{"national_assessment_2020", "国家考核反馈问题", 13}, {"self_inspection", "自查自纠", std::nullopt}};
  c.household_categories = {{"unstable", "脱贫不稳定户"}, {"marginal", "边缘易致贫户"}};
  c.risk_types = {{"illness", "因病"}};
  c.clue_sources = {{"self_report", "农户自主申报"}};
  c.problem_labels = {{"found", "发现"}, {"rectifying.working", "整改中"}, {"assign", "交办"}};
  c.enrollment_labels = {{"found", "风险线索"}};
  // Every event and action to the office: validation needs each granted to someone.
  for (const auto& [workflow, table] : {std::pair{&ProblemWorkflow(), &c.permissions.problem_events},
                                        std::pair{&EnrollmentWorkflow(), &c.permissions.enrollment_events}})
    for (const std::string& event : workflow->Events()) (*table)[event] = {{"office", ""}};
  for (const char* action : kActionNames) c.permissions.actions[action] = {{"office", ""}};
  return c;
}

struct BadCase {
  const char* what;
  std::function<void(Campaign&)> spoil;
  const char* field;
  const char* message_part;  // the message must contain this, usually the bad value
};

}  // namespace

TEST_CASE("A well-formed campaign validates") {
  Campaign c = ValidCampaign();
  const Status status = ValidateCampaign(c);
  CHECK(status.ok());
  CHECK(status.ToString() == "ok");
}

TEST_CASE("Groups expand into their members in file order") {
  Campaign c = ValidCampaign();
  REQUIRE(ValidateCampaign(c).ok());
  CHECK(c.FindGroup("all_departments")->members == std::vector<std::string>{"rural_office", "central_school"});
  CHECK(c.FindGroup("all_villages")->members == std::vector<std::string>{"village_a", "village_b"});
  CHECK(c.FindGroup("office_and_bank")->members == std::vector<std::string>{"rural_office", "bank"});
}

TEST_CASE("Area responsible units expand groups in order without repeats") {
  Campaign c = ValidCampaign();
  REQUIRE(ValidateCampaign(c).ok());
  CHECK(c.FindArea(1)->responsible_units ==
        std::vector<std::string>{"rural_office", "central_school", "village_a", "village_b"});
  CHECK(c.FindArea(2)->responsible_units == std::vector<std::string>{"central_school", "village_a", "village_b"});
  CHECK(c.FindArea(3)->responsible_units == std::vector<std::string>{"rural_office", "bank", "central_school"});
}

TEST_CASE("Validating twice gives the same expansion") {
  Campaign c = ValidCampaign();
  REQUIRE(ValidateCampaign(c).ok());
  REQUIRE(ValidateCampaign(c).ok());
  CHECK(c.FindGroup("all_villages")->members.size() == 2);
  CHECK(c.FindArea(1)->responsible_units.size() == 4);
}

TEST_CASE("Lookups find by id and return null for unknown ids") {
  Campaign c = ValidCampaign();
  REQUIRE(ValidateCampaign(c).ok());
  CHECK(c.FindUnit("bank")->kind == UnitKind::kBank);
  CHECK(c.FindUnit("nobody") == nullptr);
  CHECK(c.FindGroup("bank") == nullptr);
  CHECK(c.FindArea(3)->name == "风险防控");
  CHECK(c.FindArea(4) == nullptr);
  CHECK(c.FindArea(0) == nullptr);
  CHECK(c.FindPhase("mobilise")->start == CivilDate{2021, 9, 21});
  CHECK(c.FindSource("national_assessment_2020")->expected_count == 13);
  CHECK_FALSE(c.FindSource("self_inspection")->expected_count.has_value());
  CHECK(c.FindDeadline("ledger_due")->applies_to == DeadlineSubject::kLedger);
  CHECK(c.FindDeadline("nothing") == nullptr);
}

TEST_CASE("The default deadline of each subject is its item_default rule") {
  Campaign c = ValidCampaign();
  REQUIRE(ValidateCampaign(c).ok());
  CHECK(c.DefaultDeadline(DeadlineSubject::kProblem)->id == "problems_cleared");
  CHECK(c.DefaultDeadline(DeadlineSubject::kEnrollment)->id == "enrollment_within_two_months");
  CHECK(c.DefaultDeadline(DeadlineSubject::kLedger) == nullptr);
}

TEST_CASE("A choice is found by its id or by its Chinese name") {
  const Campaign c = ValidCampaign();
  CHECK(FindChoice(c.household_categories, "marginal")->name == "边缘易致贫户");
  CHECK(FindChoice(c.household_categories, "边缘易致贫户")->id == "marginal");
  CHECK(FindChoice(c.household_categories, "突发严重困难户") == nullptr);
  CHECK(FindChoice(c.risk_types, "") == nullptr);
}

TEST_CASE("Unit kinds and deadline subjects round-trip through their names") {
  for (const UnitKind kind : {UnitKind::kDepartment, UnitKind::kBank, UnitKind::kVillage}) {
    CHECK(ParseUnitKind(UnitKindName(kind)) == kind);
  }
  for (const auto subject : {DeadlineSubject::kProblem, DeadlineSubject::kEnrollment, DeadlineSubject::kLedger}) {
    CHECK(ParseDeadlineSubject(DeadlineSubjectName(subject)) == subject);
  }
  CHECK(std::string(UnitKindName(UnitKind::kBank)) == "bank");
  CHECK(std::string(DeadlineSubjectName(DeadlineSubject::kLedger)) == "ledger");
  CHECK_FALSE(ParseUnitKind("Village").has_value());
  CHECK_FALSE(ParseDeadlineSubject("problems").has_value());
}

TEST_CASE("Each validation error names the field at fault and the bad value") {
  const std::vector<BadCase> cases = {
      {"empty campaign id", [](Campaign& c) { c.id.clear(); }, "id", "empty id"},
      {"campaign name empty", [](Campaign& c) { c.name.clear(); }, "name", "empty name"},
      {"close of business past midnight", [](Campaign& c) { c.close_of_business_seconds = 90000; },
       "close_of_business_seconds", "90000"},
      {"no units", [](Campaign& c) { c.units.clear(); }, "units", "at least one unit"},
      {"non-ASCII unit id", [](Campaign& c) { c.units[1].id = "农商行"; }, "units[1].id", "\"农商行\""},
      {"upper-case unit id", [](Campaign& c) { c.units[1].id = "Bank"; }, "units[1].id", "\"Bank\""},
      {"duplicate unit id", [](Campaign& c) { c.units[3].id = "rural_office"; }, "units[3].id",
       "duplicate id \"rural_office\" (already used by units[0])"},
      {"empty unit name", [](Campaign& c) { c.units[2].name.clear(); }, "units[2].name", "empty name"},
      {"group id equal to a unit id", [](Campaign& c) { c.groups[1].id = "bank"; }, "groups[1].id",
       "duplicate id \"bank\" (already used by units[1])"},
      {"duplicate group id", [](Campaign& c) { c.groups[2].id = "all_villages"; }, "groups[2].id",
       "\"all_villages\""},
      {"empty group name", [](Campaign& c) { c.groups[0].name.clear(); }, "groups[0].name", "empty name"},
      {"unknown group member", [](Campaign& c) { c.groups[2].members[1] = "bnak"; }, "groups[2].members[1]",
       "unknown unit \"bnak\""},
      {"group member that is a group", [](Campaign& c) { c.groups[2].members[0] = "all_villages"; },
       "groups[2].members[0]", "\"all_villages\" is a group"},
      {"group member listed twice", [](Campaign& c) { c.groups[2].members[1] = "rural_office"; },
       "groups[2].members[1]", "\"rural_office\" is listed twice"},
      {"group with no members", [](Campaign& c) { c.groups[2].members.clear(); }, "groups[2].members",
       "\"office_and_bank\" has no members"},
      {"members_of_kind that matches no unit",
       [](Campaign& c) {
         c.units.erase(c.units.begin() + 1);
         c.groups[2].members = {"rural_office"};
         c.groups[1].members_of_kind = UnitKind::kBank;
       },
       "groups[1].members_of_kind", "\"bank\""},
      {"no areas", [](Campaign& c) { c.areas.clear(); }, "areas", "at least one area"},
      {"area numbers with a gap", [](Campaign& c) { c.areas[2].number = 4; }, "areas[2].number",
       "expected 3, found 4"},
      {"area numbers repeated", [](Campaign& c) { c.areas[1].number = 1; }, "areas[1].number",
       "expected 2, found 1"},
      {"area without a name", [](Campaign& c) { c.areas[0].name.clear(); }, "areas[0].name", "empty name"},
      {"area with no responsible unit", [](Campaign& c) { c.areas[1].responsible.clear(); },
       "areas[1].responsible", "no responsible unit"},
      {"unknown unit in an area", [](Campaign& c) { c.areas[2].responsible[1] = "foo"; },
       "areas[2].responsible[1]", "unknown unit or group \"foo\""},
      {"same entry twice in an area", [](Campaign& c) { c.areas[1].responsible[1] = "central_school"; },
       "areas[1].responsible[1]", "\"central_school\" is listed twice"},
      {"duplicate phase id",
       [](Campaign& c) { c.phases.push_back({"mobilise", "再动员", {2021, 10, 1}, {2021, 10, 2}, {}}); },
       "phases[1].id", "duplicate id \"mobilise\""},
      {"phase ending before it starts", [](Campaign& c) { c.phases[0].end = {2021, 9, 1}; }, "phases[0].end",
       "ends 2021-09-01, before it starts 2021-09-21"},
      {"phase with an impossible date", [](Campaign& c) { c.phases[0].start = {2021, 2, 30}; },
       "phases[0].start", "2021-02-30"},
      {"duplicate deadline id", [](Campaign& c) { c.deadlines[1].id = "ledger_due"; }, "deadlines[1].id",
       "duplicate id \"ledger_due\""},
      {"fixed deadline with an impossible date", [](Campaign& c) { c.deadlines[0].date = {2021, 13, 1}; },
       "deadlines[0].date", "2021-13-01"},
      {"fixed deadline after 24:00", [](Campaign& c) { c.deadlines[0].seconds_of_day = 86401; },
       "deadlines[0].seconds_of_day", "86401"},
      {"fixed deadline before midnight", [](Campaign& c) { c.deadlines[0].seconds_of_day = -1; },
       "deadlines[0].seconds_of_day", "-1"},
      {"months_after from an unknown date", [](Campaign& c) { c.deadlines[2].from = "signed"; },
       "deadlines[2].from", "unknown date \"signed\""},
      {"a step limit counted from entering a state without states", [](Campaign& c) {
         c.deadlines[2].from = "state_entered";
         c.deadlines[2].item_default = false;
       }, "deadlines[2].states", "needs the states it governs"},
      {"a step limit on a state the workflow lacks", [](Campaign& c) { c.deadlines[1].item_default = false;
         c.deadlines[1].states = {"rectifying.waiting"}; }, "deadlines[1].states[0]",
       "\"rectifying.waiting\" is not a state of the problem workflow"},
      {"an item default limited to states", [](Campaign& c) { c.deadlines[1].states = {"found"}; },
       "deadlines[1].states", "whole life"},
      {"a phase end naming no phase", [](Campaign& c) {
         c.deadlines[1].kind = DeadlineKind::kPhaseEnd;
         c.deadlines[1].phase = "harvest"; }, "deadlines[1].phase", "unknown phase \"harvest\""},
      {"working days without a calendar", [](Campaign& c) { c.calendar.reset(); }, "deadlines[2].kind",
       "needs the official calendar"},
      {"a dwell on a state the workflow lacks", [](Campaign& c) {
         c.minimum_dwells = {{"notice", "公示", DeadlineSubject::kEnrollment, "rectifying.notice", 5, false}}; },
       "minimum_dwells[0].state", "not a state of the enrollment workflow"},
      {"a gate below no state", [](Campaign& c) {
         c.phases[0].gates = {{DeadlineSubject::kProblem, "done"}}; }, "phases[0].gates[0].at_least",
       "\"done\" is not a state"},
      {"an unknown supervisor", [](Campaign& c) { c.notifier.supervisors = {"nobody"}; },
       "notifier.supervisors[0]", "unknown unit \"nobody\""},
      {"months_after with zero months", [](Campaign& c) { c.deadlines[2].months = 0; }, "deadlines[2].months",
       "0 is outside 1..120"},
      {"months_after on problems", [](Campaign& c) { c.deadlines[2].applies_to = DeadlineSubject::kProblem; },
       "deadlines[2].applies_to", "\"problem\""},
      {"two item defaults for one subject",
       [](Campaign& c) {
         c.deadlines[0].applies_to = DeadlineSubject::kProblem;
         c.deadlines[0].item_default = true;
       },
       "deadlines[1].item_default", "\"ledger_due\" is already the item default for \"problem\""},
      {"if_past on a rule that counts", [](Campaign& c) { c.deadlines[2].if_past = "problems_cleared"; },
       "deadlines[2].if_past", "only a fixed item default"},
      {"if_past naming no rule", [](Campaign& c) { c.deadlines[1].if_past = "nobody"; }, "deadlines[1].if_past",
       "names no other rule of \"problem\": \"nobody\""},
      {"if_past naming a rule of another subject", [](Campaign& c) { c.deadlines[1].if_past = "ledger_due"; },
       "deadlines[1].if_past", "names no other rule of \"problem\": \"ledger_due\""},
      {"ledger deadline as item default", [](Campaign& c) { c.deadlines[0].item_default = true; },
       "deadlines[0].item_default", "not \"ledger\""},
      {"duplicate source id", [](Campaign& c) { c.sources[1].id = "national_assessment_2020"; }, "sources[1].id",
       "duplicate id \"national_assessment_2020\""},
      {"source expecting no problems", [](Campaign& c) { c.sources[0].expected_count = 0; },
       "sources[0].expected_count", "found 0"},
      {"duplicate household category id", [](Campaign& c) { c.household_categories[1].id = "unstable"; },
       "household_categories[1].id", "duplicate id \"unstable\""},
      {"duplicate household category name", [](Campaign& c) { c.household_categories[1].name = "脱贫不稳定户"; },
       "household_categories[1].name", "duplicate name \"脱贫不稳定户\""},
      {"empty risk type name", [](Campaign& c) { c.risk_types[0].name.clear(); }, "risk_types[0].name",
       "empty name"},
      {"clue source id with a space", [](Campaign& c) { c.clue_sources[0].id = "self report"; },
       "clue_sources[0].id", "\"self report\""},
      {"duplicate problem label", [](Campaign& c) { c.problem_labels[2].key = "found"; }, "problem_labels[2].key",
       "\"found\" has a label already"},
      {"empty enrollment label", [](Campaign& c) { c.enrollment_labels[0].name.clear(); },
       "enrollment_labels[0].name", "empty name"},
      {"label for a state the machine lacks", [](Campaign& c) { c.problem_labels[1].key = "rectifying.waiting"; },
       "problem_labels[1].key", "\"rectifying.waiting\" is not a state or event of the problem workflow"},
      {"problem-only event labelled in enrollment", [](Campaign& c) { c.enrollment_labels[0].key = "submit"; },
       "enrollment_labels[0].key", "not a state or event of the enrollment workflow"},
      {"a found date for enrollments", [](Campaign& c) { c.deadlines[2].from = "found"; }, "deadlines[2].applies_to",
       "only problems have a found date"},
      {"a sign-for limit governing states", [](Campaign& c) {
         c.deadlines[2].from = "sign_for_requested";
         c.deadlines[2].item_default = false;
         c.deadlines[2].states = {"assigned"}; }, "deadlines[2].from", "has no states"},
      {"a reopen rule not counted from the reopening", [](Campaign& c) {
         c.deadlines[2].item_default = false;
         c.deadlines[2].on_reopen = true; }, "deadlines[2].on_reopen", "counts from state_entered"},
      {"a tier with no condition", [](Campaign& c) { c.warning_tiers = {{"blue", "蓝色预警", {}, false, {}, "", 0}}; },
       "warning_tiers[0]", "at least one condition"},
      {"a tier entered from a more severe one", [](Campaign& c) {
         c.warning_tiers = {{"red", "红色预警", {}, true, {}, "yellow", 2}, {"yellow", "黄色预警", {}, true, {}, "", 0}}; },
       "warning_tiers[0].entered", "\"yellow\" is not a milder tier"},
      {"a tier entered once", [](Campaign& c) {
         c.warning_tiers = {{"yellow", "黄色预警", {}, true, {}, "", 0}, {"red", "红色预警", {}, false, {}, "yellow", 1}}; },
       "warning_tiers[1].entered_times", "at least 2"},
      {"a step duration shorter than its minimum", [](Campaign& c) {
         c.step_durations = {{DeadlineSubject::kProblem, "rectifying.working", 3, 2, true}}; },
       "step_durations[0].typical_days", "outside minimum_days"},
  };
  for (const BadCase& bad : cases) {
    INFO(bad.what);
    Campaign c = ValidCampaign();
    bad.spoil(c);
    const Status status = ValidateCampaign(c);
    REQUIRE_FALSE(status.ok());
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.field() == bad.field);
    CHECK_THAT(status.message(), Catch::Contains(bad.message_part));
  }
}

}  // namespace rectify
