#include "accounts/login_throttle.h"

#include <algorithm>

namespace rectify::accounts {
namespace {

// Entries past which those with nothing left to remember are dropped.
constexpr std::size_t kMaxTracked = 10000;
// Familiar addresses kept per username, most recent first.
constexpr std::size_t kFamiliarPerUser = 8;

std::string PairKey(const std::string& username, const std::string& address) { return username + "\n" + address; }

}  // namespace

bool LoginThrottle::MayTry(const std::string& username, const std::string& address, Instant now) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto locked = [now](const std::map<std::string, Failures>& map, const std::string& key) {
    const auto found = map.find(key);
    return found != map.end() && now < found->second.locked_until;
  };
  if (locked(by_pair_, PairKey(username, address)) || locked(by_address_, address)) return false;
  const auto account = by_account_.find(username);
  if (account == by_account_.end()) return true;
  Forget(account->second, now);
  if (static_cast<int>(account->second.at.size()) < limits_.per_account || IsFamiliar(username, address)) return true;
  if (now < account->second.next_check) return false;
  account->second.next_check = now + limits_.account_interval;  // this attempt takes the slot
  return true;
}

void LoginThrottle::Failed(const std::string& username, const std::string& address, Instant now) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto* map : {&by_pair_, &by_address_, &by_account_}) Prune(*map, now);
  Count(by_pair_[PairKey(username, address)], limits_.per_account_address, now);
  if (!address.empty()) Count(by_address_[address], limits_.per_address, now);
  Count(by_account_[username], 0, now);
}

void LoginThrottle::Succeeded(const std::string& username, const std::string& address) {
  std::lock_guard<std::mutex> lock(mutex_);
  by_pair_.erase(PairKey(username, address));
  std::deque<std::string>& familiar = familiar_[username];
  familiar.erase(std::remove(familiar.begin(), familiar.end(), address), familiar.end());
  familiar.push_front(address);
  if (familiar.size() > kFamiliarPerUser) familiar.pop_back();
}

void LoginThrottle::Forget(Failures& failures, Instant now) const {
  while (!failures.at.empty() && failures.at.front() <= now - limits_.window) failures.at.pop_front();
}

void LoginThrottle::Count(Failures& failures, int lock_at, Instant now) const {
  Forget(failures, now);
  failures.at.push_back(now);
  if (lock_at > 0 && static_cast<int>(failures.at.size()) >= lock_at) {
    failures.locked_until = now + limits_.lockout;
    failures.at.clear();
  }
}

bool LoginThrottle::IsFamiliar(const std::string& username, const std::string& address) const {
  const auto found = familiar_.find(username);
  return found != familiar_.end() && std::find(found->second.begin(), found->second.end(), address) != found->second.end();
}

void LoginThrottle::Prune(std::map<std::string, Failures>& map, Instant now) const {
  if (map.size() < kMaxTracked) return;
  for (auto it = map.begin(); it != map.end();) {
    Forget(it->second, now);
    const bool idle = it->second.at.empty() && now >= it->second.locked_until && now >= it->second.next_check;
    it = idle ? map.erase(it) : std::next(it);
  }
}

}  // namespace rectify::accounts
