#include "app/commands.h"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <fstream>
#include <memory>
#include <ostream>
#include <sstream>
#include <thread>

#include "app/clocks.h"
#include "app/config_audit.h"
#include "app/serve_lock.h"
#include "exports/xlsx_reader.h"
#include "app/demo_data.h"
#include "config/campaign_loader.h"
#include "config/deployment_loader.h"
#include "config/channels_loader.h"
#include "notifier/notifier.h"
#include "ops/json_log.h"
#include "ops/metrics.h"
#include "engine/campaign_item_store.h"
#include "engine/data_error.h"
#include "engine/household_survey.h"
#include "engine/problem_import.h"
#include "app/services.h"
#include "storage/pg_stores.h"
#include "storage/stores.h"
#include "web/api_server.h"

namespace rectify::app {
namespace {

// The real time, whatever --now says: robot signatures are checked against it.
const SystemClock kWallClock;

int Fail(std::ostream& err, const Status& status) {
  err << "rectify: " << status.ToString() << "\n";
  return 1;
}

Result<notifier::ChannelDirectory> Channels(const std::string& path, const Deployment& deployment) {
  if (path.empty()) return notifier::ChannelDirectory{};
  return LoadChannelFile(path, deployment);
}

void Report(std::ostream& out, const notifier::EnqueueReport& enqueued, const notifier::SendReport& sent) {
  out << "rectify notify: slot " << (enqueued.slot ? FormatInstant(*enqueued.slot) : std::string("none yet"))
      << (enqueued.already_enqueued ? " (already enqueued)" : "")
      << (enqueued.scanned_elsewhere ? " (being scanned by another instance)" : "")
      << (enqueued.missed ? " (missed on its day: not sent, the next slot's digest follows)" : "") << ", "
      << enqueued.digests << " digest(s), "
      << enqueued.enqueued << " new message(s); delivered " << sent.sent
      << ", failed " << sent.failed << " (will retry), dead " << sent.dead << ", held by rate limits "
      << sent.deferred << "\n";
  if (!enqueued.unrouted.empty()) {
    out << "rectify notify: no channel configured for:";
    for (const std::string& unit : enqueued.unrouted) out << " " << unit;
    out << "\n";
  }
}

// One line per item the scan left out, so the operator sees what to correct.
void ReportDataErrors(std::ostream& err, const char* who, const std::vector<DataError>& errors) {
  for (const DataError& error : errors)
    err << who << ": data error, left out of the digests: " << DescribeDataError(error) << "\n";
}

// Deletes expired and revoked login sessions at most once an hour (a pass of the loop below asks).
class SessionPurge {
 public:
  SessionPurge(accounts::AccountService& accounts, ops::JsonLog& log) : accounts_(accounts), log_(log) {}
  void MaybeRun(Instant now) {
    if (last_ && now - *last_ < kEvery) return;
    last_ = now;
    const Result<int> purged = accounts_.PurgeSessions("rectify serve", now);
    if (!purged.ok()) log_.Error("purging sessions failed", {{"status", purged.status().ToString()}});
  }

 private:
  static constexpr Instant kEvery = 3600;
  accounts::AccountService& accounts_;
  ops::JsonLog& log_;
  std::optional<Instant> last_;
};

// Runs the notifier (and the hourly session purge) every `every` seconds until Stop(). This loop
// is one of the two places that catch exceptions: a failing pass is logged and the next one
// tries again. Each pass's duration and deliveries go to `metrics`.
class NotifierLoop {
 public:
  NotifierLoop(notifier::Notifier& notifier, SessionPurge& purge, const Clock& clock, int every, ops::JsonLog& log,
               ops::Metrics& metrics)
      : notifier_(notifier), purge_(purge), clock_(clock), every_(every), log_(log), metrics_(metrics),
        thread_([this] { Run(); }) {}
  ~NotifierLoop() { Stop(); }
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stop_) {
      lock.unlock();
      const auto started = std::chrono::steady_clock::now();
      std::optional<std::string> failure;
      try {
        failure = Pass();
      } catch (const std::exception& e) {
        log_.Error("notifier pass failed", {{"exception", e.what()}});
        failure = e.what();
      } catch (...) {
        log_.Error("notifier pass failed", {{"exception", "unknown"}});
        failure = "unknown exception";
      }
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      // A failed pass is not a finished one: /api/health's last_pass and its gauge stay where the
      // last good pass left them, so a monitor sees the notifier stall.
      if (failure) metrics_.ObserveFailedNotifierPass(seconds, clock_.Now(), *failure);
      else metrics_.ObserveNotifierPass(seconds, clock_.Now());
      lock.lock();
      wake_.wait_for(lock, std::chrono::seconds(every_), [this] { return stop_; });
    }
  }

  // What failed, or nullopt for a pass that did all it had to.
  std::optional<std::string> Pass() {
    std::optional<std::string> failure;
    const Instant now = clock_.Now();
    auto enqueued = notifier_.EnqueueCurrentSlot(now);
    if (!enqueued.ok()) {
      log_.Error("notifier: enqueueing the slot failed", {{"status", enqueued.status().ToString()}});
      failure = "enqueueing the slot failed: " + enqueued.status().ToString();
    } else {
      for (const DataError& error : enqueued->data_errors)
        log_.Write("warning", "notifier: data error, left out of the digests", {{"item", DescribeDataError(error)}});
    }
    auto sent = notifier_.SendDue(now);
    if (!sent.ok()) {
      log_.Error("notifier: delivering failed", {{"status", sent.status().ToString()}});
      if (!failure) failure = "delivering failed: " + sent.status().ToString();
    } else {
      for (const auto& [type_and_result, count] : sent->by_channel_type)
        metrics_.CountDeliveries(type_and_result.first, type_and_result.second, count);
    }
    purge_.MaybeRun(now);
    return failure;
  }

  notifier::Notifier& notifier_;
  SessionPurge& purge_;
  const Clock& clock_;
  const int every_;
  ops::JsonLog& log_;
  ops::Metrics& metrics_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

// Serves until SIGINT or SIGTERM. The signals are blocked in every thread and taken by one
// waiting thread, so the server stops through its normal path, finishing in-flight requests.
int ServeOn(DeploymentServices& services, Stores& stores, const Clock& clock, const ServeOptions& options,
            std::vector<std::string> configuration_files, std::ostream& out, std::ostream& err) {
  const Deployment& deployment = services.deployment();
  auto channels = Channels(options.channels_path, deployment);
  if (!channels.ok()) return Fail(err, channels.status());
  std::set<std::string> routed;
  for (const auto& [unit, unit_channels] : *channels)
    if (!unit_channels.empty()) routed.insert(unit);
  services.SetRoutedUnits(routed);
  configuration_files.push_back(options.channels_path);
  auto configuration = RecordConfiguration(stores.items(), configuration_files);
  if (!configuration.ok()) return Fail(err, configuration.status());
  if (*configuration)
    out << "rectify: the configuration (campaign, town, calendar, county or channel files) changed since the last "
           "start: recorded in the audit log\n";
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  ops::JsonLog log(err);
  web::ApiOptions api_options;
  api_options.log = &log;
  api_options.secure_cookies = options.secure_cookie;
  api_options.trusted_proxies = options.trusted_proxies;
  api_options.connections = options.connections;
  web::ApiServer server(services.Api(), clock, api_options);
  auto port = server.Bind(options.host, options.port);
  if (!port.ok()) return Fail(err, port.status());
  notifier::NotifierOptions notifier_options;
  notifier_options.signing_clock = &kWallClock;  // robots check signatures against the real time
  notifier_options.link_base =
      options.link_base.empty() ? "http://" + options.host + ":" + std::to_string(*port) : options.link_base;
  notifier::Notifier notifier(services.Notifier(), stores.outbox(), *channels, notifier_options);
  SessionPurge purge(services.accounts(), log);
  NotifierLoop loop(notifier, purge, clock, options.notify_every_seconds, log, services.metrics());
  for (const auto& campaign : deployment.campaigns)
    out << "rectify: campaign " << campaign->id << " (" << campaign->name << ", town " << campaign->town << ")\n";
  out << "rectify: serving " << deployment.campaigns.size() << (deployment.campaigns.size() == 1 ? " campaign" : " campaigns")
      << " from " << options.db_path << " on http://" << options.host << ":" << *port << "/api/health, clock at "
      << FormatInstant(clock.Now()) << "\n"
      << "rectify: the web page: http://" << options.host << ":" << *port << "/\n"
      << std::flush;

  std::atomic<bool> serve_returned{false};
  std::thread waiter([&server, &serve_returned, signals] {
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    // A SIGTERM in the moment between the line above and the server's loop (systemd stopping a
    // service it just started) would be forgotten by httplib and the process would serve on:
    // asked again until the loop has begun and taken it, or has ended.
    while (!serve_returned.load() && !server.Stop()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  });
  const Status served = server.Serve();
  serve_returned = true;
  pthread_kill(waiter.native_handle(), SIGTERM);  // wakes the waiter if the server stopped by itself
  waiter.join();
  loop.Stop();
  if (!served.ok()) return Fail(err, served);
  out << "rectify: stopped\n";
  return 0;
}

struct Opened {
  std::unique_ptr<Deployment> deployment;
  std::vector<std::string> configuration_files;  // every file the deployment was read from
  std::shared_ptr<const Clock> clock;
  std::unique_ptr<Stores> stores;
};

// Loads the deployment, opens the database and gives the rows written before campaigns existed
// to their campaign: `adopt`, or the only one. With several campaigns and no `adopt`, such rows
// are refused rather than guessed at.
Result<Opened> Open(const DeploymentFiles& files, const std::string& db_path, const std::optional<Instant>& now,
                    std::ostream& out) {
  std::vector<std::string> configuration_files;
  auto deployment = LoadDeployment(files.campaign_paths, files.county_path, &configuration_files);
  if (!deployment.ok()) return deployment.status();
  std::shared_ptr<const Clock> clock = MakeClock(now);
  auto stores = OpenStores(db_path, clock);
  if (!stores.ok()) return stores.status();
  auto unowned = (*stores)->HasUnowned();
  if (!unowned.ok()) return unowned.status();
  if (*unowned) {
    const Campaign* owner =
        files.adopt.empty() ? deployment->OnlyCampaign() : deployment->FindCampaign(files.adopt);
    if (owner == nullptr)
      return Status::FailedPrecondition(
          files.adopt.empty()
              ? "the database holds items written before campaigns existed: name their campaign with --adopt"
              : "--adopt " + files.adopt + ": the deployment serves no such campaign",
          {});
    auto adopted = (*stores)->AdoptUnowned(owner->id, owner->town);
    if (!adopted.ok()) return adopted.status();
    out << "rectify: " << *adopted << " rows written before campaigns now belong to campaign " << owner->id << "\n";
  }
  // Items written before the store counted figures (engine/figure_items.h), once.
  auto counted = CountUncountedFigures((*stores)->items(), 1000, [&](std::int64_t so_far) {
    if (so_far % 50000 == 0) out << "rectify: counting the figures of earlier items: " << so_far << "\n" << std::flush;
  });
  if (!counted.ok()) return counted.status();
  if (*counted > 0) out << "rectify: counted the figures of " << *counted << " items written before\n";
  // A unit's from or until that leaves out a campaign holding its items (a typo) would empty that
  // campaign's record of them without a word: refused before anything is served.
  for (const auto& campaign : deployment->campaigns) {
    CampaignItemStore own((*stores)->items(), campaign->id);
    RECTIFY_RETURN_IF_ERROR(CheckItemsOfUnitsInForce(*campaign, own));
  }
  return Opened{std::make_unique<Deployment>(std::move(deployment).value()), std::move(configuration_files),
                std::move(clock), std::move(stores).value()};
}

// Says, at start, what the holiday calendar will soon lack: a campaign that runs past its last
// year, and the last weeks of that year, when limits counted in working days from today begin
// to run into the next (the State Council's notice of next year's holidays comes in November or
// December, and someone has to add it). Until it is added those limits cannot be given and such
// items are data errors: the operator should hear it before a unit does.
void WarnOfCalendarEnd(const Deployment& deployment, Instant now, std::ostream& err) {
  constexpr int kWarnDaysBefore = 45;
  std::set<std::string> said;
  for (const auto& campaign : deployment.campaigns) {
    if (!campaign->calendar) continue;
    const std::vector<int> years = campaign->calendar->Years();
    if (years.empty()) continue;
    const int last = years.back();
    const std::string file = "workflows/calendars/cn-" + std::to_string(last + 1) + ".json";
    CivilDate ends{};
    for (const Phase& phase : campaign->phases) ends = std::max(ends, phase.end);
    if (!campaign->phases.empty() && ends.year > last) {
      err << "rectify: warning: campaign " << campaign->id << " runs to " << FormatDate(ends)
          << ", past the holiday calendar's last year " << last << ": add " << file << "\n";
    }
    const CivilDate first_uncovered{last + 1, 1, 1};
    if (AddDays(ShanghaiDate(now), kWarnDaysBefore) >= first_uncovered && said.insert(file).second) {
      err << "rectify: warning: the holiday calendar ends with " << last << ": deadlines counted in working days "
          << "will soon run into " << last + 1 << " and cannot be given until " << file
          << " is added from the State Council's notice\n";
    }
  }
}

// Says, at start, which accounts name a town or a unit this deployment does not have: `rectify
// user add` takes what it is given (it reads no campaign file), and such a person logs in to no
// campaign (an unknown town) or to a unit that no item names (an unknown unit). A town another
// deployment on the same database serves is named too: the operator knows which it is.
void WarnOfUnplacedUsers(const Deployment& deployment, accounts::AccountStore& accounts, std::ostream& err) {
  auto users = accounts.ListUsers();
  if (!users.ok()) return;  // the server's own first reads will say what is wrong
  constexpr int kMostLines = 20;
  int said = 0, unsaid = 0;
  for (const accounts::User& user : *users) {
    if (user.disabled) continue;
    std::string problem;
    if (!user.town.empty() && deployment.FindTown(user.town) == nullptr)
      problem = "town \"" + user.town + "\" is not a town this deployment serves: they see no campaign";
    else if (!user.town.empty() && !user.unit.empty() && deployment.FindUnit(user.town, user.unit) == nullptr)
      problem = "unit \"" + user.unit + "\" is not a unit of " + user.town + ": no item will be theirs";
    if (problem.empty()) continue;
    if (said < kMostLines) {
      err << "rectify: warning: user " << user.username << ": " << problem << " (rectify user list shows them)\n";
      ++said;
    } else {
      ++unsaid;
    }
  }
  if (unsaid > 0) err << "rectify: warning: " << unsaid << " more users like these\n";
}

// Says, at start, that nobody can log in: on a new installation the first office user is still
// to be added, and otherwise --db names another database than meant (a mistyped SQLite path
// makes a new, empty file, which then serves an empty campaign to nobody).
void WarnOfNoAccounts(const std::string& db_path, accounts::AccountStore& accounts, std::ostream& err) {
  auto users = accounts.ListUsers();
  if (!users.ok()) return;  // the server's own first reads will say what is wrong
  if (std::any_of(users->begin(), users->end(), [](const accounts::User& user) { return !user.disabled; })) return;
  const std::string where = IsPostgresUrl(db_path) ? std::string("the PostgreSQL database --db names")
                                                   : std::filesystem::absolute(db_path).lexically_normal().string();
  err << "rectify: warning: " << where << " holds no enabled account, so nobody can log in: on a new installation "
      << "add the first office user with `rectify user add --db " << db_path
      << " --role office …`; otherwise check --db, which may name another database than meant\n";
}

// Recomputes each campaign's deadlines when its rules or the calendar changed since the last start.
Status Recompute(DeploymentServices& services, std::ostream& out, std::ostream& err) {
  for (const auto& campaign : services.campaigns()) {
    constexpr int kLogEvery = 50000;  // open items: a line every few seconds at a county's size
    int logged = 0;
    auto recomputed = campaign->items().RecomputeDeadlines([&](const ItemService::Recomputed& so_far) {
      if (so_far.examined - logged < kLogEvery) return;
      logged = so_far.examined;
      out << "rectify: " << campaign->campaign().id << ": recomputing deadlines: " << so_far.examined
          << " open items examined, " << so_far.changed << " changed\n"
          << std::flush;
    });
    if (!recomputed.ok()) return recomputed.status();
    if (recomputed->changed > 0)
      out << "rectify: " << campaign->campaign().id << ": deadline rules or calendar changed: recomputed the deadlines of "
          << recomputed->changed << " open items\n";
    for (const DataError& error : recomputed->data_errors)
      err << "rectify: data error, deadlines kept as they were: " << DescribeDataError(error) << "\n";
  }
  return Status::Ok();
}

// Nothing for PostgreSQL, which several instances share by design.
Result<std::optional<ServeLock>> LockForServing(const ServeOptions& options, const std::string& command) {
  if (IsPostgresUrl(options.db_path)) return std::optional<ServeLock>();
  const std::string where =
      options.port == 0 ? " on " + options.host : " on " + options.host + ":" + std::to_string(options.port);
  auto lock = ServeLock::Take(options.db_path, command + where);
  if (!lock.ok()) return lock.status();
  return std::optional<ServeLock>(std::move(lock).value());
}

}  // namespace

int Serve(const ServeOptions& options, std::ostream& out, std::ostream& err) {
  const auto lock = LockForServing(options, "rectify serve");
  if (!lock.ok()) return Fail(err, lock.status());
  auto opened = Open(options.deployment, options.db_path, options.now, out);
  if (!opened.ok()) return Fail(err, opened.status());
  WarnOfCalendarEnd(*opened->deployment, opened->clock->Now(), err);
  WarnOfNoAccounts(options.db_path, opened->stores->accounts(), err);
  WarnOfUnplacedUsers(*opened->deployment, opened->stores->accounts(), err);
  DeploymentServices services(*opened->deployment, *opened->stores);
  if (auto recomputed = Recompute(services, out, err); !recomputed.ok()) return Fail(err, recomputed);
  return ServeOn(services, *opened->stores, *opened->clock, options, opened->configuration_files, out, err);
}

int Demo(const DemoOptions& options, std::ostream& out, std::ostream& err) {
  if (IsPostgresUrl(options.serve.db_path)) {
    err << "rectify demo: the demo replaces a SQLite file and will not empty a PostgreSQL database; build it in "
           "a file and move it with `rectify migrate-db --from demo.sqlite --to URL`\n";
    return 1;
  }
  // Taken before the file is replaced: a running server's database is not deleted under it.
  const auto lock = LockForServing(options.serve, "rectify demo");
  if (!lock.ok()) return Fail(err, lock.status());
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((options.serve.db_path + suffix).c_str());
  std::error_code ignored;  // the uploaded files of the replaced database (SQLite keeps them beside it)
  std::filesystem::remove_all(options.serve.db_path + ".files", ignored);
  auto opened = Open(options.serve.deployment, options.serve.db_path, options.serve.now, out);
  if (!opened.ok()) return Fail(err, opened.status());
  DeploymentServices services(*opened->deployment, *opened->stores);
  // An empty database: records each campaign's rules' fingerprint.
  if (auto recomputed = Recompute(services, out, err); !recomputed.ok()) return Fail(err, recomputed);
  const auto& campaigns = services.campaigns();
  for (std::size_t i = 0; i < campaigns.size() && i < options.samples_paths.size(); ++i) {
    const Status seeded = SeedSamples(campaigns[i]->items(), services.accounts(), options.samples_paths[i],
                                      campaigns[i]->campaign().town, opened->clock->Now(), out);
    if (!seeded.ok()) return Fail(err, seeded);
  }
  if (!options.serve_after) return 0;
  return ServeOn(services, *opened->stores, *opened->clock, options.serve, opened->configuration_files, out, err);
}

int NotifyOnce(const NotifyOptions& options, std::ostream& out, std::ostream& err) {
  auto opened = Open(options.deployment, options.db_path, options.now, out);
  if (!opened.ok()) return Fail(err, opened.status());
  auto channels = Channels(options.channels_path, *opened->deployment);
  if (!channels.ok()) return Fail(err, channels.status());
  WarnOfCalendarEnd(*opened->deployment, opened->clock->Now(), err);
  DeploymentServices services(*opened->deployment, *opened->stores);
  notifier::NotifierOptions notifier_options;
  notifier_options.signing_clock = &kWallClock;  // robots check signatures against the real time
  notifier_options.link_base = options.link_base;
  notifier::Notifier notifier(services.Notifier(), opened->stores->outbox(), *channels, notifier_options);
  const Instant now = opened->clock->Now();
  auto enqueued = notifier.EnqueueCurrentSlot(now);
  if (!enqueued.ok()) return Fail(err, enqueued.status());
  ReportDataErrors(err, "rectify notify", enqueued->data_errors);
  auto sent = notifier.SendDue(now);
  if (!sent.ok()) return Fail(err, sent.status());
  Report(out, *enqueued, *sent);
  return 0;
}

int Import(const ImportOptions& options, std::ostream& out, std::ostream& err) {
  std::error_code no_size;
  const std::uintmax_t size = std::filesystem::file_size(options.csv_path, no_size);
  if (!no_size && size > kMaxImportBytes)
    return Fail(err, Status::InvalidArgument("file", options.csv_path + " is larger than an import may be: more than " +
                                                         std::to_string(kMaxImportBytes >> 20) + " MiB"));
  std::ifstream file(options.csv_path, std::ios::binary);
  if (!file) return Fail(err, Status::NotFound("cannot read " + options.csv_path));
  std::stringstream csv;
  csv << file.rdbuf();

  auto opened = Open(DeploymentFiles{{options.campaign_path}, "", ""}, options.db_path, options.now, out);
  if (!opened.ok()) return Fail(err, opened.status());
  const Campaign& campaign = *opened->deployment->campaigns.front();
  CampaignItemStore items(opened->stores->items(), campaign.id);
  ItemService service(campaign, items);
  const Instant now = opened->clock->Now();

  auto text = exports::ProblemListAsCsv(csv.str());
  if (!text.ok()) return Fail(err, text.status());
  ProblemImport parsed = ParseProblemCsv(*text, service, now);
  if (!parsed.refused.ok()) return Fail(err, parsed.refused);
  const Actor actor = Actor::System(options.actor);
  if (const Status existing = FindExisting(parsed, service, actor); !existing.ok()) return Fail(err, existing);
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
  for (std::size_t i = 0; i < parsed.existing.size(); ++i)
    if (parsed.existing[i] != 0)
      out << options.csv_path << ":" << parsed.lines[i] << ": already imported as problem " << parsed.existing[i]
          << ": skipped\n";
  const std::vector<NewProblem> rows = RowsToStore(parsed);
  if (options.dry_run) {
    out << "rectify import: all " << parsed.problems.size() << " rows are valid, " << rows.size()
        << " new; nothing stored (--dry-run)\n";
    return 0;
  }
  if (rows.empty()) {
    out << "rectify import: every row is already a problem; nothing stored\n";
    return 0;
  }
  auto stored = service.CreateProblems(rows, actor, now);
  if (!stored.ok()) return Fail(err, stored.status());
  out << "rectify import: stored " << stored->size() << " problems (ids " << stored->front().id << ".."
      << stored->back().id << ")" << (rows.size() < parsed.problems.size() ? ", skipped the rest (already imported)" : "")
      << "\n";
  return 0;
}

}  // namespace rectify::app
