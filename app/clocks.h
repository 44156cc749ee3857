// The clocks the program runs on. The engine never reads time itself (engine/clock.h).
#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include "engine/clock.h"

namespace rectify {

class SystemClock final : public Clock {
 public:
  Instant Now() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// Runs at normal speed from a chosen starting instant (`--now`), so a 2021 campaign can be
// demonstrated, or a day replayed, while time still passes between requests.
class OffsetClock final : public Clock {
 public:
  explicit OffsetClock(Instant start) : offset_(start - SystemClock().Now()) {}
  Instant Now() const override { return SystemClock().Now() + offset_; }

 private:
  Instant offset_;
};

// The clock of a command: from `now` (--now) when given, else the system clock. Shared, because
// the store stamps audit records on the same clock as everything else.
inline std::shared_ptr<const Clock> MakeClock(const std::optional<Instant>& now) {
  if (now) return std::make_shared<OffsetClock>(*now);
  return std::make_shared<SystemClock>();
}

}  // namespace rectify
