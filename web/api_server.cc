#include "web/api_server.h"

#include <cerrno>
#include <cstring>

#include <httplib.h>

#include <cstdio>
#include <exception>
#include <set>

#include "engine/attachments.h"
#include "engine/item_facts.h"
#include "web/auth.h"
#include "web/body_limits.h"
#include "web/guarded_server.h"
#include "web/http_reply.h"
#include "web/json_codec.h"
#include "web/request_log.h"

namespace rectify::web {
namespace {

// The names of the query string's parameters (req.params also holds a form body's fields).
std::vector<std::string> QueryStringNames(const std::string& target) {
  std::vector<std::string> names;
  const std::size_t question = target.find('?');
  if (question == std::string::npos) return names;
  std::size_t start = question + 1;
  while (start <= target.size()) {
    std::size_t end = target.find('&', start);
    if (end == std::string::npos) end = target.size();
    const std::string pair = target.substr(start, end - start);
    if (!pair.empty()) names.push_back(httplib::detail::decode_url(pair.substr(0, pair.find('=')), true));
    start = end + 1;
  }
  return names;
}


json SilenceBodySchema() {
  return schema::Object({{"item_id", schema::Integer()},
                         {"approved_by", schema::String("who approved the extension")},
                         {"until", schema::DateTime("a date or time, after now and within the campaign")},
                         {"reason", schema::String()}},
                        {"item_id", "approved_by", "until", "reason"});
}

json SilenceSchema() {
  return schema::AnyObject("{id, item_id, approved_by, until, reason, created_at}");
}

constexpr char kIdempotencyDoc[] =
    "An Idempotency-Key header (1-128 visible ASCII characters) makes the request safe to send again: the same "
    "key from the same user answers 200 with the item the first request made, as it is now, and header "
    "Idempotent-Replayed: true; nothing is written.";

RouteDoc CreateDoc(ItemKind kind) {
  if (kind == ItemKind::kProblem)
    return RouteDoc("Create a problem (create_problem); given a unit, it is assigned at once")
        .JsonBody(schema::Object({{"title", schema::String("the problem as found")},
                                  {"area", schema::Integer("the area's number, 1..16 for Gaoqiao")},
                                  {"source", schema::String("a source id of the campaign")},
                                  {"unit", schema::String("the responsible unit: assign at once")},
                                  {"cooperating_units", schema::ArrayOf(schema::String(), "配合单位")},
                                  {"measures", schema::String()},
                                  {"deadline", schema::DateTime("a date means the end of that day")},
                                  {"found_on", schema::Date("the day the inspection found it, not after today")}},
                                 {"title", "area", "source"}))
        .Describe(kIdempotencyDoc)
        .Answer(201, schema::Ref("Item"), "made")
        .AlsoAnswers(200, "the same request again (Idempotency-Key): the item it made, as it is now; nothing written");
  return RouteDoc("Open a household's enrollment request (识别纳入申请)")
      .JsonBody(schema::Object({{"household", schema::String("the head of household")},
                                {"village", schema::String("a village unit id")},
                                {"category", schema::String()},
                                {"risk_type", schema::String()},
                                {"risk_found_on", schema::Date("not in the future")},
                                {"clue_source", schema::String()},
                                {"members", schema::Integer()},
                                {"id_number", schema::String("18 characters, GB 11643 check character")},
                                {"phone", schema::String()},
                                {"bank_account", schema::String()},
                                {"health_condition", schema::String()},
                                {"deadline", schema::DateTime("default: two months from the risk date")}},
                               {"household", "village", "category", "risk_type", "risk_found_on", "clue_source"}))
      .Describe(kIdempotencyDoc)
      .Answer(201, schema::Ref("Item"), "made")
      .AlsoAnswers(200, "the same request again (Idempotency-Key): the item it made, as it is now; nothing written");
}

RouteDoc ListDoc(ItemKind kind) {
  RouteDoc doc(kind == ItemKind::kProblem ? "Problems the caller may see, filtered and paged"
                                          : "Enrollment requests the caller may see, filtered and paged");
  doc.Query("state", schema::String(), "top-level state (rectifying matches every step)")
      .Query("step", schema::String(), "a step of the state")
      .Query("unit", schema::String(), "responsible unit (a unit member: only their own)")
      .Query("overdue_as_of", schema::DateTime(), "open and past the deadline in force at this instant")
      .Query("changed_since", schema::DateTime(),
             "written at or after this instant (updated_at): a nightly pull asks for what changed since the start "
             "of its last run")
      .Query("q", schema::String(),
             "search: every word (split at spaces) appears in the title, measures, household head or a note of "
             "the history; Chinese by any part, three characters or more through the trigram index, shorter "
             "words by a scan of the indexed text; at most 8 words")
      .Query("sort", schema::Enum({"id", "deadline", "overdue", "unit", "area", "state", "-id", "-deadline", "-overdue",
                                   "-unit", "-area", "-state"}),
             "the order (default id): overdue is the deadline in force, most overdue first; unit and state in the "
             "campaign's order; a leading - reverses it; ties by id")
      .Query("after", schema::String(), "next_after of the previous page, in the same sort")
      .Limit(50)
      .Answer(200, schema::Ref("ItemList"));
  // The other kind's filters are refused (400), not ignored.
  if (kind == ItemKind::kProblem)
    doc.Query("area", schema::Integer(), "the area's number").Query("source", schema::String(), "a source id");
  else
    doc.Query("village", schema::String(), "the household's village");
  return doc;
}

RouteDoc EventDoc(ItemKind kind) {
  return RouteDoc(kind == ItemKind::kProblem ? "Fire an event on a problem" : "Fire an event on an enrollment request")
      .Describe("The events are the campaign's (README, The workflows); allowed_events on the item lists the "
                "caller's. 409 event_not_allowed when the state has no such transition, conflict when "
                "version is stale; 422 when the payload fails the rule (send_back without reason).")
      .JsonBody(schema::Object({{"event", schema::String()},
                                {"note", schema::String()},
                                {"unit", schema::String("assign, reassign")},
                                {"reason", schema::String("send_back, reopen")},
                                {"entered_on", schema::Date("close of an enrollment")},
                                {"explanation", schema::String("close_ineligible")},
                                {"deadline", schema::DateTime("request_extension, approve_extension, reopen: the new deadline")},
                                {"version", schema::Integer("the version read: refuse if it changed")}},
                               {"event"}))
      .Answer(200, schema::Ref("Item"))
      .Errors({404, 409, 422});
}

}  // namespace

int ErrorStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kFailedPrecondition: return 409;
    case StatusCode::kUnprocessable: return 422;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kResourceExhausted: return 429;
    case StatusCode::kAborted: return 409;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

ApiServer::ApiServer(DeploymentApi api, const Clock& clock, ApiOptions options)
    : deployment_(api.deployment),
      campaigns_(std::move(api.campaigns)),
      overview_(api.overview),
      clock_(clock),
      accounts_(api.accounts),
      metrics_(api.metrics),
      check_database_(std::move(api.check_database)),
      options_(options),
      http_(std::make_unique<GuardedServer>(options.connections)) {
  // Measured here: without TCP_NODELAY a keep-alive client waits ~40 ms per request (Nagle
  // meets delayed ACK), and httplib closes keep-alive connections after 5 requests by default.
  http_->set_tcp_nodelay(true);
  http_->set_keep_alive_max_count(10000);
  http_->set_payload_max_length(kMaxRequestBytes);
  http_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    ReplyError(res, Status::Internal(what));
  });
  // Routed handlers fill their own error bodies; this covers unknown routes, oversized bodies
  // and anything else httplib refuses before a handler runs.
  // httplib calls it outside the exception handler's reach, so it must not throw.
  // Every code is one of the README's table (ErrorCodeForHttpStatus).
  http_->set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request& req,
                                                                      httplib::Response& res) noexcept {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    try {
      if (res.status == 404) {
        const std::vector<std::string> allowed = routes_.MethodsFor(req.path);
        if (allowed.empty()) {
          Reply(res, 404, {{"error", "not_found"}, {"message", "no route " + req.method + " " + req.path}});
        } else {
          std::string allow;
          for (const std::string& method : allowed) allow += (allow.empty() ? "" : ", ") + method;
          res.set_header("Allow", allow);
          Reply(res, 405, {{"error", "method_not_allowed"},
                           {"message", req.method + " is not served at " + req.path + "; it answers " + allow}});
        }
      } else if (res.status == 413) {
        ReplyTooLarge(res, BodyLimitFor(req));
      } else {
        Reply(res, res.status, {{"error", ErrorCodeForHttpStatus(res.status)},
                                {"message", "HTTP " + std::to_string(res.status)}});
      }
    } catch (...) {
      res.set_content(R"({"error":"internal","message":"internal error"})", "application/json");
    }
    return httplib::Server::HandlerResponse::Handled;
  }));
  // A proxy's request id, when sane, names the request in our log as in the proxy's. Text that
  // is not UTF-8, or holds control characters, goes no further than this (engine/text.h).
  http_->set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    const std::string proposed = req.get_header_value(kRequestIdHeader);
    if (IsSaneRequestId(proposed)) CurrentRequest().id = proposed;
    const Status text = CheckRequestText(req);
    if (text.ok()) return httplib::Server::HandlerResponse::Unhandled;
    ReplyError(res, text);
    return httplib::Server::HandlerResponse::Handled;
  });
  // On every answer, errors included: nothing of ours may be framed, sniffed into another
  // type, cached (answers hold personal data) or leak its address in a Referer. The page's own
  // files, which hold none, say how they may be kept (static_routes.cc).
  // The answer is complete here, just before it is written: it is counted and logged now, so
  // that a client that reads it and then reads /metrics finds it counted.
  http_->set_post_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    Record(req, res);
    res.set_header(kRequestIdHeader, CurrentRequest().id);
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; object-src 'none'");
    if (!res.has_header("Cache-Control")) res.set_header("Cache-Control", "no-store");
    // httplib compresses an answer when the client accepts it: a cache between must key on that.
    res.set_header("Vary", "Accept-Encoding");
  });
  Route();
  RouteNotifier();
  RouteAccounts();
  RouteStatic();
  RouteImport();
  RouteEvidence();
  RouteLedgers();
  RouteExports();
  RouteDashboard();
  RouteSurvey();
  RouteSurveyExports();
  RouteCampaigns();
  RouteOperations();
  RouteOpenApi();
  openapi_document_ = routes_.OpenApi("rectify", "1").dump(-1, ' ', false, json::error_handler_t::replace);
}

ApiServer::PublicHandler ApiServer::Authenticated(Handler handler, bool scoped) {
  return [this, scoped, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
    if (!req.is_multipart_form_data() && req.body.size() > kMaxJsonBodyBytes) return ReplyTooLarge(res, kMaxJsonBodyBytes);
    Caller caller;
    if (auto bearer = BearerToken(req.get_header_value("Authorization"))) {
      caller.token = *bearer;
    } else if (auto cookie = CookieValue(req.get_header_value("Cookie"), kSessionCookie)) {
      caller.token = *cookie;
      caller.by_cookie = true;
    } else {
      res.set_header("WWW-Authenticate", "Bearer");
      return ReplyError(res, Status::Unauthenticated("not logged in: log in at POST /api/login"));
    }
    auto user = accounts_.Authenticate(caller.token, clock_.Now(), caller.bearer);
    if (!user.ok()) {
      if (caller.by_cookie) res.set_header("Set-Cookie", ExpiredSessionCookie(options_.secure_cookies));
      return ReplyError(res, user.status());
    }
    if (caller.bearer.read_only && req.method != "GET" && req.method != "HEAD")
      return ReplyError(res, Status::PermissionDenied("this API token may only read (GET): it was issued read_only"));
    // A cookie rides along on any request the browser makes, a forged one from another site
    // included; only our own page can read the token that the header must carry.
    if (caller.by_cookie && req.method != "GET" && req.method != "HEAD" &&
        !CsrfTokenMatches(caller.token, req.get_header_value(kCsrfHeader)))
      return ReplyError(res, Status::PermissionDenied("missing or wrong X-CSRF-Token header"));
    caller.user = std::move(user).value();
    CurrentRequest().user = caller.user.username;
    caller.actor = ActorFor(caller.user);
    if (scoped) {
      auto scope = ScopeOf(req, caller.actor);
      if (!scope.ok()) return ReplyError(res, scope.status());
      caller.scope = *scope;
    }
    handler(req, res, caller);
  };
}

Result<const CampaignApi*> ApiServer::ScopeOf(const httplib::Request& req, const Actor& actor) const {
  constexpr std::string_view kPrefix = "/api/campaigns/";
  const Campaign* named = nullptr;
  if (req.path.rfind(kPrefix, 0) == 0) {
    const std::string id = req.path.substr(kPrefix.size(), req.path.find('/', kPrefix.size()) - kPrefix.size());
    named = deployment_.FindCampaign(id);
    if (named == nullptr || !Deployment::MaySee(actor, *named)) return Status::NotFound("no campaign \"" + id + "\"");
  } else {
    named = deployment_.OnlyCampaign();
    if (named == nullptr)
      return Status::NotFound("this deployment serves " + std::to_string(deployment_.campaigns.size()) +
                              " campaigns: name one, /api/campaigns/{id}" + req.path.substr(4) +
                              " (GET /api/campaigns lists those you may see)");
    if (!Deployment::MaySee(actor, *named)) return Status::NotFound("no campaign \"" + named->id + "\" for you");
  }
  for (const CampaignApi& api : campaigns_)
    if (api.campaign == named) return &api;
  return Status::Internal("campaign \"" + named->id + "\" has no services");
}

// The only registration of a handler (GuardedServer::Handle): with its entry in routes_.
// The handler notes its route's template for the request's log line and metrics.
void ApiServer::Register(const std::string& method, const std::string& path, RouteDoc doc, PublicHandler handler) {
  // A query parameter the API route's documentation does not name is refused, as a body's
  // unknown field is: a typo (?asof=) must not pass for a request answered as if it were not
  // there. The page and its files take what a browser adds (?v=, ?campaign=).
  const bool checked = path.rfind("/api/", 0) == 0;
  std::set<std::string> known;
  for (const QueryDoc& param : doc.query()) known.insert(param.name);
  http_->Handle(method, routes_.Add(method, path, std::move(doc)),
                [path, checked, known = std::move(known), handler = std::move(handler)](
                    const httplib::Request& req, httplib::Response& res) {
                  CurrentRequest().route = path;
                  if (checked)
                    for (const std::string& name : QueryStringNames(req.target))
                      if (known.count(name) == 0)
                        return ReplyError(res, Status::InvalidArgument(name, "unknown query parameter"));
                  handler(req, res);
                });
}

// "/api/problems" and "/api/campaigns/{campaign}/problems": the campaign is read off the path by
// ScopeOf ({campaign} is no capture group), so the route's own groups keep their numbers.
void ApiServer::CampaignRoute(const std::string& method, const std::string& path, RouteDoc doc, Handler handler) {
  Register(method, kCampaignPrefix + path.substr(4), doc, Authenticated(handler, true));
  Register(method, path, std::move(doc), Authenticated(std::move(handler), true));
}

void ApiServer::Get(const std::string& path, RouteDoc doc, Handler handler) {
  CampaignRoute("GET", path, std::move(doc), std::move(handler));
}
void ApiServer::Post(const std::string& path, RouteDoc doc, Handler handler) {
  CampaignRoute("POST", path, std::move(doc), std::move(handler));
}
void ApiServer::Delete(const std::string& path, RouteDoc doc, Handler handler) {
  CampaignRoute("DELETE", path, std::move(doc), std::move(handler));
}
void ApiServer::DeploymentGet(const std::string& path, RouteDoc doc, Handler handler) {
  Register("GET", path, std::move(doc), Authenticated(std::move(handler), false));
}
void ApiServer::DeploymentPost(const std::string& path, RouteDoc doc, Handler handler) {
  Register("POST", path, std::move(doc), Authenticated(std::move(handler), false));
}
void ApiServer::DeploymentDelete(const std::string& path, RouteDoc doc, Handler handler) {
  Register("DELETE", path, std::move(doc), Authenticated(std::move(handler), false));
}
void ApiServer::PublicGet(const std::string& path, RouteDoc doc, PublicHandler handler) {
  Register("GET", path, std::move(doc.Public()), std::move(handler));
}
void ApiServer::PublicPost(const std::string& path, RouteDoc doc, PublicHandler handler) {
  Register("POST", path, std::move(doc.Public()), std::move(handler));
}

ApiServer::~ApiServer() { Stop(); }

Result<int> ApiServer::Bind(const std::string& host, int port) {
  const int bound = http_->Bind(host, port);
  if (bound <= 0) {
    // Why, as the system said it: "Address already in use" (another program has the port) and
    // "Cannot assign requested address" (--host is not this machine's) need different fixes.
    const int error = errno;
    return Status::Unavailable("cannot listen on " + host + ":" + std::to_string(port) +
                               (error != 0 ? std::string(": ") + std::strerror(error) : std::string()));
  }
  return bound;
}

Status ApiServer::Serve() {
  if (!http_->listen_after_bind()) return Status::Internal("the HTTP server stopped with an error");
  return Status::Ok();
}

bool ApiServer::Stop() {
  std::lock_guard<std::mutex> lock(stop_mutex_);
  // Once only: a second httplib stop() while its loop winds down finds the socket gone.
  if (stopped_ || !http_->is_running()) return stopped_;
  http_->stop();
  stopped_ = true;
  return true;
}

bool ApiServer::IsServing() const { return http_->is_running(); }

void ApiServer::Route() {
  Get("/api/campaign",
      RouteDoc("The campaign: phases, areas, units, deadlines, sources, the state and event labels")
          .Answer(200, schema::AnyObject("the campaign as the page reads it")),
      [](const httplib::Request&, httplib::Response& res, const Caller& caller) {
    Reply(res, 200, CampaignToJson(caller.campaign()));
  });

  Get("/api/overdue",
      RouteDoc("Open items past their deadline in force, most overdue first")
          .AsOf("overdue at this instant (default: now)")
          .Query("kind", schema::Enum({"problem", "enrollment"}), "one kind only")
          .Query("unit", schema::String(), "one responsible unit only")
          .Query("after_due", schema::DateTime(), "with after: next_page.after_due of the previous page")
          .Query("after", schema::Integer(), "with after_due: next_page.after of the previous page")
          .Limit(100)
          .Answer(200, schema::Object({{"as_of", schema::DateTime()},
                                       {"items", schema::ArrayOf(schema::Ref("Item"))},
                                       {"next_page", schema::Nullable(schema::AnyObject("{after_due, after}, or null on the last page"))}})),
      [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    const Instant now = clock_.Now();
    auto query = ParseOverdueQuery(HttplibParams(req), now);
    if (!query.ok()) return ReplyError(res, query.status());
    auto items = caller.items().Overdue(*query, caller.actor);
    if (!items.ok()) return ReplyError(res, items.status());
    json out = {{"as_of", FormatInstant(query->as_of)}, {"items", json::array()}, {"next_page", nullptr}};
    for (const Item& item : *items) {
      json row = ItemToJson(caller.campaign(), item, query->as_of, DisclosureFor(item, caller));
      row["seconds_overdue"] = query->as_of - *item.due_at;
      out["items"].push_back(std::move(row));
    }
    if (static_cast<int>(items->size()) == query->limit)
      out["next_page"] = {{"after_due", FormatInstant(*items->back().due_at)}, {"after", items->back().id}};
    Reply(res, 200, out);
  });

  for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
    const std::string base = kind == ItemKind::kProblem ? "/api/problems" : "/api/enrollments";
    const std::string noun = kind == ItemKind::kProblem ? "problem" : "enrollment request";

    Post(base, CreateDoc(kind), [this, kind](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
      auto body = ParseBody(req.body);
      if (!body.ok()) return ReplyError(res, body.status());
      auto key = ParseIdempotencyKey(req.get_header_value("Idempotency-Key"));
      if (!key.ok()) return ReplyError(res, key.status());
      Result<ItemView> created = Status::Internal("unreachable");
      if (kind == ItemKind::kProblem) {
        auto input = ParseNewProblem(*body);
        if (!input.ok()) return ReplyError(res, input.status());
        input->request_key = *key;
        created = caller.items().CreateProblem(*input, caller.actor, clock_.Now());
      } else {
        auto input = ParseNewEnrollment(*body);
        if (!input.ok()) return ReplyError(res, input.status());
        input->request_key = *key;
        created = caller.items().CreateEnrollment(*input, caller.actor, clock_.Now());
      }
      if (!created.ok()) return ReplyError(res, created.status());
      res.set_header("Location", req.path + "/" + std::to_string(created->item.id));
      // The same request again: its item as it is now, 200 rather than 201 (nothing was made).
      if (created->repeated) res.set_header("Idempotent-Replayed", "true");
      Reply(res, created->repeated ? 200 : 201, ItemToJson(caller.campaign(), *created, clock_.Now()));
    });

    Get(base, ListDoc(kind), [this, kind](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
      auto query = ParseItemQuery(kind, HttplibParams(req));
      if (!query.ok()) return ReplyError(res, query.status());
      auto page = caller.items().Page(*query, caller.actor);
      if (!page.ok()) return ReplyError(res, page.status());
      const Instant now = clock_.Now();
      json out = {{"items", json::array()}, {"total", page->total}, {"next_after", NextAfterToJson(*query, page->next)}};
      for (const Item& item : page->items)
        out["items"].push_back(ItemToJson(caller.campaign(), item, now, DisclosureFor(item, caller)));
      Reply(res, 200, out);
    });

    Get(base + "/{id}",
        RouteDoc("One " + noun + " with the events the caller may fire now").Answer(200, schema::Ref("Item")).Errors({404}),
        [this, kind](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
      auto view = caller.items().Get(kind, IdOf(req), caller.actor);
      if (!view.ok()) return ReplyError(res, view.status());
      Reply(res, 200, ItemToJson(caller.campaign(), *view, clock_.Now()));
    });

    Post(base + "/{id}/events", EventDoc(kind), [this, kind](const httplib::Request& req, httplib::Response& res,
                                                           const Caller& caller) {
      auto body = ParseBody(req.body);
      if (!body.ok()) return ReplyError(res, body.status());
      std::optional<std::int64_t> expected_version;
      auto input = ParseEventInput(*body, expected_version);
      if (!input.ok()) return ReplyError(res, input.status());
      auto view = caller.items().Fire(kind, IdOf(req), *input, caller.actor, expected_version, clock_.Now());
      if (!view.ok()) return ReplyError(res, view.status());
      metrics_.CountTransition(ItemKindName(kind), input->name);
      Reply(res, 200, ItemToJson(caller.campaign(), *view, clock_.Now()));
    });

    Get(base + "/{id}/history",
        RouteDoc("Every event of the " + noun + ", oldest first").Answer(200, schema::Ref("History")).Errors({404}),
        [this, kind](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
      auto events = caller.items().History(kind, IdOf(req), caller.actor);
      if (!events.ok()) return ReplyError(res, events.status());
      const std::map<std::string, std::string> names = DisplayNamesOfActors();
      json out = {{"events", json::array()}};
      for (const EventRecord& event : *events) out["events"].push_back(EventToJson(event, names));
      Reply(res, 200, out);
    });
  }
}

std::map<std::string, std::string> ApiServer::DisplayNamesOfActors() const {
  std::map<std::string, std::string> names;
  auto users = accounts_.ListUsers();
  if (!users.ok()) return names;
  for (const accounts::User& user : *users)
    if (!user.display_name.empty()) names["user " + user.username] = user.display_name;
  return names;
}

Disclosure ApiServer::DisclosureFor(const Item& item, const Caller& caller) const {
  return caller.items().MaySeePersonalData(item, caller.actor) ? Disclosure::kFull : Disclosure::kMasked;
}

void ApiServer::RouteNotifier() {
  Get("/api/due_soon",
      RouteDoc("Open items due within N working days, not yet late")
          .AsOf("from this instant (default: now)")
          .Query("unit", schema::String(), "one responsible unit only")
          .Query("working_days", schema::Integer(), "N (default: the campaign's due_soon_working_days)")
          .Answer(200, schema::Object({{"as_of", schema::DateTime()},
                                       {"last_day", schema::Date()},
                                       {"due_before", schema::DateTime()},
                                       {"items", schema::ArrayOf(schema::Ref("Item"))}})),
      [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    const HttplibParams params(req);
    auto query = ParseDueSoonQuery(caller.campaign(), params, clock_.Now());
    if (!query.ok()) return ReplyError(res, query.status());
    auto items = caller.items().Overdue(*query, caller.actor);
    if (!items.ok()) return ReplyError(res, items.status());
    // last_day: the window's last working day, a deadline at its 24:00 included; due_before: the
    // first instant after the window (DueSoonEnd), so every item listed is due before it.
    json out = {{"as_of", FormatInstant(*query->due_from)},
                {"last_day", FormatDate(DeadlineDay(query->as_of - 1))},
                {"due_before", FormatInstant(query->as_of)},
                {"items", json::array()}};
    for (const Item& item : *items)
      out["items"].push_back(ItemToJson(caller.campaign(), item, *query->due_from, DisclosureFor(item, caller)));
    Reply(res, 200, out);
  });

  // The gates with counts and a first page each; a gate's further pages from /api/gates/{n}/items
  // (n: its position in the list), so that a county's gates never answer every item at once.
  const auto gate_item = [](const Item& item) {
    return json{{"id", item.id}, {"title", item.title}, {"state", item.state.ToString()},
                {"unit", item.unit.empty() ? json(nullptr) : json(item.unit)}};
  };
  const auto next_after = [](const std::vector<Item>& page, int limit) {
    return static_cast<int>(page.size()) < limit ? json(nullptr) : json(page.back().id);
  };
  Get("/api/gates",
      RouteDoc("Each phase gate: how many items have not reached it, by responsible unit, and the first of them")
          .AsOf()
          .Limit(50)
          .Answer(200, schema::Object({{"as_of", schema::DateTime()},
                                       {"gates", schema::ArrayOf(schema::AnyObject(
                                                     "phase, phase_name, closes_at, passed, applies_to, at_least, "
                                                     "behind, behind_by_unit: {unit: count}, items: [{id, title, "
                                                     "state, unit}], next_after"))}})),
      [this, gate_item, next_after](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto query = ParseGatePageQuery(HttplibParams(req), clock_.Now(), /*paged=*/false);
    if (!query.ok()) return ReplyError(res, query.status());
    auto reports = caller.items().Gates(query->as_of, caller.actor, query->limit);
    if (!reports.ok()) return ReplyError(res, reports.status());
    json gates = json::array();
    for (const GateReport& report : *reports) {
      json items = json::array();
      for (const Item& item : report.first_page) items.push_back(gate_item(item));
      gates.push_back({{"phase", report.check.phase->id},
                       {"phase_name", report.check.phase->name},
                       {"closes_at", FormatInstant(report.check.closes_at)},
                       {"passed", report.check.passed},
                       {"applies_to", ItemKindName(report.check.kind)},
                       {"at_least", report.check.gate->at_least},
                       {"behind", report.behind},
                       {"behind_by_unit", report.behind_by_unit},
                       {"items", items},
                       {"next_after", next_after(report.first_page, query->limit)}});
    }
    Reply(res, 200, {{"as_of", FormatInstant(query->as_of)}, {"gates", gates}});
  });

  Get("/api/gates/{gate}/items",
      RouteDoc("The items behind one phase gate, a page at a time")
          .AsOf()
          .Query("after", schema::Integer(), "next_after of the previous page")
          .Limit(50)
          .Answer(200, schema::Object({{"as_of", schema::DateTime()},
                                       {"gate", schema::Integer()},
                                       {"items", schema::ArrayOf(schema::AnyObject("id, title, state, unit"))},
                                       {"next_after", schema::Nullable(schema::Nullable(schema::Integer("or null on the last page")))}}))
          .Errors({404}),
      [this, gate_item, next_after](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto query = ParseGatePageQuery(HttplibParams(req), clock_.Now(), /*paged=*/true);
    if (!query.ok()) return ReplyError(res, query.status());
    const std::size_t gate = std::stoul(req.matches[1].str());
    auto page = caller.items().GateItems(gate, query->as_of, caller.actor, query->after_id, query->limit);
    if (!page.ok()) return ReplyError(res, page.status());
    json items = json::array();
    for (const Item& item : *page) items.push_back(gate_item(item));
    Reply(res, 200, {{"as_of", FormatInstant(query->as_of)}, {"gate", gate}, {"items", items},
                     {"next_after", next_after(*page, query->limit)}});
  });

  Get("/api/outbox",
      RouteDoc("The notifier's messages, newest first")
          .Query("state", schema::Enum({"pending", "sent", "failed", "dead"}), "one state only")
          .Query("before", schema::Integer(), "next_before of the previous page")
          .Limit(50)
          .Answer(200, schema::Object({{"messages", schema::ArrayOf(schema::AnyObject(
                                                        "id, unit, channel, state, attempts, item_count, message, "
                                                        "created_at, next_attempt_at, sent_at, last_error"))},
                                       {"total", schema::Integer("the messages of every page together")},
                                       {"next_before", schema::Nullable(schema::Nullable(schema::Integer("or null on the last page")))}})),
      [](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto query = ParseOutboxQuery(HttplibParams(req));
    if (!query.ok()) return ReplyError(res, query.status());
    auto messages = caller.services().outbox.List(caller.actor, query->state, query->before_id, query->limit);
    if (!messages.ok()) return ReplyError(res, messages.status());
    auto total = caller.services().outbox.Count(caller.actor, query->state);
    if (!total.ok()) return ReplyError(res, total.status());
    json out = {{"messages", json::array()}, {"total", *total}, {"next_before", nullptr}};
    for (const notifier::OutboxMessage& m : *messages) out["messages"].push_back(OutboxMessageToJson(m));
    if (static_cast<int>(messages->size()) == query->limit) out["next_before"] = messages->back().id;
    Reply(res, 200, out);
  });

  Get("/api/channels",
      RouteDoc("The units of the campaign with no notification channel in the channel file (view_outbox)")
          .Answer(200, schema::Object({{"units_without_channel",
                                        schema::ArrayOf(schema::AnyObject("unit, name"))}})),
      [](const httplib::Request&, httplib::Response& res, const Caller& caller) {
    auto without = caller.services().outbox.UnitsWithoutChannel(caller.actor);
    if (!without.ok()) return ReplyError(res, without.status());
    json units = json::array();
    for (const Unit* unit : *without) units.push_back({{"unit", unit->id}, {"name", unit->name}});
    Reply(res, 200, {{"units_without_channel", units}});
  });

  Post("/api/silences",
       RouteDoc("Record an approved extension (延期) that mutes an item's reminders until a date")
           .JsonBody(SilenceBodySchema())
           .Answer(201, SilenceSchema())
           .Errors({404}),
       [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto body = ParseBody(req.body);
    if (!body.ok()) return ReplyError(res, body.status());
    auto silence = ParseSilence(*body);
    if (!silence.ok()) return ReplyError(res, silence.status());
    auto stored = caller.services().silences.Add(*silence, caller.actor, clock_.Now());
    if (!stored.ok()) return ReplyError(res, stored.status());
    Reply(res, 201, SilenceToJson(*stored));
  });

  Get("/api/silences",
      RouteDoc("The silences in force at an instant")
          .AsOf("in force at this instant (default: now)")
          .Answer(200, schema::Object({{"as_of", schema::DateTime()}, {"silences", schema::ArrayOf(SilenceSchema())}})),
      [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto as_of = ParseAsOf(HttplibParams(req), clock_.Now());
    if (!as_of.ok()) return ReplyError(res, as_of.status());
    auto silences = caller.services().silences.Active(*as_of, caller.actor);
    if (!silences.ok()) return ReplyError(res, silences.status());
    json out = {{"as_of", FormatInstant(*as_of)}, {"silences", json::array()}};
    for (const Silence& s : *silences) out["silences"].push_back(SilenceToJson(s));
    Reply(res, 200, out);
  });

  Post("/api/silences/{id}/end",
       RouteDoc("End a silence early: the item's reminders resume")
           .JsonBody(schema::Object({}), true)
           .Answer(200, SilenceSchema())
           .Errors({404}),
       [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto ended = caller.services().silences.End(IdOf(req), caller.actor, clock_.Now());
    if (!ended.ok()) return ReplyError(res, ended.status());
    Reply(res, 200, SilenceToJson(*ended));
  });

  Get("/api/audit",
      RouteDoc("The audit log for a time range (export_audit); the read is itself recorded")
          .Query("from", schema::DateTime(), "from this instant", true)
          .Query("to", schema::DateTime(), "to this instant (default: now)")
          .Query("after", schema::Integer(), "next_after of the previous page")
          .Limit(200)
          .Answer(200, schema::Object({{"from", schema::DateTime()},
                                       {"to", schema::DateTime()},
                                       {"records", schema::ArrayOf(schema::AnyObject(
                                                       "seq, at, actor, action, subject, detail, prev_hash, hash"))},
                                       {"next_after", schema::Nullable(schema::Integer("or null on the last page"))}})),
      [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto query = ParseAuditQuery(HttplibParams(req), clock_.Now());
    if (!query.ok()) return ReplyError(res, query.status());
    auto records = caller.services().audit.Read(*query, caller.actor);
    if (!records.ok()) return ReplyError(res, records.status());
    json out = {{"from", FormatInstant(query->from)}, {"to", FormatInstant(query->to)},
                {"records", json::array()}, {"next_after", nullptr}};
    for (const AuditRecord& record : *records) out["records"].push_back(AuditRecordToJson(record));
    if (static_cast<int>(records->size()) == query->limit) out["next_after"] = records->back().seq;
    Reply(res, 200, out);
  });
}

}  // namespace rectify::web
