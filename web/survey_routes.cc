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

constexpr const char* kHousehold = "/api/survey/households/{id}";
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
  Get("/api/survey",
      RouteDoc("What the survey forms offer (team roles, household types, priorities) and its deadline")
          .Answer(200, schema::AnyObject("the campaign's survey settings"))
          .Errors({404}),
      [](const httplib::Request&, httplib::Response& res, const Caller& caller) {
    if (!caller.campaign().survey) return ReplyError(res, Status::NotFound("campaign " + caller.campaign().id + " has no survey"));
    Reply(res, 200, SurveySettingsToJson(caller.campaign()));
  });

  Get("/api/survey/coverage",
      RouteDoc("The survey's coverage per village and town-wide").AsOf()
          .Answer(200, schema::AnyObject("as_of, due, late, total, villages: [...]")),
      [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto as_of = ParseAsOf(HttplibParams(req), clock_.Now());
    if (!as_of.ok()) return ReplyError(res, as_of.status());
    auto coverage = caller.services().survey.Coverage(caller.actor, *as_of);
    if (!coverage.ok()) return ReplyError(res, coverage.status());
    Reply(res, 200, SurveyCoverageToJson(caller.campaign(), *coverage, *as_of));
  });

  // Like the problem import: the body is the file itself, CSV or XLSX (its first sheet).
  Post("/api/survey/households/import",
       RouteDoc("Import a village's household list (CSV or XLSX): a preview, or every new row stored")
           .Query("dry_run", schema::Enum({"1", "0", "true", "false"}), "1: preview only")
           .FileBody("the CSV (UTF-8 or GBK) or XLSX file (its first sheet)")
           .Answer(201, schema::AnyObject("dry_run, stored, ids, already_listed (dry run: valid, rows, errors)"),
                   "rows stored")
           .AlsoAnswers(200, "a dry run's preview")
           .Errors({413, 422}),
       [this](const httplib::Request& req, httplib::Response& res,
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

  Post("/api/survey/households",
       RouteDoc("Add one household to a village's list (plan_survey)")
           .JsonBody(schema::Object({{"village", schema::String()},
                                     {"group", schema::String("组")},
                                     {"head_name", schema::String()},
                                     {"household_type", schema::String()},
                                     {"priority", schema::String()},
                                     {"note", schema::String()},
                                     {"phone", schema::String()},
                                     {"id_number", schema::String()}},
                                    {"village", "head_name", "household_type", "priority"}))
           .Answer(201, schema::Ref("SurveyHousehold"))
           .Errors({409}),
       [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto body = ParseBody(req.body);
    if (!body.ok()) return ReplyError(res, body.status());
    auto input = ParseNewSurveyHousehold(*body);
    if (!input.ok()) return ReplyError(res, input.status());
    auto view = caller.services().survey.AddHousehold(*input, caller.actor, clock_.Now());
    if (!view.ok()) return ReplyError(res, view.status());
    res.set_header("Location", req.path + "/" + std::to_string(view->household.id));
    Reply(res, 201, SurveyHouseholdToJson(caller.campaign(), *view));
  });

  Get("/api/survey/households",
      RouteDoc("The survey's households the caller may see, paged by id")
          .Query("village", schema::String(), "one village")
          .RepeatedQuery("state", schema::Enum({"to_visit", "recorded", "spot_checked", "sent_back"}), "in any of these states")
          .Query("after", schema::Integer(), "next_after of the previous page")
          .Limit(50)
          .Answer(200, schema::Object({{"households", schema::ArrayOf(schema::Ref("SurveyHousehold"))},
                                       {"next_after", schema::Nullable(schema::Integer("or null on the last page"))}})),
      [](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto query = ParseSurveyQuery(req);
    if (!query.ok()) return ReplyError(res, query.status());
    auto views = caller.services().survey.List(*query, caller.actor);
    if (!views.ok()) return ReplyError(res, views.status());
    json out = {{"households", json::array()}, {"next_after", nullptr}};
    for (const SurveyHouseholdView& view : *views) out["households"].push_back(SurveyHouseholdToJson(caller.campaign(), view));
    if (static_cast<int>(views->size()) == query->limit) out["next_after"] = views->back().household.id;
    Reply(res, 200, out);
  });

  Get(kHousehold, RouteDoc("One household of the survey").Answer(200, schema::Ref("SurveyHousehold")).Errors({404}),
      [](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto view = caller.services().survey.Get(IdOf(req), caller.actor);
    if (!view.ok()) return ReplyError(res, view.status());
    Reply(res, 200, SurveyHouseholdToJson(caller.campaign(), *view));
  });

  Get(std::string(kHousehold) + "/history",
      RouteDoc("The household's survey events, oldest first")
          .Answer(200, schema::Object({{"events", schema::ArrayOf(schema::AnyObject("seq, event, actor, actor_name, at, note"))}}))
          .Errors({404}),
      [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto events = caller.services().survey.History(IdOf(req), caller.actor);
    if (!events.ok()) return ReplyError(res, events.status());
    const std::map<std::string, std::string> names = DisplayNamesOfActors();
    json out = {{"events", json::array()}};
    for (const SurveyEvent& event : *events) out["events"].push_back(SurveyEventToJson(event, names));
    Reply(res, 200, out);
  });

  Post(std::string(kHousehold) + "/visit",
       RouteDoc("Record the visit's sheet (附件2) (record_visit)")
           .JsonBody(schema::Object(
               {{"visited_on", schema::Date()},
                {"team", schema::ArrayOf(schema::Object({{"name", schema::String()}, {"role", schema::String()}},
                                                        {"name", "role"}))},
                {"members", schema::Integer()},
                {"income_last_year", schema::Number()},
                {"income_this_year", schema::Number()},
                {"rigid_spending", schema::Number()},
                {"spending_causes", schema::ArrayOf(schema::String())},
                {"education_secured", schema::Boolean()},
                {"medical_secured", schema::Boolean()},
                {"housing_secured", schema::Boolean()},
                {"water_secured", schema::Boolean()},
                {"assistance", schema::String()},
                {"findings", schema::String()},
                {"health_condition", schema::String()},
                {"conclusion", schema::String("no_risk or risk_found")},
                {"risk_type", schema::String()},
                {"risk_found_on", schema::Date()},
                {"category", schema::String()},
                {"version", schema::Integer()}},
               {"visited_on", "team", "members", "education_secured", "medical_secured", "housing_secured",
                "water_secured", "conclusion"}))
           .Answer(200, schema::Ref("SurveyHousehold"))
           .Errors({404, 409, 422}),
       [this](const httplib::Request& req, httplib::Response& res,
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

  Post(std::string(kHousehold) + "/events",
       RouteDoc("Spot-check a recorded visit, or send it back (spot_check_visit)")
           .JsonBody(schema::Object({{"event", schema::Enum({"spot_check", "send_back"})},
                                     {"reason", schema::String("send_back")},
                                     {"note", schema::String()},
                                     {"version", schema::Integer()}},
                                    {"event"}))
           .Answer(200, schema::Ref("SurveyHousehold"))
           .Errors({404, 409, 422}),
       [this](const httplib::Request& req, httplib::Response& res,
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

  Post(std::string(kHousehold) + "/enrollment",
       RouteDoc("Open the enrollment request of a risk the visit found (create_enrollment)")
           .JsonBody(schema::Object({}), true)
           .Answer(201, schema::Object({{"household", schema::Ref("SurveyHousehold")}, {"enrollment", schema::Ref("Item")}}))
           .Errors({404, 409}),
       [this](const httplib::Request& req, httplib::Response& res,
                                                      const Caller& caller) {
    if (!req.body.empty() && req.body != "{}")
      return ReplyError(res, Status::InvalidArgument("body", "send no body: everything comes from the visit"));
    auto opened = caller.services().survey.OpenEnrollment(IdOf(req), caller.actor, clock_.Now());
    if (!opened.ok()) return ReplyError(res, opened.status());
    res.set_header("Location", "/api/enrollments/" + std::to_string(opened->enrollment.item.id));
    Reply(res, 201, {{"household", SurveyHouseholdToJson(caller.campaign(), opened->household)},
                     {"enrollment", ItemToJson(caller.campaign(), opened->enrollment, clock_.Now())}});
  });

  Post(std::string(kHousehold) + "/photos",
       RouteDoc("Add the signed sheet's photo (record_visit, after the visit)")
           .UploadBody("an image or a PDF, at most 10 MiB")
           .Answer(201, schema::Ref("File"))
           .Errors({404, 409, 413, 415}),
       [this](const httplib::Request& req, httplib::Response& res,
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

  Get(std::string(kHousehold) + "/photos",
      RouteDoc("The household's sheet photos").Answer(200, schema::Object({{"files", schema::ArrayOf(schema::Ref("File"))}})).Errors({404}),
      [](const httplib::Request& req, httplib::Response& res,
                                                 const Caller& caller) {
    auto photos = caller.services().survey.Photos(IdOf(req), caller.actor);
    if (!photos.ok()) return ReplyError(res, photos.status());
    json out = {{"files", json::array()}};
    for (const SurveyPhoto& photo : *photos) out["files"].push_back(SurveyPhotoToJson(photo));
    Reply(res, 200, out);
  });

  Get(std::string(kHousehold) + "/photos/{sha256}",
      RouteDoc("One sheet photo's bytes")
          .FileAnswer({"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"}, "the file")
          .Errors({404}),
      [](const httplib::Request& req, httplib::Response& res,
                                                                 const Caller& caller) {
    const std::string sha256 = req.matches[2].str();
    auto photo = caller.services().survey.PhotoBytes(IdOf(req), sha256, caller.actor);
    if (!photo.ok()) return ReplyError(res, photo.status());
    const StoredFile& file = photo->first.file;
    ReplyFile(res, std::move(photo->second), file.content_type, DownloadName(file.name, file.content_type),
              "visit-sheet-" + sha256.substr(0, 12) + ExtensionOfType(file.content_type));
  });

  Get("/api/enrollments/{id}/survey",
      RouteDoc("The survey household whose visit opened this enrollment request, or null")
          .Answer(200, schema::Object({{"household", schema::Nullable(schema::AnyObject("the SurveyHousehold the request came from, or null"))}}))
          .Errors({404}),
      [](const httplib::Request& req, httplib::Response& res,
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
