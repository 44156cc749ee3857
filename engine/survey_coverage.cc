#include "engine/survey_coverage.h"

#include <map>

#include "engine/deadlines.h"
#include "engine/item_facts.h"
#include "engine/visit_workflow.h"

namespace rectify {

std::optional<Instant> SurveyDue(const Campaign& campaign) {
  if (!campaign.survey) return std::nullopt;
  const DeadlineRule* rule = campaign.FindDeadline(campaign.survey->deadline);
  if (rule == nullptr) return std::nullopt;  // validation refuses this
  // Fixed and phase_end rules (the only kinds a survey deadline may be) need no item.
  auto due = DeadlineFor(campaign, *rule, Item{});
  return due.ok() ? *due : std::nullopt;
}

SurveyCoverage BuildSurveyCoverage(const Campaign& campaign, const std::vector<SurveyHousehold>& households,
                                   const std::vector<ItemRecord>& enrollments,
                                   const std::vector<std::string>& villages, Instant as_of) {
  const VisitWorkflow& workflow = SurveyVisitWorkflow();
  std::map<std::int64_t, const ItemRecord*> by_id;
  for (const ItemRecord& record : enrollments)
    if (record.item.kind == ItemKind::kEnrollment) by_id[record.item.id] = &record;

  SurveyCoverage coverage;
  coverage.due = SurveyDue(campaign);
  std::map<std::string, SurveyCounts> by_village;
  for (const std::string& village : villages) by_village[village].village = village;
  for (const SurveyHousehold& household : households) {
    if (household.added_at > as_of) continue;  // not on the list yet
    SurveyCounts& counts = by_village[household.village];
    counts.village = household.village;
    for (SurveyCounts* c : {&counts, &coverage.total}) {
      ++c->households;
      const VisitStage stage = workflow.StageOf(household.state);
      if (!workflow.IsVisited(household.state)) {
        ++c->unvisited;
        if (stage == VisitStage::kSentBack) ++c->sent_back;
        continue;
      }
      ++c->visited;
      if (stage == VisitStage::kSpotChecked) ++c->spot_checked;
      if (household.visit && household.visit->risk_found) ++c->risks_found;
      if (!household.enrollment_id) continue;
      ++c->enrollments_opened;
      const auto found = by_id.find(*household.enrollment_id);
      if (found == by_id.end()) continue;
      if (IsEnrolled(found->second->item)) ++c->enrolled;
      if (HasHelpMeasures(*found->second)) ++c->with_measures;
    }
  }
  for (const Unit& unit : campaign.units) {
    const auto found = by_village.find(unit.id);
    if (found != by_village.end()) coverage.villages.push_back(found->second);
  }
  coverage.late = coverage.due && *coverage.due <= as_of && coverage.total.unvisited > 0;
  return coverage;
}

}  // namespace rectify
