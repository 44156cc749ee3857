// How the server shares its worker threads among clients, so that it keeps answering while
// hundreds of connections are idle, slow or kept alive (README "Serving many clients"). Each
// worker serves one connection at a time; these limits decide how long a connection may hold
// one without doing its share.
#pragma once

namespace rectify::web {

struct ConnectionLimits {
  // Threads that serve connections (`rectify serve --workers`).
  int workers = 64;
  // A request's line and headers must have arrived this many seconds after its first byte (the
  // first request of a connection: after the connection was accepted); later, the connection
  // is answered 408 and closed.
  int head_seconds = 10;
  // A kept-alive connection may wait this long for its next request. It is closed at once,
  // after the request in hand, whenever other connections are waiting for a worker.
  int keep_alive_seconds = 5;
  // Connections from one client address served at once; one more is answered 429 and closed.
  // 0: no cap (`rectify serve --max-connections-per-address`; behind a reverse proxy every
  // connection comes from the proxy's address).
  int per_address = 32;
  // Connections the kernel queues before they are accepted (it caps this at
  // net.core.somaxconn).
  int backlog = 1024;
  // A connection is accepted only once its first bytes have arrived (TCP_DEFER_ACCEPT), or
  // after about this many seconds: connections that send nothing never occupy a worker sooner.
  int defer_accept_seconds = 30;
};

}  // namespace rectify::web
