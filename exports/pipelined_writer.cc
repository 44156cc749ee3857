#include "exports/pipelined_writer.h"

#include <utility>

namespace rectify::exports {

PipelinedWriter::~PipelinedWriter() {
  if (!printer_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    abandoned_ = true;
  }
  queued_.notify_one();
  printer_.join();
}

Status PipelinedWriter::Begin(const FormFrame& frame) {
  if (begun_) return Status::Internal("form: begun twice");
  begun_ = true;
  RECTIFY_RETURN_IF_ERROR(out_.Begin(frame));
  printing_ = true;
  printer_ = std::thread([this] { Print(); });
  return Status::Ok();
}

Status PipelinedWriter::Failure() {
  return status_.ok() ? Status::Internal("form: no form being printed") : status_;
}

Status PipelinedWriter::Add(const Row& row) {
  std::unique_lock<std::mutex> lock(mutex_);
  drained_.wait(lock, [this] { return rows_.size() < kQueuedRows || !printing_; });
  if (!printing_ || ending_) return Failure();
  rows_.push_back(row);
  lock.unlock();
  queued_.notify_one();
  return Status::Ok();
}

Status PipelinedWriter::End(const std::vector<std::string>& notes, const std::vector<std::string>& closing) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!printer_.joinable() || ending_) return Failure();
    notes_ = notes;
    closing_ = closing;
    ending_ = true;
  }
  queued_.notify_one();
  printer_.join();
  return status_;
}

void PipelinedWriter::Print() {
  Status failed;
  for (bool end = false; !end && failed.ok();) {
    std::deque<Row> batch;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      queued_.wait(lock, [this] { return !rows_.empty() || ending_ || abandoned_; });
      if (abandoned_) break;
      batch.swap(rows_);
      end = ending_;  // the last row was queued before the end: all of them are in this batch
    }
    drained_.notify_one();
    for (const Row& row : batch) {
      failed = out_.Add(row);
      if (!failed.ok()) break;
    }
    if (end && failed.ok()) failed = out_.End(notes_, closing_);
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    status_ = std::move(failed);
    printing_ = false;
  }
  drained_.notify_one();
}

}  // namespace rectify::exports
