// The figures behind the charts: GET /api/dashboard (engine/dashboard.h, plus the ledger
// hand-ins) and GET /api/scores (engine/village_scores.h). Those who see every item see the
// town's numbers; a unit member sees its own unit's: the problems it is responsible for, the
// households it may see, and its own ledger.
#include "engine/dashboard.h"
#include "engine/ledger_obligations.h"
#include "exports/records.h"
#include "exports/scores.h"
#include "web/api_server.h"
#include "web/auth.h"
#include "web/http_reply.h"
#include "web/report_json.h"
#include "web/survey_json.h"

namespace rectify::web {

void ApiServer::RouteDashboard() {
  Get("/api/dashboard", [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto query = ParseReportQuery(HttplibParams(req), clock_.Now(), {});
    if (!query.ok()) return ReplyError(res, query.status());
    const bool sees_all = campaign_.permissions.SeesAll(caller.actor);
    if (!sees_all && caller.actor.unit.empty())
      return ReplyError(res, Status::PermissionDenied(caller.actor.name + " belongs to no unit"));
    ItemQuery problems;
    problems.kind = ItemKind::kProblem;
    ItemQuery enrollments;
    enrollments.kind = ItemKind::kEnrollment;
    if (!sees_all) {
      problems.unit = caller.actor.unit;
      enrollments.visible_to_unit = caller.actor.unit;
    }
    auto problem_records = exports::LoadRecords(stores_.items(), problems);
    if (!problem_records.ok()) return ReplyError(res, problem_records.status());
    auto enrollment_records = exports::LoadRecords(stores_.items(), enrollments);
    if (!enrollment_records.ok()) return ReplyError(res, enrollment_records.status());
    auto ledgers = LoadLedgerStatuses(campaign_, stores_.items(), stores_.attachments(), query->as_of);
    if (!ledgers.ok()) return ReplyError(res, ledgers.status());

    json out = DashboardToJson(campaign_, BuildDashboard(campaign_, *problem_records, *enrollment_records, query->as_of));
    out["scope"] = sees_all ? json("town") : json(caller.actor.unit);
    const std::optional<Instant> due = LedgerDue(campaign_);
    json units = json::array();
    int owed = 0, handed_in = 0, confirmed = 0, overdue = 0;
    for (const LedgerStatus& status : *ledgers) {
      if (!sees_all && status.unit != caller.actor.unit) continue;
      ++owed;
      handed_in += status.handin ? 1 : 0;
      confirmed += status.handin && status.handin->confirmed_at ? 1 : 0;
      overdue += status.overdue ? 1 : 0;
      units.push_back(LedgerStatusToJson(campaign_, status));
    }
    out["ledgers"] = {{"due", due ? json(FormatInstant(*due)) : json(nullptr)},
                      {"owed", owed},
                      {"handed_in", handed_in},
                      {"confirmed", confirmed},
                      {"overdue", overdue},
                      {"units", units}};
    // The household survey's coverage beside the enrollment shares (engine/survey_coverage.h).
    if (campaign_.survey) {
      auto coverage = survey_.Coverage(caller.actor, query->as_of);
      if (!coverage.ok()) return ReplyError(res, coverage.status());
      out["survey"] = SurveyCoverageToJson(campaign_, *coverage, query->as_of);
    }
    Reply(res, 200, out);
  });

  Get("/api/scores", [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    if (auto denied = service_.Require("view_scores", caller.actor); !denied.ok()) return ReplyError(res, denied);
    auto query = ParseReportQuery(HttplibParams(req), clock_.Now(), {});
    if (!query.ok()) return ReplyError(res, query.status());
    auto scores = exports::LoadVillageScores(campaign_, stores_.items(), query->as_of);
    if (!scores.ok()) return ReplyError(res, scores.status());
    json out = {{"as_of", FormatInstant(query->as_of)},
                {"formula", ScoreFormulaToJson(*campaign_.scores)},
                {"villages", json::array()},
                {"data_errors", DataErrorsToJson(scores->data_errors)}};
    for (const VillageScore& score : scores->villages) out["villages"].push_back(VillageScoreToJson(campaign_, score));
    Reply(res, 200, out);
  });
}

}  // namespace rectify::web
