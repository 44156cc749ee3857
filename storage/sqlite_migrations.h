// The SQLite schema as an ordered list of migrations. The database's `PRAGMA user_version` is
// the number of migrations applied; Open applies the missing ones in order, each in its own
// write transaction, so a database of any older version is brought up to date step by step
// and a failed step leaves it at the previous version.
//
// Never edit a migration that has shipped: append a new one.
#pragma once

#include <vector>

#include "engine/status.h"
#include "storage/sqlite_db.h"

namespace rectify::sqlite {

struct Migration {
  int version;      // the user_version after this step: 1, 2, 3, ... in list order
  const char* sql;  // one or more statements, run as one transaction
};

// rectify's schema, oldest step first.
const std::vector<Migration>& SchemaMigrations();

// The schema version stored in the database file (0 for a new file).
Result<int> SchemaVersion(Db& db);

// Applies the steps of `migrations` newer than the database's version. kInternal, without
// touching the file, when the database is newer than the last step (written by a later
// program) or the list is not numbered 1, 2, 3, ...; kInternal with SQLite's message when a
// step fails, the database then staying at the last step that succeeded.
Status Migrate(Db& db, const std::vector<Migration>& migrations);

}  // namespace rectify::sqlite
