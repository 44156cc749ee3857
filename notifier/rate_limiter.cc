#include "notifier/rate_limiter.h"

#include <algorithm>

namespace rectify::notifier {
namespace {

constexpr Instant kMinute = 60;
constexpr Instant kSecond = 1;

// The earliest instant ≥ now at which fewer than `max` of `sends` fall in the last `window`.
Instant FreeAt(const std::deque<Instant>& sends, int max, Instant window, Instant now) {
  if (max <= 0 || sends.size() < static_cast<std::size_t>(max)) return now;
  // The max-th most recent send must leave the window.
  const Instant oldest_that_counts = sends[sends.size() - static_cast<std::size_t>(max)];
  return std::max(now, oldest_that_counts + window);
}

}  // namespace

RateLimiter::Decision RateLimiter::Acquire(const std::string& target, RateLimit limit, Instant now) {
  std::lock_guard<std::mutex> lock(mutex_);
  History& history = histories_[target];
  while (!history.sends.empty() && history.sends.front() + kMinute <= now) history.sends.pop_front();

  Instant free_at = std::max(now, history.blocked_until);
  free_at = std::max(free_at, FreeAt(history.sends, limit.per_minute, kMinute, now));
  free_at = std::max(free_at, FreeAt(history.sends, limit.per_second, kSecond, now));
  if (free_at > now) return {false, free_at};
  if (limit.per_minute > 0 || limit.per_second > 0) history.sends.push_back(now);
  return {true, now};
}

void RateLimiter::Block(const std::string& target, Instant until) {
  std::lock_guard<std::mutex> lock(mutex_);
  History& history = histories_[target];
  history.blocked_until = std::max(history.blocked_until, until);
}

}  // namespace rectify::notifier
