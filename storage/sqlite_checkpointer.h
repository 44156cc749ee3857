// Checkpoints a WAL-mode SQLite file from a thread of its own. SQLite's automatic checkpoint
// runs inside whichever COMMIT crosses 1000 WAL pages, so one unlucky request would pay for
// copying the WAL into the database and an extra fsync; the connections of the pool therefore
// run with wal_autocheckpoint=0 (sqlite_pool.h) and this thread does the work instead.
//
// It runs a PASSIVE checkpoint (copies what no reader still needs, never blocks a writer or a
// reader) after every kCommitsPerCheckpoint commits, and otherwise within kInterval of the last
// commit. When the WAL has grown past kWalLimitPages anyway (a reader on an old snapshot keeps
// it from being copied back or started over), it runs a RESTART checkpoint, which holds new
// writers back until those readers finish (at most the busy timeout, sqlite_pool.h), so the
// WAL cannot grow without bound.
//
// The thread blocks every signal, so it never takes one meant for the program.
// A failed checkpoint is not an error of any write: the WAL only stays longer, and the next
// one tries again. Destroying the Checkpointer waits for a checkpoint under way, then stops.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "engine/status.h"
#include "storage/sqlite_db.h"

namespace rectify::sqlite {

class Checkpointer {
 public:
  static constexpr int kCommitsPerCheckpoint = 100;
  static constexpr std::chrono::milliseconds kInterval{200};
  static constexpr std::int64_t kWalLimitPages = 16384;  // 64 MiB of 4 KiB pages

  // Opens a connection of its own to `path` and starts the thread. kInternal when the
  // connection cannot be opened.
  static Result<std::unique_ptr<Checkpointer>> Start(const std::string& path);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Counts one commit; cheap enough for every commit.
  void Committed();

 private:
  explicit Checkpointer(Db db) : db_(std::move(db)) {}
  void Run();
  void CheckpointOnce();

  Db db_;  // used only by the thread
  std::mutex mutex_;
  std::condition_variable wake_;
  int commits_ = 0;     // since the last checkpoint; guarded by mutex_
  bool stop_ = false;   // guarded by mutex_
  std::thread thread_;  // started last, joined first
};

}  // namespace rectify::sqlite
