#include "web/json_codec.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <set>
#include <utility>

#include "engine/deadlines.h"
#include "engine/feasibility.h"
#include "engine/item_facts.h"
#include "engine/warning_tiers.h"
#include "web/report_json.h"

namespace rectify::web {
namespace {

constexpr int kMaxPageSize = 500;

json OptionalInstant(const std::optional<Instant>& instant) {
  return instant ? json(FormatInstant(*instant)) : json(nullptr);
}

Status ReadDeadline(const json& value, const std::string& path, Instant& out) {
  std::string text;
  RECTIFY_RETURN_IF_ERROR(ReadJsonString(value, path, text));
  const std::optional<Instant> deadline = ParseDeadline(text);
  if (deadline) out = *deadline;
  if (!deadline)
    return Status::InvalidArgument(path, "\"" + text + "\" is not a date (YYYY-MM-DD) or time (YYYY-MM-DDTHH:MM[:SS][+08:00])");
  return Status::Ok();
}

Status ReadInt64(const json& value, const std::string& path, std::int64_t& out) {
  if (!value.is_number_integer()) return Status::InvalidArgument(path, "expected an integer, found " + DescribeJson(value));
  // 2^63 and above would wrap to a negative number and be answered as if it were one.
  if (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
    return Status::InvalidArgument(path, "integer " + value.dump() + " is out of range");
  out = value.get<std::int64_t>();
  return Status::Ok();
}

Status ReadNonEmpty(const json& value, const std::string& path, std::string& out) {
  RECTIFY_RETURN_IF_ERROR(ReadJsonString(value, path, out));
  if (out.empty()) return Status::InvalidArgument(path, "must not be empty");
  return Status::Ok();
}

Result<std::int64_t> ParseInteger(const std::string& name, const std::string& text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return Status::InvalidArgument(name, "\"" + text + "\" is not an integer");
  return value;
}

Result<Instant> ParseInstantParam(const std::string& name, const std::string& text) {
  const auto instant = ParseInstant(text);
  if (!instant)
    return Status::InvalidArgument(name, "\"" + text + "\" is not an ISO time (YYYY-MM-DD[THH:MM[:SS][+08:00]])");
  return *instant;
}

// ?as_of=, or `now` when it is absent.
Result<Instant> AsOfParam(const QueryParams& params, Instant now) {
  if (auto text = params.Get("as_of")) return ParseInstantParam("as_of", *text);
  return now;
}

Status CheckKnownParams(const QueryParams& params, const std::set<std::string>& known) {
  std::set<std::string> seen;
  for (const std::string& name : params.Names()) {
    if (known.count(name) == 0) return Status::InvalidArgument(name, "unknown query parameter");
    // Only the first value would be read: ?state=closed&state=found must not quietly mean closed.
    if (!seen.insert(name).second)
      return Status::InvalidArgument(name, "given more than once: this route takes one value of it");
  }
  return Status::Ok();
}

Status ParseLimit(const QueryParams& params, int& limit) {
  if (auto text = params.Get("limit")) {
    auto value = ParseInteger("limit", *text);
    if (!value.ok()) return value.status();
    if (*value < 1 || *value > kMaxPageSize)
      return Status::InvalidArgument("limit", "must be between 1 and " + std::to_string(kMaxPageSize));
    limit = static_cast<int>(*value);
  }
  return Status::Ok();
}

}  // namespace

json ItemToJson(const Campaign& campaign, const Item& item, Instant now, Disclosure personal) {
  json out = {
      {"id", item.id},
      {"kind", ItemKindName(item.kind)},
      {"campaign", item.campaign.empty() ? json(campaign.id) : json(item.campaign)},
      {"carried_from", item.carried_from.empty() ? json(nullptr) : json(item.carried_from)},
      {"carried_from_id", item.carried_from_id == 0 ? json(nullptr) : json(item.carried_from_id)},
      {"carried_at", OptionalInstant(item.carried_at)},
      {"carried_to", item.carried_to.empty() ? json(nullptr) : json(item.carried_to)},
      {"carried_to_id", item.carried_to_id == 0 ? json(nullptr) : json(item.carried_to_id)},
      {"state", item.state.state},
      {"step", item.state.step.empty() ? json(nullptr) : json(item.state.step)},
      {"state_label", campaign.StateLabel(item.kind, item.state)},
      {"version", item.version},
      {"title", item.title},
      {"unit", item.unit.empty() ? json(nullptr) : json(item.unit)},
      {"cooperating_units", item.cooperating_units},
      {"measures", item.measures},
      {"deadline", OptionalInstant(item.deadline)},
      {"deadline_rule", item.deadline_rule.empty() ? json(nullptr) : json(item.deadline_rule)},
      {"due_at", OptionalInstant(item.due_at)},
      {"due_rule", item.due_rule.empty() ? json(nullptr) : json(item.due_rule)},
      {"overdue", item.due_at && *item.due_at < now},
      {"state_since", FormatInstant(item.state_since)},
      {"send_back_count", item.send_back_count},
      {"reopen_count", item.reopen_count},
      {"created_at", FormatInstant(item.created_at)},
      {"updated_at", FormatInstant(item.updated_at)},
  };
  if (const Unit* unit = campaign.FindUnit(item.unit)) out["unit_name"] = unit->name;
  const std::string tier = TierId(campaign, item, now);
  out["tier"] = tier.empty() ? json(nullptr) : json{{"id", tier}, {"name", TierName(campaign, tier)}};
  // Not computable (a day the calendar lacks): no answer rather than a wrong one.
  auto feasible = CheckFeasibility(campaign, item, now);
  out["feasibility"] = nullptr;
  if (feasible.ok() && *feasible) {
    const Feasibility& f = **feasible;
    out["feasibility"] = {{"earliest_finish", FormatDate(f.earliest_finish)},
                          {"typical_finish", FormatDate(f.typical_finish)},
                          {"in_time", f.in_time},
                          {"impossible_since", f.impossible_since ? json(FormatDate(*f.impossible_since)) : json(nullptr)}};
  }
  // The step's minimum time (the village notice's 5 days): when it ends, so the page can say so
  // before anyone tries to leave the step early. Not computable: none shown.
  auto dwell = MinimumDwellFor(campaign, item);
  out["minimum_dwell"] = dwell.ok() && *dwell ? json{{"name", (*dwell)->name}, {"until", FormatInstant((*dwell)->until)}}
                                              : json(nullptr);
  out["original_deadline"] = OptionalInstant(item.original_deadline);
  out["sign_for"] = item.sign_for ? json{{"unit", item.sign_for->unit}, {"since", FormatInstant(item.sign_for->since)}}
                                  : json(nullptr);
  out["extension"] = item.extension ? json{{"proposed", FormatInstant(item.extension->proposed)},
                                           {"reason", item.extension->reason},
                                           {"requested_by", item.extension->requested_by},
                                           {"requested_at", FormatInstant(item.extension->requested_at)}}
                                    : json(nullptr);
  if (item.kind == ItemKind::kProblem) {
    out["found_on"] = item.found_on ? json(FormatDate(*item.found_on)) : json(nullptr);
    out["area"] = item.area;
    if (const Area* area = campaign.FindArea(item.area)) out["area_name"] = area->name;
    out["source"] = item.source;
    if (const ProblemSource* source = campaign.FindSource(item.source)) out["source_name"] = source->name;
  }
  if (item.household) {
    const Household& h = *item.household;
    out["household"] = h.head_name;
    out["village"] = h.village;
    out["category"] = h.category;
    out["risk_type"] = h.risk_type;
    out["risk_found_on"] = FormatDate(h.risk_found_on);
    out["clue_source"] = h.clue_source;
    out["members"] = h.members;
    const PersonalData shown = Disclose(h.personal, personal);
    out["id_number"] = shown.id_number;
    out["phone"] = shown.phone;
    out["bank_account"] = shown.bank_account;
    out["health_condition"] = shown.health_condition;
  }
  if (item.outcome) {
    out["outcome"] = {
        {"result", item.outcome->result},
        {"entered_on", item.outcome->entered_on ? json(FormatDate(*item.outcome->entered_on)) : json(nullptr)},
        {"explanation", item.outcome->explanation},
    };
  }
  return out;
}

json ItemToJson(const Campaign& campaign, const ItemView& view, Instant now) {
  json out = ItemToJson(campaign, view.item, now, view.personal_data_visible ? Disclosure::kFull : Disclosure::kMasked);
  out["allowed_events"] = view.allowed_events;
  return out;
}

json EventToJson(const EventRecord& event, const std::map<std::string, std::string>& display_names) {
  const auto name = display_names.find(event.actor);
  return {
      {"seq", event.seq},     {"from", event.from.empty() ? json(nullptr) : json(event.from)},
      {"to", event.to},       {"event", event.event},
      {"actor", event.actor}, {"actor_name", name == display_names.end() ? json(nullptr) : json(name->second)},
      {"at", FormatInstant(event.at)},
      {"note", event.note},   {"unit", event.unit.empty() ? json(nullptr) : json(event.unit)},
      {"sign_for_due", OptionalInstant(event.sign_for_due)},
  };
}

json CampaignToJson(const Campaign& campaign) {
  json units = json::array();
  for (const Unit& u : campaign.units)
    units.push_back({{"id", u.id}, {"name", u.name}, {"kind", UnitKindName(u.kind)}, {"sample", u.sample}});
  json groups = json::array();
  for (const UnitGroup& g : campaign.groups) groups.push_back({{"id", g.id}, {"name", g.name}, {"members", g.members}});
  json areas = json::array();
  for (const Area& a : campaign.areas)
    areas.push_back({{"number", a.number}, {"name", a.name}, {"responsible", a.responsible},
                     {"responsible_units", a.responsible_units}});
  json phases = json::array();
  for (const Phase& p : campaign.phases) {
    json gates = json::array();
    for (const PhaseGate& g : p.gates)
      gates.push_back({{"applies_to", DeadlineSubjectName(g.subject)}, {"at_least", g.at_least}});
    phases.push_back({{"id", p.id}, {"name", p.name}, {"start", FormatDate(p.start)}, {"end", FormatDate(p.end)},
                      {"gates", gates}});
  }
  json deadlines = json::array();
  for (const DeadlineRule& d : campaign.deadlines) {
    json rule = {{"id", d.id}, {"name", d.name}, {"applies_to", DeadlineSubjectName(d.applies_to)},
                 {"item_default", d.item_default}};
    switch (d.kind) {
      case DeadlineKind::kFixed:
        rule["kind"] = "fixed";
        rule["at"] = FormatInstant(ShanghaiInstant(d.date, d.seconds_of_day));
        break;
      case DeadlineKind::kMonthsAfter:
        rule["kind"] = "months_after";
        rule["from"] = d.from;
        rule["months"] = d.months;
        break;
      case DeadlineKind::kDaysAfter:
      case DeadlineKind::kWorkingDaysAfter:
        rule["kind"] = d.kind == DeadlineKind::kDaysAfter ? "days_after" : "working_days_after";
        rule["from"] = d.from;
        rule["days"] = d.days;
        break;
      case DeadlineKind::kPhaseEnd:
        rule["kind"] = "phase_end";
        rule["phase"] = d.phase;
        break;
    }
    if (!d.states.empty()) rule["states"] = d.states;
    if (!d.if_past.empty()) rule["if_past"] = d.if_past;
    deadlines.push_back(std::move(rule));
  }
  json tiers = json::array();
  for (const WarningTier& t : campaign.warning_tiers) tiers.push_back({{"id", t.id}, {"name", t.name}});
  json sources = json::array();
  for (const ProblemSource& s : campaign.sources)
    sources.push_back({{"id", s.id}, {"name", s.name},
                       {"expected_count", s.expected_count ? json(*s.expected_count) : json(nullptr)}});
  auto choices = [](const std::vector<Choice>& list) {
    json out = json::array();
    for (const Choice& c : list) out.push_back({{"id", c.id}, {"name", c.name}});
    return out;
  };
  auto labels = [](const std::vector<Label>& list) {
    json out = json::object();
    for (const Label& l : list) out[l.key] = l.name;
    return out;
  };
  return {
      {"id", campaign.id},
      {"town", campaign.town},
      {"town_name", campaign.town_name},
      {"name", campaign.name},
      {"issuer", campaign.issuer},
      {"source_document", campaign.source_document},
      {"close_of_business", FormatInstant(ShanghaiInstant(CivilDate{2000, 1, 1}, campaign.close_of_business_seconds))
                                .substr(11, 5)},
      {"units", units},
      {"groups", groups},
      {"areas", areas},
      {"phases", phases},
      {"deadlines", deadlines},
      {"warning_tiers", tiers},
      {"sources", sources},
      {"household_categories", choices(campaign.household_categories)},
      {"risk_types", choices(campaign.risk_types)},
      {"clue_sources", choices(campaign.clue_sources)},
      {"labels", {{"problem", labels(campaign.problem_labels)}, {"enrollment", labels(campaign.enrollment_labels)}}},
      {"event_fields",
       {{"problem", EventFieldsToJson(ProblemWorkflow())}, {"enrollment", EventFieldsToJson(EnrollmentWorkflow())}}},
  };
}

Result<json> ParseBody(const std::string& body) {
  // Counted before parsing, so a deeply nested body costs no recursion or allocation.
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxBodyDepth)
        return Status::InvalidArgument("body", "JSON nested deeper than " + std::to_string(kMaxBodyDepth) + " levels");
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  auto parsed = ParseJsonStrictly(body);
  if (!parsed.ok()) {
    const Status& s = parsed.status();
    return Status::InvalidArgument(s.field().empty() ? "body" : s.field(), "malformed JSON: " + s.message());
  }
  if (!parsed->is_object()) return Status::InvalidArgument("body", "expected a JSON object");
  return parsed;
}

Result<NewProblem> ParseNewProblem(const json& body) {
  JsonObjectReader in(body, "");
  NewProblem problem;
  in.Required("title", problem.title, ReadNonEmpty);
  in.Required("area", problem.area);
  in.Required("source", problem.source, ReadNonEmpty);
  in.Optional("unit", problem.unit, ReadJsonString);
  in.Optional("cooperating_units", problem.cooperating_units, ReadJsonStrings);
  in.Optional("measures", problem.measures, ReadJsonString);
  in.Optional("deadline", problem.deadline, ReadDeadline);
  in.Optional("found_on", problem.found_on, ReadJsonDate);
  RECTIFY_RETURN_IF_ERROR(in.Finish());
  return problem;
}

Result<NewEnrollment> ParseNewEnrollment(const json& body) {
  JsonObjectReader in(body, "");
  NewEnrollment enrollment;
  Household& h = enrollment.household;
  in.Required("household", h.head_name, ReadNonEmpty);
  in.Required("village", h.village, ReadNonEmpty);
  in.Required("category", h.category, ReadNonEmpty);
  in.Required("risk_type", h.risk_type, ReadNonEmpty);
  in.Required("risk_found_on", h.risk_found_on, ReadJsonDate);
  in.Required("clue_source", h.clue_source, ReadNonEmpty);
  in.Optional("members", h.members, ReadJsonInt);
  in.Optional("id_number", h.personal.id_number, ReadJsonString);
  in.Optional("phone", h.personal.phone, ReadJsonString);
  in.Optional("bank_account", h.personal.bank_account, ReadJsonString);
  in.Optional("health_condition", h.personal.health_condition, ReadJsonString);
  in.Optional("deadline", enrollment.deadline, ReadDeadline);
  RECTIFY_RETURN_IF_ERROR(in.Finish());
  // A household has at least its head; leave the number out when it is not known yet (0).
  if (body.is_object() && body.contains("members") && (h.members < 1 || h.members > 100))
    return Status::InvalidArgument("members", "must be between 1 and 100 (leave it out while unknown)");
  return enrollment;
}

Result<EventInput> ParseEventInput(const json& body, std::optional<std::int64_t>& expected_version) {
  JsonObjectReader in(body, "");
  EventInput input;
  in.Required("event", input.name, ReadNonEmpty);
  in.Optional("note", input.note, ReadJsonString);
  in.Optional("unit", input.unit, ReadJsonString);
  in.Optional("reason", input.reason, ReadJsonString);
  in.Optional("entered_on", input.entered_on, ReadJsonDate);
  in.Optional("explanation", input.explanation, ReadJsonString);
  in.Optional("deadline", input.deadline, ReadDeadline);
  in.Optional("version", expected_version, ReadInt64);
  RECTIFY_RETURN_IF_ERROR(in.Finish());
  return input;
}

namespace {

// The orders of ?sort=, each name as the page and the README spell it.
constexpr std::pair<const char*, ItemSortKey> kSortNames[] = {
    {"id", ItemSortKey::kId},     {"deadline", ItemSortKey::kDeadline}, {"overdue", ItemSortKey::kDueAt},
    {"unit", ItemSortKey::kUnit}, {"area", ItemSortKey::kArea},         {"state", ItemSortKey::kState},
};

std::string SortText(const ItemOrder& order) {
  for (const auto& [name, key] : kSortNames)
    if (key == order.key) return (order.descending ? "-" : "") + std::string(name);
  return "id";
}

Result<ItemOrder> ParseItemOrder(const std::string& text) {
  ItemOrder order;
  order.descending = !text.empty() && text[0] == '-';
  const std::string name = order.descending ? text.substr(1) : text;
  for (const auto& [known, key] : kSortNames)
    if (name == known) {
      order.key = key;
      return order;
    }
  return Status::InvalidArgument("sort", "\"" + text + "\" is not one of id, deadline, overdue, unit, area, state "
                                         "(a leading - for descending)");
}

// ?after= in an order other than by id: next_after's "<sort>:<value>_<id>". The cursor names its
// order, so that one taken from another order is refused rather than read as a place in this one.
Result<ItemCursor> ParseItemCursor(const std::string& text, const ItemOrder& order) {
  const std::string wrong = "\"" + text + "\" is not the next_after of a page in this order";
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos) return Status::InvalidArgument("after", wrong);
  if (text.compare(0, colon, SortText(order)) != 0)
    return Status::InvalidArgument("after", "\"" + text + "\" is the next_after of sort=" + text.substr(0, colon) +
                                                ", not of sort=" + SortText(order) + ": start again without after");
  const std::size_t cut = text.rfind('_');
  if (cut == std::string::npos || cut < colon) return Status::InvalidArgument("after", wrong);
  auto value = ParseInteger("after", text.substr(colon + 1, cut - colon - 1));
  auto id = ParseInteger("after", text.substr(cut + 1));
  if (!value.ok() || !id.ok()) return Status::InvalidArgument("after", wrong);
  return ItemCursor{*value, *id};
}

}  // namespace

Result<ItemQuery> ParseItemQuery(ItemKind kind, const QueryParams& params) {
  RECTIFY_RETURN_IF_ERROR(CheckKnownParams(
      params, {"state", "step", "unit", "area", "source", "village", "overdue_as_of", "changed_since", "q", "sort",
               "after", "limit"}));
  // A filter of the other kind would quietly find nothing: a typo must never read as an empty list.
  if (kind == ItemKind::kProblem && params.Get("village"))
    return Status::InvalidArgument("village", "problems have no village: filter them by unit");
  for (const char* only_problems : {"area", "source"})
    if (kind == ItemKind::kEnrollment && params.Get(only_problems))
      return Status::InvalidArgument(only_problems, std::string("enrollment requests have no ") + only_problems);
  ItemQuery query;
  query.kind = kind;
  query.state = params.Get("state");
  query.step = params.Get("step");
  query.unit = params.Get("unit");
  query.source = params.Get("source");
  query.village = params.Get("village");
  query.text = params.Get("q");
  if (auto text = params.Get("area")) {
    auto area = ParseInteger("area", *text);
    if (!area.ok()) return area.status();
    query.area = static_cast<int>(*area);
  }
  if (auto text = params.Get("overdue_as_of")) {
    auto as_of = ParseInstantParam("overdue_as_of", *text);
    if (!as_of.ok()) return as_of.status();
    query.overdue_as_of = *as_of;
  }
  if (auto text = params.Get("changed_since")) {
    auto since = ParseInstantParam("changed_since", *text);
    if (!since.ok()) return since.status();
    query.changed_since = *since;
  }
  if (auto text = params.Get("sort")) {
    auto order = ParseItemOrder(*text);
    if (!order.ok()) return order.status();
    query.order = *order;
  }
  if (auto text = params.Get("after")) {
    if (query.order.is_default()) {
      auto after = ParseInteger("after", *text);
      if (!after.ok()) return after.status();
      query.after_id = *after;
    } else {
      auto after = ParseItemCursor(*text, query.order);
      if (!after.ok()) return after.status();
      query.after = *after;
    }
  }
  RECTIFY_RETURN_IF_ERROR(ParseLimit(params, query.limit));
  return query;
}

json NextAfterToJson(const ItemQuery& query, const std::optional<ItemCursor>& next) {
  if (!next) return nullptr;
  if (query.order.is_default()) return next->id;
  return SortText(query.order) + ":" + std::to_string(next->value) + "_" + std::to_string(next->id);
}

Result<OverdueQuery> ParseOverdueQuery(const QueryParams& params, Instant now) {
  RECTIFY_RETURN_IF_ERROR(CheckKnownParams(params, {"as_of", "kind", "unit", "after_due", "after", "limit"}));
  OverdueQuery query;
  auto as_of = AsOfParam(params, now);
  if (!as_of.ok()) return as_of.status();
  query.as_of = *as_of;
  if (auto text = params.Get("kind")) {
    query.kind = ParseItemKind(*text);
    if (!query.kind) return Status::InvalidArgument("kind", "must be \"problem\" or \"enrollment\"");
  }
  query.unit = params.Get("unit");
  const auto after_due = params.Get("after_due");
  const auto after = params.Get("after");
  if (after_due.has_value() != after.has_value())
    return Status::InvalidArgument(after ? "after_due" : "after",
                                   "after and after_due go together (take both from next_page)");
  if (after) {
    auto deadline = ParseInstantParam("after_due", *after_due);
    if (!deadline.ok()) return deadline.status();
    auto id = ParseInteger("after", *after);
    if (!id.ok()) return id.status();
    query.after_due = *deadline;
    query.after_id = *id;
  }
  RECTIFY_RETURN_IF_ERROR(ParseLimit(params, query.limit));
  return query;
}

Result<Instant> ParseAsOf(const QueryParams& params, Instant now) {
  RECTIFY_RETURN_IF_ERROR(CheckKnownParams(params, {"as_of"}));
  return AsOfParam(params, now);
}

Result<GatePageQuery> ParseGatePageQuery(const QueryParams& params, Instant now, bool paged) {
  RECTIFY_RETURN_IF_ERROR(
      CheckKnownParams(params, paged ? std::set<std::string>{"as_of", "after", "limit"} : std::set<std::string>{"as_of", "limit"}));
  GatePageQuery query;
  auto as_of = AsOfParam(params, now);
  if (!as_of.ok()) return as_of.status();
  query.as_of = *as_of;
  if (auto text = params.Get("after")) {
    auto after = ParseInteger("after", *text);
    if (!after.ok()) return after.status();
    query.after_id = *after;
  }
  RECTIFY_RETURN_IF_ERROR(ParseLimit(params, query.limit));
  return query;
}

Result<ReportQuery> ParseReportQuery(const QueryParams& params, Instant now, const std::set<std::string>& known) {
  std::set<std::string> allowed = known;
  allowed.insert("as_of");
  RECTIFY_RETURN_IF_ERROR(CheckKnownParams(params, allowed));
  ReportQuery query;
  auto as_of = AsOfParam(params, now);
  if (!as_of.ok()) return as_of.status();
  query.as_of = *as_of;
  query.unit = params.Get("unit");
  query.village = params.Get("village");
  if (auto text = params.Get("public")) {
    if (*text == "1" || *text == "true") query.public_notice = true;
    else if (*text != "0" && *text != "false") return Status::InvalidArgument("public", "expected 1 or 0");
  }
  return query;
}

Result<OverdueQuery> ParseDueSoonQuery(const Campaign& campaign, const QueryParams& params, Instant now) {
  RECTIFY_RETURN_IF_ERROR(CheckKnownParams(params, {"as_of", "unit", "working_days", "limit"}));
  auto given = AsOfParam(params, now);
  if (!given.ok()) return given.status();
  const Instant as_of = *given;
  std::int64_t days = campaign.notifier.due_soon_working_days;
  if (auto text = params.Get("working_days")) {
    auto parsed = ParseInteger("working_days", *text);
    if (!parsed.ok()) return parsed.status();
    if (*parsed < 0 || *parsed > 60) return Status::InvalidArgument("working_days", "must be 0..60");
    days = *parsed;
  }
  if (!campaign.calendar) return Status::Internal("the campaign has no calendar");
  auto end = DueSoonEnd(*campaign.calendar, as_of, static_cast<int>(days));
  if (!end.ok()) return end.status();
  OverdueQuery query;
  query.due_from = as_of;
  query.as_of = *end;
  query.unit = params.Get("unit");
  query.limit = kMaxPageSize;
  RECTIFY_RETURN_IF_ERROR(ParseLimit(params, query.limit));
  return query;
}

Result<OutboxQuery> ParseOutboxQuery(const QueryParams& params) {
  RECTIFY_RETURN_IF_ERROR(CheckKnownParams(params, {"state", "before", "limit"}));
  OutboxQuery query;
  if (auto text = params.Get("state")) {
    query.state = notifier::ParseOutboxState(*text);
    if (!query.state) return Status::InvalidArgument("state", "must be pending, sent, failed or dead");
  }
  if (auto text = params.Get("before")) {
    auto before = ParseInteger("before", *text);
    if (!before.ok()) return before.status();
    if (*before < 0) return Status::InvalidArgument("before", "must not be negative");
    query.before_id = *before;
  }
  RECTIFY_RETURN_IF_ERROR(ParseLimit(params, query.limit));
  return query;
}

json OutboxMessageToJson(const notifier::OutboxMessage& m) {
  return {{"id", m.id},
          {"idempotency_key", m.idempotency_key},
          {"slot", m.slot},
          {"audience", m.audience},
          {"unit", m.unit},
          {"channel", m.channel},
          {"state", notifier::OutboxStateName(m.state)},
          {"attempts", m.attempts},
          {"item_count", m.item_count},
          {"created_at", FormatInstant(m.created_at)},
          {"next_attempt_at", FormatInstant(m.next_attempt_at)},
          {"sent_at", m.sent_at ? json(FormatInstant(*m.sent_at)) : json(nullptr)},
          {"last_error", m.last_error},
          {"message", m.message}};
}

Result<NewSilence> ParseSilence(const json& body) {
  JsonObjectReader in(body, "");
  NewSilence silence;
  in.Required("item_id", silence.item_id, ReadInt64);
  in.Required("approved_by", silence.approved_by, ReadNonEmpty);
  in.Required("until", silence.until, ReadDeadline);
  in.Required("reason", silence.reason, ReadNonEmpty);
  RECTIFY_RETURN_IF_ERROR(in.Finish());
  return silence;
}

json ImportErrorsToJson(const std::vector<ImportError>& errors) {
  json out = json::array();
  for (const ImportError& e : errors) {
    json params = json::object();
    for (const auto& [name, value] : e.params) params[name] = value;
    out.push_back({{"line", e.line}, {"column", e.column}, {"message", e.message}, {"code", e.code}, {"params", params}});
  }
  return out;
}

json SilenceToJson(const Silence& s) {
  return {{"id", s.id},
          {"item_id", s.item_id},
          {"approved_by", s.approved_by},
          {"reason", s.reason},
          {"until", FormatInstant(s.until)},
          {"created_at", FormatInstant(s.created_at)}};
}

Result<LoginRequest> ParseLogin(const json& body) {
  JsonObjectReader in(body, "");
  LoginRequest login;
  std::string session = "cookie";
  in.Required("username", login.username, ReadNonEmpty);
  in.Required("password", login.password, ReadNonEmpty);
  in.Optional("session", session, ReadJsonString);
  RECTIFY_RETURN_IF_ERROR(in.Finish());
  if (session != "cookie" && session != "bearer")
    return Status::InvalidArgument("session", "\"" + session + "\" is neither cookie nor bearer");
  login.bearer = session == "bearer";
  return login;
}

Result<PasswordChange> ParsePasswordChange(const json& body) {
  JsonObjectReader in(body, "");
  PasswordChange change;
  in.Required("current_password", change.current_password, ReadNonEmpty);
  in.Required("new_password", change.new_password, ReadNonEmpty);
  RECTIFY_RETURN_IF_ERROR(in.Finish());
  return change;
}

Result<std::string> ParseIdempotencyKey(const std::string& header) {
  constexpr std::size_t kMostCharacters = 128;
  const bool visible = std::all_of(header.begin(), header.end(), [](char c) { return c >= '!' && c <= '~'; });
  if (header.size() > kMostCharacters || !visible)
    return Status::InvalidArgument("Idempotency-Key", "must be 1 to 128 visible ASCII characters (a UUID, say)");
  return header;
}

Result<NewApiToken> ParseNewApiToken(const json& body) {
  JsonObjectReader in(body, "");
  NewApiToken token;
  in.Required("label", token.label, ReadNonEmpty);
  in.Optional("expires_in_days", token.expires_in_days);
  in.Optional("read_only", token.read_only);
  RECTIFY_RETURN_IF_ERROR(in.Finish());
  return token;
}

Result<NewUser> ParseNewUser(const json& body, const Campaign& campaign) {
  JsonObjectReader in(body, "");
  NewUser user;
  std::vector<std::string> roles;
  in.Required("username", user.username, ReadNonEmpty);
  in.Optional("display_name", user.display_name, ReadJsonString);
  in.Optional("unit", user.unit, ReadJsonString);
  in.Required("roles", roles, ReadJsonStrings);
  in.Required("password", user.password, ReadNonEmpty);
  RECTIFY_RETURN_IF_ERROR(in.Finish());
  for (const std::string& name : roles) {
    auto role = accounts::ParseRole(name);
    if (!role.ok()) return role.status();
    user.roles.push_back(*role);
  }
  if (!user.unit.empty() && campaign.FindUnit(user.unit) == nullptr)
    return Status::InvalidArgument("unit", "unknown unit \"" + user.unit + "\"");
  return user;
}

Result<UserMove> ParseUserMove(const json& body, const Campaign& campaign) {
  JsonObjectReader in(body, "");
  UserMove move;
  std::optional<std::vector<std::string>> roles;
  in.Required("unit", move.unit, ReadJsonString);
  in.Optional("roles", roles, ReadJsonStrings);
  RECTIFY_RETURN_IF_ERROR(in.Finish());
  if (roles) {
    move.roles.emplace();
    for (const std::string& name : *roles) {
      auto role = accounts::ParseRole(name);
      if (!role.ok()) return role.status();
      move.roles->push_back(*role);
    }
  }
  if (!move.unit.empty() && campaign.FindUnit(move.unit) == nullptr)
    return Status::InvalidArgument("unit", "unknown unit \"" + move.unit + "\"");
  return move;
}

json UserToJson(const Deployment& deployment, const accounts::User& user) {
  json roles = json::array();
  for (const accounts::Role role : user.roles) roles.push_back(accounts::RoleName(role));
  const Unit* unit = deployment.FindUnit(user.town, user.unit);
  const Town* town = deployment.FindTown(user.town);
  return {{"id", user.id},
          {"username", user.username},
          {"display_name", user.display_name},
          {"town", user.town.empty() ? json(nullptr) : json(user.town)},
          {"town_name", town ? json(town->name) : json(nullptr)},
          {"unit", user.unit.empty() ? json(nullptr) : json(user.unit)},
          {"unit_name", unit ? json(unit->name) : json(nullptr)},
          {"roles", roles},
          {"disabled", user.disabled}};
}

namespace {

json FiguresToJson(const CampaignFigures& f) {
  return {{"problems", f.problems},
          {"open", f.open},
          {"overdue", f.overdue},
          {"closed_on_time", f.closed_on_time},
          {"closed_late", f.closed_late},
          {"send_backs", f.send_backs},
          {"carried_in", f.carried_in},
          {"enrollments", f.enrollments},
          {"enrollments_overdue", f.enrollments_overdue},
          {"ledgers_due", f.ledgers_due},
          {"ledgers_handed_in", f.ledgers_handed_in}};
}

json OptionalDate(const std::optional<CivilDate>& date) { return date ? json(FormatDate(*date)) : json(nullptr); }

}  // namespace

json CampaignSummaryToJson(const Deployment& deployment, const CampaignSummary& summary) {
  const Campaign& campaign = *summary.campaign;
  const Town* town = deployment.FindTown(campaign.town);
  const auto phase_json = [](const Phase& p) {
    return json{{"id", p.id}, {"name", p.name}, {"start", FormatDate(p.start)}, {"end", FormatDate(p.end)}};
  };
  const json phase = summary.phase != nullptr ? phase_json(*summary.phase) : json(nullptr);
  json in_force = json::array();
  for (const Phase* p : summary.phases_in_force) in_force.push_back(phase_json(*p));
  return {{"id", campaign.id},
          {"name", campaign.name},
          {"town", campaign.town},
          {"town_name", town ? town->name : campaign.town_name},
          {"start", OptionalDate(summary.start)},
          {"end", OptionalDate(summary.end)},
          {"phase", phase},
          {"phases_in_force", in_force},
          {"ended", summary.ended},
          {"figures", FiguresToJson(summary.figures)},
          {"data_errors", DataErrorsToJson(summary.data_errors)}};
}

json RollupToJson(const Deployment& deployment, const Rollup& rollup) {
  json towns = json::array();
  for (const TownRollup& town : rollup.towns) {
    json campaigns = json::array();
    for (const CampaignSummary& summary : town.campaigns) campaigns.push_back(CampaignSummaryToJson(deployment, summary));
    towns.push_back({{"id", town.town->id}, {"name", town.town->name}, {"campaigns", campaigns},
                     {"total", FiguresToJson(town.total)}});
  }
  return {{"as_of", FormatInstant(rollup.as_of)},
          {"county", deployment.county.empty() ? json(nullptr) : json(deployment.county)},
          {"county_name", deployment.county_name.empty() ? json(nullptr) : json(deployment.county_name)},
          {"towns", towns},
          {"total", FiguresToJson(rollup.total)}};
}

Result<CarryOverRequest> ParseCarryOver(const json& body) {
  JsonObjectReader in(body, "");
  CarryOverRequest request;
  in.Required("from", request.from, ReadNonEmpty);
  in.Optional("deadline", request.input.deadline, ReadDeadline);
  in.Optional("area", request.input.area);
  in.Optional("unit", request.input.unit, ReadNonEmpty);
  RECTIFY_RETURN_IF_ERROR(in.Finish());
  return request;
}

json ApiTokenToJson(const accounts::Session& token) {
  return {{"id", token.id},
          {"label", token.label},
          {"read_only", token.read_only},
          {"created_at", FormatInstant(token.created_at)},
          {"expires_at", token.expires_at ? json(FormatInstant(token.expires_at)) : json(nullptr)},
          {"last_seen_at", token.last_seen_at ? json(FormatInstant(token.last_seen_at)) : json(nullptr)},
          {"revoked_at", token.revoked_at ? json(FormatInstant(*token.revoked_at)) : json(nullptr)}};
}

Result<AuditQuery> ParseAuditQuery(const QueryParams& params, Instant now) {
  RECTIFY_RETURN_IF_ERROR(CheckKnownParams(params, {"from", "to", "after", "limit"}));
  AuditQuery query;
  query.to = now + 1;
  for (const auto& [name, out] : {std::pair{"from", &query.from}, std::pair{"to", &query.to}}) {
    if (auto text = params.Get(name)) {
      auto parsed = ParseInstantParam(name, *text);
      if (!parsed.ok()) return parsed.status();
      *out = *parsed;
    } else if (std::string(name) == "from") {
      return Status::InvalidArgument("from", "required: the start of the range, an ISO time");
    }
  }
  if (auto text = params.Get("after")) {
    auto after = ParseInteger("after", *text);
    if (!after.ok()) return after.status();
    if (*after < 0) return Status::InvalidArgument("after", "must not be negative");
    query.after_seq = *after;
  }
  RECTIFY_RETURN_IF_ERROR(ParseLimit(params, query.limit));
  return query;
}

json AuditRecordToJson(const AuditRecord& r) {
  return {{"seq", r.seq},         {"at", FormatInstant(r.at)}, {"actor", r.actor},
          {"action", r.action},   {"subject", r.subject},      {"detail", r.detail},
          {"prev_hash", r.prev_hash}, {"hash", r.hash}};
}

}  // namespace rectify::web
