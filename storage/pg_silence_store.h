// SilenceStore (engine/silences.h) on a PgDatabase: the silences table, each change audited in
// its own transaction. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "engine/silences.h"
#include "storage/pg_database.h"

namespace rectify {

class PgSilenceStore final : public SilenceStore {
 public:
  // `database` must outlive the store.
  explicit PgSilenceStore(PgDatabase& database) : database_(database) {}

  Result<Silence> AddSilence(const Silence& silence) override;
  Result<std::vector<Silence>> ActiveSilences(Instant now) override;
  Result<Silence> EndSilence(std::int64_t id, Instant at, const std::string& actor) override;

 private:
  PgDatabase& database_;
};

}  // namespace rectify
