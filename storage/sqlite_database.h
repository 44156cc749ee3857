// One SQLite file as the store adapters share it (sqlite_item_store.h, sqlite_audit_log.h,
// sqlite_attachment_store.h, sqlite_outbox_store.h, sqlite_account_store.h): its connections,
// the write queue, the clock that stamps audit records and the folder of stored files. Items,
// outbox, accounts and files share the file and the queue, so an outbox write queues behind an
// item write instead of failing as busy.
//
// Durability: the file is in WAL mode with synchronous=FULL, so a write that returned Ok has its
// transaction fsynced to the WAL; a crash or kill -9 afterwards loses nothing, and a write that
// had not returned is either wholly there or wholly absent. The WAL is copied back into the
// database by a thread of this object (sqlite_checkpointer.h), never inside a write.
//
// Concurrency: safe from any number of threads. Each read leases its own connection from a
// small pool, so reads run in parallel and never wait for a writer (WAL snapshots). Writes in
// this process queue and commit in groups (sqlite_group_commit.h): the writes waiting at a
// moment share one transaction and one fsync, each in its own savepoint, each answered with
// its own result. History notes wait in a queue (note_text_queue, schema 17) and join the search
// index kNotesPerIndexing at a time, just before a group's COMMIT: FTS5 writes a segment each
// time it is written to. A search reads the notes still queued row by row.
// Another process's writer is waited for up to kBusyTimeoutMs (sqlite_pool.h), after which the
// writes fail with kInternal ("database is locked").
//
// Errors: anything SQLite reports, including a value its schema refuses, is kInternal with its
// message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "engine/audit.h"
#include "engine/clock.h"
#include "engine/status.h"
#include "storage/sqlite_checkpointer.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_group_commit.h"
#include "storage/sqlite_pool.h"

namespace rectify {

class SqliteDatabase {
 public:
  // How many history notes wait for the search index before they join it together: a few
  // milliseconds of FTS5's work in one commit of several hundred (tests write past it).
  static constexpr std::int64_t kNotesPerIndexing = 256;

  // Opens or creates the database at `path`, switches it to WAL and applies the missing
  // schema migrations (sqlite_migrations.h). kInternal when the file cannot be opened, is
  // read-only, or was written by a newer program (its schema version is unknown here).
  // Reads no items: opening costs the same at any size. Audit records are stamped with
  // `clock` (nullptr: the system clock); pass the clock the program runs on (--now).
  static Result<std::unique_ptr<SqliteDatabase>> Open(const std::string& path,
                                                      std::shared_ptr<const Clock> clock = nullptr);
  // Opens the database at `path` for reading only, changing nothing in it (no migration, no
  // checkpoint; every write fails): for commands that only read, on a copy they may not write.
  // kFailedPrecondition when its schema is not this program's (an older one is upgraded by
  // opening a writable copy with Open).
  static Result<std::unique_ptr<SqliteDatabase>> OpenReadOnly(const std::string& path,
                                                              std::shared_ptr<const Clock> clock = nullptr);

  // A connection for reads, returned to the pool when the lease goes away.
  Result<sqlite::ConnectionPool::Lease> Read();

  // Runs `body` in a write transaction (BEGIN IMMEDIATE) and returns its result: committed when
  // `body` returns Ok, undone when it returns an error or throws (the exception reaches the
  // caller). Every write of every adapter goes through here.
  //
  // Writes from concurrent callers may share a transaction (sqlite_group_commit.h); what each
  // caller sees stays as if the writes ran one at a time in arrival order:
  // - `body` sees the writes queued before it (answered, or waiting in its group), never half
  //   of one;
  // - an error of `body` undoes its own changes only (it runs in a savepoint) and reaches only
  //   its caller, e.g. kAborted from a version check; the other writes commit;
  // - Ok means committed and fsynced; the audit records a body appends (Audit) follow the
  //   order of the writes, one unbroken chain;
  // - a failure of the shared transaction itself (COMMIT, disk full, I/O error) fails every
  //   write in it with kInternal, as it would fail a lone write's transaction.
  // `body` may run on another caller's thread while its own caller waits; it must not call
  // Write itself.
  Status Write(const std::function<Status(sqlite::Db&)>& body);

  // How many writes shared each transaction so far (sqlite_group_commit.h).
  sqlite::GroupStats write_stats() const { return writes_.Stats(); }
  // The writes queued or running now.
  std::size_t queued_writes() const { return writes_.Queued(); }

  // Appends `record`, stamped now, to the audit log; only inside a body given to Write, so the
  // record commits or rolls back with the change it records.
  Status Audit(sqlite::Db& db, AuditRecord record) const;

  // A write of its own that appends only `record` (an action that changes nothing else).
  // kInvalidArgument (field "action") when the action is empty.
  Status AppendAudit(const AuditRecord& record);

  // Where stored files live: "<database path>.files", as <first two hex digits>/<sha256>.
  const std::string& files_dir() const { return files_dir_; }

 private:
  SqliteDatabase(const std::string& path, std::shared_ptr<const Clock> clock,
                 sqlite::Access access = sqlite::Access::kReadWrite);

  static constexpr std::size_t kMaxIdleConnections = 16;

  sqlite::ConnectionPool pool_;
  const std::shared_ptr<const Clock> clock_;
  const std::string files_dir_;
  sqlite::GroupCommit writes_;
  std::unique_ptr<sqlite::Checkpointer> checkpointer_;  // takes turns in writes_; stopped first
};

}  // namespace rectify
