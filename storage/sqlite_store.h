// ItemStore, notifier::OutboxStore and accounts::AccountStore on one SQLite file: the store
// of a single-machine deployment. Items, the notifier's outbox and accounts share the file, the
// connections and the write turn, so an outbox write queues behind an item write instead of failing as busy.
//
// Durability: the file is in WAL mode with synchronous=FULL, so a method that returned Ok has
// its transaction fsynced to the WAL; a crash or kill -9 afterwards loses nothing.
//
// Concurrency: safe from any number of threads. Each call leases its own connection from a
// small pool, so reads run in parallel and never wait for a writer (WAL snapshots). Writes in
// this process take turns on a mutex, then BEGIN IMMEDIATE; another process's writer is waited
// for up to kBusyTimeoutMs (sqlite_pool.h), after which the call fails with kInternal
// ("database is locked").
//
// Audit: every write appends its audit records (engine/audit.h, storage/sqlite_audit.h) inside
// its own transaction, stamped with the store's clock; see engine/item_store.h for which.
//
// Errors: expected outcomes are the codes the two interfaces name (kNotFound, kAborted,
// kFailedPrecondition, kInvalidArgument for a bad argument); anything SQLite reports, including
// a value its schema refuses (an empty idempotency key, an unknown audience), is kInternal with
// its message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "accounts/account.h"
#include "engine/audit.h"
#include "engine/clock.h"
#include "engine/item.h"
#include "engine/item_store.h"
#include "engine/status.h"
#include "engine/time.h"
#include "notifier/outbox.h"
#include "storage/sqlite_database.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_pool.h"

namespace rectify {

class SqliteStore : public ItemStore, public notifier::OutboxStore, public accounts::AccountStore {
 public:
  // Opens or creates the database at `path`, switches it to WAL and applies the missing
  // schema migrations (sqlite_migrations.h). kInternal when the file cannot be opened, is
  // read-only, or was written by a newer program (its schema version is unknown here).
  // Reads no items: opening costs the same at any size. Audit records are stamped with
  // `clock` (nullptr: the system clock); pass the clock the program runs on (--now).
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   std::shared_ptr<const Clock> clock = nullptr);

  // The file, its connections and its write turn, for the other adapters of the same database
  // (storage/sqlite_survey_store.h), so that all of them take turns and share one audit chain.
  const std::shared_ptr<sqlite::Database>& database() const { return database_; }

  // kInvalidArgument when the two lists differ in length.
  Result<std::vector<Item>> Insert(std::vector<Item> items, std::vector<EventRecord> created) override;
  Result<Item> Get(ItemKind kind, std::int64_t id) override;
  // kInvalidArgument (field "limit") when query.limit < 1.
  Result<std::vector<Item>> List(const ItemQuery& query) override;
  // kInvalidArgument (field "limit") when query.limit < 1.
  Result<std::vector<Item>> Overdue(const OverdueQuery& query) override;
  // Writes the item as given: its state, fields, household and outcome (an unset household or
  // outcome is removed); id, kind and created_at never change. The event is stored for
  // item.id whatever its item_id says.
  Status Update(const Item& item, const EventRecord& event) override;
  Result<std::vector<EventRecord>> History(ItemKind kind, std::int64_t id) override;
  Status UpdateDeadlines(const std::vector<Item>& items) override;
  Result<std::optional<std::string>> GetMeta(const std::string& key) override;
  Status PutMeta(const std::string& key, const std::string& value) override;

  // The audit log, in sqlite_audit.cc.
  Result<std::vector<AuditRecord>> AuditRange(Instant from, Instant to, std::int64_t after_seq, int limit) override;
  Status ForEachAudit(const std::function<Status(const AuditRecord&)>& visit) override;
  // kInvalidArgument (field "action") when the action is empty. Serves both ItemStore and
  // accounts::AccountStore.
  Status AppendAudit(const AuditRecord& record) override;

  // AttachmentStore (engine/attachments.h), in sqlite_attachments.cc. The files are kept in the
  // directory "<database path>.files", as <first two hex digits>/<sha256>.
  Result<EvidenceFile> AddEvidence(EvidenceFile file, std::string_view bytes) override;
  Result<std::vector<EvidenceFile>> ListEvidence(ItemKind kind, std::int64_t item_id) override;
  Result<std::string> ReadFileBytes(const std::string& sha256) override;
  Result<LedgerHandIn> SubmitLedger(LedgerHandIn handin, std::string_view bytes) override;
  Result<LedgerHandIn> ConfirmLedger(const std::string& unit, const std::string& by, Instant at) override;
  Result<std::vector<LedgerHandIn>> LatestLedgers() override;

  // accounts::AccountStore, in sqlite_accounts.cc.
  Result<accounts::User> AddUser(accounts::User user, const AuditRecord& audit) override;
  Result<accounts::User> FindUserByName(const std::string& username) override;
  Result<accounts::User> GetUser(std::int64_t id) override;
  Result<std::vector<accounts::User>> ListUsers() override;
  Status UpdateUser(const accounts::User& user, const std::optional<accounts::SessionRevocation>& revoke,
                    const AuditRecord& audit) override;
  Result<accounts::Session> AddSession(accounts::Session session, const AuditRecord& audit) override;
  Result<accounts::Session> FindSession(const std::string& token_hash) override;
  Status RevokeSession(const std::string& token_hash, Instant at, const AuditRecord& audit) override;
  Result<std::vector<accounts::Session>> ListTokens(std::int64_t user_id) override;

  // notifier::OutboxStore, in sqlite_outbox.cc.
  Result<int> Enqueue(const std::vector<notifier::OutboxMessage>& messages) override;
  Result<std::vector<notifier::OutboxMessage>> Due(Instant now, int limit) override;
  Status MarkSent(std::int64_t id, Instant at) override;
  Status MarkFailed(std::int64_t id, const std::string& error, Instant next_attempt_at, bool dead) override;
  Result<std::vector<notifier::OutboxMessage>> ListOutbox(std::optional<notifier::OutboxState> state,
                                                          std::int64_t before_id, int limit) override;
  Result<std::vector<std::string>> NotificationLog(const std::string& slot) override;
  Result<notifier::Silence> AddSilence(const notifier::Silence& silence) override;
  Result<std::vector<notifier::Silence>> ActiveSilences(Instant now) override;

 private:
  explicit SqliteStore(std::shared_ptr<sqlite::Database> database)
      : database_(std::move(database)), pool_(database_->pool()), files_dir_(database_->files_dir()) {}

  // database_->Write: every write of the interfaces goes through here.
  Status Write(const std::function<Status(sqlite::Db&)>& body);

  // Appends `record`, stamped now, to the audit log; only inside a body given to Write.
  Status Audit(sqlite::Db& db, AuditRecord record) const;

  const std::shared_ptr<sqlite::Database> database_;
  sqlite::ConnectionPool& pool_;  // database_'s
  const std::string files_dir_;
};

}  // namespace rectify
