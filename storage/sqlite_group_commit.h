// Write transactions that share one commit, after LevelDB's DBImpl::Write: concurrent writers
// queue; the writer at the front takes the group waiting behind it, runs each write's body in
// its own savepoint inside one BEGIN IMMEDIATE transaction, commits once (one fsync for the
// group) and hands every writer its own result. One writer alone is a group of one.
//
// What each writer sees is what it would see if the writes ran one after another in queue
// order, each in its own transaction:
// - a body sees the changes of the bodies before it in the group, and its own;
// - a body that returns an error (or throws) is rolled back to its savepoint: its changes are
//   gone, the others' stay, and only its caller gets the error (or the exception, rethrown on
//   the caller's thread);
// - a write is acknowledged (Ok) only after the COMMIT holding it returned, so with
//   synchronous=FULL it is on disk when Write returns.
// Unlike one transaction per write, a failure of the group's own transaction (BEGIN, COMMIT,
// or an error after which SQLite rolled the whole transaction back: disk full, I/O error) fails
// every write of the group that had succeeded so far, with that error. Bodies of the writes
// not yet run when the transaction ended stay queued and run in the next group.
//
// Bodies run on whichever thread leads the group, not necessarily the caller's; they may use
// the caller's stack (the caller waits until its result is in). A body must not call Write
// itself (it would wait for its own group).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "engine/status.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_pool.h"

namespace rectify::sqlite {

// How large a group may grow, so that a write never waits long for strangers' bodies.
struct GroupLimits {
  std::size_t max_writes = 64;  // 1: every write in a transaction of its own
  // The leader starts no further body once the group's bodies have run this long (one body
  // alone may run longer: a large import). What this bounds is the transaction's size as well
  // as its time, since bodies are opaque code rather than byte batches.
  std::chrono::microseconds max_body_time{2000};
};

// Counts since the GroupCommit was made: writes / transactions is the mean group size.
struct GroupStats {
  std::int64_t transactions = 0;  // groups run, committed or not
  std::int64_t writes = 0;
  // Summed over the writes: from queueing to the start of the group that ran them.
  std::chrono::nanoseconds queue_wait{0};
};

class GroupCommit {
 public:
  // Leases its connection from `pool` for each group; calls `committed` after each COMMIT
  // (on the leader's thread, outside the queue's lock). `before_commit`, when given, runs in
  // each group's transaction after its bodies, just before the COMMIT; when it fails, the group
  // is not committed and every body that succeeded gets its failure.
  GroupCommit(ConnectionPool& pool, GroupLimits limits, std::function<void()> committed,
              std::function<Status(Db&)> before_commit = nullptr)
      : pool_(pool),
        limits_(limits),
        committed_(std::move(committed)),
        before_commit_(std::move(before_commit)) {}

  // Runs `body` in the next group and returns its own result. Never returns before the commit
  // (or the rollback) that decides it.
  Status Write(const std::function<Status(Db&)>& body);

  // Runs `work` in its turn, alone and outside any transaction: the writes queued behind it
  // wait until it returns (an exception reaches the caller). For work that needs a moment in
  // which no write transaction is open, such as letting the WAL start over
  // (sqlite_checkpointer.h). Not from inside a body.
  void BetweenGroups(const std::function<void()>& work);

  // The writes queued now, the running group included: for tests that line writers up.
  std::size_t Queued() const;
  GroupStats Stats() const;

 private:
  struct Writer;

  // Queues `self` and waits until it is done, leading its group (or running its work) when it
  // reaches the front.
  void Take(Writer& self);
  // Runs the bodies of group[0..n) for some n >= 1, commits them, and fills in each one's
  // result; returns n.
  std::size_t Lead(const std::vector<Writer*>& group);
  // Runs one body in its savepoint. False when the transaction is gone (SQLite rolled it
  // back, or the savepoint could not be undone): the group must end there.
  bool RunInSavepoint(Db& db, Writer& writer);

  ConnectionPool& pool_;
  const GroupLimits limits_;
  const std::function<void()> committed_;
  const std::function<Status(Db&)> before_commit_;
  mutable std::mutex mutex_;
  std::deque<Writer*> queue_;  // guarded by mutex_; the front one leads (or works alone)
  GroupStats stats_;           // guarded by mutex_
};

}  // namespace rectify::sqlite
