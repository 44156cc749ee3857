// The ceilings that make bench reads rectify's transitions against, built from the same
// libraries: cpp-httplib answering POST /api/problems/{id}/events with one SQLite UPDATE of one
// row and nothing else (no authentication, no state machine, no history row, no audit record,
// no JSON parsing). How the UPDATEs are committed is the server's NaiveCommit.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace rectify::sqlite {
class Checkpointer;
class ConnectionPool;
class GroupCommit;
}  // namespace rectify::sqlite

namespace rectify::bench {

enum class NaiveCommit {
  // One connection, one mutex: a request is one autocommit UPDATE. WAL mode with SQLite's
  // defaults otherwise, so the automatic checkpoint runs inside whichever commit crosses 1000
  // pages. These are the ceilings #11's targets name.
  kEachRequest,
  // rectify's own write path without rectify: the UPDATEs of concurrent requests share a
  // transaction and its fsync (sqlite::GroupCommit, each in its savepoint), connections set as
  // rectify's (synchronous=FULL, the WAL checkpointed by sqlite::Checkpointer). Not a target's
  // ceiling: it shows what group commit alone reaches on the machine, beside what rectify's
  // work on top of it costs.
  kGrouped,
};

class NaiveServer {
 public:
  // Creates `path` with `rows` items (ids 1..rows) and serves on a free loopback port.
  // `synchronous` is "NORMAL" or "FULL" (only "FULL" with NaiveCommit::kGrouped). Throws
  // std::runtime_error when SQLite or the socket refuse.
  NaiveServer(const std::string& path, const std::string& synchronous, int rows,
              NaiveCommit commit = NaiveCommit::kEachRequest);
  ~NaiveServer();
  NaiveServer(const NaiveServer&) = delete;
  NaiveServer& operator=(const NaiveServer&) = delete;

  int port() const { return port_; }

 private:
  void Exec(const std::string& sql);
  // The UPDATE of one request; false when SQLite failed it.
  bool UpdateEach(std::int64_t id, const std::string& note);
  bool UpdateGrouped(std::int64_t id, const std::string& note);

  sqlite3* db_ = nullptr;  // kEachRequest
  sqlite3_stmt* update_ = nullptr;
  std::mutex mutex_;  // the connection is not shared between threads otherwise
  std::unique_ptr<sqlite::ConnectionPool> pool_;  // kGrouped
  std::unique_ptr<sqlite::GroupCommit> writes_;
  std::unique_ptr<sqlite::Checkpointer> checkpointer_;
  std::unique_ptr<httplib::Server> http_;
  std::thread serving_;
  int port_ = 0;
};

}  // namespace rectify::bench
