#include "engine/deployment.h"

#include <algorithm>
#include <map>
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

const Unit* Deployment::FindUnit(std::string_view town, std::string_view unit) const {
  const Unit* found = nullptr;
  for (const auto& campaign : campaigns)
    if (campaign->town == town)
      if (const Unit* in_campaign = campaign->FindUnit(unit)) found = in_campaign;
  return found;
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
  std::map<std::string, std::string> town_of_unit;  // the channel file names units alone
  std::vector<std::string> county_towns;
  for (const Town& town : deployment.towns) county_towns.push_back(town.id);
  const bool county = !deployment.county.empty();
  // The page's picker, the digests' headings and a carried item's history name a campaign by its
  // name: two of one town by one name could not be told apart.
  std::map<std::pair<std::string, std::string>, std::string> named;  // (town, name) -> campaign id
  for (const auto& campaign : deployment.campaigns) {
    if (!ids.insert(campaign->id).second)
      return Status::InvalidArgument("campaign", "campaign \"" + campaign->id + "\" is given twice");
    const auto [same, fresh] = named.emplace(std::make_pair(campaign->town, campaign->name), campaign->id);
    if (!fresh)
      return Status::InvalidArgument("campaign", "campaigns \"" + same->second + "\" and \"" + campaign->id +
                                                     "\" of town \"" + campaign->town + "\" have one name \"" +
                                                     campaign->name + "\": give each its own (its year, say)");
    for (const Unit& unit : campaign->units) {
      const auto [it, added] = town_of_unit.emplace(unit.id, campaign->town);
      if (!added && it->second != campaign->town)
        return Status::InvalidArgument("campaign", "unit \"" + unit.id + "\" is a unit of town \"" + it->second +
                                                       "\" and of town \"" + campaign->town +
                                                       "\": unit ids must differ across a deployment's towns");
    }
    const Town* town = deployment.FindTown(campaign->town);
    if (town == nullptr) {
      if (county)
        return Status::InvalidArgument("campaign", "campaign \"" + campaign->id + "\" is of town \"" + campaign->town +
                                                       "\", which the county file does not list");
      deployment.towns.push_back(Town{campaign->town, campaign->town_name});
    } else if (town->name.empty()) {
      deployment.towns[static_cast<std::size_t>(town - deployment.towns.data())].name = campaign->town_name;
    } else if (!campaign->town_name.empty() && town->name != campaign->town_name) {
      // The API and the page say the county file's name, the forms the town file's: a town
      // renamed in one file only would be two towns on paper.
      return Status::InvalidArgument("campaign", "town \"" + campaign->town + "\" is named \"" + town->name +
                                                     "\" in the county file and \"" + campaign->town_name +
                                                     "\" in its town file (campaign \"" + campaign->id +
                                                     "\"): name it alike in both");
    }
  }
  return Status::Ok();
}

}  // namespace rectify
