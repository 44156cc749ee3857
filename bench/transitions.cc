#include "bench/transitions.h"

#include <cstdio>
#include <map>
#include <memory>
#include <vector>

#include "bench/naive_server.h"
#include "bench/rectify_fixture.h"
#include "bench/wrk_load.h"

namespace rectify::bench {
namespace {

// Items per server: each wrk thread cycles through half of them, so a request in flight is
// hundreds of requests away from the next one on its item.
constexpr int kItems = 512;

struct Target {
  std::string name;
  int port;
  std::string token;
  std::vector<std::int64_t> ids;
  SqliteDatabase* database;  // rectify's, for its group sizes; null for the ceilings
};

LoadFigures Run(const Target& target, int clients, int seconds) {
  const sqlite::GroupStats before = target.database ? target.database->write_stats() : sqlite::GroupStats{};
  LoadFigures figures = RunWrk({target.port, clients, seconds, target.token, target.ids});
  if (target.database == nullptr) return figures;
  const sqlite::GroupStats after = target.database->write_stats();
  if (after.transactions > before.transactions)
    figures.writes_per_commit = static_cast<double>(after.writes - before.writes) /
                                static_cast<double>(after.transactions - before.transactions);
  return figures;
}

nlohmann::json Json(const LoadFigures& f) {
  return {{"per_second", f.per_second}, {"p50_ms", f.p50_ms}, {"p90_ms", f.p90_ms}, {"p99_ms", f.p99_ms},
          {"max_ms", f.max_ms},         {"requests", f.requests}, {"errors", f.errors},
          {"load_before", f.load_before}, {"load_after", f.load_after},
          {"server_cpu_us_per_request", f.cpu_us_per_request}, {"disk_kb_per_request", f.disk_kb_per_request},
          {"writes_per_commit", f.writes_per_commit}};
}

void PrintRow(const std::string& name, int clients, const LoadFigures& f) {
  std::printf("| transitions, %s, %d client%s | %7.0f /s | p50 %.2f ms, p99 %.2f ms, max %.1f ms, %lld requests, "
              "%lld errors; server CPU %.0f us, disk %.1f KiB a request",
              name.c_str(), clients, clients == 1 ? "" : "s", f.per_second, f.p50_ms, f.p99_ms, f.max_ms,
              static_cast<long long>(f.requests), static_cast<long long>(f.errors), f.cpu_us_per_request,
              f.disk_kb_per_request);
  if (f.writes_per_commit > 0) std::printf(", %.1f writes/commit", f.writes_per_commit);
  std::printf("; load %.1f-%.1f |\n", f.load_before, f.load_after);
}

}  // namespace

nlohmann::json MeasureTransitions(const TransitionOptions& options) {
  RectifyFixture rectify(options.campaign_path);
  NaiveServer naive_normal(rectify.dir() + "/naive-normal.sqlite", "NORMAL", kItems);
  NaiveServer naive_full(rectify.dir() + "/naive-full.sqlite", "FULL", kItems);
  NaiveServer naive_grouped(rectify.dir() + "/naive-grouped.sqlite", "FULL", kItems, NaiveCommit::kGrouped);
  std::vector<std::int64_t> naive_ids;
  for (int id = 1; id <= kItems; ++id) naive_ids.push_back(id);
  std::vector<Target> targets = {
      {"rectify (FULL)", rectify.port(), rectify.member_token(), rectify.MakeWorkingProblems(kItems),
       &rectify.store().database()}};
  if (options.ceilings) {
    targets.push_back({"naive NORMAL", naive_normal.port(), "", naive_ids, nullptr});
    targets.push_back({"naive FULL", naive_full.port(), "", naive_ids, nullptr});
    targets.push_back({"naive FULL, group commit", naive_grouped.port(), "", naive_ids, nullptr});
  }

  nlohmann::json result = nlohmann::json::object();
  std::map<std::string, std::map<int, LoadFigures>> medians;
  for (int clients : {1, 8}) {
    std::map<std::string, std::vector<LoadFigures>> runs;
    for (int repeat = 0; repeat < options.repeats; ++repeat)
      for (const Target& target : targets)
        runs[target.name].push_back(Run(target, clients, options.seconds));
    for (const Target& target : targets) {
      const LoadFigures median = Median(runs[target.name]);
      medians[target.name][clients] = median;
      PrintRow(target.name, clients, median);
      nlohmann::json each = nlohmann::json::array();
      for (const LoadFigures& run : runs[target.name]) each.push_back(Json(run));
      result["servers"][target.name][std::to_string(clients)] = {{"median", Json(median)}, {"runs", each}};
    }
  }

  result["seconds_per_run"] = options.seconds;
  result["repeats"] = options.repeats;
  result["load_generator"] = "wrk 4.1 (Debian), bench/post_events.lua, keep-alive, min(clients, 2) threads";
  if (!options.ceilings) return result;
  const LoadFigures& ours = medians["rectify (FULL)"][8];
  const double vs_normal = ours.per_second / medians["naive NORMAL"][8].per_second;
  const double vs_full = ours.per_second / medians["naive FULL"][8].per_second;
  std::printf("| rectify / naive NORMAL, 8 clients | %7.2fx | target >= 1: %s |\n", vs_normal,
              vs_normal >= 1 ? "met" : "NOT met");
  std::printf("| rectify / naive FULL, 8 clients | %7.2fx | target >= 3: %s |\n", vs_full,
              vs_full >= 3 ? "met" : "NOT met");
  // What group commit alone reaches here, without rectify's work on top: no target, the
  // measure of how much of the gap to the targets is that work and how much the fsync.
  const LoadFigures& grouped = medians["naive FULL, group commit"][8];
  std::printf("| naive FULL with group commit / naive NORMAL, 8 clients | %7.2fx | no target: the same UPDATE, FULL, "
              "rectify's group commit |\n",
              grouped.per_second / medians["naive NORMAL"][8].per_second);
  std::printf("| rectify / naive FULL with group commit, 8 clients | %7.2fx | no target: what rectify's work costs "
              "over group commit alone |\n",
              ours.per_second / grouped.per_second);
  std::printf("| rectify p99, 8 clients | %7.2f ms | target < 5 ms: %s; errors %lld: %s |\n", ours.p99_ms,
              ours.p99_ms < 5 ? "met" : "NOT met", static_cast<long long>(ours.errors),
              ours.errors == 0 ? "met" : "NOT met");
  result["ratios_8_clients"] = {{"rectify_over_naive_normal", vs_normal},
                                {"rectify_over_naive_full", vs_full},
                                {"naive_grouped_over_naive_normal", grouped.per_second / medians["naive NORMAL"][8].per_second},
                                {"rectify_over_naive_grouped", ours.per_second / grouped.per_second}};
  return result;
}

}  // namespace rectify::bench
