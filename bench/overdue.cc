#include "bench/overdue.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <vector>

#include "bench/generated_data.h"
#include "bench/rectify_fixture.h"

namespace rectify::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

double Millis(SteadyClock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

// Times `call` `times` times, in milliseconds.
std::vector<double> Time(int times, const std::function<void()>& call) {
  std::vector<double> ms;
  for (int i = 0; i < times; ++i) {
    const auto t0 = SteadyClock::now();
    call();
    ms.push_back(Millis(SteadyClock::now() - t0));
  }
  return ms;
}

}  // namespace

nlohmann::json MeasureOverdue(const std::string& campaign_path, int total) {
  RectifyFixture bench(campaign_path);
  ItemStore& items = bench.store().items();
  const double load_ms = LoadGeneratedProblems(items, bench.campaign(), total);

  OverdueQuery query;
  query.as_of = *ParseInstant(kGeneratedAsOf);
  query.limit = 100;
  const std::vector<double> store_ms = Time(200, [&] {
    auto rows = items.Overdue(query);
    if (!rows.ok() || rows->size() != 100) throw std::runtime_error("overdue query returned the wrong rows");
  });
  httplib::Client client("127.0.0.1", bench.port());
  client.set_tcp_nodelay(true);
  client.set_bearer_token_auth(bench.office_token());
  const std::vector<double> http_ms = Time(50, [&] {
    auto res = client.Get("/api/overdue?as_of=2021-10-25T09:00:00%2B08:00&limit=100");
    if (!res || res->status != 200) throw std::runtime_error("GET /api/overdue failed");
  });
  OverdueQuery unit_query = query;
  unit_query.unit = "village_1";
  const std::vector<double> unit_ms = Time(200, [&] {
    auto rows = items.Overdue(unit_query);
    if (!rows.ok() || rows->size() != 100) throw std::runtime_error("unit overdue query returned the wrong rows");
  });
  ItemQuery unit_list;
  unit_list.unit = "village_1";  // a third of its problems are overdue
  unit_list.overdue_as_of = query.as_of;
  unit_list.limit = 100;
  const std::vector<double> list_ms = Time(200, [&] {
    auto rows = items.List(unit_list);
    if (!rows.ok()) throw std::runtime_error(rows.status().ToString());
  });

  std::printf("| load %d generated problems (10k per transaction) | %7.0f ms | |\n", total, load_ms);
  std::printf("| overdue, first 100 of %d (store) | %7.3f ms | median of 200, p99 %.3f ms |\n", total,
              Percentile(store_ms, 0.5), Percentile(store_ms, 0.99));
  std::printf("| GET /api/overdue, 100 rows of %d | %7.3f ms | median of 50, p99 %.3f ms |\n", total,
              Percentile(http_ms, 0.5), Percentile(http_ms, 0.99));
  std::printf("| one unit's overdue items, 100 rows: Overdue(unit) | %7.3f ms | median of 200 |\n",
              Percentile(unit_ms, 0.5));
  std::printf("| one unit's overdue problems, 100 rows: List(unit, overdue_as_of) | %7.3f ms | median of 200 |\n",
              Percentile(list_ms, 0.5));
  auto figures = [](const std::vector<double>& ms) {
    return nlohmann::json{{"p50_ms", Percentile(ms, 0.5)}, {"p99_ms", Percentile(ms, 0.99)}, {"samples", ms.size()}};
  };
  return {{"items", total},
          {"load_ms", load_ms},
          {"store_overdue_first_100", figures(store_ms)},
          {"http_overdue_first_100", figures(http_ms)},
          {"store_overdue_one_unit", figures(unit_ms)},
          {"store_list_one_unit_overdue", figures(list_ms)}};
}

}  // namespace rectify::bench
