#include "web/api_server.h"

#include <httplib.h>

#include <cstdio>
#include <exception>

#include "web/json_codec.h"

namespace rectify::web {
namespace {

constexpr std::size_t kMaxBodyBytes = 1 << 20;
constexpr const char* kJson = "application/json; charset=utf-8";

class HttplibParams final : public QueryParams {
 public:
  explicit HttplibParams(const httplib::Request& req) : req_(req) {}
  std::optional<std::string> Get(const std::string& name) const override {
    if (!req_.has_param(name.c_str())) return std::nullopt;
    return req_.get_param_value(name.c_str());
  }
  std::vector<std::string> Names() const override {
    std::vector<std::string> names;
    for (const auto& [name, value] : req_.params) names.push_back(name);
    return names;
  }

 private:
  const httplib::Request& req_;
};

void Reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), kJson);
}

void ReplyError(httplib::Response& res, const Status& status) {
  json body = {{"error", StatusCodeName(status.code())}, {"message", status.message()}};
  if (status.code() == StatusCode::kInternal) {
    // The cause (an SQL error, a corrupt row) goes to the log, not to the client.
    std::fprintf(stderr, "rectify: internal error: %s\n", status.message().c_str());
    body["message"] = "internal error; the server log has the details";
  }
  if (!status.field().empty()) body["field"] = status.field();
  if (status.code() == StatusCode::kFailedPrecondition) body["allowed_events"] = status.allowed();
  Reply(res, ErrorStatusFor(status.code()), body);
}

std::int64_t IdOf(const httplib::Request& req) { return std::stoll(req.matches[1].str()); }

}  // namespace

int ErrorStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kFailedPrecondition: return 409;
    case StatusCode::kUnprocessable: return 422;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kAborted: return 409;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

ApiServer::ApiServer(ItemService& service, const Campaign& campaign, const Clock& clock,
                     notifier::OutboxStore& outbox)
    : service_(service),
      campaign_(campaign),
      clock_(clock),
      outbox_(outbox),
      http_(std::make_unique<httplib::Server>()) {
  // Measured here: without TCP_NODELAY a keep-alive client waits ~40 ms per request (Nagle
  // meets delayed ACK), and httplib closes keep-alive connections after 5 requests by default.
  http_->set_tcp_nodelay(true);
  // httplib's default is SO_REUSEPORT, with which a second server on the same port starts
  // "successfully" and silently takes a share of the connections. SO_REUSEADDR alone still
  // allows a quick restart over TIME_WAIT, and a port in use is an error.
  http_->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  http_->set_keep_alive_max_count(10000);
  http_->set_payload_max_length(kMaxBodyBytes);
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
  http_->set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req,
                                                                  httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    if (res.status == 404)
      Reply(res, 404, {{"error", "not_found"}, {"message", "no route " + req.method + " " + req.path}});
    else if (res.status == 413)
      Reply(res, 413, {{"error", "payload_too_large"},
                       {"message", "request body over " + std::to_string(kMaxBodyBytes) + " bytes"}});
    else
      Reply(res, res.status, {{"error", "http_error"}, {"message", "HTTP " + std::to_string(res.status)}});
    return httplib::Server::HandlerResponse::Handled;
  }));
  Route();
  RouteNotifier();
}

ApiServer::~ApiServer() { Stop(); }

Result<int> ApiServer::Bind(const std::string& host, int port) {
  const int bound = port == 0 ? http_->bind_to_any_port(host.c_str()) : (http_->bind_to_port(host.c_str(), port) ? port : -1);
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
  httplib::Server& http = *http_;

  http.Get("/api/health", [this](const httplib::Request&, httplib::Response& res) {
    Reply(res, 200, {{"status", "ok"}, {"campaign", campaign_.id}, {"now", FormatInstant(clock_.Now())}});
  });
  http.Get("/api/campaign",
           [this](const httplib::Request&, httplib::Response& res) { Reply(res, 200, CampaignToJson(campaign_)); });

  http.Get("/api/overdue", [this](const httplib::Request& req, httplib::Response& res) {
    const Instant now = clock_.Now();
    auto query = ParseOverdueQuery(HttplibParams(req), now);
    if (!query.ok()) return ReplyError(res, query.status());
    auto items = service_.store().Overdue(*query);
    if (!items.ok()) return ReplyError(res, items.status());
    json out = {{"as_of", FormatInstant(query->as_of)}, {"items", json::array()}, {"next_page", nullptr}};
    for (const Item& item : *items) {
      json row = ItemToJson(campaign_, item, query->as_of);
      row["seconds_overdue"] = query->as_of - *item.due_at;
      out["items"].push_back(std::move(row));
    }
    if (static_cast<int>(items->size()) == query->limit)
      out["next_page"] = {{"after_due", FormatInstant(*items->back().due_at)}, {"after", items->back().id}};
    Reply(res, 200, out);
  });

  for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
    const std::string base = kind == ItemKind::kProblem ? "/api/problems" : "/api/enrollments";

    http.Post(base, [this, kind](const httplib::Request& req, httplib::Response& res) {
      auto body = ParseBody(req.body);
      if (!body.ok()) return ReplyError(res, body.status());
      std::string actor;
      Result<ItemView> created = Status::Internal("unreachable");
      if (kind == ItemKind::kProblem) {
        auto input = ParseNewProblem(*body, actor);
        if (!input.ok()) return ReplyError(res, input.status());
        created = service_.CreateProblem(*input, actor, clock_.Now());
      } else {
        auto input = ParseNewEnrollment(*body, actor);
        if (!input.ok()) return ReplyError(res, input.status());
        created = service_.CreateEnrollment(*input, actor, clock_.Now());
      }
      if (!created.ok()) return ReplyError(res, created.status());
      res.set_header("Location", req.path + "/" + std::to_string(created->item.id));
      Reply(res, 201, ItemToJson(campaign_, *created, clock_.Now()));
    });

    http.Get(base, [this, kind](const httplib::Request& req, httplib::Response& res) {
      auto query = ParseItemQuery(kind, HttplibParams(req));
      if (!query.ok()) return ReplyError(res, query.status());
      auto items = service_.store().List(*query);
      if (!items.ok()) return ReplyError(res, items.status());
      const Instant now = clock_.Now();
      json out = {{"items", json::array()}, {"next_after", nullptr}};
      for (const Item& item : *items) out["items"].push_back(ItemToJson(campaign_, item, now));
      if (static_cast<int>(items->size()) == query->limit) out["next_after"] = items->back().id;
      Reply(res, 200, out);
    });

    http.Get(base + R"(/(\d{1,18}))", [this, kind](const httplib::Request& req, httplib::Response& res) {
      auto view = service_.Get(kind, IdOf(req));
      if (!view.ok()) return ReplyError(res, view.status());
      Reply(res, 200, ItemToJson(campaign_, *view, clock_.Now()));
    });

    http.Post(base + R"(/(\d{1,18})/events)", [this, kind](const httplib::Request& req, httplib::Response& res) {
      auto body = ParseBody(req.body);
      if (!body.ok()) return ReplyError(res, body.status());
      std::optional<std::int64_t> expected_version;
      auto input = ParseEventInput(*body, expected_version);
      if (!input.ok()) return ReplyError(res, input.status());
      auto view = service_.Fire(kind, IdOf(req), *input, expected_version, clock_.Now());
      if (!view.ok()) return ReplyError(res, view.status());
      Reply(res, 200, ItemToJson(campaign_, *view, clock_.Now()));
    });

    http.Get(base + R"(/(\d{1,18})/history)", [this, kind](const httplib::Request& req, httplib::Response& res) {
      auto events = service_.store().History(kind, IdOf(req));
      if (!events.ok()) return ReplyError(res, events.status());
      json out = {{"events", json::array()}};
      for (const EventRecord& event : *events) out["events"].push_back(EventToJson(event));
      Reply(res, 200, out);
    });
  }
}

void ApiServer::RouteNotifier() {
  httplib::Server& http = *http_;

  http.Get("/api/due_soon", [this](const httplib::Request& req, httplib::Response& res) {
    const HttplibParams params(req);
    auto query = ParseDueSoonQuery(campaign_, params, clock_.Now());
    if (!query.ok()) return ReplyError(res, query.status());
    auto items = service_.store().Overdue(*query);
    if (!items.ok()) return ReplyError(res, items.status());
    json out = {{"as_of", FormatInstant(*query->due_from)}, {"due_before", FormatInstant(query->as_of)},
                {"items", json::array()}};
    for (const Item& item : *items) out["items"].push_back(ItemToJson(campaign_, item, *query->due_from));
    Reply(res, 200, out);
  });

  http.Get("/api/gates", [this](const httplib::Request& req, httplib::Response& res) {
    const HttplibParams params(req);
    auto as_of = ParseAsOf(params, clock_.Now());
    if (!as_of.ok()) return ReplyError(res, as_of.status());
    json gates = json::array();
    for (const Phase& phase : campaign_.phases) {
      for (const PhaseGate& gate : phase.gates) {
        const ItemKind kind = gate.subject == DeadlineSubject::kEnrollment ? ItemKind::kEnrollment : ItemKind::kProblem;
        ItemQuery query;
        query.kind = kind;
        query.state_paths = StatesBefore(WorkflowFor(kind), gate.at_least);
        query.limit = 500;
        json by_unit = json::object();
        int behind = 0;
        while (!query.state_paths.empty()) {
          auto page = service_.store().List(query);
          if (!page.ok()) return ReplyError(res, page.status());
          for (const Item& item : *page) {
            by_unit[item.unit.empty() ? campaign_.notifier.office : item.unit].push_back(
                {{"id", item.id}, {"title", item.title}, {"state", item.state.ToString()}});
            ++behind;
          }
          if (static_cast<int>(page->size()) < query.limit) break;
          query.after_id = page->back().id;
        }
        const Instant closes = ShanghaiInstant(phase.end, kSecondsPerDay);
        gates.push_back({{"phase", phase.id},
                         {"phase_name", phase.name},
                         {"closes_at", FormatInstant(closes)},
                         {"passed", closes <= *as_of},
                         {"applies_to", ItemKindName(kind)},
                         {"at_least", gate.at_least},
                         {"behind", behind},
                         {"by_unit", by_unit}});
      }
    }
    Reply(res, 200, {{"as_of", FormatInstant(*as_of)}, {"gates", gates}});
  });

  http.Get("/api/outbox", [this](const httplib::Request& req, httplib::Response& res) {
    auto query = ParseOutboxQuery(HttplibParams(req));
    if (!query.ok()) return ReplyError(res, query.status());
    auto messages = outbox_.ListOutbox(query->state, query->before_id, query->limit);
    if (!messages.ok()) return ReplyError(res, messages.status());
    json out = {{"messages", json::array()}, {"next_before", nullptr}};
    for (const notifier::OutboxMessage& m : *messages) out["messages"].push_back(OutboxMessageToJson(m));
    if (static_cast<int>(messages->size()) == query->limit) out["next_before"] = messages->back().id;
    Reply(res, 200, out);
  });

  http.Post("/api/silences", [this](const httplib::Request& req, httplib::Response& res) {
    auto body = ParseBody(req.body);
    if (!body.ok()) return ReplyError(res, body.status());
    auto silence = ParseSilence(*body);
    if (!silence.ok()) return ReplyError(res, silence.status());
    silence->created_at = clock_.Now();
    if (silence->until <= silence->created_at)
      return ReplyError(res, Status::InvalidArgument("until", "an extension must end in the future"));
    auto stored = outbox_.AddSilence(*silence);
    if (!stored.ok()) return ReplyError(res, stored.status());
    Reply(res, 201, SilenceToJson(*stored));
  });

  http.Get("/api/silences", [this](const httplib::Request& req, httplib::Response& res) {
    auto as_of = ParseAsOf(HttplibParams(req), clock_.Now());
    if (!as_of.ok()) return ReplyError(res, as_of.status());
    auto silences = outbox_.ActiveSilences(*as_of);
    if (!silences.ok()) return ReplyError(res, silences.status());
    json out = {{"as_of", FormatInstant(*as_of)}, {"silences", json::array()}};
    for (const notifier::Silence& s : *silences) out["silences"].push_back(SilenceToJson(s));
    Reply(res, 200, out);
  });
}

}  // namespace rectify::web
