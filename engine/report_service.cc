#include "engine/report_service.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "engine/as_it_stood.h"
#include "engine/permissions.h"
#include "engine/workflow.h"

namespace rectify {
namespace {

// The enrollment step from which a household is named in the village's public notice (公示).
constexpr const char* kPublicNoticeStep = "public_notice";

// A page of the figures' reads: big enough to cost few queries, small enough to hold.
constexpr int kFiguresPage = 500;

ItemQuery AllOf(ItemKind kind) {
  ItemQuery query;
  query.kind = kind;
  query.limit = kFiguresPage;
  return query;
}

// Every item of the queries, a page at a time, into `tally` (problems first: the order of the
// data errors), each as it stood at `as_of` (engine/as_it_stood.h): a past moment's figures
// count nothing that happened after it.
// Which items, or figure items, a viewer's figures count (DashboardReport::unit): all, or a
// unit's own, as they stood at as_of (a problem reassigned since was the unit's then).
using GroupFilter = std::function<bool(const Item& figure_item)>;

bool EveryItem(const Item&) { return true; }

template <typename Tally>
Status TallyItems(ItemStore& store, const Campaign& campaign, Instant as_of, Tally& tally,
                  const GroupFilter& counts = EveryItem) {
  for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment})
    RECTIFY_RETURN_IF_ERROR(ForEachItemAsOf(store, campaign, AllOf(kind), as_of, [&](const Item& item, const HistoryFacts& facts) {
      if (counts(item)) tally.Add(item, facts);
    }));
  return Status::Ok();
}

// The figures from the store's figure groups (engine/figure_items.h): a few thousand groups
// where the items may be a million. nullopt where the groups cannot stand for the items at
// `as_of` (an item written after it, or not counted yet), or where a group is a data error (an
// error names the item itself): then the caller tallies the items one by one.
template <typename Tally>
auto FiguresFromGroups(ItemStore& store, Tally tally, Instant as_of, const GroupFilter& counts)
    -> Result<std::optional<decltype(std::move(tally).Finish())>> {
  using Figures = decltype(std::move(tally).Finish());
  for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
    FigureGroupsQuery query;
    query.kind = kind;
    query.as_of = as_of;
    auto stood = store.FigureGroups(query, [&](const FigureGroup& group) {
      if (counts(group.item)) tally.Add(group.item, group.facts, static_cast<int>(group.count));
    });
    if (!stood.ok()) return stood.status();
    if (!*stood) return std::optional<Figures>();
  }
  Figures figures = std::move(tally).Finish();
  if (!figures.data_errors.empty()) return std::optional<Figures>();
  return std::optional<Figures>(std::move(figures));
}

}  // namespace

Status ReportService::Require(const char* action, const Actor& actor) const {
  if (campaign_.permissions.MayDo(action, actor)) return Status::Ok();
  return Status::PermissionDenied(actor.name + " may not " + action + " here");
}

Result<DashboardReport> ReportService::Dashboard(const Actor& actor, Instant as_of) {
  const bool sees_all = campaign_.permissions.SeesAll(actor);
  if (!sees_all && actor.unit.empty()) return Status::PermissionDenied(actor.name + " belongs to no unit");
  DashboardReport report;
  GroupFilter counts = EveryItem;
  if (!sees_all) {
    // A unit's figures are the problems it answers for and the households it may see.
    report.unit = actor.unit;
    counts = [unit = actor.unit](const Item& item) { return CountsForUnit(item, unit); };
  }
  auto grouped = FiguresFromGroups(store_, DashboardTally(campaign_, as_of), as_of, counts);
  if (!grouped.ok()) return grouped.status();
  if (*grouped) {
    report.dashboard = std::move(**grouped);
  } else {
    DashboardTally tally(campaign_, as_of);
    RECTIFY_RETURN_IF_ERROR(TallyItems(store_, campaign_, as_of, tally, counts));
    report.dashboard = std::move(tally).Finish();
  }
  if (!sees_all) {
    // Its rates are the ones the town's dashboard and the 督查通报 print for it: over every item
    // it has held, also those reassigned since, which its own lists no longer show.
    auto town = TownRates(as_of);
    if (!town.ok()) return town.status();
    report.dashboard.rates.clear();
    for (UnitRates& row : *town)
      if (row.unit == actor.unit) report.dashboard.rates.push_back(std::move(row));
  }
  return report;
}

Result<std::vector<UnitRates>> ReportService::TownRates(Instant as_of) {
  auto grouped = FiguresFromGroups(store_, DashboardTally(campaign_, as_of), as_of, EveryItem);
  if (!grouped.ok()) return grouped.status();
  if (*grouped) return std::move((*grouped)->rates);
  DashboardTally tally(campaign_, as_of);
  RECTIFY_RETURN_IF_ERROR(TallyItems(store_, campaign_, as_of, tally));
  return std::move(tally).Finish().rates;
}

Result<VillageScores> ReportService::Scores(const Actor& actor, Instant as_of) {
  RECTIFY_RETURN_IF_ERROR(Require("view_scores", actor));
  VillageScoreTally tally(campaign_, as_of);
  RECTIFY_RETURN_IF_ERROR(tally.Check());
  auto grouped = FiguresFromGroups(store_, VillageScoreTally(campaign_, as_of), as_of, EveryItem);
  if (!grouped.ok()) return grouped.status();
  if (*grouped) return std::move(**grouped);
  RECTIFY_RETURN_IF_ERROR(TallyItems(store_, campaign_, as_of, tally));
  return std::move(tally).Finish();
}

Result<LedgerRecords> ReportService::Ledger(const Actor& actor, std::optional<std::string> unit) {
  if (!campaign_.permissions.SeesAll(actor)) {
    if (actor.unit.empty() || (unit && *unit != actor.unit))
      return Status::PermissionDenied(actor.name + " may export only the ledger of unit " + actor.unit);
    unit = actor.unit;
  }
  if (unit && campaign_.FindUnit(*unit) == nullptr)
    return Status::InvalidArgument("unit", "unknown unit \"" + *unit + "\"");
  RecordWalk problems = LedgerWalk(store_, campaign_, unit);
  return LedgerRecords{std::move(unit), std::move(problems)};
}

Status CheckFormAsOf(Instant as_of, Instant now) {
  if (ShanghaiDate(as_of) >= ShanghaiDate(now)) return Status::Ok();
  return Status::InvalidArgument("as_of", FormatInstant(as_of) + " is before today: this form lists the items as they "
                                          "stand now and cannot rebuild an earlier day");
}

Result<RosterItems> ReportService::Roster(const Actor& actor, const std::optional<std::string>& village,
                                          bool public_notice) {
  if (village && campaign_.FindVillage(*village) == nullptr)
    return Status::InvalidArgument("village", "unknown village \"" + *village + "\"");
  ItemQuery query;
  query.kind = ItemKind::kEnrollment;
  query.village = village;
  if (!campaign_.permissions.SeesAll(actor)) {
    if (actor.unit.empty() || (village && *village != actor.unit))
      return Status::PermissionDenied(actor.name + " may export only the households of unit " + actor.unit);
    query.visible_to_unit = actor.unit;
  }
  if (public_notice) {
    // A public notice names the households that have reached it, not fresh risk clues.
    const std::vector<std::string> states = EnrollmentWorkflow().States();
    const auto from = std::find_if(states.begin(), states.end(),
                                   [](const std::string& state) { return StatePath::Parse(state).step == kPublicNoticeStep; });
    query.state_paths.assign(from, states.end());
  }
  RosterItems roster;
  roster.village = village;
  const Unit* own = campaign_.FindUnit(actor.unit);
  if (!village && !campaign_.permissions.SeesAll(actor) && own && own->kind == UnitKind::kVillage)
    roster.village = own->id;
  if (public_notice) {
    roster.disclosure = Disclosure::kOmitted;
  } else {
    bool full = true;
    query.limit = 500;
    RECTIFY_RETURN_IF_ERROR(ForEachItem(store_, query, [&](const Item& item) {
      full = full && items_.MaySeePersonalData(item, actor);
      return Status::Ok();
    }));
    roster.disclosure = full ? Disclosure::kFull : Disclosure::kMasked;
    roster.in_full = [this, actor](const Item& item) { return items_.MaySeePersonalData(item, actor); };
  }
  roster.households = RosterWalk(store_, campaign_, std::move(query));
  return roster;
}

Result<BulletinItems> ReportService::Bulletin(const Actor& actor, Instant as_of) {
  RECTIFY_RETURN_IF_ERROR(Require("export_bulletin", actor));
  BulletinItems out;
  // The same rates as the dashboard's: one computation of them.
  auto rates = TownRates(as_of);
  if (!rates.ok()) return rates.status();
  out.rates = std::move(*rates);
  out.with_deadline = DeadlineWalk(store_, campaign_);
  out.overdue = OverdueWalk(store_, campaign_, as_of);
  return out;
}

}  // namespace rectify
