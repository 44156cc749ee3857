#include "web/json_codec.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "engine/deadlines.h"

namespace rectify::web {
namespace {

constexpr int kMaxPageSize = 500;
constexpr const char* kDefaultActor = "anonymous";

json OptionalInstant(const std::optional<Instant>& instant) {
  return instant ? json(FormatInstant(*instant)) : json(nullptr);
}

std::string LabelOf(const std::vector<Label>& labels, const std::string& key) {
  for (const Label& label : labels)
    if (label.key == key) return label.name;
  return key;
}

// Reads the fields of one JSON object, remembering which were read so that the rest can be
// reported as unknown.
class ObjectReader {
 public:
  ObjectReader(const json& object, std::string prefix = {}) : object_(object), prefix_(std::move(prefix)) {}

  Status Check() const {
    if (!object_.is_object()) return Status::InvalidArgument("body", "expected a JSON object");
    return Status::Ok();
  }

  bool Has(const char* name) const { return object_.contains(name) && !object_.at(name).is_null(); }

  Status String(const char* name, std::string& out, bool required) {
    seen_.insert(name);
    if (!Has(name)) return required ? Missing(name) : Status::Ok();
    const json& v = object_.at(name);
    if (!v.is_string()) return Wrong(name, "a string");
    out = v.get<std::string>();
    if (required && out.empty()) return Status::InvalidArgument(prefix_ + name, "must not be empty");
    return Status::Ok();
  }

  Status Integer(const char* name, std::int64_t& out, bool required) {
    seen_.insert(name);
    if (!Has(name)) return required ? Missing(name) : Status::Ok();
    const json& v = object_.at(name);
    if (!v.is_number_integer()) return Wrong(name, "an integer");
    out = v.get<std::int64_t>();
    return Status::Ok();
  }

  Status Date(const char* name, std::optional<CivilDate>& out, bool required) {
    std::string text;
    RECTIFY_RETURN_IF_ERROR(String(name, text, required));
    if (text.empty()) return Status::Ok();
    out = ParseDate(text);
    if (!out) return Status::InvalidArgument(prefix_ + name, "\"" + text + "\" is not a date (YYYY-MM-DD)");
    return Status::Ok();
  }

  Status Deadline(const char* name, std::optional<Instant>& out) {
    std::string text;
    RECTIFY_RETURN_IF_ERROR(String(name, text, false));
    if (text.empty()) return Status::Ok();
    out = ParseDeadline(text);
    if (!out)
      return Status::InvalidArgument(prefix_ + name, "\"" + text +
                                                         "\" is not a date (YYYY-MM-DD) or time (YYYY-MM-DDTHH:MM[:SS][+08:00])");
    return Status::Ok();
  }

  Status NoOthers() const {
    for (const auto& [key, value] : object_.items())
      if (seen_.count(key) == 0) return Status::InvalidArgument(prefix_ + key, "unknown field");
    return Status::Ok();
  }

 private:
  Status Missing(const char* name) const { return Status::InvalidArgument(prefix_ + name, "is required"); }
  Status Wrong(const char* name, const char* expected) const {
    return Status::InvalidArgument(prefix_ + name, std::string("must be ") + expected);
  }

  const json& object_;
  std::string prefix_;
  std::set<std::string> seen_;
};

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

Status CheckKnownParams(const QueryParams& params, const std::set<std::string>& known) {
  for (const std::string& name : params.Names())
    if (known.count(name) == 0) return Status::InvalidArgument(name, "unknown query parameter");
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

json ItemToJson(const Campaign& campaign, const Item& item, Instant now) {
  const std::vector<Label>& labels =
      item.kind == ItemKind::kProblem ? campaign.problem_labels : campaign.enrollment_labels;
  const std::string path = item.state.ToString();
  json out = {
      {"id", item.id},
      {"kind", ItemKindName(item.kind)},
      {"state", item.state.state},
      {"step", item.state.step.empty() ? json(nullptr) : json(item.state.step)},
      {"state_label", LabelOf(labels, path)},
      {"version", item.version},
      {"title", item.title},
      {"unit", item.unit.empty() ? json(nullptr) : json(item.unit)},
      {"measures", item.measures},
      {"deadline", OptionalInstant(item.deadline)},
      {"overdue", item.deadline && *item.deadline < now && item.state.state != "closed"},
      {"send_back_count", item.send_back_count},
      {"reopen_count", item.reopen_count},
      {"created_at", FormatInstant(item.created_at)},
      {"updated_at", FormatInstant(item.updated_at)},
  };
  if (const Unit* unit = campaign.FindUnit(item.unit)) out["unit_name"] = unit->name;
  if (item.kind == ItemKind::kProblem) {
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
  json out = ItemToJson(campaign, view.item, now);
  out["allowed_events"] = view.allowed_events;
  return out;
}

json EventToJson(const EventRecord& event) {
  return {
      {"seq", event.seq},     {"from", event.from.empty() ? json(nullptr) : json(event.from)},
      {"to", event.to},       {"event", event.event},
      {"actor", event.actor}, {"at", FormatInstant(event.at)},
      {"note", event.note},
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
  for (const Phase& p : campaign.phases)
    phases.push_back({{"id", p.id}, {"name", p.name}, {"start", FormatDate(p.start)}, {"end", FormatDate(p.end)}});
  json deadlines = json::array();
  for (const DeadlineRule& d : campaign.deadlines) {
    json rule = {{"id", d.id}, {"name", d.name}, {"applies_to", DeadlineSubjectName(d.applies_to)},
                 {"item_default", d.item_default}};
    if (d.kind == DeadlineKind::kFixed) {
      rule["kind"] = "fixed";
      rule["at"] = FormatInstant(ShanghaiInstant(d.date, d.seconds_of_day));
    } else {
      rule["kind"] = "months_after";
      rule["from"] = d.from;
      rule["months"] = d.months;
    }
    deadlines.push_back(std::move(rule));
  }
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
      {"sources", sources},
      {"household_categories", choices(campaign.household_categories)},
      {"risk_types", choices(campaign.risk_types)},
      {"clue_sources", choices(campaign.clue_sources)},
      {"labels", {{"problem", labels(campaign.problem_labels)}, {"enrollment", labels(campaign.enrollment_labels)}}},
  };
}

Result<json> ParseBody(const std::string& body) {
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Status::InvalidArgument("body", "malformed JSON");
  if (!parsed.is_object()) return Status::InvalidArgument("body", "expected a JSON object");
  return parsed;
}

Result<NewProblem> ParseNewProblem(const json& body, std::string& actor) {
  ObjectReader in(body);
  RECTIFY_RETURN_IF_ERROR(in.Check());
  NewProblem problem;
  std::int64_t area = 0;
  RECTIFY_RETURN_IF_ERROR(in.String("title", problem.title, true));
  RECTIFY_RETURN_IF_ERROR(in.Integer("area", area, true));
  RECTIFY_RETURN_IF_ERROR(in.String("source", problem.source, true));
  RECTIFY_RETURN_IF_ERROR(in.String("unit", problem.unit, false));
  RECTIFY_RETURN_IF_ERROR(in.String("measures", problem.measures, false));
  RECTIFY_RETURN_IF_ERROR(in.Deadline("deadline", problem.deadline));
  RECTIFY_RETURN_IF_ERROR(in.String("actor", actor, false));
  RECTIFY_RETURN_IF_ERROR(in.NoOthers());
  if (area < 0 || area > 1000) return Status::InvalidArgument("area", "no such area " + std::to_string(area));
  problem.area = static_cast<int>(area);
  if (actor.empty()) actor = kDefaultActor;
  return problem;
}

Result<NewEnrollment> ParseNewEnrollment(const json& body, std::string& actor) {
  ObjectReader in(body);
  RECTIFY_RETURN_IF_ERROR(in.Check());
  NewEnrollment enrollment;
  Household& h = enrollment.household;
  std::optional<CivilDate> risk_found_on;
  std::int64_t members = 0;
  RECTIFY_RETURN_IF_ERROR(in.String("household", h.head_name, true));
  RECTIFY_RETURN_IF_ERROR(in.String("village", h.village, true));
  RECTIFY_RETURN_IF_ERROR(in.String("category", h.category, true));
  RECTIFY_RETURN_IF_ERROR(in.String("risk_type", h.risk_type, true));
  RECTIFY_RETURN_IF_ERROR(in.Date("risk_found_on", risk_found_on, true));
  RECTIFY_RETURN_IF_ERROR(in.String("clue_source", h.clue_source, true));
  RECTIFY_RETURN_IF_ERROR(in.Integer("members", members, false));
  RECTIFY_RETURN_IF_ERROR(in.Deadline("deadline", enrollment.deadline));
  RECTIFY_RETURN_IF_ERROR(in.String("actor", actor, false));
  RECTIFY_RETURN_IF_ERROR(in.NoOthers());
  if (members < 0 || members > 100) return Status::InvalidArgument("members", "must be between 0 and 100");
  h.members = static_cast<int>(members);
  h.risk_found_on = *risk_found_on;
  if (actor.empty()) actor = kDefaultActor;
  return enrollment;
}

Result<EventInput> ParseEventInput(const json& body, std::optional<std::int64_t>& expected_version) {
  ObjectReader in(body);
  RECTIFY_RETURN_IF_ERROR(in.Check());
  EventInput input;
  std::int64_t version = 0;
  RECTIFY_RETURN_IF_ERROR(in.String("event", input.name, true));
  RECTIFY_RETURN_IF_ERROR(in.String("actor", input.actor, false));
  RECTIFY_RETURN_IF_ERROR(in.String("note", input.note, false));
  RECTIFY_RETURN_IF_ERROR(in.String("unit", input.unit, false));
  RECTIFY_RETURN_IF_ERROR(in.String("reason", input.reason, false));
  RECTIFY_RETURN_IF_ERROR(in.Date("entered_on", input.entered_on, false));
  RECTIFY_RETURN_IF_ERROR(in.String("explanation", input.explanation, false));
  RECTIFY_RETURN_IF_ERROR(in.Integer("version", version, false));
  RECTIFY_RETURN_IF_ERROR(in.NoOthers());
  if (in.Has("version")) expected_version = version;
  if (input.actor.empty()) input.actor = kDefaultActor;
  return input;
}

Result<ItemQuery> ParseItemQuery(ItemKind kind, const QueryParams& params) {
  RECTIFY_RETURN_IF_ERROR(CheckKnownParams(
      params, {"state", "step", "unit", "area", "source", "village", "overdue_as_of", "after", "limit"}));
  ItemQuery query;
  query.kind = kind;
  query.state = params.Get("state");
  query.step = params.Get("step");
  query.unit = params.Get("unit");
  query.source = params.Get("source");
  query.village = params.Get("village");
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
  if (auto text = params.Get("after")) {
    auto after = ParseInteger("after", *text);
    if (!after.ok()) return after.status();
    query.after_id = *after;
  }
  RECTIFY_RETURN_IF_ERROR(ParseLimit(params, query.limit));
  return query;
}

Result<OverdueQuery> ParseOverdueQuery(const QueryParams& params, Instant now) {
  RECTIFY_RETURN_IF_ERROR(CheckKnownParams(params, {"as_of", "kind", "unit", "after_deadline", "after", "limit"}));
  OverdueQuery query;
  query.as_of = now;
  if (auto text = params.Get("as_of")) {
    auto as_of = ParseInstantParam("as_of", *text);
    if (!as_of.ok()) return as_of.status();
    query.as_of = *as_of;
  }
  if (auto text = params.Get("kind")) {
    query.kind = ParseItemKind(*text);
    if (!query.kind) return Status::InvalidArgument("kind", "must be \"problem\" or \"enrollment\"");
  }
  query.unit = params.Get("unit");
  const auto after_deadline = params.Get("after_deadline");
  const auto after = params.Get("after");
  if (after_deadline.has_value() != after.has_value())
    return Status::InvalidArgument(after ? "after_deadline" : "after",
                                   "after and after_deadline go together (take both from next_page)");
  if (after) {
    auto deadline = ParseInstantParam("after_deadline", *after_deadline);
    if (!deadline.ok()) return deadline.status();
    auto id = ParseInteger("after", *after);
    if (!id.ok()) return id.status();
    query.after_deadline = *deadline;
    query.after_id = *id;
  }
  RECTIFY_RETURN_IF_ERROR(ParseLimit(params, query.limit));
  return query;
}

}  // namespace rectify::web
