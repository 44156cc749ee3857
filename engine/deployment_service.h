// What a deployment (engine/deployment.h) answers across its campaigns: the campaigns a person
// may see with their phase and headline figures, the county's roll-up per town and campaign,
// and carry-over (回头看), which moves an open problem of an ended campaign into a later one of
// the same town. Every per-campaign rule stays with that campaign's services; this service only
// chooses the campaigns and adds them up.
//
// Thread-safe if the stores are.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/attachments.h"
#include "engine/campaign.h"
#include "engine/data_error.h"
#include "engine/deployment.h"
#include "engine/item_service.h"
#include "engine/item_store.h"
#include "engine/status.h"

namespace rectify {

// One campaign's view, as its own services hold it (app/services.h).
struct CampaignPorts {
  const Campaign* campaign;
  ItemService& items;  // over `store`
  ItemStore& store;    // the campaign's own items only (engine/campaign_item_store.h)
  AttachmentStore& attachments;
};

// Problems count from the day they arrived in the campaign: a carried problem's earlier
// history (and its send-backs in the campaign it came from) belongs to that campaign.
struct CampaignFigures {
  int problems = 0;
  int open = 0;
  int overdue = 0;         // open past the deadline in force
  int closed_on_time = 0;
  int closed_late = 0;
  int send_backs = 0;      // every send-back, a problem sent back twice counting twice
  int carried_in = 0;      // problems carried in from an earlier campaign
  int enrollments = 0;
  int enrollments_overdue = 0;
  int ledgers_due = 0;     // units that owe a ledger (台账)
  int ledgers_handed_in = 0;

  void Add(const CampaignFigures& other);
};

struct CampaignSummary {
  const Campaign* campaign = nullptr;
  std::optional<CivilDate> start;  // its first phase's first day
  std::optional<CivilDate> end;    // its last phase's last day
  const Phase* phase = nullptr;    // the phase of as_of's day (or the last one begun); nullptr outside
  // Every phase whose window holds as_of's day, in the campaign's order: phases overlap on
  // purpose (组织实施 runs on while 检查验收 starts), so a day may be in two.
  std::vector<const Phase*> phases_in_force;
  bool ended = false;              // as_of is after its last day
  CampaignFigures figures;         // over the items the person may see
  std::vector<DataError> data_errors;
};

struct TownRollup {
  const Town* town = nullptr;
  std::vector<CampaignSummary> campaigns;
  CampaignFigures total;
};

struct Rollup {
  Instant as_of = 0;
  std::vector<TownRollup> towns;  // the deployment's order; only towns with a campaign counted
  CampaignFigures total;
};

struct CarryOverInput {
  std::optional<Instant> deadline;  // unset: the new campaign's default rule for problems
  std::optional<int> area;          // needed when the new campaign has no area of that number
  // Another responsible unit there, where it could be reassigned (needed when its unit was merged
  // or retired and the new campaign has no unit of that id); it is asked to sign (签收).
  std::optional<std::string> unit;
};

class DeploymentService {
 public:
  // Everything must outlive the service; `campaigns` holds every campaign of `deployment`.
  // `all_items` is the deployment's whole item store, used only to move a carried problem.
  DeploymentService(const Deployment& deployment, std::vector<CampaignPorts> campaigns, ItemStore& all_items)
      : deployment_(deployment), campaigns_(std::move(campaigns)), all_items_(all_items) {}

  // The campaigns `actor` may see, in the deployment's order; the figures count what the actor
  // may see in each (a unit member: their unit's).
  Result<std::vector<CampaignSummary>> Campaigns(const Actor& actor, Instant as_of);

  // Per town and campaign, over the campaigns in which `actor` sees every item (a town's
  // office and leaders: their town; the county's leaders and supervisors: every town). The
  // town's and the county's totals add up the campaigns not ended at `as_of`; an ended one is
  // listed, not added (its open problems go on in the next campaign by 回头看).
  // kPermissionDenied when there is none.
  Result<Rollup> RollUp(const Actor& actor, Instant as_of);

  // Carries open problem `id` of campaign `from` into campaign `to` at `now` (回头看): a new problem
  // of `to` begins in the state the old one stood in, with a carry_over row, `carried_from`,
  // `carried_from_id` and `carried_at` set, its send-back and reopen counts started afresh and
  // its deadline from `input` or `to`'s default rule; the old one stays in `from` as it stood,
  // with a carried_out row and `carried_to`, `carried_to_id` set (ItemStore::CarryOver: both or
  // neither). Returns the new problem.
  // kNotFound: an unknown campaign or one the actor may not see, or a problem not in `from`;
  // kPermissionDenied: the actor may not create problems in `to`; kFailedPrecondition: `from`
  // has not ended, `to` is not later or has ended, another town's campaign, a closed problem,
  // one carried already (reason carried_over); kInvalidArgument ("area", "source", "deadline",
  // "unit") for what `to` does not know; kUnprocessable ("unit") for a unit that `to` does not
  // have and none given, or a unit given where the problem could not be reassigned.
  Result<ItemView> CarryOver(const std::string& from, const std::string& to, std::int64_t id,
                             const CarryOverInput& input, const Actor& actor, Instant now);

 private:
  const CampaignPorts* Find(const std::string& id, const Actor& actor) const;
  // CarryOver's one attempt: kAborted when the old problem changed between its read and its write.
  Result<ItemView> CarryOverOnce(const std::string& from, const std::string& to, std::int64_t id,
                                 const CarryOverInput& input, const Actor& actor, Instant now);
  Result<CampaignSummary> Summarise(const CampaignPorts& ports, const Actor& actor, Instant as_of, bool whole) const;

  const Deployment& deployment_;
  const std::vector<CampaignPorts> campaigns_;
  ItemStore& all_items_;
};

}  // namespace rectify
