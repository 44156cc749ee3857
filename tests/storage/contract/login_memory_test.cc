// The login throttle's memory (accounts/account.h, ReadLoginCounters to IsFamiliarAddress) on
// every backend (backends.h): failures counted per key within a window, holds, a slowed key's
// turn taken once, the familiar addresses, and the forgetting that keeps it small. Then what it
// is for: a lockout made through one process holds in another on the same database. The rules
// themselves are accounts/login_throttle.h's (tests/accounts/).
#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "accounts/account.h"
#include "accounts/account_service.h"
#include "tests/storage/contract/contract.h"

namespace rectify::testing {
namespace {

using accounts::AccountStore;
using accounts::LoginCounter;

constexpr Instant kWindow = 15 * 60;

std::vector<int> Failures(const std::vector<LoginCounter>& counters) {
  std::vector<int> failures;
  for (const LoginCounter& counter : counters) failures.push_back(counter.failures);
  return failures;
}

std::vector<int> FailuresOf(AccountStore& store, const std::vector<std::string>& keys, Instant since) {
  Result<std::vector<LoginCounter>> counters = store.ReadLoginCounters(keys, since);
  INFO(counters.status().ToString());
  REQUIRE(counters.ok());
  return Failures(*counters);
}

LoginCounter CounterOf(AccountStore& store, const std::string& key, Instant since = kStart - kWindow) {
  Result<std::vector<LoginCounter>> counters = store.ReadLoginCounters({key}, since);
  INFO(counters.status().ToString());
  REQUIRE(counters.ok());
  REQUIRE(counters->size() == 1);
  return counters->front();
}

std::vector<int> AddFailure(AccountStore& store, const std::vector<std::string>& keys, Instant at) {
  Result<std::vector<LoginCounter>> counters = store.AddLoginFailure(keys, at, at - kWindow);
  INFO(counters.status().ToString());
  REQUIRE(counters.ok());
  return Failures(*counters);
}

TEMPLATE_TEST_CASE("Login failures are counted per key after the time asked, and an unknown key reads as zero",
                   "[account_store][login_memory]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  AccountStore& store = backend.stores().accounts();

  CHECK(AddFailure(store, {"pair:a", "account:a"}, kStart) == std::vector<int>{1, 1});
  CHECK(AddFailure(store, {"pair:b", "account:a"}, kStart + 10) == std::vector<int>{1, 2});
  CHECK(AddFailure(store, {"pair:a", "account:a"}, kStart + 20) == std::vector<int>{2, 3});

  CHECK(FailuresOf(store, {"account:a", "pair:a", "pair:b", "nobody"}, kStart - 1) == std::vector<int>{3, 2, 1, 0});
  // Failures at or before `since` are not counted.
  CHECK(FailuresOf(store, {"account:a", "pair:a", "pair:b"}, kStart + 10) == std::vector<int>{1, 1, 0});
  const LoginCounter unknown = CounterOf(store, "nobody");
  CHECK(unknown.held_until == 0);
  CHECK(unknown.next_check == 0);
  CHECK(store.ReadLoginCounters({}, kStart).value().empty());
}

TEMPLATE_TEST_CASE("A reset forgets a key's failures and holds it until the time given, or not at all",
                   "[account_store][login_memory]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  AccountStore& store = backend.stores().accounts();
  for (int i = 0; i < 3; ++i) AddFailure(store, {"pair:a", "pair:b"}, kStart + i);

  REQUIRE(store.ResetLoginCounter("pair:a", kStart + kWindow).ok());
  REQUIRE(store.ResetLoginCounter("pair:b", 0).ok());

  const LoginCounter held = CounterOf(store, "pair:a");
  CHECK(held.failures == 0);
  CHECK(held.held_until == kStart + kWindow);
  const LoginCounter forgotten = CounterOf(store, "pair:b");
  CHECK(forgotten.failures == 0);
  CHECK(forgotten.held_until == 0);
  // A later reset without a hold lifts the hold.
  REQUIRE(store.ResetLoginCounter("pair:a", 0).ok());
  CHECK(CounterOf(store, "pair:a").held_until == 0);
}

TEMPLATE_TEST_CASE("A slowed key's check is taken once and then not until it is due",
                   "[account_store][login_memory]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  AccountStore& store = backend.stores().accounts();

  CHECK(store.TakeLoginCheck("account:a", kStart, kStart + 30).value());
  CHECK(CounterOf(store, "account:a").next_check == kStart + 30);
  CHECK_FALSE(store.TakeLoginCheck("account:a", kStart + 29, kStart + 59).value());
  CHECK(CounterOf(store, "account:a").next_check == kStart + 30);
  CHECK(store.TakeLoginCheck("account:b", kStart + 29, kStart + 59).value());  // another key's turn is its own
  CHECK(store.TakeLoginCheck("account:a", kStart + 30, kStart + 60).value());
  CHECK(CounterOf(store, "account:a").next_check == kStart + 60);
}

TEMPLATE_TEST_CASE("Of many asking for a slowed key's check at once, in two processes, exactly one gets it",
                   "[account_store][login_memory]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  std::unique_ptr<Stores> other = backend.OpenAnother();
  AccountStore* stores[] = {&backend.stores().accounts(), &other->accounts()};
  std::atomic<int> taken{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      const Result<bool> took = stores[i % 2]->TakeLoginCheck("account:a", kStart, kStart + 30);
      if (!took.ok()) ++failed;
      if (took.ok() && *took) ++taken;
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(failed == 0);
  CHECK(taken == 1);
}

TEMPLATE_TEST_CASE("A failure forgets, of every key, the failures that left the window and the holds that ended",
                   "[account_store][login_memory]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  AccountStore& store = backend.stores().accounts();
  AddFailure(store, {"pair:a", "account:a"}, kStart);
  AddFailure(store, {"pair:a"}, kStart + 100);
  REQUIRE(store.ResetLoginCounter("address:x", kStart + 50).ok());
  REQUIRE(store.TakeLoginCheck("account:b", kStart, kStart + 30).value());
  REQUIRE(store.TakeLoginCheck("account:c", kStart, kStart + kWindow + 10).value());

  // Nothing is forgotten by reading, only by the next failure, of any key.
  CHECK(FailuresOf(store, {"pair:a", "account:a"}, 0) == std::vector<int>{2, 1});
  AddFailure(store, {"pair:z"}, kStart + kWindow);

  CHECK(FailuresOf(store, {"pair:a", "account:a"}, 0) == std::vector<int>{1, 0});
  CHECK(CounterOf(store, "address:x", 0).held_until == 0);
  CHECK(CounterOf(store, "account:b", 0).next_check == 0);
  CHECK(CounterOf(store, "account:c", 0).next_check == kStart + kWindow + 10);  // not yet due: kept
}

TEMPLATE_TEST_CASE("Familiar addresses are kept per user, only the most recent few",
                   "[account_store][login_memory]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  AccountStore& store = backend.stores().accounts();
  REQUIRE(store.AddFamiliarAddress("zhangwei", "10.0.0.1", kStart, 2).ok());
  REQUIRE(store.AddFamiliarAddress("zhangwei", "10.0.0.2", kStart + 10, 2).ok());
  REQUIRE(store.AddFamiliarAddress("wangfang", "10.0.0.3", kStart + 20, 2).ok());
  REQUIRE(store.AddFamiliarAddress("zhangwei", "10.0.0.1", kStart + 30, 2).ok());  // again: now the newest
  REQUIRE(store.AddFamiliarAddress("zhangwei", "10.0.0.4", kStart + 40, 2).ok());

  CHECK(store.IsFamiliarAddress("zhangwei", "10.0.0.1").value());
  CHECK(store.IsFamiliarAddress("zhangwei", "10.0.0.4").value());
  CHECK_FALSE(store.IsFamiliarAddress("zhangwei", "10.0.0.2").value());  // the oldest, dropped
  CHECK_FALSE(store.IsFamiliarAddress("zhangwei", "10.0.0.3").value());  // another user's
  CHECK(store.IsFamiliarAddress("wangfang", "10.0.0.3").value());
}

TEMPLATE_TEST_CASE("The login throttle's writes append no audit record", "[account_store][login_memory]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  AccountStore& store = backend.stores().accounts();
  AddFailure(store, {"pair:a"}, kStart);
  REQUIRE(store.ResetLoginCounter("pair:a", kStart + 60).ok());
  REQUIRE(store.TakeLoginCheck("account:a", kStart, kStart + 30).ok());
  REQUIRE(store.AddFamiliarAddress("zhangwei", "10.0.0.1", kStart, 8).ok());
  CHECK(AllAudit(backend.stores().audit()).empty());
}

// What the memory is for, through AccountService as `rectify serve` runs it: two processes on
// one database, each with its own service.
TEMPLATE_TEST_CASE("A lockout made through one process holds in another on the same database",
                   "[account_store][login_memory]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  std::unique_ptr<Stores> other = backend.OpenAnother();
  accounts::AccountPolicy policy;
  policy.cost = accounts::PasswordCost::TestOnlyMinimum();
  accounts::AccountService first(backend.stores().accounts(), policy);
  accounts::AccountService second(other->accounts(), policy);
  constexpr char kPassword[] = "autumn-campaign-2021";
  REQUIRE(first.AddUser("os:root", "zhangwei", "张伟", "", "gaoqiao", {accounts::Role::kOffice}, kPassword, kStart)
              .ok());

  for (int i = 0; i < 5; ++i) {
    accounts::AccountService& service = i % 2 == 0 ? first : second;  // the guesses come through both
    REQUIRE(service.Login("zhangwei", "wrong-password-1", "203.0.113.9", kStart + i).status().code() ==
            StatusCode::kUnauthenticated);
  }

  CHECK(second.Login("zhangwei", kPassword, "203.0.113.9", kStart + 60).status().code() ==
        StatusCode::kResourceExhausted);
  CHECK(first.Login("zhangwei", kPassword, "203.0.113.9", kStart + 60).status().code() ==
        StatusCode::kResourceExhausted);
  CHECK(second.Login("zhangwei", kPassword, "10.0.0.7", kStart + 61).ok());  // the pair is locked, not the user
  // A restarted process forgets nothing either.
  backend.Reopen();
  accounts::AccountService restarted(backend.stores().accounts(), policy);
  CHECK(restarted.Login("zhangwei", kPassword, "203.0.113.9", kStart + 4 + kWindow - 1).status().code() ==
        StatusCode::kResourceExhausted);
  CHECK(restarted.Login("zhangwei", kPassword, "203.0.113.9", kStart + 4 + kWindow).ok());
}

}  // namespace
}  // namespace rectify::testing
