// `rectify migrate-db --from FILE --to URL`: moves a SQLite deployment to PostgreSQL
// (storage/migrate_db.h). Returns the process exit code.
#pragma once

#include <iosfwd>
#include <string>

namespace rectify::app {

struct MigrateDbOptions {
  std::string from;  // the SQLite database file
  std::string to;    // postgresql:// URL of an empty database (its schema is created)
};

// Copies, verifies and prints what was copied: 0 when every check held; 1 with the reason
// otherwise (PostgreSQL then holds nothing of the copy).
int MigrateDb(const MigrateDbOptions& options, std::ostream& out, std::ostream& err);

}  // namespace rectify::app
