// Where "now" comes from. The engine never reads a clock: the web server, the command line and
// the notifier hold a Clock and pass its reading into every command, so tests and demos can
// set the time (a 2021 campaign demonstrated in 2026 runs on a 2021 clock).
#pragma once

#include <atomic>

#include "engine/time.h"

namespace rectify {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant Now() const = 0;
};

// Stands still until told to move. For tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Instant now) : now_(now) {}
  Instant Now() const override { return now_.load(); }
  void Set(Instant now) { now_.store(now); }
  void Advance(Instant seconds) { now_.fetch_add(seconds); }

 private:
  std::atomic<Instant> now_;
};

}  // namespace rectify
