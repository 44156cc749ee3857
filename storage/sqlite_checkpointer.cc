#include "storage/sqlite_checkpointer.h"

#include <pthread.h>
#include <signal.h>

#include <utility>

#include "storage/sqlite_pool.h"

namespace rectify::sqlite {

Result<std::unique_ptr<Checkpointer>> Checkpointer::Start(const std::string& path, GroupCommit& writes,
                                                         CheckpointLimits limits) {
  Result<Db> db = OpenConnection(path);
  if (!db.ok()) return db.status();
  std::unique_ptr<Checkpointer> checkpointer(new Checkpointer(std::move(db).value(), writes, limits));
  checkpointer->thread_ = std::thread([raw = checkpointer.get()] { raw->Run(); });
  return checkpointer;
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Checkpointer::Committed() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++commits_;
  if (commits_ == 1 || commits_ == limits_.commits_per_checkpoint) wake_.notify_one();
}

void Checkpointer::Run() {
  // Signals are the program's business (a server waits for SIGTERM on a thread of its own):
  // a thread started by opening the database must never be the one the kernel picks for them.
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stop_ || commits_ > 0; });  // idle: nothing to copy
    wake_.wait_for(lock, limits_.interval, [&] { return stop_ || commits_ >= limits_.commits_per_checkpoint; });
    if (stop_) return;
    commits_ = 0;
    lock.unlock();
    CheckpointOnce();
    lock.lock();
  }
}

void Checkpointer::CheckpointOnce() {
  const std::optional<std::int64_t> wal_pages = Checkpoint("PASSIVE");
  if (!wal_pages || *wal_pages <= limits_.restart_pages) return;
  writes_.BetweenGroups([&] { Checkpoint(*wal_pages > limits_.wal_limit_pages ? "RESTART" : "PASSIVE"); });
}

std::optional<std::int64_t> Checkpointer::Checkpoint(const char* mode) {
  // One row: busy, pages in the WAL, pages copied back. Errors are left for the next run.
  Query query = db_.Prepare(std::string("PRAGMA wal_checkpoint(") + mode + ")");
  Result<bool> row = query.Step();
  if (!row.ok() || !*row) return std::nullopt;
  return query.Int(1);
}

}  // namespace rectify::sqlite
