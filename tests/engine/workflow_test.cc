// The two state machines through their Boost-free facade: every transition of each table,
// and refusals of each kind (no row from here, guard refuses the payload, unknown event,
// corrupt stored state).
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "engine/workflow.h"

namespace rectify {
namespace {

struct Step {
  const char* from;
  const char* event;
  const char* to;
};

// Input that satisfies every guard, so each row of the table can fire.
EventInput FullInput(const char* event) {
  EventInput in;
  in.name = event;
  in.actor = "tester";
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
    auto fired = workflow.Fire(StatePath::Parse(step.from), FullInput(step.event));
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
    };
    CheckTransitions(EnrollmentWorkflow(), anywhere);
    steps.insert(steps.end(), anywhere.begin(), anywhere.end());
  }
  CheckTableIsCovered(EnrollmentWorkflow(), steps);
}

TEST_CASE("an event with no transition from the current state is refused and names the allowed ones") {
  auto fired = ProblemWorkflow().Fire(StatePath::Parse("found"), FullInput("verify"));
  REQUIRE(fired.ok());
  CHECK(fired->outcome == FireOutcome::kNotAllowedNow);
  CHECK(fired->allowed == std::vector<std::string>{"assign"});

  fired = ProblemWorkflow().Fire(StatePath::Parse("rectifying.working"), FullInput("verify"));
  REQUIRE(fired.ok());
  CHECK(fired->outcome == FireOutcome::kNotAllowedNow);
  CHECK(fired->allowed == std::vector<std::string>{"progress", "submit", "reassign"});

  fired = EnrollmentWorkflow().Fire(StatePath::Parse("rectifying.home_visit"), FullInput("verify"));
  REQUIRE(fired.ok());
  CHECK(fired->outcome == FireOutcome::kNotAllowedNow);

  fired = EnrollmentWorkflow().Fire(StatePath::Parse("closed"), FullInput("close"));
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
  };
  for (const Case& c : cases) {
    INFO(c.from << " -" << c.event << "->");
    EventInput empty;
    empty.name = c.event;
    auto fired = c.workflow.Fire(StatePath::Parse(c.from), empty);
    REQUIRE(fired.ok());
    CHECK(fired->outcome == FireOutcome::kRejectedByGuard);
    CHECK(fired->field == c.field);
    CHECK_FALSE(fired->message.empty());
  }
}

TEST_CASE("actions report what the transition decided") {
  auto fired = ProblemWorkflow().Fire(StatePath::Parse("rectifying.submitted"), FullInput("send_back"));
  REQUIRE(fired.ok());
  CHECK(fired->effects.sent_back);
  CHECK_FALSE(fired->effects.unit.has_value());

  fired = ProblemWorkflow().Fire(StatePath::Parse("found"), FullInput("assign"));
  REQUIRE(fired.ok());
  CHECK(fired->effects.unit == std::optional<std::string>("unit_b"));

  fired = ProblemWorkflow().Fire(StatePath::Parse("closed"), FullInput("reopen"));
  REQUIRE(fired.ok());
  CHECK(fired->effects.reopened);

  fired = EnrollmentWorkflow().Fire(StatePath::Parse("verified"), FullInput("close"));
  REQUIRE(fired.ok());
  REQUIRE(fired->effects.outcome.has_value());
  CHECK(fired->effects.outcome->result == "enrolled");
  CHECK(fired->effects.outcome->entered_on == std::optional<CivilDate>(CivilDate{2021, 10, 20}));

  fired = EnrollmentWorkflow().Fire(StatePath::Parse("rectifying.village_review"), FullInput("close_ineligible"));
  REQUIRE(fired.ok());
  REQUIRE(fired->effects.outcome.has_value());
  CHECK(fired->effects.outcome->result == "not_eligible");
  CHECK(fired->effects.outcome->explanation == "income above the line");
}

TEST_CASE("an unknown event is reported as unknown, not as a refused transition") {
  auto fired = ProblemWorkflow().Fire(StatePath::Parse("found"), FullInput("restore"));
  REQUIRE(fired.ok());
  CHECK(fired->outcome == FireOutcome::kUnknownEvent);
  fired = ProblemWorkflow().Fire(StatePath::Parse("found"), FullInput("complete_step"));
  REQUIRE(fired.ok());
  CHECK(fired->outcome == FireOutcome::kUnknownEvent);
}

TEST_CASE("a stored state the machine does not know is reported as corruption") {
  for (const char* bad : {"", "open", "rectifying.home_visit", "closed.extra", "found.x"}) {
    INFO(bad);
    auto fired = ProblemWorkflow().Fire(StatePath::Parse(bad), FullInput("assign"));
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

}  // namespace rectify
