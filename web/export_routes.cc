// The campaign's forms as files (exports/): the ledger (附件1), the household roster (附件3) and
// its public-notice version, the supervision bulletin (督查通报) and the villages' scores, each as
// XLSX or CSV. What goes into each, for whom, is engine/report_service.h's to decide; every export
// is recorded in the audit log before its bytes are sent.
#include "engine/date_rules.h"
#include "exports/bulletin.h"
#include "exports/ledger.h"
#include "exports/roster.h"
#include "exports/scores.h"
#include "web/api_server.h"
#include "web/auth.h"
#include "web/form_reply.h"
#include "web/http_reply.h"

namespace rectify::web {
namespace {

std::string UnitNameOr(const Campaign& campaign, const std::optional<std::string>& unit, const std::string& none) {
  if (!unit) return none;
  const Unit* found = campaign.FindUnit(*unit);
  return found ? found->name : *unit;
}

}  // namespace

void ApiServer::RouteExports() {
  // Audits, renders and sends one form, written by `write` as it renders; `format` is "xlsx" or "csv".
  auto send = [](httplib::Response& res, const Caller& caller, const FormContent& write, const std::string& format,
                 const FormName& name, const std::string& subject, const std::string& detail) {
    auto form = RenderForm(write, format, OfTown(caller.campaign(), name), detail);
    if (!form.ok()) return ReplyError(res, form.status());
    const Status recorded = caller.services().audit.RecordExport(caller.actor, subject, form->audit_detail);
    if (!recorded.ok()) return ReplyError(res, recorded);
    ReplyForm(res, std::move(form).value());
  };

  Get("/api/exports/ledger.{format}",
      FormDoc("附件1 问题排查整改台账: a unit's problems, or the town's")
          .AsOf("the date the form is dated")
          .Query("unit", schema::String(), "one unit (a unit member: only their own); none: the town"),
      [this, send](const httplib::Request& req, httplib::Response& res,
                                                        const Caller& caller) {
    auto query = ParseReportQuery(HttplibParams(req), clock_.Now(), {"unit"});
    if (!query.ok()) return ReplyError(res, query.status());
    if (auto early = CheckFormAsOf(query->as_of, clock_.Now()); !early.ok()) return ReplyError(res, early);
    auto ledger = caller.services().reports.Ledger(caller.actor, query->unit);
    if (!ledger.ok()) return ReplyError(res, ledger.status());
    const std::optional<std::string>& unit = ledger->unit;
    const auto write = [&](exports::FormWriter& out) {
      return exports::WriteLedger(caller.campaign(), ledger->problems, unit, query->as_of, out);
    };
    send(res, caller, write, req.matches[1].str(),
         {"问题排查整改台账-" + UnitNameOr(caller.campaign(), unit, "全镇"), "ledger-" + unit.value_or("town")},
         "ledger " + unit.value_or("town"), "");
  });

  Get("/api/exports/roster.{format}",
      FormDoc("附件3 花名册 of the households, or its public-notice version")
          .AsOf("the date the form is dated")
          .Query("village", schema::String(), "one village; none: the town")
          .Query("public", schema::Enum({"1", "0", "true", "false"}),
                 "1: the 公示 version, from the public-notice step on, without the personal columns"),
      [this, send](const httplib::Request& req, httplib::Response& res,
                                                        const Caller& caller) {
    auto query = ParseReportQuery(HttplibParams(req), clock_.Now(), {"village", "public"});
    if (!query.ok()) return ReplyError(res, query.status());
    if (auto early = CheckFormAsOf(query->as_of, clock_.Now()); !early.ok()) return ReplyError(res, early);
    auto roster = caller.services().reports.Roster(caller.actor, query->village, query->public_notice);
    if (!roster.ok()) return ReplyError(res, roster.status());
    const std::optional<std::string>& village = roster->village;
    const Disclosure disclosure = roster->disclosure;
    const char* level = disclosure == Disclosure::kFull ? "full" : disclosure == Disclosure::kMasked ? "masked" : "omitted";
    const auto write = [&](exports::FormWriter& out) {
      return exports::WriteRoster(caller.campaign(), roster->households, village, disclosure, query->as_of, out,
                                  roster->in_full);
    };
    send(res, caller, write, req.matches[1].str(),
         {std::string(query->public_notice ? "拟纳入监测对象名单公示-" : "拟纳入监测对象花名册-") +
              UnitNameOr(caller.campaign(), village, "全镇"),
          std::string(query->public_notice ? "roster-public-" : "roster-") + village.value_or("town")},
         "roster " + village.value_or("town"), std::string("personal data ") + level);
  });

  Get("/api/exports/bulletin.{format}",
      FormDoc("督查通报 of the overdue items (export_bulletin)").AsOf("overdue at this instant (default: now)"),
      [this, send](const httplib::Request& req, httplib::Response& res,
                                                          const Caller& caller) {
    auto query = ParseReportQuery(HttplibParams(req), clock_.Now(), {});
    if (!query.ok()) return ReplyError(res, query.status());
    if (auto early = CheckFormAsOf(query->as_of, clock_.Now()); !early.ok()) return ReplyError(res, early);
    auto bulletin = caller.services().reports.Bulletin(caller.actor, query->as_of);
    if (!bulletin.ok()) return ReplyError(res, bulletin.status());
    const auto write = [&](exports::FormWriter& out) {
      return exports::WriteBulletin(caller.campaign(), bulletin->with_deadline, bulletin->overdue, bulletin->rates,
                                    query->as_of, out);
    };
    send(res, caller, write, req.matches[1].str(),
         {"督查通报", "bulletin"}, "bulletin", "");
  });

  Get("/api/exports/scores.{format}",
      FormDoc("实效考核得分 of the villages (view_scores)")
          .AsOf("scored at this instant (default: now; an ended campaign's last second, as GET /scores)"),
      [this, send](const httplib::Request& req, httplib::Response& res,
                                                        const Caller& caller) {
    // Last year's form is last year's score, whatever day it is downloaded (as the dashboard's).
    auto query = ParseReportQuery(HttplibParams(req), RecordInstant(caller.campaign(), clock_.Now()), {});
    if (!query.ok()) return ReplyError(res, query.status());
    auto scores = caller.services().reports.Scores(caller.actor, query->as_of);
    if (!scores.ok()) return ReplyError(res, scores.status());
    auto table = exports::ScoresTable(caller.campaign(), *scores, query->as_of);
    if (!table.ok()) return ReplyError(res, table.status());
    const auto write = [&table](exports::FormWriter& out) { return exports::WriteTable(*table, out); };
    send(res, caller, write, req.matches[1].str(),
         {"实效考核得分", "scores"}, "scores", "");
  });
}

}  // namespace rectify::web
