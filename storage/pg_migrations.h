// The PostgreSQL schema as an ordered list of migrations, versioned as SQLite's is
// (sqlite_migrations.h): the table schema_version holds the number of migrations applied, and
// Migrate applies the missing ones in order, each in its own transaction, under an advisory
// lock so that instances starting at once migrate one at a time.
//
// Version 1 is the whole schema as SQLite's version 16 left it, in PostgreSQL's words; version 2
// is SQLite's 17; later steps are appended to both lists together. Never edit a migration that has shipped.
#pragma once

#include <vector>

#include "engine/status.h"
#include "storage/pg_db.h"

namespace rectify::pg {

struct Migration {
  int version;
  const char* sql;
};

const std::vector<Migration>& SchemaMigrations();

// The schema version stored in the database (0 for an empty one).
Result<int> SchemaVersion(Conn& conn);

// As sqlite::Migrate: kInternal, touching nothing, when the database is newer than the list.
Status Migrate(Conn& conn, const std::vector<Migration>& migrations);

}  // namespace rectify::pg
