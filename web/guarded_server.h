// httplib::Server with the connection handling that ConnectionLimits describes. httplib 0.11.4
// (Debian's compiled library) serves each connection on one of 8 threads until the client
// stops sending, waits 5 s for a byte at a time with no limit on a whole request, and listens
// with a backlog of 5; those are fixed in the library. This class replaces what the library
// lets a subclass replace: the task queue (its own pool of `workers` threads, which counts the
// connections waiting for one), the listening socket's options and backlog, and the loop that
// serves one connection (a private virtual of httplib::Server), which reads through
// ConnectionStream and routes each request with httplib's own process_request. Internal to
// web/: ApiServer owns one.
//
// httplib::Server is a private base: handlers are registered only through Handle(), which
// ApiServer calls only for a route it has entered in its RouteTable (web/route_table.h), so no
// route can be served without its description in GET /api/openapi.json.
#pragma once

#include <httplib.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>

#include "web/connection_limits.h"

namespace rectify::web {

class ConnectionStream;

class GuardedServer final : private httplib::Server {
 public:
  explicit GuardedServer(ConnectionLimits limits);

  using Handler = httplib::Server::Handler;
  // Routes `method` ("GET", "POST", "DELETE") requests whose path matches `pattern`.
  void Handle(const std::string& method, const std::string& pattern, Handler handler);

  using httplib::Server::is_running;
  using httplib::Server::listen_after_bind;
  using httplib::Server::set_error_handler;
  using httplib::Server::set_exception_handler;
  using httplib::Server::set_keep_alive_max_count;
  using httplib::Server::set_payload_max_length;
  using httplib::Server::set_post_routing_handler;
  using httplib::Server::set_pre_routing_handler;
  using httplib::Server::set_tcp_nodelay;
  using httplib::Server::stop;

  // Binds `host`:`port` (0: any free port) with the limits' backlog: the bound port, or -1.
  int Bind(const std::string& host, int port);

 private:
  // Serves one accepted connection: the per-address cap, then request after request while the
  // client keeps the connection alive and nobody else waits for a worker.
  bool process_and_close_socket(socket_t sock) override;
  bool ServeRequests(ConnectionStream& stream);
  // Counts a connection from `address`; false (and nothing counted) when it is at the cap.
  bool Admit(const std::string& address);
  void Release(const std::string& address);

  const ConnectionLimits limits_;
  std::atomic<int> waiting_{0};  // accepted connections that no worker has taken yet
  std::mutex addresses_mutex_;
  std::map<std::string, int> connections_by_address_;
};

}  // namespace rectify::web
