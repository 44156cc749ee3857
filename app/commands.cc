#include "app/commands.h"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <ostream>
#include <sstream>
#include <thread>

#include "app/clocks.h"
#include "app/demo_data.h"
#include "config/campaign_loader.h"
#include "engine/problem_import.h"
#include "storage/sqlite_store.h"
#include "web/api_server.h"

namespace rectify::app {
namespace {

std::unique_ptr<Clock> MakeClock(const std::optional<Instant>& now) {
  if (now) return std::make_unique<OffsetClock>(*now);
  return std::make_unique<SystemClock>();
}

int Fail(std::ostream& err, const Status& status) {
  err << "rectify: " << status.ToString() << "\n";
  return 1;
}

// Serves until SIGINT or SIGTERM. The signals are blocked in every thread and taken by one
// waiting thread, so the server stops through its normal path, finishing in-flight requests.
int ServeOn(ItemService& service, const Campaign& campaign, const ServeOptions& options, std::ostream& out,
            std::ostream& err) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const std::unique_ptr<Clock> clock = MakeClock(options.now);
  web::ApiServer server(service, campaign, *clock);
  auto port = server.Bind(options.host, options.port);
  if (!port.ok()) return Fail(err, port.status());
  out << "rectify: serving campaign " << campaign.id << " (" << campaign.name << ") from " << options.db_path
      << " on http://" << options.host << ":" << *port << "/api/health, clock at " << FormatInstant(clock->Now())
      << "\n"
      << std::flush;

  std::thread waiter([&server, signals] {
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    server.Stop();
  });
  const Status served = server.Serve();
  pthread_kill(waiter.native_handle(), SIGTERM);  // wakes the waiter if the server stopped by itself
  waiter.join();
  if (!served.ok()) return Fail(err, served);
  out << "rectify: stopped\n";
  return 0;
}

struct Opened {
  Campaign campaign;
  std::unique_ptr<SqliteStore> store;
};

Result<Opened> Open(const std::string& campaign_path, const std::string& db_path) {
  auto campaign = LoadCampaignFile(campaign_path);
  if (!campaign.ok()) return campaign.status();
  auto store = SqliteStore::Open(db_path);
  if (!store.ok()) return store.status();
  return Opened{std::move(campaign.value()), std::move(store.value())};
}

}  // namespace

int Serve(const ServeOptions& options, std::ostream& out, std::ostream& err) {
  auto opened = Open(options.campaign_path, options.db_path);
  if (!opened.ok()) return Fail(err, opened.status());
  ItemService service(opened->campaign, *opened->store);
  auto recomputed = service.RecomputeDeadlines();
  if (!recomputed.ok()) return Fail(err, recomputed.status());
  if (*recomputed > 0)
    out << "rectify: deadline rules or calendar changed: recomputed the deadlines of " << *recomputed
        << " open items\n";
  return ServeOn(service, opened->campaign, options, out, err);
}

int Demo(const DemoOptions& options, std::ostream& out, std::ostream& err) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((options.serve.db_path + suffix).c_str());
  auto opened = Open(options.serve.campaign_path, options.serve.db_path);
  if (!opened.ok()) return Fail(err, opened.status());
  ItemService service(opened->campaign, *opened->store);
  auto fingerprinted = service.RecomputeDeadlines();  // an empty database: records the rules' fingerprint
  if (!fingerprinted.ok()) return Fail(err, fingerprinted.status());
  const Status seeded = SeedSamples(service, options.samples_path, out);
  if (!seeded.ok()) return Fail(err, seeded);
  if (!options.serve_after) return 0;
  return ServeOn(service, opened->campaign, options.serve, out, err);
}

int Import(const ImportOptions& options, std::ostream& out, std::ostream& err) {
  std::ifstream file(options.csv_path, std::ios::binary);
  if (!file) return Fail(err, Status::NotFound("cannot read " + options.csv_path));
  std::stringstream csv;
  csv << file.rdbuf();

  auto opened = Open(options.campaign_path, options.db_path);
  if (!opened.ok()) return Fail(err, opened.status());
  ItemService service(opened->campaign, *opened->store);
  const Instant now = MakeClock(options.now)->Now();

  const ProblemImport parsed = ParseProblemCsv(csv.str(), service, now);
  for (const ImportError& e : parsed.errors)
    err << options.csv_path << ":" << e.line << ": " << (e.column.empty() ? "" : e.column + ": ") << e.message << "\n";
  if (!parsed.errors.empty()) {
    err << "rectify import: " << parsed.errors.size() << " bad row(s); nothing was imported (" << parsed.problems.size()
        << " good row(s) were not stored either: fix the file and import it again)\n";
    return 1;
  }
  if (parsed.problems.empty()) {
    err << "rectify import: " << options.csv_path << " has no rows\n";
    return 1;
  }
  if (options.dry_run) {
    out << "rectify import: all " << parsed.problems.size() << " rows are valid; nothing stored (--dry-run)\n";
    return 0;
  }
  auto stored = service.CreateProblems(parsed.problems, options.actor, now);
  if (!stored.ok()) return Fail(err, stored.status());
  out << "rectify import: stored " << stored->size() << " problems (ids " << stored->front().id << ".."
      << stored->back().id << ")\n";
  return 0;
}

}  // namespace rectify::app
