// Keeps the sender within each receiver's limit, per Target(). The robots count sends in a
// minute, and DingTalk locks a robot for 10 minutes past 20, so the limiter never allows more
// than `per_minute` sends in any 60 seconds (nor `per_second` in any second): the 21st send
// waits until the first is a minute old. A token bucket refilling one token every 3 seconds
// would allow 20 at once and 19 more within that minute, which is exactly what gets a robot
// locked. The SMS gateway counts per phone number by the minute, the hour and the day, so a
// send may count against several keys at once (each number texted). No clock is read: the
// caller passes the instant.
#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "engine/time.h"
#include "notifier/channel.h"

namespace rectify::notifier {

class RateLimiter {
 public:
  struct Decision {
    bool allowed = false;
    Instant retry_at = 0;  // when not allowed: the first instant a send may be allowed
  };

  // Asks to send to `target` at `now` under `limit`. When allowed, the send is recorded (the
  // caller is expected to send, and a failed attempt still counts: the receiver saw it).
  // When not, nothing is recorded and `retry_at` says when to ask again. Instants must not
  // go backwards for one target. Safe to call from several threads.
  Decision Acquire(const std::string& target, RateLimit limit, Instant now);
  // The same for a send that counts against each of `targets` (every number of an SMS): allowed
  // only when every one allows it, and then recorded for every one.
  Decision Acquire(const std::vector<std::string>& targets, RateLimit limit, Instant now);

  // Forbids sends to `target` before `until` (a robot that answered "rate limited": DingTalk
  // locks it for 10 minutes). Acquire answers retry_at ≥ until meanwhile.
  void Block(const std::string& target, Instant until);
  void Block(const std::vector<std::string>& targets, Instant until);

 private:
  struct History {
    std::deque<Instant> sends;  // the instants of recent allowed sends, oldest first
    Instant blocked_until = 0;
  };

  std::mutex mutex_;
  std::map<std::string, History> histories_;
};

}  // namespace rectify::notifier
