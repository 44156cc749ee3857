#include "engine/item_service.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "engine/date_rules.h"
#include "engine/item_facts.h"
#include "engine/deadlines.h"
#include "engine/text.h"

namespace rectify {
namespace {

constexpr const char* kFingerprintKey = "deadline_fingerprint";

constexpr int kRecomputeBatch = 1000;

// The history line of a transition: what the actor wrote, and what the event decided.
std::string HistoryNote(const EventInput& input, const Item& before, const TransitionEffects& effects) {
  std::string note;
  auto add = [&note](const std::string& part) {
    if (!part.empty()) note += (note.empty() ? "" : "; ") + part;
  };
  if (effects.unit) add((before.unit.empty() ? std::string("unit: ") : "unit: " + before.unit + " -> ") + *effects.unit);
  add(input.reason.empty() ? std::string() : "reason: " + input.reason);
  if (effects.outcome) {
    if (effects.outcome->entered_on) add("entered national system on " + FormatDate(*effects.outcome->entered_on));
    if (!effects.outcome->explanation.empty()) add("explanation: " + effects.outcome->explanation);
  }
  add(input.note);
  return note;
}

}  // namespace

Status CheckNotCarriedOut(const Item& item) {
  if (item.carried_to.empty()) return Status::Ok();
  return Status::FailedPrecondition(std::string(ItemKindName(item.kind)) + " " + std::to_string(item.id) +
                                        " was carried over (回头看) into campaign " + item.carried_to + " as problem " +
                                        std::to_string(item.carried_to_id) + ": it goes on there",
                                    {})
      .WithReason("carried_over", {{"campaign", item.carried_to}, {"id", std::to_string(item.carried_to_id)}});
}

Status ItemService::StartClock(Item& item, std::optional<Instant> deadline, Instant now) const {
  item.created_at = now;
  item.updated_at = now;
  item.state_since = now;
  item.deadline = deadline;
  RECTIFY_RETURN_IF_ERROR(ApplyDefaultDeadline(campaign_, item));
  return ApplyCurrentDue(campaign_, item);
}

Result<Item> ItemService::ValidateProblem(const NewProblem& input, Instant now, const std::string& field_prefix,
                                         const Actor& actor) const {
  RECTIFY_RETURN_IF_ERROR(CheckText(field_prefix + "title", input.title));
  RECTIFY_RETURN_IF_ERROR(CheckText(field_prefix + "measures", input.measures));
  const std::string title = CleanTitle(input.title);
  if (title.empty()) return Status::InvalidArgument(field_prefix + "title", "a problem description is required");
  if (campaign_.FindArea(input.area) == nullptr)
    return Status::InvalidArgument(field_prefix + "area", "no area " + std::to_string(input.area) + " in campaign " +
                                                              campaign_.id + " (1.." +
                                                              std::to_string(campaign_.areas.size()) + ")");
  if (campaign_.FindSource(input.source) == nullptr)
    return Status::InvalidArgument(field_prefix + "source", "unknown problem source \"" + input.source + "\"");
  if (!input.unit.empty() && campaign_.FindUnit(input.unit) == nullptr)
    return Status::InvalidArgument(field_prefix + "unit", "unknown unit \"" + input.unit + "\"");
  for (std::size_t i = 0; i < input.cooperating_units.size(); ++i) {
    const std::string& unit = input.cooperating_units[i];
    const std::string field = field_prefix + "cooperating_units[" + std::to_string(i) + "]";
    if (campaign_.FindUnit(unit) == nullptr) return Status::InvalidArgument(field, "unknown unit \"" + unit + "\"");
    if (unit == input.unit)
      return Status::InvalidArgument(field, "\"" + unit + "\" is the responsible unit, not a cooperating one");
  }
  if (input.deadline) RECTIFY_RETURN_IF_ERROR(CheckDeadline(campaign_, *input.deadline, field_prefix + "deadline"));
  if (input.found_on) RECTIFY_RETURN_IF_ERROR(CheckFoundOn(campaign_, *input.found_on, now, field_prefix + "found_on"));
  RECTIFY_RETURN_IF_ERROR(CheckFoundWhileUnderWay(campaign_, input.found_on, now, field_prefix + "found_on"));
  RECTIFY_RETURN_IF_ERROR(CheckDeadlineGivenAfterEnd(campaign_, input.deadline, now, field_prefix + "deadline"));
  if (input.deadline && input.found_on)
    RECTIFY_RETURN_IF_ERROR(
        CheckDeadlineNotBefore(*input.deadline, *input.found_on, "the problem was found", "found_on",
                               field_prefix + "deadline"));

  Item item;
  item.kind = ItemKind::kProblem;
  item.found_on = input.found_on;
  item.state = ProblemWorkflow().Initial();
  item.title = title;
  item.area = input.area;
  item.source = input.source;
  item.cooperating_units = input.cooperating_units;
  std::sort(item.cooperating_units.begin(), item.cooperating_units.end());
  item.cooperating_units.erase(std::unique(item.cooperating_units.begin(), item.cooperating_units.end()),
                               item.cooperating_units.end());
  item.measures = input.measures;
  if (!input.unit.empty())
    RECTIFY_RETURN_IF_ERROR(AssignOnCreation(item, input.unit, actor, field_prefix + "unit", now));
  RECTIFY_RETURN_IF_ERROR(StartClock(item, input.deadline, now));
  return item;
}

Status ItemService::AssignOnCreation(Item& item, const std::string& unit, const Actor& actor,
                                     const std::string& field, Instant now) const {
  EventInput assign;
  assign.name = "assign";
  assign.unit = unit;
  const Workflow& workflow = WorkflowFor(item.kind);
  auto fired = workflow.Fire(item.state, PendingOf(item), assign,
                             Authority{actor, RelationsOf(item, actor.unit), campaign_.permissions});
  if (!fired.ok()) return fired.status();
  switch (fired->outcome) {
    case FireOutcome::kDone:
      break;
    case FireOutcome::kDenied:
      return Status::PermissionDenied(actor.name + " may not assign a new " + ItemKindName(item.kind) + " to a unit");
    case FireOutcome::kRejectedByGuard:
      return Status::InvalidArgument(field, fired->message);
    case FireOutcome::kUnknownEvent:
    case FireOutcome::kNotAllowedNow:
      return Status::Internal(std::string("the ") + ItemKindName(item.kind) + " workflow cannot assign a new item");
  }
  if (fired->effects.unit) item.unit = *fired->effects.unit;
  if (fired->effects.sign_for_requested) item.sign_for = SignForRequest{item.unit, now};
  item.state = fired->to;
  return Status::Ok();
}

Status ItemService::Require(std::string_view action, const Actor& actor, const Relations& relations) const {
  if (campaign_.permissions.MayDo(action, actor, relations)) return Status::Ok();
  return Status::PermissionDenied(actor.name + " may not " + std::string(action) + " here");
}

namespace {

// Keys are the sender's, in one campaign: the same key from two people names two requests, and
// so does one key sent to two campaigns (a script that numbers its keys afresh each year must
// make this year's items, not be answered with last year's).
std::string ScopedRequestKey(const std::string& campaign, const Actor& actor, const std::string& key) {
  return key.empty() ? std::string() : campaign + "/" + actor.name + ":" + key;
}

}  // namespace

ItemQuery ItemService::MadeByRequest(ItemKind kind, const std::string& scoped_key) {
  ItemQuery made;
  made.kind = kind;
  // Of every campaign: a carried item keeps the key of the request that made it.
  made.request_key = scoped_key;
  made.limit = 1;
  return made;
}

Result<std::optional<Item>> ItemService::EarlierRequest(ItemKind kind, const std::string& scoped_key) {
  auto found = store_.List(MadeByRequest(kind, scoped_key));
  if (!found.ok()) return found.status();
  if (found->empty()) return std::optional<Item>();
  return std::optional<Item>(std::move(found->front()));
}

namespace {

// A key sent again with another request (a script that reuses its key) is no retry: answering
// with the first request's item would quietly lose the second. What a creation fixed and nothing
// changes later tells them apart.
Status KeyReusedFor(const Item& earlier, bool same_request) {
  if (same_request) return Status::Ok();
  return Status::InvalidArgument("Idempotency-Key", "this key made " + std::string(ItemKindName(earlier.kind)) + " " +
                                                        std::to_string(earlier.id) +
                                                        ", a different request: send a new request with a new key");
}

}  // namespace

Result<ItemView> ItemService::Repeated(Item earlier, const Actor& actor) {
  auto view = View(std::move(earlier), actor);
  if (view.ok()) view->repeated = true;
  return view;
}

Result<ItemView> ItemService::CreateProblem(const NewProblem& input, const Actor& actor, Instant now) {
  const std::string key = ScopedRequestKey(campaign_.id, actor, input.request_key);
  if (!key.empty()) {
    // Before the checks: what was valid when first sent is not refused when sent again.
    auto earlier = EarlierRequest(ItemKind::kProblem, key);
    if (!earlier.ok()) return earlier.status();
    if (*earlier) {
      const Item& made = **earlier;
      RECTIFY_RETURN_IF_ERROR(KeyReusedFor(made, made.title == CleanTitle(input.title) && made.area == input.area &&
                                                     made.source == input.source));
      return Repeated(std::move(**earlier), actor);
    }
  }
  auto prepared = PrepareProblems({input}, actor, now);
  if (!prepared.ok()) {
    const Status& s = prepared.status();
    // A single problem's fields are named without the batch index.
    if (s.code() == StatusCode::kInvalidArgument && s.field().rfind("[0].", 0) == 0)
      return Status::InvalidArgument(s.field().substr(4), s.message()).WithReason(s.reason(), s.params());
    return s;
  }
  auto& [items, events] = *prepared;
  if (key.empty()) {
    auto stored = store_.Insert(std::move(items), std::move(events));
    if (!stored.ok()) return stored.status();
    return View(std::move(stored.value().front()), actor);
  }
  // The same key sent twice at once: the store writes one, and the other finds it.
  items.front().request_key = key;
  auto stored = store_.InsertUnless(std::move(items.front()), std::move(events.front()),
                                    MadeByRequest(ItemKind::kProblem, key));
  if (!stored.ok()) return stored.status();
  if (stored->blocking) return Repeated(std::move(*stored->blocking), actor);
  return View(std::move(*stored->written), actor);
}

Result<std::vector<Item>> ItemService::CreateProblems(const std::vector<NewProblem>& inputs, const Actor& actor,
                                                      Instant now) {
  auto prepared = PrepareProblems(inputs, actor, now);
  if (!prepared.ok()) return prepared.status();
  return store_.Insert(std::move(prepared->first), std::move(prepared->second));
}

Result<std::pair<std::vector<Item>, std::vector<EventRecord>>> ItemService::PrepareProblems(
    const std::vector<NewProblem>& inputs, const Actor& actor, Instant now) {
  // The office records any problem; a unit granted create_problem on its own items (the plan's
  // 附件1: each unit writes up the problems it finds) records those it leads, and takes each on as
  // it records it: the assignment is part of the record, not an assign the unit could fire, and
  // there is nothing for the unit to sign for.
  const bool records_any = campaign_.permissions.MayDo("create_problem", actor);
  Relations own_unit;
  own_unit.lead = !actor.unit.empty();
  if (!records_any && !campaign_.permissions.MayDo("create_problem", actor, own_unit))
    return Status::PermissionDenied(actor.name + " may not create_problem here");
  std::vector<Item> items;
  std::vector<EventRecord> events;
  items.reserve(inputs.size());
  events.reserve(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::string prefix = "[" + std::to_string(i) + "].";
    if (!records_any && inputs[i].unit.empty())
      return Status::InvalidArgument(prefix + "unit", "a unit records the problems it leads: give its own unit \"" +
                                                        actor.unit + "\"");
    if (!records_any && inputs[i].unit != actor.unit)
      return Status::PermissionDenied(actor.name + " may record problems of their own unit (\"" + actor.unit +
                                      "\") only, not of \"" + inputs[i].unit + "\"");
    auto item = ValidateProblem(inputs[i], now, prefix, records_any ? actor : Actor::System(actor.name));
    if (!item.ok()) return item.status();
    if (!records_any) {
      item->sign_for.reset();
      // A unit's own date may bring its problem forward, never past the campaign's rule: a later
      // one is an extension, which the office approves (a unit could otherwise record its problems
      // due in years and never be late).
      if (inputs[i].deadline) {
        Item by_rule = *item;
        RECTIFY_RETURN_IF_ERROR(StartClock(by_rule, std::nullopt, now));
        if (by_rule.deadline && *inputs[i].deadline > *by_rule.deadline) {
          const DeadlineRule* rule = campaign_.FindDeadline(by_rule.deadline_rule);
          return Status::InvalidArgument(prefix + "deadline",
                                         "a unit's own problem is due by " + FormatInstant(*by_rule.deadline) +
                                             " at the latest (" + (rule ? rule->name : by_rule.deadline_rule) +
                                             "); a later date is an extension the office approves")
              .WithReason("later_than_unit_rule", {{"deadline", FormatInstant(*inputs[i].deadline)},
                                                   {"latest", FormatInstant(*by_rule.deadline)},
                                                   {"rule", rule ? rule->name : by_rule.deadline_rule}});
        }
      }
      RECTIFY_RETURN_IF_ERROR(StartClock(*item, inputs[i].deadline, now));
    }
    EventRecord created;
    created.to = item->state.ToString();
    created.event = "create";
    created.actor = actor.name;
    created.at = now;
    created.note = item->unit.empty() ? std::string() : "unit: " + item->unit;
    RECTIFY_RETURN_IF_ERROR(DescribeHolder(*item, created, item->sign_for.has_value()));
    items.push_back(std::move(item.value()));
    events.push_back(std::move(created));
  }
  return std::make_pair(std::move(items), std::move(events));
}

Result<ItemView> ItemService::CreateEnrollment(const NewEnrollment& input, const Actor& actor, Instant now) {
  const std::string key = ScopedRequestKey(campaign_.id, actor, input.request_key);
  if (!key.empty()) {
    auto earlier = EarlierRequest(ItemKind::kEnrollment, key);
    if (!earlier.ok()) return earlier.status();
    if (*earlier) {
      const Item& made = **earlier;
      RECTIFY_RETURN_IF_ERROR(KeyReusedFor(
          made, made.household && made.household->head_name == CleanName(input.household.head_name)));
      return Repeated(std::move(**earlier), actor);
    }
  }
  Household household = input.household;
  RECTIFY_RETURN_IF_ERROR(CheckText("household", household.head_name, kMaxNameCharacters));
  household.head_name = CleanName(household.head_name);
  if (household.head_name.empty())
    return Status::InvalidArgument("household", "the head of household's name is required");
  if (campaign_.FindVillage(household.village) == nullptr)
    return Status::InvalidArgument("village", "\"" + household.village + "\" is not a village of campaign " +
                                                            campaign_.id);
  struct ChoiceField {
    std::string& value;
    const std::vector<Choice>& choices;
    const char* field;
  };
  for (ChoiceField f : {ChoiceField{household.category, campaign_.household_categories, "category"},
                        ChoiceField{household.risk_type, campaign_.risk_types, "risk_type"},
                        ChoiceField{household.clue_source, campaign_.clue_sources, "clue_source"}}) {
    const Choice* choice = FindChoice(f.choices, f.value);
    if (choice == nullptr) {
      std::vector<std::string> ids;
      for (const Choice& c : f.choices) ids.push_back(c.id);
      return Status::InvalidArgument(f.field, "\"" + f.value + "\" is not one of: " + JoinNames(ids));
    }
    f.value = choice->id;
  }
  RECTIFY_RETURN_IF_ERROR(CheckRiskFoundOn(campaign_, household.risk_found_on, now, "risk_found_on"));
  RECTIFY_RETURN_IF_ERROR(CheckFoundWhileUnderWay(campaign_, household.risk_found_on, now, "risk_found_on"));
  if (input.deadline) {
    RECTIFY_RETURN_IF_ERROR(CheckDeadline(campaign_, *input.deadline, "deadline"));
    RECTIFY_RETURN_IF_ERROR(
        CheckDeadlineNotBefore(*input.deadline, household.risk_found_on, "the risk appeared", "risk_found_on",
                               "deadline"));
  }
  if (household.members < 0 || household.members > 100)
    return Status::InvalidArgument("members", "must be between 1 and 100, or 0 while unknown");
  Relations relations;
  relations.village = household.village == actor.unit;
  RECTIFY_RETURN_IF_ERROR(Require("create_enrollment", actor, relations));
  RECTIFY_RETURN_IF_ERROR(ValidatePersonalData(household.personal, ShanghaiDate(now)));
  Item item;
  item.kind = ItemKind::kEnrollment;
  item.state = EnrollmentWorkflow().Initial();
  // 张三户: the household of 张三; a name typed as 张三户 already says so.
  constexpr std::string_view kHousehold = "户";
  const bool says_household = household.head_name.size() > kHousehold.size() &&
                              household.head_name.compare(household.head_name.size() - kHousehold.size(),
                                                          kHousehold.size(), kHousehold) == 0;
  item.title = says_household ? household.head_name : household.head_name + std::string(kHousehold);
  item.household = std::move(household);
  // As with a unit's own problem: a village's date may bring its request forward, never past the
  // campaign's limit (2 months from the risk): a later one is an extension the office approves.
  if (input.deadline && !campaign_.permissions.MayDo("create_enrollment", actor)) {
    Item by_rule = item;
    RECTIFY_RETURN_IF_ERROR(StartClock(by_rule, std::nullopt, now));
    if (by_rule.deadline && *input.deadline > *by_rule.deadline) {
      const DeadlineRule* rule = campaign_.FindDeadline(by_rule.deadline_rule);
      return Status::InvalidArgument("deadline", "a village's request is due by " + FormatInstant(*by_rule.deadline) +
                                                     " at the latest (" + (rule ? rule->name : by_rule.deadline_rule) +
                                                     "); a later date is an extension the office approves")
          .WithReason("later_than_unit_rule", {{"deadline", FormatInstant(*input.deadline)},
                                               {"latest", FormatInstant(*by_rule.deadline)},
                                               {"rule", rule ? rule->name : by_rule.deadline_rule}});
    }
  }
  RECTIFY_RETURN_IF_ERROR(StartClock(item, input.deadline, now));

  EventRecord created;
  created.to = item.state.ToString();
  created.event = "create";
  created.actor = actor.name;
  created.at = now;
  created.note = input.origin;
  RECTIFY_RETURN_IF_ERROR(DescribeHolder(item, created, false));
  item.request_key = key;
  if (item.household->personal.id_number.empty() && key.empty()) {
    auto stored = store_.Insert({std::move(item)}, {std::move(created)});
    if (!stored.ok()) return stored.status();
    return View(std::move(stored.value().front()), actor);
  }
  // One household has one open request; without an ID number, one request makes one item. (With
  // both, the same key sent twice at once finds the request open under its ID number: 422.)
  const bool by_household = !item.household->personal.id_number.empty();
  const ItemQuery blocker = by_household ? OpenRequestsOf(item.household->personal.id_number)
                                         : MadeByRequest(ItemKind::kEnrollment, key);
  auto stored = store_.InsertUnless(std::move(item), std::move(created), blocker);
  if (!stored.ok()) return stored.status();
  if (stored->blocking) {
    if (!key.empty() && stored->blocking->request_key == key) return Repeated(std::move(*stored->blocking), actor);
    return AlreadyOpen(*stored->blocking);
  }
  return View(std::move(*stored->written), actor);
}

ItemQuery ItemService::OpenRequestsOf(const std::string& id_number) {
  ItemQuery same_household;
  same_household.kind = ItemKind::kEnrollment;
  same_household.id_number = id_number;
  same_household.open_only = true;  // of every campaign: no campaign filter
  return same_household;
}

Status ItemService::AlreadyOpen(const Item& open) const {
  return Status::Unprocessable(
      "id_number", "this household already has an open enrollment request (" + std::to_string(open.id) +
                       (open.campaign == campaign_.id ? "" : ", campaign " + open.campaign) +
                       "): record the new facts on it, or close it first");
}

Result<Item> ItemService::Visible(ItemKind kind, std::int64_t id, const Actor& actor) {
  auto item = store_.Get(kind, id);
  if (!item.ok()) return item.status();
  if (!campaign_.permissions.CanSee(actor, RelationsOf(*item, actor.unit)))
    return Status::NotFound(std::string(ItemKindName(kind)) + " " + std::to_string(id) + " not found");
  return item;
}

Result<ItemView> ItemService::Get(ItemKind kind, std::int64_t id, const Actor& actor) {
  auto item = Visible(kind, id, actor);
  if (!item.ok()) return item.status();
  return View(std::move(item.value()), actor);
}

Result<std::optional<std::string>> ItemService::OwnUnitOnly(const std::optional<std::string>& asked,
                                                           const Actor& actor) const {
  if (campaign_.permissions.SeesAll(actor)) return std::optional<std::string>();
  // Without a unit, or without a grant for its own unit's items, there is nothing to narrow to:
  // an empty unit would match the unassigned items.
  if (actor.unit.empty() || !campaign_.permissions.CanSee(actor, Relations{true, true, true}))
    return Status::PermissionDenied(actor.name + " may not read items");
  if (asked && *asked != actor.unit)
    return Status::PermissionDenied(actor.name + " sees only the items of unit " + actor.unit);
  return std::optional<std::string>(actor.unit);
}

Status ItemService::Narrow(ItemQuery& query, const Actor& actor) const {
  auto own = OwnUnitOnly(query.unit, actor);
  if (!own.ok()) return own.status();
  query.visible_to_unit = *own;
  if (query.order.ranks.empty() && query.order.key == ItemSortKey::kUnit) {
    query.order.ranks.push_back("");
    for (const Unit& unit : campaign_.units) query.order.ranks.push_back(unit.id);
  }
  if (query.order.ranks.empty() && query.order.key == ItemSortKey::kState)
    query.order.ranks = WorkflowFor(query.kind).States();
  return Status::Ok();
}

Result<std::vector<Item>> ItemService::List(ItemQuery query, const Actor& actor) {
  RECTIFY_RETURN_IF_ERROR(Narrow(query, actor));
  return store_.List(query);
}

Status ItemService::CheckUnitFilter(const std::optional<std::string>& unit) const {
  // An empty unit asks for the unassigned items.
  if (!unit || unit->empty() || campaign_.FindUnit(*unit) != nullptr) return Status::Ok();
  return Status::InvalidArgument("unit", "unknown unit \"" + *unit + "\"");
}

Status ItemService::CheckFilterValues(const ItemQuery& query) const {
  RECTIFY_RETURN_IF_ERROR(CheckUnitFilter(query.unit));
  if (query.village && campaign_.FindVillage(*query.village) == nullptr)
    return Status::InvalidArgument("village", "unknown village \"" + *query.village + "\"");
  if (query.area && (*query.area < 1 || *query.area > static_cast<int>(campaign_.areas.size())))
    return Status::InvalidArgument("area", "unknown area " + std::to_string(*query.area) + ": the campaign's are 1.." +
                                               std::to_string(campaign_.areas.size()));
  if (query.source) {
    std::vector<std::string> ids;
    for (const ProblemSource& source : campaign_.sources) ids.push_back(source.id);
    if (std::find(ids.begin(), ids.end(), *query.source) == ids.end())
      return Status::InvalidArgument("source", "unknown source \"" + *query.source + "\": one of " + JoinNames(ids));
  }
  // The machine's states ("rectifying") and steps ("working"), from its state paths.
  std::vector<std::string> states, steps;
  for (const std::string& path : WorkflowFor(query.kind).States()) {
    const StatePath parsed = StatePath::Parse(path);
    if (std::find(states.begin(), states.end(), parsed.state) == states.end()) states.push_back(parsed.state);
    if (!parsed.step.empty() && std::find(steps.begin(), steps.end(), parsed.step) == steps.end())
      steps.push_back(parsed.step);
  }
  if (query.state && std::find(states.begin(), states.end(), *query.state) == states.end())
    return Status::InvalidArgument("state", "unknown state \"" + *query.state + "\": one of " + JoinNames(states));
  if (query.step && std::find(steps.begin(), steps.end(), *query.step) == steps.end())
    return Status::InvalidArgument("step", "unknown step \"" + *query.step + "\": one of " + JoinNames(steps));
  return Status::Ok();
}

Result<ItemPage> ItemService::Page(ItemQuery query, const Actor& actor) {
  RECTIFY_RETURN_IF_ERROR(CheckFilterValues(query));
  RECTIFY_RETURN_IF_ERROR(Narrow(query, actor));
  ItemPage page;
  auto items = store_.List(query);
  if (!items.ok()) return items.status();
  page.items = std::move(items).value();
  auto total = store_.Count(query);
  if (!total.ok()) return total.status();
  page.total = *total;
  if (static_cast<int>(page.items.size()) == query.limit)
    page.next = ItemCursor{SortValue(page.items.back(), query.order), page.items.back().id};
  return page;
}

Result<std::vector<Item>> ItemService::Overdue(OverdueQuery query, const Actor& actor) {
  RECTIFY_RETURN_IF_ERROR(CheckUnitFilter(query.unit));
  auto own = OwnUnitOnly(query.unit, actor);
  if (!own.ok()) return own.status();
  // Overdue is the responsible unit's: a unit sees the items it leads.
  if (*own) query.unit = *own;
  return store_.Overdue(query);
}

Result<std::vector<EventRecord>> ItemService::History(ItemKind kind, std::int64_t id, const Actor& actor) {
  RECTIFY_RETURN_IF_ERROR(Visible(kind, id, actor).status());
  return store_.History(kind, id);
}

Status ItemService::ForEachVisible(ItemQuery query, const Actor& actor,
                                   const std::function<Status(const Item&)>& visit) {
  RECTIFY_RETURN_IF_ERROR(Narrow(query, actor));
  return ForEachItem(store_, std::move(query), visit);
}

namespace {

// How many items of each kind are in each state path, per responsible unit, from the store's
// figure groups (engine/figure_items.h); nullopt where they do not stand for the items at `as_of`.
using StateCounts = std::map<std::pair<ItemKind, std::string>, std::map<std::string, int>>;
Result<std::optional<StateCounts>> CountStatesFromGroups(ItemStore& store, Instant as_of) {
  StateCounts counts;
  for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
    FigureGroupsQuery query;
    query.kind = kind;
    query.as_of = as_of;
    auto stood = store.FigureGroups(query, [&](const FigureGroup& group) {
      counts[{kind, group.item.state.ToString()}][group.item.unit] += static_cast<int>(group.count);
    });
    if (!stood.ok()) return stood.status();
    if (!*stood) return std::optional<StateCounts>();
  }
  return std::optional<StateCounts>(std::move(counts));
}

}  // namespace

Result<std::vector<GateReport>> ItemService::Gates(Instant as_of, const Actor& actor, int first_page) {
  if (first_page < 1) return Status::InvalidArgument("limit", "must be at least 1");
  // Those who see every item count the gates from the figure groups (a few thousand where the
  // items may be a million); a unit member's share, and any as_of the groups cannot stand for,
  // is counted by the store.
  std::optional<StateCounts> grouped;
  if (campaign_.permissions.SeesAll(actor)) {
    auto counted = CountStatesFromGroups(store_, as_of);
    if (!counted.ok()) return counted.status();
    grouped = std::move(counted).value();
  }
  // The groups count every item; a passed gate only those recorded before it closed: the groups
  // stand for it while the newest item of its kind came before (ids grow with the recording).
  std::map<ItemKind, std::optional<Instant>> newest_recorded;
  for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
    ItemQuery newest;
    newest.kind = kind;
    newest.order.descending = true;
    newest.limit = 1;
    auto found = store_.List(newest);
    if (!found.ok()) return found.status();
    if (!found->empty()) newest_recorded[kind] = found->front().created_at;
  }
  std::vector<GateReport> reports;
  for (GateCheck& check : PhaseGates(campaign_, as_of)) {
    GateReport report;
    report.check = std::move(check);
    if (!report.check.behind.state_paths.empty()) {
      ItemQuery behind = report.check.behind;
      RECTIFY_RETURN_IF_ERROR(Narrow(behind, actor));
      Result<std::map<std::string, int>> counts = std::map<std::string, int>();
      const std::optional<Instant>& newest = newest_recorded[behind.kind];
      if (grouped && (!behind.recorded_before || !newest || *newest < *behind.recorded_before)) {
        for (const std::string& path : behind.state_paths)
          if (const auto found = grouped->find({behind.kind, path}); found != grouped->end())
            for (const auto& [unit, count] : found->second) (*counts)[unit] += count;
      } else {
        counts = store_.CountByUnit(behind);
      }
      if (!counts.ok()) return counts.status();
      for (const auto& [unit, count] : *counts) {
        report.behind_by_unit[unit.empty() ? campaign_.notifier.office : unit] += count;
        report.behind += count;
      }
      behind.limit = first_page;
      auto first = store_.List(behind);
      if (!first.ok()) return first.status();
      report.first_page = std::move(first).value();
    }
    reports.push_back(std::move(report));
  }
  return reports;
}

Result<std::vector<Item>> ItemService::GateItems(std::size_t gate, Instant as_of, const Actor& actor,
                                                 std::int64_t after_id, int limit) {
  std::vector<GateCheck> checks = PhaseGates(campaign_, as_of);
  if (gate >= checks.size())
    return Status::NotFound("phase gate " + std::to_string(gate) + " not found: the campaign has " +
                            std::to_string(checks.size()) + ", numbered from 0");
  if (checks[gate].behind.state_paths.empty()) return std::vector<Item>();
  ItemQuery behind = std::move(checks[gate].behind);
  behind.after_id = after_id;
  behind.limit = limit;
  return List(std::move(behind), actor);
}

bool ItemService::MaySeePersonalData(const Item& item, const Actor& actor) const {
  return campaign_.permissions.MayDo("view_personal_data", actor, RelationsOf(item, actor.unit));
}

Result<ItemView> ItemService::View(Item item, const Actor& actor) const {
  const Authority who{actor, RelationsOf(item, actor.unit), campaign_.permissions};
  auto allowed = WorkflowFor(item.kind).PermittedEvents(item.state, PendingOf(item), who);
  if (!allowed.ok()) return allowed.status();
  if (!item.carried_to.empty()) allowed->clear();  // it goes on in the later campaign
  const bool personal = MaySeePersonalData(item, actor);
  return ItemView{std::move(item), std::move(allowed.value()), personal};
}

Status ItemService::CheckEventInput(const Item& item, EventInput& input, Instant now) const {
  RECTIFY_RETURN_IF_ERROR(CheckText("note", input.note));
  RECTIFY_RETURN_IF_ERROR(CheckText("reason", input.reason));
  RECTIFY_RETURN_IF_ERROR(CheckText("explanation", input.explanation));
  if (input.deadline) RECTIFY_RETURN_IF_ERROR(CheckNewDeadline(campaign_, *input.deadline, now, "deadline"));
  if (input.name != "assign" && input.name != "reassign") return Status::Ok();
  // An enrollment request belongs to its household's village unless told otherwise.
  if (input.unit.empty() && item.household) input.unit = item.household->village;
  if (input.unit.empty()) return Status::Ok();  // the machine's guard names the missing field
  const Unit* unit = campaign_.FindUnit(input.unit);
  if (unit == nullptr) return Status::InvalidArgument("unit", "unknown unit \"" + input.unit + "\"");
  // The procedure's steps are a village's (入户核实, 民主评议, 村级公示): a request goes to a village.
  if (item.kind == ItemKind::kEnrollment && unit->kind != UnitKind::kVillage)
    return Status::Unprocessable("unit", "an enrollment request is handled by a village (入户核实, 民主评议, 村级公示); \"" +
                                             input.unit + "\" is not one");
  if (input.unit == item.unit)
    return Status::Unprocessable("unit", "\"" + input.unit + "\" is already the responsible unit");
  return Status::Ok();
}

Result<ItemView> ItemService::Fire(ItemKind kind, std::int64_t id, const EventInput& request, const Actor& actor,
                                   std::optional<std::int64_t> expected_version, Instant now) {
  // A caller that read no version did not ask "only if unchanged": a 409 about a version it never
  // saw would refuse a unit's note because the notifier recorded a tier at the same moment. The
  // store refused the stale write whole, so deciding again on the fresh item is safe.
  for (int attempt = 1;; ++attempt) {
    auto fired = FireOnce(kind, id, request, actor, expected_version, now);
    if (fired.ok() || expected_version || fired.status().code() != StatusCode::kAborted || attempt == kFireAttempts)
      return fired;
  }
}

Result<ItemView> ItemService::FireOnce(ItemKind kind, std::int64_t id, const EventInput& request, const Actor& actor,
                                       std::optional<std::int64_t> expected_version, Instant now) {
  auto loaded = Visible(kind, id, actor);
  if (!loaded.ok()) return loaded.status();
  Item item = std::move(loaded.value());
  RECTIFY_RETURN_IF_ERROR(CheckNotCarriedOut(item));
  if (expected_version && *expected_version != item.version)
    return Status::Aborted("item " + std::to_string(id) + " is at version " + std::to_string(item.version) +
                           ", not " + std::to_string(*expected_version) + ": re-read it and try again")
        .WithReason("stale_version", {{"current_version", std::to_string(item.version)}});

  // Whether the event may happen now is answered before who fires it and its payload are
  // looked at, so a refused event always names the allowed ones first. The lists name only
  // what this actor may fire.
  const Workflow& workflow = WorkflowFor(kind);
  const Authority who{actor, RelationsOf(item, actor.unit), campaign_.permissions};
  const Pending pending = PendingOf(item);
  auto structural = workflow.AllowedEvents(item.state, pending);
  if (!structural.ok()) return structural.status();
  auto permitted = workflow.PermittedEvents(item.state, pending, who);
  if (!permitted.ok()) return permitted.status();
  const std::vector<std::string> known = workflow.Events();
  if (std::find(known.begin(), known.end(), request.name) == known.end())
    return Status::InvalidArgument("event", "unknown event \"" + request.name + "\"; the " + ItemKindName(kind) +
                                                " workflow knows: " + JoinNames(known));
  RECTIFY_RETURN_IF_ERROR(CheckFieldsTaken(request, workflow.FieldsOf(request.name)));
  // Named both ways: what the state allows whoever fires it, and what of it this user may
  // (allowed_events in the answer), so that a refusal says where the item stands and whose move it is.
  if (std::find(structural->begin(), structural->end(), request.name) == structural->end())
    return Status::FailedPrecondition("\"" + request.name + "\" is not allowed in state " + item.state.ToString() +
                                          "; allowed in this state: " +
                                          (structural->empty() ? std::string("nothing") : JoinNames(*structural)) +
                                          "; this user may: " + (permitted->empty() ? "nothing" : JoinNames(*permitted)),
                                      *permitted);

  EventInput input = request;
  RECTIFY_RETURN_IF_ERROR(CheckEventInput(item, input, now));
  auto fired = workflow.Fire(item.state, pending, input, who);
  if (!fired.ok()) return fired.status();
  switch (fired->outcome) {
    case FireOutcome::kDone:
      break;
    case FireOutcome::kDenied:
      return Status::PermissionDenied(actor.name + " may not \"" + input.name + "\" " + ItemKindName(kind) + " " +
                                          std::to_string(id) + " in state " + item.state.ToString() +
                                          "; this user may: " + (fired->allowed.empty() ? "nothing" : JoinNames(fired->allowed)),
                                      fired->allowed);
    case FireOutcome::kRejectedByGuard:
      return Status::Unprocessable(fired->field, fired->message);
    case FireOutcome::kUnknownEvent:
    case FireOutcome::kNotAllowedNow:
      return Status::FailedPrecondition("\"" + input.name + "\" is not allowed in state " + item.state.ToString(),
                                        fired->allowed);
  }

  const TransitionEffects& effects = fired->effects;
  if (effects.outcome && effects.outcome->entered_on) {
    const std::optional<CivilDate> risk = item.household ? std::optional(item.household->risk_found_on) : std::nullopt;
    // The request stands where the county's decision put it (verified) since state_since.
    RECTIFY_RETURN_IF_ERROR(CheckEnteredOn(campaign_, *effects.outcome->entered_on, risk,
                                           ShanghaiDate(item.state_since), now, "entered_on"));
  }

  // A step that must last a minimum time (the public notice) cannot be left early.
  if (fired->to != item.state) {
    auto dwell = MinimumDwellFor(campaign_, item);
    if (!dwell.ok()) return dwell.status();
    if (*dwell && now < (*dwell)->until)
      return Status::Unprocessable("event", (*dwell)->name + ": \"" + input.name + "\" is possible from " +
                                                FormatInstant((*dwell)->until))
          .WithReason("minimum_dwell", {{"name", (*dwell)->name}, {"possible_from", FormatInstant((*dwell)->until)}});
  }

  EventRecord event;
  event.from = item.state.ToString();
  event.to = fired->to.ToString();
  event.event = input.name;
  event.actor = actor.name;
  event.at = now;
  event.note = HistoryNote(input, item, effects);
  // A closed request reopened must not become its household's second open one.
  const bool reopens_request = workflow.IsClosed(item.state) && !workflow.IsClosed(fired->to) && item.household &&
                               !item.household->personal.id_number.empty();
  RECTIFY_RETURN_IF_ERROR(ApplyEffects(item, event, fired->to, effects, input, actor, now));
  if (reopens_request) {
    auto stored = store_.UpdateUnless(item, event, OpenRequestsOf(item.household->personal.id_number));
    if (!stored.ok()) return stored.status();
    if (stored->blocking) return AlreadyOpen(*stored->blocking);
    return View(std::move(*stored->written), actor);
  }
  RECTIFY_RETURN_IF_ERROR(store_.Update(item, event));
  ++item.version;
  return View(std::move(item), actor);
}

Result<ItemService::Recomputed> ItemService::RecomputeDeadlines(
    const std::function<void(const Recomputed& so_far)>& progress) {
  const std::string fingerprint = DeadlineFingerprint(campaign_);
  auto stored = store_.GetMeta(kFingerprintKey);
  if (!stored.ok()) return stored.status();
  Recomputed out;
  if (*stored == fingerprint) return out;
  for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
    ItemQuery query;
    query.kind = kind;
    query.open_only = true;
    query.limit = kRecomputeBatch;
    const Status visited = ForEachItemPage(store_, query, [&](std::vector<Item>& page) -> Status {
      std::vector<Item> updates;
      for (Item& item : page) {
        if (auto error = StoredDataError(campaign_, item)) {
          out.data_errors.push_back(std::move(*error));
          continue;
        }
        const auto before = std::make_tuple(item.deadline, item.deadline_rule, item.due_at, item.due_rule);
        Status computed = ApplyDefaultDeadline(campaign_, item);
        if (computed.ok()) computed = ApplyCurrentDue(campaign_, item);
        if (!computed.ok()) {
          out.data_errors.push_back(DataErrorOf(item, computed));
          continue;
        }
        if (before != std::make_tuple(item.deadline, item.deadline_rule, item.due_at, item.due_rule))
          updates.push_back(item);
      }
      RECTIFY_RETURN_IF_ERROR(store_.UpdateDeadlines(updates));
      out.examined += static_cast<int>(page.size());
      out.changed += static_cast<int>(updates.size());
      if (progress) progress(out);
      return Status::Ok();
    });
    if (!visited.ok()) return visited;
  }
  RECTIFY_RETURN_IF_ERROR(store_.PutMeta(kFingerprintKey, fingerprint));
  return out;
}

}  // namespace rectify
