// The household visit machine (engine/visit_workflow.h) on the real campaign's permission table:
// every transition it has and the ones it refuses, who may fire each, and the state facts the
// figures read from it.
#include <catch2/catch.hpp>

#include "engine/visit_workflow.h"
#include "tests/engine/record_builder.h"

namespace rectify::testing {
namespace {

Actor Person(const std::string& role, const std::string& unit = {}) {
  Actor actor;
  actor.name = "user t." + role;
  actor.roles = {role};
  actor.unit = unit;
  return actor;
}

// The household is village_1's; a unit member of village_1 is its village.
Relations RelationsOf(const Actor& actor) {
  Relations relations;
  relations.village = actor.unit == "village_1";
  return relations;
}

FireResult Fire(const Campaign& campaign, const std::string& from, const std::string& event, const Actor& actor,
                const std::string& reason = {}) {
  EventInput input;
  input.name = event;
  input.reason = reason;
  const Authority who{actor, RelationsOf(actor), campaign.permissions};
  auto fired = SurveyVisitWorkflow().Fire(from, input, who);
  REQUIRE(fired.ok());
  return fired.value();
}

}  // namespace

TEST_CASE("the visit machine has four states and three events, each labelled by the campaign") {
  const VisitWorkflow& workflow = SurveyVisitWorkflow();
  CHECK(workflow.Initial() == "to_visit");
  CHECK(workflow.States() == std::vector<std::string>{"to_visit", "recorded", "spot_checked", "sent_back"});
  CHECK(workflow.Events() == std::vector<std::string>{"record", "spot_check", "send_back"});
  const Campaign campaign = Gaoqiao();
  for (const std::string& key : workflow.States()) CHECK(campaign.survey->LabelOf(key) != key);
  for (const std::string& key : workflow.Events()) CHECK(campaign.survey->LabelOf(key) != key);
}

TEST_CASE("a sheet is sent back with a reason, and the other events take a note only") {
  const VisitWorkflow& workflow = SurveyVisitWorkflow();
  CHECK(EventFieldNames(workflow.FieldsOf("send_back").takes) == std::vector<std::string>{"note", "reason"});
  CHECK(EventFieldNames(workflow.FieldsOf("send_back").required) == std::vector<std::string>{"reason"});
  for (const char* event : {"record", "spot_check"}) {
    INFO(event);
    CHECK(EventFieldNames(workflow.FieldsOf(event).takes) == std::vector<std::string>{"note"});
    CHECK(workflow.FieldsOf(event).required == 0);
  }
}

TEST_CASE("a visit is recorded by its village, spot-checked or sent back by the inspection group, and recorded again") {
  const Campaign campaign = Gaoqiao();
  const Actor village = Person("unit_member", "village_1");
  const Actor inspector = Person("inspector");
  struct Row {
    const char* from;
    const char* event;
    const Actor* actor;
    const char* reason;
    FireOutcome outcome;
    const char* to;
  };
  const Row rows[] = {
      {"to_visit", "record", &village, "", FireOutcome::kDone, "recorded"},
      {"recorded", "spot_check", &inspector, "", FireOutcome::kDone, "spot_checked"},
      {"recorded", "send_back", &inspector, "缺签字", FireOutcome::kDone, "sent_back"},
      {"sent_back", "record", &village, "", FireOutcome::kDone, "recorded"},
      {"recorded", "send_back", &inspector, "", FireOutcome::kRejectedByGuard, ""},
      {"recorded", "record", &village, "", FireOutcome::kNotAllowedNow, ""},
      {"spot_checked", "send_back", &inspector, "迟了", FireOutcome::kNotAllowedNow, ""},
      {"spot_checked", "record", &village, "", FireOutcome::kNotAllowedNow, ""},
      {"to_visit", "spot_check", &inspector, "", FireOutcome::kNotAllowedNow, ""},
      {"recorded", "spot_check", &village, "", FireOutcome::kDenied, ""},
      {"to_visit", "record", &inspector, "", FireOutcome::kDenied, ""},
      {"to_visit", "visit", &village, "", FireOutcome::kUnknownEvent, ""},
  };
  for (const Row& row : rows) {
    INFO(row.from << " --" << row.event << "--> as " << row.actor->roles[0]);
    const FireResult result = Fire(campaign, row.from, row.event, *row.actor, row.reason);
    CHECK(result.outcome == row.outcome);
    if (row.outcome == FireOutcome::kDone) CHECK(result.to.state == row.to);
    if (row.outcome == FireOutcome::kRejectedByGuard) CHECK(result.field == "reason");
  }
}

TEST_CASE("another village's member may record nothing, and a refusal lists what the actor may do") {
  const Campaign campaign = Gaoqiao();
  const Actor other = Person("unit_member", "village_2");
  const FireResult denied = Fire(campaign, "to_visit", "record", other);
  CHECK(denied.outcome == FireOutcome::kDenied);
  CHECK(denied.allowed.empty());
  const Actor inspector = Person("inspector");
  const Authority who{inspector, {}, campaign.permissions};
  auto permitted = SurveyVisitWorkflow().PermittedEvents("recorded", who);
  REQUIRE(permitted.ok());
  CHECK(*permitted == std::vector<std::string>{"spot_check", "send_back"});
  CHECK_FALSE(SurveyVisitWorkflow().PermittedEvents("visited", who).ok());
}

TEST_CASE("a household counts as visited while a recorded sheet stands") {
  const VisitWorkflow& workflow = SurveyVisitWorkflow();
  CHECK_FALSE(workflow.IsVisited("to_visit"));
  CHECK(workflow.IsVisited("recorded"));
  CHECK(workflow.IsVisited("spot_checked"));
  CHECK_FALSE(workflow.IsVisited("sent_back"));
  CHECK(workflow.StageOf("sent_back") == VisitStage::kSentBack);
  CHECK(workflow.StageOf("spot_checked") == VisitStage::kSpotChecked);
  CHECK(workflow.StatesAllowing("record") == std::vector<std::string>{"to_visit", "sent_back"});
  CHECK(workflow.StatesAllowing("spot_check") == std::vector<std::string>{"recorded"});
}

}  // namespace rectify::testing
