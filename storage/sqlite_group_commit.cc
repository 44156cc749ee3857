#include "storage/sqlite_group_commit.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <utility>

namespace rectify::sqlite {

struct GroupCommit::Writer {
  Writer(const std::function<Status(Db&)>* write, const std::function<void()>* between)
      : body(write), work(between) {}

  const std::function<Status(Db&)>* body;  // a write's, or
  const std::function<void()>* work;       // work between groups
  std::chrono::steady_clock::time_point queued_at = std::chrono::steady_clock::now();
  Status status;
  std::exception_ptr thrown;
  bool done = false;  // guarded by the queue's mutex
  std::condition_variable woken;
};

Status GroupCommit::Write(const std::function<Status(Db&)>& body) {
  Writer self(&body, nullptr);
  Take(self);
  if (self.thrown) std::rethrow_exception(self.thrown);
  return std::move(self.status);
}

void GroupCommit::BetweenGroups(const std::function<void()>& work) {
  Writer self(nullptr, &work);
  Take(self);
  if (self.thrown) std::rethrow_exception(self.thrown);
}

void GroupCommit::Take(Writer& self) {
  std::unique_lock<std::mutex> lock(mutex_);
  queue_.push_back(&self);
  self.woken.wait(lock, [&] { return self.done || queue_.front() == &self; });
  if (self.done) return;
  std::vector<Writer*> group{&self};  // work runs alone; a write leads the writes behind it
  const std::size_t most = std::max<std::size_t>(limits_.max_writes, 1);
  for (std::size_t i = 1; self.work == nullptr && i < queue_.size() && group.size() < most; ++i) {
    if (queue_[i]->work != nullptr) break;
    group.push_back(queue_[i]);
  }
  const auto group_started = std::chrono::steady_clock::now();
  lock.unlock();
  std::size_t finished = 1;
  if (self.work != nullptr) {
    try {
      (*self.work)();
    } catch (...) {
      self.thrown = std::current_exception();
    }
  } else {
    finished = Lead(group);
  }
  lock.lock();
  if (self.work == nullptr) {
    ++stats_.transactions;
    stats_.writes += static_cast<std::int64_t>(finished);
    // Those the group left for later (out of time) are counted when a later group runs them.
    for (std::size_t i = 0; i < finished; ++i) stats_.queue_wait += group_started - group[i]->queued_at;
  }
  for (std::size_t i = 0; i < finished; ++i) {
    queue_.pop_front();
    group[i]->done = true;
    if (group[i] != &self) group[i]->woken.notify_one();
  }
  if (!queue_.empty()) queue_.front()->woken.notify_one();  // the next leader
}

std::size_t GroupCommit::Queued() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_.size();
}

GroupStats GroupCommit::Stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

std::size_t GroupCommit::Lead(const std::vector<Writer*>& group) {
  auto fail_all = [&](std::size_t count, const Status& status) {
    for (std::size_t i = 0; i < count; ++i)
      if (group[i]->status.ok()) group[i]->status = status;
    return count;
  };
  Result<ConnectionPool::Lease> lease = pool_.Acquire();
  if (!lease.ok()) return fail_all(group.size(), lease.status());
  Db& db = lease->db();
  Result<Transaction> tx = Transaction::Begin(db, Transaction::Mode::kWrite);
  if (!tx.ok()) return fail_all(group.size(), tx.status());

  const auto started = std::chrono::steady_clock::now();
  std::size_t ran = 0;
  bool any_ok = false;
  for (Writer* writer : group) {
    if (ran > 0 && std::chrono::steady_clock::now() - started >= limits_.max_body_time) break;
    ++ran;
    if (!RunInSavepoint(db, *writer)) {
      // Whatever the earlier bodies wrote went with the transaction.
      return fail_all(ran, Status::Internal("the write's transaction was rolled back: " + writer->status.message()));
    }
    any_ok = any_ok || writer->status.ok();
  }
  if (!any_ok) return ran;  // nothing to commit: the transaction rolls back
  if (before_commit_) {
    const Status prepared = before_commit_(db);
    if (!prepared.ok()) return fail_all(ran, prepared);
  }
  const Status committed = tx->Commit();
  if (!committed.ok()) return fail_all(ran, committed);
  if (committed_) committed_();
  return ran;
}

bool GroupCommit::RunInSavepoint(Db& db, Writer& writer) {
  writer.status = db.Prepare("SAVEPOINT one_write").Run();
  if (!writer.status.ok()) return false;
  try {
    writer.status = (*writer.body)(db);
  } catch (...) {
    writer.thrown = std::current_exception();
    writer.status = Status::Internal("the write threw");
  }
  // After some errors (disk full, I/O) SQLite has already rolled the whole transaction back.
  if (!db.InTransaction()) {
    if (writer.status.ok()) writer.status = Status::Internal("sqlite ended the transaction");
    return false;
  }
  if (!writer.status.ok()) {
    const Status undone = db.Prepare("ROLLBACK TO one_write").Run();
    if (!undone.ok()) {
      writer.status = undone;
      return false;
    }
  }
  const Status released = db.Prepare("RELEASE one_write").Run();
  if (released.ok()) return true;
  writer.status = released;
  return false;
}

}  // namespace rectify::sqlite
