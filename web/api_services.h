// What the API calls, campaign by campaign. Every rule lives in these services: a handler parses
// the request, calls one (or, for a page made of several, a few) and encodes the answer.
#pragma once

#include "accounts/account_service.h"
#include "engine/audit_service.h"
#include "engine/campaign.h"
#include "engine/deployment.h"
#include "engine/deployment_service.h"
#include "engine/evidence_service.h"
#include "engine/household_survey.h"
#include "engine/item_service.h"
#include "engine/ledger_service.h"
#include "engine/report_service.h"
#include "engine/silence_service.h"
#include "notifier/outbox.h"
#include "ops/metrics.h"

#include <functional>
#include <vector>

namespace rectify::web {

struct ApiServices {
  ItemService& items;
  HouseholdSurvey& survey;
  EvidenceService& evidence;
  LedgerService& ledgers;
  SilenceService& silences;
  AuditService& audit;
  ReportService& reports;
  notifier::OutboxReader& outbox;
  accounts::AccountService& accounts;  // the deployment's, shared by its campaigns
};

// One campaign as the API serves it (/api/campaigns/{id}/..., web/api_server.h).
struct CampaignApi {
  const Campaign* campaign;
  ApiServices services;
};

// The whole deployment as the API serves it: each campaign's services, the deployment's own
// service across them and the accounts, which every campaign shares.
struct DeploymentApi {
  const Deployment& deployment;
  std::vector<CampaignApi> campaigns;
  DeploymentService& overview;
  accounts::AccountService& accounts;
  // The process's figures (GET /metrics), which the server adds its requests and transitions
  // to, and the notifier's last pass (GET /api/health).
  ops::Metrics& metrics;
  // A trivial query of the database, for GET /api/health.
  std::function<Status()> check_database;
};

}  // namespace rectify::web
