// The limiter that keeps the sender inside each robot's limit: at most N sends in any window.
#include "notifier/rate_limiter.h"

#include <catch2/catch.hpp>

namespace rectify::testing {
namespace {

using notifier::RateLimit;
using notifier::RateLimiter;

constexpr Instant kStart = 1'635'296'400;  // 2021-10-27 09:00 Shanghai
constexpr RateLimit kRobot{20, 0};

}  // namespace

TEST_CASE("twenty sends a minute pass and the twenty-first waits until the first is a minute old") {
  RateLimiter limiter;
  for (int i = 0; i < 20; ++i) {
    INFO("send " << i + 1);
    CHECK(limiter.Acquire("dingtalk:a", kRobot, kStart + i).allowed);
  }
  const RateLimiter::Decision held = limiter.Acquire("dingtalk:a", kRobot, kStart + 30);
  CHECK_FALSE(held.allowed);
  CHECK(held.retry_at == kStart + 60);
  CHECK_FALSE(limiter.Acquire("dingtalk:a", kRobot, kStart + 59).allowed);
  CHECK(limiter.Acquire("dingtalk:a", kRobot, kStart + 60).allowed);
  // Now the second send (at kStart + 1) is the one to wait for.
  const RateLimiter::Decision next = limiter.Acquire("dingtalk:a", kRobot, kStart + 60);
  CHECK_FALSE(next.allowed);
  CHECK(next.retry_at == kStart + 61);
}

TEST_CASE("a burst of twenty at one instant holds the next send for a full minute") {
  RateLimiter limiter;
  for (int i = 0; i < 20; ++i) REQUIRE(limiter.Acquire("wecom:a", kRobot, kStart).allowed);
  CHECK(limiter.Acquire("wecom:a", kRobot, kStart + 3).retry_at == kStart + 60);
  // No more than twenty in any sixty seconds, however the sends are spread.
  Instant now = kStart + 60;
  int sent = 0;
  while (now < kStart + 120) {
    const RateLimiter::Decision decision = limiter.Acquire("wecom:a", kRobot, now);
    if (decision.allowed)
      ++sent;
    else
      now = decision.retry_at;
  }
  CHECK(sent == 20);
}

TEST_CASE("Feishu's five a second and a hundred a minute both hold") {
  RateLimiter limiter;
  const RateLimit feishu{100, 5};
  for (int i = 0; i < 5; ++i) REQUIRE(limiter.Acquire("feishu:a", feishu, kStart).allowed);
  const RateLimiter::Decision held = limiter.Acquire("feishu:a", feishu, kStart);
  CHECK_FALSE(held.allowed);
  CHECK(held.retry_at == kStart + 1);
  int sent = 5;
  for (Instant now = kStart + 1; now < kStart + 60; ++now)
    while (limiter.Acquire("feishu:a", feishu, now).allowed) ++sent;
  CHECK(sent == 100);
  CHECK(limiter.Acquire("feishu:a", feishu, kStart + 59).retry_at == kStart + 60);
}

TEST_CASE("each target has its own allowance") {
  RateLimiter limiter;
  for (int i = 0; i < 20; ++i) REQUIRE(limiter.Acquire("dingtalk:a", kRobot, kStart).allowed);
  CHECK_FALSE(limiter.Acquire("dingtalk:a", kRobot, kStart).allowed);
  CHECK(limiter.Acquire("dingtalk:b", kRobot, kStart).allowed);
}

TEST_CASE("an unlimited channel is never held back") {
  RateLimiter limiter;
  for (int i = 0; i < 1000; ++i) REQUIRE(limiter.Acquire("smtp:a", RateLimit{}, kStart).allowed);
}

TEST_CASE("a blocked target waits until the block ends") {
  RateLimiter limiter;
  limiter.Block("dingtalk:a", kStart + 600);
  const RateLimiter::Decision held = limiter.Acquire("dingtalk:a", kRobot, kStart);
  CHECK_FALSE(held.allowed);
  CHECK(held.retry_at == kStart + 600);
  CHECK(limiter.Acquire("dingtalk:a", kRobot, kStart + 600).allowed);
}

}  // namespace rectify::testing
