#include "notifier/rate_limiter.h"

#include <algorithm>

namespace rectify::notifier {
namespace {

constexpr Instant kSecond = 1;
constexpr Instant kMinute = 60;
constexpr Instant kHour = 3600;
constexpr Instant kDay = 86400;

// The earliest instant ≥ now at which fewer than `max` of `sends` fall in the last `window`.
Instant FreeAt(const std::deque<Instant>& sends, int max, Instant window, Instant now) {
  if (max <= 0 || sends.size() < static_cast<std::size_t>(max)) return now;
  // The max-th most recent send must leave the window.
  const Instant oldest_that_counts = sends[sends.size() - static_cast<std::size_t>(max)];
  return std::max(now, oldest_that_counts + window);
}

// How long a send is remembered under `limit`: its longest window.
Instant Memory(RateLimit limit) {
  if (limit.per_day > 0) return kDay;
  if (limit.per_hour > 0) return kHour;
  return kMinute;
}

bool Counts(RateLimit limit) {
  return limit.per_second > 0 || limit.per_minute > 0 || limit.per_hour > 0 || limit.per_day > 0;
}

}  // namespace

RateLimiter::Decision RateLimiter::Acquire(const std::string& target, RateLimit limit, Instant now) {
  return Acquire(std::vector<std::string>{target}, limit, now);
}

RateLimiter::Decision RateLimiter::Acquire(const std::vector<std::string>& targets, RateLimit limit, Instant now) {
  std::lock_guard<std::mutex> lock(mutex_);
  Instant free_at = now;
  for (const std::string& target : targets) {
    History& history = histories_[target];
    while (!history.sends.empty() && history.sends.front() + Memory(limit) <= now) history.sends.pop_front();
    free_at = std::max(free_at, history.blocked_until);
    free_at = std::max(free_at, FreeAt(history.sends, limit.per_second, kSecond, now));
    free_at = std::max(free_at, FreeAt(history.sends, limit.per_minute, kMinute, now));
    free_at = std::max(free_at, FreeAt(history.sends, limit.per_hour, kHour, now));
    free_at = std::max(free_at, FreeAt(history.sends, limit.per_day, kDay, now));
  }
  if (free_at > now) return {false, free_at};
  if (Counts(limit))
    for (const std::string& target : targets) histories_[target].sends.push_back(now);
  return {true, now};
}

void RateLimiter::Block(const std::string& target, Instant until) { Block(std::vector<std::string>{target}, until); }

void RateLimiter::Block(const std::vector<std::string>& targets, Instant until) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const std::string& target : targets) {
    History& history = histories_[target];
    history.blocked_until = std::max(history.blocked_until, until);
  }
}

}  // namespace rectify::notifier
