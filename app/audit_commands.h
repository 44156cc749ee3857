// `rectify audit verify` and `rectify audit export`: the audit log (engine/audit.h) for the
// people who check it. Like app/commands.h, each returns a process exit code and writes what a
// person needs to read to `out`/`err`.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "engine/time.h"

namespace rectify::app {

struct AuditVerifyOptions {
  std::string db_path;  // an existing database file; a missing one is an error, not created
};

// Reads the whole log in seq order, one record at a time, and checks its hash chain.
// Exit code 0 and "audit chain intact: N records" (and the head hash, to keep elsewhere);
// 1 and "audit chain broken at record N: edited|inserted|deleted: ..." at the first bad record;
// 2 when the log could not be read (then nothing is known about the chain).
int AuditVerify(const AuditVerifyOptions& options, std::ostream& out, std::ostream& err);

struct AuditExportOptions {
  std::string db_path;   // an existing database file
  std::string from;      // first day, "YYYY-MM-DD" in Asia/Shanghai
  std::string to;        // last day, included
  std::string format = "csv";  // "csv" or "json"
  std::string actor;     // who exports, for the audit.export record; empty (the command line):
                         // "os:<login name>" of the process
  std::optional<Instant> now;  // the audit.export record's clock (--now); unset: the system clock
};

// Writes the records of the days from..to (inclusive), in seq order, to `out`: CSV (UTF-8,
// RFC 4180 quoting, a header row "seq,at,actor,action,subject,detail,prev_hash,hash") or a JSON
// array of objects with those keys. `at` is written as "YYYY-MM-DDTHH:MM:SS+08:00"; the hash
// covers it as epoch seconds (engine/audit.h). An "audit.export" record naming the range is
// appended first: no export leaves without its record. Exit code 0, or 1 with the reason.
int AuditExport(const AuditExportOptions& options, std::ostream& out, std::ostream& err);

}  // namespace rectify::app
