#include "config/campaign_loader.h"

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <map>
#include <memory>
#include <cstring>
#include <fstream>
#include <sstream>
#include <tuple>
#include <utility>
#include <vector>

#include "config/calendar_loader.h"
#include "config/strict_json.h"

namespace rectify {
namespace {

constexpr const char* kCloseOfBusiness = "close_of_business";
constexpr const char* kEndOfDay = "end_of_day";

// The spelling of each deadline kind in the file.
constexpr std::pair<const char*, DeadlineKind> kDeadlineKinds[] = {
    {"fixed", DeadlineKind::kFixed},
    {"months_after", DeadlineKind::kMonthsAfter},
    {"days_after", DeadlineKind::kDaysAfter},
    {"working_days_after", DeadlineKind::kWorkingDaysAfter},
    {"phase_end", DeadlineKind::kPhaseEnd},
};

std::string Quote(std::string_view text) { return Json(std::string(text)).dump(); }

// Where each label came from in the file: ValidateCampaign names a label by its index in
// Campaign::problem_labels, the file by its key under labels.problem.states or .events.
struct LabelPaths {
  std::vector<std::string> problem;
  std::vector<std::string> enrollment;
};

Status ReadUnitKind(const Json& value, const std::string& path, UnitKind& out) {
  std::string text;
  RECTIFY_RETURN_IF_ERROR(ReadJsonString(value, path, text));
  const std::optional<UnitKind> kind = ParseUnitKind(text);
  if (!kind) {
    return Status::InvalidArgument(path, "unknown unit kind " + Quote(text) +
                                             "; expected \"department\", \"bank\" or \"village\"");
  }
  out = *kind;
  return Status::Ok();
}

Status ReadSubject(const Json& value, const std::string& path, DeadlineSubject& out) {
  std::string text;
  RECTIFY_RETURN_IF_ERROR(ReadJsonString(value, path, text));
  const std::optional<DeadlineSubject> subject = ParseDeadlineSubject(text);
  if (!subject) {
    return Status::InvalidArgument(path, "unknown subject " + Quote(text) +
                                             "; expected \"problem\", \"enrollment\", \"ledger\" or \"survey\"");
  }
  out = *subject;
  return Status::Ok();
}

Status ReadDeadlineKind(const Json& value, const std::string& path, DeadlineKind& out) {
  std::string text;
  RECTIFY_RETURN_IF_ERROR(ReadJsonString(value, path, text));
  std::string known;
  for (const auto& [name, kind] : kDeadlineKinds) {
    if (text == name) {
      out = kind;
      return Status::Ok();
    }
    known += (known.empty() ? "" : ", ") + Quote(name);
  }
  return Status::InvalidArgument(path, "unknown deadline kind " + Quote(text) + "; expected one of " + known);
}

const char* KindName(DeadlineKind kind) {
  for (const auto& [name, k] : kDeadlineKinds)
    if (k == kind) return name;
  return "?";
}

// "HH:MM" (24:00 allowed).
Status ReadClockTime(const Json& value, const std::string& path, int& seconds) {
  std::string text;
  RECTIFY_RETURN_IF_ERROR(ReadJsonString(value, path, text));
  const std::optional<int> parsed = ParseTimeOfDay(text);
  if (!parsed) return Status::InvalidArgument(path, Quote(text) + " is not a time: expected \"HH:MM\"");
  seconds = *parsed;
  return Status::Ok();
}

// A deadline's time of day: "HH:MM", or the words for the campaign's close of business and 24:00.
auto ReadDeadlineTime(int close_of_business) {
  return [close_of_business](const Json& value, const std::string& path, int& seconds) -> Status {
    std::string text;
    RECTIFY_RETURN_IF_ERROR(ReadJsonString(value, path, text));
    if (text == kCloseOfBusiness) {
      seconds = close_of_business;
    } else if (text == kEndOfDay) {
      seconds = kSecondsPerDay;
    } else if (const std::optional<int> parsed = ParseTimeOfDay(text)) {
      seconds = *parsed;
    } else {
      return Status::InvalidArgument(
          path, Quote(text) + " is not a time: expected \"HH:MM\", \"close_of_business\" or \"end_of_day\"");
    }
    return Status::Ok();
  };
}

Status ReadUnit(const Json& value, const std::string& path, Unit& unit) {
  JsonObjectReader r(value, path);
  r.Required("id", unit.id);
  r.Required("name", unit.name);
  r.Required("kind", unit.kind, ReadUnitKind);
  r.Optional("sample", unit.sample);
  r.Optional("from", unit.from, ReadJsonDate);
  r.Optional("until", unit.until, ReadJsonDate);
  return r.Finish();
}

Status ReadGroup(const Json& value, const std::string& path, UnitGroup& group) {
  JsonObjectReader r(value, path);
  r.Required("id", group.id);
  r.Required("name", group.name);
  if (r.Has("members") && r.Has("members_of_kind")) {
    r.Fail("members_of_kind", "give either members or members_of_kind, not both");
  } else if (!r.Has("members") && !r.Has("members_of_kind")) {
    r.Fail("members", "missing: give members (unit ids) or members_of_kind (a unit kind)");
  }
  r.Optional("members", group.members);
  r.Optional("members_of_kind", group.members_of_kind, ReadUnitKind);
  return r.Finish();
}

Status ReadArea(const Json& value, const std::string& path, Area& area) {
  JsonObjectReader r(value, path);
  r.Required("number", area.number);
  r.Required("name", area.name);
  r.Required("responsible", area.responsible);
  return r.Finish();
}

Status ReadPhase(const Json& value, const std::string& path, Phase& phase) {
  JsonObjectReader r(value, path);
  r.Required("id", phase.id);
  r.Required("name", phase.name);
  r.Required("start", phase.start, ReadJsonDate);
  r.Required("end", phase.end, ReadJsonDate);
  r.Optional("gates", phase.gates, JsonArrayOf<PhaseGate>([](const Json& v, const std::string& p, PhaseGate& gate) {
    JsonObjectReader g(v, p);
    g.Required("applies_to", gate.subject, ReadSubject);
    g.Required("at_least", gate.at_least);
    return g.Finish();
  }));
  return r.Finish();
}

Status ReadStepDuration(const Json& value, const std::string& path, StepDuration& step) {
  JsonObjectReader r(value, path);
  r.Required("applies_to", step.applies_to, ReadSubject);
  r.Required("state", step.state);
  r.Optional("minimum_days", step.minimum_days, ReadJsonInt);
  r.Optional("typical_days", step.typical_days, ReadJsonInt);
  r.Optional("working_days", step.working_days);
  r.Skip("notes");
  return r.Finish();
}

Status ReadTier(const Json& value, const std::string& path, WarningTier& tier) {
  JsonObjectReader r(value, path);
  r.Required("id", tier.id);
  r.Required("name", tier.name);
  r.Optional("due_within_working_days", tier.due_within_working_days);
  r.Optional("overdue", tier.overdue);
  r.Optional("overdue_more_than_working_days", tier.overdue_more_than_working_days);
  r.Optional("entered", tier.entered, ReadJsonString);
  r.Optional("entered_times", tier.entered_times, ReadJsonInt);
  return r.Finish();
}

Status ReadDwell(const Json& value, const std::string& path, MinimumDwell& dwell) {
  JsonObjectReader r(value, path);
  r.Required("id", dwell.id);
  r.Required("name", dwell.name);
  r.Required("applies_to", dwell.applies_to, ReadSubject);
  r.Required("state", dwell.state);
  r.Required("days", dwell.days);
  r.Optional("working_days", dwell.working_days);
  return r.Finish();
}

Status ReadNotifier(const Json& value, const std::string& path, NotifierSettings& n) {
  JsonObjectReader r(value, path);
  r.Required("due_soon_working_days", n.due_soon_working_days);
  r.Required("escalate_after_working_days", n.escalate_after_working_days);
  r.Required("supervisors", n.supervisors);
  r.Required("office", n.office);
  r.Required("send_at", n.send_at, JsonArrayOf<int>(ReadClockTime));
  return r.Finish();
}

// A JSON number, integer or not.
Status ReadNumber(const Json& value, const std::string& path, double& out) {
  if (!value.is_number()) return Status::InvalidArgument(path, "expected a number, found " + DescribeJson(value));
  out = value.get<double>();
  return Status::Ok();
}

Status ReadLedgers(const Json& value, const std::string& path, LedgerObligation& ledgers) {
  JsonObjectReader r(value, path);
  std::vector<std::string> notes;
  r.Optional("notes", notes);
  r.Required("deadline", ledgers.deadline);
  r.Required("owed_by", ledgers.owed_by);
  r.Optional("only_units_with_problems", ledgers.only_units_with_problems);
  return r.Finish();
}

Status ReadFormTitles(const Json& value, const std::string& path, FormTitles& titles) {
  JsonObjectReader r(value, path);
  r.Optional("ledger", titles.ledger, ReadJsonString);
  r.Optional("visit_sheet", titles.visit_sheet, ReadJsonString);
  r.Optional("roster", titles.roster, ReadJsonString);
  return r.Finish();
}

Status ReadScores(const Json& value, const std::string& path, ScoreFormula& f) {
  JsonObjectReader r(value, path);
  std::vector<std::string> notes;
  r.Optional("notes", notes);
  r.Required("base", f.base, ReadNumber);
  r.Required("on_time_points", f.on_time_points, ReadNumber);
  r.Required("enrollment_points", f.enrollment_points, ReadNumber);
  r.Required("per_send_back", f.per_send_back, ReadNumber);
  r.Required("per_overdue_working_day", f.per_overdue_working_day, ReadNumber);
  r.Required("minimum", f.minimum, ReadNumber);
  r.Required("maximum", f.maximum, ReadNumber);
  return r.Finish();
}

auto ReadDeadline(int close_of_business) {
  return [close_of_business](const Json& value, const std::string& path, DeadlineRule& rule) -> Status {
    JsonObjectReader r(value, path);
    r.Required("id", rule.id);
    r.Required("name", rule.name);
    r.Required("applies_to", rule.applies_to, ReadSubject);
    bool kind_read = false;
    r.Required("kind", rule.kind, [&kind_read](const Json& kind, const std::string& kind_path, DeadlineKind& out) {
      const Status status = ReadDeadlineKind(kind, kind_path, out);
      kind_read = status.ok();
      return status;
    });
    // Each kind takes its own keys; a key of another kind is a mistake worth naming.
    std::vector<const char*> keys;
    if (kind_read) {
      switch (rule.kind) {
        case DeadlineKind::kFixed:
          r.Required("date", rule.date, ReadJsonDate);
          r.Required("at", rule.seconds_of_day, ReadDeadlineTime(close_of_business));
          keys = {"date", "at"};
          break;
        case DeadlineKind::kMonthsAfter:
          r.Required("from", rule.from);
          r.Required("months", rule.months);
          keys = {"from", "months"};
          break;
        case DeadlineKind::kDaysAfter:
        case DeadlineKind::kWorkingDaysAfter:
          r.Required("from", rule.from);
          r.Required("days", rule.days);
          keys = {"from", "days"};
          break;
        case DeadlineKind::kPhaseEnd:
          r.Required("phase", rule.phase);
          keys = {"phase"};
          break;
      }
    }
    for (const char* key : {"date", "at", "from", "months", "days", "phase"}) {
      const bool own = std::find_if(keys.begin(), keys.end(), [key](const char* k) { return std::strcmp(k, key) == 0; }) !=
                       keys.end();
      if (own) continue;
      if (!kind_read) {
        r.Skip(key);
      } else if (r.Has(key)) {
        r.Fail(key, std::string("does not apply to a deadline of kind ") + Quote(KindName(rule.kind)));
      }
    }
    r.Optional("states", rule.states);
    r.Optional("item_default", rule.item_default);
    r.Optional("on_reopen", rule.on_reopen);
    r.Optional("if_past", rule.if_past, ReadJsonString);
    return r.Finish();
  };
}

Status ReadSource(const Json& value, const std::string& path, ProblemSource& source) {
  JsonObjectReader r(value, path);
  r.Required("id", source.id);
  r.Required("name", source.name);
  r.Optional("expected_count", source.expected_count);
  return r.Finish();
}

Status ReadChoice(const Json& value, const std::string& path, Choice& choice) {
  JsonObjectReader r(value, path);
  r.Required("id", choice.id);
  r.Required("name", choice.name);
  return r.Finish();
}

// {"found": "发现", ...}: keys in file order.
Status ReadLabelMap(const Json& value, const std::string& path, std::vector<Label>& labels,
                    std::vector<std::string>& paths) {
  if (!value.is_object()) return Status::InvalidArgument(path, "expected an object, found " + DescribeJson(value));
  for (auto it = value.begin(); it != value.end(); ++it) {
    Label label;
    label.key = it.key();
    const std::string label_path = JsonPathKey(path, it.key());
    RECTIFY_RETURN_IF_ERROR(ReadJsonString(it.value(), label_path, label.name));
    labels.push_back(std::move(label));
    paths.push_back(label_path);
  }
  return Status::Ok();
}

Status ReadSurvey(const Json& value, const std::string& path, SurveySettings& survey) {
  JsonObjectReader r(value, path);
  std::vector<std::string> notes;
  r.Optional("notes", notes);
  r.Required("deadline", survey.deadline);
  r.Required("minimum_team", survey.minimum_team);
  r.Required("team_roles", survey.team_roles, JsonArrayOf<Choice>(ReadChoice));
  r.Required("household_types", survey.household_types, JsonArrayOf<Choice>(ReadChoice));
  r.Required("priorities", survey.priorities, JsonArrayOf<Choice>(ReadChoice));
  r.Required("clue_source", survey.clue_source);
  r.Optional("labels", survey.labels, [](const Json& map, const std::string& map_path, std::vector<Label>& out) {
    std::vector<std::string> paths;  // ValidateCampaign names a label by its key, as the file does
    return ReadLabelMap(map, map_path, out, paths);
  });
  return r.Finish();
}

// {"states": {...}, "events": {...}}
auto ReadWorkflowLabels(std::vector<std::string>& paths) {
  return [&paths](const Json& value, const std::string& path, std::vector<Label>& labels) -> Status {
    labels.clear();
    paths.clear();
    JsonObjectReader r(value, path);
    for (const char* key : {"states", "events"}) {
      r.Required(key, labels, [&paths](const Json& map, const std::string& map_path, std::vector<Label>& out) {
        return ReadLabelMap(map, map_path, out, paths);
      });
    }
    return r.Finish();
  };
}

// "office" or "unit_member:lead".
Status ReadGrant(const Json& value, const std::string& path, Grant& grant) {
  std::string text;
  RECTIFY_RETURN_IF_ERROR(ReadJsonString(value, path, text));
  const std::size_t colon = text.find(':');
  grant.role = text.substr(0, colon);
  if (colon != std::string::npos) grant.relation = text.substr(colon + 1);
  return Status::Ok();
}

// {"assign": ["office"], "complete_step@town_review": ["office"], ...}
Status ReadGrantTable(const Json& value, const std::string& path, std::map<std::string, std::vector<Grant>>& table) {
  if (!value.is_object()) return Status::InvalidArgument(path, "expected an object, found " + DescribeJson(value));
  for (auto it = value.begin(); it != value.end(); ++it)
    RECTIFY_RETURN_IF_ERROR(JsonArrayOf<Grant>(ReadGrant)(it.value(), JsonPathKey(path, it.key()), table[it.key()]));
  return Status::Ok();
}

Status ReadPermissions(const Json& value, const std::string& path, Permissions& permissions) {
  JsonObjectReader r(value, path);
  std::vector<std::string> notes;
  r.Optional("notes", notes);
  r.Required("actions", permissions.actions, ReadGrantTable);
  r.Required("problem", permissions.problem_events, ReadGrantTable);
  r.Required("enrollment", permissions.enrollment_events, ReadGrantTable);
  return r.Finish();
}

// A town file (workflows/towns/*.json): the town's units and groups, shared by its campaigns.
Status ReadTown(const Json& root, Campaign& c) {
  JsonObjectReader r(root, "");
  r.Required("id", c.town);
  r.Required("name", c.town_name);
  std::vector<std::string> notes;
  r.Optional("notes", notes);
  r.Required("units", c.units, JsonArrayOf<Unit>(ReadUnit));
  r.Optional("groups", c.groups, JsonArrayOf<UnitGroup>(ReadGroup));
  return r.Finish();
}

Status ReadCampaign(const Json& root, Campaign& c, LabelPaths& label_paths, std::string& calendar_dir,
                    std::string& town_file) {
  JsonObjectReader r(root, "");
  r.Required("id", c.id);
  r.Required("name", c.name);
  r.Required("issuer", c.issuer);
  r.Required("source_document", c.source_document);
  std::vector<std::string> notes;  // for people reading the file; the engine has no use for them
  r.Optional("notes", notes);
  r.Required("close_of_business", c.close_of_business_seconds, ReadClockTime);
  // The town's units: from its town file, or (a town of its own) written here.
  if (r.Has("town")) {
    r.Required("town", town_file);
    if (r.Has("units")) r.Fail("units", "a campaign of a town (\"town\") takes its units from the town file");
    if (r.Has("groups")) r.Fail("groups", "a campaign of a town (\"town\") takes its groups from the town file");
  } else {
    r.Required("units", c.units, JsonArrayOf<Unit>(ReadUnit));
    r.Optional("groups", c.groups, JsonArrayOf<UnitGroup>(ReadGroup));
  }
  r.Required("areas", c.areas, JsonArrayOf<Area>(ReadArea));
  r.Required("phases", c.phases, JsonArrayOf<Phase>(ReadPhase));
  r.Required("deadlines", c.deadlines, JsonArrayOf<DeadlineRule>(ReadDeadline(c.close_of_business_seconds)));
  r.Required("sources", c.sources, JsonArrayOf<ProblemSource>(ReadSource));
  r.Required("household_categories", c.household_categories, JsonArrayOf<Choice>(ReadChoice));
  r.Required("risk_types", c.risk_types, JsonArrayOf<Choice>(ReadChoice));
  r.Required("clue_sources", c.clue_sources, JsonArrayOf<Choice>(ReadChoice));
  r.Optional("minimum_dwells", c.minimum_dwells, JsonArrayOf<MinimumDwell>(ReadDwell));
  r.Optional("step_durations", c.step_durations, JsonArrayOf<StepDuration>(ReadStepDuration));
  r.Optional("warning_tiers", c.warning_tiers, JsonArrayOf<WarningTier>(ReadTier));
  r.Optional("notifier", c.notifier, ReadNotifier);
  r.Optional("ledgers", c.ledgers, ReadLedgers);
  r.Optional("scores", c.scores, ReadScores);
  r.Optional("survey", c.survey, ReadSurvey);
  r.Optional("form_titles", c.form_titles, ReadFormTitles);
  r.Optional("calendar", calendar_dir, ReadJsonString);
  r.Required("permissions", c.permissions, ReadPermissions);
  r.Required("labels", c, [&label_paths](const Json& value, const std::string& path, Campaign& campaign) {
    JsonObjectReader labels(value, path);
    labels.Required("problem", campaign.problem_labels, ReadWorkflowLabels(label_paths.problem));
    labels.Required("enrollment", campaign.enrollment_labels, ReadWorkflowLabels(label_paths.enrollment));
    return labels.Finish();
  });
  return r.Finish();
}

// ValidateCampaign names fields of the Campaign struct; the few that the file spells
// differently are translated here so the error points into the file.
std::string FilePath(const std::string& campaign_path, const LabelPaths& label_paths) {
  if (campaign_path == "close_of_business_seconds") return kCloseOfBusiness;
  const std::string seconds = ".seconds_of_day";
  if (campaign_path.rfind("deadlines[", 0) == 0 && campaign_path.size() > seconds.size() &&
      campaign_path.compare(campaign_path.size() - seconds.size(), seconds.size(), seconds) == 0) {
    return campaign_path.substr(0, campaign_path.size() - seconds.size()) + ".at";
  }
  for (const auto& [list, file_list, paths] :
       {std::tuple{"problem_labels", "labels.problem", &label_paths.problem},
        std::tuple{"enrollment_labels", "labels.enrollment", &label_paths.enrollment}}) {
    const std::string prefix = std::string(list) + "[";
    if (campaign_path == list) return file_list;
    if (campaign_path.rfind(prefix, 0) != 0) continue;
    const std::size_t index = std::stoul(campaign_path.substr(prefix.size()));
    if (index < paths->size()) return (*paths)[index];
  }
  return campaign_path;
}

Status WithOrigin(const Status& status, const std::string& origin, const std::string& path) {
  return Status::InvalidArgument(path.empty() ? origin : origin + ": " + path, status.message());
}

Result<std::string> ReadTextFile(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open the " + what + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::NotFound(path + ": cannot read the " + what + ": " + std::strerror(errno));
  return text.str();
}

}  // namespace

Result<Campaign> ParseCampaign(std::string_view json_text, const std::string& origin,
                               std::vector<std::string>* files_read) {
  Result<Json> document = ParseJsonStrictly(json_text);
  if (!document.ok()) return WithOrigin(document.status(), origin, document.status().field());
  Campaign campaign;
  LabelPaths label_paths;
  std::string calendar_dir;
  std::string town_file;
  std::string town_path;  // as read, when the campaign names a town file
  const Status read = ReadCampaign(*document, campaign, label_paths, calendar_dir, town_file);
  if (!read.ok()) return WithOrigin(read, origin, read.field());
  if (town_file.empty()) {
    campaign.town = campaign.id;
  } else {
    // Relative to the campaign file, like the calendar.
    const std::string path = (std::filesystem::path(origin).parent_path() / town_file).string();
    if (files_read) files_read->push_back(path);
    town_path = path;
    auto text = ReadTextFile(path, "town file");
    if (!text.ok()) return WithOrigin(text.status(), origin, "town");
    auto town = ParseJsonStrictly(*text);
    if (!town.ok()) return WithOrigin(town.status(), path, town.status().field());
    const Status read_town = ReadTown(*town, campaign);
    if (!read_town.ok()) return WithOrigin(read_town, path, read_town.field());
  }
  if (!calendar_dir.empty()) {
    // Relative to the campaign file, so the workflows/ folder can move as a whole.
    const std::filesystem::path dir = std::filesystem::path(origin).parent_path() / calendar_dir;
    if (files_read) files_read->push_back(dir.string());
    auto calendar = LoadCalendarDir(dir.string());
    if (!calendar.ok()) return WithOrigin(calendar.status(), origin, "calendar: " + calendar.status().field());
    campaign.calendar = std::make_shared<const WorkCalendar>(std::move(calendar.value()));
  }
  const Status valid = ValidateCampaign(campaign);
  // The units and groups of a town are written in its town file: an error in them is named there.
  const bool in_town_file = !town_path.empty() && (valid.field().rfind("units", 0) == 0 || valid.field().rfind("groups", 0) == 0);
  if (!valid.ok()) return WithOrigin(valid, in_town_file ? town_path : origin, FilePath(valid.field(), label_paths));
  return campaign;
}

Result<Campaign> LoadCampaignFile(const std::string& path, std::vector<std::string>* files_read) {
  auto text = ReadTextFile(path, "campaign file");
  if (!text.ok()) return text.status();
  return ParseCampaign(*text, path, files_read);
}

}  // namespace rectify
