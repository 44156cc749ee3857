#include "engine/household_survey.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "engine/audit_service.h"
#include "engine/dashboard.h"
#include "engine/date_rules.h"
#include "engine/item_facts.h"
#include "engine/text.h"
#include "engine/visit_workflow.h"

namespace rectify {
namespace {

constexpr int kPage = 500;

std::string Subject(std::int64_t id) { return "survey household " + std::to_string(id); }

// The choice's id for an id or a name; kInvalidArgument listing the names offered.
// A refused entry of the survey (a household on the list, a visit sheet): an English message for
// the log, and for the cadre the reason invalid_survey_entry with the problem's code and its
// values, which web/static/errors.js words in Chinese.
Status EntryRefused(const std::string& field, const std::string& problem, const std::string& message,
                    std::map<std::string, std::string> params = {}, StatusCode code = StatusCode::kInvalidArgument) {
  params["problem"] = problem;
  const Status status = code == StatusCode::kUnprocessable ? Status::Unprocessable(field, message)
                                                           : Status::InvalidArgument(field, message);
  return status.WithReason("invalid_survey_entry", std::move(params));
}

Status ResolveChoice(const std::vector<Choice>& choices, std::string& value, const std::string& field) {
  if (const Choice* choice = FindChoice(choices, value)) {
    value = choice->id;
    return Status::Ok();
  }
  std::vector<std::string> names;
  for (const Choice& c : choices) names.push_back(c.name);
  if (value.empty()) return EntryRefused(field, "choice_missing", "missing; one of: " + JoinNames(names), {{"choices", JoinNames(names)}});
  return EntryRefused(field, "choice_unknown", "\"" + value + "\" is not one of: " + JoinNames(names),
                      {{"value", value}, {"choices", JoinNames(names)}});
}

// Households are the same when their village, group and head of household are.
// What makes two entries one household: the village, the group without its spaces and in
// half-width forms (1组, 1 组 and １组 are one group; lists stored before names were cleaned
// count too) and the head's name.
std::string ListingKey(const std::string& village, const std::string& group, const std::string& head_name) {
  std::string same_group = HalfWidth(group);
  same_group.erase(std::remove(same_group.begin(), same_group.end(), ' '), same_group.end());
  return village + '\x1f' + same_group + '\x1f' + CleanName(head_name);
}

}  // namespace

Result<std::vector<SurveyHousehold>> LoadSurveyHouseholds(SurveyStore& store, SurveyQuery query) {
  std::vector<SurveyHousehold> out;
  query.after_id = 0;
  query.limit = kPage;
  while (true) {
    auto page = store.ListHouseholds(query);
    if (!page.ok()) return page.status();
    for (SurveyHousehold& household : *page) out.push_back(std::move(household));
    if (static_cast<int>(page->size()) < kPage) return out;
    query.after_id = out.back().id;
  }
}

Status HouseholdSurvey::Enabled() const {
  if (campaign_.survey) return Status::Ok();
  return Status::FailedPrecondition("campaign " + campaign_.id + " has no household survey (survey in its file)", {});
}

Relations HouseholdSurvey::RelationsTo(const SurveyHousehold& household, const Actor& actor) const {
  Relations relations;
  relations.village = !actor.unit.empty() && household.village == actor.unit;
  return relations;
}

Result<NewSurveyHousehold> HouseholdSurvey::ValidateHousehold(NewSurveyHousehold input, Instant now,
                                                              const std::string& field_prefix) const {
  RECTIFY_RETURN_IF_ERROR(Enabled());
  const SurveySettings& survey = *campaign_.survey;
  const Unit* village = campaign_.FindUnit(input.village);
  if (village == nullptr)
    for (const Unit& unit : campaign_.units)
      if (unit.name == input.village) village = &unit;
  if (village == nullptr || village->kind != UnitKind::kVillage)
    return Status::InvalidArgument(field_prefix + "village", input.village.empty()
                                                                 ? "未填写所在村"
                                                                 : "“" + input.village + "”不是本次行动的村");
  input.village = village->id;
  struct TextField {
    std::string* text;
    const char* field;
    std::size_t max_characters;
  };
  for (const TextField f : {TextField{&input.head_name, "head_name", kMaxNameCharacters},
                            TextField{&input.group, "group", kMaxNameCharacters},
                            TextField{&input.note, "note", kMaxTextCharacters}}) {
    std::string* text = f.text;
    const char* field = f.field;
    RECTIFY_RETURN_IF_ERROR(CheckText(field_prefix + field, *text, f.max_characters));
    *text = f.max_characters == kMaxNameCharacters ? CleanName(*text) : CleanTitle(*text);
  }
  // ３组 and 3组 are one group: typed in an IME's full-width mode or not.
  input.group = HalfWidth(input.group);
  if (input.head_name.empty()) return EntryRefused(field_prefix + "head_name", "missing", "missing");
  RECTIFY_RETURN_IF_ERROR(
      ResolveChoice(survey.household_types, input.household_type, field_prefix + "household_type"));
  RECTIFY_RETURN_IF_ERROR(ResolveChoice(survey.priorities, input.priority, field_prefix + "priority"));
  input.personal.bank_account.clear();
  input.personal.health_condition.clear();
  const Status personal = ValidatePersonalData(input.personal, ShanghaiDate(now));
  if (!personal.ok()) {
    return Status::InvalidArgument(field_prefix + personal.field(), personal.message())
        .WithReason(personal.reason(), personal.params());
  }
  return input;
}

Result<SurveyImportPlan> HouseholdSurvey::PlanImport(SurveyImportPlan parsed, const Actor& actor) {
  RECTIFY_RETURN_IF_ERROR(Enabled());
  std::set<std::string> villages;
  for (const NewSurveyHousehold& household : parsed.households) villages.insert(household.village);
  std::set<std::string> listed;
  // One person is of one household: an ID number already on the lists of these villages (or
  // earlier in the file) names that household.
  std::map<std::string, std::string> listed_ids;  // ID number -> the head of its household
  for (const std::string& village : villages) {
    Relations relations;
    relations.village = village == actor.unit;
    if (!campaign_.permissions.MayDo("plan_survey", actor, relations))
      return Status::PermissionDenied(actor.name + " may not list the households of " + village);
    SurveyQuery query;
    query.village = village;
    auto stored = LoadSurveyHouseholds(store_, query);
    if (!stored.ok()) return stored.status();
    for (const SurveyHousehold& h : *stored) {
      listed.insert(ListingKey(h.village, h.group, h.head_name));
      if (!h.personal.id_number.empty()) listed_ids.emplace(h.personal.id_number, h.head_name);
    }
  }
  SurveyImportPlan plan;
  plan.errors = std::move(parsed.errors);
  std::map<std::string, int> in_file;
  for (std::size_t i = 0; i < parsed.households.size(); ++i) {
    NewSurveyHousehold& household = parsed.households[i];
    const int line = parsed.lines[i];
    const std::string key = ListingKey(household.village, household.group, household.head_name);
    if (listed.count(key)) {
      plan.already_listed.push_back(line);
      continue;
    }
    const auto [first, inserted] = in_file.emplace(key, line);
    if (!inserted) {
      plan.errors.push_back({line, "", "the same household as line " + std::to_string(first->second) +
                                         " (same village, group and head)",
                             "duplicate_household", {{"first_line", std::to_string(first->second)}}});
      continue;
    }
    const std::string& id_number = household.personal.id_number;
    if (!id_number.empty()) {
      const auto [holder, fresh] = listed_ids.emplace(id_number, household.head_name);
      if (!fresh) {
        plan.errors.push_back({line, "",
                               "the ID number is on the list already, with the household of " + holder->second,
                               "invalid_survey_entry",
                               {{"problem", "id_number_listed"}, {"head_name", holder->second}}});
        continue;
      }
    }
    plan.households.push_back(std::move(household));
    plan.lines.push_back(line);
  }
  std::stable_sort(plan.errors.begin(), plan.errors.end(),
                   [](const ImportError& a, const ImportError& b) { return a.line < b.line; });
  return plan;
}

Result<std::vector<SurveyHousehold>> HouseholdSurvey::Import(const SurveyImportPlan& plan, const Actor& actor,
                                                             Instant now) {
  RECTIFY_RETURN_IF_ERROR(Enabled());
  if (!plan.errors.empty())
    return Status::Unprocessable("body", std::to_string(plan.errors.size()) + " bad row(s): nothing was imported");
  std::vector<SurveyHousehold> households;
  std::vector<SurveyEvent> events;
  for (const NewSurveyHousehold& input : plan.households) {
    Relations relations;
    relations.village = input.village == actor.unit;
    if (!campaign_.permissions.MayDo("plan_survey", actor, relations))
      return Status::PermissionDenied(actor.name + " may not list the households of " + input.village);
    SurveyHousehold household;
    household.village = input.village;
    household.group = input.group;
    household.head_name = input.head_name;
    household.household_type = input.household_type;
    household.priority = input.priority;
    household.note = input.note;
    household.personal = input.personal;
    household.state = SurveyVisitWorkflow().Initial();
    household.added_at = now;
    household.added_by = actor.name;
    household.updated_at = now;
    SurveyEvent added;
    added.to = household.state;
    added.event = "add";
    added.actor = actor.name;
    added.at = now;
    added.note = "imported";
    households.push_back(std::move(household));
    events.push_back(std::move(added));
  }
  return store_.AddHouseholds(std::move(households), std::move(events));
}

Result<SurveyHouseholdView> HouseholdSurvey::AddHousehold(const NewSurveyHousehold& input, const Actor& actor,
                                                          Instant now) {
  auto valid = ValidateHousehold(input, now);
  if (!valid.ok()) return valid.status();
  SurveyImportPlan one;
  one.households.push_back(*valid);
  one.lines.push_back(1);
  auto plan = PlanImport(std::move(one), actor);
  if (!plan.ok()) return plan.status();
  // One household has no other error than its ID number listed with another.
  if (!plan->errors.empty()) {
    const ImportError& refused = plan->errors.front();
    std::map<std::string, std::string> params(refused.params.begin(), refused.params.end());
    params.erase("problem");
    return EntryRefused("id_number", "id_number_listed", refused.message, std::move(params));
  }
  if (!plan->already_listed.empty() || plan->households.empty())
    return EntryRefused("head_name", "already_listed",
                        "the household is on the list already (the same village, group and head of household)");
  auto stored = Import(*plan, actor, now);
  if (!stored.ok()) return stored.status();
  // Found on the way, not on the list: the one difference from an imported household.
  SurveyHousehold household = std::move(stored->front());
  household.found_on_the_way = true;
  SurveyEvent found;
  found.household_id = household.id;
  found.from = household.state;
  found.to = household.state;
  found.event = "found_on_the_way";
  found.actor = actor.name;
  found.at = now;
  auto updated = store_.Update(household, std::nullopt, found);
  if (!updated.ok()) return updated.status();
  return View(std::move(updated.value()), actor);
}

Result<SurveyHousehold> HouseholdSurvey::Visible(std::int64_t id, const Actor& actor) {
  RECTIFY_RETURN_IF_ERROR(Enabled());
  auto household = store_.GetHousehold(id);
  if (!household.ok()) return household.status();
  if (!campaign_.permissions.CanSee(actor, RelationsTo(*household, actor)))
    return Status::NotFound(Subject(id) + " not found");
  return household;
}

Result<SurveyHouseholdView> HouseholdSurvey::View(SurveyHousehold household, const Actor& actor) const {
  const Relations relations = RelationsTo(household, actor);
  const Authority who{actor, relations, campaign_.permissions};
  const VisitWorkflow& workflow = SurveyVisitWorkflow();
  auto allowed = workflow.PermittedEvents(household.state, who);
  if (!allowed.ok()) return allowed.status();
  SurveyHouseholdView view;
  view.personal_data_visible = campaign_.permissions.MayDo("view_personal_data", actor, relations);
  view.may_open_enrollment = workflow.IsVisited(household.state) && household.visit && household.visit->risk_found &&
                             !household.enrollment_id &&
                             campaign_.permissions.MayDo("create_enrollment", actor, relations);
  view.allowed_events = std::move(allowed.value());
  view.household = std::move(household);
  return view;
}

Result<SurveyHouseholdView> HouseholdSurvey::Get(std::int64_t id, const Actor& actor) {
  auto household = Visible(id, actor);
  if (!household.ok()) return household.status();
  return View(std::move(household.value()), actor);
}

Result<std::optional<std::string>> HouseholdSurvey::OwnVillageOnly(const std::optional<std::string>& asked,
                                                                  const Actor& actor) const {
  if (campaign_.permissions.SeesAll(actor)) return std::optional<std::string>();
  Relations own;
  own.village = true;
  if (actor.unit.empty() || !campaign_.permissions.CanSee(actor, own))
    return Status::PermissionDenied(actor.name + " may not read the survey");
  if (asked && *asked != actor.unit)
    return Status::PermissionDenied(actor.name + " sees only the households of " + actor.unit);
  return std::optional<std::string>(actor.unit);
}

Result<std::vector<SurveyHouseholdView>> HouseholdSurvey::List(SurveyQuery query, const Actor& actor) {
  RECTIFY_RETURN_IF_ERROR(Enabled());
  // A value the campaign does not know is a typo, not "none of them".
  if (query.village && campaign_.FindVillage(*query.village) == nullptr)
    return Status::InvalidArgument("village", "unknown village \"" + *query.village + "\"");
  const std::vector<std::string> states = SurveyVisitWorkflow().States();
  for (const std::string& state : query.states)
    if (std::find(states.begin(), states.end(), state) == states.end())
      return Status::InvalidArgument("state", "unknown state \"" + state + "\"");
  auto own = OwnVillageOnly(query.village, actor);
  if (!own.ok()) return own.status();
  if (*own) query.village = *own;
  auto households = store_.ListHouseholds(query);
  if (!households.ok()) return households.status();
  std::vector<SurveyHouseholdView> views;
  for (SurveyHousehold& household : *households) {
    auto view = View(std::move(household), actor);
    if (!view.ok()) return view.status();
    views.push_back(std::move(view.value()));
  }
  return views;
}

Result<std::vector<SurveyEvent>> HouseholdSurvey::History(std::int64_t id, const Actor& actor) {
  RECTIFY_RETURN_IF_ERROR(Visible(id, actor).status());
  return store_.History(id);
}

Status HouseholdSurvey::Precheck(const SurveyHousehold& household, const std::string& event, const Actor& actor,
                                 std::optional<std::int64_t> expected_version) const {
  if (expected_version && *expected_version != household.version)
    return Status::Aborted(Subject(household.id) + " is at version " + std::to_string(household.version) + ", not " +
                           std::to_string(*expected_version) + ": re-read it and try again");
  const VisitWorkflow& workflow = SurveyVisitWorkflow();
  const std::vector<std::string> known = workflow.Events();
  if (std::find(known.begin(), known.end(), event) == known.end())
    return Status::InvalidArgument("event", "unknown event \"" + event + "\"; the visit workflow knows: " + JoinNames(known));
  const Authority who{actor, RelationsTo(household, actor), campaign_.permissions};
  auto permitted = workflow.PermittedEvents(household.state, who);
  if (!permitted.ok()) return permitted.status();
  const std::vector<std::string> from = workflow.StatesAllowing(event);
  // One who may fire the event in no state is refused as such (403), not told about the state.
  bool may_ever = false;
  for (const std::string& state : from) {
    auto there = workflow.PermittedEvents(state, who);
    if (there.ok() && std::find(there->begin(), there->end(), event) != there->end()) may_ever = true;
  }
  if (!may_ever)
    return Status::PermissionDenied(actor.name + " may not \"" + event + "\" " + Subject(household.id) +
                                        "; this user may: " + (permitted->empty() ? "nothing" : JoinNames(*permitted)),
                                    *permitted);
  if (std::find(from.begin(), from.end(), household.state) == from.end())
    return Status::FailedPrecondition("\"" + event + "\" is not allowed in state " + household.state +
                                          "; allowed: " + JoinNames(*permitted),
                                      *permitted);
  if (std::find(permitted->begin(), permitted->end(), event) == permitted->end())
    return Status::PermissionDenied(actor.name + " may not \"" + event + "\" " + Subject(household.id) +
                                        " in state " + household.state + "; this user may: " +
                                        (permitted->empty() ? "nothing" : JoinNames(*permitted)),
                                    *permitted);
  return Status::Ok();
}

Result<SurveyHouseholdView> HouseholdSurvey::Fire(SurveyHousehold household, const EventInput& input,
                                                  const std::optional<SurveyVisit>& visit, const std::string& note,
                                                  const Actor& actor, Instant now) {
  const Authority who{actor, RelationsTo(household, actor), campaign_.permissions};
  auto fired = SurveyVisitWorkflow().Fire(household.state, input, who);
  if (!fired.ok()) return fired.status();
  switch (fired->outcome) {
    case FireOutcome::kDone:
      break;
    case FireOutcome::kRejectedByGuard:
      return Status::Unprocessable(fired->field, fired->message);
    case FireOutcome::kDenied:
      return Status::PermissionDenied(actor.name + " may not \"" + input.name + "\" " + Subject(household.id),
                                      fired->allowed);
    case FireOutcome::kUnknownEvent:
    case FireOutcome::kNotAllowedNow:
      return Status::FailedPrecondition("\"" + input.name + "\" is not allowed in state " + household.state,
                                        fired->allowed);
  }
  SurveyEvent event;
  event.household_id = household.id;
  event.from = household.state;
  event.to = fired->to.state;
  event.event = input.name;
  event.actor = actor.name;
  event.at = now;
  event.note = note;
  household.state = fired->to.state;
  household.updated_at = now;
  auto stored = store_.Update(household, visit, event);
  if (!stored.ok()) return stored.status();
  return View(std::move(stored.value()), actor);
}

Status HouseholdSurvey::CheckVisit(SurveyVisit& visit, Instant now) const {
  const SurveySettings& survey = *campaign_.survey;
  const CivilDate today = ShanghaiDate(now);
  if (!IsValidDate(visit.visited_on)) return EntryRefused("visited_on", "not_a_date", "not a real date");
  if (today < visit.visited_on) {
    return EntryRefused("visited_on", "after_today", "after today (" + FormatDate(today) + ")",
                        {{"date", FormatDate(visit.visited_on)}, {"today", FormatDate(today)}});
  }
  if (const std::optional<CivilDate> start = CampaignStart(campaign_); start && visit.visited_on < *start) {
    return EntryRefused("visited_on", "before_campaign", "before the campaign began (" + FormatDate(*start) + ")",
                        {{"date", FormatDate(visit.visited_on)}, {"start", FormatDate(*start)}});
  }
  // The sheet's 核查人员 line is signed by each: a handful of people, never a crowd.
  constexpr std::size_t kMaxTeam = 20;
  if (visit.team.size() > kMaxTeam)
    return EntryRefused("team", "team_too_large",
                        "at most " + std::to_string(kMaxTeam) + " people, not " + std::to_string(visit.team.size()),
                        {{"max", std::to_string(kMaxTeam)}, {"count", std::to_string(visit.team.size())}});
  std::set<std::string> names;
  for (std::size_t i = 0; i < visit.team.size(); ++i) {
    TeamMember& member = visit.team[i];
    const std::string path = "team[" + std::to_string(i) + "]";
    RECTIFY_RETURN_IF_ERROR(CheckText(path + ".name", member.name, kMaxNameCharacters));
    member.name = CleanName(member.name);  // 刘联村 and 刘\u200b联村 are one person
    if (member.name.empty()) return EntryRefused(path + ".name", "missing", "missing");
    RECTIFY_RETURN_IF_ERROR(ResolveChoice(survey.team_roles, member.role, path + ".role"));
    if (!names.insert(member.name).second) {
      return EntryRefused(path + ".name", "team_member_repeated",
                          "\"" + member.name + "\" twice: the team is of different people", {{"name", member.name}},
                          StatusCode::kUnprocessable);
    }
  }
  if (static_cast<int>(visit.team.size()) < survey.minimum_team)
    return EntryRefused("team", "team_too_small",
                        "at least " + std::to_string(survey.minimum_team) + " people, not " +
                            std::to_string(visit.team.size()),
                        {{"minimum", std::to_string(survey.minimum_team)}, {"count", std::to_string(visit.team.size())}},
                        StatusCode::kUnprocessable);
  if (visit.members < 1) return EntryRefused("members", "members_below_one", "at least 1");
  for (const auto& [value, field] : {std::pair{visit.income_last_year, "income_last_year"},
                                     std::pair{visit.income_this_year, "income_this_year"},
                                     std::pair{std::optional<int>(visit.rigid_spending), "rigid_spending"}})
    if (value && *value < 0) return EntryRefused(field, "negative_amount", "an amount is not negative");
  for (std::size_t i = 0; i < visit.spending_causes.size(); ++i)
    RECTIFY_RETURN_IF_ERROR(ResolveChoice(campaign_.risk_types, visit.spending_causes[i],
                                          "spending_causes[" + std::to_string(i) + "]"));
  for (const auto& [text, field] : {std::pair{&visit.assistance, "assistance"}, std::pair{&visit.findings, "findings"},
                                    std::pair{&visit.health_condition, "health_condition"}}) {
    RECTIFY_RETURN_IF_ERROR(CheckText(field, *text));
    *text = TrimSpace(*text);
  }
  RECTIFY_RETURN_IF_ERROR(ValidateHealthNote(visit.health_condition));
  if (!visit.risk_found) {
    for (const auto& [given, field] : {std::pair{!visit.risk_type.empty(), "risk_type"},
                                       std::pair{visit.risk_found_on.has_value(), "risk_found_on"},
                                       std::pair{!visit.category.empty(), "category"}})
      if (given) return EntryRefused(field, "given_without_risk", "given though the visit found no risk");
    return Status::Ok();
  }
  RECTIFY_RETURN_IF_ERROR(ResolveChoice(campaign_.risk_types, visit.risk_type, "risk_type"));
  if (!visit.risk_found_on) return EntryRefused("risk_found_on", "missing_with_risk", "needed when a risk was found");
  if (!IsValidDate(*visit.risk_found_on)) return EntryRefused("risk_found_on", "not_a_date", "not a real date");
  if (visit.visited_on < *visit.risk_found_on) {
    return EntryRefused("risk_found_on", "after_visit", "after the visit (" + FormatDate(visit.visited_on) + ")",
                        {{"date", FormatDate(*visit.risk_found_on)}, {"visited_on", FormatDate(visit.visited_on)}});
  }
  // As the enrollment request it may open checks it: a year without a holiday calendar could
  // never open one, and the household would be left stuck at a standing visit.
  RECTIFY_RETURN_IF_ERROR(CheckRiskFoundOn(campaign_, *visit.risk_found_on, now, "risk_found_on"));
  RECTIFY_RETURN_IF_ERROR(CheckFoundWhileUnderWay(campaign_, visit.risk_found_on, now, "risk_found_on"));
  RECTIFY_RETURN_IF_ERROR(
      ResolveChoice(campaign_.household_categories, visit.category, "category"));
  if (visit.findings.empty()) return EntryRefused("findings", "missing_with_risk", "needed when a risk was found");
  return Status::Ok();
}

Result<SurveyHouseholdView> HouseholdSurvey::RecordVisit(std::int64_t id, SurveyVisit visit, const Actor& actor,
                                                         std::optional<std::int64_t> expected_version, Instant now) {
  auto household = Visible(id, actor);
  if (!household.ok()) return household.status();
  RECTIFY_RETURN_IF_ERROR(Precheck(*household, "record", actor, expected_version));
  RECTIFY_RETURN_IF_ERROR(CheckVisit(visit, now));
  // A sheet that opened an enrollment request found a risk; one finding none cannot replace it
  // while that request stands: whether the household qualifies is the request's procedure to
  // decide (不符合条件的做好解释工作), and the coverage would count a request without a risk.
  if (!visit.risk_found && household->enrollment_id) {
    auto request = items_.Get(ItemKind::kEnrollment, *household->enrollment_id, Actor::System("survey"));
    if (!request.ok()) return request.status();
    if (IsProposed(request->item))
      return Status::FailedPrecondition(
          Subject(id) + " has enrollment request " + std::to_string(*household->enrollment_id) +
              ", opened for the risk its visit found: a sheet finding no risk stands only once that request "
              "is closed as not eligible (close_ineligible)",
          {});
  }
  visit.id = 0;
  visit.recorded_at = now;
  visit.recorded_by = actor.name;
  std::string note = "visited on " + FormatDate(visit.visited_on) + " by " + std::to_string(visit.team.size());
  note += visit.risk_found ? "; risk found: " + visit.risk_type + " since " + FormatDate(*visit.risk_found_on)
                           : "; no risk";
  EventInput input;
  input.name = "record";
  return Fire(std::move(household.value()), input, visit, note, actor, now);
}

Result<SurveyHouseholdView> HouseholdSurvey::Review(std::int64_t id, const EventInput& input, const Actor& actor,
                                                    std::optional<std::int64_t> expected_version, Instant now) {
  if (input.name == "record")
    return Status::InvalidArgument("event", "a visit is recorded with its sheet: POST it to .../visit");
  RECTIFY_RETURN_IF_ERROR(CheckText("reason", input.reason));
  RECTIFY_RETURN_IF_ERROR(CheckText("note", input.note));
  auto household = Visible(id, actor);
  if (!household.ok()) return household.status();
  RECTIFY_RETURN_IF_ERROR(Precheck(*household, input.name, actor, expected_version));
  RECTIFY_RETURN_IF_ERROR(CheckFieldsTaken(input, SurveyVisitWorkflow().FieldsOf(input.name)));
  // The history row keeps both: a send-back's reason, then what else the inspector wrote.
  std::string note = input.reason;
  if (!input.note.empty()) note += (note.empty() ? "" : "；") + input.note;
  return Fire(std::move(household.value()), input, std::nullopt, note, actor, now);
}

Result<OpenedEnrollment> HouseholdSurvey::OpenEnrollment(std::int64_t id, const Actor& actor, Instant now) {
  std::lock_guard<std::mutex> one_at_a_time(open_enrollment_);
  auto loaded = Visible(id, actor);
  if (!loaded.ok()) return loaded.status();
  SurveyHousehold household = std::move(loaded.value());
  // Who may not open one is told so (403) whatever the household's state, as the API's rule is.
  Relations village;
  village.village = household.village == actor.unit;
  RECTIFY_RETURN_IF_ERROR(items_.Require("create_enrollment", actor, village));
  if (household.enrollment_id)
    return Status::FailedPrecondition(Subject(id) + " has enrollment request " +
                                          std::to_string(*household.enrollment_id) + " already",
                                      {});
  if (!SurveyVisitWorkflow().IsVisited(household.state) || !household.visit || !household.visit->risk_found)
    return Status::FailedPrecondition(Subject(id) + " has no standing visit that found a risk", {});
  const SurveyVisit& visit = *household.visit;
  NewEnrollment input;
  input.household.head_name = household.head_name;
  input.household.village = household.village;
  input.household.category = visit.category;
  input.household.risk_type = visit.risk_type;
  input.household.risk_found_on = *visit.risk_found_on;
  input.household.clue_source = campaign_.survey->clue_source;
  input.household.members = visit.members;
  input.household.personal = household.personal;
  input.household.personal.health_condition = visit.health_condition;
  input.origin = "入户核查（编号" + std::to_string(id) + "）" + FormatDate(visit.visited_on) + "走访发现风险";
  auto enrollment = items_.CreateEnrollment(input, actor, now);
  if (!enrollment.ok()) return enrollment.status();

  household.enrollment_id = enrollment->item.id;
  household.updated_at = now;
  SurveyEvent event;
  event.household_id = id;
  event.from = household.state;
  event.to = household.state;
  event.event = "open_enrollment";
  event.actor = actor.name;
  event.at = now;
  event.note = "enrollment " + std::to_string(enrollment->item.id);
  // The request exists now: if this write fails, its first history line still names the household.
  auto stored = store_.Update(household, std::nullopt, event);
  if (!stored.ok()) return stored.status();
  auto view = View(std::move(stored.value()), actor);
  if (!view.ok()) return view.status();
  return OpenedEnrollment{std::move(view.value()), std::move(enrollment.value())};
}

Result<std::optional<SurveyHouseholdView>> HouseholdSurvey::HouseholdOfEnrollment(std::int64_t enrollment_id,
                                                                                   const Actor& actor) {
  RECTIFY_RETURN_IF_ERROR(Enabled());
  auto id = store_.HouseholdOfEnrollment(enrollment_id);
  if (!id.ok()) return id.status();
  if (!*id) return std::optional<SurveyHouseholdView>();
  auto view = Get(**id, actor);
  if (view.status().code() == StatusCode::kNotFound) return std::optional<SurveyHouseholdView>();
  if (!view.ok()) return view.status();
  return std::optional<SurveyHouseholdView>(std::move(view.value()));
}

Result<SurveyPhoto> HouseholdSurvey::AddPhoto(std::int64_t id, const StoredFile& file, std::string_view bytes,
                                              const Actor& actor, Instant now) {
  auto household = Visible(id, actor);
  if (!household.ok()) return household.status();
  if (!campaign_.permissions.MayDo("record_visit", actor, RelationsTo(*household, actor)))
    return Status::PermissionDenied(actor.name + " may not record visits of " + household->village);
  if (!household->visit)
    return Status::FailedPrecondition("record the visit first: the photo of the signed sheet goes with it", {});
  SurveyPhoto photo;
  photo.household_id = id;
  photo.visit_id = household->visit->id;
  photo.file = file;
  photo.uploaded_at = now;
  photo.uploaded_by = actor.name;
  return store_.AddPhoto(std::move(photo), bytes);
}

Result<std::vector<SurveyPhoto>> HouseholdSurvey::Photos(std::int64_t id, const Actor& actor) {
  RECTIFY_RETURN_IF_ERROR(Visible(id, actor).status());
  return store_.ListPhotos(id);
}

Result<std::pair<SurveyPhoto, std::string>> HouseholdSurvey::PhotoBytes(std::int64_t id, const std::string& sha256,
                                                                        const Actor& actor) {
  auto household = Visible(id, actor);
  if (!household.ok()) return household.status();
  auto photos = store_.ListPhotos(id);
  if (!photos.ok()) return photos.status();
  const auto photo = std::find_if(photos->begin(), photos->end(),
                                  [&](const SurveyPhoto& p) { return p.file.sha256 == sha256; });
  if (photo == photos->end()) return Status::NotFound("no photo " + sha256 + " of " + Subject(id));
  // The signed sheet shows the ID number, phone and health note in full, which the API and the
  // forms mask for everyone without view_personal_data: the photo may not get around that.
  if (!campaign_.permissions.MayDo("view_personal_data", actor, RelationsTo(*household, actor)))
    return Status::PermissionDenied(
        actor.name + " may not see the signed sheet of " + Subject(id) +
            ": it shows personal data in full, which needs view_personal_data")
        .WithReason("personal_data_hidden", {});
  auto bytes = store_.ReadPhotoBytes(sha256);
  if (!bytes.ok()) return bytes.status();
  // Like an export of the sheet, each read of it is on the record.
  RECTIFY_RETURN_IF_ERROR(
      store_.AppendAudit(MakeAuditRecord(actor.name, kAuditSurveyPhotoRead, Subject(id),
                                         CampaignDetail(campaign_, "sha256 " + sha256))));
  return std::pair<SurveyPhoto, std::string>(*photo, std::move(bytes.value()));
}

Result<SurveyCoverage> HouseholdSurvey::Coverage(const Actor& actor, Instant as_of) {
  RECTIFY_RETURN_IF_ERROR(Enabled());
  auto own = OwnVillageOnly(std::nullopt, actor);
  if (!own.ok()) return own.status();
  SurveyQuery query;
  query.village = *own;
  auto households = LoadSurveyHouseholds(store_, query);
  if (!households.ok()) return households.status();
  std::vector<ItemRecord> enrollments;
  for (const SurveyHousehold& household : *households) {
    if (!household.enrollment_id) continue;
    auto item = items_.Get(ItemKind::kEnrollment, *household.enrollment_id, actor);
    if (item.status().code() == StatusCode::kNotFound) continue;  // counted as opened, not as enrolled
    if (!item.ok()) return item.status();
    auto history = items_.History(ItemKind::kEnrollment, *household.enrollment_id, actor);
    if (!history.ok()) return history.status();
    enrollments.push_back({std::move(item->item), std::move(history.value())});
  }
  std::vector<std::string> villages;
  for (const Unit& unit : campaign_.units)
    if (unit.kind == UnitKind::kVillage && (!*own || unit.id == **own)) villages.push_back(unit.id);
  return BuildSurveyCoverage(campaign_, *households, enrollments, villages, as_of);
}

Result<HouseholdSurvey::Listed> HouseholdSurvey::ForForms(const std::optional<std::string>& village,
                                                          const Actor& actor) {
  RECTIFY_RETURN_IF_ERROR(Enabled());
  // A value the campaign does not know is a typo, not an empty form.
  if (village && campaign_.FindVillage(*village) == nullptr)
    return Status::InvalidArgument("village", "unknown village \"" + *village + "\"");
  auto own = OwnVillageOnly(village, actor);
  if (!own.ok()) return own.status();
  SurveyQuery query;
  query.village = *own ? *own : village;
  auto households = LoadSurveyHouseholds(store_, query);
  if (!households.ok()) return households.status();
  Listed listed;
  listed.village = query.village;
  const bool full = std::all_of(households->begin(), households->end(), [&](const SurveyHousehold& h) {
    return campaign_.permissions.MayDo("view_personal_data", actor, RelationsTo(h, actor));
  });
  listed.disclosure = full ? Disclosure::kFull : Disclosure::kMasked;
  listed.households = std::move(households.value());
  return listed;
}

Status HouseholdSurvey::RecordExport(const Actor& actor, const std::string& subject, const std::string& detail) {
  return store_.AppendAudit(MakeAuditRecord(actor.name, "export", subject, CampaignDetail(campaign_, detail)));
}

}  // namespace rectify
