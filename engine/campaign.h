// The campaign as the engine sees it: a plain, validated description of one rectification
// campaign (its units, groups, areas, phases, deadline rules, problem sources and the choices
// offered for households). It is built from a file in workflows/ by config/campaign_loader.h;
// nothing here parses files. A Campaign is immutable once validated and safe to share
// between threads.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/calendar.h"
#include "engine/permissions.h"
#include "engine/status.h"
#include "engine/time.h"

namespace rectify {

enum class UnitKind { kDepartment, kBank, kVillage };
const char* UnitKindName(UnitKind kind);  // "department", "bank", "village"
std::optional<UnitKind> ParseUnitKind(std::string_view text);

// A responsible unit (责任单位).
struct Unit {
  std::string id;    // stable ASCII key used in the API and the database, e.g. "rural_office"
  std::string name;  // as printed on the forms, e.g. "镇农业农村和乡村振兴办公室"
  UnitKind kind = UnitKind::kDepartment;
  bool sample = false;  // sample data (the seed names no villages), not part of the official text
  // When the unit exists, for a town whose units change between campaigns (村 merged, 撤并, a new
  // 社区): a campaign has the unit when these days overlap its phases, so last year's campaign
  // keeps a village merged since, with its items, figures and forms, and this year's has it no
  // more. Unset: from always, until always.
  std::optional<CivilDate> from;
  std::optional<CivilDate> until;  // its last day
};

// "镇直各单位", "各村": a name that stands for several units. Either `members` lists unit ids,
// or `members_of_kind` takes every unit of that kind; validation fills `members` either way.
struct UnitGroup {
  std::string id;
  std::string name;
  std::optional<UnitKind> members_of_kind;
  std::vector<std::string> members;
};

// One of the plan's areas of work (行动部署), with its responsible units.
struct Area {
  int number = 0;  // 1..N as numbered in the plan
  std::string name;
  std::vector<std::string> responsible;        // as written: unit ids and group ids
  std::vector<std::string> responsible_units;  // filled by validation: groups expanded, no repeats
};

// What a deadline, a dwell or a gate is about.
enum class DeadlineSubject { kProblem, kEnrollment, kLedger, kSurvey };
const char* DeadlineSubjectName(DeadlineSubject subject);
std::optional<DeadlineSubject> ParseDeadlineSubject(std::string_view text);

// At the end of a phase, every item of `subject` should have reached `at_least` (a state path,
// in the workflow's order) — or be closed. Those that have not are listed and escalated.
struct PhaseGate {
  DeadlineSubject subject = DeadlineSubject::kProblem;
  std::string at_least;
};

struct Phase {
  std::string id;    // "mobilise"
  std::string name;  // "动员部署"
  CivilDate start;
  CivilDate end;     // inclusive
  std::vector<PhaseGate> gates;
};

// How a deadline is found. Periods counted from an event follow the official calendar: the
// start day is not counted, and a last day that is not a working day moves to the next one.
enum class DeadlineKind {
  kFixed,            // a date and a time of day: "2021-10-26 下班前", "10月底前"; never moves
  kMonthsAfter,      // N calendar months after the `from` date, ending at 24:00
  kDaysAfter,        // N calendar days after the `from` date, ending at 24:00
  kWorkingDaysAfter, // N working days after the `from` date, ending at close of business (下班前)
  kPhaseEnd,         // the end (24:00) of a phase's last day
};

// The date a relative rule counts from.
inline constexpr const char* kFromRiskFound = "risk_found";        // the household's risk date
inline constexpr const char* kFromCreated = "created";             // when the item was recorded
inline constexpr const char* kFromStateEntered = "state_entered";  // when it entered its current state
inline constexpr const char* kFromFound = "found";                 // problems: when found (found_on), else created
// When the unit was asked to sign for the item (签收): a rule counted from here is the sign-for
// limit, in force while the item awaits its signature.
inline constexpr const char* kFromSignForRequested = "sign_for_requested";

struct DeadlineRule {
  std::string id;    // "problems_cleared"
  std::string name;  // "10月底前各类问题动态清零"
  DeadlineSubject applies_to = DeadlineSubject::kProblem;
  DeadlineKind kind = DeadlineKind::kFixed;
  // kFixed: the date and the time of day it ends (86400 = 24:00, the end of the day).
  CivilDate date;
  int seconds_of_day = kSecondsPerDay;
  // kMonthsAfter / kDaysAfter / kWorkingDaysAfter: which date of the item it counts from, and how far.
  std::string from;
  int months = 0;
  int days = 0;  // calendar days or working days
  // kPhaseEnd: the phase id.
  std::string phase;
  // Where the rule governs an item: state paths ("rectifying.submitted") or top-level states
  // ("rectifying" = every step). Empty: the rule is not a step limit.
  std::vector<std::string> states;
  // The rule that gives an item of its subject its overall deadline when none is given.
  bool item_default = false;
  // An item default of kind kFixed: the rule (of the same subject) whose date a new item gets
  // instead when this date had already passed when the item was recorded (a problem found in
  // November of a plan that says "by the end of October" would be overdue the moment it is
  // typed in). Empty: the fixed date stands.
  std::string if_past;
  // The overall deadline a reopened item (回头看) gets when the office gives none, counted from the
  // reopening (from "state_entered"). Without such a rule, reopening needs a deadline.
  bool on_reopen = false;
};

// A step's duration for "can it still finish in time?" (engine/feasibility.h): at least
// `minimum_days`, typically `typical_days` (0: not given). The campaign's minimum dwells count
// as minimums too.
struct StepDuration {
  DeadlineSubject applies_to = DeadlineSubject::kEnrollment;
  std::string state;  // a state path
  int minimum_days = 0;
  int typical_days = 0;
  bool working_days = false;
};

// A warning tier (红黄蓝预警), mildest first. An open item is in the most severe tier any of
// whose conditions holds (engine/warning_tiers.h); a condition left unset does not hold.
struct WarningTier {
  std::string id;    // "blue"
  std::string name;  // "蓝色预警"
  std::optional<int> due_within_working_days;        // not overdue, due within N working days
  bool overdue = false;                               // past its deadline in force
  std::optional<int> overdue_more_than_working_days;  // overdue by more than N working days
  std::string entered;  // with entered_times: has entered this (milder) tier that many times
  int entered_times = 0;
};

// A step that must last at least so long before the item may leave it: the village public
// notice (公示) runs at least 5 days nationally (Hunan counties use 7).
struct MinimumDwell {
  std::string id;
  std::string name;
  DeadlineSubject applies_to = DeadlineSubject::kEnrollment;
  std::string state;  // a state path
  int days = 0;
  bool working_days = false;
};

// What the notifier needs from the campaign; where each unit's messages go is deployment
// configuration, not campaign data.
struct NotifierSettings {
  int due_soon_working_days = 3;       // "due soon" = due within this many working days
  int escalate_after_working_days = 3; // overdue longer than this: also to the supervisors (督办)
  std::vector<std::string> supervisors;  // unit ids that receive escalations (镇纪委, the office)
  std::string office;                  // unit id that receives items no unit is responsible for
  std::vector<int> send_at;            // seconds after midnight on working days (09:00 = 32400)
};

// Where problems come from (问题来源), with the count the plan expects when it names one.
struct ProblemSource {
  std::string id;
  std::string name;
  std::optional<int> expected_count;
};

// A value offered for a household field: category (三类人员), risk type, clue source.
struct Choice {
  std::string id;
  std::string name;
};

// Who owes the town a signed and stamped ledger (附件1), and by when. A unit owes one when it is
// listed in `owed_by` (unit and group ids) and, with `only_units_with_problems`, is the
// responsible unit of at least one problem: a unit with nothing to rectify has no ledger to sign.
// The obligation is met by the hand-in (its submitted_at), not by the office's receipt: the unit
// cannot make the office confirm in time (engine/ledger_obligations.h).
struct LedgerObligation {
  std::string deadline;                    // a fixed deadline rule that applies_to "ledger"
  std::vector<std::string> owed_by;        // as written: unit and group ids
  std::vector<std::string> owed_by_units;  // filled by validation: groups expanded, no repeats
  bool only_units_with_problems = true;
};

// The Chinese label of a workflow state or event, for forms and messages.
struct Label {
  std::string key;  // a state path ("rectifying.submitted") or an event name ("send_back")
  std::string name;
};

// The village household survey (入户核查, 附件2): by when every listed household must be visited,
// how large a visiting team must be, and the choices its forms offer (engine/household_survey.h).
struct SurveySettings {
  std::string deadline;  // a fixed or phase_end deadline rule that applies_to "survey"
  int minimum_team = 2;  // people in a visiting team: at least two, as the enrollment procedure asks
  std::vector<Choice> team_roles;       // 联村干部, 驻村工作队员, 第一书记, 监测帮扶联系人, 村支两委干部, ...
  std::vector<Choice> household_types;  // 一般脱贫户, 脱贫不稳定户, 边缘易致贫户, 突发严重困难户, ...
  std::vector<Choice> priorities;       // why a household is visited first: 刚性支出较大, 收入大幅缩减, ...
  std::string clue_source;              // the clue source of enrollments a visit opens (基层干部排查)
  // Chinese labels of the visit workflow's states and events (engine/visit_workflow.h).
  std::vector<Label> labels;

  // The label of a state or event; the key itself when it has none.
  std::string LabelOf(std::string_view key) const;
};

// The village performance score (实效考核), from the campaign file (engine/village_scores.h):
//   score = base + on_time_points × on_time_rate + enrollment_points × enrollment_rate
//           − per_send_back × send-backs − per_overdue_working_day × working days overdue,
// clamped to [minimum, maximum]. Rates without any item to judge count as 1 (nothing late).
struct ScoreFormula {
  double base = 0;
  double on_time_points = 0;
  double enrollment_points = 0;
  double per_send_back = 0;
  double per_overdue_working_day = 0;
  double minimum = 0;
  double maximum = 100;
};

// The titles the plan gives its forms (附件1-3), printed at the top of each export. Empty: a title
// of rectify's own ("镇中心校问题排查整改台账", "拟纳入监测对象花名册", "入户核查表").
struct FormTitles {
  std::string ledger;       // 附件1, every unit's and the town's
  std::string visit_sheet;  // 附件2, a household's sheet; its summary adds "（汇总）"
  std::string roster;       // 附件3 (not its public notice)
};

struct Campaign {
  std::string id;
  std::string name;
  // The town whose campaign this is: its units and groups are the town's, shared by all its
  // campaigns (a town file), and its people see its campaigns and no other town's. A campaign
  // file with its own units is a town of its own, named by the campaign's id.
  std::string town;
  std::string town_name;
  std::string issuer;
  std::string source_document;
  int close_of_business_seconds = 17 * 3600 + 30 * 60;  // 下班前; the town's hours are not published
  std::vector<Unit> units;
  // The town file's units whose from and until leave this campaign out (filled by validation):
  // the campaign has none of their items, which the program checks at start (engine/data_error.h).
  std::vector<Unit> units_not_in_force;
  std::vector<UnitGroup> groups;
  std::vector<Area> areas;
  std::vector<Phase> phases;
  std::vector<DeadlineRule> deadlines;
  std::vector<ProblemSource> sources;
  std::vector<Choice> household_categories;
  std::vector<Choice> risk_types;
  std::vector<Choice> clue_sources;
  std::vector<Label> problem_labels;
  std::vector<Label> enrollment_labels;
  std::vector<MinimumDwell> minimum_dwells;
  std::vector<StepDuration> step_durations;
  std::vector<WarningTier> warning_tiers;  // mildest first; empty: items have no tier
  NotifierSettings notifier;
  std::optional<LedgerObligation> ledgers;  // none: no unit owes a ledger
  std::optional<ScoreFormula> scores;       // none: villages are not scored
  std::optional<SurveySettings> survey;     // none: the campaign has no household survey
  FormTitles form_titles;
  Permissions permissions;
  // The official working-day calendar the relative rules count on (workflows/calendars/).
  // Shared: it is immutable, and several campaigns may use the same one.
  std::shared_ptr<const WorkCalendar> calendar;

  const Unit* FindUnit(std::string_view id) const;
  // The unit `id` when it is a village, else nullptr: a household, its survey and its forms are a village's.
  const Unit* FindVillage(std::string_view id) const;
  // Where a unit stands in `units` (lists and forms go in this order); units.size() when unknown.
  std::size_t UnitRank(std::string_view id) const;
  const UnitGroup* FindGroup(std::string_view id) const;
  const Area* FindArea(int number) const;
  const Phase* FindPhase(std::string_view id) const;
  const ProblemSource* FindSource(std::string_view id) const;
  const DeadlineRule* FindDeadline(std::string_view id) const;
  // The rule with item_default for this subject, if the campaign has one.
  const DeadlineRule* DefaultDeadline(DeadlineSubject subject) const;
  // The rule with on_reopen for this subject, if the campaign has one.
  const DeadlineRule* ReopenDeadline(DeadlineSubject subject) const;
  const WarningTier* FindTier(std::string_view id) const;
  // The Chinese label of a state ("待验收"): the state path's, else its top-level state's, else
  // the path itself.
  std::string StateLabel(ItemKind kind, const StatePath& state) const;
};

// Finds a choice by its id or by its Chinese name, so forms and spreadsheets may use either.
const Choice* FindChoice(const std::vector<Choice>& choices, std::string_view id_or_name);

// Checks that every id is unique and every reference resolves, expands groups into
// `UnitGroup::members` and `Area::responsible_units`, and checks dates, deadline rules, minimum
// dwells, phase gates and notifier settings against the workflows. Relative deadline rules and
// minimum dwells need `calendar`.
// On failure the Status is kInvalidArgument and its field is a path into the campaign such
// as "areas[3].responsible[1]"; the campaign may then be partly expanded and must not be used.
Status ValidateCampaign(Campaign& campaign);

}  // namespace rectify
