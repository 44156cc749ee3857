// The operator's routes of ApiServer, which need no session: GET /api/health (is this process
// and its database well, when did its notifier last pass) and GET /metrics (ops/metrics.h);
// and the record of every answered request, counted and logged.
#include <httplib.h>

#include <chrono>

#include "web/api_server.h"
#include "web/http_reply.h"
#include "web/request_log.h"

namespace rectify::web {

void ApiServer::RouteOperations() {
  PublicGet("/api/health",
            RouteDoc("Whether the server answers, its database answers a query, when its notifier last passed, "
                     "its campaigns and its clock")
                .Describe("503 unavailable (with the same fields) while the database does not answer, so that a "
                          "load balancer sends requests elsewhere. notifier.last_pass is null while this process's "
                          "notifier has not finished a pass, or when the notifier runs elsewhere (rectify notify); a pass that "
                          "failed does not count as finished: notifier.failing is then true and last_failure says "
                          "when and why.")
                .Answer(200, schema::Object({{"status", schema::String("ok")},
                                             {"database", schema::AnyObject("{status: ok|unavailable, message?}")},
                                             {"notifier", schema::AnyObject("{last_pass: date-time or null, failing: boolean, last_failure: {at, why} or null}")},
                                             {"campaign", schema::Nullable(schema::String("the only campaign, or null when several"))},
                                             {"campaigns", schema::ArrayOf(schema::String())},
                                             {"now", schema::DateTime()}}))
                .Errors({503}),
            [this](const httplib::Request&, httplib::Response& res) {
    json campaigns = json::array();
    for (const auto& campaign : deployment_.campaigns) campaigns.push_back(campaign->id);
    const Campaign* only = deployment_.OnlyCampaign();
    const Status database = check_database_ ? check_database_() : Status::Unavailable("no database check");
    const std::optional<Instant> last_pass = metrics_.LastNotifierPass();
    const std::optional<ops::Metrics::PassFailure> failure = metrics_.LastNotifierFailure();
    // Failing: the last pass failed (none finished since); the API itself still answers, so the
    // status stays ok for a load balancer, and a monitor reads notifier.failing.
    const bool failing = failure && (!last_pass || *last_pass <= failure->at);
    json out = {{"status", database.ok() ? "ok" : "unavailable"},
                {"database", database.ok() ? json{{"status", "ok"}}
                                           : json{{"status", "unavailable"}, {"message", database.message()}}},
                {"notifier", {{"last_pass", last_pass ? json(FormatInstant(*last_pass)) : json(nullptr)},
                              {"failing", failing},
                              {"last_failure", failure ? json{{"at", FormatInstant(failure->at)}, {"why", failure->why}}
                                                       : json(nullptr)}}},
                {"campaign", only ? json(only->id) : json(nullptr)},
                {"campaigns", campaigns},
                {"now", FormatInstant(clock_.Now())}};
    if (!database.ok()) {
      out["error"] = "unavailable";
      out["message"] = "the database does not answer: " + database.message();
    }
    Reply(res, database.ok() ? 200 : 503, out);
  });

  // No session: a scraper is configured with a URL, and the figures name no person, item or
  // unit. Keep it from the internet at the reverse proxy (README, Operating rectify).
  PublicGet("/metrics",
            RouteDoc("This process's figures in the Prometheus text format (0.0.4): requests, transitions, outbox, "
                     "notifier, database write queue")
                .FileAnswer({"text/plain"}, "the Prometheus text exposition format")
                .Tag("operations"),
            [this](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
    res.set_content(metrics_.Exposition(), "text/plain; version=0.0.4; charset=utf-8");
  });
}

void ApiServer::Record(const httplib::Request& req, const httplib::Response& res) {
  const RequestNotes& notes = CurrentRequest();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - notes.started).count();
  metrics_.CountRequest(req.method, notes.route, res.status, seconds);
  if (options_.log == nullptr) return;
  json line = {{"request_id", notes.id},
               {"method", req.method},
               {"route", notes.route.empty() ? json(nullptr) : json(notes.route)},
               {"path", req.path},
               {"status", res.status},
               {"duration_ms", seconds * 1000},
               {"user", notes.user.empty() ? json(nullptr) : json(notes.user)},
               {"client", ClientAddressOf(req)}};
  if (notes.error.empty()) {
    options_.log->Info("request", std::move(line));
  } else {
    line["error"] = notes.error;
    options_.log->Error("request", std::move(line));
  }
}

}  // namespace rectify::web
