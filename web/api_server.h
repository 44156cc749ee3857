// The JSON API over HTTP (cpp-httplib). Routes:
//   GET  /api/health                  GET /api/campaign
//   GET  /api/overdue?as_of=&kind=&unit=&limit=&after_deadline=&after=
//   POST /api/{problems|enrollments}                 create (201)
//   GET  /api/{problems|enrollments}?filters         list, keyset-paged by id
//   GET  /api/{problems|enrollments}/{id}            one item with allowed_events
//   POST /api/{problems|enrollments}/{id}/events     fire an event
//   GET  /api/{problems|enrollments}/{id}/history    its events, oldest first
//   GET  /api/due_soon?as_of=&unit=&working_days=    open items due within N working days
//   GET  /api/gates?as_of=                           per phase gate, the items behind it by unit
//   GET  /api/outbox?state=&before=&limit=           the notifier's messages, newest first
//   POST /api/silences   GET /api/silences?as_of=    approved extensions (延期) muting reminders
// Every error is {"error": code, "message": ..., "field"?: ..., "allowed_events"?: [...]}
// with the status that ErrorStatusFor() gives.
#pragma once

#include <memory>
#include <string>

#include "engine/campaign.h"
#include "engine/clock.h"
#include "engine/item_service.h"
#include "notifier/outbox.h"

namespace httplib {
class Server;
}

namespace rectify::web {

// The HTTP status for a failed Status: 400 invalid, 404 not found, 409 not allowed now or
// conflict, 422 unprocessable, 403 denied, 503 unavailable, 500 internal.
int ErrorStatusFor(StatusCode code);

class ApiServer {
 public:
  // `service`, `campaign`, `clock` and `outbox` must outlive the server.
  ApiServer(ItemService& service, const Campaign& campaign, const Clock& clock, notifier::OutboxStore& outbox);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds `host`:`port` (port 0 picks a free one) and returns the bound port, or kInternal
  // naming the address when it cannot bind (in use, no permission).
  Result<int> Bind(const std::string& host, int port);
  // Serves until Stop(); call after Bind(). Blocks the calling thread.
  Status Serve();
  // Safe from any thread; Serve() returns once in-flight requests finish.
  void Stop();
  // True once Serve() accepts connections.
  bool IsServing() const;

 private:
  void Route();
  void RouteNotifier();

  ItemService& service_;
  const Campaign& campaign_;
  const Clock& clock_;
  notifier::OutboxStore& outbox_;
  std::unique_ptr<httplib::Server> http_;
};

}  // namespace rectify::web
