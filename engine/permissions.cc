#include "engine/permissions.h"

#include <algorithm>
#include <cstring>

namespace rectify {
namespace {

bool Satisfies(const Grant& grant, const Actor& actor, const Relations& relations) {
  if (!actor.Has(grant.role)) return false;
  if (grant.relation.empty()) return true;
  if (grant.relation == "lead") return relations.lead;
  if (grant.relation == "cooperating") return relations.cooperating;
  if (grant.relation == "village") return relations.village;
  if (grant.relation == "related") return relations.any();
  return false;  // validation refuses other names; fail closed all the same
}

bool AnySatisfied(const std::vector<Grant>& grants, const Actor& actor, const Relations& relations) {
  return std::any_of(grants.begin(), grants.end(),
                     [&](const Grant& grant) { return Satisfies(grant, actor, relations); });
}

}  // namespace

bool IsRoleName(std::string_view name) {
  return std::any_of(std::begin(kRoleNames), std::end(kRoleNames), [name](const char* r) { return name == r; });
}

Actor Actor::System(std::string name) {
  Actor actor;
  actor.name = std::move(name);
  actor.system = true;
  return actor;
}

bool Actor::Has(std::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

Relations RelationsOf(const Item& item, std::string_view unit) {
  Relations relations;
  if (unit.empty()) return relations;
  relations.lead = item.unit == unit;
  relations.cooperating =
      std::find(item.cooperating_units.begin(), item.cooperating_units.end(), unit) != item.cooperating_units.end();
  relations.village = item.household && item.household->village == unit;
  return relations;
}

bool Permissions::MayFire(ItemKind kind, std::string_view event, std::string_view from, const Actor& actor,
                          const Relations& relations) const {
  if (actor.system) return true;
  const auto& table = EventsOf(kind);
  auto found = table.find(std::string(event) + "@" + std::string(from));
  if (found == table.end()) found = table.find(std::string(event));
  return found != table.end() && AnySatisfied(found->second, actor, relations);
}

bool Permissions::MayDo(std::string_view action, const Actor& actor, const Relations& relations) const {
  if (actor.system) return true;
  const auto found = actions.find(std::string(action));
  return found != actions.end() && AnySatisfied(found->second, actor, relations);
}

bool Permissions::SeesAll(const Actor& actor) const {
  if (actor.system) return true;
  const auto found = actions.find(kView);
  if (found == actions.end()) return false;
  return std::any_of(found->second.begin(), found->second.end(),
                     [&](const Grant& grant) { return grant.relation.empty() && actor.Has(grant.role); });
}

}  // namespace rectify
