#include "engine/deployment.h"

#include <algorithm>
#include <set>

namespace rectify {

const Campaign* Deployment::FindCampaign(std::string_view id) const {
  for (const auto& campaign : campaigns)
    if (campaign->id == id) return campaign.get();
  return nullptr;
}

const Town* Deployment::FindTown(std::string_view id) const {
  for (const Town& town : towns)
    if (town.id == id) return &town;
  return nullptr;
}

bool Deployment::MaySee(const Actor& actor, const Campaign& campaign) {
  if (actor.system) return true;
  if (!actor.town.empty()) return actor.town == campaign.town;
  // County-level: only those who oversee, never those who act on a town's items.
  return !actor.roles.empty() && std::all_of(actor.roles.begin(), actor.roles.end(), [](const std::string& role) {
    return std::any_of(std::begin(kCountyRoles), std::end(kCountyRoles), [&](const char* r) { return role == r; });
  });
}

std::vector<const Campaign*> Deployment::VisibleTo(const Actor& actor) const {
  std::vector<const Campaign*> out;
  for (const auto& campaign : campaigns)
    if (MaySee(actor, *campaign)) out.push_back(campaign.get());
  return out;
}

Status ValidateDeployment(Deployment& deployment) {
  if (deployment.campaigns.empty()) return Status::InvalidArgument("campaign", "a deployment serves at least one campaign");
  std::set<std::string> ids;
  std::vector<std::string> county_towns;
  for (const Town& town : deployment.towns) county_towns.push_back(town.id);
  const bool county = !deployment.county.empty();
  for (const auto& campaign : deployment.campaigns) {
    if (!ids.insert(campaign->id).second)
      return Status::InvalidArgument("campaign", "campaign \"" + campaign->id + "\" is given twice");
    const Town* town = deployment.FindTown(campaign->town);
    if (town == nullptr) {
      if (county)
        return Status::InvalidArgument("campaign", "campaign \"" + campaign->id + "\" is of town \"" + campaign->town +
                                                       "\", which the county file does not list");
      deployment.towns.push_back(Town{campaign->town, campaign->town_name});
    } else if (town->name.empty()) {
      deployment.towns[static_cast<std::size_t>(town - deployment.towns.data())].name = campaign->town_name;
    }
  }
  return Status::Ok();
}

}  // namespace rectify
