// make bench: figures for this machine, printed as a table and written as JSON under
// bench/results/ (bench/README.md says what each measures).
//   1. transitions through the HTTP API at 1 and 8 clients, beside the naive ceiling
//      (transitions.h);
//   2. the overdue query at 100k items (overdue.h);
//   3. the office's reads, start-up and the notifier pass of `rectify serve` at 100k and 1M
//      items (reads.h).
// Everything runs on loopback against fresh SQLite files in a temp directory.
//
//   rectify_bench [--seconds N] [--repeats N] [--items N] [--only transitions|overdue|reads]
//                 [--read-sizes 100000,1000000 (the default)]
//                 [--no-ceilings] [--campaign FILE] [--results DIR]
//   rectify_bench --generate FILE [--items N] [--campaign FILE] [--recorded-over-days N]
//       writes the generated data set (generated_data.h) to a new database FILE and stops; with
//       --recorded-over-days the problems are recorded on N days in turn (default 1).
#include <sqlite3.h>
#include <sys/utsname.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "bench/generated_data.h"
#include "bench/overdue.h"
#include "bench/reads.h"
#include "bench/transitions.h"
#include "bench/wrk_load.h"
#include "config/deployment_loader.h"
#include "storage/sqlite_stores.h"

namespace {

struct Options {
  rectify::bench::TransitionOptions transitions{RECTIFY_SOURCE_DIR "/workflows/gaoqiao-2021-autumn.json"};
  int items = 100000;
  std::string only;  // "" for everything
  std::string results = RECTIFY_SOURCE_DIR "/bench/results";
  std::string generate;  // a database file to fill with the generated data set, then stop
  int recorded_over_days = 1;
  rectify::bench::ReadOptions reads{RECTIFY_SOURCE_DIR "/workflows/gaoqiao-2021-autumn.json"};
};

std::vector<int> ParseSizes(const std::string& text) {
  std::vector<int> sizes;
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    sizes.push_back(std::stoi(text.substr(at, comma - at)));
    at = comma + 1;
  }
  return sizes;
}

Options Parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--no-ceilings") {
      options.transitions.ceilings = false;
      continue;
    }
    if (i + 1 >= argc) throw std::invalid_argument(flag + " needs a value");
    const std::string value = argv[++i];
    if (flag == "--seconds") options.transitions.seconds = std::stoi(value);
    else if (flag == "--repeats") options.transitions.repeats = std::stoi(value);
    else if (flag == "--items") options.items = std::stoi(value);
    else if (flag == "--only") options.only = value;
    else if (flag == "--campaign") options.transitions.campaign_path = options.reads.campaign_path = value;
    else if (flag == "--read-sizes") options.reads.sizes = ParseSizes(value);
    else if (flag == "--results") options.results = value;
    else if (flag == "--generate") options.generate = value;
    else if (flag == "--recorded-over-days") options.recorded_over_days = std::stoi(value);
    else throw std::invalid_argument("unknown option " + flag);
  }
  return options;
}

std::string UtcNow(const char* format) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[64];
  std::strftime(text, sizeof text, format, &utc);
  return text;
}

nlohmann::json Machine() {
  utsname name{};
  uname(&name);
  std::string cpu;
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; cpu.empty() && std::getline(cpuinfo, line);)
    if (line.rfind("model name", 0) == 0) cpu = line.substr(line.find(':') + 2);
  return {{"hardware_threads", std::thread::hardware_concurrency()},
          {"cpu", cpu},
          {"kernel", std::string(name.release)},
          {"sqlite", sqlite3_libversion()},
          {"temp_dir", std::filesystem::temp_directory_path().string()},
          {"load_at_start", rectify::bench::LoadAverage()}};
}

// --generate: a database of its own, kept for measurements elsewhere.
void Generate(const Options& options) {
  if (std::filesystem::exists(options.generate))
    throw std::invalid_argument(options.generate + " exists: --generate makes a new database");
  auto deployment = rectify::LoadDeployment({options.transitions.campaign_path}, "");
  if (!deployment.ok()) throw std::runtime_error(deployment.status().ToString());
  auto store = rectify::SqliteStores::Open(options.generate);
  if (!store.ok()) throw std::runtime_error(store.status().ToString());
  const double ms = rectify::bench::LoadGeneratedProblems((*store)->items(), *deployment->campaigns.front(), options.items,
                                                         options.recorded_over_days);
  std::printf("rectify bench: %d generated problems written to %s in %.1f s\n", options.items,
              options.generate.c_str(), ms / 1000);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options options = Parse(argc, argv);
    if (!options.generate.empty()) {
      Generate(options);
      return 0;
    }
    nlohmann::json report = {{"date", UtcNow("%Y-%m-%dT%H:%M:%SZ")}, {"machine", Machine()}};
    std::printf("rectify bench: %u hardware threads, SQLite %s, load %.2f, temp dir %s\n\n",
                std::thread::hardware_concurrency(), sqlite3_libversion(), rectify::bench::LoadAverage(),
                std::filesystem::temp_directory_path().c_str());
    std::printf("| measure | result | detail |\n|---|---|---|\n");
    if (options.only.empty() || options.only == "transitions")
      report["transitions"] = rectify::bench::MeasureTransitions(options.transitions);
    if (options.only.empty() || options.only == "overdue")
      report["overdue"] = rectify::bench::MeasureOverdue(options.transitions.campaign_path, options.items);
    if (options.only.empty() || options.only == "reads") report["reads"] = rectify::bench::MeasureReads(options.reads);
    report["machine"]["load_at_end"] = rectify::bench::LoadAverage();

    std::filesystem::create_directories(options.results);
    const std::string file = options.results + "/bench-" + UtcNow("%Y%m%dT%H%M%SZ") + ".json";
    std::ofstream(file) << report.dump(2) << "\n";
    std::printf("\nwritten to %s\n", file.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rectify bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
