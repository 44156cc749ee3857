// The two state machines through their Boost-free facade: every transition of each table,
// and refusals of each kind (no row from here, guard refuses the payload, unknown event,
// corrupt stored state).
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "engine/workflow.h"

namespace rectify {
namespace {

struct Step {
  const char* from;
  const char* event;
  const char* to;
};

// The command line's authority: every grant. The role guards have their own tests below.
const Actor kSystem = Actor::System("tester");
const Permissions kNoGrants;
const Authority kAll{kSystem, {}, kNoGrants};

// Input that satisfies every guard, so each row of the table can fire.
EventInput FullInput(const char* event) {
  EventInput in;
  in.name = event;
  in.note = "note";
  in.unit = "unit_b";
  in.reason = "reason";
  in.entered_on = CivilDate{2021, 10, 20};
  in.explanation = "income above the line";
  return in;
}

void CheckTransitions(const Workflow& workflow, const std::vector<Step>& steps) {
  for (const Step& step : steps) {
    INFO(ItemKindName(workflow.kind()) << ": " << step.from << " -" << step.event << "-> " << step.to);
    auto fired = workflow.Fire(StatePath::Parse(step.from), FullInput(step.event), kAll);
    REQUIRE(fired.ok());
    CHECK(fired->outcome == FireOutcome::kDone);
    CHECK(fired->to.ToString() == step.to);
    auto allowed = workflow.AllowedEvents(StatePath::Parse(step.from));
    REQUIRE(allowed.ok());
    CHECK(std::count(allowed->begin(), allowed->end(), step.event) == 1);
  }
}

// Every (state, allowed event) pair must be one of `steps`: no transition goes untested.
void CheckTableIsCovered(const Workflow& workflow, const std::vector<Step>& steps) {
  std::set<std::pair<std::string, std::string>> tested;
  for (const Step& step : steps) tested.emplace(step.from, step.event);
  for (const std::string& state : workflow.States()) {
    auto allowed = workflow.AllowedEvents(StatePath::Parse(state));
    REQUIRE(allowed.ok());
    for (const std::string& event : *allowed) {
      INFO(state << " allows " << event);
      CHECK(tested.count({state, event}) == 1);
    }
  }
}

const std::vector<Step> kProblemSteps = {
    {"found", "assign", "assigned"},
    {"assigned", "reassign", "assigned"},
    {"assigned", "start", "rectifying.working"},
    {"rectifying.working", "progress", "rectifying.working"},
    {"rectifying.working", "submit", "rectifying.submitted"},
    {"rectifying.working", "reassign", "rectifying.working"},
    {"rectifying.submitted", "verify", "verified"},
    {"rectifying.submitted", "send_back", "rectifying.working"},
    {"rectifying.submitted", "reassign", "rectifying.submitted"},
    {"verified", "close", "closed"},
    {"closed", "reopen", "rectifying.working"},
    {"found", "supervise", "found"},
    {"assigned", "supervise", "assigned"},
    {"rectifying.working", "supervise", "rectifying.working"},
    {"rectifying.submitted", "supervise", "rectifying.submitted"},
    {"verified", "supervise", "verified"},
};

const std::vector<Step> kEnrollmentSteps = {
    {"found", "assign", "assigned"},
    {"assigned", "reassign", "assigned"},
    {"assigned", "start", "rectifying.home_visit"},
    {"rectifying.home_visit", "complete_step", "rectifying.data_check"},
    {"rectifying.data_check", "complete_step", "rectifying.village_review"},
    {"rectifying.village_review", "complete_step", "rectifying.public_notice"},
    {"rectifying.public_notice", "complete_step", "rectifying.town_review"},
    {"rectifying.town_review", "complete_step", "rectifying.county_decision"},
    {"rectifying.town_review", "send_back", "rectifying.home_visit"},
    {"rectifying.county_decision", "send_back", "rectifying.home_visit"},
    {"rectifying.county_decision", "verify", "verified"},
    {"verified", "close", "closed"},
    {"closed", "reopen", "rectifying.home_visit"},
    {"found", "supervise", "found"},
    {"assigned", "supervise", "assigned"},
    {"verified", "supervise", "verified"},
};

}  // namespace

TEST_CASE("the problem workflow has the five top-level states with working and submitted inside rectifying") {
  CHECK(ProblemWorkflow().States() == std::vector<std::string>{"found", "assigned", "rectifying.working",
                                                               "rectifying.submitted", "verified", "closed"});
  CHECK(ProblemWorkflow().Initial().ToString() == "found");
}

TEST_CASE("the enrollment workflow walks the six procedure steps inside rectifying") {
  CHECK(EnrollmentWorkflow().States() ==
        std::vector<std::string>{"found", "assigned", "rectifying.home_visit", "rectifying.data_check",
                                 "rectifying.village_review", "rectifying.public_notice", "rectifying.town_review",
                                 "rectifying.county_decision", "verified", "closed"});
}

TEST_CASE("every problem transition fires and lands where the table says") {
  CheckTransitions(ProblemWorkflow(), kProblemSteps);
  CheckTableIsCovered(ProblemWorkflow(), kProblemSteps);
}

TEST_CASE("every enrollment transition fires and lands where the table says") {
  CheckTransitions(EnrollmentWorkflow(), kEnrollmentSteps);
  // progress, reassign and close_ineligible apply in every step of the procedure.
  const std::vector<std::string> states = EnrollmentWorkflow().States();
  std::vector<Step> steps = kEnrollmentSteps;
  for (const std::string& state : states) {
    if (state.rfind("rectifying.", 0) != 0) continue;
    const std::vector<Step> anywhere = {
        {state.c_str(), "progress", state.c_str()},
        {state.c_str(), "reassign", state.c_str()},
        {state.c_str(), "close_ineligible", "closed"},
        {state.c_str(), "supervise", state.c_str()},
    };
    CheckTransitions(EnrollmentWorkflow(), anywhere);
    steps.insert(steps.end(), anywhere.begin(), anywhere.end());
  }
  CheckTableIsCovered(EnrollmentWorkflow(), steps);
}

TEST_CASE("an event with no transition from the current state is refused and names the allowed ones") {
  auto fired = ProblemWorkflow().Fire(StatePath::Parse("found"), FullInput("verify"), kAll);
  REQUIRE(fired.ok());
  CHECK(fired->outcome == FireOutcome::kNotAllowedNow);
  CHECK(fired->allowed == std::vector<std::string>{"assign", "supervise"});

  fired = ProblemWorkflow().Fire(StatePath::Parse("rectifying.working"), FullInput("verify"), kAll);
  REQUIRE(fired.ok());
  CHECK(fired->outcome == FireOutcome::kNotAllowedNow);
  CHECK(fired->allowed == std::vector<std::string>{"progress", "submit", "reassign", "supervise"});

  fired = EnrollmentWorkflow().Fire(StatePath::Parse("rectifying.home_visit"), FullInput("verify"), kAll);
  REQUIRE(fired.ok());
  CHECK(fired->outcome == FireOutcome::kNotAllowedNow);

  fired = EnrollmentWorkflow().Fire(StatePath::Parse("closed"), FullInput("close"), kAll);
  REQUIRE(fired.ok());
  CHECK(fired->outcome == FireOutcome::kNotAllowedNow);
  CHECK(fired->allowed == std::vector<std::string>{"reopen"});
}

TEST_CASE("a guard that refuses the payload names the missing field") {
  struct Case {
    const Workflow& workflow;
    const char* from;
    const char* event;
    const char* field;
  };
  const std::vector<Case> cases = {
      {ProblemWorkflow(), "found", "assign", "unit"},
      {ProblemWorkflow(), "rectifying.submitted", "send_back", "reason"},
      {ProblemWorkflow(), "closed", "reopen", "reason"},
      {ProblemWorkflow(), "rectifying.working", "progress", "note"},
      {EnrollmentWorkflow(), "verified", "close", "entered_on"},
      {EnrollmentWorkflow(), "rectifying.public_notice", "close_ineligible", "explanation"},
      {EnrollmentWorkflow(), "rectifying.town_review", "send_back", "reason"},
      {ProblemWorkflow(), "assigned", "supervise", "note"},
  };
  for (const Case& c : cases) {
    INFO(c.from << " -" << c.event << "->");
    EventInput empty;
    empty.name = c.event;
    auto fired = c.workflow.Fire(StatePath::Parse(c.from), empty, kAll);
    REQUIRE(fired.ok());
    CHECK(fired->outcome == FireOutcome::kRejectedByGuard);
    CHECK(fired->field == c.field);
    CHECK_FALSE(fired->message.empty());
  }
}

TEST_CASE("actions report what the transition decided") {
  auto fired = ProblemWorkflow().Fire(StatePath::Parse("rectifying.submitted"), FullInput("send_back"), kAll);
  REQUIRE(fired.ok());
  CHECK(fired->effects.sent_back);
  CHECK_FALSE(fired->effects.unit.has_value());

  fired = ProblemWorkflow().Fire(StatePath::Parse("found"), FullInput("assign"), kAll);
  REQUIRE(fired.ok());
  CHECK(fired->effects.unit == std::optional<std::string>("unit_b"));

  fired = ProblemWorkflow().Fire(StatePath::Parse("closed"), FullInput("reopen"), kAll);
  REQUIRE(fired.ok());
  CHECK(fired->effects.reopened);

  fired = EnrollmentWorkflow().Fire(StatePath::Parse("verified"), FullInput("close"), kAll);
  REQUIRE(fired.ok());
  REQUIRE(fired->effects.outcome.has_value());
  CHECK(fired->effects.outcome->result == "enrolled");
  CHECK(fired->effects.outcome->entered_on == std::optional<CivilDate>(CivilDate{2021, 10, 20}));

  fired = EnrollmentWorkflow().Fire(StatePath::Parse("rectifying.village_review"), FullInput("close_ineligible"), kAll);
  REQUIRE(fired.ok());
  REQUIRE(fired->effects.outcome.has_value());
  CHECK(fired->effects.outcome->result == "not_eligible");
  CHECK(fired->effects.outcome->explanation == "income above the line");
}

TEST_CASE("an unknown event is reported as unknown, not as a refused transition") {
  auto fired = ProblemWorkflow().Fire(StatePath::Parse("found"), FullInput("restore"), kAll);
  REQUIRE(fired.ok());
  CHECK(fired->outcome == FireOutcome::kUnknownEvent);
  fired = ProblemWorkflow().Fire(StatePath::Parse("found"), FullInput("complete_step"), kAll);
  REQUIRE(fired.ok());
  CHECK(fired->outcome == FireOutcome::kUnknownEvent);
}

TEST_CASE("a stored state the machine does not know is reported as corruption") {
  for (const char* bad : {"", "open", "rectifying.home_visit", "closed.extra", "found.x"}) {
    INFO(bad);
    auto fired = ProblemWorkflow().Fire(StatePath::Parse(bad), FullInput("assign"), kAll);
    REQUIRE_FALSE(fired.ok());
    CHECK(fired.status().code() == StatusCode::kInternal);
    CHECK_FALSE(ProblemWorkflow().AllowedEvents(StatePath::Parse(bad)).ok());
  }
}

TEST_CASE("restore is never an API event") {
  for (const Workflow* workflow : {&ProblemWorkflow(), &EnrollmentWorkflow()}) {
    const auto events = workflow->Events();
    CHECK(std::count(events.begin(), events.end(), "restore") == 0);
    for (const std::string& state : workflow->States()) {
      auto allowed = workflow->AllowedEvents(StatePath::Parse(state));
      REQUIRE(allowed.ok());
      CHECK(std::count(allowed->begin(), allowed->end(), "restore") == 0);
      CHECK_FALSE(allowed->empty());
    }
  }
}

// ---- the role guard (engine/permissions.h): the first guard of every row ----

namespace {

Permissions Grants(std::map<std::string, std::vector<Grant>> problem) {
  Permissions permissions;
  permissions.problem_events = std::move(problem);
  permissions.enrollment_events = {{"complete_step", {{"unit_member", "lead"}}},
                                   {"complete_step@town_review", {{"office", ""}}}};
  return permissions;
}

Actor Member(const std::string& role, const std::string& unit) {
  Actor actor;
  actor.name = "user x";
  actor.roles = {role};
  actor.unit = unit;
  return actor;
}

}  // namespace

TEST_CASE("the role guard refuses an actor the table does not grant and changes nothing") {
  const Permissions table = Grants({{"verify", {{"inspector", ""}}}, {"send_back", {{"inspector", ""}}}});
  const Actor office = Member("office", "rural_office");
  auto fired = ProblemWorkflow().Fire(StatePath::Parse("rectifying.submitted"), FullInput("verify"),
                                      Authority{office, {}, table});
  REQUIRE(fired.ok());
  CHECK(fired->outcome == FireOutcome::kDenied);
  CHECK(fired->allowed.empty());  // the office may do nothing here under this table
  const Actor inspector = Member("inspector", "");
  fired = ProblemWorkflow().Fire(StatePath::Parse("rectifying.submitted"), FullInput("verify"),
                                 Authority{inspector, {}, table});
  REQUIRE(fired.ok());
  CHECK(fired->outcome == FireOutcome::kDone);
  CHECK(fired->to.ToString() == "verified");
}

TEST_CASE("the role guard runs before the payload guards") {
  const Permissions table = Grants({{"send_back", {{"inspector", ""}}}});
  EventInput no_reason;
  no_reason.name = "send_back";
  const Actor member = Member("unit_member", "central_school");
  auto fired = ProblemWorkflow().Fire(StatePath::Parse("rectifying.submitted"), no_reason,
                                      Authority{member, {true, false, false}, table});
  REQUIRE(fired.ok());
  CHECK(fired->outcome == FireOutcome::kDenied);
  CHECK(fired->field.empty());
}

TEST_CASE("a grant with a relation holds only where the actor's unit stands in it") {
  const Permissions table = Grants({{"submit", {{"unit_member", "lead"}}}, {"progress", {{"unit_member", "related"}}}});
  const Actor member = Member("unit_member", "central_school");
  const StatePath working = StatePath::Parse("rectifying.working");
  CHECK(ProblemWorkflow().Fire(working, FullInput("submit"), Authority{member, {true, false, false}, table})->outcome ==
        FireOutcome::kDone);
  CHECK(ProblemWorkflow().Fire(working, FullInput("submit"), Authority{member, {false, true, false}, table})->outcome ==
        FireOutcome::kDenied);
  CHECK(ProblemWorkflow().Fire(working, FullInput("progress"), Authority{member, {false, true, false}, table})->outcome ==
        FireOutcome::kDone);
  CHECK(ProblemWorkflow().Fire(working, FullInput("progress"), Authority{member, {}, table})->outcome ==
        FireOutcome::kDenied);
  CHECK(ProblemWorkflow().PermittedEvents(working, Authority{member, {false, true, false}, table}).value() ==
        std::vector<std::string>{"progress"});
  CHECK(ProblemWorkflow().PermittedEvents(working, Authority{member, {true, false, false}, table}).value() ==
        std::vector<std::string>{"progress", "submit"});
}

TEST_CASE("a step-specific grant wins over the event's plain grant") {
  const Permissions table = Grants({});
  const Actor village = Member("unit_member", "village_1");
  const Actor office = Member("office", "rural_office");
  const Relations lead{true, false, true};
  const StatePath home_visit = StatePath::Parse("rectifying.home_visit");
  const StatePath town_review = StatePath::Parse("rectifying.town_review");
  CHECK(EnrollmentWorkflow().Fire(home_visit, FullInput("complete_step"), Authority{village, lead, table})->outcome ==
        FireOutcome::kDone);
  CHECK(EnrollmentWorkflow().Fire(town_review, FullInput("complete_step"), Authority{village, lead, table})->outcome ==
        FireOutcome::kDenied);
  CHECK(EnrollmentWorkflow().Fire(town_review, FullInput("complete_step"), Authority{office, {}, table})->outcome ==
        FireOutcome::kDone);
  CHECK(EnrollmentWorkflow().Fire(home_visit, FullInput("complete_step"), Authority{office, {}, table})->outcome ==
        FireOutcome::kDenied);
}

}  // namespace rectify
