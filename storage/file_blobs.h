// Files kept by content: `bytes` whose SHA-256 is H live at <dir>/<H[0..2]>/<H>. A file appears
// under its final name only whole and synced: it is written to a temporary file in the same
// directory, fsynced, renamed into place and the directory fsynced, so a crash at any moment
// leaves either no file or the complete one (and perhaps a stray temporary, never read).
#pragma once

#include <string>
#include <string_view>

#include "engine/status.h"

namespace rectify {

// Stores `bytes` under `sha256` (the caller's ContentHash(bytes)) unless a file is there already.
// kInternal naming the path and the system's reason when the disk refuses.
Status WriteBlob(const std::string& dir, const std::string& sha256, std::string_view bytes);

// The bytes stored under `sha256`; kNotFound when there is no such file.
Result<std::string> ReadBlob(const std::string& dir, const std::string& sha256);

}  // namespace rectify
