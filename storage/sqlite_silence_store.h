// SilenceStore (engine/silences.h) on a SqliteDatabase: the silences table, each silence added
// audited in its own transaction. Thread-safe.
#pragma once

#include <vector>

#include "engine/silences.h"
#include "storage/sqlite_database.h"
#include "storage/sqlite_item_reads.h"

namespace rectify {
namespace sqlite {

// The silences in force at `now`, read through the index silences_until (its plan is tested).
SqlQuery ActiveSilencesSql(Instant now);

}  // namespace sqlite

class SqliteSilenceStore final : public SilenceStore {
 public:
  // `database` must outlive the store.
  explicit SqliteSilenceStore(SqliteDatabase& database) : database_(database) {}

  Result<Silence> AddSilence(const Silence& silence) override;
  Result<std::vector<Silence>> ActiveSilences(Instant now) override;
  Result<Silence> EndSilence(std::int64_t id, Instant at, const std::string& actor) override;

 private:
  SqliteDatabase& database_;
};

}  // namespace rectify
