// The household survey (入户核查, 附件2) over HTTP: each handler parses, calls
// engine/household_survey.h, and encodes (web/survey_json.h). Every rule, permissions included,
// is the service's. Routes:
//   GET  /api/survey                                  what the forms offer, and the deadline
//   GET  /api/survey/coverage?as_of=                  per village and town-wide
//   POST /api/survey/households/import?dry_run=1      a CSV or XLSX list as the body
//   POST /api/survey/households                       one household found on the way (201)
//   GET  /api/survey/households?village=&state=&after=&limit=
//   GET  /api/survey/households/{id}                  GET .../history
//   POST /api/survey/households/{id}/visit            the sheet: records the visit
//   POST /api/survey/households/{id}/events           spot_check, send_back (reason)
//   POST /api/survey/households/{id}/enrollment       opens the enrollment request (201)
//   POST|GET /api/survey/households/{id}/photos       GET .../photos/{sha256}
//   GET  /api/enrollments/{id}/survey                 the household whose visit opened it
#include "engine/survey_import.h"
#include "exports/xlsx_reader.h"
#include "web/api_server.h"
#include "web/auth.h"
#include "web/http_reply.h"
#include "web/survey_json.h"
#include "web/upload.h"

namespace rectify::web {
namespace {

constexpr const char* kHousehold = R"(/api/survey/households/(\d{1,18}))";
constexpr int kMaxPage = 500;

Result<SurveyQuery> ParseSurveyQuery(const httplib::Request& req) {
  SurveyQuery query;
  for (const auto& [name, value] : req.params) {
    if (name == "village") {
      query.village = value;
    } else if (name == "state") {
      query.states.push_back(value);
    } else if (name == "after" || name == "limit") {
      long long number = 0;
      std::size_t used = 0;
      try {
        number = std::stoll(value, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != value.size() || number < 0)
        return Status::InvalidArgument(name, "\"" + value + "\" is not a number");
      if (name == "after") query.after_id = number;
      if (name == "limit") {
        if (number < 1 || number > kMaxPage) return Status::InvalidArgument("limit", "must be 1..500");
        query.limit = static_cast<int>(number);
      }
    } else {
      return Status::InvalidArgument(name, "unknown query parameter");
    }
  }
  return query;
}

json ImportRowToJson(const Campaign& campaign, const NewSurveyHousehold& h, int line) {
  const Unit* village = campaign.FindUnit(h.village);
  return {{"line", line},
          {"village", h.village},
          {"village_name", village ? village->name : h.village},
          {"group", h.group},
          {"head_name", h.head_name},
          {"household_type", h.household_type},
          {"priority", h.priority}};
}

}  // namespace

void ApiServer::RouteSurvey() {
  Get("/api/survey", [](const httplib::Request&, httplib::Response& res, const Caller& caller) {
    if (!caller.campaign().survey) return ReplyError(res, Status::NotFound("campaign " + caller.campaign().id + " has no survey"));
    Reply(res, 200, SurveySettingsToJson(caller.campaign()));
  });

  Get("/api/survey/coverage", [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto as_of = ParseAsOf(HttplibParams(req), clock_.Now());
    if (!as_of.ok()) return ReplyError(res, as_of.status());
    auto coverage = caller.services().survey.Coverage(caller.actor, *as_of);
    if (!coverage.ok()) return ReplyError(res, coverage.status());
    Reply(res, 200, SurveyCoverageToJson(caller.campaign(), *coverage, *as_of));
  });

  // Like the problem import: the body is the file itself, CSV or XLSX (its first sheet).
  Post("/api/survey/households/import", [this](const httplib::Request& req, httplib::Response& res,
                                               const Caller& caller) {
    auto dry_run = DryRunOf(req);
    if (!dry_run.ok()) return ReplyError(res, dry_run.status());
    if (req.is_multipart_form_data())
      return ReplyError(res, Status::InvalidArgument("body", "send the CSV or XLSX file itself as the body"));
    auto text = exports::ProblemListAsCsv(req.body);
    if (!text.ok()) return ReplyError(res, text.status());
    const Instant now = clock_.Now();
    const Unit* own = caller.campaign().FindUnit(caller.actor.unit);
    const std::string default_village = own && own->kind == UnitKind::kVillage ? own->id : "";
    SurveyImportPlan parsed = ParseSurveyCsv(*text, caller.services().survey, default_village, now);
    if (!parsed.refused.ok()) return ReplyError(res, parsed.refused);
    if (parsed.households.empty() && parsed.errors.empty())
      return ReplyError(res, Status::Unprocessable("body", "the file has a header but no rows"));
    auto plan = caller.services().survey.PlanImport(std::move(parsed), caller.actor);
    if (!plan.ok()) return ReplyError(res, plan.status());
    json rows = json::array();
    for (std::size_t i = 0; i < plan->households.size(); ++i)
      rows.push_back(ImportRowToJson(caller.campaign(), plan->households[i], plan->lines[i]));
    const json errors = ImportErrorsToJson(plan->errors);
    const json listed = plan->already_listed;
    if (*dry_run)
      return Reply(res, 200, {{"dry_run", true}, {"valid", errors.empty()}, {"rows", rows},
                              {"already_listed", listed}, {"errors", errors}});
    if (!errors.empty())
      return Reply(res, 422, {{"error", "unprocessable"},
                              {"message", std::to_string(errors.size()) + " bad row(s): nothing was imported"},
                              {"field", "body"},
                              {"errors", errors}});
    auto stored = caller.services().survey.Import(*plan, caller.actor, now);
    if (!stored.ok()) return ReplyError(res, stored.status());
    json ids = json::array();
    for (const SurveyHousehold& h : *stored) ids.push_back(h.id);
    Reply(res, 201, {{"dry_run", false}, {"stored", stored->size()}, {"ids", ids}, {"already_listed", listed}});
  });

  Post("/api/survey/households", [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto body = ParseBody(req.body);
    if (!body.ok()) return ReplyError(res, body.status());
    auto input = ParseNewSurveyHousehold(*body);
    if (!input.ok()) return ReplyError(res, input.status());
    auto view = caller.services().survey.AddHousehold(*input, caller.actor, clock_.Now());
    if (!view.ok()) return ReplyError(res, view.status());
    res.set_header("Location", req.path + "/" + std::to_string(view->household.id));
    Reply(res, 201, SurveyHouseholdToJson(caller.campaign(), *view));
  });

  Get("/api/survey/households", [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto query = ParseSurveyQuery(req);
    if (!query.ok()) return ReplyError(res, query.status());
    auto views = caller.services().survey.List(*query, caller.actor);
    if (!views.ok()) return ReplyError(res, views.status());
    json out = {{"households", json::array()}, {"next_after", nullptr}};
    for (const SurveyHouseholdView& view : *views) out["households"].push_back(SurveyHouseholdToJson(caller.campaign(), view));
    if (static_cast<int>(views->size()) == query->limit) out["next_after"] = views->back().household.id;
    Reply(res, 200, out);
  });

  Get(kHousehold, [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto view = caller.services().survey.Get(IdOf(req), caller.actor);
    if (!view.ok()) return ReplyError(res, view.status());
    Reply(res, 200, SurveyHouseholdToJson(caller.campaign(), *view));
  });

  Get(std::string(kHousehold) + "/history", [this](const httplib::Request& req, httplib::Response& res,
                                                  const Caller& caller) {
    auto events = caller.services().survey.History(IdOf(req), caller.actor);
    if (!events.ok()) return ReplyError(res, events.status());
    json out = {{"events", json::array()}};
    for (const SurveyEvent& event : *events) out["events"].push_back(SurveyEventToJson(event));
    Reply(res, 200, out);
  });

  Post(std::string(kHousehold) + "/visit", [this](const httplib::Request& req, httplib::Response& res,
                                                 const Caller& caller) {
    auto body = ParseBody(req.body);
    if (!body.ok()) return ReplyError(res, body.status());
    std::optional<std::int64_t> version;
    auto visit = ParseSurveyVisit(*body, version);
    if (!visit.ok()) return ReplyError(res, visit.status());
    auto view = caller.services().survey.RecordVisit(IdOf(req), std::move(visit.value()), caller.actor, version, clock_.Now());
    if (!view.ok()) return ReplyError(res, view.status());
    Reply(res, 200, SurveyHouseholdToJson(caller.campaign(), *view));
  });

  Post(std::string(kHousehold) + "/events", [this](const httplib::Request& req, httplib::Response& res,
                                                  const Caller& caller) {
    auto body = ParseBody(req.body);
    if (!body.ok()) return ReplyError(res, body.status());
    std::optional<std::int64_t> version;
    auto input = ParseSurveyEvent(*body, version);
    if (!input.ok()) return ReplyError(res, input.status());
    auto view = caller.services().survey.Review(IdOf(req), *input, caller.actor, version, clock_.Now());
    if (!view.ok()) return ReplyError(res, view.status());
    Reply(res, 200, SurveyHouseholdToJson(caller.campaign(), *view));
  });

  Post(std::string(kHousehold) + "/enrollment", [this](const httplib::Request& req, httplib::Response& res,
                                                      const Caller& caller) {
    if (!req.body.empty() && req.body != "{}")
      return ReplyError(res, Status::InvalidArgument("body", "send no body: everything comes from the visit"));
    auto opened = caller.services().survey.OpenEnrollment(IdOf(req), caller.actor, clock_.Now());
    if (!opened.ok()) return ReplyError(res, opened.status());
    res.set_header("Location", "/api/enrollments/" + std::to_string(opened->enrollment.item.id));
    Reply(res, 201, {{"household", SurveyHouseholdToJson(caller.campaign(), opened->household)},
                     {"enrollment", ItemToJson(caller.campaign(), opened->enrollment, clock_.Now())}});
  });

  Post(std::string(kHousehold) + "/photos", [this](const httplib::Request& req, httplib::Response& res,
                                                  const Caller& caller) {
    // Who may add one is checked before the bytes are looked at: a refusal costs no upload check.
    auto view = caller.services().survey.Get(IdOf(req), caller.actor);
    if (!view.ok()) return ReplyError(res, view.status());
    std::optional<UploadedFile> upload = TakeUpload(req, res);
    if (!upload) return;
    auto photo = caller.services().survey.AddPhoto(IdOf(req), StoredFile{"", upload->name, 0, upload->content_type}, upload->bytes,
                                  caller.actor, clock_.Now());
    if (!photo.ok()) return ReplyError(res, photo.status());
    res.set_header("Location", req.path + "/" + photo->file.sha256);
    Reply(res, 201, SurveyPhotoToJson(*photo));
  });

  Get(std::string(kHousehold) + "/photos", [this](const httplib::Request& req, httplib::Response& res,
                                                 const Caller& caller) {
    auto photos = caller.services().survey.Photos(IdOf(req), caller.actor);
    if (!photos.ok()) return ReplyError(res, photos.status());
    json out = {{"files", json::array()}};
    for (const SurveyPhoto& photo : *photos) out["files"].push_back(SurveyPhotoToJson(photo));
    Reply(res, 200, out);
  });

  Get(std::string(kHousehold) + "/photos/([0-9a-f]{64})", [this](const httplib::Request& req, httplib::Response& res,
                                                                 const Caller& caller) {
    const std::string sha256 = req.matches[2].str();
    auto photo = caller.services().survey.PhotoBytes(IdOf(req), sha256, caller.actor);
    if (!photo.ok()) return ReplyError(res, photo.status());
    const StoredFile& file = photo->first.file;
    const std::string extension = file.name.substr(std::min(file.name.rfind('.'), file.name.size()));
    ReplyFile(res, std::move(photo->second), file.content_type, file.name,
              "visit-sheet-" + sha256.substr(0, 12) + extension);
  });

  Get(R"(/api/enrollments/(\d{1,18})/survey)", [this](const httplib::Request& req, httplib::Response& res,
                                                      const Caller& caller) {
    // The request itself first: one the caller may not see is 404, whatever its household.
    auto enrollment = caller.items().Get(ItemKind::kEnrollment, IdOf(req), caller.actor);
    if (!enrollment.ok()) return ReplyError(res, enrollment.status());
    auto household = caller.services().survey.HouseholdOfEnrollment(IdOf(req), caller.actor);
    if (!household.ok()) return ReplyError(res, household.status());
    Reply(res, 200, {{"household", *household ? SurveyHouseholdToJson(caller.campaign(), **household) : json(nullptr)}});
  });
}

}  // namespace rectify::web
