// The JSON API over HTTP (cpp-httplib). Every route is registered with its description
// (web/route_table.h), and GET /api/openapi.json serves them all as an OpenAPI 3 document: that
// document, not a list here, is the reference.
// A deployment serves several campaigns (engine/deployment.h): every route of a campaign is
// served at /api/campaigns/{campaign}/... ("/api/problems" at
// "/api/campaigns/gaoqiao-2021-autumn/problems") for the campaigns the caller may see, and at the
// plain path only in a deployment of one campaign (404 otherwise). The route files, by concern:
//   api_server.cc        items: create, list (filters, q= search, sort, paging), one, events,
//                        history; overdue, due soon, gates, outbox, silences, audit
//   campaign_routes.cc   the deployment's: campaigns, roll-up, carry_over (回头看)
//   account_routes.cc    login, logout, me, password, tokens, users
//   static_routes.cc     the page (GET /, /static/{file}) and GET /api/openapi.json
//   operations_routes.cc GET /api/health and GET /metrics (Prometheus), for the operator
//   import_routes.cc     POST /api/problems/import
//   evidence_routes.cc   ledger_routes.cc   export_routes.cc   dashboard_routes.cc
//   survey_routes.cc     survey_export_routes.cc
// JSON bodies are limited to 1 MiB, uploads (multipart/form-data) to kMaxAttachmentBytes
// (web/body_limits.h); a POST without Content-Length or Transfer-Encoding has an empty body.
// Every route but /api/health, /metrics, /api/login, /api/openapi.json and the page needs a session: a
// bearer token, or the session cookie plus the X-CSRF-Token header on anything but GET. What
// the campaign's permission table does not grant is 403; an item the caller may not see is 404;
// a path served with other methods is 405 with Allow.
// Every answer carries X-Request-Id (web/request_log.h), and with ApiOptions::log each is logged.
// Every error is {"error": code, "message": ..., "field"?: ..., "allowed_events"?: [...]}
// with the status that ErrorStatusFor() gives.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "accounts/account_service.h"
#include "engine/clock.h"
#include "engine/deployment.h"
#include "ops/json_log.h"
#include "ops/metrics.h"
#include "web/api_services.h"
#include "web/connection_limits.h"
#include "web/route_table.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace rectify::web {

class GuardedServer;

// The HTTP status for a failed Status: 400 invalid, 401 not logged in, 403 denied, 404 not
// found, 409 not allowed now or conflict, 422 unprocessable, 429 too many attempts,
// 503 unavailable, 500 internal.
int ErrorStatusFor(StatusCode code);

struct Caller;

struct ApiOptions {
  // Marks the session cookie Secure: set when rectify is served behind HTTPS.
  bool secure_cookies = false;
  // Reverse proxies whose X-Forwarded-For names the client (web/auth.h ClientAddress), for the
  // login throttle; every other peer is the client itself.
  std::vector<std::string> trusted_proxies;
  // How long a browser keeps the session cookie; match AccountPolicy::session_lifetime.
  long session_cookie_seconds = 12 * 3600;
  // Workers, time limits and caps on client connections.
  ConnectionLimits connections;
  // Where each answered request is logged, one JSON line (web/request_log.h): its id, method,
  // route template, status, duration, user, client address; nullptr: not logged.
  ops::JsonLog* log = nullptr;
};

class ApiServer {
 public:
  // Every campaign of the deployment with its services, the deployment's own service and its
  // accounts; all must outlive the server.
  ApiServer(DeploymentApi api, const Clock& clock, ApiOptions options = {});
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds `host`:`port` (port 0 picks a free one) and returns the bound port, or kInternal
  // naming the address when it cannot bind (in use, no permission).
  Result<int> Bind(const std::string& host, int port);
  // Serves until Stop(); call after Bind(). Blocks the calling thread.
  Status Serve();
  // Safe from any thread; Serve() returns once in-flight requests finish. Stops only a server
  // whose Serve() has begun (httplib forgets a stop asked for earlier): true when it did, false
  // when Serve() has not begun or has ended; the caller asks again until Serve() returns.
  bool Stop();
  // True once Serve() accepts connections.
  bool IsServing() const;

 private:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&, const Caller&)>;
  using PublicHandler = std::function<void(const httplib::Request&, httplib::Response&)>;
  // A campaign's routes, which need a session: `path`, an OpenAPI template ("/api/problems/{id}"),
  // is served at /api/campaigns/{campaign}/problems/{id} for every campaign the caller may see
  // and, in a deployment of one campaign, at `path` itself; both are described by `doc` in
  // GET /api/openapi.json. The handler runs only for an identified caller with caller.scope set.
  void Get(const std::string& path, RouteDoc doc, Handler handler);
  void Post(const std::string& path, RouteDoc doc, Handler handler);
  void Delete(const std::string& path, RouteDoc doc, Handler handler);
  // The deployment's own routes that need a session (tokens, the campaign list, the roll-up):
  // served at `path` only, caller.scope unset.
  void DeploymentGet(const std::string& path, RouteDoc doc, Handler handler);
  void DeploymentPost(const std::string& path, RouteDoc doc, Handler handler);
  void DeploymentDelete(const std::string& path, RouteDoc doc, Handler handler);
  // A route that needs no session (doc.Public() is implied).
  void PublicGet(const std::string& path, RouteDoc doc, PublicHandler handler);
  void PublicPost(const std::string& path, RouteDoc doc, PublicHandler handler);
  void Register(const std::string& method, const std::string& path, RouteDoc doc, PublicHandler handler);
  void CampaignRoute(const std::string& method, const std::string& path, RouteDoc doc, Handler handler);
  PublicHandler Authenticated(Handler handler, bool scoped);
  // The campaign a campaign route names (or, on its plain path, the deployment's only one), if
  // the actor may see it; kNotFound otherwise.
  Result<const CampaignApi*> ScopeOf(const httplib::Request& req, const Actor& actor) const;

  void Route();
  void RouteNotifier();
  void RouteAccounts();
  void RouteStatic();
  void RouteImport();
  void RouteEvidence();
  void RouteLedgers();
  void RouteExports();
  void RouteDashboard();
  void RouteSurvey();
  void RouteSurveyExports();
  void RouteCampaigns();
  void RouteOpenApi();
  void RouteOperations();
  // Counts and logs one answered request, once its answer is complete (before it is written).
  void Record(const httplib::Request& req, const httplib::Response& res);
  Disclosure DisclosureFor(const Item& item, const Caller& caller) const;
  // The people behind actor names ("user demo.village1" -> its display name), so that a history or
  // an evidence list names people as the page shows them; empty when the accounts cannot be read
  // (the login names then stand).
  std::map<std::string, std::string> DisplayNamesOfActors() const;
  // The client's address as the login throttle counts it (behind a trusted proxy, forwarded).
  std::string ClientAddressOf(const httplib::Request& req) const;

  const Deployment& deployment_;
  const std::vector<CampaignApi> campaigns_;
  DeploymentService& overview_;
  const Clock& clock_;
  accounts::AccountService& accounts_;
  ops::Metrics& metrics_;
  const std::function<Status()> check_database_;
  const ApiOptions options_;
  std::unique_ptr<GuardedServer> http_;
  std::mutex stop_mutex_;  // Stop() from the signal thread and from the destructor
  bool stopped_ = false;
  RouteTable routes_;
  std::string openapi_document_;  // GET /api/openapi.json, built once every route is registered
};

}  // namespace rectify::web
