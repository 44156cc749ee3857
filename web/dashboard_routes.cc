// The figures behind the charts: GET /api/dashboard (engine/report_service.h, plus the ledger
// hand-ins and the survey's coverage) and GET /api/scores (engine/village_scores.h). Who sees
// which figures is the services' to decide.
#include "engine/dashboard.h"
#include "engine/date_rules.h"
#include "engine/ledger_obligations.h"
#include "web/api_server.h"
#include "web/auth.h"
#include "web/http_reply.h"
#include "web/report_json.h"
#include "web/survey_json.h"

namespace rectify::web {

void ApiServer::RouteDashboard() {
  Get("/api/dashboard",
      RouteDoc("The figures behind the charts: the town's for those who see all, a unit's own for its members")
          .AsOf("the instant the answer is for (default: now, or once the campaign has ended its last second)")
          .Answer(200, schema::AnyObject("as_of, scope, timeline, burn_down, units, areas, enrollment, ledgers, "
                                         "survey, data_errors (README, Evidence, exports, dashboard)")),
      [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto query = ParseReportQuery(HttplibParams(req), RecordInstant(caller.campaign(), clock_.Now()), {});
    if (!query.ok()) return ReplyError(res, query.status());
    auto report = caller.services().reports.Dashboard(caller.actor, query->as_of);
    if (!report.ok()) return ReplyError(res, report.status());
    auto ledgers = caller.services().ledgers.Statuses(caller.actor, query->as_of);
    if (!ledgers.ok()) return ReplyError(res, ledgers.status());

    json out = DashboardToJson(caller.campaign(), report->dashboard);
    out["scope"] = report->unit ? json(*report->unit) : json("town");
    const std::optional<Instant> due = LedgerDue(caller.campaign());
    json units = json::array();
    int owed = 0, handed_in = 0, confirmed = 0, overdue = 0;
    for (const LedgerStatus& status : *ledgers) {
      ++owed;
      handed_in += status.handin ? 1 : 0;
      confirmed += status.handin && status.handin->confirmed_at ? 1 : 0;
      overdue += status.overdue ? 1 : 0;
      units.push_back(LedgerStatusToJson(caller.campaign(), status));
    }
    out["ledgers"] = {{"due", due ? json(FormatInstant(*due)) : json(nullptr)},
                      {"owed", owed},
                      {"handed_in", handed_in},
                      {"confirmed", confirmed},
                      {"overdue", overdue},
                      {"units", units}};
    // The household survey's coverage beside the enrollment shares (engine/survey_coverage.h).
    if (caller.campaign().survey) {
      auto coverage = caller.services().survey.Coverage(caller.actor, query->as_of);
      if (!coverage.ok()) return ReplyError(res, coverage.status());
      out["survey"] = SurveyCoverageToJson(caller.campaign(), *coverage, query->as_of);
    }
    Reply(res, 200, out);
  });

  Get("/api/scores",
      RouteDoc("The villages ranked by the campaign's score formula (view_scores)")
          .AsOf("the instant the answer is for (default: now, or once the campaign has ended its last second)")
          .Answer(200, schema::AnyObject("as_of, formula, villages: [{rank, village, score, ...}], data_errors")),
      [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto query = ParseReportQuery(HttplibParams(req), RecordInstant(caller.campaign(), clock_.Now()), {});
    if (!query.ok()) return ReplyError(res, query.status());
    auto scores = caller.services().reports.Scores(caller.actor, query->as_of);
    if (!scores.ok()) return ReplyError(res, scores.status());
    json out = {{"as_of", FormatInstant(query->as_of)},
                {"formula", ScoreFormulaToJson(*caller.campaign().scores)},
                {"villages", json::array()},
                {"data_errors", DataErrorsToJson(scores->data_errors)}};
    for (const VillageScore& score : scores->villages) out["villages"].push_back(VillageScoreToJson(caller.campaign(), score));
    Reply(res, 200, out);
  });
}

}  // namespace rectify::web
