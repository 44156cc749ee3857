#include "engine/ledger_obligations.h"

#include <algorithm>
#include <map>

#include "engine/as_it_stood.h"
#include "engine/item_facts.h"

namespace rectify {

std::optional<Instant> LedgerDue(const Campaign& campaign) {
  if (!campaign.ledgers) return std::nullopt;
  const DeadlineRule* rule = campaign.FindDeadline(campaign.ledgers->deadline);
  if (rule == nullptr) return std::nullopt;  // validation refuses this
  return ShanghaiInstant(rule->date, rule->seconds_of_day);
}

std::vector<std::string> UnitsOwingLedger(const Campaign& campaign, const std::set<std::string>& units_with_problems) {
  std::vector<std::string> owing;
  if (!campaign.ledgers) return owing;
  for (const Unit& unit : campaign.units) {
    const auto& owed = campaign.ledgers->owed_by_units;
    if (std::find(owed.begin(), owed.end(), unit.id) == owed.end()) continue;
    if (campaign.ledgers->only_units_with_problems && units_with_problems.count(unit.id) == 0) continue;
    owing.push_back(unit.id);
  }
  return owing;
}

std::vector<LedgerStatus> LedgerStatuses(const Campaign& campaign, const std::set<std::string>& units_with_problems,
                                         const std::vector<LedgerHandIn>& latest, Instant as_of) {
  std::vector<LedgerStatus> statuses;
  const std::optional<Instant> due = LedgerDue(campaign);
  if (!due) return statuses;
  std::map<std::string, const LedgerHandIn*> by_unit;
  for (const LedgerHandIn& handin : latest) by_unit[handin.unit] = &handin;
  for (const std::string& unit : UnitsOwingLedger(campaign, units_with_problems)) {
    LedgerStatus status;
    status.unit = unit;
    status.due = *due;
    const auto found = by_unit.find(unit);
    // A hand-in recorded after the as-of instant had not happened yet.
    if (found != by_unit.end() && found->second->submitted_at <= as_of) status.handin = *found->second;
    if (status.handin && status.handin->confirmed_at && *status.handin->confirmed_at > as_of) {
      status.handin->confirmed_at.reset();
      status.handin->confirmed_by.clear();
    }
    status.overdue = !status.handin && as_of > *due;
    status.late = status.handin && status.handin->submitted_at > *due;
    statuses.push_back(std::move(status));
  }
  return statuses;
}

Result<std::set<std::string>> UnitsWithProblems(const Campaign& campaign, ItemStore& store, Instant as_of) {
  std::set<std::string> units;
  if (!campaign.ledgers) return units;
  // A problem written after as_of may have been another unit's then (reassigned since): the
  // problems are read as they stood, one by one. Else the holders now are the holders then.
  ItemQuery changed;
  changed.kind = ItemKind::kProblem;
  changed.changed_since = as_of + 1;
  changed.limit = 1;
  auto written_since = store.List(changed);
  if (!written_since.ok()) return written_since.status();
  if (!written_since->empty()) {
    const std::set<std::string> owed(campaign.ledgers->owed_by_units.begin(), campaign.ledgers->owed_by_units.end());
    ItemQuery all;
    all.kind = ItemKind::kProblem;
    all.limit = 500;
    RECTIFY_RETURN_IF_ERROR(ForEachItemAsOf(store, campaign, all, as_of, [&](const Item& item, const HistoryFacts&) {
      if (RecordedBy(item, as_of) && owed.count(item.unit) > 0) units.insert(item.unit);
    }));
    return units;
  }
  for (const std::string& unit : campaign.ledgers->owed_by_units) {
    ItemQuery query;
    query.kind = ItemKind::kProblem;
    query.unit = unit;
    query.limit = 1;
    // In id order: a problem's id and the time it was recorded (created_at, carried_at) grow
    // together, so the first is the earliest.
    auto found = store.List(query);
    if (!found.ok()) return found.status();
    if (!found->empty() && RecordedBy(found->front(), as_of)) units.insert(unit);
  }
  return units;
}

Result<std::vector<LedgerStatus>> LoadLedgerStatuses(const Campaign& campaign, ItemStore& items,
                                                     AttachmentStore& attachments, Instant as_of) {
  auto units = UnitsWithProblems(campaign, items, as_of);
  if (!units.ok()) return units.status();
  auto latest = attachments.LatestLedgers(campaign.id);
  if (!latest.ok()) return latest.status();
  return LedgerStatuses(campaign, *units, *latest, as_of);
}

}  // namespace rectify
