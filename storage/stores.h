// Every store port of one deployment, on one backend: what the program opens at start and hands
// to the engine's services, the notifier, the accounts and the web layer. A backend implements
// each port on one database (sqlite_stores.h; PostgreSQL for deployments that outgrow one
// machine), and the contract tests (tests/storage/contract/) run against every backend.
#pragma once

#include <memory>
#include <string>

#include "accounts/account.h"
#include "engine/attachments.h"
#include "engine/audit_log.h"
#include "engine/clock.h"
#include "engine/item_store.h"
#include "engine/silences.h"
#include "engine/status.h"
#include "engine/survey_store.h"
#include "notifier/outbox.h"
#include "ops/metrics.h"

namespace rectify {

class Stores {
 public:
  virtual ~Stores() = default;

  virtual ItemStore& items() = 0;
  virtual AuditLog& audit() = 0;
  virtual AttachmentStore& attachments() = 0;
  virtual notifier::OutboxStore& outbox() = 0;
  virtual SilenceStore& silences() = 0;
  virtual accounts::AccountStore& accounts() = 0;
  virtual SurveyStore& survey() = 0;

  // An upgraded database holds rows written before a deployment served several campaigns:
  // items, ledger hand-ins and survey households with no campaign, users with no town.
  // HasUnowned says whether any is left; AdoptUnowned gives them all to `campaign` and `town` in
  // one transaction, audited ("deployment.adopt"), and returns how many rows it changed.
  virtual Result<bool> HasUnowned() = 0;
  virtual Result<int> AdoptUnowned(const std::string& campaign, const std::string& town) = 0;

  // A trivial query (GET /api/health): Ok when the database answers, else why not.
  virtual Status Ping() = 0;
  // What this process's writers have waited for since the database was opened (GET /metrics).
  virtual ops::WriteQueueFigures WriteQueue() const = 0;
};

// The stores of the database at `where`: a postgresql:// URL connects to PostgreSQL
// (pg_stores.h), anything else is a file path that opens (or creates) a SQLite database.
// Audit records are stamped with `clock` (nullptr: the system clock). kInternal when it cannot
// be opened (see SqliteDatabase::Open).
Result<std::unique_ptr<Stores>> OpenStores(const std::string& where, std::shared_ptr<const Clock> clock = nullptr);

// As OpenStores, but only a database that exists and holds rectify's schema; kNotFound for a
// missing file or a PostgreSQL database rectify never wrote to (a typo in --db must neither
// create a file nor fill an empty database, and an empty audit log would pass for an intact one).
Result<std::unique_ptr<Stores>> OpenExistingStores(const std::string& where,
                                                   std::shared_ptr<const Clock> clock = nullptr);

// As OpenExistingStores, for a command that only reads (audit verify, user list): a SQLite file
// this process may not write (a copy handed to an auditor, read-only media) is opened for
// reading only, if its schema is this program's (SqliteDatabase::OpenReadOnly).
Result<std::unique_ptr<Stores>> OpenExistingStoresToRead(const std::string& where,
                                                         std::shared_ptr<const Clock> clock = nullptr);

}  // namespace rectify
