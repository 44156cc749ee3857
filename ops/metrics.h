// What one rectify process has counted and measured, for GET /metrics in the Prometheus text
// format (version 0.0.4), on Debian's prometheus-cpp (its core library: the registry and the
// text serializer; none of its own HTTP server). The names and labels are listed in the README
// (Operating rectify); every label value comes from a bounded set: route templates of the route
// table, never raw paths; the workflows' event names; channel types; outbox states.
//
// Per process: requests, transitions, deliveries and notifier passes count what this process
// did since it started, and the database's write queue is this process's. Values read from the
// database at each scrape (the outbox's depth) are the deployment's.
//
// Thread-safe: counted from the server's workers and the notifier's thread at once.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/time.h"

namespace prometheus {
class Registry;
}  // namespace prometheus

namespace rectify::ops {

// What the database's writers of this process waited for since it was opened.
struct WriteQueueFigures {
  std::int64_t transactions = 0;  // write transactions committed or rolled back
  std::int64_t writes = 0;        // writes, several to a transaction under load
  double wait_seconds = 0;        // summed over writes: from queueing to their transaction's start
  std::int64_t queued = 0;        // writes queued at this moment
};

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // One answered request: its method, the template of the route that answered it ("" when no
  // route matched: counted as "unmatched"), the status and the seconds it took.
  void CountRequest(const std::string& method, const std::string& route, int status, double seconds);
  // One transition that took place: the item's kind ("problem", "enrollment") and the event.
  void CountTransition(const std::string& kind, const std::string& event);
  // `count` delivery attempts to channels of one type ("wecom", ...) with one result ("sent",
  // "failed", "dead", "deferred").
  void CountDeliveries(const std::string& channel_type, const std::string& result, int count);
  // One pass of the notifier loop of this process, that took `seconds`, finished at `finished_at`
  // on the business clock.
  void ObserveNotifierPass(double seconds, Instant finished_at);
  // One pass that failed (its scan or its deliveries could not be done: the database full, a
  // calendar missing) at `at`, saying why. It is not a finished pass: last_pass stays.
  void ObserveFailedNotifierPass(double seconds, Instant at, std::string why);
  struct PassFailure {
    Instant at = 0;
    std::string why;
  };
  // The last failed pass of this process's notifier, if any.
  std::optional<PassFailure> LastNotifierFailure() const;
  // When this process's notifier last finished a pass; nullopt when it has none (not yet, or
  // it runs elsewhere: `rectify notify`).
  std::optional<Instant> LastNotifierPass() const;

  // Figures that are read rather than counted, set by the functions given to OnScrape.
  void SetOutboxDepth(const std::string& state, std::int64_t messages);
  void SetWriteQueue(const WriteQueueFigures& figures);
  // `read` runs at every Exposition(), before the text is made; it must not call Exposition.
  void OnScrape(std::function<void(Metrics&)> read);

  // Every figure in the Prometheus text format.
  std::string Exposition();

 private:
  struct Families;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<Families> families_;
  std::mutex scrape_mutex_;  // one scrape at a time, so counters synced from totals stay monotonic
  std::vector<std::function<void(Metrics&)>> scrapes_;
  mutable std::mutex pass_mutex_;
  std::optional<Instant> last_pass_;
  std::optional<PassFailure> last_failure_;
};

}  // namespace rectify::ops
