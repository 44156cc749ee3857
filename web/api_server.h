// The JSON API over HTTP (cpp-httplib). A deployment serves several campaigns
// (engine/deployment.h): every route of a campaign below is served at /api/campaigns/{id}/...
// ("/api/problems" at "/api/campaigns/gaoqiao-2021-autumn/problems") for the campaigns the caller
// may see, and at the path below itself only in a deployment of one campaign (404 otherwise).
// The deployment's own routes:
//   GET  /api/campaigns                  the campaigns the caller may see, phase and headline figures
//   GET  /api/rollup?as_of=              per town and campaign: open, overdue, closed on time or late,
//                                        send-backs, ledgers handed in (campaign_routes.cc)
//   POST /api/campaigns/{to}/problems/{id}/carry_over {"from": campaign}   回头看: an open problem of
//                                        an ended campaign carried into this one
//   GET  /api/health   POST /api/login   POST /api/logout   POST /api/me/password   /api/tokens
// A campaign's routes:
//   GET  /api/campaign   GET /api/me
//   GET  /api/overdue?as_of=&kind=&unit=&limit=&after_deadline=&after=
//   POST /api/{problems|enrollments}                 create (201)
//   GET  /api/{problems|enrollments}?filters         list, keyset-paged by id
//   GET  /api/{problems|enrollments}/{id}            one item with allowed_events
//   POST /api/{problems|enrollments}/{id}/events     fire an event
//   GET  /api/{problems|enrollments}/{id}/history    its events, oldest first
//   GET  /api/due_soon?as_of=&unit=&working_days=    open items due within N working days
//   GET  /api/gates?as_of=                           per phase gate, the items behind it by unit
//   GET  /api/outbox?state=&before=&limit=           the notifier's messages, newest first
//   POST /api/silences   GET /api/silences?as_of=    approved extensions (延期) muting reminders
//   GET  /api/audit?from=&to=&after=&limit=          the audit log, for a time range (export_audit)
// Files, forms and figures (README "Evidence, exports, dashboard, ledgers, scores"):
//   POST|GET /api/{problems|enrollments}/{id}/evidence   GET .../evidence/{sha256}   (evidence_routes.cc)
//   GET  /api/ledgers   POST /api/ledgers   POST /api/ledgers/{unit}/confirm
//   GET  /api/ledgers/{unit}/file                                                   (ledger_routes.cc)
//   GET  /api/exports/{ledger|roster|bulletin|scores}.{xlsx|csv}                     (export_routes.cc)
//   GET  /api/dashboard?as_of=   GET /api/scores?as_of=                              (dashboard_routes.cc)
// JSON bodies are limited to 1 MiB, uploads (multipart/form-data) to kMaxAttachmentBytes
// (web/body_limits.h); a POST without Content-Length or Transfer-Encoding has an empty body.
// Accounts (web/auth.h for how a request is identified):
//   POST /api/login  {username, password, session?: "cookie"|"bearer"}   no session needed; only
//                    application/json, and from a browser only from this server's page (auth.h)
//   POST /api/logout      GET /api/me      POST /api/me/password {current_password, new_password}
//   GET|POST /api/tokens  DELETE /api/tokens/{id}    the caller's own API tokens
//   GET|POST /api/users   POST /api/users/{username}/disable|reset_password   (manage_users)
// The web page (web/static_routes.cc), no session needed:
//   GET  /    GET /static/{file}                  index.html and the files of web/static/
// The household survey (入户核查, 附件2; web/survey_routes.cc lists its routes):
//   /api/survey, /api/survey/coverage, /api/survey/households[/{id}[/visit|events|enrollment|photos]]
//   GET /api/exports/visits.{xlsx|csv}?village=   GET /api/exports/visits/{id}.{xlsx|csv}   (export_routes.cc)
// Import (web/import_routes.cc):
//   POST /api/problems/import?dry_run=1          a CSV body: a preview with per-row errors,
//                                                  or all rows stored, or none (create_problem)
// Every route but /api/health and /api/login needs a session: a bearer token, or the session
// cookie plus the X-CSRF-Token header on anything but GET. What the campaign's permission table
// does not grant is 403; an item the caller may not see is 404.
// Every error is {"error": code, "message": ..., "field"?: ..., "allowed_events"?: [...]}
// with the status that ErrorStatusFor() gives.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "accounts/account_service.h"
#include "engine/clock.h"
#include "engine/deployment.h"
#include "web/api_services.h"
#include "web/connection_limits.h"

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
  // Safe from any thread; Serve() returns once in-flight requests finish.
  void Stop();
  // True once Serve() accepts connections.
  bool IsServing() const;

 private:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&, const Caller&)>;
  // A campaign's routes, which need a session: `pattern` ("/api/problems") is served at
  // /api/campaigns/{id}/problems for every campaign the caller may see and, in a deployment of
  // one campaign, at the pattern itself. The handler runs only for an identified caller with
  // caller.scope set.
  void Get(const std::string& pattern, Handler handler);
  void Post(const std::string& pattern, Handler handler);
  void Delete(const std::string& pattern, Handler handler);
  // The deployment's own routes that need a session (tokens, the campaign list, the roll-up):
  // served at `pattern` only, caller.scope unset.
  void DeploymentGet(const std::string& pattern, Handler handler);
  void DeploymentPost(const std::string& pattern, Handler handler);
  void DeploymentDelete(const std::string& pattern, Handler handler);
  std::function<void(const httplib::Request&, httplib::Response&)> Authenticated(Handler handler, bool scoped);
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
  Disclosure DisclosureFor(const Item& item, const Caller& caller) const;
  // The client's address as the login throttle counts it (behind a trusted proxy, forwarded).
  std::string ClientAddressOf(const httplib::Request& req) const;

  const Deployment& deployment_;
  const std::vector<CampaignApi> campaigns_;
  DeploymentService& overview_;
  const Clock& clock_;
  accounts::AccountService& accounts_;
  const ApiOptions options_;
  std::unique_ptr<GuardedServer> http_;
};

}  // namespace rectify::web
