// Users, their roles and their sessions, and the storage interface for them and for what the
// login throttle remembers. Pure: no SQL, no clock, no cryptography (accounts/passwords.h
// hashes; accounts/account_service.h and accounts/login_throttle.h decide).
//
// Secrets are never stored: a user keeps only an argon2id hash of the password, a session only
// the BLAKE2b hash of its token (TokenHash in accounts/passwords.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/audit.h"
#include "engine/status.h"
#include "engine/time.h"

namespace rectify::accounts {

enum class Role { kOffice, kUnitMember, kInspector, kSupervisor, kLeader };

// "office", "unit_member", "inspector", "supervisor", "leader".
const char* RoleName(Role role);
// kInvalidArgument (field "role") for any other name.
Result<Role> ParseRole(std::string_view name);
// "office,leader" and back: how roles are stored. ParseRoles refuses an empty list.
std::string JoinRoles(const std::vector<Role>& roles);
Result<std::vector<Role>> ParseRoles(std::string_view joined);

struct User {
  std::int64_t id = 0;  // assigned by the store
  std::string username;
  std::string display_name;
  std::string unit;  // required for unit members, may be empty otherwise
  // The user's town (engine/deployment.h): they see its campaigns only. Empty for a county-level
  // leader or supervisor, who sees every town's.
  std::string town;
  std::vector<Role> roles;
  bool disabled = false;
  std::string password_hash;  // crypto_pwhash_str output (argon2id, parameters included)
  Instant created_at = 0;
  Instant password_changed_at = 0;

  bool Has(Role role) const;
};

inline constexpr char kSessionKindLogin[] = "session";
inline constexpr char kSessionKindApiToken[] = "api_token";

// A login session or an API token: the bearer of the token that hashes to token_hash acts as
// the user until expires_at (0: never, for API tokens issued before tokens expired) or until
// revoked.
struct Session {
  std::string token_hash;  // 64 lowercase hex digits
  std::int64_t user_id = 0;
  std::string kind = kSessionKindLogin;  // kSessionKindLogin or kSessionKindApiToken
  std::string label;                     // what an API token is for; empty for sessions
  // An API token that may only read (GET and HEAD): a county's nightly pull or a dashboard
  // never needs to write, so a leaked copy of its secret cannot change an item.
  bool read_only = false;
  Instant created_at = 0;
  Instant expires_at = 0;
  std::optional<Instant> revoked_at;
  std::int64_t id = 0;  // assigned by the store; names an API token without revealing it
  // When the bearer was last seen, to the minute (AccountStore::TouchSession); 0: not since it
  // was made.
  Instant last_seen_at = 0;
};

// A session with the user it belongs to: what authenticating a request reads, in one query.
struct SessionOfUser {
  Session session;
  User user;
};

// Which sessions a user update revokes along with it (a password change, a reset, a disable).
struct SessionRevocation {
  Instant at = 0;
  std::string keep_token_hash;   // this one stays (the session that changed its password)
  bool api_tokens_too = false;   // also revoke API tokens, not only login sessions
};

// What the login throttle (accounts/login_throttle.h) remembers under one of its keys.
struct LoginCounter {
  int failures = 0;        // failures recorded after the `since` asked for
  Instant held_until = 0;  // attempts under the key are held back until then; 0: never held
  Instant next_check = 0;  // a slowed key's next check; 0: none taken
};

// Storage of users and sessions, and of the login throttle's memory. Like engine/item_store.h:
// each write is one transaction and (but for the throttle's) appends `audit` to the audit log in
// it (the store sets seq, hashes and `at`); a write that fails records nothing. Safe to call
// from many threads at once.
class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // Stores a new user; the returned copy carries its id. kInvalidArgument (field "username")
  // when the name is taken.
  virtual Result<User> AddUser(User user, const AuditRecord& audit) = 0;
  // kNotFound when there is no such user.
  virtual Result<User> FindUserByName(const std::string& username) = 0;
  virtual Result<User> GetUser(std::int64_t id) = 0;
  // Every user, ordered by username.
  virtual Result<std::vector<User>> ListUsers() = 0;
  // Replaces display_name, unit, town, roles, disabled, password_hash and password_changed_at of
  // user.id and, when `revoke` is set, revokes that user's unrevoked sessions in the same
  // transaction (a password change must not leave an old session alive). kNotFound for an
  // unknown id.
  virtual Status UpdateUser(const User& user, const std::optional<SessionRevocation>& revoke,
                            const AuditRecord& audit) = 0;

  // Stores a new session or API token; the returned copy carries its id. kNotFound for an
  // unknown user.
  virtual Result<Session> AddSession(Session session, const AuditRecord& audit) = 0;
  // The session with its user, read together (every authenticated request asks). Revoked and
  // expired sessions are found too: the caller decides. kNotFound when none.
  virtual Result<SessionOfUser> FindSession(const std::string& token_hash) = 0;
  // Notes that the bearer of the session was seen at `at`: bookkeeping for the idle timeout, no
  // audit record. Ok also when there is no such session.
  virtual Status TouchSession(const std::string& token_hash, Instant at) = 0;
  // kNotFound when there is no unrevoked session with this hash (then nothing is recorded).
  virtual Status RevokeSession(const std::string& token_hash, Instant at, const AuditRecord& audit) = 0;
  // The user's API tokens, revoked ones included, newest first.
  virtual Result<std::vector<Session>> ListTokens(std::int64_t user_id) = 0;
  // Deletes every login session (not API tokens) that expired or was revoked at or before
  // `now`; returns how many. `audit` is appended only when one or more were deleted, so a
  // scheduled purge that finds nothing leaves no trace.
  virtual Result<int> PurgeSessions(Instant now, const AuditRecord& audit) = 0;

  // Records an action that changes nothing else (a failed login); as ItemStore::AppendAudit.
  virtual Status AppendAudit(const AuditRecord& record) = 0;

  // --- The login throttle's memory, in the database so that every process on it (every
  // instance behind a proxy) holds the same lockouts. The throttle makes the keys, opaque here,
  // and every rule; these writes are bookkeeping beside an attempt that the caller audits, so
  // they append no audit record. Each is one transaction.

  // The counters of `keys`, in that order, counting the failures recorded after `since`; a key
  // with nothing stored reads as a zero LoginCounter.
  virtual Result<std::vector<LoginCounter>> ReadLoginCounters(const std::vector<std::string>& keys,
                                                              Instant since) = 0;
  // Records one failure at `at` under each of `keys` and returns their counters as
  // ReadLoginCounters(keys, since) reads them after it. In the same transaction, forgets what
  // no rule counts any more, of every key: failures at or before `since`, and holds and next
  // checks that ended by `at`. So what is kept never outgrows one window of failures.
  virtual Result<std::vector<LoginCounter>> AddLoginFailure(const std::vector<std::string>& keys, Instant at,
                                                            Instant since) = 0;
  // Forgets the failures and the next check of `key` and holds it back until `held_until`
  // (0: not held).
  virtual Status ResetLoginCounter(const std::string& key, Instant held_until) = 0;
  // A slowed key's turn: when its next check is at or before `now`, moves it to `next` and
  // returns true; otherwise returns false and changes nothing. Of callers asking at once, in
  // any process, one gets the turn.
  virtual Result<bool> TakeLoginCheck(const std::string& key, Instant now, Instant next) = 0;
  // Notes that `username` logged in from `address` at `at`, keeping only the `keep` addresses
  // it logged in from most recently.
  virtual Status AddFamiliarAddress(const std::string& username, const std::string& address, Instant at,
                                    int keep) = 0;
  // True when `address` is among the addresses kept for `username`.
  virtual Result<bool> IsFamiliarAddress(const std::string& username, const std::string& address) = 0;
};

}  // namespace rectify::accounts
