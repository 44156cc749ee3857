#include "storage/sqlite_checkpointer.h"

#include <pthread.h>
#include <signal.h>

#include <utility>

#include "storage/sqlite_pool.h"

namespace rectify::sqlite {

Result<std::unique_ptr<Checkpointer>> Checkpointer::Start(const std::string& path) {
  Result<Db> db = OpenConnection(path);
  if (!db.ok()) return db.status();
  std::unique_ptr<Checkpointer> checkpointer(new Checkpointer(std::move(db).value()));
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
  if (commits_ == 1 || commits_ == kCommitsPerCheckpoint) wake_.notify_one();
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
    wake_.wait_for(lock, kInterval, [&] { return stop_ || commits_ >= kCommitsPerCheckpoint; });
    if (stop_) return;
    commits_ = 0;
    lock.unlock();
    CheckpointOnce();
    lock.lock();
  }
}

void Checkpointer::CheckpointOnce() {
  std::int64_t wal_pages = 0;
  {
    // One row: busy, pages in the WAL, pages copied back. Errors are left for the next run.
    Query passive = db_.Prepare("PRAGMA wal_checkpoint(PASSIVE)");
    Result<bool> row = passive.Step();
    if (!row.ok() || !*row) return;
    wal_pages = passive.Int(1);
  }  // reset before the next checkpoint statement
  // Even when every page was copied, a reader still on an old snapshot keeps the next writer
  // from starting the WAL over, and it grows on.
  if (wal_pages > kWalLimitPages) static_cast<void>(db_.Prepare("PRAGMA wal_checkpoint(RESTART)").Run());
}

}  // namespace rectify::sqlite
