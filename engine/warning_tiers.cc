#include "engine/warning_tiers.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <vector>

#include "engine/item_facts.h"
#include "engine/workflow.h"

namespace rectify {
namespace {

// The conditions of time of one tier, on the item's deadline in force.
struct Timing {
  bool overdue = false;
  int working_days = 0;  // left until the deadline's day, or past it when overdue
};

bool TimeHolds(const WarningTier& tier, const Timing& t) {
  if (tier.due_within_working_days && !t.overdue && t.working_days <= *tier.due_within_working_days) return true;
  if (tier.overdue && t.overdue) return true;
  return tier.overdue_more_than_working_days && t.overdue && t.working_days > *tier.overdue_more_than_working_days;
}

}  // namespace

// A tier row's note, "tier: yellow -> red" (TierAfter reads it back).
constexpr const char* kTierNotePrefix = "tier: ";
constexpr const char* kTierNoteArrow = " -> ";
constexpr const char* kNoTier = "none";

Result<TierDecision> DecideTier(const Campaign& campaign, const Item& item, Instant as_of) {
  TierDecision out;
  if (campaign.warning_tiers.empty() || !campaign.calendar || !item.due_at) return out;
  if (WorkflowFor(item.kind).IsClosed(item.state)) return out;
  Timing timing;
  timing.overdue = *item.due_at < as_of;
  const CivilDate today = ShanghaiDate(as_of);
  const CivilDate due_day = DeadlineDay(*item.due_at);
  auto days = timing.overdue ? campaign.calendar->WorkingDaysBetween(due_day, today)
                             : campaign.calendar->WorkingDaysBetween(today, due_day);
  if (!days.ok()) return days.status();
  timing.working_days = *days;
  for (const WarningTier& tier : campaign.warning_tiers)
    if (TimeHolds(tier, timing)) out.base = &tier;
  auto entering = [&](const WarningTier* tier) {
    return std::find(out.entering.begin(), out.entering.end(), tier) != out.entering.end();
  };
  auto entries = [&](const std::string& id) {
    const auto found = item.tier_entries.find(id);
    const int recorded = found == item.tier_entries.end() ? 0 : found->second;
    return recorded + (entering(campaign.FindTier(id)) ? 1 : 0);
  };
  if (out.base != nullptr && out.base->id != item.tier) out.entering.push_back(out.base);
  // Entering a tier may make a tier counted on it hold: decided again until nothing new is
  // entered (at most once per tier).
  for (;;) {
    out.tier = nullptr;
    for (const WarningTier& tier : campaign.warning_tiers) {
      const bool entered = !tier.entered.empty() && entries(tier.entered) >= tier.entered_times;
      if (TimeHolds(tier, timing) || entered) out.tier = &tier;
    }
    if (out.tier == nullptr || out.tier->id == item.tier || entering(out.tier)) break;
    out.entering.push_back(out.tier);
  }
  std::sort(out.entering.begin(), out.entering.end());  // mildest first: the campaign's order
  return out;
}

std::optional<std::string> TierAfter(const EventRecord& row) {
  if (row.event != kTierEvent || row.note.rfind(kTierNotePrefix, 0) != 0) return std::nullopt;
  const std::size_t arrow = row.note.find(kTierNoteArrow);
  if (arrow == std::string::npos) return std::nullopt;
  const std::string after = row.note.substr(arrow + std::string_view(kTierNoteArrow).size());
  return after == kNoTier ? std::string() : after;
}

std::string TierId(const Campaign& campaign, const Item& item, Instant as_of) {
  auto decided = DecideTier(campaign, item, as_of);
  return decided.ok() && decided->tier != nullptr ? decided->tier->id : std::string();
}

std::string TierName(const Campaign& campaign, const std::string& tier_id) {
  const WarningTier* tier = campaign.FindTier(tier_id);
  return tier == nullptr ? std::string() : tier->name;
}

namespace {

// A range of deadlines in force [from, before) over which every open item's base tier (by the
// conditions of time alone) is the same at the pass's instant.
struct DeadlineRange {
  std::optional<Instant> from;  // nullopt: from the earliest
  Instant before = std::numeric_limits<Instant>::max();
  std::string base;  // the base tier's id, "" for none
};

// The line of deadlines cut where the base tier can change at `as_of`: at each deadline day's
// first instant (a deadline counts on the day its last second falls on, DeadlineDay) and at
// `as_of` itself (a deadline before it is overdue). Beyond the day where the working days counted
// pass every tier's threshold, the base tier stays as it is, so the first and the last ranges are
// open-ended. nullopt when the calendar cannot count the days around `as_of`.
std::optional<std::vector<DeadlineRange>> BaseTierRanges(const Campaign& campaign, Instant as_of) {
  int most_within = 0, most_over = 0;
  for (const WarningTier& tier : campaign.warning_tiers) {
    most_within = std::max(most_within, tier.due_within_working_days.value_or(0));
    most_over = std::max(most_over, tier.overdue_more_than_working_days.value_or(0));
  }
  if (!campaign.calendar) return std::nullopt;
  const WorkCalendar& calendar = *campaign.calendar;
  const CivilDate today = ShanghaiDate(as_of);
  // The days whose deadlines can still differ: a day's count grows with its distance.
  constexpr int kMostDays = 1000;
  CivilDate first = today, last = today;
  for (int n = 0;; ++n) {
    if (n == kMostDays) return std::nullopt;
    first = AddDays(first, -1);
    auto days = calendar.WorkingDaysBetween(first, today);
    if (!days.ok()) return std::nullopt;
    if (*days > most_over + 1) break;
  }
  for (int n = 0;; ++n) {
    if (n == kMostDays) return std::nullopt;
    last = AddDays(last, 1);
    auto days = calendar.WorkingDaysBetween(today, last);
    if (!days.ok()) return std::nullopt;
    if (*days > most_within + 1) break;
  }
  // Cuts: the first instant whose deadline day is each day after `first` up to `last`, and as_of.
  std::vector<Instant> cuts{as_of};
  for (CivilDate day = AddDays(first, 1); day <= last; day = AddDays(day, 1)) cuts.push_back(ShanghaiInstant(day) + 1);
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  Item probe;
  probe.kind = ItemKind::kProblem;
  probe.state = WorkflowFor(probe.kind).Initial();
  auto base_at = [&](Instant due_at) -> std::optional<std::string> {
    probe.due_at = due_at;
    auto decided = DecideTier(campaign, probe, as_of);
    if (!decided.ok()) return std::nullopt;
    return decided->base != nullptr ? decided->base->id : std::string();
  };
  std::vector<DeadlineRange> ranges;
  auto add = [&](std::optional<Instant> from, Instant before, Instant probe_at) {
    auto base = base_at(probe_at);
    if (!base) return false;
    if (!ranges.empty() && ranges.back().base == *base) ranges.back().before = before;
    else ranges.push_back(DeadlineRange{from, before, std::move(*base)});
    return true;
  };
  if (!add(std::nullopt, cuts.front(), cuts.front() - 1)) return std::nullopt;
  for (std::size_t i = 0; i < cuts.size(); ++i) {
    const Instant before = i + 1 < cuts.size() ? cuts[i + 1] : std::numeric_limits<Instant>::max();
    if (!add(cuts[i], before, cuts[i])) return std::nullopt;
  }
  return ranges;
}

// What RecordTiers recorded its tiers by: when the campaign's tiers change, a tier recorded
// under the old ones may be wrong whatever the deadline says, and every open item is read once.
std::string TierRules(const Campaign& campaign) {
  std::string rules;
  for (const WarningTier& tier : campaign.warning_tiers)
    rules += tier.id + "|" + std::to_string(tier.due_within_working_days.value_or(-1)) + "|" +
             (tier.overdue ? "1" : "0") + "|" + std::to_string(tier.overdue_more_than_working_days.value_or(-1)) +
             "|" + tier.entered + "|" + std::to_string(tier.entered_times) + ";";
  return rules;
}

}  // namespace

Result<int> RecordTiers(const Campaign& campaign, ItemStore& store, Instant as_of) {
  int changed = 0;
  if (campaign.warning_tiers.empty()) return changed;
  // A page's changes share one transaction (ItemStore::UpdateEach): at a county's size a pass
  // may move hundreds of thousands of items into a tier, and a commit each would take minutes.
  auto record = [&](std::vector<Item>& page) -> Status {
    std::vector<ItemUpdate> updates;
    for (const Item& item : page) {
      auto decided = DecideTier(campaign, item, as_of);
      if (!decided.ok()) continue;  // a data error: the reports list it
      const std::string now_id = decided->tier != nullptr ? decided->tier->id : std::string();
      if (now_id == item.tier) continue;
      ItemUpdate update{item, {}};
      Item& updated = update.item;
      updated.tier = now_id;
      updated.updated_at = as_of;  // a new version is a change: a program pulling what changed since sees it
      for (const WarningTier* entered : decided->entering) ++updated.tier_entries[entered->id];
      EventRecord& event = update.event;
      event.item_id = item.id;
      event.from = event.to = item.state.ToString();
      event.event = kTierEvent;
      event.actor = "rectify";
      event.at = as_of;
      event.note = std::string(kTierNotePrefix) + (item.tier.empty() ? std::string(kNoTier) : item.tier) +
                   kTierNoteArrow + (now_id.empty() ? std::string(kNoTier) : now_id);
      event.unit = item.unit;
      updates.push_back(std::move(update));
    }
    if (updates.empty()) return Status::Ok();
    auto written = store.UpdateEach(updates);
    if (!written.ok()) return written.status();
    for (const Status& one : *written) {
      if (one.ok()) ++changed;
      else if (one.code() != StatusCode::kAborted) return one;  // kAborted: written meanwhile, next time
    }
    return Status::Ok();
  };
  constexpr int kPage = 500;
  const std::string rules = TierRules(campaign);
  auto recorded_rules = store.GetMeta(kTierRulesMetaKey);
  if (!recorded_rules.ok()) return recorded_rules.status();
  const auto ranges = BaseTierRanges(campaign, as_of);
  const bool targeted = ranges && recorded_rules->value_or("") == rules;
  std::vector<std::string> tier_ids{""};
  for (const WarningTier& tier : campaign.warning_tiers) tier_ids.push_back(tier.id);
  for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
    if (!targeted) {
      ItemQuery open;
      open.kind = kind;
      open.open_only = true;
      open.limit = kPage;
      RECTIFY_RETURN_IF_ERROR(ForEachItemPage(store, open, record));
      continue;
    }
    // Only the items whose recorded tier differs from their base tier now: one whose recorded
    // tier is its base tier has the same tier as when it was recorded (its entries now are those
    // its decision then counted, every tier it entered on its way included: DecideTier), so it
    // has nothing to record. An item made red by its entries while its base is yellow is read
    // each pass and stays red.
    for (const std::string& tier : tier_ids) {
      for (const DeadlineRange& range : *ranges) {
        if (range.base == tier) continue;
        OverdueQuery differs;
        differs.kind = kind;
        differs.tier = tier;
        differs.due_from = range.from;
        differs.as_of = range.before;
        differs.limit = kPage;
        RECTIFY_RETURN_IF_ERROR(ForEachOverduePage(store, differs, record));
      }
    }
    ItemQuery undue;  // lost its deadline in force (a step without one): its tier goes
    undue.kind = kind;
    undue.tier_without_deadline = true;
    undue.limit = kPage;
    RECTIFY_RETURN_IF_ERROR(ForEachItemPage(store, undue, record));
  }
  if (!targeted && ranges) RECTIFY_RETURN_IF_ERROR(store.PutMeta(kTierRulesMetaKey, rules));
  return changed;
}

}  // namespace rectify
