// The two state machines through their Boost-free facade: every transition of each table,
// and refusals of each kind (no row from here, guard refuses the payload, unknown event,
// corrupt stored state).
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

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
const Pending kNothingPending;

// Input that satisfies every guard, so each row of the table can fire.
EventInput FullInput(const char* event) {
  EventInput in;
  in.name = event;
  in.note = "note";
  in.unit = "unit_b";
  in.reason = "reason";
  in.entered_on = CivilDate{2021, 10, 20};
  in.explanation = "income above the line";
  in.deadline = *ParseInstant("2021-11-15T00:00:00+08:00");
  return in;
}

void CheckTransitions(const Workflow& workflow, const std::vector<Step>& steps) {
  for (const Step& step : steps) {
    INFO(ItemKindName(workflow.kind()) << ": " << step.from << " -" << step.event << "-> " << step.to);
    auto fired = workflow.Fire(StatePath::Parse(step.from), kNothingPending, FullInput(step.event), kAll);
    REQUIRE(fired.ok());
    CHECK(fired->outcome == FireOutcome::kDone);
    CHECK(fired->to.ToString() == step.to);
    auto allowed = workflow.AllowedEvents(StatePath::Parse(step.from), kNothingPending);
    REQUIRE(allowed.ok());
    CHECK(std::count(allowed->begin(), allowed->end(), step.event) == 1);
  }
}

// Every (state, allowed event) pair must be one of `steps`: no transition goes untested.
void CheckTableIsCovered(const Workflow& workflow, const std::vector<Step>& steps) {
  std::set<std::pair<std::string, std::string>> tested;
  for (const Step& step : steps) tested.emplace(step.from, step.event);
  for (const std::string& state : workflow.States()) {
    auto allowed = workflow.AllowedEvents(StatePath::Parse(state), kNothingPending);
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
    {"assigned", "request_extension", "assigned"},
    {"rectifying.working", "request_extension", "rectifying.working"},
    {"rectifying.submitted", "request_extension", "rectifying.submitted"},
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
    {"assigned", "request_extension", "assigned"},
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
        {state.c_str(), "request_extension", state.c_str()},
    };
    CheckTransitions(EnrollmentWorkflow(), anywhere);
    steps.insert(steps.end(), anywhere.begin(), anywhere.end());
  }
  CheckTableIsCovered(EnrollmentWorkflow(), steps);
}

TEST_CASE("an event with no transition from the current state is refused and names the allowed ones") {
  auto fired = ProblemWorkflow().Fire(StatePath::Parse("found"), kNothingPending, FullInput("verify"), kAll);
  REQUIRE(fired.ok());
  CHECK(fired->outcome == FireOutcome::kNotAllowedNow);
  CHECK(fired->allowed == std::vector<std::string>{"assign", "supervise"});

  fired = ProblemWorkflow().Fire(StatePath::Parse("rectifying.working"), kNothingPending, FullInput("verify"), kAll);
  REQUIRE(fired.ok());
  CHECK(fired->outcome == FireOutcome::kNotAllowedNow);
  CHECK(fired->allowed == std::vector<std::string>{"progress", "submit", "reassign", "request_extension", "supervise"});

  fired = EnrollmentWorkflow().Fire(StatePath::Parse("rectifying.home_visit"), kNothingPending, FullInput("verify"), kAll);
  REQUIRE(fired.ok());
  CHECK(fired->outcome == FireOutcome::kNotAllowedNow);

  fired = EnrollmentWorkflow().Fire(StatePath::Parse("closed"), kNothingPending, FullInput("close"), kAll);
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
    auto fired = c.workflow.Fire(StatePath::Parse(c.from), kNothingPending, empty, kAll);
    REQUIRE(fired.ok());
    CHECK(fired->outcome == FireOutcome::kRejectedByGuard);
    CHECK(fired->field == c.field);
    CHECK_FALSE(fired->message.empty());
  }
}

TEST_CASE("actions report what the transition decided") {
  auto fired = ProblemWorkflow().Fire(StatePath::Parse("rectifying.submitted"), kNothingPending, FullInput("send_back"), kAll);
  REQUIRE(fired.ok());
  CHECK(fired->effects.sent_back);
  CHECK_FALSE(fired->effects.unit.has_value());

  fired = ProblemWorkflow().Fire(StatePath::Parse("found"), kNothingPending, FullInput("assign"), kAll);
  REQUIRE(fired.ok());
  CHECK(fired->effects.unit == std::optional<std::string>("unit_b"));

  fired = ProblemWorkflow().Fire(StatePath::Parse("closed"), kNothingPending, FullInput("reopen"), kAll);
  REQUIRE(fired.ok());
  CHECK(fired->effects.reopened);

  fired = EnrollmentWorkflow().Fire(StatePath::Parse("verified"), kNothingPending, FullInput("close"), kAll);
  REQUIRE(fired.ok());
  REQUIRE(fired->effects.outcome.has_value());
  CHECK(fired->effects.outcome->result == "enrolled");
  CHECK(fired->effects.outcome->entered_on == std::optional<CivilDate>(CivilDate{2021, 10, 20}));

  fired = EnrollmentWorkflow().Fire(StatePath::Parse("rectifying.village_review"), kNothingPending, FullInput("close_ineligible"), kAll);
  REQUIRE(fired.ok());
  REQUIRE(fired->effects.outcome.has_value());
  CHECK(fired->effects.outcome->result == "not_eligible");
  CHECK(fired->effects.outcome->explanation == "income above the line");
}

TEST_CASE("an unknown event is reported as unknown, not as a refused transition") {
  auto fired = ProblemWorkflow().Fire(StatePath::Parse("found"), kNothingPending, FullInput("restore"), kAll);
  REQUIRE(fired.ok());
  CHECK(fired->outcome == FireOutcome::kUnknownEvent);
  fired = ProblemWorkflow().Fire(StatePath::Parse("found"), kNothingPending, FullInput("complete_step"), kAll);
  REQUIRE(fired.ok());
  CHECK(fired->outcome == FireOutcome::kUnknownEvent);
}

TEST_CASE("each event takes the fields its rows demand or read, and requires what every row demands") {
  using Names = std::vector<std::string>;
  struct Expected {
    Names takes;
    Names required;
  };
  const std::map<std::string, Expected> shared = {
      {"assign", {{"note", "unit"}, {"unit"}}},
      {"reassign", {{"note", "unit"}, {"unit"}}},
      {"start", {{"note"}, {}}},
      {"progress", {{"note"}, {"note"}}},
      {"verify", {{"note"}, {}}},
      {"send_back", {{"note", "reason"}, {"reason"}}},
      {"reopen", {{"note", "reason", "deadline"}, {"reason"}}},
      {"supervise", {{"note"}, {"note"}}},
      {"sign_for", {{"note"}, {}}},
      {"request_extension", {{"note", "reason", "deadline"}, {"reason", "deadline"}}},
      {"approve_extension", {{"note", "reason", "deadline"}, {"reason"}}},
      {"refuse_extension", {{"note", "reason"}, {"reason"}}},
  };
  std::map<std::string, Expected> problem = shared;
  problem.insert({"submit", {{"note"}, {}}});
  problem.insert({"close", {{"note"}, {}}});
  std::map<std::string, Expected> enrollment = shared;
  enrollment.insert({"complete_step", {{"note"}, {}}});
  enrollment.insert({"close", {{"note", "entered_on"}, {"entered_on"}}});
  enrollment.insert({"close_ineligible", {{"note", "explanation"}, {"explanation"}}});
  enrollment.insert({"follow_up", {{"note"}, {"note"}}});
  for (const auto& [workflow, expected] : {std::pair{&ProblemWorkflow(), &problem}, std::pair{&EnrollmentWorkflow(), &enrollment}}) {
    CHECK(workflow->Events().size() == expected->size());
    for (const std::string& event : workflow->Events()) {
      INFO(ItemKindName(workflow->kind()) << " " << event);
      REQUIRE(expected->count(event) == 1);
      const EventFields fields = workflow->FieldsOf(event);
      CHECK(EventFieldNames(fields.takes) == expected->at(event).takes);
      CHECK(EventFieldNames(fields.required) == expected->at(event).required);
    }
    const EventFields unknown = workflow->FieldsOf("restore");
    CHECK(EventFieldNames(unknown.takes) == Names{"note"});
    CHECK(unknown.required == 0);
  }
}

TEST_CASE("a field its event does not take is refused by name, with the ones it takes") {
  EventInput start;
  start.name = "start";
  start.note = "开始整改";
  CHECK(CheckFieldsTaken(start, ProblemWorkflow().FieldsOf("start")).ok());
  start.deadline = *ParseInstant("2021-11-15T00:00:00+08:00");
  const Status refused = CheckFieldsTaken(start, ProblemWorkflow().FieldsOf("start"));
  CHECK(refused.code() == StatusCode::kInvalidArgument);
  CHECK(refused.field() == "deadline");
  CHECK(refused.reason() == "field_not_taken");
  CHECK(refused.params() == std::map<std::string, std::string>{{"event", "start"}, {"takes", "note"}});

  // The first of several is named; an empty text is not given.
  EventInput close = FullInput("close");
  close.note.clear();
  const Status problem_close = CheckFieldsTaken(close, ProblemWorkflow().FieldsOf("close"));
  CHECK(problem_close.field() == "unit");
  close.unit.clear();
  close.reason.clear();
  close.explanation.clear();
  close.deadline.reset();
  CHECK(CheckFieldsTaken(close, ProblemWorkflow().FieldsOf("close")).field() == "entered_on");
  CHECK(CheckFieldsTaken(close, EnrollmentWorkflow().FieldsOf("close")).ok());

  // Every row's input as FullInput gives it is refused for what the event does not take.
  for (const Workflow* workflow : {&ProblemWorkflow(), &EnrollmentWorkflow()})
    for (const std::string& event : workflow->Events()) {
      const EventFields fields = workflow->FieldsOf(event);
      const bool takes_all = fields.takes == (event_field::kNote | event_field::kUnit | event_field::kReason |
                                              event_field::kEnteredOn | event_field::kExplanation |
                                              event_field::kDeadline);
      CHECK(CheckFieldsTaken(FullInput(event.c_str()), fields).ok() == takes_all);
    }
}

TEST_CASE("a stored state the machine does not know is reported as corruption") {
  for (const char* bad : {"", "open", "rectifying.home_visit", "closed.extra", "found.x"}) {
    INFO(bad);
    auto fired = ProblemWorkflow().Fire(StatePath::Parse(bad), kNothingPending, FullInput("assign"), kAll);
    REQUIRE_FALSE(fired.ok());
    CHECK(fired.status().code() == StatusCode::kInternal);
    CHECK_FALSE(ProblemWorkflow().AllowedEvents(StatePath::Parse(bad), kNothingPending).ok());
  }
}

TEST_CASE("restore is never an API event") {
  for (const Workflow* workflow : {&ProblemWorkflow(), &EnrollmentWorkflow()}) {
    const auto events = workflow->Events();
    CHECK(std::count(events.begin(), events.end(), "restore") == 0);
    for (const std::string& state : workflow->States()) {
      auto allowed = workflow->AllowedEvents(StatePath::Parse(state), kNothingPending);
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
  auto fired = ProblemWorkflow().Fire(StatePath::Parse("rectifying.submitted"), kNothingPending, FullInput("verify"),
                                      Authority{office, {}, table});
  REQUIRE(fired.ok());
  CHECK(fired->outcome == FireOutcome::kDenied);
  CHECK(fired->allowed.empty());  // the office may do nothing here under this table
  const Actor inspector = Member("inspector", "");
  fired = ProblemWorkflow().Fire(StatePath::Parse("rectifying.submitted"), kNothingPending, FullInput("verify"),
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
  auto fired = ProblemWorkflow().Fire(StatePath::Parse("rectifying.submitted"), kNothingPending, no_reason,
                                      Authority{member, {true, false, false}, table});
  REQUIRE(fired.ok());
  CHECK(fired->outcome == FireOutcome::kDenied);
  CHECK(fired->field.empty());
}

TEST_CASE("a grant with a relation holds only where the actor's unit stands in it") {
  const Permissions table = Grants({{"submit", {{"unit_member", "lead"}}}, {"progress", {{"unit_member", "related"}}}});
  const Actor member = Member("unit_member", "central_school");
  const StatePath working = StatePath::Parse("rectifying.working");
  CHECK(ProblemWorkflow().Fire(working, kNothingPending, FullInput("submit"), Authority{member, {true, false, false}, table})->outcome ==
        FireOutcome::kDone);
  CHECK(ProblemWorkflow().Fire(working, kNothingPending, FullInput("submit"), Authority{member, {false, true, false}, table})->outcome ==
        FireOutcome::kDenied);
  CHECK(ProblemWorkflow().Fire(working, kNothingPending, FullInput("progress"), Authority{member, {false, true, false}, table})->outcome ==
        FireOutcome::kDone);
  CHECK(ProblemWorkflow().Fire(working, kNothingPending, FullInput("progress"), Authority{member, {}, table})->outcome ==
        FireOutcome::kDenied);
  CHECK(ProblemWorkflow().PermittedEvents(working, kNothingPending, Authority{member, {false, true, false}, table}).value() ==
        std::vector<std::string>{"progress"});
  CHECK(ProblemWorkflow().PermittedEvents(working, kNothingPending, Authority{member, {true, false, false}, table}).value() ==
        std::vector<std::string>{"progress", "submit"});
}

TEST_CASE("a step-specific grant wins over the event's plain grant") {
  const Permissions table = Grants({});
  const Actor village = Member("unit_member", "village_1");
  const Actor office = Member("office", "rural_office");
  const Relations lead{true, false, true};
  const StatePath home_visit = StatePath::Parse("rectifying.home_visit");
  const StatePath town_review = StatePath::Parse("rectifying.town_review");
  CHECK(EnrollmentWorkflow().Fire(home_visit, kNothingPending, FullInput("complete_step"), Authority{village, lead, table})->outcome ==
        FireOutcome::kDone);
  CHECK(EnrollmentWorkflow().Fire(town_review, kNothingPending, FullInput("complete_step"), Authority{village, lead, table})->outcome ==
        FireOutcome::kDenied);
  CHECK(EnrollmentWorkflow().Fire(town_review, kNothingPending, FullInput("complete_step"), Authority{office, {}, table})->outcome ==
        FireOutcome::kDone);
  CHECK(EnrollmentWorkflow().Fire(home_visit, kNothingPending, FullInput("complete_step"), Authority{office, {}, table})->outcome ==
        FireOutcome::kDenied);
}

}  // namespace rectify

// ---- what is pending beside the state: 签收 and 延期 ----

namespace rectify {

TEST_CASE("assigning, reassigning, sending back and reopening ask the unit to sign for the item") {
  for (const auto& [workflow, from, event] :
       std::vector<std::tuple<const Workflow*, const char*, const char*>>{
           {&ProblemWorkflow(), "found", "assign"},
           {&ProblemWorkflow(), "assigned", "reassign"},
           {&ProblemWorkflow(), "rectifying.working", "reassign"},
           {&ProblemWorkflow(), "rectifying.submitted", "send_back"},
           {&ProblemWorkflow(), "closed", "reopen"},
           {&EnrollmentWorkflow(), "found", "assign"},
           {&EnrollmentWorkflow(), "rectifying.town_review", "send_back"},
           {&EnrollmentWorkflow(), "closed", "reopen"}}) {
    INFO(from << " -" << event << "->");
    auto fired = workflow->Fire(StatePath::Parse(from), kNothingPending, FullInput(event), kAll);
    REQUIRE(fired.ok());
    CHECK(fired->effects.sign_for_requested);
  }
  auto progress = ProblemWorkflow().Fire(StatePath::Parse("rectifying.working"), kNothingPending,
                                         FullInput("progress"), kAll);
  REQUIRE(progress.ok());
  CHECK_FALSE(progress->effects.sign_for_requested);
}

TEST_CASE("signing for an item is possible only while a signature is awaited, and starting the work signs too") {
  const Pending awaited{true, false};
  for (const char* state : {"assigned", "rectifying.working", "rectifying.submitted"}) {
    INFO(state);
    auto allowed = ProblemWorkflow().AllowedEvents(StatePath::Parse(state), awaited);
    REQUIRE(allowed.ok());
    CHECK(std::count(allowed->begin(), allowed->end(), "sign_for") == 1);
    auto signed_for = ProblemWorkflow().Fire(StatePath::Parse(state), awaited, FullInput("sign_for"), kAll);
    REQUIRE(signed_for.ok());
    CHECK(signed_for->outcome == FireOutcome::kDone);
    CHECK(signed_for->to.ToString() == state);
    CHECK(signed_for->effects.signed_for);

    auto not_awaited = ProblemWorkflow().AllowedEvents(StatePath::Parse(state), kNothingPending);
    REQUIRE(not_awaited.ok());
    CHECK(std::count(not_awaited->begin(), not_awaited->end(), "sign_for") == 0);
    auto refused = ProblemWorkflow().Fire(StatePath::Parse(state), kNothingPending, FullInput("sign_for"), kAll);
    REQUIRE(refused.ok());
    CHECK(refused->outcome == FireOutcome::kNotAllowedNow);
  }
  auto started = ProblemWorkflow().Fire(StatePath::Parse("assigned"), awaited, FullInput("start"), kAll);
  REQUIRE(started.ok());
  CHECK(started->effects.signed_for);
  auto resubmitted = ProblemWorkflow().Fire(StatePath::Parse("rectifying.working"), awaited, FullInput("submit"), kAll);
  REQUIRE(resubmitted.ok());
  CHECK(resubmitted->effects.signed_for);
  auto step = EnrollmentWorkflow().Fire(StatePath::Parse("rectifying.home_visit"), awaited, FullInput("complete_step"), kAll);
  REQUIRE(step.ok());
  CHECK(step->effects.signed_for);
  auto unsigned_start = ProblemWorkflow().Fire(StatePath::Parse("assigned"), kNothingPending, FullInput("start"), kAll);
  REQUIRE(unsigned_start.ok());
  CHECK_FALSE(unsigned_start->effects.signed_for);
}

TEST_CASE("an extension is asked for with a reason and a date, once at a time, and approved or refused by a decision") {
  const Pending asked{false, true};
  for (const Workflow* workflow : {&ProblemWorkflow(), &EnrollmentWorkflow()}) {
    const StatePath assigned = StatePath::Parse("assigned");
    auto request = workflow->Fire(assigned, kNothingPending, FullInput("request_extension"), kAll);
    REQUIRE(request.ok());
    CHECK(request->effects.extension == ExtensionDecision::kRequested);
    EventInput no_date = FullInput("request_extension");
    no_date.deadline.reset();
    auto refused = workflow->Fire(assigned, kNothingPending, no_date, kAll);
    REQUIRE(refused.ok());
    CHECK(refused->outcome == FireOutcome::kRejectedByGuard);
    CHECK(refused->field == "deadline");
    auto twice = workflow->Fire(assigned, asked, FullInput("request_extension"), kAll);
    REQUIRE(twice.ok());
    CHECK(twice->outcome == FireOutcome::kNotAllowedNow);

    auto allowed = workflow->AllowedEvents(assigned, asked);
    REQUIRE(allowed.ok());
    CHECK(std::count(allowed->begin(), allowed->end(), "approve_extension") == 1);
    CHECK(std::count(allowed->begin(), allowed->end(), "refuse_extension") == 1);
    CHECK(std::count(allowed->begin(), allowed->end(), "request_extension") == 0);
    auto approved = workflow->Fire(assigned, asked, FullInput("approve_extension"), kAll);
    REQUIRE(approved.ok());
    CHECK(approved->effects.extension == ExtensionDecision::kApproved);
    auto denied = workflow->Fire(assigned, asked, FullInput("refuse_extension"), kAll);
    REQUIRE(denied.ok());
    CHECK(denied->effects.extension == ExtensionDecision::kRefused);
    EventInput no_reason = FullInput("refuse_extension");
    no_reason.reason.clear();
    auto unexplained = workflow->Fire(assigned, asked, no_reason, kAll);
    REQUIRE(unexplained.ok());
    CHECK(unexplained->field == "reason");
    auto nothing_asked = workflow->Fire(assigned, kNothingPending, FullInput("approve_extension"), kAll);
    REQUIRE(nothing_asked.ok());
    CHECK(nothing_asked->outcome == FireOutcome::kNotAllowedNow);
  }
}

}  // namespace rectify
