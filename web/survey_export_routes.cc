// 附件2 入户核查表 as files (exports/visit_sheet.h): one household's sheet, or a village's (or
// the town's) list, as XLSX or CSV. Who gets what, and whether personal data shows in full or
// masked, is engine/household_survey.h's; every export is recorded in the audit log first.
#include "exports/form_text.h"
#include "exports/visit_sheet.h"
#include "web/api_server.h"
#include "web/auth.h"
#include "web/form_reply.h"
#include "web/http_reply.h"

namespace rectify::web {

void ApiServer::RouteSurveyExports() {
  auto send = [](httplib::Response& res, const Caller& caller, const Result<exports::Table>& table,
                     const std::string& format, const FormName& name, const std::string& subject, Disclosure shown) {
    if (!table.ok()) return ReplyError(res, table.status());
    auto form = RenderForm(*table, format, OfTown(caller.campaign(), name),
                           std::string("personal data ") + (shown == Disclosure::kFull ? "full" : "masked"));
    if (!form.ok()) return ReplyError(res, form.status());
    const Status recorded = caller.services().survey.RecordExport(caller.actor, subject, form->audit_detail);
    if (!recorded.ok()) return ReplyError(res, recorded);
    ReplyForm(res, std::move(form).value());
  };

  Get("/api/exports/visits.{format}",
      FormDoc("附件2 入户核查表: a village's list, or the town's")
          .AsOf("the date the form is dated")
          .Query("village", schema::String(), "one village; none: the town"),
      [this, send](const httplib::Request& req, httplib::Response& res,
                                                        const Caller& caller) {
    auto query = ParseReportQuery(HttplibParams(req), clock_.Now(), {"village"});
    if (!query.ok()) return ReplyError(res, query.status());
    if (auto early = CheckFormAsOf(query->as_of, clock_.Now()); !early.ok()) return ReplyError(res, early);
    auto listed = caller.services().survey.ForForms(query->village, caller.actor);
    if (!listed.ok()) return ReplyError(res, listed.status());
    const std::optional<std::string>& village = listed->village;
    const std::string scope = village.value_or("town");
    const Unit* unit = village ? caller.campaign().FindUnit(*village) : nullptr;
    send(res, caller,
         exports::VisitListTable(caller.campaign(), listed->households, village, listed->disclosure, query->as_of),
         req.matches[1].str(), {"入户核查表-" + (unit ? unit->name : std::string("全镇")), "visits-" + scope},
         "visits " + scope, listed->disclosure);
  });

  Get("/api/exports/visits/{id}.{format}",
      FormDoc("附件2 入户核查表 of one household, to print and sign").AsOf("the date the form is dated").Errors({404}),
      [this, send](const httplib::Request& req,
                                                                   httplib::Response& res, const Caller& caller) {
    auto query = ParseReportQuery(HttplibParams(req), clock_.Now(), {});
    if (!query.ok()) return ReplyError(res, query.status());
    if (auto early = CheckFormAsOf(query->as_of, clock_.Now()); !early.ok()) return ReplyError(res, early);
    auto view = caller.services().survey.Get(IdOf(req), caller.actor);
    if (!view.ok()) return ReplyError(res, view.status());
    const Disclosure shown = view->personal_data_visible ? Disclosure::kFull : Disclosure::kMasked;
    const SurveyHousehold& h = view->household;
    send(res, caller, exports::VisitSheetTable(caller.campaign(), h, shown, query->as_of), req.matches[2].str(),
         // Two households may have heads of one name: the village and group tell them apart.
         {"入户核查表-" + exports::UnitName(caller.campaign(), h.village) + (h.group.empty() ? "" : "-" + h.group) + "-" + h.head_name,
          "visit-" + std::to_string(h.id)}, "survey household " + std::to_string(h.id),
         shown);
  });
}

}  // namespace rectify::web
