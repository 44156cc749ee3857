// The campaign, town, calendar, county and channel files are configuration that changes outside
// the database (an administrator edits them and restarts). Each start compares their SHA-256 with the last
// start's and, when they differ, records the change in the audit log, so the log shows when the
// rules the engine ran under changed, and to what.
#pragma once

#include <string>
#include <vector>

#include "engine/item_store.h"

namespace rectify::app {

inline constexpr char kAuditConfigChange[] = "config.change";

// Hashes every file of `paths` (an empty path is skipped; a folder stands for the regular files
// in it, in name order; a file named twice counts once); when the result differs from the
// one kept in the store's meta, appends a config.change record naming each file and its hash
// (and the previous fingerprint) and keeps the new one, in one transaction
// (ItemStore::PutMetaIf): of instances starting together on new files, one records the change.
// Returns whether this call recorded it. kNotFound when a file cannot be read.
Result<bool> RecordConfiguration(ItemStore& store, const std::vector<std::string>& paths);

}  // namespace rectify::app
