// Approved extensions (延期) as the notifier honours them: a silence mutes an item's reminders
// until a time, without moving its recorded deadline. The office grants them
// (engine/silence_service.h); the notifier's scan skips silenced items.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/status.h"
#include "engine/time.h"

namespace rectify {

struct Silence {
  std::int64_t id = 0;
  std::int64_t item_id = 0;
  std::string approved_by;
  std::string reason;
  Instant until = 0;
  Instant created_at = 0;
};

// Where silences are kept. Each added silence is recorded in the audit log in its own
// transaction, as every store's writes are. Thread-safe.
class SilenceStore {
 public:
  virtual ~SilenceStore() = default;

  // Stores the silence and returns it with its id. kNotFound when its item does not exist.
  virtual Result<Silence> AddSilence(const Silence& silence) = 0;
  // Silences with until > now, the soonest to end first.
  virtual Result<std::vector<Silence>> ActiveSilences(Instant now) = 0;
  // Ends silence `id` at `at` (its until becomes `at`), recorded in the audit log as done by
  // `actor`; returns it ended. kNotFound unless it is in force at `at`.
  virtual Result<Silence> EndSilence(std::int64_t id, Instant at, const std::string& actor) = 0;
};

}  // namespace rectify
