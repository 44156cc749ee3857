#include "web/auth.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>

#include "accounts/passwords.h"

namespace rectify::web {

Actor ActorFor(const accounts::User& user) {
  Actor actor;
  actor.name = "user " + user.username;
  for (const accounts::Role role : user.roles) actor.roles.push_back(accounts::RoleName(role));
  actor.unit = user.unit;
  actor.town = user.town;
  return actor;
}

std::optional<std::string> BearerToken(std::string_view authorization) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() <= kScheme.size() || authorization.substr(0, kScheme.size()) != kScheme)
    return std::nullopt;
  return std::string(authorization.substr(kScheme.size()));
}

std::optional<std::string> CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const std::size_t end = std::min(header.find(';'), header.size());
    std::string_view pair = header.substr(0, end);
    header.remove_prefix(end == header.size() ? end : end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
  }
  return std::nullopt;
}

std::string CsrfTokenFor(std::string_view session_token) {
  return accounts::TokenHash("csrf:" + std::string(session_token));
}

bool CsrfTokenMatches(std::string_view session_token, std::string_view presented) {
  const std::string expected = CsrfTokenFor(session_token);
  return presented.size() == expected.size() &&
         sodium_memcmp(expected.data(), presented.data(), expected.size()) == 0;
}

namespace {

bool EqualIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

// "example.org:80" for "http://example.org" and "example.org": the port a scheme implies made
// explicit, so that the two ways of writing the same host compare equal.
std::string WithPort(std::string_view host, std::string_view scheme) {
  const std::size_t colon = host.rfind(':');
  const bool has_port = colon != std::string_view::npos && host.find(']', colon) == std::string_view::npos;
  return std::string(host) + (has_port ? "" : scheme == "https" ? ":443" : ":80");
}

}  // namespace

std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted_proxies) {
  const auto trusted = [&trusted_proxies](std::string_view address) {
    return std::find(trusted_proxies.begin(), trusted_proxies.end(), address) != trusted_proxies.end();
  };
  if (!trusted(peer)) return peer;
  // From the right: each entry was written by the proxy after it; the first that is not one of
  // ours is the client as our outermost proxy saw it. What lies further left, the client wrote.
  std::string_view rest = forwarded_for;
  while (!rest.empty()) {
    const std::size_t comma = rest.rfind(',');
    std::string_view entry = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
    while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
    if (entry.empty()) break;  // a malformed list: trust nothing further left
    if (!trusted(entry)) return std::string(entry);
  }
  return peer;
}

bool IsJsonMediaType(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  return EqualIgnoringCase(type, "application/json");
}

bool IsSameOrigin(std::string_view origin, std::string_view sec_fetch_site, std::string_view host) {
  if (!sec_fetch_site.empty() && sec_fetch_site != "same-origin" && sec_fetch_site != "none") return false;
  if (origin.empty()) return true;
  const std::size_t separator = origin.find("://");
  if (separator == std::string_view::npos || host.empty()) return false;  // "null", or no host to compare
  const std::string_view scheme = origin.substr(0, separator);
  const std::string_view origin_host = origin.substr(separator + 3);
  if (scheme != "http" && scheme != "https") return false;
  return EqualIgnoringCase(WithPort(origin_host, scheme), WithPort(host, scheme));
}

std::string SessionCookie(const std::string& token, long max_age_seconds, bool secure) {
  return std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
         std::to_string(max_age_seconds) + (secure ? "; Secure" : "");
}

std::string ExpiredSessionCookie(bool secure) {
  return std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" + (secure ? "; Secure" : "");
}

}  // namespace rectify::web
