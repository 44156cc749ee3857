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
//     one: the most recent few are kept) is never slowed, so guesses from elsewhere cannot lock
//     the owner out.
//
// Usernames are counted as typed, known or not, so no answer tells whether an account exists.
// The rules are here; what they remember is kept by the AccountStore (accounts/account.h), so
// every process on one database (every instance behind a proxy) holds the same lockouts and a
// restart forgets none. The store is given keys made here, hashes: a typed username may be a
// password typed into the wrong field and is never stored as typed. It forgets the failures
// that left the window as new ones come, so a flood of made-up usernames or addresses cannot grow
// it past one window's worth. Safe to call from many threads.
#pragma once

#include <string>

#include "accounts/account.h"
#include "engine/status.h"
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
  // `store` must outlive the throttle.
  LoginThrottle(AccountStore& store, LoginLimits limits) : store_(store), limits_(limits) {}

  // When the attempt may have its password checked: `now` or before, now (the caller then
  // reports the outcome with Failed or Succeeded); later, refuse it unchecked: by then the
  // throttle lets it through (a slowed username's turn may come a little sooner). Errors are the
  // store's, here and below.
  Result<Instant> NextTry(const std::string& username, const std::string& address, Instant now);
  Status Failed(const std::string& username, const std::string& address, Instant now);
  // The address becomes familiar to the username, and the pair's failures are forgotten.
  Status Succeeded(const std::string& username, const std::string& address, Instant now);

 private:
  AccountStore& store_;
  const LoginLimits limits_;
};

}  // namespace rectify::accounts
