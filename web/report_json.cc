#include "web/report_json.h"

namespace rectify::web {
namespace {

json OptionalInstant(const std::optional<Instant>& instant) {
  return instant ? json(FormatInstant(*instant)) : json(nullptr);
}

json Share(int part, int whole) {
  return whole == 0 ? json(nullptr) : json(static_cast<double>(part) / whole);
}

std::string UnitNameOf(const Campaign& campaign, const std::string& unit) {
  const Unit* found = campaign.FindUnit(unit);
  return found ? found->name : unit;
}

json StoredFileToJson(const StoredFile& file) {
  return {{"sha256", file.sha256}, {"name", file.name}, {"size", file.size}, {"content_type", file.content_type}};
}

}  // namespace

json EvidenceToJson(const EvidenceFile& file, const std::map<std::string, std::string>& display_names) {
  json out = StoredFileToJson(file.file);
  out["uploaded_at"] = FormatInstant(file.uploaded_at);
  out["uploaded_by"] = file.uploaded_by;
  const auto name = display_names.find(file.uploaded_by);
  out["uploaded_by_name"] = name == display_names.end() ? json(nullptr) : json(name->second);
  return out;
}

json LedgerStatusToJson(const Campaign& campaign, const LedgerStatus& status) {
  const std::optional<LedgerHandIn>& h = status.handin;
  return {{"unit", status.unit},
          {"unit_name", UnitNameOf(campaign, status.unit)},
          {"due", FormatInstant(status.due)},
          {"submitted_at", h ? json(FormatInstant(h->submitted_at)) : json(nullptr)},
          {"submitted_by", h ? json(h->submitted_by) : json(nullptr)},
          {"file", h ? StoredFileToJson(h->file) : json(nullptr)},
          {"confirmed_at", h ? OptionalInstant(h->confirmed_at) : json(nullptr)},
          {"confirmed_by", h && h->confirmed_at ? json(h->confirmed_by) : json(nullptr)},
          {"overdue", status.overdue},
          {"late", status.late}};
}

json DashboardToJson(const Campaign& campaign, const Dashboard& d) {
  json phases = json::array();
  for (const Phase& phase : campaign.phases)
    phases.push_back({{"id", phase.id}, {"name", phase.name}, {"start", FormatDate(phase.start)},
                      {"end", FormatDate(phase.end)}});
  json deadlines = json::array();
  std::optional<Instant> clear_by;
  for (const DeadlineRule& rule : campaign.deadlines) {
    if (rule.kind != DeadlineKind::kFixed) continue;
    const Instant at = ShanghaiInstant(rule.date, rule.seconds_of_day);
    if (rule.item_default && rule.applies_to == DeadlineSubject::kProblem) clear_by = at;
    deadlines.push_back({{"id", rule.id}, {"name", rule.name}, {"applies_to", DeadlineSubjectName(rule.applies_to)},
                         {"at", FormatInstant(at)}});
  }
  json points = json::array();
  for (const BurnDownPoint& p : d.burn_down) points.push_back({{"date", FormatDate(p.date)}, {"open", p.open}});
  json units = json::array();
  for (const UnitProblemCounts& u : d.units)
    units.push_back({{"unit", u.unit},
                     {"unit_name", u.unit.empty() ? "（未交办）" : UnitNameOf(campaign, u.unit)},
                     {"total", u.total},
                     {"on_time", u.on_time},
                     {"overdue", u.overdue},
                     {"closed_late", u.closed_late},
                     {"sent_back", u.sent_back},
                     {"send_backs", u.send_backs}});
  json rates = json::array();
  for (const UnitRates& r : d.rates) {
    json tiers = json::object();
    for (std::size_t i = 0; i < r.tiers.size() && i < campaign.warning_tiers.size(); ++i)
      tiers[campaign.warning_tiers[i].id] = r.tiers[i];
    rates.push_back({{"unit", r.unit},
                     {"unit_name", UnitNameOf(campaign, r.unit)},
                     {"sign_for_judged", r.sign_for_judged},
                     {"signed_on_time", r.signed_on_time},
                     {"on_time_sign_for_rate", Share(r.signed_on_time, r.sign_for_judged)},
                     {"close_judged", r.close_judged},
                     {"closed_on_time", r.closed_on_time},
                     {"on_time_close_rate", Share(r.closed_on_time, r.close_judged)},
                     {"held", r.held},
                     {"sent_back", r.sent_back},
                     {"sent_back_rate", Share(r.sent_back, r.held)},
                     {"tiers", tiers},
                     {"cannot_finish", r.cannot_finish}});
  }
  json sources = json::array();
  for (const SourceProgress& s : d.sources) {
    const ProblemSource* source = campaign.FindSource(s.source);
    sources.push_back({{"source", s.source},
                       {"name", source ? source->name : s.source},
                       {"expected", s.expected ? json(*s.expected) : json(nullptr)},
                       {"total", s.total},
                       {"closed", s.closed},
                       {"overdue", s.overdue}});
  }
  json areas = json::array();
  for (const AreaProgress& a : d.areas) {
    const Area* area = campaign.FindArea(a.area);
    areas.push_back({{"area", a.area}, {"name", area ? area->name : ""}, {"total", a.total}, {"closed", a.closed}});
  }
  const EnrollmentProgress& e = d.enrollment;
  return {{"as_of", FormatInstant(d.as_of)},
          {"timeline", {{"today", FormatDate(ShanghaiDate(d.as_of))}, {"phases", phases}, {"deadlines", deadlines}}},
          {"burn_down", {{"clear_by", OptionalInstant(clear_by)}, {"points", points}}},
          {"units", units},
          {"rates", rates},
          {"areas", areas},
          {"sources", sources},
          {"enrollment",
           {{"proposed", e.proposed},
            {"enrolled", e.enrolled},
            {"within_limit", e.within_limit},
            {"with_measures", e.with_measures},
            {"overdue", e.overdue},
            {"share_within_limit", Share(e.within_limit, e.proposed)},
            {"share_with_measures", Share(e.with_measures, e.enrolled)}}},
          {"data_errors", DataErrorsToJson(d.data_errors)}};
}

json DataErrorsToJson(const std::vector<DataError>& errors) {
  json out = json::array();
  const auto or_null = [](const std::string& text) { return text.empty() ? json(nullptr) : json(text); };
  for (const DataError& e : errors)
    out.push_back({{"kind", ItemKindName(e.kind)},
                   {"id", e.item_id},
                   {"title", e.title},
                   {"field", or_null(e.field)},
                   {"value", or_null(e.value)},
                   {"message", e.message}});
  return out;
}

json ScoreFormulaToJson(const ScoreFormula& f) {
  return {{"base", f.base},
          {"on_time_points", f.on_time_points},
          {"enrollment_points", f.enrollment_points},
          {"per_send_back", f.per_send_back},
          {"per_overdue_working_day", f.per_overdue_working_day},
          {"minimum", f.minimum},
          {"maximum", f.maximum}};
}

json VillageScoreToJson(const Campaign& campaign, const VillageScore& v) {
  return {{"rank", v.rank},
          {"village", v.village},
          {"village_name", UnitNameOf(campaign, v.village)},
          {"score", v.score},
          {"problems", v.problems},
          {"problems_judged", v.problems_judged},
          {"problems_on_time", v.problems_on_time},
          {"on_time_rate", v.on_time_rate},
          {"send_backs", v.send_backs},
          {"overdue_working_days", v.overdue_working_days},
          {"households", v.households},
          {"households_judged", v.households_judged},
          {"households_in_time", v.households_in_time},
          {"enrollment_rate", v.enrollment_rate}};
}

}  // namespace rectify::web
