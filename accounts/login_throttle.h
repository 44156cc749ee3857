// Which login attempts get their password checked, from the failures so far: guessing is made
// slow, and the right password still reaches its owner.
//
//   - per username and address: `per_account_address` failures within `window` lock that pair
//     out for `lockout` (someone guessing one account from one place);
//   - per address: `per_address` failures within `window`, whatever the usernames, lock that
//     address out for `lockout` (someone trying many accounts from one place);
//   - per username, from anywhere: from `per_account` failures within `window` on, the username
//     is slowed, never shut: for an address that has not logged in as it before, its password
//     is checked at most once every `account_interval` seconds. An address that has (a familiar
//     one) is never slowed, so guesses from elsewhere cannot lock the owner out.
//
// Usernames are counted as typed, known or not, so no answer tells whether an account exists.
// Counts are kept in memory, per process, and start empty on restart; a flood of made-up
// usernames or addresses cannot grow them without bound. Safe to call from many threads.
#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <string>

#include "engine/time.h"

namespace rectify::accounts {

struct LoginLimits {
  int per_account_address = 5;
  int per_address = 20;
  int per_account = 10;
  Instant account_interval = 30;
  Instant window = 15 * 60;
  Instant lockout = 15 * 60;
};

class LoginThrottle {
 public:
  explicit LoginThrottle(LoginLimits limits) : limits_(limits) {}

  // True when the attempt may have its password checked now; the caller then reports the
  // outcome with Failed or Succeeded. False: refuse it unchecked ("try again later").
  bool MayTry(const std::string& username, const std::string& address, Instant now);
  void Failed(const std::string& username, const std::string& address, Instant now);
  // The address becomes familiar to the username (the most recent few are kept), and the
  // pair's failures are forgotten.
  void Succeeded(const std::string& username, const std::string& address);

 private:
  struct Failures {
    std::deque<Instant> at;  // within the window, oldest first
    Instant locked_until = 0;
    Instant next_check = 0;  // for a slowed username: the next check for an unfamiliar address
  };

  // Drops failures that left the window.
  void Forget(Failures& failures, Instant now) const;
  // Counts a failure; `lock_at` failures within the window lock for `lockout` (0: never).
  void Count(Failures& failures, int lock_at, Instant now) const;
  bool IsFamiliar(const std::string& username, const std::string& address) const;
  // Past kMaxTracked entries, drops those with nothing left to remember.
  void Prune(std::map<std::string, Failures>& map, Instant now) const;

  const LoginLimits limits_;
  std::mutex mutex_;
  std::map<std::string, Failures> by_pair_;  // "username\naddress"
  std::map<std::string, Failures> by_address_;
  std::map<std::string, Failures> by_account_;
  // Only successful logins add here, so only real users, a few addresses each.
  std::map<std::string, std::deque<std::string>> familiar_;
};

}  // namespace rectify::accounts
