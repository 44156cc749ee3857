// make bench: figures for this machine, printed as a table.
//   1. durable transitions per second through the HTTP API, 1 and 8 concurrent clients
//      (each request is a real POST .../events, committed with synchronous=FULL before the reply);
//   2. the overdue query at 100k items (first page of /api/overdue, and the store call alone).
// Everything runs on loopback against a fresh SQLite file in a temp directory.
#include <httplib.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "accounts/account_service.h"
#include "config/deployment_loader.h"
#include "engine/clock.h"
#include "engine/item_service.h"
#include "app/services.h"
#include "storage/sqlite_stores.h"
#include "web/api_server.h"

namespace rectify {
namespace {

using Clock = std::chrono::steady_clock;

double Millis(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

struct Bench {
  std::string dir;
  Deployment deployment;
  std::unique_ptr<SqliteStores> store;
  std::unique_ptr<app::DeploymentServices> services;
  std::string token;         // a unit member of village_1, where the bench's problems are
  std::string office_token;  // sees every unit
  ManualClock clock{*ParseInstant("2021-10-12T09:00:00+08:00")};
  std::unique_ptr<web::ApiServer> server;
  std::thread serving;
  int port = 0;

  explicit Bench(const std::string& campaign_path) {
    dir = (std::filesystem::temp_directory_path() / ("rectify-bench-" + std::to_string(::getpid()))).string();
    std::filesystem::create_directories(dir);
    auto loaded = LoadDeployment({campaign_path}, "");
    if (!loaded.ok()) throw std::runtime_error(loaded.status().ToString());
    deployment = std::move(loaded.value());
    const std::string& town = deployment.campaigns.front()->town;
    auto opened = SqliteStores::Open(dir + "/bench.sqlite");
    if (!opened.ok()) throw std::runtime_error(opened.status().ToString());
    store = std::move(opened.value());
    accounts::AccountPolicy policy;
    policy.cost = accounts::PasswordCost::TestOnlyMinimum();  // the bench measures requests, not logins
    services = std::make_unique<app::DeploymentServices>(deployment, *store, policy);
    accounts::AccountService* accounts = &services->accounts();
    const std::string password = accounts::GeneratePassword();
    auto user = accounts->AddUser("bench", "bench.village1", "", "village_1", town, {accounts::Role::kUnitMember}, password,
                                  clock.Now());
    if (!user.ok()) throw std::runtime_error(user.status().ToString());
    token = accounts->Login("bench.village1", password, "127.0.0.1", clock.Now()).value().token;
    if (!accounts->AddUser("bench", "bench.office", "", "rural_office", town, {accounts::Role::kOffice}, password, clock.Now()).ok())
      throw std::runtime_error("cannot add the bench's office user");
    office_token = accounts->Login("bench.office", password, "127.0.0.1", clock.Now()).value().token;
    server = std::make_unique<web::ApiServer>(services->Api(), clock);
    auto bound = server->Bind("127.0.0.1", 0);
    if (!bound.ok()) throw std::runtime_error(bound.status().ToString());
    port = *bound;
    serving = std::thread([this] { (void)server->Serve(); });
    while (!server->IsServing()) std::this_thread::yield();
  }
  ~Bench() {
    server->Stop();
    serving.join();
    server.reset();
    services.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }

  // `count` problems assigned and started, ready for progress notes.
  std::vector<std::int64_t> MakeWorkingProblems(int count) {
    std::vector<NewProblem> inputs(static_cast<std::size_t>(count));
    for (NewProblem& p : inputs) {
      p.title = "bench";
      p.area = 14;
      p.source = "campaign_sweep";
      p.unit = "village_1";
    }
    const Actor bench = Actor::System("bench");
    auto created = services->campaigns().front()->items().CreateProblems(inputs, bench, clock.Now());
    if (!created.ok()) throw std::runtime_error(created.status().ToString());
    std::vector<std::int64_t> ids;
    EventInput start;
    start.name = "start";
    for (const Item& item : *created) {
      auto fired = services->campaigns().front()->items().Fire(ItemKind::kProblem, item.id, start, bench, std::nullopt, clock.Now());
      if (!fired.ok()) throw std::runtime_error(fired.status().ToString());
      ids.push_back(item.id);
    }
    return ids;
  }
};

void TransitionsThroughHttp(Bench& bench, int clients, int requests_per_client) {
  const std::vector<std::int64_t> ids = bench.MakeWorkingProblems(clients * 4);
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(clients));
  std::vector<int> failures(static_cast<std::size_t>(clients), 0);
  const auto started = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c)
    threads.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", bench.port);
      client.set_tcp_nodelay(true);
      client.set_keep_alive(true);
      client.set_bearer_token_auth(bench.token);
      for (int r = 0; r < requests_per_client; ++r) {
        // Each client writes its own items, so the figure is throughput, not conflict handling.
        const std::int64_t id = ids[static_cast<std::size_t>(c * 4 + r % 4)];
        const std::string body = R"({"event":"progress","note":"进展 )" + std::to_string(r) + "\"}";
        const auto t0 = Clock::now();
        auto res = client.Post(("/api/problems/" + std::to_string(id) + "/events").c_str(), body, "application/json");
        latencies[static_cast<std::size_t>(c)].push_back(Millis(Clock::now() - t0));
        if (!res || res->status != 200) ++failures[static_cast<std::size_t>(c)];
      }
    });
  for (std::thread& t : threads) t.join();
  const double seconds = Millis(Clock::now() - started) / 1000.0;
  std::vector<double> all;
  int failed = 0;
  for (int c = 0; c < clients; ++c) {
    all.insert(all.end(), latencies[static_cast<std::size_t>(c)].begin(), latencies[static_cast<std::size_t>(c)].end());
    failed += failures[static_cast<std::size_t>(c)];
  }
  std::printf("| transitions via HTTP, %d client%s | %7.0f /s | p50 %.2f ms, p99 %.2f ms, %zu requests, %d failed |\n",
              clients, clients == 1 ? "" : "s", static_cast<double>(all.size()) / seconds, Percentile(all, 0.5),
              Percentile(all, 0.99), all.size(), failed);
}

void OverdueAt(Bench& bench, int total) {
  // Bulk rows straight into the store, in batches of 10k per transaction; a third open and
  // overdue, a third open and not yet due, a third closed (closed items never count).
  const Instant base = *ParseInstant("2021-10-01T00:00:00+08:00");
  const auto load_start = Clock::now();
  constexpr int kBatch = 10000;
  for (int done = 0; done < total; done += kBatch) {
    std::vector<Item> items;
    std::vector<EventRecord> events;
    for (int i = done; i < std::min(total, done + kBatch); ++i) {
      Item item;
      item.kind = ItemKind::kProblem;
      item.title = "bench";
      item.area = 1 + i % 16;
      item.source = "campaign_sweep";
      item.unit = "village_" + std::to_string(1 + i % 6);
      item.state = i % 3 == 2 ? StatePath{"closed", {}} : StatePath{"rectifying", "working"};
      item.deadline = base + (i % 3 == 1 ? 40 : 1 + i % 20) * kSecondsPerDay;
      item.due_at = item.state.state == "closed" ? std::nullopt : item.deadline;  // as ItemService keeps it
      item.created_at = item.updated_at = base;
      EventRecord created;
      created.to = item.state.ToString();
      created.event = "create";
      created.actor = "bench";
      created.at = base;
      items.push_back(std::move(item));
      events.push_back(std::move(created));
    }
    auto stored = bench.store->items().Insert(std::move(items), std::move(events));
    if (!stored.ok()) throw std::runtime_error(stored.status().ToString());
  }
  const double load_ms = Millis(Clock::now() - load_start);

  const Instant as_of = *ParseInstant("2021-10-25T09:00:00+08:00");
  std::vector<double> store_ms, http_ms;
  OverdueQuery query;
  query.as_of = as_of;
  query.limit = 100;
  for (int i = 0; i < 200; ++i) {
    const auto t0 = Clock::now();
    auto rows = bench.store->items().Overdue(query);
    store_ms.push_back(Millis(Clock::now() - t0));
    if (!rows.ok() || rows->size() != 100) throw std::runtime_error("overdue query returned the wrong rows");
  }
  httplib::Client client("127.0.0.1", bench.port);
  client.set_tcp_nodelay(true);
  client.set_bearer_token_auth(bench.office_token);
  for (int i = 0; i < 50; ++i) {
    const auto t0 = Clock::now();
    auto res = client.Get("/api/overdue?as_of=2021-10-25T09:00:00%2B08:00&limit=100");
    http_ms.push_back(Millis(Clock::now() - t0));
    if (!res || res->status != 200) throw std::runtime_error("GET /api/overdue failed");
  }
  ItemQuery unit_overdue;
  unit_overdue.unit = "village_1";  // a third of its items are overdue
  unit_overdue.overdue_as_of = as_of;
  unit_overdue.limit = 100;
  std::vector<double> list_ms;
  for (int i = 0; i < 200; ++i) {
    const auto t0 = Clock::now();
    auto rows = bench.store->items().List(unit_overdue);
    list_ms.push_back(Millis(Clock::now() - t0));
    if (!rows.ok()) throw std::runtime_error(rows.status().ToString());
  }
  std::printf("| load %d items (10k per transaction) | %7.0f ms | |\n", total, load_ms);
  std::printf("| overdue, first 100 of %d (store) | %7.3f ms | median of 200, p99 %.3f ms |\n", total,
              Percentile(store_ms, 0.5), Percentile(store_ms, 0.99));
  std::printf("| GET /api/overdue, 100 rows of %d | %7.3f ms | median of 50, p99 %.3f ms |\n", total,
              Percentile(http_ms, 0.5), Percentile(http_ms, 0.99));
  OverdueQuery unit_query = query;
  unit_query.unit = "village_1";
  std::vector<double> unit_ms;
  for (int i = 0; i < 200; ++i) {
    const auto t0 = Clock::now();
    auto rows = bench.store->items().Overdue(unit_query);
    unit_ms.push_back(Millis(Clock::now() - t0));
    if (!rows.ok() || rows->size() != 100) throw std::runtime_error("unit overdue query returned the wrong rows");
  }
  std::printf("| one unit's overdue items, 100 rows: Overdue(unit) | %7.3f ms | median of 200 |\n",
              Percentile(unit_ms, 0.5));
  std::printf("| one unit's overdue problems, 100 rows: List(unit, overdue_as_of) | %7.3f ms | median of 200 |\n",
              Percentile(list_ms, 0.5));
}

}  // namespace
}  // namespace rectify

int main(int argc, char** argv) {
  const std::string campaign = argc > 1 ? argv[1] : RECTIFY_SOURCE_DIR "/workflows/gaoqiao-2021-autumn.json";
  const int items = argc > 2 ? std::stoi(argv[2]) : 100000;
  std::printf("rectify bench: %u hardware threads, SQLite %s, WAL + synchronous=FULL, temp dir %s\n\n",
              std::thread::hardware_concurrency(), sqlite3_libversion(), std::filesystem::temp_directory_path().c_str());
  std::printf("| measure | result | detail |\n|---|---|---|\n");
  try {
    {
      rectify::Bench bench(campaign);
      rectify::TransitionsThroughHttp(bench, 1, 2000);
    }
    {
      rectify::Bench bench(campaign);
      rectify::TransitionsThroughHttp(bench, 8, 500);
    }
    {
      rectify::Bench bench(campaign);
      rectify::OverdueAt(bench, items);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rectify bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
