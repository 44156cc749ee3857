// The account routes of ApiServer: login and logout, the caller's own account and API tokens,
// and user management for the office.
#include "web/api_server.h"
#include "web/auth.h"
#include "web/body_limits.h"
#include "web/guarded_server.h"
#include "web/http_reply.h"
#include "web/json_codec.h"

namespace rectify::web {
namespace {

// The actions granted to the caller, at least on their own unit's items; those granted on a
// household's village only to a village's people (a department has no households).
json GrantedActions(const Campaign& campaign, const Actor& actor) {
  Relations own;
  own.lead = own.cooperating = !actor.unit.empty();
  own.village = campaign.FindVillage(actor.unit) != nullptr;
  json out = json::array();
  for (const char* action : kActionNames)
    if (campaign.permissions.MayDo(action, actor, own)) out.push_back(action);
  return out;
}

// An office manages the accounts of its own town, through whichever of the town's campaigns.
accounts::UserScope TownOf(const Caller& caller) { return {caller.campaign().town}; }

}  // namespace

std::string ApiServer::ClientAddressOf(const httplib::Request& req) const {
  return ClientAddress(req.remote_addr, req.get_header_value("X-Forwarded-For"), options_.trusted_proxies);
}

void ApiServer::RouteAccounts() {
  PublicPost("/api/login",
             RouteDoc("Log in: a cookie session for the page, or a bearer token")
                 .Describe("Only as application/json (415 otherwise), and from a browser only from this server's "
                           "own page (403). Failures are throttled: 429 while held back.")
                 .JsonBody(schema::Object({{"username", schema::String()},
                                           {"password", schema::String()},
                                           {"session", schema::Enum({"cookie", "bearer"}, "default: cookie")}},
                                          {"username", "password"}))
                 .Answer(200, schema::Object({{"user", schema::Ref("User")},
                                              {"expires_at", schema::DateTime()},
                                              {"token", schema::String("session: bearer")},
                                              {"csrf_token", schema::String("session: cookie")}}))
                 .Errors({401, 403, 413, 415, 429}),
             [this](const httplib::Request& req, httplib::Response& res) {
    // Before any session exists, so nobody unknown makes the server parse and hash much.
    if (req.body.size() > kMaxLoginBodyBytes) return ReplyTooLarge(res, kMaxLoginBodyBytes);
    // Another site's page may post a form (text/plain, urlencoded, multipart) here without the
    // browser asking first, and would log its visitor in as the attacker (login CSRF). JSON
    // cannot be sent that way, and a browser says which page a request comes from.
    if (!IsJsonMediaType(req.get_header_value("Content-Type")))
      return Reply(res, 415, {{"error", "unsupported_media_type"}, {"message", "send the login as application/json"}});
    const std::string host = req.has_header("X-Forwarded-Host") ? req.get_header_value("X-Forwarded-Host")
                                                                 : req.get_header_value("Host");
    if (!IsSameOrigin(req.get_header_value("Origin"), req.get_header_value("Sec-Fetch-Site"), host))
      return ReplyError(res, Status::PermissionDenied("a login from another site's page is refused"));
    auto body = ParseBody(req.body);
    if (!body.ok()) return ReplyError(res, body.status());
    auto login = ParseLogin(*body);
    if (!login.ok()) return ReplyError(res, login.status());
    auto session = accounts_.Login(login->username, login->password, ClientAddressOf(req), clock_.Now());
    if (!session.ok()) return ReplyError(res, session.status());
    json out = {{"user", UserToJson(deployment_, session->user)}, {"expires_at", FormatInstant(session->expires_at)}};
    if (login->bearer) {
      out["token"] = session->token;
    } else {
      res.set_header("Set-Cookie", SessionCookie(session->token, options_.session_cookie_seconds, options_.secure_cookies));
      out["csrf_token"] = CsrfTokenFor(session->token);
    }
    Reply(res, 200, out);
  });

  DeploymentPost("/api/logout", RouteDoc("End this session").JsonBody(schema::Object({}), true)
                          .Answer(200, schema::Object({{"logged_out", schema::Boolean()}})),
       [this](const httplib::Request&, httplib::Response& res, const Caller& caller) {
    // Answering logged_out to a token that goes on working would mislead its script's author.
    if (caller.bearer.api_token)
      return ReplyError(res, Status::InvalidArgument("Authorization", "an API token does not log out: revoke it "
                                                                      "with DELETE /api/tokens/{id}"));
    if (auto done = accounts_.Logout(caller.token, clock_.Now()); !done.ok()) return ReplyError(res, done);
    if (caller.by_cookie) res.set_header("Set-Cookie", ExpiredSessionCookie(options_.secure_cookies));
    Reply(res, 200, {{"logged_out", true}});
  });

  Get("/api/me",
      RouteDoc("Who is calling: user, unit, roles, the actions granted")
          .Answer(200, schema::Object({{"user", schema::Ref("User")},
                                       {"campaign", schema::String()},
                                       {"actions", schema::ArrayOf(schema::String())},
                                       {"sees_all", schema::Boolean()},
                                       {"csrf_token", schema::String("cookie sessions")}})),
      [this](const httplib::Request&, httplib::Response& res, const Caller& caller) {
    json out = {{"user", UserToJson(deployment_, caller.user)},
                {"campaign", caller.campaign().id},
                {"actions", GrantedActions(caller.campaign(), caller.actor)},
                {"sees_all", caller.campaign().permissions.SeesAll(caller.actor)}};
    if (caller.by_cookie) out["csrf_token"] = CsrfTokenFor(caller.token);
    Reply(res, 200, out);
  });

  DeploymentPost("/api/me/password",
       RouteDoc("Change one's own password; every other session and token of the user ends")
           .JsonBody(schema::Object({{"current_password", schema::String()}, {"new_password", schema::String()}},
                                    {"current_password", "new_password"}))
           .Answer(200, schema::Object({{"changed", schema::Boolean()}}))
           .Errors({422, 429}),
       [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    auto body = ParseBody(req.body);
    if (!body.ok()) return ReplyError(res, body.status());
    auto change = ParsePasswordChange(*body);
    if (!change.ok()) return ReplyError(res, change.status());
    const Status changed =
        accounts_.ChangePassword(caller.user.id, change->current_password, change->new_password,
                                 ClientAddressOf(req), clock_.Now(), caller.token);
    if (!changed.ok()) return ReplyError(res, changed);
    Reply(res, 200, {{"changed", true}});
  });

  DeploymentGet("/api/tokens",
      RouteDoc("The caller's own API tokens (never their secrets)")
          .Answer(200, schema::Object({{"tokens", schema::ArrayOf(schema::AnyObject(
                                                      "id, label, read_only, created_at, expires_at (null: never), last_seen_at (to the minute), "
                                                      "revoked_at"))}})),
      [this](const httplib::Request&, httplib::Response& res, const Caller& caller) {
    auto tokens = accounts_.ListTokens(caller.user.id);
    if (!tokens.ok()) return ReplyError(res, tokens.status());
    json out = {{"tokens", json::array()}};
    for (const accounts::Session& token : *tokens) out["tokens"].push_back(ApiTokenToJson(token));
    Reply(res, 200, out);
  });

  DeploymentPost("/api/tokens",
       RouteDoc("Issue an API token for an integration; its secret is shown this once")
           .Describe("The token expires after expires_in_days (default 90, at most 366); a request with an "
                     "expired token is answered 401 naming the token and when it expired. A read_only token "
                     "may only GET (a pull, a dashboard): anything else it sends is answered 403.")
           .JsonBody(schema::Object({{"label", schema::String()},
                                     {"expires_in_days", schema::Integer()},
                                     {"read_only", schema::Boolean("only GET; default false")}},
                                    {"label"}))
           .Answer(201, schema::Object({{"id", schema::Integer("to revoke it: DELETE /api/tokens/{id}")},
                                        {"label", schema::String()},
                                        {"read_only", schema::Boolean()},
                                        {"token", schema::String()},
                                        {"expires_at", schema::DateTime()}}))
           .Errors({403}),
       [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    // A token that makes tokens would outlive its own revocation and expiry through its children:
    // only a person's login issues them.
    if (caller.bearer.api_token)
      return ReplyError(res, Status::PermissionDenied("an API token cannot issue API tokens: log in to issue one"));
    auto body = ParseBody(req.body);
    if (!body.ok()) return ReplyError(res, body.status());
    auto wanted = ParseNewApiToken(*body);
    if (!wanted.ok()) return ReplyError(res, wanted.status());
    auto issued = accounts_.IssueApiToken(
        caller.user.id, wanted->label, wanted->expires_in_days, clock_.Now(),
        wanted->read_only ? accounts::TokenAccess::kReadOnly : accounts::TokenAccess::kReadWrite);
    if (!issued.ok()) return ReplyError(res, issued.status());
    // The secret is shown this once; the store keeps only its hash.
    Reply(res, 201, {{"id", issued->id},
                     {"label", issued->label},
                     {"read_only", wanted->read_only},
                     {"token", issued->token},
                     {"expires_at", FormatInstant(issued->expires_at)}});
  });

  DeploymentDelete("/api/tokens/{id}",
         RouteDoc("Revoke one of the caller's API tokens")
             .Answer(200, schema::Object({{"revoked", schema::Boolean()}}))
             .Errors({404}),
         [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    const Status revoked = accounts_.RevokeApiToken(caller.user.id, IdOf(req), clock_.Now());
    if (!revoked.ok()) return ReplyError(res, revoked);
    Reply(res, 200, {{"revoked", true}});
  });

  Get("/api/users",
      RouteDoc("Every account (manage_users)").Answer(200, schema::Object({{"users", schema::ArrayOf(schema::Ref("User"))}})),
      [this](const httplib::Request&, httplib::Response& res, const Caller& caller) {
    if (auto denied = caller.items().Require("manage_users", caller.actor); !denied.ok()) return ReplyError(res, denied);
    auto users = accounts_.ListUsers(TownOf(caller));
    if (!users.ok()) return ReplyError(res, users.status());
    json out = {{"users", json::array()}};
    for (const accounts::User& user : *users) out["users"].push_back(UserToJson(deployment_, user));
    Reply(res, 200, out);
  });

  Post("/api/users",
       RouteDoc("Add an account (manage_users)")
           .JsonBody(schema::Object({{"username", schema::String("3..32 of a-z 0-9 _ . -")},
                                     {"display_name", schema::String()},
                                     {"unit", schema::String()},
                                     {"roles", schema::ArrayOf(schema::Enum(
                                                   {"office", "unit_member", "inspector", "supervisor", "leader"}))},
                                     {"password", schema::String()}},
                                    {"username", "roles", "password"}))
           .Answer(201, schema::Ref("User"))
           .Errors({422}),
       [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    if (auto denied = caller.items().Require("manage_users", caller.actor); !denied.ok()) return ReplyError(res, denied);
    auto body = ParseBody(req.body);
    if (!body.ok()) return ReplyError(res, body.status());
    auto input = ParseNewUser(*body, caller.campaign());
    if (!input.ok()) return ReplyError(res, input.status());
    auto user = accounts_.AddUser(caller.actor.name, input->username, input->display_name, input->unit,
                                  caller.campaign().town, input->roles, input->password, clock_.Now());
    if (!user.ok()) return ReplyError(res, user.status());
    Reply(res, 201, UserToJson(deployment_, *user));
  });

  Post("/api/users/{username}/disable",
       RouteDoc("Disable an account (manage_users): its sessions and tokens end; not one's own")
           .JsonBody(schema::Object({}), true)
           .Answer(200, schema::Object({{"disabled", schema::String()}}))
           .Errors({404, 422}),
       [this](const httplib::Request& req, httplib::Response& res,
                                                            const Caller& caller) {
    if (auto denied = caller.items().Require("manage_users", caller.actor); !denied.ok()) return ReplyError(res, denied);
    const std::string username = req.matches[1].str();
    if (username == caller.user.username)
      return ReplyError(res, Status::Unprocessable("username", "you cannot disable your own account"));
    if (auto done = accounts_.Disable(caller.actor.name, username, clock_.Now(), TownOf(caller)); !done.ok()) return ReplyError(res, done);
    Reply(res, 200, {{"disabled", username}});
  });

  Post("/api/users/{username}/enable",
       RouteDoc("Enable a disabled account again (manage_users); the sessions its disabling ended stay ended")
           .JsonBody(schema::Object({}), true)
           .Answer(200, schema::Object({{"enabled", schema::String()}}))
           .Errors({404}),
       [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    if (auto denied = caller.items().Require("manage_users", caller.actor); !denied.ok()) return ReplyError(res, denied);
    const std::string username = req.matches[1].str();
    if (auto done = accounts_.Enable(caller.actor.name, username, TownOf(caller)); !done.ok()) return ReplyError(res, done);
    Reply(res, 200, {{"enabled", username}});
  });

  Post("/api/users/{username}/move",
       RouteDoc("Give an account another unit of the town, and other roles when given (manage_users): the same "
                "login and history; its sessions and tokens end; not one's own")
           .JsonBody(schema::Object({{"unit", schema::String("a unit of this campaign, or empty for none")},
                                     {"roles", schema::ArrayOf(schema::Enum(
                                                   {"office", "unit_member", "inspector", "supervisor", "leader"}))}},
                                    {"unit"}))
           .Answer(200, schema::Ref("User"))
           .Errors({404, 422}),
       [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    if (auto denied = caller.items().Require("manage_users", caller.actor); !denied.ok()) return ReplyError(res, denied);
    const std::string username = req.matches[1].str();
    if (username == caller.user.username)
      return ReplyError(res, Status::Unprocessable("username", "you cannot move your own account: ask another office user"));
    auto body = ParseBody(req.body);
    if (!body.ok()) return ReplyError(res, body.status());
    auto move = ParseUserMove(*body, caller.campaign());
    if (!move.ok()) return ReplyError(res, move.status());
    auto moved = accounts_.Move(caller.actor.name, username, std::nullopt, move->unit, move->roles, clock_.Now(),
                                TownOf(caller));
    if (!moved.ok()) return ReplyError(res, moved.status());
    Reply(res, 200, UserToJson(deployment_, *moved));
  });

  Post("/api/users/{username}/reset_password",
       RouteDoc("Give an account a new generated password, shown this once (manage_users)")
           .JsonBody(schema::Object({}), true)
           .Answer(200, schema::Object({{"username", schema::String()}, {"password", schema::String()}}))
           .Errors({404}),
       [this](const httplib::Request& req,
                                                                   httplib::Response& res, const Caller& caller) {
    if (auto denied = caller.items().Require("manage_users", caller.actor); !denied.ok()) return ReplyError(res, denied);
    auto password = accounts_.ResetPassword(caller.actor.name, req.matches[1].str(), clock_.Now(), TownOf(caller));
    if (!password.ok()) return ReplyError(res, password.status());
    // Handed to the office once, to pass on in person; the store keeps only its hash.
    Reply(res, 200, {{"username", req.matches[1].str()}, {"password", *password}});
  });
}

}  // namespace rectify::web
