#include "bench/reads.h"

#include <httplib.h>
#include <signal.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <utility>

#include "app/services.h"
#include "bench/generated_data.h"
#include "config/deployment_loader.h"
#include "storage/sqlite_stores.h"

extern char** environ;

namespace rectify::bench {
namespace {

// The working morning before kGeneratedAsOf (Friday 10-22): the notifier's first pass. It must
// be a slot's own day: a pass on the Sunday finds Friday's slot missed and does nothing (the
// notifier does not catch a slot up on a later day), which left the whole first pass to the
// "next morning" (33.7 s on 2026-12-02).
constexpr const char* kGeneratedDayBefore = "2021-10-22T09:00:00+08:00";

using SteadyClock = std::chrono::steady_clock;

double MillisSince(SteadyClock::time_point start) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

template <class T>
T Must(Result<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().ToString());
  return std::move(result).value();
}

// The figure groups (engine/figure_items.h) the problems fall into: what the dashboard and the
// scores read instead of the items, so their time follows this number, not the items'.
std::size_t FigureGroupCount(ItemStore& store, Instant as_of) {
  FigureGroupsQuery query;
  query.as_of = as_of;
  std::size_t groups = 0;
  if (!Must(store.FigureGroups(query, [&](const FigureGroup&) { ++groups; })))
    throw std::runtime_error("the generated problems' figure groups do not stand for them");
  return groups;
}

// A fresh database of `items` generated problems and an office user; returns the user's token
// and sets `figure_groups`.
std::string PrepareDatabase(const std::string& path, const std::string& campaign_path, int items,
                            std::size_t& figure_groups) {
  const Deployment deployment = Must(LoadDeployment({campaign_path}, ""));
  auto stores = Must(SqliteStores::Open(path));
  LoadGeneratedProblems(stores->items(), *deployment.campaigns.front(), items);
  figure_groups = FigureGroupCount(stores->items(), *ParseInstant(kGeneratedAsOf));
  accounts::AccountPolicy policy;
  policy.cost = accounts::PasswordCost::TestOnlyMinimum();  // the bench measures reads, not logins
  app::DeploymentServices services(deployment, *stores, policy);
  const Instant now = *ParseInstant(kGeneratedAsOf);
  const std::string password = accounts::GeneratePassword();
  Must(services.accounts().AddUser("bench", "bench.office", "", "rural_office", deployment.campaigns.front()->town,
                                   {accounts::Role::kOffice}, password, now));
  return Must(services.accounts().Login("bench.office", password, "127.0.0.1", now)).token;
}

// Starts `args` with its standard output to /dev/null, or to a pipe whose reading end goes to
// `*output` when given; its standard error to `error_file` when given (a server's request log,
// one line per request, is not the bench's table either).
pid_t Spawn(const std::vector<std::string>& args, int* output = nullptr, const std::string& error_file = {}) {
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  int pipe_ends[2] = {-1, -1};
  if (output != nullptr) {
    if (::pipe2(pipe_ends, O_CLOEXEC) != 0) throw std::runtime_error("cannot make a pipe");
    posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], 1);
    *output = pipe_ends[0];
  } else {
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);  // its log is not the bench's table
  }
  if (!error_file.empty())
    posix_spawn_file_actions_addopen(&actions, 2, error_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int failed = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (output != nullptr) ::close(pipe_ends[1]);
  if (failed != 0) throw std::runtime_error("cannot start " + args[0]);
  return pid;
}

// Peak resident set of a live process, in MiB, from /proc.
double PeakRssMib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024;
  throw std::runtime_error("no VmHWM for process " + std::to_string(pid));
}

// Waits for `pid` to end, reading its peak resident set (VmHWM) every few milliseconds, and
// returns the last peak read (what it reaches in its last few milliseconds is missed). Not
// wait4's ru_maxrss: a child started by posix_spawn runs in the bench's memory until its exec,
// and the kernel counts the bench's own peak into the child's (every notifier pass showed the
// bench's 76.7 MiB, where /usr/bin/time saw the pass at a million peak at 33 MiB). posix_spawn
// returns after the exec, so every read here is of the program's own memory.
double WaitWatchingPeakRss(pid_t pid, int& status) {
  double peak = 0;
  while (true) {
    const pid_t ended = ::waitpid(pid, &status, WNOHANG);
    if (ended == pid) return peak;
    if (ended < 0) throw std::runtime_error("waitpid failed for process " + std::to_string(pid));
    try {
      peak = std::max(peak, PeakRssMib(pid));
    } catch (const std::runtime_error&) {
      // Ending: a process that has exited but is not yet reaped has no VmHWM.
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

struct Read {
  const char* name;
  std::string path;
};

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

nlohmann::json MeasureSize(const ReadOptions& options, int items) {
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("rectify-bench-reads-" + std::to_string(::getpid()))).string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string db = dir + "/reads.sqlite";
  const auto load_started = SteadyClock::now();
  std::size_t figure_groups = 0;
  const std::string token = PrepareDatabase(db, options.campaign_path, items, figure_groups);
  const double load_ms = MillisSince(load_started);
  const std::string now = kGeneratedAsOf;
  nlohmann::json out = {{"items", items},
                        {"load_ms", load_ms},
                        {"figure_groups", figure_groups},
                        {"reads", nlohmann::json::object()}};
  std::printf("| load %d generated problems | %8.0f ms | |\n", items, load_ms);
  std::printf("| figure groups of the problems (what the dashboard and scores read) | %8zu | |\n", figure_groups);

  // Two notifier passes before the server starts, so that its own first pass finds nothing to
  // do while the reads are timed: the first over fresh data (every open item enters a warning
  // tier: the pass at its heaviest), the second the next morning's (the tiers that day moves).
  for (const auto& [pass, at] : {std::pair<std::string, std::string>{"first", kGeneratedDayBefore},
                                 std::pair<std::string, std::string>{"second", now}}) {
    const auto notify_started = SteadyClock::now();
    const pid_t notify =
        Spawn({RECTIFY_BINARY, "notify", "--once", "--db", db, "--campaign", options.campaign_path, "--now", at});
    int status = 0;
    const double notify_rss = WaitWatchingPeakRss(notify, status);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("rectify notify --once failed");
    const double notify_ms = MillisSince(notify_started);
    out["notifier_" + pass + "_pass"] = {{"ms", notify_ms}, {"peak_rss_mib", notify_rss}};
    std::printf("| rectify notify --once over every unit, %s pass, %d items | %8.1f ms | peak RSS %.1f MiB |\n", pass.c_str(),
                items, notify_ms, notify_rss);
  }

  const auto spawned = SteadyClock::now();
  int log = -1;
  const pid_t server = Spawn({RECTIFY_BINARY, "serve", "--db", db, "--campaign", options.campaign_path, "--port", "0",
                              "--now", now, "--notify-every", "3600"},
                             &log, db + ".serve.log");
  // The server names its port when it listens ("... on http://127.0.0.1:PORT/api/health"); the
  // rest of its log is read and dropped so that it never blocks on a full pipe.
  std::string line;
  std::size_t at = std::string::npos;
  for (char c = 0; at == std::string::npos;) {
    line.clear();
    while (::read(log, &c, 1) == 1 && c != '\n') line += c;
    if (line.empty()) throw std::runtime_error("rectify serve did not start");
    at = line.find("http://127.0.0.1:");
  }
  const int port = std::stoi(line.substr(at + 17));
  std::thread drain([log] {
    char buffer[4096];
    while (::read(log, buffer, sizeof buffer) > 0) {
    }
    ::close(log);
  });
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(600, 0);
  client.set_bearer_token_auth(token);
  double startup_ms = -1;
  for (;;) {
    if (auto res = client.Get("/api/health"); res && res->status == 200) {
      startup_ms = MillisSince(spawned);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  out["startup_ms"] = startup_ms;
  std::printf("| start-up at %d items (spawn to /api/health) | %8.1f ms | |\n", items, startup_ms);

  // The quick reads first: timed right after the town's ledger (20 s at a million, a 49 MB file
  // written and dropped), the overdue page took 3.5-14.5 ms as the machine wrote the file back
  // (median 5.5 ms), 3.1-3.8 ms on its own.
  const std::vector<Read> reads = {
      {"dashboard", "/api/dashboard"},
      {"scores", "/api/scores"},
      {"gates", "/api/gates"},
      {"overdue_first_100", "/api/overdue?limit=100"},
      {"bulletin_xlsx", "/api/exports/bulletin.xlsx"},
      {"ledger_xlsx_one_unit", "/api/exports/ledger.xlsx?unit=village_1"},
      {"ledger_xlsx_town", "/api/exports/ledger.xlsx"},
  };
  for (const Read& read : reads) {
    std::vector<double> ms;
    std::size_t bytes = 0;
    for (int i = 0; i < (!ms.empty() && ms.front() < kQuickReadMs ? options.quick_repeats : options.repeats); ++i) {
      const auto started = SteadyClock::now();
      auto res = client.Get(read.path);
      ms.push_back(MillisSince(started));
      if (!res || res->status != 200)
        throw std::runtime_error(std::string("GET ") + read.path + " failed: " +
                                 (res ? std::to_string(res->status) + " " + res->body.substr(0, 200) : "no answer"));
      bytes = res->body.size();
    }
    out["reads"][read.name] = {{"path", read.path}, {"median_ms", Median(ms)}, {"bytes", bytes}, {"runs_ms", ms}};
    std::printf("| GET %s at %d items | %8.1f ms | median of %zu, %zu bytes |\n", read.path.c_str(), items, Median(ms),
                ms.size(), bytes);
  }
  const double server_rss = PeakRssMib(server);
  out["server_peak_rss_mib"] = server_rss;
  std::printf("| rectify serve peak RSS after these reads, %d items | %8.1f MiB | VmHWM |\n", items, server_rss);
  ::kill(server, SIGTERM);
  int status = 0;
  ::waitpid(server, &status, 0);
  drain.join();

  std::filesystem::remove_all(dir);
  return out;
}

}  // namespace

nlohmann::json MeasureReads(const ReadOptions& options) {
  nlohmann::json sizes = nlohmann::json::array();
  for (const int items : options.sizes) sizes.push_back(MeasureSize(options, items));
  return sizes;
}

}  // namespace rectify::bench
