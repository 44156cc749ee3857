#include "engine/campaign.h"

#include "engine/visit_workflow.h"
#include "engine/workflow.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace rectify {
namespace {

constexpr int kMaxMonths = 120;

std::string Quote(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string At(std::string_view list, std::size_t index) {
  return std::string(list) + "[" + std::to_string(index) + "]";
}

std::string Field(const std::string& path, std::string_view member) { return path + "." + std::string(member); }

// Ids are keys in URLs, the database and other files: lowercase ASCII, so that they read the
// same everywhere and never depend on an encoding. Label keys may also hold '.' (state paths).
Status CheckId(const std::string& path, const std::string& id, bool allow_dot = false) {
  if (id.empty()) return Status::InvalidArgument(path, "empty id");
  for (const char c : id) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || (allow_dot && c == '.');
    if (!ok) {
      return Status::InvalidArgument(path, "id " + Quote(id) + " must be lowercase ASCII letters, digits, '_' or '-'" +
                                               (allow_dot ? " or '.'" : ""));
    }
  }
  return Status::Ok();
}

Status CheckName(const std::string& path, const std::string& name) {
  if (name.empty()) return Status::InvalidArgument(path, "empty name");
  return Status::Ok();
}

Status CheckSecondsOfDay(const std::string& path, int seconds) {
  if (seconds < 0 || seconds > kSecondsPerDay) {
    return Status::InvalidArgument(path, std::to_string(seconds) + " seconds is outside 0..86400 (00:00..24:00)");
  }
  return Status::Ok();
}

Status CheckDate(const std::string& path, const CivilDate& date) {
  if (!IsValidDate(date)) return Status::InvalidArgument(path, "not a valid date: " + FormatDate(date));
  return Status::Ok();
}

// One namespace of ids; a repeat is reported with the place the id was first used.
class IdSet {
 public:
  Status Add(const std::string& id, const std::string& id_path, const std::string& owner_path) {
    const auto [it, inserted] = first_.emplace(id, owner_path);
    if (inserted) return Status::Ok();
    return Status::InvalidArgument(id_path, "duplicate id " + Quote(id) + " (already used by " + it->second + ")");
  }

 private:
  std::map<std::string, std::string> first_;
};

// Every unit as written (a town file lists the units of all its campaigns); then the campaign
// keeps those in force over its phases (Unit::from, until), and its groups that list members by
// name lose those it does not keep. Checked before, so that an error's path is the file's.
Status ValidateUnits(Campaign& campaign, IdSet& ids) {
  if (campaign.units.empty()) return Status::InvalidArgument("units", "a campaign needs at least one unit");
  for (std::size_t i = 0; i < campaign.units.size(); ++i) {
    const Unit& unit = campaign.units[i];
    const std::string path = At("units", i);
    RECTIFY_RETURN_IF_ERROR(CheckId(Field(path, "id"), unit.id));
    RECTIFY_RETURN_IF_ERROR(ids.Add(unit.id, Field(path, "id"), path));
    RECTIFY_RETURN_IF_ERROR(CheckName(Field(path, "name"), unit.name));
    if (unit.from) RECTIFY_RETURN_IF_ERROR(CheckDate(Field(path, "from"), *unit.from));
    if (unit.until) RECTIFY_RETURN_IF_ERROR(CheckDate(Field(path, "until"), *unit.until));
    if (unit.from && unit.until && *unit.until < *unit.from)
      return Status::InvalidArgument(Field(path, "until"), "unit " + Quote(unit.id) + " ends " + FormatDate(*unit.until) +
                                                               ", before it begins " + FormatDate(*unit.from));
  }
  std::optional<CivilDate> first, last;
  for (const Phase& phase : campaign.phases) {
    if (!first || phase.start < *first) first = phase.start;
    if (!last || *last < phase.end) last = phase.end;
  }
  if (!first) return Status::Ok();
  std::set<std::string> gone;
  const auto in_force = [&](const Unit& unit) {
    return !(unit.until && *unit.until < *first) && !(unit.from && *last < *unit.from);
  };
  for (const Unit& unit : campaign.units)
    if (!in_force(unit)) gone.insert(unit.id);
  if (gone.empty()) return Status::Ok();
  if (gone.size() == campaign.units.size())
    return Status::InvalidArgument("units", "no unit is in force from " + FormatDate(*first) + " to " + FormatDate(*last) +
                                                " (each unit's from and until)");
  for (const Unit& unit : campaign.units)
    if (gone.count(unit.id) > 0) campaign.units_not_in_force.push_back(unit);
  campaign.units.erase(std::remove_if(campaign.units.begin(), campaign.units.end(),
                                      [&](const Unit& unit) { return gone.count(unit.id) > 0; }),
                       campaign.units.end());
  for (UnitGroup& group : campaign.groups)
    group.members.erase(std::remove_if(group.members.begin(), group.members.end(),
                                       [&](const std::string& member) { return gone.count(member) > 0; }),
                        group.members.end());
  return Status::Ok();
}

// Two units in force under one name could not be told apart where people pick or read them by
// name: an import's 责任单位 column, the forms, the page. One merged away may share a name with
// one formed later, as they are never in one campaign.
Status ValidateUnitNames(const Campaign& campaign) {
  std::map<std::string, std::string> named;  // name -> the unit id first holding it
  for (const Unit& unit : campaign.units) {
    auto [it, fresh] = named.emplace(unit.name, unit.id);
    if (!fresh)
      return Status::InvalidArgument("units", "units " + Quote(it->second) + " and " + Quote(unit.id) +
                                                  " are both named " + Quote(unit.name) +
                                                  " in this campaign: each unit in force is named once");
  }
  return Status::Ok();
}

Status ExpandGroup(const Campaign& campaign, const std::string& path, UnitGroup& group) {
  if (group.members_of_kind) {
    group.members.clear();
    for (const Unit& unit : campaign.units) {
      if (unit.kind == *group.members_of_kind) group.members.push_back(unit.id);
    }
    if (group.members.empty()) {
      return Status::InvalidArgument(Field(path, "members_of_kind"),
                                     std::string("no unit has kind ") + Quote(UnitKindName(*group.members_of_kind)));
    }
    return Status::Ok();
  }
  if (group.members.empty()) {
    return Status::InvalidArgument(Field(path, "members"), "group " + Quote(group.id) + " has no members");
  }
  std::set<std::string> seen;
  for (std::size_t j = 0; j < group.members.size(); ++j) {
    const std::string& member = group.members[j];
    const std::string member_path = At(Field(path, "members"), j);
    if (campaign.FindUnit(member) == nullptr) {
      if (campaign.FindGroup(member) != nullptr) {
        return Status::InvalidArgument(member_path, Quote(member) + " is a group; a group lists units only");
      }
      return Status::InvalidArgument(member_path, "unknown unit " + Quote(member));
    }
    if (!seen.insert(member).second) return Status::InvalidArgument(member_path, Quote(member) + " is listed twice");
  }
  return Status::Ok();
}

Status ValidateGroups(Campaign& campaign, IdSet& ids) {
  for (std::size_t i = 0; i < campaign.groups.size(); ++i) {
    const UnitGroup& group = campaign.groups[i];
    const std::string path = At("groups", i);
    RECTIFY_RETURN_IF_ERROR(CheckId(Field(path, "id"), group.id));
    RECTIFY_RETURN_IF_ERROR(ids.Add(group.id, Field(path, "id"), path));
    RECTIFY_RETURN_IF_ERROR(CheckName(Field(path, "name"), group.name));
  }
  for (std::size_t i = 0; i < campaign.groups.size(); ++i) {
    RECTIFY_RETURN_IF_ERROR(ExpandGroup(campaign, At("groups", i), campaign.groups[i]));
  }
  return Status::Ok();
}

// Unit and group ids as written (at `path`) into unit ids, groups expanded, in the order
// written, without repeats.
Status ExpandUnitRefs(const Campaign& campaign, const std::vector<std::string>& refs, const std::string& path,
                      std::vector<std::string>& units) {
  units.clear();
  std::set<std::string> written;
  std::set<std::string> expanded;
  const auto add = [&](const std::string& unit_id) {
    if (expanded.insert(unit_id).second) units.push_back(unit_id);
  };
  for (std::size_t j = 0; j < refs.size(); ++j) {
    const std::string& ref = refs[j];
    const std::string ref_path = At(path, j);
    if (!written.insert(ref).second) return Status::InvalidArgument(ref_path, Quote(ref) + " is listed twice");
    if (campaign.FindUnit(ref) != nullptr) {
      add(ref);
    } else if (const UnitGroup* group = campaign.FindGroup(ref)) {
      for (const std::string& member : group->members) add(member);
    } else {
      return Status::InvalidArgument(ref_path, "unknown unit or group " + Quote(ref));
    }
  }
  return Status::Ok();
}

Status ExpandArea(const Campaign& campaign, const std::string& path, Area& area) {
  if (area.responsible.empty()) return Status::InvalidArgument(Field(path, "responsible"), "no responsible unit");
  return ExpandUnitRefs(campaign, area.responsible, Field(path, "responsible"), area.responsible_units);
}

Status ValidateLedgers(Campaign& campaign) {
  if (!campaign.ledgers) return Status::Ok();
  LedgerObligation& ledgers = *campaign.ledgers;
  const DeadlineRule* rule = campaign.FindDeadline(ledgers.deadline);
  if (rule == nullptr)
    return Status::InvalidArgument("ledgers.deadline", "unknown deadline " + Quote(ledgers.deadline));
  if (rule->applies_to != DeadlineSubject::kLedger || rule->kind != DeadlineKind::kFixed)
    return Status::InvalidArgument("ledgers.deadline",
                                   Quote(ledgers.deadline) + " must be a fixed deadline that applies to \"ledger\"");
  if (ledgers.owed_by.empty()) return Status::InvalidArgument("ledgers.owed_by", "no unit owes a ledger");
  return ExpandUnitRefs(campaign, ledgers.owed_by, "ledgers.owed_by", ledgers.owed_by_units);
}

Status ValidateScores(const Campaign& campaign) {
  if (!campaign.scores) return Status::Ok();
  const ScoreFormula& f = *campaign.scores;
  for (const auto& [name, value] :
       {std::pair{"on_time_points", f.on_time_points}, std::pair{"enrollment_points", f.enrollment_points},
        std::pair{"per_send_back", f.per_send_back}, std::pair{"per_overdue_working_day", f.per_overdue_working_day}}) {
    if (value < 0)
      return Status::InvalidArgument(std::string("scores.") + name,
                                     "must not be negative: deductions are written as positive numbers");
  }
  if (f.maximum < f.minimum) return Status::InvalidArgument("scores.maximum", "is below scores.minimum");
  return Status::Ok();
}

Status ValidateAreas(Campaign& campaign) {
  if (campaign.areas.empty()) return Status::InvalidArgument("areas", "a campaign needs at least one area");
  for (std::size_t i = 0; i < campaign.areas.size(); ++i) {
    Area& area = campaign.areas[i];
    const std::string path = At("areas", i);
    const int expected = static_cast<int>(i) + 1;
    if (area.number != expected) {
      return Status::InvalidArgument(Field(path, "number"), "areas are numbered 1..N in order: expected " +
                                                                std::to_string(expected) + ", found " +
                                                                std::to_string(area.number));
    }
    RECTIFY_RETURN_IF_ERROR(CheckName(Field(path, "name"), area.name));
    RECTIFY_RETURN_IF_ERROR(ExpandArea(campaign, path, area));
  }
  return Status::Ok();
}

Status ValidatePhases(const Campaign& campaign) {
  IdSet ids;
  for (std::size_t i = 0; i < campaign.phases.size(); ++i) {
    const Phase& phase = campaign.phases[i];
    const std::string path = At("phases", i);
    RECTIFY_RETURN_IF_ERROR(CheckId(Field(path, "id"), phase.id));
    RECTIFY_RETURN_IF_ERROR(ids.Add(phase.id, Field(path, "id"), path));
    RECTIFY_RETURN_IF_ERROR(CheckName(Field(path, "name"), phase.name));
    RECTIFY_RETURN_IF_ERROR(CheckDate(Field(path, "start"), phase.start));
    RECTIFY_RETURN_IF_ERROR(CheckDate(Field(path, "end"), phase.end));
    if (phase.end < phase.start) {
      return Status::InvalidArgument(Field(path, "end"), "phase " + Quote(phase.id) + " ends " + FormatDate(phase.end) +
                                                             ", before it starts " + FormatDate(phase.start));
    }
  }
  return Status::Ok();
}

const Workflow& WorkflowOf(DeadlineSubject subject) {
  return subject == DeadlineSubject::kEnrollment ? EnrollmentWorkflow() : ProblemWorkflow();
}

// A state path of the subject's workflow, or (when `top_level_ok`) a top-level state.
Status CheckState(const std::string& path, const std::string& state, DeadlineSubject subject, bool top_level_ok) {
  if (subject == DeadlineSubject::kLedger || subject == DeadlineSubject::kSurvey) {
    return Status::InvalidArgument(path, std::string("a ") + DeadlineSubjectName(subject) + " has no workflow states");
  }
  for (const std::string& known : WorkflowOf(subject).States()) {
    if (known == state) return Status::Ok();
    if (top_level_ok && StatePath::Parse(known).state == state) return Status::Ok();
  }
  return Status::InvalidArgument(path, Quote(state) + " is not a state of the " + DeadlineSubjectName(subject) +
                                           " workflow");
}

Status ValidateDeadlineRule(const Campaign& campaign, const DeadlineRule& rule, const std::string& path) {
  for (std::size_t i = 0; i < rule.states.size(); ++i) {
    RECTIFY_RETURN_IF_ERROR(CheckState(At(Field(path, "states"), i), rule.states[i], rule.applies_to, true));
  }
  if (rule.item_default && !rule.states.empty()) {
    return Status::InvalidArgument(Field(path, "states"), "an item default governs the whole life of an item");
  }
  switch (rule.kind) {
    case DeadlineKind::kFixed: {
      RECTIFY_RETURN_IF_ERROR(CheckDate(Field(path, "date"), rule.date));
      // A fixed date before the campaign starts would give every item a deadline already past
      // (a year's typo: 2026-11-01 for a campaign of 2026-11-20), and one the calendar does not
      // cover would make every item given it a data error: both are mistakes of the file.
      if (!campaign.phases.empty()) {
        CivilDate starts = campaign.phases.front().start;
        for (const Phase& phase : campaign.phases) starts = std::min(starts, phase.start);
        if (rule.date < starts)
          return Status::InvalidArgument(Field(path, "date"), FormatDate(rule.date) + " is before the campaign starts (" +
                                                                  FormatDate(starts) + ")");
      }
      if (campaign.calendar) RECTIFY_RETURN_IF_ERROR(campaign.calendar->CheckCovered(rule.date, Field(path, "date")));
      return CheckSecondsOfDay(Field(path, "seconds_of_day"), rule.seconds_of_day);
    }
    case DeadlineKind::kPhaseEnd:
      if (campaign.FindPhase(rule.phase) == nullptr) {
        return Status::InvalidArgument(Field(path, "phase"), "unknown phase " + Quote(rule.phase));
      }
      return Status::Ok();
    case DeadlineKind::kMonthsAfter:
    case DeadlineKind::kDaysAfter:
    case DeadlineKind::kWorkingDaysAfter:
      break;
  }
  if (rule.applies_to == DeadlineSubject::kLedger || rule.applies_to == DeadlineSubject::kSurvey) {
    return Status::InvalidArgument(Field(path, "applies_to"),
                                   std::string("a ") + DeadlineSubjectName(rule.applies_to) + " has no dates to count from");
  }
  if (rule.from == kFromRiskFound) {
    if (rule.applies_to != DeadlineSubject::kEnrollment) {
      return Status::InvalidArgument(Field(path, "applies_to"),
                                     std::string("only enrollments have a risk_found date; found ") +
                                         Quote(DeadlineSubjectName(rule.applies_to)));
    }
  } else if (rule.from == kFromFound) {
    if (rule.applies_to != DeadlineSubject::kProblem) {
      return Status::InvalidArgument(Field(path, "applies_to"),
                                     std::string("only problems have a found date; found ") +
                                         Quote(DeadlineSubjectName(rule.applies_to)));
    }
  } else if (rule.from == kFromSignForRequested) {
    // The sign-for limit is in force while a signature is awaited, whatever the state.
    if (!rule.states.empty() || rule.item_default || rule.on_reopen)
      return Status::InvalidArgument(Field(path, "from"),
                                     "a sign-for limit (from sign_for_requested) has no states and is no item "
                                     "default or reopen rule");
  } else if (rule.from != kFromCreated && rule.from != kFromStateEntered) {
    return Status::InvalidArgument(Field(path, "from"), "unknown date " + Quote(rule.from) + "; expected " +
                                                            Quote(kFromRiskFound) + ", " + Quote(kFromFound) + ", " +
                                                            Quote(kFromCreated) + ", " + Quote(kFromStateEntered) +
                                                            " or " + Quote(kFromSignForRequested));
  }
  if (rule.on_reopen) {
    if (rule.item_default || !rule.states.empty() || rule.from != kFromStateEntered)
      return Status::InvalidArgument(Field(path, "on_reopen"),
                                     "a reopen rule counts from state_entered (the reopening), with no states, and is "
                                     "no item default");
    return campaign.calendar ? Status::Ok()
                             : Status::InvalidArgument(Field(path, "kind"), "counting from an event needs the official calendar");
  }
  if (rule.from == kFromStateEntered && rule.states.empty()) {
    return Status::InvalidArgument(Field(path, "states"), "a rule counted from state_entered needs the states it governs");
  }
  if (!campaign.calendar) {
    return Status::InvalidArgument(Field(path, "kind"), "counting from an event needs the official calendar");
  }
  if (rule.kind == DeadlineKind::kMonthsAfter && (rule.months < 1 || rule.months > kMaxMonths)) {
    return Status::InvalidArgument(Field(path, "months"),
                                   std::to_string(rule.months) + " is outside 1.." + std::to_string(kMaxMonths));
  }
  if (rule.kind != DeadlineKind::kMonthsAfter && (rule.days < 1 || rule.days > kMaxMonths * 31)) {
    return Status::InvalidArgument(Field(path, "days"), std::to_string(rule.days) + " is outside 1.." +
                                                            std::to_string(kMaxMonths * 31));
  }
  return Status::Ok();
}

Status ValidateDwells(const Campaign& campaign) {
  IdSet ids;
  for (std::size_t i = 0; i < campaign.minimum_dwells.size(); ++i) {
    const MinimumDwell& dwell = campaign.minimum_dwells[i];
    const std::string path = At("minimum_dwells", i);
    RECTIFY_RETURN_IF_ERROR(CheckId(Field(path, "id"), dwell.id));
    RECTIFY_RETURN_IF_ERROR(ids.Add(dwell.id, Field(path, "id"), path));
    RECTIFY_RETURN_IF_ERROR(CheckName(Field(path, "name"), dwell.name));
    RECTIFY_RETURN_IF_ERROR(CheckState(Field(path, "state"), dwell.state, dwell.applies_to, false));
    if (dwell.days < 1 || dwell.days > 366) {
      return Status::InvalidArgument(Field(path, "days"), std::to_string(dwell.days) + " is outside 1..366");
    }
    if (!campaign.calendar) return Status::InvalidArgument(Field(path, "days"), "needs the official calendar");
  }
  return Status::Ok();
}

Status ValidateGates(const Campaign& campaign) {
  for (std::size_t p = 0; p < campaign.phases.size(); ++p) {
    const Phase& phase = campaign.phases[p];
    for (std::size_t g = 0; g < phase.gates.size(); ++g) {
      const PhaseGate& gate = phase.gates[g];
      RECTIFY_RETURN_IF_ERROR(
          CheckState(Field(At(Field(At("phases", p), "gates"), g), "at_least"), gate.at_least, gate.subject, false));
    }
  }
  return Status::Ok();
}

Status ValidateNotifier(const Campaign& campaign) {
  const NotifierSettings& n = campaign.notifier;
  if (n.due_soon_working_days < 0 || n.due_soon_working_days > 30) {
    return Status::InvalidArgument("notifier.due_soon_working_days", "must be 0..30");
  }
  if (n.escalate_after_working_days < 0 || n.escalate_after_working_days > 60) {
    return Status::InvalidArgument("notifier.escalate_after_working_days", "must be 0..60");
  }
  for (std::size_t i = 0; i < n.supervisors.size(); ++i) {
    if (campaign.FindUnit(n.supervisors[i]) == nullptr) {
      return Status::InvalidArgument(At("notifier.supervisors", i), "unknown unit " + Quote(n.supervisors[i]));
    }
  }
  if (!n.office.empty() && campaign.FindUnit(n.office) == nullptr) {
    return Status::InvalidArgument("notifier.office", "unknown unit " + Quote(n.office));
  }
  for (std::size_t i = 0; i < n.send_at.size(); ++i) {
    if (n.send_at[i] < 0 || n.send_at[i] >= kSecondsPerDay) {
      return Status::InvalidArgument(At("notifier.send_at", i), "not a time of day");
    }
  }
  return Status::Ok();
}

Status ValidateDeadlines(const Campaign& campaign) {
  IdSet ids;
  std::map<DeadlineSubject, std::string> default_of;
  std::map<DeadlineSubject, std::string> reopen_of;
  for (std::size_t i = 0; i < campaign.deadlines.size(); ++i) {
    const DeadlineRule& rule = campaign.deadlines[i];
    const std::string path = At("deadlines", i);
    RECTIFY_RETURN_IF_ERROR(CheckId(Field(path, "id"), rule.id));
    RECTIFY_RETURN_IF_ERROR(ids.Add(rule.id, Field(path, "id"), path));
    RECTIFY_RETURN_IF_ERROR(CheckName(Field(path, "name"), rule.name));
    RECTIFY_RETURN_IF_ERROR(ValidateDeadlineRule(campaign, rule, path));
    if (rule.on_reopen) {
      const auto [it, inserted] = reopen_of.emplace(rule.applies_to, rule.id);
      if (!inserted)
        return Status::InvalidArgument(Field(path, "on_reopen"), Quote(it->second) + " is already the reopen rule for " +
                                                                     Quote(DeadlineSubjectName(rule.applies_to)));
    }
    if (!rule.if_past.empty()) {
      const DeadlineRule* instead = campaign.FindDeadline(rule.if_past);
      if (!rule.item_default || rule.kind != DeadlineKind::kFixed)
        return Status::InvalidArgument(Field(path, "if_past"), "only a fixed item default has a rule for when it has passed");
      if (instead == nullptr || instead == &rule || instead->applies_to != rule.applies_to)
        return Status::InvalidArgument(Field(path, "if_past"),
                                       "names no other rule of " + Quote(DeadlineSubjectName(rule.applies_to)) + ": " +
                                           Quote(rule.if_past));
    }
    if (!rule.item_default) continue;
    const std::string subject = Quote(DeadlineSubjectName(rule.applies_to));
    if (rule.applies_to == DeadlineSubject::kLedger || rule.applies_to == DeadlineSubject::kSurvey) {
      return Status::InvalidArgument(Field(path, "item_default"),
                                     "only problem and enrollment deadlines can be item defaults, not " + subject);
    }
    const auto [it, inserted] = default_of.emplace(rule.applies_to, rule.id);
    if (!inserted) {
      return Status::InvalidArgument(Field(path, "item_default"),
                                     Quote(it->second) + " is already the item default for " + subject);
    }
  }
  return Status::Ok();
}

Status ValidateStepDurations(const Campaign& campaign) {
  for (std::size_t i = 0; i < campaign.step_durations.size(); ++i) {
    const StepDuration& step = campaign.step_durations[i];
    const std::string path = At("step_durations", i);
    RECTIFY_RETURN_IF_ERROR(CheckState(Field(path, "state"), step.state, step.applies_to, false));
    if (step.minimum_days < 0 || step.minimum_days > kMaxMonths * 31)
      return Status::InvalidArgument(Field(path, "minimum_days"), "outside 0.." + std::to_string(kMaxMonths * 31));
    if (step.typical_days < 0 || step.typical_days > kMaxMonths * 31 ||
        (step.typical_days > 0 && step.typical_days < step.minimum_days))
      return Status::InvalidArgument(Field(path, "typical_days"), "outside minimum_days.." + std::to_string(kMaxMonths * 31));
    if (step.working_days && !campaign.calendar)
      return Status::InvalidArgument(Field(path, "working_days"), "counting working days needs the official calendar");
  }
  return Status::Ok();
}

// Tiers are listed mildest first; "entered" names a milder tier, so the count it reads is kept
// before the tier it decides.
Status ValidateTiers(const Campaign& campaign) {
  IdSet ids;
  for (std::size_t i = 0; i < campaign.warning_tiers.size(); ++i) {
    const WarningTier& tier = campaign.warning_tiers[i];
    const std::string path = At("warning_tiers", i);
    RECTIFY_RETURN_IF_ERROR(CheckId(Field(path, "id"), tier.id));
    RECTIFY_RETURN_IF_ERROR(ids.Add(tier.id, Field(path, "id"), path));
    RECTIFY_RETURN_IF_ERROR(CheckName(Field(path, "name"), tier.name));
    if (!tier.due_within_working_days && !tier.overdue && !tier.overdue_more_than_working_days && tier.entered.empty())
      return Status::InvalidArgument(path, "a tier needs at least one condition");
    if (tier.due_within_working_days && (*tier.due_within_working_days < 0 || *tier.due_within_working_days > 60))
      return Status::InvalidArgument(Field(path, "due_within_working_days"), "outside 0..60");
    if (tier.overdue_more_than_working_days &&
        (*tier.overdue_more_than_working_days < 0 || *tier.overdue_more_than_working_days > 60))
      return Status::InvalidArgument(Field(path, "overdue_more_than_working_days"), "outside 0..60");
    if (!tier.entered.empty()) {
      bool milder = false;
      for (std::size_t j = 0; j < i; ++j) milder = milder || campaign.warning_tiers[j].id == tier.entered;
      if (!milder) return Status::InvalidArgument(Field(path, "entered"), Quote(tier.entered) + " is not a milder tier");
      if (tier.entered_times < 2)
        return Status::InvalidArgument(Field(path, "entered_times"), "at least 2 (once is the tier itself)");
    }
  }
  if (!campaign.warning_tiers.empty() && !campaign.calendar)
    return Status::InvalidArgument("warning_tiers", "tiers count working days: the campaign needs its calendar");
  return Status::Ok();
}

Status ValidateSources(const Campaign& campaign) {
  IdSet ids;
  for (std::size_t i = 0; i < campaign.sources.size(); ++i) {
    const ProblemSource& source = campaign.sources[i];
    const std::string path = At("sources", i);
    RECTIFY_RETURN_IF_ERROR(CheckId(Field(path, "id"), source.id));
    RECTIFY_RETURN_IF_ERROR(ids.Add(source.id, Field(path, "id"), path));
    RECTIFY_RETURN_IF_ERROR(CheckName(Field(path, "name"), source.name));
    if (source.expected_count && *source.expected_count < 1) {
      return Status::InvalidArgument(Field(path, "expected_count"),
                                     "must be positive, found " + std::to_string(*source.expected_count));
    }
  }
  return Status::Ok();
}

// FindChoice accepts an id or a name, so names must be unique as well as ids.
Status ValidateChoices(const std::vector<Choice>& choices, std::string_view list) {
  IdSet ids;
  std::map<std::string, std::string> name_owner;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    const Choice& choice = choices[i];
    const std::string path = At(list, i);
    RECTIFY_RETURN_IF_ERROR(CheckId(Field(path, "id"), choice.id));
    RECTIFY_RETURN_IF_ERROR(ids.Add(choice.id, Field(path, "id"), path));
    RECTIFY_RETURN_IF_ERROR(CheckName(Field(path, "name"), choice.name));
    const auto [it, inserted] = name_owner.emplace(choice.name, path);
    if (!inserted) {
      return Status::InvalidArgument(Field(path, "name"),
                                     "duplicate name " + Quote(choice.name) + " (already used by " + it->second + ")");
    }
  }
  return Status::Ok();
}

Status ValidateSurvey(const Campaign& campaign) {
  if (!campaign.survey) return Status::Ok();
  const SurveySettings& survey = *campaign.survey;
  const DeadlineRule* rule = campaign.FindDeadline(survey.deadline);
  if (rule == nullptr) return Status::InvalidArgument("survey.deadline", "unknown deadline " + Quote(survey.deadline));
  if (rule->applies_to != DeadlineSubject::kSurvey ||
      (rule->kind != DeadlineKind::kFixed && rule->kind != DeadlineKind::kPhaseEnd))
    return Status::InvalidArgument("survey.deadline", Quote(survey.deadline) +
                                                          " must be a fixed or phase_end deadline that applies to \"survey\"");
  if (survey.minimum_team < 2 || survey.minimum_team > 20)
    return Status::InvalidArgument("survey.minimum_team", std::to_string(survey.minimum_team) +
                                                              " is outside 2..20: a household is visited by at least two");
  for (const auto& [choices, list] : {std::pair{&survey.team_roles, "survey.team_roles"},
                                      std::pair{&survey.household_types, "survey.household_types"},
                                      std::pair{&survey.priorities, "survey.priorities"}}) {
    if (choices->empty()) return Status::InvalidArgument(list, "offers no choice");
    RECTIFY_RETURN_IF_ERROR(ValidateChoices(*choices, list));
  }
  if (FindChoice(campaign.clue_sources, survey.clue_source) == nullptr ||
      FindChoice(campaign.clue_sources, survey.clue_source)->id != survey.clue_source)
    return Status::InvalidArgument("survey.clue_source", "unknown clue source " + Quote(survey.clue_source));
  const VisitWorkflow& workflow = SurveyVisitWorkflow();
  std::set<std::string> known;
  for (const std::string& state : workflow.States()) known.insert(state);
  for (const std::string& event : workflow.Events()) known.insert(event);
  std::set<std::string> keys;
  for (std::size_t i = 0; i < survey.labels.size(); ++i) {
    const Label& label = survey.labels[i];
    const std::string path = "survey.labels." + label.key;  // as the file spells it
    if (!keys.insert(label.key).second) return Status::InvalidArgument(path, Quote(label.key) + " has a label already");
    if (known.count(label.key) == 0)
      return Status::InvalidArgument(path, Quote(label.key) + " is not a state or event of the visit workflow");
    RECTIFY_RETURN_IF_ERROR(CheckName(path, label.name));
  }
  return Status::Ok();
}

// A key may be a state path or an event name; both share one list, so one key, one label.
// Every key must name a state or an event of the workflow, so a renamed state cannot leave a
// label behind unnoticed.
Status ValidateLabels(const std::vector<Label>& labels, std::string_view list, const Workflow& workflow) {
  std::set<std::string> known;
  for (const std::string& state : workflow.States()) known.insert(state);
  for (const std::string& event : workflow.Events()) known.insert(event);
  std::set<std::string> keys;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const Label& label = labels[i];
    const std::string path = At(list, i);
    RECTIFY_RETURN_IF_ERROR(CheckId(Field(path, "key"), label.key, /*allow_dot=*/true));
    if (!keys.insert(label.key).second) {
      return Status::InvalidArgument(Field(path, "key"), Quote(label.key) + " has a label already");
    }
    RECTIFY_RETURN_IF_ERROR(CheckName(Field(path, "name"), label.name));
    if (known.count(label.key) == 0) {
      return Status::InvalidArgument(Field(path, "key"), Quote(label.key) + " is not a state or event of the " +
                                                             ItemKindName(workflow.kind()) + " workflow");
    }
  }
  return Status::Ok();
}

std::string TableKey(std::string_view table, std::string_view key) {
  return std::string(table) + "[" + Quote(key) + "]";
}

Status ValidateGrants(const std::vector<Grant>& grants, const std::string& path) {
  if (grants.empty()) return Status::InvalidArgument(path, "grants nobody; leave the key out instead");
  for (std::size_t i = 0; i < grants.size(); ++i) {
    const Grant& grant = grants[i];
    if (!IsRoleName(grant.role))
      return Status::InvalidArgument(At(path, i), "unknown role " + Quote(grant.role) +
                                                      "; roles are office, unit_member, inspector, supervisor, leader");
    const bool known_relation =
        grant.relation.empty() || std::any_of(std::begin(kRelationNames), std::end(kRelationNames),
                                              [&](const char* name) { return grant.relation == name; });
    if (!known_relation)
      return Status::InvalidArgument(At(path, i), "unknown relation " + Quote(grant.relation) +
                                                      "; relations are lead, cooperating, village, related");
  }
  return Status::Ok();
}

// Every event must be granted to someone (a forgotten event would be refused to all), and every
// key must name an event of the workflow, fired from one of its states or steps.
Status ValidateEventGrants(const std::map<std::string, std::vector<Grant>>& table, std::string_view list,
                           const Workflow& workflow) {
  const std::vector<std::string> events = workflow.Events();
  std::set<std::string> sources;
  for (const std::string& path : workflow.States()) {
    const StatePath state = StatePath::Parse(path);
    sources.insert(state.state);
    if (!state.step.empty()) sources.insert(state.step);
  }
  std::set<std::string> granted;
  for (const auto& [key, grants] : table) {
    const std::string path = TableKey(list, key);
    const std::size_t at = key.find('@');
    const std::string event = key.substr(0, at);
    if (std::find(events.begin(), events.end(), event) == events.end())
      return Status::InvalidArgument(path, Quote(event) + " is not an event of the " +
                                               ItemKindName(workflow.kind()) + " workflow");
    if (at != std::string::npos && sources.count(key.substr(at + 1)) == 0)
      return Status::InvalidArgument(path, Quote(key.substr(at + 1)) + " is not a state or step of the " +
                                               ItemKindName(workflow.kind()) + " workflow");
    RECTIFY_RETURN_IF_ERROR(ValidateGrants(grants, path));
    granted.insert(event);
  }
  for (const std::string& event : events) {
    if (granted.count(event) == 0)
      return Status::InvalidArgument(std::string(list), "the event " + Quote(event) + " is granted to nobody");
  }
  return Status::Ok();
}

Status ValidatePermissions(const Permissions& permissions) {
  RECTIFY_RETURN_IF_ERROR(ValidateEventGrants(permissions.problem_events, "permissions.problem", ProblemWorkflow()));
  RECTIFY_RETURN_IF_ERROR(
      ValidateEventGrants(permissions.enrollment_events, "permissions.enrollment", EnrollmentWorkflow()));
  for (const auto& [action, grants] : permissions.actions) {
    const std::string path = TableKey("permissions.actions", action);
    // Compared through a reference: C++17 lambdas may not capture a structured binding (clang refuses).
    const std::string& granted = action;
    if (std::none_of(std::begin(kActionNames), std::end(kActionNames), [&](const char* name) { return granted == name; }))
      return Status::InvalidArgument(path, "unknown action " + Quote(action));
    RECTIFY_RETURN_IF_ERROR(ValidateGrants(grants, path));
  }
  for (const char* action : kActionNames) {
    if (permissions.actions.count(action) == 0)
      return Status::InvalidArgument("permissions.actions", "the action " + Quote(action) + " is granted to nobody");
  }
  return Status::Ok();
}

template <class T>
const T* FindById(const std::vector<T>& list, std::string_view id) {
  for (const T& element : list) {
    if (element.id == id) return &element;
  }
  return nullptr;
}

}  // namespace

const char* UnitKindName(UnitKind kind) {
  switch (kind) {
    case UnitKind::kDepartment: return "department";
    case UnitKind::kBank: return "bank";
    case UnitKind::kVillage: return "village";
  }
  return "department";
}

std::optional<UnitKind> ParseUnitKind(std::string_view text) {
  for (const UnitKind kind : {UnitKind::kDepartment, UnitKind::kBank, UnitKind::kVillage}) {
    if (text == UnitKindName(kind)) return kind;
  }
  return std::nullopt;
}

const char* DeadlineSubjectName(DeadlineSubject subject) {
  switch (subject) {
    case DeadlineSubject::kProblem: return "problem";
    case DeadlineSubject::kEnrollment: return "enrollment";
    case DeadlineSubject::kLedger: return "ledger";
    case DeadlineSubject::kSurvey: return "survey";
  }
  return "problem";
}

std::optional<DeadlineSubject> ParseDeadlineSubject(std::string_view text) {
  for (const auto subject : {DeadlineSubject::kProblem, DeadlineSubject::kEnrollment, DeadlineSubject::kLedger,
                             DeadlineSubject::kSurvey}) {
    if (text == DeadlineSubjectName(subject)) return subject;
  }
  return std::nullopt;
}

const Unit* Campaign::FindUnit(std::string_view unit_id) const { return FindById(units, unit_id); }
const Unit* Campaign::FindVillage(std::string_view unit_id) const {
  const Unit* unit = FindUnit(unit_id);
  return unit != nullptr && unit->kind == UnitKind::kVillage ? unit : nullptr;
}

std::size_t Campaign::UnitRank(std::string_view unit_id) const {
  for (std::size_t i = 0; i < units.size(); ++i)
    if (units[i].id == unit_id) return i;
  return units.size();
}
const UnitGroup* Campaign::FindGroup(std::string_view group_id) const { return FindById(groups, group_id); }
const Phase* Campaign::FindPhase(std::string_view phase_id) const { return FindById(phases, phase_id); }
const ProblemSource* Campaign::FindSource(std::string_view source_id) const { return FindById(sources, source_id); }
const DeadlineRule* Campaign::FindDeadline(std::string_view rule_id) const { return FindById(deadlines, rule_id); }

const Area* Campaign::FindArea(int number) const {
  for (const Area& area : areas) {
    if (area.number == number) return &area;
  }
  return nullptr;
}

std::string Campaign::StateLabel(ItemKind kind, const StatePath& state) const {
  const std::vector<Label>& labels = kind == ItemKind::kProblem ? problem_labels : enrollment_labels;
  for (const std::string& key : {state.ToString(), state.state})
    for (const Label& label : labels)
      if (label.key == key) return label.name;
  return state.ToString();
}

std::string SurveySettings::LabelOf(std::string_view key) const {
  for (const Label& label : labels)
    if (label.key == key) return label.name;
  return std::string(key);
}

const DeadlineRule* Campaign::DefaultDeadline(DeadlineSubject subject) const {
  for (const DeadlineRule& rule : deadlines) {
    if (rule.item_default && rule.applies_to == subject) return &rule;
  }
  return nullptr;
}

const DeadlineRule* Campaign::ReopenDeadline(DeadlineSubject subject) const {
  for (const DeadlineRule& rule : deadlines) {
    if (rule.on_reopen && rule.applies_to == subject) return &rule;
  }
  return nullptr;
}

const WarningTier* Campaign::FindTier(std::string_view tier_id) const { return FindById(warning_tiers, tier_id); }

const Choice* FindChoice(const std::vector<Choice>& choices, std::string_view id_or_name) {
  if (const Choice* by_id = FindById(choices, id_or_name)) return by_id;
  for (const Choice& choice : choices) {
    if (choice.name == id_or_name) return &choice;
  }
  return nullptr;
}

Status ValidateCampaign(Campaign& campaign) {
  RECTIFY_RETURN_IF_ERROR(CheckId("id", campaign.id));
  RECTIFY_RETURN_IF_ERROR(CheckName("name", campaign.name));
  RECTIFY_RETURN_IF_ERROR(CheckId("town", campaign.town));
  RECTIFY_RETURN_IF_ERROR(CheckSecondsOfDay("close_of_business_seconds", campaign.close_of_business_seconds));
  IdSet unit_and_group_ids;  // an area's responsible entry may name either, so they share one namespace
  RECTIFY_RETURN_IF_ERROR(ValidateUnits(campaign, unit_and_group_ids));
  RECTIFY_RETURN_IF_ERROR(ValidateUnitNames(campaign));
  RECTIFY_RETURN_IF_ERROR(ValidateGroups(campaign, unit_and_group_ids));
  RECTIFY_RETURN_IF_ERROR(ValidateAreas(campaign));
  RECTIFY_RETURN_IF_ERROR(ValidatePhases(campaign));
  RECTIFY_RETURN_IF_ERROR(ValidateDeadlines(campaign));
  RECTIFY_RETURN_IF_ERROR(ValidateSources(campaign));
  RECTIFY_RETURN_IF_ERROR(ValidateChoices(campaign.household_categories, "household_categories"));
  RECTIFY_RETURN_IF_ERROR(ValidateChoices(campaign.risk_types, "risk_types"));
  RECTIFY_RETURN_IF_ERROR(ValidateChoices(campaign.clue_sources, "clue_sources"));
  RECTIFY_RETURN_IF_ERROR(ValidateLabels(campaign.problem_labels, "problem_labels", ProblemWorkflow()));
  RECTIFY_RETURN_IF_ERROR(ValidateLabels(campaign.enrollment_labels, "enrollment_labels", EnrollmentWorkflow()));
  RECTIFY_RETURN_IF_ERROR(ValidateDwells(campaign));
  RECTIFY_RETURN_IF_ERROR(ValidateStepDurations(campaign));
  RECTIFY_RETURN_IF_ERROR(ValidateTiers(campaign));
  RECTIFY_RETURN_IF_ERROR(ValidateGates(campaign));
  RECTIFY_RETURN_IF_ERROR(ValidateNotifier(campaign));
  RECTIFY_RETURN_IF_ERROR(ValidateLedgers(campaign));
  RECTIFY_RETURN_IF_ERROR(ValidateScores(campaign));
  RECTIFY_RETURN_IF_ERROR(ValidateSurvey(campaign));
  RECTIFY_RETURN_IF_ERROR(ValidatePermissions(campaign.permissions));
  return Status::Ok();
}

}  // namespace rectify
