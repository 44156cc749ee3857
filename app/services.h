// The services of a deployment (engine/deployment.h) over one backend's stores: what `serve` and
// `demo` run, and the tests' servers too, so they are wired the one way. Each campaign has its
// own services over its own view of the stores (CampaignItemStore, CampaignSurveyStore), so none
// can read or touch another campaign's items; the accounts are the deployment's. The deployment
// and the stores must outlive the services.
#pragma once

#include <memory>
#include <set>
#include <vector>

#include "accounts/account_service.h"
#include "app/town_audit_scope.h"
#include "engine/audit_service.h"
#include "engine/campaign.h"
#include "engine/campaign_item_store.h"
#include "engine/campaign_survey_store.h"
#include "engine/deployment.h"
#include "engine/deployment_service.h"
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

class CampaignServices {
 public:
  // `several_towns`: the deployment serves more than one town, so a town's people read only
  // their town's share of the audit log (app/town_audit_scope.h).
  CampaignServices(const Campaign& campaign, Stores& stores, accounts::AccountService& accounts, bool several_towns)
      : campaign_(campaign),
        stores_(stores),
        item_store_(stores.items(), campaign.id),
        survey_store_(stores.survey(), campaign.id),
        items_(campaign, item_store_),
        survey_(campaign, survey_store_, items_),
        evidence_(items_, stores.attachments()),
        ledgers_(campaign, item_store_, stores.attachments()),
        silences_(campaign, stores.silences(), item_store_),
        audit_(campaign, stores.audit(),
               several_towns ? TownAuditScope(campaign, item_store_, stores.accounts()) : AuditScope{}),
        reports_(campaign, items_, item_store_),
        outbox_(campaign, stores.outbox()),
        accounts_(accounts) {}

  CampaignServices(const CampaignServices&) = delete;
  CampaignServices& operator=(const CampaignServices&) = delete;

  const Campaign& campaign() const { return campaign_; }
  ItemService& items() { return items_; }

  // What the API server calls for this campaign.
  web::ApiServices Api() {
    return {items_, survey_, evidence_, ledgers_, silences_, audit_, reports_, outbox_, accounts_};
  }
  notifier::OutboxReader& outbox() { return outbox_; }
  // What the deployment's own service reads of this campaign.
  CampaignPorts Ports() { return {&campaign_, items_, item_store_, stores_.attachments()}; }
  // What the notifier reads and writes for this campaign.
  notifier::NotifierStores Notifier() {
    return {item_store_, stores_.attachments(), stores_.silences(), stores_.outbox(), &survey_store_};
  }

 private:
  const Campaign& campaign_;
  Stores& stores_;
  CampaignItemStore item_store_;
  CampaignSurveyStore survey_store_;
  ItemService items_;
  HouseholdSurvey survey_;
  EvidenceService evidence_;
  LedgerService ledgers_;
  SilenceService silences_;
  AuditService audit_;
  ReportService reports_;
  notifier::OutboxReader outbox_;
  accounts::AccountService& accounts_;
};

class DeploymentServices {
 public:
  DeploymentServices(const Deployment& deployment, Stores& stores, accounts::AccountPolicy policy = {})
      : deployment_(deployment), stores_(stores), accounts_(stores.accounts(), policy) {
    ReadAtEveryScrape();
    std::vector<CampaignPorts> ports;
    for (const auto& campaign : deployment.campaigns) {
      campaigns_.push_back(
          std::make_unique<CampaignServices>(*campaign, stores, accounts_, deployment.towns.size() > 1));
      ports.push_back(campaigns_.back()->Ports());
    }
    overview_ = std::make_unique<DeploymentService>(deployment, std::move(ports), stores.items());
  }

  const Deployment& deployment() const { return deployment_; }
  accounts::AccountService& accounts() { return accounts_; }
  DeploymentService& overview() { return *overview_; }
  const std::vector<std::unique_ptr<CampaignServices>>& campaigns() { return campaigns_; }
  // The services of the campaign with this id; nullptr when the deployment has none.
  CampaignServices* Find(const std::string& campaign_id) {
    for (auto& services : campaigns_)
      if (services->campaign().id == campaign_id) return services.get();
    return nullptr;
  }
  // Every campaign's stores, for the deployment's one notifier.
  std::vector<notifier::CampaignSource> Notifier() {
    std::vector<notifier::CampaignSource> out;
    for (auto& services : campaigns_) out.push_back({&services->campaign(), services->Notifier()});
    return out;
  }
  // The units the channel file gives a channel, for each campaign's outbox page; before serving.
  void SetRoutedUnits(const std::set<std::string>& units) {
    for (auto& services : campaigns_) services->outbox().SetRoutedUnits(units);
  }
  // What the server serves.
  web::DeploymentApi Api() {
    std::vector<web::CampaignApi> campaigns;
    for (auto& services : campaigns_) campaigns.push_back(web::CampaignApi{&services->campaign(), services->Api()});
    return {deployment_, std::move(campaigns), *overview_, accounts_, metrics_, [this] { return stores_.Ping(); }};
  }
  // The process's figures: the server's, the notifier loop's, and what each scrape reads.
  ops::Metrics& metrics() { return metrics_; }

 private:
  // The outbox's depth by state (the deployment's) and this process's write queue.
  void ReadAtEveryScrape() {
    metrics_.OnScrape([this](ops::Metrics& metrics) {
      for (const notifier::OutboxState state : {notifier::OutboxState::kPending, notifier::OutboxState::kSent,
                                                notifier::OutboxState::kFailed, notifier::OutboxState::kDead}) {
        const Result<std::int64_t> count = stores_.outbox().CountOutbox(state, {});
        if (count.ok()) metrics.SetOutboxDepth(notifier::OutboxStateName(state), *count);
      }
      metrics.SetWriteQueue(stores_.WriteQueue());
    });
  }

  const Deployment& deployment_;
  Stores& stores_;
  ops::Metrics metrics_;
  accounts::AccountService accounts_;
  std::vector<std::unique_ptr<CampaignServices>> campaigns_;
  std::unique_ptr<DeploymentService> overview_;
};

}  // namespace rectify::app
