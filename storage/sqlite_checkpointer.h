// Checkpoints a WAL-mode SQLite file from a thread of its own. SQLite's automatic checkpoint
// runs inside whichever COMMIT crosses 1000 WAL pages, so one unlucky request would pay for
// copying the WAL into the database and an extra fsync; the connections of the pool therefore
// run with wal_autocheckpoint=0 (sqlite_pool.h) and this thread does the work instead.
//
// After every `commits_per_checkpoint` commits, and otherwise within `interval` of the last
// commit (CheckpointLimits), it runs a PASSIVE checkpoint: it copies the WAL's pages into the database beside the writers
// and readers, blocking neither. Under a steady stream of commits that alone never lets the
// WAL start over (a writer starts it over only if every page was copied back before its
// transaction began, and new commits keep arriving during the copy), so once the WAL holds
// more than `restart_pages` it copies the few pages committed meanwhile in a turn of its own in
// the write queue (GroupCommit::BetweenGroups): the next write then starts the WAL over. That
// turn costs the queued writes about one fsync of the database file, once per `restart_pages`.
// Past `wal_limit_pages` (a reader on an old snapshot kept the WAL from starting over) that
// turn is a RESTART checkpoint, which also waits for those readers (at most the busy timeout,
// sqlite_pool.h): the WAL cannot grow without bound.
//
// The thread blocks every signal, so it never takes one meant for the program. A failed
// checkpoint is not an error of any write: the WAL only stays longer, and the next one tries
// again. Destroying the Checkpointer waits for a checkpoint under way, then stops.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "engine/status.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_group_commit.h"

namespace rectify::sqlite {

struct CheckpointLimits {
  int commits_per_checkpoint = 100;
  std::chrono::milliseconds interval{200};
  std::int64_t restart_pages = 4096;     // 16 MiB of 4 KiB pages
  std::int64_t wal_limit_pages = 16384;  // 64 MiB
};

class Checkpointer {
 public:
  // Opens a connection of its own to `path` and starts the thread, which takes its turns in
  // `writes` (the queue of the same file's writers; it must outlive the Checkpointer).
  // kInternal when the connection cannot be opened.
  static Result<std::unique_ptr<Checkpointer>> Start(const std::string& path, GroupCommit& writes,
                                                     CheckpointLimits limits = {});
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Counts one commit; cheap enough for every commit.
  void Committed();

 private:
  Checkpointer(Db db, GroupCommit& writes, CheckpointLimits limits)
      : db_(std::move(db)), writes_(writes), limits_(limits) {}
  void Run();
  void CheckpointOnce();
  // One checkpoint in `mode` ("PASSIVE", "RESTART"): the pages in the WAL, or nothing when it
  // failed.
  std::optional<std::int64_t> Checkpoint(const char* mode);

  Db db_;  // used only by the thread
  GroupCommit& writes_;
  const CheckpointLimits limits_;
  std::mutex mutex_;
  std::condition_variable wake_;
  int commits_ = 0;     // since the last checkpoint; guarded by mutex_
  bool stop_ = false;   // guarded by mutex_
  std::thread thread_;  // started last, joined first
};

}  // namespace rectify::sqlite
