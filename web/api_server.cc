#include "web/api_server.h"

#include <httplib.h>

#include <cstdio>
#include <exception>

#include "engine/attachments.h"
#include "web/auth.h"
#include "web/body_limits.h"
#include "web/guarded_server.h"
#include "web/http_reply.h"
#include "web/json_codec.h"

namespace rectify::web {

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
  http_->set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req,
                                                                  httplib::Response& res) noexcept {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    try {
      if (res.status == 404)
        Reply(res, 404, {{"error", "not_found"}, {"message", "no route " + req.method + " " + req.path}});
      else if (res.status == 413)
        ReplyTooLarge(res, BodyLimitFor(req));
      else
        Reply(res, res.status, {{"error", "http_error"}, {"message", "HTTP " + std::to_string(res.status)}});
    } catch (...) {
      res.set_content(R"({"error":"internal","message":"internal error"})", "application/json; charset=utf-8");
    }
    return httplib::Server::HandlerResponse::Handled;
  }));
  // Text that is not UTF-8, or holds control characters, goes no further than this (engine/text.h).
  http_->set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    const Status text = CheckRequestText(req);
    if (text.ok()) return httplib::Server::HandlerResponse::Unhandled;
    ReplyError(res, text);
    return httplib::Server::HandlerResponse::Handled;
  });
  // On every answer, errors included: nothing of ours may be framed, sniffed into another
  // type, cached (answers hold personal data) or leak its address in a Referer.
  http_->set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; object-src 'none'");
    res.set_header("Cache-Control", "no-store");
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
}

std::function<void(const httplib::Request&, httplib::Response&)> ApiServer::Authenticated(Handler handler,
                                                                                         bool scoped) {
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
    auto user = accounts_.Authenticate(caller.token, clock_.Now());
    if (!user.ok()) {
      if (caller.by_cookie) res.set_header("Set-Cookie", ExpiredSessionCookie(options_.secure_cookies));
      return ReplyError(res, user.status());
    }
    // A cookie rides along on any request the browser makes, a forged one from another site
    // included; only our own page can read the token that the header must carry.
    if (caller.by_cookie && req.method != "GET" && req.method != "HEAD" &&
        !CsrfTokenMatches(caller.token, req.get_header_value(kCsrfHeader)))
      return ReplyError(res, Status::PermissionDenied("missing or wrong X-CSRF-Token header"));
    caller.user = std::move(user).value();
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

namespace {

// "/api/problems" -> "/api/campaigns/(?:...)/problems": the campaign is read off the path by
// ScopeOf, so the route's own groups (an item's id) keep their numbers.
std::string CampaignPattern(const std::string& pattern) {
  return "/api/campaigns/(?:[a-z0-9][a-z0-9_.-]{0,63})" + pattern.substr(4);
}

}  // namespace

void ApiServer::Get(const std::string& pattern, Handler handler) {
  http_->Get(CampaignPattern(pattern), Authenticated(handler, true));
  http_->Get(pattern, Authenticated(std::move(handler), true));
}
void ApiServer::Post(const std::string& pattern, Handler handler) {
  http_->Post(CampaignPattern(pattern), Authenticated(handler, true));
  http_->Post(pattern, Authenticated(std::move(handler), true));
}
void ApiServer::Delete(const std::string& pattern, Handler handler) {
  http_->Delete(CampaignPattern(pattern), Authenticated(handler, true));
  http_->Delete(pattern, Authenticated(std::move(handler), true));
}
void ApiServer::DeploymentGet(const std::string& pattern, Handler handler) {
  http_->Get(pattern, Authenticated(std::move(handler), false));
}
void ApiServer::DeploymentPost(const std::string& pattern, Handler handler) {
  http_->Post(pattern, Authenticated(std::move(handler), false));
}
void ApiServer::DeploymentDelete(const std::string& pattern, Handler handler) {
  http_->Delete(pattern, Authenticated(std::move(handler), false));
}

ApiServer::~ApiServer() { Stop(); }

Result<int> ApiServer::Bind(const std::string& host, int port) {
  const int bound = http_->Bind(host, port);
  if (bound <= 0) return Status::Internal("cannot listen on " + host + ":" + std::to_string(port));
  return bound;
}

Status ApiServer::Serve() {
  if (!http_->listen_after_bind()) return Status::Internal("the HTTP server stopped with an error");
  return Status::Ok();
}

void ApiServer::Stop() {
  if (http_->is_running()) http_->stop();
}

bool ApiServer::IsServing() const { return http_->is_running(); }

void ApiServer::Route() {
  http_->Get("/api/health", [this](const httplib::Request&, httplib::Response& res) {
    json campaigns = json::array();
    for (const auto& campaign : deployment_.campaigns) campaigns.push_back(campaign->id);
    const Campaign* only = deployment_.OnlyCampaign();
    Reply(res, 200, {{"status", "ok"},
                     {"campaign", only ? json(only->id) : json(nullptr)},
                     {"campaigns", campaigns},
                     {"now", FormatInstant(clock_.Now())}});
  });
  Get("/api/campaign", [](const httplib::Request&, httplib::Response& res, const Caller& caller) {
    Reply(res, 200, CampaignToJson(caller.campaign()));
  });

  Get("/api/overdue", [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
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

    Post(base, [this, kind](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
      auto body = ParseBody(req.body);
      if (!body.ok()) return ReplyError(res, body.status());
      Result<ItemView> created = Status::Internal("unreachable");
      if (kind == ItemKind::kProblem) {
        auto input = ParseNewProblem(*body);
        if (!input.ok()) return ReplyError(res, input.status());
        created = caller.items().CreateProblem(*input, caller.actor, clock_.Now());
      } else {
        auto input = ParseNewEnrollment(*body);
        if (!input.ok()) return ReplyError(res, input.status());
        created = caller.items().CreateEnrollment(*input, caller.actor, clock_.Now());
      }
      if (!created.ok()) return ReplyError(res, created.status());
      res.set_header("Location", req.path + "/" + std::to_string(created->item.id));
      Reply(res, 201, ItemToJson(caller.campaign(), *created, clock_.Now()));
    });

    Get(base, [this, kind](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
      auto query = ParseItemQuery(kind, HttplibParams(req));
      if (!query.ok()) return ReplyError(res, query.status());
      auto items = caller.items().List(*query, caller.actor);
      if (!items.ok()) return ReplyError(res, items.status());
      const Instant now = clock_.Now();
      json out = {{"items", json::array()}, {"next_after", nullptr}};
      for (const Item& item : *items) out["items"].push_back(ItemToJson(caller.campaign(), item, now, DisclosureFor(item, caller)));
      if (static_cast<int>(items->size()) == query->limit) out["next_after"] = items->back().id;
      Reply(res, 200, out);
    });

    Get(base + R"(/(\d{1,18}))", [this, kind](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
      auto view = caller.items().Get(kind, IdOf(req), caller.actor);
      if (!view.ok()) return ReplyError(res, view.status());
      Reply(res, 200, ItemToJson(caller.campaign(), *view, clock_.Now()));
    });

    Post(base + R"(/(\d{1,18})/events)", [this, kind](const httplib::Request& req, httplib::Response& res,
                                                       const Caller& caller) {
      auto body = ParseBody(req.body);
      if (!body.ok()) return ReplyError(res, body.status());
      std::optional<std::int64_t> expected_version;
      auto input = ParseEventInput(*body, expected_version);
      if (!input.ok()) return ReplyError(res, input.status());
      auto view = caller.items().Fire(kind, IdOf(req), *input, caller.actor, expected_version, clock_.Now());
      if (!view.ok()) return ReplyError(res, view.status());
      Reply(res, 200, ItemToJson(caller.campaign(), *view, clock_.Now()));
    });

    Get(base + R"(/(\d{1,18})/history)", [this, kind](const httplib::Request& req, httplib::Response& res,
                                                        const Caller& caller) {
      auto events = caller.items().History(kind, IdOf(req), caller.actor);
      if (!events.ok()) return ReplyError(res, events.status());
      json out = {{"events", json::array()}};
      for (const EventRecord& event : *events) out["events"].push_back(EventToJson(event));
      Reply(res, 200, out);
    });
  }
}

Disclosure ApiServer::DisclosureFor(const Item& item, const Caller& caller) const {
  return caller.items().MaySeePersonalData(item, caller.actor) ? Disclosure::kFull : Disclosure::kMasked;
}

void ApiServer::RouteNotifier() {
  Get("/api/due_soon", [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    const HttplibParams params(req);
    auto query = ParseDueSoonQuery(caller.campaign(), params, clock_.Now());
    if (!query.ok()) return ReplyError(res, query.status());
    auto items = caller.items().Overdue(*query, caller.actor);
    if (!items.ok()) return ReplyError(res, items.status());
    json out = {{"as_of", FormatInstant(*query->due_from)}, {"due_before", FormatInstant(query->as_of)},
                {"items", json::array()}};
    for (const Item& item : *items)
      out["items"].push_back(ItemToJson(caller.campaign(), item, *query->due_from, DisclosureFor(item, caller)));
    Reply(res, 200, out);
  });

  Get("/api/gates", [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    const HttplibParams params(req);
    auto as_of = ParseAsOf(params, clock_.Now());
    if (!as_of.ok()) return ReplyError(res, as_of.status());
    auto reports = caller.items().Gates(*as_of, caller.actor);
    if (!reports.ok()) return ReplyError(res, reports.status());
    json gates = json::array();
    for (const GateReport& report : *reports) {
      json by_unit = json::object();
      for (const auto& [unit, items] : report.by_unit)
        for (const Item& item : items)
          by_unit[unit].push_back({{"id", item.id}, {"title", item.title}, {"state", item.state.ToString()}});
      gates.push_back({{"phase", report.check.phase->id},
                       {"phase_name", report.check.phase->name},
                       {"closes_at", FormatInstant(report.check.closes_at)},
                       {"passed", report.check.passed},
                       {"applies_to", ItemKindName(report.check.kind)},
                       {"at_least", report.check.gate->at_least},
                       {"behind", report.behind},
                       {"by_unit", by_unit}});
    }
    Reply(res, 200, {{"as_of", FormatInstant(*as_of)}, {"gates", gates}});
  });

  Get("/api/outbox", [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto query = ParseOutboxQuery(HttplibParams(req));
    if (!query.ok()) return ReplyError(res, query.status());
    auto messages = caller.services().outbox.List(caller.actor, query->state, query->before_id, query->limit);
    if (!messages.ok()) return ReplyError(res, messages.status());
    json out = {{"messages", json::array()}, {"next_before", nullptr}};
    for (const notifier::OutboxMessage& m : *messages) out["messages"].push_back(OutboxMessageToJson(m));
    if (static_cast<int>(messages->size()) == query->limit) out["next_before"] = messages->back().id;
    Reply(res, 200, out);
  });

  Get("/api/channels", [this](const httplib::Request&, httplib::Response& res, const Caller& caller) {
    auto without = caller.services().outbox.UnitsWithoutChannel(caller.actor);
    if (!without.ok()) return ReplyError(res, without.status());
    json units = json::array();
    for (const Unit* unit : *without) units.push_back({{"unit", unit->id}, {"name", unit->name}});
    Reply(res, 200, {{"units_without_channel", units}});
  });

  Post("/api/silences", [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto body = ParseBody(req.body);
    if (!body.ok()) return ReplyError(res, body.status());
    auto silence = ParseSilence(*body);
    if (!silence.ok()) return ReplyError(res, silence.status());
    auto stored = caller.services().silences.Add(*silence, caller.actor, clock_.Now());
    if (!stored.ok()) return ReplyError(res, stored.status());
    Reply(res, 201, SilenceToJson(*stored));
  });

  Get("/api/silences", [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto as_of = ParseAsOf(HttplibParams(req), clock_.Now());
    if (!as_of.ok()) return ReplyError(res, as_of.status());
    auto silences = caller.services().silences.Active(*as_of, caller.actor);
    if (!silences.ok()) return ReplyError(res, silences.status());
    json out = {{"as_of", FormatInstant(*as_of)}, {"silences", json::array()}};
    for (const Silence& s : *silences) out["silences"].push_back(SilenceToJson(s));
    Reply(res, 200, out);
  });

  Post(R"(/api/silences/(\d{1,18})/end)", [this](const httplib::Request& req, httplib::Response& res,
                                                 const Caller& caller) {
    auto ended = caller.services().silences.End(IdOf(req), caller.actor, clock_.Now());
    if (!ended.ok()) return ReplyError(res, ended.status());
    Reply(res, 200, SilenceToJson(*ended));
  });

  Get("/api/audit", [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
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
