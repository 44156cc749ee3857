// What a town's people read of the deployment's audit log, which is one chain for every town
// (engine/audit_service.h AuditScope): the records about the campaign's items ("problem 12"),
// and those about or by the town's users ("user li.lei"). A county-level reader reads them all.
// Records of the program itself about nothing of the town (a changed campaign file, the
// notifier's outbox) and failed logins of unknown usernames are the county's to read.
#pragma once

#include "accounts/account.h"
#include "engine/audit_service.h"
#include "engine/campaign.h"
#include "engine/item_store.h"

namespace rectify::app {

// All three must outlive the scope.
AuditScope TownAuditScope(const Campaign& campaign, ItemStore& campaign_items, accounts::AccountStore& accounts);

}  // namespace rectify::app
