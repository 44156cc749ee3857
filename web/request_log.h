// What the server notes of each request while it answers it, for the request's log line and
// GET /metrics: its id (returned in X-Request-Id), the template of the route that answered it,
// the user, an internal error's cause, and when it began. Internal to web/.
//
// GuardedServer serves a connection on one thread from a request's first byte to its answer,
// and begins each request's notes there (BeginRequest); the route wrapper, the session check
// and ReplyError add to them on the same thread, so the notes of the request in hand are
// this thread's.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace rectify::web {

inline constexpr const char* kRequestIdHeader = "X-Request-Id";

struct RequestNotes {
  std::string id;     // a sane X-Request-Id from the client (a proxy), else one made here
  std::string route;  // the route template ("/api/problems/{id}/events"); empty when none matched
  std::string user;   // the session's username, once the session is checked
  std::string error;  // an internal error's cause: logged, never sent to the client
  std::chrono::steady_clock::time_point started;
};

// The notes of the request this thread is answering.
RequestNotes& CurrentRequest();

// Starts a request's notes afresh: a new id ("5f3c9a1e-2a": a random prefix per process and a
// counter), the clock started now.
void BeginRequest();

// Whether a client's X-Request-Id may stand as the request's id: 1 to 64 characters of
// A-Z a-z 0-9 and - _ . : (what proxies and tracing systems send); anything else is ignored
// and the request gets an id of its own, so no log line carries a client's arbitrary text.
bool IsSaneRequestId(std::string_view id);

}  // namespace rectify::web
