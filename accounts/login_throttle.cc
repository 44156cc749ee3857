#include "accounts/login_throttle.h"

#include <vector>

#include "accounts/passwords.h"

namespace rectify::accounts {
namespace {

// Familiar addresses kept per username, the most recent.
constexpr int kFamiliarPerUser = 8;

// The store's keys: what is counted, and a hash of whom (never the typed username itself).
std::string PairKey(const std::string& username, const std::string& address) {
  return "pair:" + TokenHash(username + "\n" + address);
}
std::string AddressKey(const std::string& address) { return "address:" + TokenHash(address); }
std::string AccountKey(const std::string& username) { return "account:" + TokenHash(username); }

}  // namespace

Result<Instant> LoginThrottle::NextTry(const std::string& username, const std::string& address, Instant now) {
  const std::string account_key = AccountKey(username);
  const Result<std::vector<LoginCounter>> counters =
      store_.ReadLoginCounters({PairKey(username, address), AddressKey(address), account_key}, now - limits_.window);
  if (!counters.ok()) return counters.status();
  const LoginCounter& pair = (*counters)[0];
  const LoginCounter& from_address = (*counters)[1];
  const LoginCounter& account = (*counters)[2];
  const Instant held_until = std::max(pair.held_until, from_address.held_until);
  if (now < held_until) return held_until;
  if (account.failures < limits_.per_account) return now;
  const Result<bool> familiar = store_.IsFamiliarAddress(username, address);
  if (!familiar.ok()) return familiar.status();
  if (*familiar) return now;
  // Slowed, and this attempt takes the username's turn if it is due; else the turn comes again
  // within the interval.
  const Result<bool> took = store_.TakeLoginCheck(account_key, now, now + limits_.account_interval);
  if (!took.ok()) return took.status();
  return *took ? now : now + limits_.account_interval;
}

Status LoginThrottle::Failed(const std::string& username, const std::string& address, Instant now) {
  // Each key with the count of failures within the window that locks it (0: never locks).
  std::vector<std::string> keys = {PairKey(username, address), AccountKey(username)};
  std::vector<int> lock_at = {limits_.per_account_address, 0};
  if (!address.empty()) {
    keys.push_back(AddressKey(address));
    lock_at.push_back(limits_.per_address);
  }
  const Result<std::vector<LoginCounter>> counters = store_.AddLoginFailure(keys, now, now - limits_.window);
  if (!counters.ok()) return counters.status();
  for (std::size_t i = 0; i < keys.size(); ++i) {
    // A lock starts the count afresh, so the next lock needs as many failures again.
    if (lock_at[i] > 0 && (*counters)[i].failures >= lock_at[i])
      RECTIFY_RETURN_IF_ERROR(store_.ResetLoginCounter(keys[i], now + limits_.lockout));
  }
  return Status::Ok();
}

Status LoginThrottle::Succeeded(const std::string& username, const std::string& address, Instant now) {
  RECTIFY_RETURN_IF_ERROR(store_.ResetLoginCounter(PairKey(username, address), 0));
  return store_.AddFamiliarAddress(username, address, now, kFamiliarPerUser);
}

}  // namespace rectify::accounts
