// What people do with accounts: add users, log in and out, change and reset passwords, disable
// users, issue and revoke API tokens. Reads no clock: every method takes `now`. Every change
// and every login attempt, successful or not, is recorded in the audit log (engine/audit.h) in
// the same transaction as the change; no audit record ever holds a password or a token.
//
// Login failures are answered alike whatever the reason (unknown user, wrong password,
// disabled user), with the same code, the same message and about the same time (an unknown
// user's attempt still verifies a password against a fixed hash), so that the answer does not
// tell who has an account. Failures are counted in memory, per username and per client
// address, over a sliding window; too many lock that username or address out for a while. The
// counts are per process and start empty on restart.
//
// Safe to call from many threads at once.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/account.h"
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
inline constexpr char kAuditPasswordChange[] = "password.change";
inline constexpr char kAuditPasswordReset[] = "password.reset";
inline constexpr char kAuditTokenIssue[] = "token.issue";
inline constexpr char kAuditTokenRevoke[] = "token.revoke";
inline constexpr char kAuditLogout[] = "logout";

// The answer to every failed login that is not a lockout.
inline constexpr char kWrongCredentials[] = "wrong username or password";

struct AccountPolicy {
  Instant session_lifetime = 12 * 3600;
  // Failed logins: this many for one username, or per_address for one client address, within
  // `window` seconds lock that username or address out for `lockout` seconds.
  int per_account = 5;
  int per_address = 20;
  Instant window = 15 * 60;
  Instant lockout = 15 * 60;
  // Tests pass PasswordCost::TestOnlyMinimum(); everything else keeps the default.
  PasswordCost cost = PasswordCost::Interactive();
};

struct LoginResult {
  std::string token;  // the bearer secret; shown to the client once, stored only as its hash
  User user;
  Instant expires_at = 0;
};

class AccountService {
 public:
  // `store` must outlive the service.
  explicit AccountService(AccountStore& store, AccountPolicy policy = {});

  // `actor` names who makes the change in the audit log ("os:root", "user admin").
  // kInvalidArgument: field "username" (not 3-32 of a-z 0-9 _ . -, or taken), "role" (none,
  // or an unknown one), "unit" (missing for a unit member), "password" (CheckPasswordPolicy).
  Result<User> AddUser(const std::string& actor, const std::string& username, const std::string& display_name,
                       const std::string& unit, const std::vector<Role>& roles, const std::string& password,
                       Instant now);

  // A new session of session_lifetime. kUnauthenticated with kWrongCredentials for an unknown
  // user, a wrong password or a disabled user alike; kResourceExhausted "too many failed logins:
  // try again later" while the username or the address is locked out (no password is checked).
  Result<LoginResult> Login(const std::string& username, const std::string& password, const std::string& address,
                            Instant now);

  // The user a session or API token acts for. kUnauthenticated "not logged in" for an unknown,
  // revoked or expired token, or a disabled user.
  Result<User> Authenticate(const std::string& token, Instant now);

  // Revokes the session. Ok also when it was already gone: logging out twice is not an error.
  Status Logout(const std::string& token, Instant now);

  // Verifies `old_password` (kPermissionDenied kWrongCredentials, recorded as a login.failure and
  // counted toward the account's lockout; kResourceExhausted while it is locked out),
  // checks the new one against the policy (kInvalidArgument "password"), stores it and revokes
  // the user's other login sessions: every one but `current_token`'s. API tokens stay (see
  // ResetPassword).
  Status ChangePassword(std::int64_t user_id, const std::string& old_password, const std::string& new_password,
                        Instant now, const std::string& current_token = {});

  // Sets a generated password (returned, to hand over once) and revokes all of the user's
  // sessions and API tokens. kNotFound for an unknown user.
  Result<std::string> ResetPassword(const std::string& actor, const std::string& username, Instant now);

  // Disables the user and revokes all sessions and API tokens. kNotFound for an unknown user;
  // disabling a disabled user is Ok and records nothing.
  Status Disable(const std::string& actor, const std::string& username, Instant now);

  // A token for a program acting as the user: never expires, revocable. kNotFound for an
  // unknown user, kInvalidArgument ("label") for an empty label.
  Result<std::string> IssueApiToken(std::int64_t user_id, const std::string& label, Instant now);
  // kNotFound unless token_id is an unrevoked API token of this user.
  Status RevokeApiToken(std::int64_t user_id, std::int64_t token_id, Instant now);

 private:
  struct Throttle {
    std::deque<Instant> failures;  // within the window, oldest first
    Instant locked_until = 0;
  };

  bool Locked(const std::string& username, const std::string& address, Instant now);
  void CountFailure(const std::string& username, const std::string& address, Instant now);
  void Record(Throttle& throttle, int limit, Instant now) const;
  Status Fail(const std::string& username, const std::string& address, const std::string& why);
  const std::string& DummyHash();

  AccountStore& store_;
  const AccountPolicy policy_;

  std::mutex throttle_mutex_;
  std::map<std::string, Throttle> by_account_;
  std::map<std::string, Throttle> by_address_;

  std::once_flag dummy_once_;
  std::string dummy_hash_;  // verified against for unknown users, so they take as long
};

// True for 3 to 32 characters of a-z, 0-9, '_', '.', '-'.
bool IsValidUsername(std::string_view username);

}  // namespace rectify::accounts
