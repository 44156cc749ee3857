// A deployment: the campaigns one rectify serves, the towns they belong to and, for a county,
// the county over its towns. A town's campaigns share its units and groups (its town file), so
// a village cadre has one account and one unit whatever the season; a county-level leader or
// supervisor sees every town's campaigns; nothing lets a town's people see another town's.
// Immutable once validated; safe to share between threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/campaign.h"
#include "engine/permissions.h"
#include "engine/status.h"

namespace rectify {

struct Town {
  std::string id;
  std::string name;
};

struct Deployment {
  std::string county;       // the county's id; empty for a deployment without a county file
  std::string county_name;
  std::vector<Town> towns;  // in the order their first campaign was given
  // In the order given; each at a stable address for the life of the deployment.
  std::vector<std::shared_ptr<const Campaign>> campaigns;

  const Campaign* FindCampaign(std::string_view id) const;
  const Town* FindTown(std::string_view id) const;
  // Unit `unit` of town `town` (a town's campaigns share its units), or nullptr. A unit merged or
  // formed between campaigns (Unit::from, until) is in some of them only: any that has it counts,
  // the last in the deployment's order naming it.
  const Unit* FindUnit(std::string_view town, std::string_view unit) const;
  // The town of the only campaign, or nullptr when there are several: where an old database's
  // rows belong, and what a one-campaign deployment's legacy paths mean.
  const Campaign* OnlyCampaign() const { return campaigns.size() == 1 ? campaigns.front().get() : nullptr; }

  // Whether `actor` may see `campaign` at all: the system; anyone of the campaign's town; a
  // county-level actor (no town), who may only be a leader or a supervisor.
  static bool MaySee(const Actor& actor, const Campaign& campaign);
  // The campaigns `actor` may see, in the deployment's order.
  std::vector<const Campaign*> VisibleTo(const Actor& actor) const;
};

// Checks that there is a campaign, that their ids are unique, that no unit id belongs to two
// towns (the channel file and the outbox name units alone) and, with a county, that every
// campaign's town is one of the county's; lists each campaign's town in `towns` (a county file
// lists them already). kInvalidArgument (field "campaign") naming the campaign at fault.
Status ValidateDeployment(Deployment& deployment);

// The roles a county-level person (an actor with no town) may hold.
inline constexpr const char* kCountyRoles[] = {"leader", "supervisor"};

}  // namespace rectify
