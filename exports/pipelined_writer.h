// A FormWriter that hands every call on to another writer on a thread of its own, so that a long
// form is printed while its next rows are still being read: the ledger of one unit at a million
// items spends a third of its time reading the store and two thirds in the XLSX writer, and on
// two cores the two overlap (bench/README.md). The rows wait in a queue of at most kQueuedRows,
// so a form of any length still holds only a few rows at a time.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <thread>

#include "exports/table.h"

namespace rectify::exports {

class PipelinedWriter final : public FormWriter {
 public:
  static constexpr std::size_t kQueuedRows = 256;

  explicit PipelinedWriter(FormWriter& out) : out_(out) {}
  // A form abandoned before End (its caller failed) stops the thread; `out` is left unfinished.
  ~PipelinedWriter() override;

  // Begin runs on the caller's thread (a frame error is known at once); the rows and End run on
  // the printing thread, in order. Add answers the first error `out` has given so far, so a
  // caller stops soon after a failure, and End answers it at the latest.
  Status Begin(const FormFrame& frame) override;
  Status Add(const Row& row) override;
  Status End(const std::vector<std::string>& notes, const std::vector<std::string>& closing) override;

 private:
  void Print();
  Status Failure();

  FormWriter& out_;
  std::thread printer_;
  std::mutex mutex_;
  std::condition_variable queued_;   // a row, the end or an abandonment is waiting for the printer
  std::condition_variable drained_;  // the queue has room again, or the printer stopped
  std::deque<Row> rows_;
  bool begun_ = false;
  bool ending_ = false;
  bool abandoned_ = false;
  bool printing_ = false;  // the printer is running
  std::vector<std::string> notes_;
  std::vector<std::string> closing_;
  Status status_;  // the first error of `out`
};

}  // namespace rectify::exports
