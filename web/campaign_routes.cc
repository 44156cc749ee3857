// The deployment's own routes across its campaigns: the campaign list, the county roll-up and
// carry-over (回头看). The rules are DeploymentService's (engine/deployment_service.h).
#include "web/api_server.h"
#include "web/auth.h"
#include "web/guarded_server.h"
#include "web/http_reply.h"
#include "web/json_codec.h"

namespace rectify::web {

void ApiServer::RouteCampaigns() {
  DeploymentGet("/api/campaigns",
                RouteDoc("The campaigns the caller may see, with their phase and headline figures")
                    .AsOf("the figures at this instant (default: now)")
                    .Answer(200, schema::Object({{"as_of", schema::DateTime()},
                                                 {"user", schema::Ref("User")},
                                                 {"county", schema::Nullable(schema::String())},
                                                 {"county_name", schema::Nullable(schema::String())},
                                                 {"campaigns", schema::ArrayOf(schema::AnyObject(
                                                                   "id, name, town, town_name, start, end, phase, phases_in_force, ended, figures, "
                                                                   "data_errors"))},
                                                 {"csrf_token", schema::String("cookie sessions")},
                                                 {"idle_timeout_seconds",
                                                  schema::Integer("cookie sessions: a login ends after this long without a request")}})),
                [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto as_of = ParseAsOf(HttplibParams(req), clock_.Now());
    if (!as_of.ok()) return ReplyError(res, as_of.status());
    auto campaigns = overview_.Campaigns(caller.actor, *as_of);
    if (!campaigns.ok()) return ReplyError(res, campaigns.status());
    json out = {{"as_of", FormatInstant(*as_of)},
                {"user", UserToJson(deployment_, caller.user)},
                {"county", deployment_.county.empty() ? json(nullptr) : json(deployment_.county)},
                {"county_name", deployment_.county_name.empty() ? json(nullptr) : json(deployment_.county_name)},
                {"campaigns", json::array()}};
    for (const CampaignSummary& summary : *campaigns)
      out["campaigns"].push_back(CampaignSummaryToJson(deployment_, summary));
    if (caller.by_cookie) {
      out["csrf_token"] = CsrfTokenFor(caller.token);
      // The page warns before the end, so that reading a long list is not cut short unannounced.
      out["idle_timeout_seconds"] = accounts_.policy().session_idle_timeout;
    }
    Reply(res, 200, out);
  });

  DeploymentGet("/api/rollup",
                RouteDoc("Per town and campaign: open, overdue, closed on time or late, send-backs, ledgers handed in")
                    .AsOf("the figures at this instant (default: now)")
                    .Answer(200, schema::AnyObject("as_of, towns: [{town, campaigns: [...]}]")),
                [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto as_of = ParseAsOf(HttplibParams(req), clock_.Now());
    if (!as_of.ok()) return ReplyError(res, as_of.status());
    auto rollup = overview_.RollUp(caller.actor, *as_of);
    if (!rollup.ok()) return ReplyError(res, rollup.status());
    Reply(res, 200, RollupToJson(deployment_, *rollup));
  });

  // The campaign the problem is carried into names the route; the one it leaves is in the body.
  DeploymentPost("/api/campaigns/{to}/problems/{id}/carry_over",
                 RouteDoc("回头看: carry an open problem of an ended campaign into this one")
                     .JsonBody(schema::Object({{"from", schema::String("the campaign the problem leaves")},
                                               {"deadline", schema::DateTime("its deadline in this campaign")},
                                               {"area", schema::Integer("its area in this campaign")},
                                               {"unit", schema::String("another responsible unit in this campaign, "
                                                                       "where it could be reassigned; asked to sign")}},
                                              {"from"}))
                     .Answer(200, schema::Ref("Item"))
                     .Errors({404, 409, 422}),
                 [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
                   auto body = ParseBody(req.body);
                   if (!body.ok()) return ReplyError(res, body.status());
                   auto request = ParseCarryOver(*body);
                   if (!request.ok()) return ReplyError(res, request.status());
                   const std::string to = req.matches[1].str();
                   auto carried = overview_.CarryOver(request->from, to, std::stoll(req.matches[2].str()),
                                                      request->input, caller.actor, clock_.Now());
                   if (!carried.ok()) return ReplyError(res, carried.status());
                   Reply(res, 200, ItemToJson(*deployment_.FindCampaign(to), *carried, clock_.Now()));
                 });
}

}  // namespace rectify::web
