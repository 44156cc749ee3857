#include "web/auth.h"

#include <sodium.h>

#include "accounts/passwords.h"

namespace rectify::web {

Actor ActorFor(const accounts::User& user) {
  Actor actor;
  actor.name = "user " + user.username;
  for (const accounts::Role role : user.roles) actor.roles.push_back(accounts::RoleName(role));
  actor.unit = user.unit;
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

std::string SessionCookie(const std::string& token, long max_age_seconds, bool secure) {
  return std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
         std::to_string(max_age_seconds) + (secure ? "; Secure" : "");
}

std::string ExpiredSessionCookie(bool secure) {
  return std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" + (secure ? "; Secure" : "");
}

}  // namespace rectify::web
