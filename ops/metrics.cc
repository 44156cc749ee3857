#include "ops/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace rectify::ops {
namespace {

// From a quick read to a slow export: a reply over 10 s is in +Inf.
const prometheus::Histogram::BucketBoundaries kRequestSeconds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                                  0.25,  0.5,    1,     2.5,  5,     10};
// A pass scans every campaign and delivers up to a batch of messages, each an HTTP round trip.
const prometheus::Histogram::BucketBoundaries kPassSeconds = {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

// A counter that mirrors a running total kept elsewhere: raised by what the total grew since.
void RaiseTo(prometheus::Counter& counter, double total) {
  const double grown = total - counter.Value();
  if (grown > 0) counter.Increment(grown);
}

}  // namespace

struct Metrics::Families {
  explicit Families(prometheus::Registry& registry)
      : requests(prometheus::BuildCounter()
                     .Name("rectify_http_requests_total")
                     .Help("HTTP requests answered, by method, route template and status")
                     .Register(registry)),
        request_seconds(prometheus::BuildHistogram()
                            .Name("rectify_http_request_duration_seconds")
                            .Help("Time from a request's arrival to its answer, by method and route template")
                            .Register(registry)),
        transitions(prometheus::BuildCounter()
                        .Name("rectify_transitions_total")
                        .Help("Workflow events that changed an item, by item kind and event")
                        .Register(registry)),
        deliveries(prometheus::BuildCounter()
                       .Name("rectify_notifier_deliveries_total")
                       .Help("Outbox messages this process's notifier tried to deliver, by channel type and result")
                       .Register(registry)),
        pass_seconds(prometheus::BuildHistogram()
                         .Name("rectify_notifier_pass_duration_seconds")
                         .Help("Duration of this process's notifier passes (scan, enqueue, deliver)")
                         .Register(registry)),
        last_pass(prometheus::BuildGauge()
                      .Name("rectify_notifier_last_pass_timestamp_seconds")
                      .Help("When this process's notifier last finished a pass, Unix time on the business clock")
                      .Register(registry)
                      .Add({})),
        failed_passes(prometheus::BuildCounter()
                          .Name("rectify_notifier_failed_passes_total")
                          .Help("Passes of this process's notifier that failed (see the log and /api/health)")
                          .Register(registry)
                          .Add({})),
        outbox(prometheus::BuildGauge()
                   .Name("rectify_outbox_messages")
                   .Help("Messages in the deployment's outbox, by state")
                   .Register(registry)),
        write_transactions(prometheus::BuildCounter()
                               .Name("rectify_db_write_transactions_total")
                               .Help("Write transactions of this process (several writes share one under load)")
                               .Register(registry)
                               .Add({})),
        writes(prometheus::BuildCounter()
                   .Name("rectify_db_writes_total")
                   .Help("Writes of this process")
                   .Register(registry)
                   .Add({})),
        write_wait(prometheus::BuildCounter()
                       .Name("rectify_db_write_queue_wait_seconds_total")
                       .Help("Time this process's writes waited in the write queue for their transaction, summed")
                       .Register(registry)
                       .Add({})),
        write_queue(prometheus::BuildGauge()
                        .Name("rectify_db_write_queue_length")
                        .Help("Writes of this process queued or running at the scrape")
                        .Register(registry)
                        .Add({})) {}

  prometheus::Family<prometheus::Counter>& requests;
  prometheus::Family<prometheus::Histogram>& request_seconds;
  prometheus::Family<prometheus::Counter>& transitions;
  prometheus::Family<prometheus::Counter>& deliveries;
  prometheus::Family<prometheus::Histogram>& pass_seconds;
  prometheus::Gauge& last_pass;
  prometheus::Counter& failed_passes;
  prometheus::Family<prometheus::Gauge>& outbox;
  prometheus::Counter& write_transactions;
  prometheus::Counter& writes;
  prometheus::Counter& write_wait;
  prometheus::Gauge& write_queue;
};

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()), families_(std::make_unique<Families>(*registry_)) {}

Metrics::~Metrics() = default;

void Metrics::CountRequest(const std::string& method, const std::string& route, int status, double seconds) {
  const std::string& template_or_none = route.empty() ? std::string("unmatched") : route;
  families_->requests.Add({{"method", method}, {"route", template_or_none}, {"status", std::to_string(status)}})
      .Increment();
  families_->request_seconds.Add({{"method", method}, {"route", template_or_none}}, kRequestSeconds).Observe(seconds);
}

void Metrics::CountTransition(const std::string& kind, const std::string& event) {
  families_->transitions.Add({{"kind", kind}, {"event", event}}).Increment();
}

void Metrics::CountDeliveries(const std::string& channel_type, const std::string& result, int count) {
  if (count > 0) families_->deliveries.Add({{"channel_type", channel_type}, {"result", result}}).Increment(count);
}

void Metrics::ObserveNotifierPass(double seconds, Instant finished_at) {
  families_->pass_seconds.Add({}, kPassSeconds).Observe(seconds);
  families_->last_pass.Set(static_cast<double>(finished_at));
  std::lock_guard<std::mutex> lock(pass_mutex_);
  last_pass_ = finished_at;
}

void Metrics::ObserveFailedNotifierPass(double seconds, Instant at, std::string why) {
  families_->pass_seconds.Add({}, kPassSeconds).Observe(seconds);
  families_->failed_passes.Increment();
  std::lock_guard<std::mutex> lock(pass_mutex_);
  last_failure_ = PassFailure{at, std::move(why)};
}

std::optional<Metrics::PassFailure> Metrics::LastNotifierFailure() const {
  std::lock_guard<std::mutex> lock(pass_mutex_);
  return last_failure_;
}

std::optional<Instant> Metrics::LastNotifierPass() const {
  std::lock_guard<std::mutex> lock(pass_mutex_);
  return last_pass_;
}

void Metrics::SetOutboxDepth(const std::string& state, std::int64_t messages) {
  families_->outbox.Add({{"state", state}}).Set(static_cast<double>(messages));
}

void Metrics::SetWriteQueue(const WriteQueueFigures& figures) {
  RaiseTo(families_->write_transactions, static_cast<double>(figures.transactions));
  RaiseTo(families_->writes, static_cast<double>(figures.writes));
  RaiseTo(families_->write_wait, figures.wait_seconds);
  families_->write_queue.Set(static_cast<double>(figures.queued));
}

void Metrics::OnScrape(std::function<void(Metrics&)> read) {
  std::lock_guard<std::mutex> lock(scrape_mutex_);
  scrapes_.push_back(std::move(read));
}

std::string Metrics::Exposition() {
  std::lock_guard<std::mutex> lock(scrape_mutex_);
  for (const auto& read : scrapes_) read(*this);
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace rectify::ops
