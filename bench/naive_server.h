// The ceiling that make bench reads rectify's transitions against, built from the same
// libraries: cpp-httplib answering POST /api/problems/{id}/events with one SQLite UPDATE of one
// row and nothing else (no authentication, no state machine, no history row, no audit record,
// no JSON parsing). WAL mode with SQLite's defaults otherwise, so the automatic checkpoint runs
// inside whichever commit crosses 1000 pages; `synchronous` as given. One connection, one
// mutex: a request is one autocommit UPDATE.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace rectify::bench {

class NaiveServer {
 public:
  // Creates `path` with `rows` items (ids 1..rows) and serves on a free loopback port.
  // `synchronous` is "NORMAL" or "FULL". Throws std::runtime_error when SQLite or the socket
  // refuse.
  NaiveServer(const std::string& path, const std::string& synchronous, int rows);
  ~NaiveServer();
  NaiveServer(const NaiveServer&) = delete;
  NaiveServer& operator=(const NaiveServer&) = delete;

  int port() const { return port_; }

 private:
  void Exec(const std::string& sql);

  sqlite3* db_ = nullptr;
  sqlite3_stmt* update_ = nullptr;
  std::mutex mutex_;  // the connection is not shared between threads otherwise
  std::unique_ptr<httplib::Server> http_;
  std::thread serving_;
  int port_ = 0;
};

}  // namespace rectify::bench
