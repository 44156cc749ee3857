// Stored files on PostgreSQL: the bytes of every evidence file, ledger hand-in and survey photo
// are rows of the table `blobs` (sha256 TEXT PRIMARY KEY, content BYTEA), kept once under their
// SHA-256. In the database rather than in a directory beside it, so that every instance on the
// database reads every file and one pg_dump holds all of them; written in the same transaction
// as the record that names them, so a record never names a missing file.
//
// The bytes travel hex-encoded (decode/encode on the server): pg_db.h sends values as text,
// and text cannot hold the NUL bytes every image has.
#pragma once

#include <string>
#include <string_view>

#include "engine/status.h"
#include "storage/pg_db.h"

namespace rectify::pg {

// Stores `bytes` under `sha256` (the caller's ContentHash(bytes)) unless they are there already;
// inside the caller's write transaction.
Status PutBlob(Conn& conn, const std::string& sha256, std::string_view bytes);

// The bytes stored under `sha256`; kNotFound when there are none (or `sha256` is no hash).
Result<std::string> GetBlob(Conn& conn, const std::string& sha256);

}  // namespace rectify::pg
