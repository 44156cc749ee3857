// The deployment's own routes across its campaigns: the campaign list, the county roll-up and
// carry-over (回头看). The rules are DeploymentService's (engine/deployment_service.h).
#include "web/api_server.h"
#include "web/auth.h"
#include "web/guarded_server.h"
#include "web/http_reply.h"
#include "web/json_codec.h"

namespace rectify::web {

void ApiServer::RouteCampaigns() {
  DeploymentGet("/api/campaigns", [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
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
    if (caller.by_cookie) out["csrf_token"] = CsrfTokenFor(caller.token);
    Reply(res, 200, out);
  });

  DeploymentGet("/api/rollup", [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto as_of = ParseAsOf(HttplibParams(req), clock_.Now());
    if (!as_of.ok()) return ReplyError(res, as_of.status());
    auto rollup = overview_.RollUp(caller.actor, *as_of);
    if (!rollup.ok()) return ReplyError(res, rollup.status());
    Reply(res, 200, RollupToJson(deployment_, *rollup));
  });

  // The campaign the problem is carried into names the route; the one it leaves is in the body.
  DeploymentPost(R"(/api/campaigns/([a-z0-9][a-z0-9_.-]{0,63})/problems/(\d{1,18})/carry_over)",
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
