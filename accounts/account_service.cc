#include "accounts/account_service.h"

#include <algorithm>
#include <utility>

#include "engine/text.h"

namespace rectify::accounts {
namespace {

// Refused unchecked until `next`; its params give the wait (web: the Retry-After header).
Status LockedOut(Instant next, Instant now) {
  const Instant wait = std::max<Instant>(1, next - now);
  return Status::ResourceExhausted("too many failed logins: try again in " + std::to_string(wait) + " s")
      .WithReason("login_throttled", {{"retry_after_seconds", std::to_string(wait)}});
}
constexpr char kNotLoggedIn[] = "not logged in";
// What the audit log names when a typed username is no account's: people sometimes type their
// password into the username field, and a name that looks like one may be a password.
constexpr char kUnknownUserSubject[] = "user (an unknown username)";

std::string UserSubject(const std::string& username) { return "user " + username; }
std::string UserActor(const User& user) { return "user " + user.username; }

Status WrongCredentials() { return Status::PermissionDenied(kWrongCredentials); }

}  // namespace

bool IsValidUsername(std::string_view username) {
  if (username.size() < 3 || username.size() > 32) return false;
  return std::all_of(username.begin(), username.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
  });
}

std::string CanonicalUsername(std::string_view typed) {
  std::string username = TrimSpace(HalfWidth(typed));
  std::transform(username.begin(), username.end(), username.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  return username;
}

namespace {

constexpr std::size_t kMaxLabelCharacters = 100;

// Roles as given, each once (a list sent with one role twice would be stored and shown twice).
std::vector<Role> DistinctRoles(const std::vector<Role>& roles) {
  std::vector<Role> out;
  for (Role role : roles)
    if (std::find(out.begin(), out.end(), role) == out.end()) out.push_back(role);
  return out;
}

}  // namespace

AccountService::AccountService(AccountStore& store, AccountPolicy policy)
    : store_(store), policy_(policy), throttle_(store, policy.login) {}

Result<User> AccountService::AddUser(const std::string& actor, const std::string& typed_username,
                                     const std::string& display_name, const std::string& unit,
                                     const std::string& town, const std::vector<Role>& roles,
                                     const std::string& password, Instant now) {
  const std::string username = CanonicalUsername(typed_username);
  if (!IsValidUsername(username)) {
    return Status::InvalidArgument("username", "must be 3 to 32 characters of a-z, 0-9, '_', '.', '-'");
  }
  if (roles.empty()) return Status::InvalidArgument("role", "at least one role is required");
  RECTIFY_RETURN_IF_ERROR(CheckText("display_name", display_name, kMaxNameCharacters));
  User user;
  user.username = username;
  user.display_name = CleanName(display_name);
  user.unit = unit;
  user.roles = DistinctRoles(roles);
  if (user.Has(Role::kUnitMember) && unit.empty()) {
    return Status::InvalidArgument("unit", "is required for a unit member");
  }
  user.town = town;
  if (town.empty() && std::any_of(roles.begin(), roles.end(), [](Role role) {
        return role != Role::kLeader && role != Role::kSupervisor;
      }))
    return Status::InvalidArgument("role", "a county-level user (no town) may only be a leader or a supervisor");
  RECTIFY_RETURN_IF_ERROR(CheckPasswordPolicy(password, username));
  Result<std::string> hash = HashPassword(password, policy_.cost);
  if (!hash.ok()) return hash.status();
  user.password_hash = std::move(hash).value();
  user.created_at = now;
  user.password_changed_at = now;
  return store_.AddUser(user, MakeAuditRecord(actor, kAuditUserAdd, UserSubject(username),
                                    "roles " + JoinRoles(roles) + (unit.empty() ? "" : ", unit " + unit) +
                                        (town.empty() ? ", county" : ", town " + town)));
}

Result<LoginResult> AccountService::Login(const std::string& typed_username, const std::string& password,
                                          const std::string& address, Instant now) {
  // Zhang.San, ｚｈａｎｇ．ｓａｎ (an IME's full-width mode) and "zhang.san " are zhang.san: the
  // throttle counts them as one name too.
  const std::string username = CanonicalUsername(typed_username);
  Result<User> user = store_.FindUserByName(username);
  if (!user.ok() && user.status().code() != StatusCode::kNotFound) return user.status();
  const std::string subject = user.ok() ? UserSubject(user->username) : kUnknownUserSubject;
  const Result<Instant> next_try = throttle_.NextTry(username, address, now);
  if (!next_try.ok()) return next_try.status();
  if (*next_try > now) {
    RECTIFY_RETURN_IF_ERROR(Fail(subject, address, "held back by the login throttle"));
    return LockedOut(*next_try, now);
  }
  // Verify in every case, so an unknown user costs as much time as a known one.
  const bool verified = VerifyPassword(password, user.ok() ? user->password_hash : DummyHash());
  if (!user.ok() || !verified || user->disabled) {
    RECTIFY_RETURN_IF_ERROR(throttle_.Failed(username, address, now));
    const char* why = !user.ok() ? "unknown user" : !verified ? "wrong password" : "user disabled";
    RECTIFY_RETURN_IF_ERROR(Fail(subject, address, why));
    return Status::Unauthenticated(kWrongCredentials);
  }
  RECTIFY_RETURN_IF_ERROR(throttle_.Succeeded(username, address, now));
  LoginResult result;
  result.token = NewToken();
  result.expires_at = now + policy_.session_lifetime;
  Session session;
  session.token_hash = TokenHash(result.token);
  session.user_id = user->id;
  session.kind = kSessionKindLogin;
  session.created_at = now;
  session.expires_at = result.expires_at;
  Result<Session> stored = store_.AddSession(
      session, MakeAuditRecord(UserActor(*user), kAuditLoginSuccess, UserSubject(user->username),
                     "from " + address + ", until " + FormatInstant(result.expires_at)));
  if (!stored.ok()) return stored.status();
  result.user = std::move(user).value();
  return result;
}

Result<User> AccountService::Authenticate(const std::string& token, Instant now) {
  Bearer bearer;
  return Authenticate(token, now, bearer);
}

Result<User> AccountService::Authenticate(const std::string& token, Instant now, Bearer& bearer) {
  Result<SessionOfUser> found = store_.FindSession(TokenHash(token));
  if (!found.ok()) {
    if (found.status().code() == StatusCode::kNotFound) return Status::Unauthenticated(kNotLoggedIn);
    return found.status();
  }
  const Session& session = found->session;
  const bool expired = session.expires_at != 0 && now >= session.expires_at;
  if (expired && !session.revoked_at && session.kind == kSessionKindApiToken) {
    return Status::Unauthenticated("API token \"" + session.label + "\" expired at " +
                                   FormatInstant(session.expires_at) + ": issue a new one");
  }
  // A program's token says why it stopped working, so that whoever runs the script knows what to
  // do; only its holder, who has its secret, reads this.
  if (session.kind == kSessionKindApiToken && found->user.disabled)
    return Status::Unauthenticated("API token \"" + session.label + "\" belongs to a disabled account");
  if (session.kind == kSessionKindApiToken && session.revoked_at)
    return Status::Unauthenticated("API token \"" + session.label + "\" was revoked at " +
                                   FormatInstant(*session.revoked_at) + ": issue a new one");
  if (session.revoked_at || expired) return Status::Unauthenticated(kNotLoggedIn);
  if (found->user.disabled) return Status::Unauthenticated(kNotLoggedIn);
  bearer.api_token = session.kind == kSessionKindApiToken;
  bearer.read_only = session.read_only;
  const Instant seen = std::max(session.created_at, session.last_seen_at);
  if (session.kind == kSessionKindLogin && now - seen >= policy_.session_idle_timeout) {
    return Status::Unauthenticated("the session ended after " + std::to_string(policy_.session_idle_timeout / 60) +
                                   " minutes without use: log in again");
  }
  if (now - seen >= policy_.session_touch_interval) {
    // A failed note (a full disk, say) costs at most an earlier end of the session: the request
    // itself, perhaps a read, goes on.
    static_cast<void>(store_.TouchSession(session.token_hash, now));
  }
  return std::move(found->user);
}

Status AccountService::Logout(const std::string& token, Instant now) {
  const std::string hash = TokenHash(token);
  Result<SessionOfUser> found = store_.FindSession(hash);
  if (!found.ok()) return found.status().code() == StatusCode::kNotFound ? Status::Ok() : found.status();
  const Session& session = found->session;
  if (session.revoked_at || session.kind != kSessionKindLogin) return Status::Ok();
  const std::string& name = found->user.username;
  const Status revoked = store_.RevokeSession(
      hash, now, MakeAuditRecord("user " + name, kAuditLogout, UserSubject(name), "session " + std::to_string(session.id)));
  return revoked.code() == StatusCode::kNotFound ? Status::Ok() : revoked;
}

Status AccountService::ChangePassword(std::int64_t user_id, const std::string& old_password,
                                      const std::string& new_password, const std::string& address, Instant now,
                                      const std::string& current_token) {
  Result<User> user = store_.GetUser(user_id);
  if (!user.ok()) return user.status();
  // Guesses through a stolen session are throttled like guesses at the login.
  const Result<Instant> next_try = throttle_.NextTry(user->username, address, now);
  if (!next_try.ok()) return next_try.status();
  if (*next_try > now) return LockedOut(*next_try, now);
  if (!VerifyPassword(old_password, user->password_hash)) {
    // The same change sent again, its answer lost on the way: the new password is in force
    // already. Only just after a change, and it proves as much as the right current password.
    constexpr Instant kRepeatWithin = 10 * 60;
    if (now - user->password_changed_at < kRepeatWithin && VerifyPassword(new_password, user->password_hash))
      return Status::Ok();
    RECTIFY_RETURN_IF_ERROR(throttle_.Failed(user->username, address, now));
    RECTIFY_RETURN_IF_ERROR(store_.AppendAudit(MakeAuditRecord(UserActor(*user), kAuditLoginFailure,
                                                     UserSubject(user->username),
                                                     "password change: wrong current password")));
    return WrongCredentials();
  }
  RECTIFY_RETURN_IF_ERROR(CheckPasswordPolicy(new_password, user->username));
  Result<std::string> hash = HashPassword(new_password, policy_.cost);
  if (!hash.ok()) return hash.status();
  user->password_hash = std::move(hash).value();
  user->password_changed_at = now;
  SessionRevocation revoke;
  revoke.at = now;
  revoke.keep_token_hash = current_token.empty() ? std::string() : TokenHash(current_token);
  revoke.api_tokens_too = true;
  return store_.UpdateUser(*user, revoke,
                           MakeAuditRecord(UserActor(*user), kAuditPasswordChange, UserSubject(user->username),
                                 "other sessions and API tokens revoked"));
}

Result<User> AccountService::FindInScope(const std::string& username, const UserScope& scope) {
  Result<User> user = store_.FindUserByName(username);
  if (user.ok() && !scope.Covers(*user)) return Status::NotFound("user " + username + " not found");
  return user;
}

Result<std::vector<User>> AccountService::ListUsers(const UserScope& scope) {
  auto users = store_.ListUsers();
  if (!users.ok()) return users.status();
  users->erase(std::remove_if(users->begin(), users->end(), [&](const User& user) { return !scope.Covers(user); }),
               users->end());
  return users;
}

Result<std::string> AccountService::ResetPassword(const std::string& actor, const std::string& username,
                                                  Instant now, const UserScope& scope) {
  Result<User> user = FindInScope(username, scope);
  if (!user.ok()) return user.status();
  std::string password = GeneratePassword();
  Result<std::string> hash = HashPassword(password, policy_.cost);
  if (!hash.ok()) return hash.status();
  user->password_hash = std::move(hash).value();
  user->password_changed_at = now;
  SessionRevocation revoke;
  revoke.at = now;
  revoke.api_tokens_too = true;
  RECTIFY_RETURN_IF_ERROR(store_.UpdateUser(
      *user, revoke,
      MakeAuditRecord(actor, kAuditPasswordReset, UserSubject(username), "generated password, sessions and tokens revoked")));
  return password;
}

Status AccountService::Disable(const std::string& actor, const std::string& username, Instant now,
                               const UserScope& scope) {
  Result<User> user = FindInScope(username, scope);
  if (!user.ok()) return user.status();
  if (user->disabled) return Status::Ok();
  user->disabled = true;
  SessionRevocation revoke;
  revoke.at = now;
  revoke.api_tokens_too = true;
  return store_.UpdateUser(
      *user, revoke, MakeAuditRecord(actor, kAuditUserDisable, UserSubject(username), "disabled, sessions and tokens revoked"));
}

Status AccountService::Enable(const std::string& actor, const std::string& username, const UserScope& scope) {
  Result<User> user = FindInScope(username, scope);
  if (!user.ok()) return user.status();
  if (!user->disabled) return Status::Ok();
  user->disabled = false;
  return store_.UpdateUser(*user, std::nullopt,
                           MakeAuditRecord(actor, kAuditUserEnable, UserSubject(username), "enabled again"));
}

Result<User> AccountService::Move(const std::string& actor, const std::string& username, const std::optional<std::string>& town,
                            const std::string& unit, const std::optional<std::vector<Role>>& roles, Instant now,
                            const UserScope& scope) {
  Result<User> found = FindInScope(CanonicalUsername(username), scope);
  if (!found.ok()) return found.status();
  User user = std::move(found).value();
  const std::string before = "unit " + (user.unit.empty() ? std::string("(none)") : user.unit) + ", " +
                             (user.town.empty() ? std::string("county") : "town " + user.town) + ", roles " +
                             JoinRoles(user.roles);
  user.unit = unit;
  if (town) user.town = *town;
  if (roles) {
    if (roles->empty()) return Status::InvalidArgument("role", "at least one role is required");
    user.roles = DistinctRoles(*roles);
  }
  if (user.Has(Role::kUnitMember) && user.unit.empty()) return Status::InvalidArgument("unit", "is required for a unit member");
  if (user.town.empty() && std::any_of(user.roles.begin(), user.roles.end(), [](Role role) {
        return role != Role::kLeader && role != Role::kSupervisor;
      }))
    return Status::InvalidArgument("role", "a county-level user (no town) may only be a leader or a supervisor");
  const std::string after = "unit " + (user.unit.empty() ? std::string("(none)") : user.unit) + ", " +
                            (user.town.empty() ? std::string("county") : "town " + user.town) + ", roles " +
                            JoinRoles(user.roles);
  if (after == before) return user;
  SessionRevocation revoke;
  revoke.at = now;
  revoke.api_tokens_too = true;
  RECTIFY_RETURN_IF_ERROR(store_.UpdateUser(user, revoke,
                                            MakeAuditRecord(actor, kAuditUserMove, UserSubject(user.username),
                                                            before + " -> " + after + "; sessions and tokens revoked")));
  return user;
}

Result<int> AccountService::PurgeSessions(const std::string& actor, Instant now) {
  return store_.PurgeSessions(now, MakeAuditRecord(actor, kAuditSessionsPurge, "sessions",
                                                   "expired and revoked login sessions deleted"));
}

Result<IssuedApiToken> AccountService::IssueApiToken(std::int64_t user_id, const std::string& typed_label,
                                                     std::optional<int> days, Instant now, TokenAccess access) {
  // The label names the token in the list and in every 401 about it: kept as a name is, without
  // what shows nothing (direction overrides that show it reversed) and not blank.
  RECTIFY_RETURN_IF_ERROR(CheckText("label", typed_label, kMaxLabelCharacters));
  const std::string label = CleanName(typed_label);
  if (label.empty()) return Status::InvalidArgument("label", "must say what the token is for");
  const int lifetime_days = days.value_or(policy_.api_token_days);
  if (lifetime_days < 1 || lifetime_days > policy_.max_api_token_days) {
    return Status::InvalidArgument("expires_in_days",
                                   "must be 1 to " + std::to_string(policy_.max_api_token_days) + " days");
  }
  Result<User> user = store_.GetUser(user_id);
  if (!user.ok()) return user.status();
  IssuedApiToken issued;
  issued.token = NewToken();
  issued.label = label;
  issued.expires_at = now + static_cast<Instant>(lifetime_days) * kSecondsPerDay;
  Session session;
  session.token_hash = TokenHash(issued.token);
  session.user_id = user_id;
  session.kind = kSessionKindApiToken;
  session.label = label;
  session.created_at = now;
  session.expires_at = issued.expires_at;
  session.read_only = access == TokenAccess::kReadOnly;
  Result<Session> stored = store_.AddSession(
      session, MakeAuditRecord(UserActor(*user), kAuditTokenIssue, UserSubject(user->username),
                               "API token \"" + label + "\"" + (session.read_only ? ", read only" : "") +
                                   ", until " + FormatInstant(issued.expires_at)));
  if (!stored.ok()) return stored.status();
  issued.id = stored->id;
  return issued;
}

Status AccountService::RevokeApiToken(std::int64_t user_id, std::int64_t token_id, Instant now) {
  Result<User> user = store_.GetUser(user_id);
  if (!user.ok()) return user.status();
  Result<std::vector<Session>> tokens = store_.ListTokens(user_id);
  if (!tokens.ok()) return tokens.status();
  const auto found = std::find_if(tokens->begin(), tokens->end(),
                                  [&](const Session& t) { return t.id == token_id && !t.revoked_at; });
  if (found == tokens->end()) return Status::NotFound("API token " + std::to_string(token_id) + " not found");
  return store_.RevokeSession(found->token_hash, now,
                              MakeAuditRecord(UserActor(*user), kAuditTokenRevoke, UserSubject(user->username),
                                    "API token " + std::to_string(token_id) + " \"" + found->label + "\""));
}

Status AccountService::Fail(const std::string& subject, const std::string& address, const std::string& why) {
  return store_.AppendAudit(MakeAuditRecord("anonymous", kAuditLoginFailure, subject, "from " + address + ": " + why));
}

const std::string& AccountService::DummyHash() {
  std::call_once(dummy_once_, [this] {
    // Any fixed password: what matters is a real hash of the same cost to verify against.
    Result<std::string> hash = HashPassword("rectify-no-such-user", policy_.cost);
    dummy_hash_ = hash.ok() ? std::move(hash).value() : std::string();
  });
  return dummy_hash_;
}

}  // namespace rectify::accounts
