// The reads of the notifier's outbox whose plans matter, as SQL text plus parameters
// (SqlQuery, sqlite_item_reads.h) so tests can ask SQLite how it plans them (EXPLAIN QUERY
// PLAN). SqliteOutboxStore (sqlite_outbox_store.h) runs them, and does the outbox's writes, in
// sqlite_outbox.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/time.h"
#include "notifier/outbox.h"
#include "storage/sqlite_item_reads.h"

namespace rectify::sqlite {

// The messages due at `now` that `claimant` may take (outbox.h's Due), read through the partial
// index outbox_due only.
SqlQuery DueMessagesSql(Instant now, int limit, const std::string& claimant);


}  // namespace rectify::sqlite
