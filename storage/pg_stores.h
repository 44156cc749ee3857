// Every store port on one PostgreSQL database (storage/stores.h): one PgDatabase and an adapter
// per port over it, as sqlite_stores.h is for SQLite. Any number of rectify instances may hold
// stores on the same database at once.
#pragma once

#include <memory>
#include <string>

#include "storage/pg_account_store.h"
#include "storage/pg_attachment_store.h"
#include "storage/pg_audit_log.h"
#include "storage/pg_database.h"
#include "storage/pg_item_store.h"
#include "storage/pg_outbox_store.h"
#include "storage/pg_silence_store.h"
#include "storage/pg_survey_store.h"
#include "storage/stores.h"

namespace rectify {

// True for what names a PostgreSQL database rather than a SQLite file: a postgresql:// or
// postgres:// URL.
bool IsPostgresUrl(const std::string& where);

class PgStores final : public Stores {
 public:
  // As PgDatabase::Open.
  static Result<std::unique_ptr<PgStores>> Open(const std::string& url, std::shared_ptr<const Clock> clock = nullptr);
  // Whether the database at `url` holds rectify's schema, without changing it.
  static Result<bool> HoldsRectify(const std::string& url);

  ItemStore& items() override { return items_; }
  AuditLog& audit() override { return audit_; }
  AttachmentStore& attachments() override { return attachments_; }
  notifier::OutboxStore& outbox() override { return outbox_; }
  SilenceStore& silences() override { return silences_; }
  accounts::AccountStore& accounts() override { return accounts_; }
  SurveyStore& survey() override { return survey_; }
  PgDatabase& database() { return *database_; }
  Result<bool> HasUnowned() override;
  Result<int> AdoptUnowned(const std::string& campaign, const std::string& town) override;
  Status Ping() override;
  ops::WriteQueueFigures WriteQueue() const override { return database_->WriteQueue(); }

 private:
  explicit PgStores(std::unique_ptr<PgDatabase> database)
      : database_(std::move(database)),
        items_(*database_),
        audit_(*database_),
        attachments_(*database_),
        outbox_(*database_),
        silences_(*database_),
        accounts_(*database_),
        survey_(*database_) {}

  std::unique_ptr<PgDatabase> database_;
  PgItemStore items_;
  PgAuditLog audit_;
  PgAttachmentStore attachments_;
  PgOutboxStore outbox_;
  PgSilenceStore silences_;
  PgAccountStore accounts_;
  PgSurveyStore survey_;
};

}  // namespace rectify
