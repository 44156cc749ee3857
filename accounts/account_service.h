// What people do with accounts: add users, log in and out, change and reset passwords, disable
// users, issue and revoke API tokens. Reads no clock: every method takes `now`. Every change
// and every login attempt, successful or not, is recorded in the audit log (engine/audit.h) in
// the same transaction as the change; no audit record ever holds a password or a token.
//
// Login failures are answered alike whatever the reason (unknown user, wrong password,
// disabled user), with the same code, the same message and about the same time (an unknown
// user's attempt still verifies a password against a fixed hash), so that the answer does not
// tell who has an account. Failures are throttled by accounts/login_throttle.h: per username
// and address, per address, and (slowed, never shut) per username; an address the user has
// logged in from is never held back by guesses from elsewhere. The throttle keeps its counts in
// the store, so a lockout holds for every service on the same database. A typed username that names no
// account is never recorded as typed: it may be a password typed into the wrong field.
//
// Safe to call from many threads at once.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/account.h"
#include "accounts/login_throttle.h"
#include "accounts/passwords.h"
#include "engine/status.h"
#include "engine/time.h"

namespace rectify::accounts {

// Audit actions of accounts.
inline constexpr char kAuditLoginSuccess[] = "login.success";
inline constexpr char kAuditLoginFailure[] = "login.failure";
inline constexpr char kAuditUserAdd[] = "user.add";
inline constexpr char kAuditUserUpdate[] = "user.update";
inline constexpr char kAuditUserDisable[] = "user.disable";
inline constexpr char kAuditUserEnable[] = "user.enable";
inline constexpr char kAuditUserMove[] = "user.move";
inline constexpr char kAuditSessionsPurge[] = "sessions.purge";
inline constexpr char kAuditPasswordChange[] = "password.change";
inline constexpr char kAuditPasswordReset[] = "password.reset";
inline constexpr char kAuditTokenIssue[] = "token.issue";
inline constexpr char kAuditTokenRevoke[] = "token.revoke";
inline constexpr char kAuditLogout[] = "logout";

// The answer to every failed login that is not a lockout.
inline constexpr char kWrongCredentials[] = "wrong username or password";

struct AccountPolicy {
  Instant session_lifetime = 12 * 3600;
  // A login session also ends after this long without a request: a page left open on the town
  // office's shared computer, or on a phone left behind, stops acting for its user.
  Instant session_idle_timeout = 3600;
  // How often a session's last_seen_at is written (one small write a minute per active session,
  // not one per request).
  Instant session_touch_interval = 60;
  // An API token lives api_token_days unless its issuer asks for other, never more than
  // max_api_token_days: a token copied into a script outlives the reason it was made, and one
  // that never expires is a standing credential nobody remembers to revoke.
  int api_token_days = 90;
  int max_api_token_days = 366;
  LoginLimits login;
  // Tests pass PasswordCost::TestOnlyMinimum(); everything else keeps the default.
  PasswordCost cost = PasswordCost::Interactive();
};

struct LoginResult {
  std::string token;  // the bearer secret; shown to the client once, stored only as its hash
  User user;
  Instant expires_at = 0;
};

// What a request presents as its bearer, as Authenticate found it.
struct Bearer {
  bool api_token = false;  // a program's API token, not a person's login
  bool read_only = false;  // an API token that may only read (Session::read_only)
};

// What an API token may do: all its user may, or only read.
enum class TokenAccess { kReadWrite, kReadOnly };

struct IssuedApiToken {
  std::string token;  // the bearer secret; shown to the client once, stored only as its hash
  Instant expires_at = 0;
  std::int64_t id = 0;  // names the token in the list and to RevokeApiToken
  std::string label;    // as kept: cleaned of what shows nothing
};

// Whose accounts an administrator may manage: everyone's (the CLI, run by the machine's
// operator), or one town's (a town office through the API: a town never manages another town's
// people nor the county's). Outside the scope a user is as unknown as one that does not exist.
struct UserScope {
  std::optional<std::string> town;  // nullopt: everyone

  bool Covers(const User& user) const { return !town || user.town == *town; }
};

class AccountService {
 public:
  // `store` must outlive the service.
  explicit AccountService(AccountStore& store, AccountPolicy policy = {});

  const AccountPolicy& policy() const { return policy_; }

  // `actor` names who makes the change in the audit log ("os:root", "user admin"). `town` is the
  // user's town (engine/deployment.h); empty makes a county-level user, which only a leader or
  // a supervisor may be.
  // kInvalidArgument: field "username" (not 3-32 of a-z 0-9 _ . -, or taken), "role" (none,
  // or an unknown one, or a county-level one that oversees nothing), "unit" (missing for a unit
  // member), "password" (CheckPasswordPolicy). The username is taken as CanonicalUsername makes
  // it, the display name as engine/text.h's CleanName.
  Result<User> AddUser(const std::string& actor, const std::string& username, const std::string& display_name,
                       const std::string& unit, const std::string& town, const std::vector<Role>& roles,
                       const std::string& password, Instant now);

  // A new session of session_lifetime for a login from client `address`. kUnauthenticated with
  // kWrongCredentials for an unknown user, a wrong password or a disabled user alike;
  // kResourceExhausted "too many failed logins: try again later" while the throttle holds the
  // attempt back (no password is checked). `username` as typed: see CanonicalUsername.
  Result<LoginResult> Login(const std::string& username, const std::string& password, const std::string& address,
                            Instant now);

  // The user a session or API token acts for, noting that its bearer was seen (for the idle
  // timeout, and an API token's last use). kUnauthenticated "not logged in" for an unknown,
  // revoked or expired session, or a disabled user; for a login session idle too long and for an
  // expired API token the message says so (the token's says which token expired when, so the
  // integration's owner knows to issue a new one).
  Result<User> Authenticate(const std::string& token, Instant now);
  // The same, saying what the secret is (`bearer`): an API token, for what only a person's login
  // may do (issue tokens), and whether it may only read.
  Result<User> Authenticate(const std::string& token, Instant now, Bearer& bearer);

  // Revokes the session. Ok also when it was already gone: logging out twice is not an error.
  Status Logout(const std::string& token, Instant now);

  // Verifies `old_password` (kPermissionDenied kWrongCredentials, recorded as a login.failure and
  // throttled like a failed login from `address`; kResourceExhausted while the throttle holds it
  // back), checks the new one against the policy (kInvalidArgument "password"), stores it and
  // revokes every other session and API token of the user: all but `current_token`'s (a stolen
  // token must not outlive the password it was got with). The same change sent again within 10
  // minutes (its answer was lost) is Ok and changes nothing: `old_password` no longer matches,
  // `new_password` does.
  Status ChangePassword(std::int64_t user_id, const std::string& old_password, const std::string& new_password,
                        const std::string& address, Instant now, const std::string& current_token = {});

  // Sets a generated password (returned, to hand over once) and revokes all of the user's
  // sessions and API tokens. kNotFound for an unknown user or one outside `scope`.
  Result<std::string> ResetPassword(const std::string& actor, const std::string& username, Instant now,
                                    const UserScope& scope = {});

  // Disables the user and revokes all sessions and API tokens. kNotFound for an unknown user or
  // one outside `scope`; disabling a disabled user is Ok and records nothing.
  Status Disable(const std::string& actor, const std::string& username, Instant now, const UserScope& scope = {});
  // Enables a disabled user again; they log in with the password they had (a reset is a separate
  // step). The sessions revoked by the disable stay revoked. kNotFound for an unknown user or one
  // outside `scope`; enabling an enabled user is Ok and records nothing.
  Status Enable(const std::string& actor, const std::string& username, const UserScope& scope = {});

  // Moves a person to another unit, and to another town (a cadre transferred, a village merged):
  // the same login, history and audit trail, under their new unit and town. `town` unset keeps
  // the town, empty makes a county-level user; `roles` unset keeps them. Their sessions and API
  // tokens are revoked, since what they may see changes. Returns the user as now stored. The
  // checks are AddUser's:
  // kInvalidArgument "unit" (missing for a unit member), "role" (a county-level user who is not
  // a leader or a supervisor); kNotFound for an unknown user or one outside `scope`. Nothing is
  // written when nothing changes.
  Result<User> Move(const std::string& actor, const std::string& username, const std::optional<std::string>& town,
              const std::string& unit, const std::optional<std::vector<Role>>& roles, Instant now,
              const UserScope& scope = {});
  // Deletes the login sessions that expired or were revoked before `now` (API tokens stay, so
  // their list keeps the revoked ones); returns how many. One audit record when any was deleted.
  Result<int> PurgeSessions(const std::string& actor, Instant now);

  // The user's API tokens, revoked ones included, newest first.
  Result<std::vector<Session>> ListTokens(std::int64_t user_id) { return store_.ListTokens(user_id); }
  // The users within `scope`, ordered by username (the caller checks manage_users).
  Result<std::vector<User>> ListUsers(const UserScope& scope = {});

  // A token for a program acting as the user, revocable, valid for `days` (the policy's
  // api_token_days when not given), with all the user's rights or only reading. kNotFound for an
  // unknown user, kInvalidArgument ("label") for an empty label, ("expires_in_days") for days
  // outside 1..max_api_token_days.
  Result<IssuedApiToken> IssueApiToken(std::int64_t user_id, const std::string& label, std::optional<int> days,
                                       Instant now, TokenAccess access = TokenAccess::kReadWrite);
  // kNotFound unless token_id is an unrevoked API token of this user.
  Status RevokeApiToken(std::int64_t user_id, std::int64_t token_id, Instant now);

 private:
  // The user named `username` if `scope` covers it; kNotFound otherwise.
  Result<User> FindInScope(const std::string& username, const UserScope& scope);
  // Records a failed login about `subject` (a known user, or an unknown username unnamed).
  Status Fail(const std::string& subject, const std::string& address, const std::string& why);
  const std::string& DummyHash();

  AccountStore& store_;
  const AccountPolicy policy_;
  LoginThrottle throttle_;

  std::once_flag dummy_once_;
  std::string dummy_hash_;  // verified against for unknown users, so they take as long
};

// True for 3 to 32 characters of a-z, 0-9, '_', '.', '-'.
bool IsValidUsername(std::string_view username);

// A username as typed, made what usernames are: half-width, lower case, without spaces at
// either end. Login and AddUser take it so.
std::string CanonicalUsername(std::string_view typed);

}  // namespace rectify::accounts
