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

TEST_CASE("an SMS number's limits by the hour and the day hold even when the minute's is free") {
  RateLimiter limiter;
  RateLimit sms;
  sms.per_minute = 1;
  sms.per_hour = 5;
  sms.per_day = 10;
  for (int i = 0; i < 5; ++i) REQUIRE(limiter.Acquire("sms-number:1", sms, kStart + 60 * i).allowed);
  const RateLimiter::Decision hour = limiter.Acquire("sms-number:1", sms, kStart + 600);
  CHECK_FALSE(hour.allowed);
  CHECK(hour.retry_at == kStart + 3600);
  for (int i = 0; i < 5; ++i) REQUIRE(limiter.Acquire("sms-number:1", sms, kStart + 3600 + 60 * i).allowed);
  const RateLimiter::Decision day = limiter.Acquire("sms-number:1", sms, kStart + 7200 + 60);
  CHECK_FALSE(day.allowed);
  CHECK(day.retry_at == kStart + 86400);
}

TEST_CASE("a send to several numbers passes only when every number may have it, and counts for each") {
  RateLimiter limiter;
  const RateLimit one_a_minute{1, 0};
  REQUIRE(limiter.Acquire(std::vector<std::string>{"sms-number:2"}, one_a_minute, kStart).allowed);
  const RateLimiter::Decision both =
      limiter.Acquire(std::vector<std::string>{"sms-number:1", "sms-number:2"}, one_a_minute, kStart + 10);
  CHECK_FALSE(both.allowed);
  CHECK(both.retry_at == kStart + 60);
  // Nothing was counted for number 1 by the refused send.
  CHECK(limiter.Acquire(std::vector<std::string>{"sms-number:1"}, one_a_minute, kStart + 10).allowed);
  limiter.Block(std::vector<std::string>{"sms-number:3", "sms-number:4"}, kStart + 3600);
  CHECK(limiter.Acquire("sms-number:4", one_a_minute, kStart + 100).retry_at == kStart + 3600);
}

}  // namespace rectify::testing
