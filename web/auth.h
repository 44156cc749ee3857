// Who is asking: the session of an HTTP request, by bearer token (API clients) or by cookie (the
// web page), and the CSRF check that cookie sessions need. No routes here; api_server.cc
// applies them to every route but the health check and the login.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/account.h"
#include "engine/permissions.h"
#include "web/api_services.h"

namespace rectify::web {

inline constexpr char kSessionCookie[] = "rectify_session";
inline constexpr char kCsrfHeader[] = "X-CSRF-Token";

// The authenticated caller of one request.
struct Caller {
  accounts::User user;
  Actor actor;
  std::string token;        // the secret presented (to log out, to keep on password change)
  bool by_cookie = false;   // true: a browser session, which needs the CSRF header on writes
  accounts::Bearer bearer;  // a program's API token (POST /api/tokens) or a person's login; read only?
  // The campaign a campaign route acts on, which the caller may see; unset on the deployment's
  // own routes (login, tokens, the campaign list).
  const CampaignApi* scope = nullptr;

  const Campaign& campaign() const { return *scope->campaign; }
  const ApiServices& services() const { return scope->services; }
  ItemService& items() const { return scope->services.items; }
};

// The engine's view of a user: "user <username>" in the history, role names, unit.
Actor ActorFor(const accounts::User& user);

// The token of "Authorization: Bearer <token>", if the header has that form.
std::optional<std::string> BearerToken(std::string_view authorization);
// The value of cookie `name` in a Cookie header, if present.
std::optional<std::string> CookieValue(std::string_view cookie_header, std::string_view name);

// The CSRF token of a cookie session: derived from the session secret, so it needs no storage,
// is the same on every instance, and cannot be guessed without the cookie. The page reads it
// from the login answer or GET /api/me and sends it as the X-CSRF-Token header.
std::string CsrfTokenFor(std::string_view session_token);
// Constant-time comparison of the presented header with the session's token.
bool CsrfTokenMatches(std::string_view session_token, std::string_view presented);

// The client's address: `peer`, or, when the peer is one of `trusted_proxies`, the rightmost
// entry of the X-Forwarded-For header it sent that is not itself a trusted proxy (proxies
// chained in front of each other each append the address they saw). Entries further left were
// written by the client and are never taken. With no such entry, `peer`.
std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted_proxies);

// True for the media type application/json, in any case, with or without parameters
// ("application/json; charset=utf-8").
bool IsJsonMediaType(std::string_view content_type);
// Whether a request that a browser could send on behalf of another site's page comes from a
// page of this server: its Origin header, when sent, names the host the request was addressed
// to (`host`: what a reverse proxy puts in X-Forwarded-Host, else the Host header), and its
// Sec-Fetch-Site header, when sent, is "same-origin" or "none" (typed in or bookmarked). A
// request with neither header was not sent by a page, and passes.
bool IsSameOrigin(std::string_view origin, std::string_view sec_fetch_site, std::string_view host);

// Set-Cookie values: the session (HttpOnly, SameSite=Strict, Path=/, Max-Age) and its removal.
// `secure` adds Secure, for deployments behind HTTPS.
std::string SessionCookie(const std::string& token, long max_age_seconds, bool secure);
std::string ExpiredSessionCookie(bool secure);

}  // namespace rectify::web
