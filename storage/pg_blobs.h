// Files kept by content in PostgreSQL's table `blobs` (sha256 TEXT, content BYTEA), the
// counterpart of storage/file_blobs.h: every instance on the database reads every file, and one
// pg_dump holds them all. Bytes travel as hex text (pg_db.h binds text only, and text cannot
// hold NUL bytes).
#pragma once

#include <string>
#include <string_view>

#include "engine/status.h"
#include "storage/pg_db.h"

namespace rectify::pg {

// Stores `bytes` under `sha256` (the caller's ContentHash(bytes)) unless they are there already.
// Run on a connection outside any transaction, it commits on its own before returning (durable:
// the record naming the file may follow), and a large file does not hold the writers' lock
// (pg_database.h) while it travels.
Status WriteBlob(Conn& conn, const std::string& sha256, std::string_view bytes);

// The bytes stored under `sha256`; kNotFound when there are none.
Result<std::string> ReadBlob(Conn& conn, const std::string& sha256);

}  // namespace rectify::pg
