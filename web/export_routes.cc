// The campaign's forms as files (exports/): the ledger (附件1), the household roster (附件3) and
// its public-notice version, the supervision bulletin (督查通报) and the villages' scores, each as
// XLSX or CSV. Every export is recorded in the audit log before its bytes are sent.
//
// Who gets what: the ledger of the whole town or any unit for those who see every item, of
// their own unit for a unit member (another unit is 403); the roster in full for those who may
// see the households' personal data (the office; a village its own), masked for everyone
// else, and without it (public=1) for anyone who may see the households; the bulletin for
// export_bulletin, the scores for view_scores.
#include <algorithm>

#include "engine/workflow.h"
#include "exports/bulletin.h"
#include "exports/ledger.h"
#include "exports/records.h"
#include "exports/roster.h"
#include "exports/scores.h"
#include "web/api_server.h"
#include "web/auth.h"
#include "web/form_reply.h"
#include "web/http_reply.h"

namespace rectify::web {
namespace {

Result<std::vector<Item>> AllItems(ItemStore& store, ItemKind kind) {
  ItemQuery query;
  query.kind = kind;
  return exports::LoadItems(store, query);
}

std::string UnitNameOr(const Campaign& campaign, const std::optional<std::string>& unit, const std::string& none) {
  if (!unit) return none;
  const Unit* found = campaign.FindUnit(*unit);
  return found ? found->name : *unit;
}

}  // namespace

void ApiServer::RouteExports() {
  // Audits, renders and sends one table; `format` is "xlsx" or "csv".
  auto send = [this](httplib::Response& res, const Caller& caller, const Result<exports::Table>& table,
                     const std::string& format, const FormName& name, const std::string& subject,
                     const std::string& detail) {
    if (!table.ok()) return ReplyError(res, table.status());
    auto form = RenderForm(*table, format, name, detail);
    if (!form.ok()) return ReplyError(res, form.status());
    const Status recorded =
        stores_.audit().AppendAudit(MakeAuditRecord(caller.actor.name, "export", subject, form->audit_detail));
    if (!recorded.ok()) return ReplyError(res, recorded);
    ReplyFile(res, std::move(form->bytes), form->content_type, form->file, form->fallback);
  };

  Get(R"(/api/exports/ledger\.(xlsx|csv))", [this, send](const httplib::Request& req, httplib::Response& res,
                                                        const Caller& caller) {
    auto query = ParseReportQuery(HttplibParams(req), clock_.Now(), {"unit"});
    if (!query.ok()) return ReplyError(res, query.status());
    std::optional<std::string> unit = query->unit;
    if (!campaign_.permissions.SeesAll(caller.actor)) {
      if (caller.actor.unit.empty() || (unit && *unit != caller.actor.unit))
        return ReplyError(res, Status::PermissionDenied(caller.actor.name + " may export only the ledger of unit " +
                                                        caller.actor.unit));
      unit = caller.actor.unit;
    }
    if (unit && campaign_.FindUnit(*unit) == nullptr)
      return ReplyError(res, Status::InvalidArgument("unit", "unknown unit \"" + *unit + "\""));
    ItemQuery items;
    items.kind = ItemKind::kProblem;
    items.unit = unit;
    auto records = exports::LoadRecords(stores_.items(), items);
    if (!records.ok()) return ReplyError(res, records.status());
    send(res, caller, exports::LedgerTable(campaign_, *records, unit, query->as_of), req.matches[1].str(),
         {"问题排查整改台账-" + UnitNameOr(campaign_, unit, "全镇"), "ledger-" + unit.value_or("town")},
         "ledger " + unit.value_or("town"), "");
  });

  Get(R"(/api/exports/roster\.(xlsx|csv))", [this, send](const httplib::Request& req, httplib::Response& res,
                                                        const Caller& caller) {
    auto query = ParseReportQuery(HttplibParams(req), clock_.Now(), {"village", "public"});
    if (!query.ok()) return ReplyError(res, query.status());
    const std::optional<std::string>& village = query->village;
    if (village && campaign_.FindUnit(*village) == nullptr)
      return ReplyError(res, Status::InvalidArgument("village", "unknown village \"" + *village + "\""));
    ItemQuery items;
    items.kind = ItemKind::kEnrollment;
    items.village = village;
    if (!campaign_.permissions.SeesAll(caller.actor)) {
      if (caller.actor.unit.empty() || (village && *village != caller.actor.unit))
        return ReplyError(res, Status::PermissionDenied(caller.actor.name + " may export only the households of unit " +
                                                        caller.actor.unit));
      items.visible_to_unit = caller.actor.unit;
    }
    if (query->public_notice) {
      // A public notice names the households that have reached it, not fresh risk clues.
      const std::vector<std::string> states = EnrollmentWorkflow().States();
      const auto from = std::find(states.begin(), states.end(), "rectifying.public_notice");
      items.state_paths.assign(from, states.end());
    }
    auto loaded = exports::LoadItems(stores_.items(), items);
    if (!loaded.ok()) return ReplyError(res, loaded.status());
    Disclosure disclosure = Disclosure::kOmitted;
    if (!query->public_notice) {
      const bool full = std::all_of(loaded->begin(), loaded->end(),
                                    [&](const Item& item) { return service_.MaySeePersonalData(item, caller.actor); });
      disclosure = full ? Disclosure::kFull : Disclosure::kMasked;
    }
    const char* level = disclosure == Disclosure::kFull ? "full" : disclosure == Disclosure::kMasked ? "masked" : "omitted";
    send(res, caller, exports::RosterTable(campaign_, *loaded, village, disclosure, query->as_of), req.matches[1].str(),
         {std::string(query->public_notice ? "拟纳入监测对象名单公示-" : "拟纳入监测对象花名册-") +
              UnitNameOr(campaign_, village, "全镇"),
          std::string(query->public_notice ? "roster-public-" : "roster-") + village.value_or("town")},
         "roster " + village.value_or("town"), std::string("personal data ") + level);
  });

  Get(R"(/api/exports/bulletin\.(xlsx|csv))", [this, send](const httplib::Request& req, httplib::Response& res,
                                                          const Caller& caller) {
    if (auto denied = service_.Require("export_bulletin", caller.actor); !denied.ok()) return ReplyError(res, denied);
    auto query = ParseReportQuery(HttplibParams(req), clock_.Now(), {});
    if (!query.ok()) return ReplyError(res, query.status());
    auto items = AllItems(stores_.items(), ItemKind::kProblem);
    if (!items.ok()) return ReplyError(res, items.status());
    auto enrollments = AllItems(stores_.items(), ItemKind::kEnrollment);
    if (!enrollments.ok()) return ReplyError(res, enrollments.status());
    items->insert(items->end(), enrollments->begin(), enrollments->end());
    send(res, caller, exports::BulletinTable(campaign_, *items, query->as_of), req.matches[1].str(),
         {"督查通报", "bulletin"}, "bulletin", "");
  });

  Get(R"(/api/exports/scores\.(xlsx|csv))", [this, send](const httplib::Request& req, httplib::Response& res,
                                                        const Caller& caller) {
    if (auto denied = service_.Require("view_scores", caller.actor); !denied.ok()) return ReplyError(res, denied);
    auto query = ParseReportQuery(HttplibParams(req), clock_.Now(), {});
    if (!query.ok()) return ReplyError(res, query.status());
    auto scores = exports::LoadVillageScores(campaign_, stores_.items(), query->as_of);
    if (!scores.ok()) return ReplyError(res, scores.status());
    send(res, caller, exports::ScoresTable(campaign_, *scores, query->as_of), req.matches[1].str(),
         {"实效考核得分", "scores"}, "scores", "");
  });
}

}  // namespace rectify::web
