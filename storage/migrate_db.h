// Moving a deployment from its SQLite file to PostgreSQL (`rectify migrate-db`): every row of
// every table and every stored file, copied as they are (ids, versions, the audit chain's seqs
// and hashes), in one PostgreSQL transaction, then checked.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "engine/status.h"

namespace rectify {

struct MigrationReport {
  std::map<std::string, std::int64_t> rows;  // table -> rows copied (equal on both sides)
  std::int64_t files = 0;                    // stored files copied into the database
  std::int64_t audit_records = 0;            // the chain, verified on PostgreSQL after the copy
  std::string audit_head;                    // its last hash, the same on both sides
};

// Copies the SQLite database at `sqlite_path` (brought to the current schema first, as any
// open does) into the PostgreSQL database at `pg_url` (its schema created if missing), then
// verifies: each table's row count equal on both sides, every stored file present, the audit
// chain intact on PostgreSQL and its head hash equal to SQLite's.
// kNotFound when the file does not exist; kFailedPrecondition when the PostgreSQL database
// already holds rectify rows (nothing is written then); kInternal when a copy or a check fails
// (a failed copy leaves PostgreSQL as it was: one transaction).
Result<MigrationReport> MigrateSqliteToPostgres(const std::string& sqlite_path, const std::string& pg_url);

}  // namespace rectify
