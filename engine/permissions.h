// Who may do what. The campaign file's `permissions` table grants each workflow event and each
// action to roles, optionally only where the actor's unit stands in a relation to the item
// ("unit_member:lead": a member of the item's responsible unit). The state machines' guards
// ask MayFire (engine/msm_support.h's `role_allows`), the service asks MayDo and CanSee, and
// the front ends only translate a refusal into 403 or 404.
//
// Plain data and pure functions: the engine knows role names, not accounts or sessions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/item.h"

namespace rectify {

// The roles of the campaign (accounts/account.h spells the same names).
inline constexpr const char* kRoleNames[] = {"office", "unit_member", "inspector", "supervisor", "leader"};
bool IsRoleName(std::string_view name);

// Who acts. `name` goes into the history and the audit log ("user li.lei", "cli import").
struct Actor {
  std::string name;
  std::vector<std::string> roles;
  std::string unit;  // the actor's unit id; empty for people not of a unit
  // The actor's town (engine/deployment.h); empty for a county-level leader or supervisor, who
  // sees every town's campaigns.
  std::string town;
  // The command line and start-up jobs run by whoever holds the database file: every grant.
  bool system = false;

  static Actor System(std::string name);
  bool Has(std::string_view role) const;
};

// How the actor's unit stands to one item. An enrollment's responsible unit is often the
// household's village too, so several may hold at once.
struct Relations {
  bool lead = false;         // the item's responsible unit (牵头/责任单位)
  bool cooperating = false;  // one of its cooperating units (配合单位)
  bool village = false;      // the village of the enrollment's household
  bool any() const { return lead || cooperating || village; }
};
Relations RelationsOf(const Item& item, std::string_view unit);

// "office", or "unit_member:lead": the role, and the relation the grant needs, if any
// (lead, cooperating, village, or related = any of them).
struct Grant {
  std::string role;
  std::string relation;  // "" = none needed
};
inline constexpr const char* kRelationNames[] = {"lead", "cooperating", "village", "related"};

// The table, keyed by event or action name. An event key may name the state or step it is
// fired from ("complete_step@town_review"); that key wins over the plain event key. A key that
// is not in the table grants nothing: a forgotten entry refuses rather than opens.
struct Permissions {
  std::map<std::string, std::vector<Grant>> problem_events;
  std::map<std::string, std::vector<Grant>> enrollment_events;
  std::map<std::string, std::vector<Grant>> actions;

  bool MayFire(ItemKind kind, std::string_view event, std::string_view from, const Actor& actor,
               const Relations& relations) const;
  // `relations` is what the actor's unit is to the item the action is about (none for
  // actions that are not about one item).
  bool MayDo(std::string_view action, const Actor& actor, const Relations& relations = {}) const;
  // Seeing an item: the "view" action.
  bool CanSee(const Actor& actor, const Relations& relations) const { return MayDo(kView, actor, relations); }
  // Seeing every item, not only related ones: "view" granted to one of the roles without a relation.
  bool SeesAll(const Actor& actor) const;

  const std::map<std::string, std::vector<Grant>>& EventsOf(ItemKind kind) const {
    return kind == ItemKind::kProblem ? problem_events : enrollment_events;
  }

  static constexpr const char* kView = "view";
};

// The actions the API and command line check, and that every campaign file must grant.
// clang-format off
inline constexpr const char* kActionNames[] = {
    Permissions::kView,
    "create_problem",      // create and import problems
    "create_enrollment",   // open an enrollment request for a household
    "view_personal_data",  // households' ID, phone, bank and health data unmasked
    "view_outbox",         // the notifier's messages
    "manage_silences",     // approved extensions that mute reminders
    "manage_users",        // accounts, password resets, API tokens of others
    "export_audit",        // read and export the audit log
    "add_evidence",        // attach evidence files (整改佐证材料) to an item
    "export_bulletin",     // the supervision bulletin (督查通报)
    "submit_ledger",       // hand in the signed ledger (附件1) of one's own unit
    "confirm_ledger",      // confirm receipt of a unit's ledger
    "view_scores",         // the villages' performance scores (实效考核)
    "plan_survey",         // import or add the households a village must visit (入户核查名单)
    "record_visit",        // record a household visit (附件2 入户核查表) and its signed sheet
    "spot_check_visit",    // spot-check (抽查) a recorded visit, or send it back with a reason
};
// clang-format on

// Who fires an event: the actor, how their unit stands to the item, and the table. The
// machines' guards read it.
struct Authority {
  const Actor& actor;
  Relations relations;
  const Permissions& permissions;
};

}  // namespace rectify
