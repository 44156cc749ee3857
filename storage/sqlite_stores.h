// Every store port on one SQLite file (storage/stores.h): one SqliteDatabase and an adapter per
// port over it. Tests that need the SQLite side itself (the database object, its file) use this
// type; the program uses OpenStores.
#pragma once

#include <memory>
#include <string>

#include "storage/sqlite_account_store.h"
#include "storage/sqlite_attachment_store.h"
#include "storage/sqlite_audit_log.h"
#include "storage/sqlite_database.h"
#include "storage/sqlite_item_store.h"
#include "storage/sqlite_outbox_store.h"
#include "storage/sqlite_silence_store.h"
#include "storage/sqlite_survey_store.h"
#include "storage/stores.h"

namespace rectify {

class SqliteStores final : public Stores {
 public:
  // As SqliteDatabase::Open.
  static Result<std::unique_ptr<SqliteStores>> Open(const std::string& path,
                                                    std::shared_ptr<const Clock> clock = nullptr);
  // As SqliteDatabase::OpenReadOnly: every read works, every write fails.
  static Result<std::unique_ptr<SqliteStores>> OpenReadOnly(const std::string& path,
                                                            std::shared_ptr<const Clock> clock = nullptr);

  ItemStore& items() override { return items_; }
  AuditLog& audit() override { return audit_; }
  AttachmentStore& attachments() override { return attachments_; }
  notifier::OutboxStore& outbox() override { return outbox_; }
  SilenceStore& silences() override { return silences_; }
  accounts::AccountStore& accounts() override { return accounts_; }
  SurveyStore& survey() override { return survey_; }
  SqliteDatabase& database() { return *database_; }
  Result<bool> HasUnowned() override;
  Result<int> AdoptUnowned(const std::string& campaign, const std::string& town) override;
  Status Ping() override;
  ops::WriteQueueFigures WriteQueue() const override;

 private:
  explicit SqliteStores(std::unique_ptr<SqliteDatabase> database)
      : database_(std::move(database)),
        items_(*database_),
        audit_(*database_),
        attachments_(*database_),
        outbox_(*database_),
        silences_(*database_),
        accounts_(*database_),
        survey_(*database_) {}

  std::unique_ptr<SqliteDatabase> database_;
  SqliteItemStore items_;
  SqliteAuditLog audit_;
  SqliteAttachmentStore attachments_;
  SqliteOutboxStore outbox_;
  SqliteSilenceStore silences_;
  SqliteAccountStore accounts_;
  SqliteSurveyStore survey_;
};

}  // namespace rectify
