// Every service of one campaign over one backend's stores: what `serve` and `demo` run, and the
// tests' servers too, so they are wired the one way. Owns the services; the campaign and the
// stores must outlive it.
#pragma once

#include "accounts/account_service.h"
#include "engine/audit_service.h"
#include "engine/campaign.h"
#include "engine/evidence_service.h"
#include "engine/household_survey.h"
#include "engine/item_service.h"
#include "engine/ledger_service.h"
#include "engine/report_service.h"
#include "engine/silence_service.h"
#include "notifier/notifier.h"
#include "notifier/outbox.h"
#include "storage/stores.h"
#include "web/api_server.h"

namespace rectify::app {

// What the notifier reads and writes, of one backend's stores.
inline notifier::NotifierStores NotifierStoresOf(Stores& stores) {
  return {stores.items(), stores.attachments(), stores.silences(), stores.outbox(), &stores.survey()};
}

class CampaignServices {
 public:
  CampaignServices(const Campaign& campaign, Stores& stores, accounts::AccountPolicy policy = {})
      : items_(campaign, stores.items()),
        survey_(campaign, stores.survey(), items_),
        evidence_(items_, stores.attachments()),
        ledgers_(campaign, stores.items(), stores.attachments()),
        silences_(campaign, stores.silences()),
        audit_(campaign, stores.audit()),
        reports_(campaign, items_, stores.items()),
        outbox_(campaign, stores.outbox()),
        accounts_(stores.accounts(), policy) {}

  CampaignServices(const CampaignServices&) = delete;
  CampaignServices& operator=(const CampaignServices&) = delete;

  ItemService& items() { return items_; }
  accounts::AccountService& accounts() { return accounts_; }

  // What the API server calls.
  web::ApiServices Api() {
    return {items_, survey_, evidence_, ledgers_, silences_, audit_, reports_, outbox_, accounts_};
  }
 private:
  ItemService items_;
  HouseholdSurvey survey_;
  EvidenceService evidence_;
  LedgerService ledgers_;
  SilenceService silences_;
  AuditService audit_;
  ReportService reports_;
  notifier::OutboxReader outbox_;
  accounts::AccountService accounts_;
};

}  // namespace rectify::app
