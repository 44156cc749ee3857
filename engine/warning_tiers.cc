#include "engine/warning_tiers.h"

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
  auto entries = [&](const std::string& id) {
    const auto found = item.tier_entries.find(id);
    const int recorded = found == item.tier_entries.end() ? 0 : found->second;
    return recorded + (out.base != nullptr && out.base->id == id && item.tier != id ? 1 : 0);
  };
  for (const WarningTier& tier : campaign.warning_tiers) {
    const bool entered = !tier.entered.empty() && entries(tier.entered) >= tier.entered_times;
    if (TimeHolds(tier, timing) || entered) out.tier = &tier;
  }
  return out;
}

std::string TierId(const Campaign& campaign, const Item& item, Instant as_of) {
  auto decided = DecideTier(campaign, item, as_of);
  return decided.ok() && decided->tier != nullptr ? decided->tier->id : std::string();
}

std::string TierName(const Campaign& campaign, const std::string& tier_id) {
  const WarningTier* tier = campaign.FindTier(tier_id);
  return tier == nullptr ? std::string() : tier->name;
}

Result<int> RecordTiers(const Campaign& campaign, ItemStore& store, Instant as_of) {
  int changed = 0;
  if (campaign.warning_tiers.empty()) return changed;
  for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
    ItemQuery open;
    open.kind = kind;
    open.open_only = true;
    open.limit = 500;
    // A page's changes share one transaction (ItemStore::UpdateEach): at a county's size a pass
    // may move hundreds of thousands of items into a tier, and a commit each would take minutes.
    const Status visited = ForEachItemPage(store, open, [&](std::vector<Item>& page) -> Status {
      std::vector<ItemUpdate> updates;
      for (const Item& item : page) {
        auto decided = DecideTier(campaign, item, as_of);
        if (!decided.ok()) continue;  // a data error: the reports list it
        const std::string now_id = decided->tier != nullptr ? decided->tier->id : std::string();
        if (now_id == item.tier) continue;
        ItemUpdate update{item, {}};
        Item& updated = update.item;
        updated.tier = now_id;
        if (decided->tier != nullptr) ++updated.tier_entries[now_id];
        if (decided->base != nullptr && decided->base != decided->tier && decided->base->id != item.tier)
          ++updated.tier_entries[decided->base->id];
        EventRecord& event = update.event;
        event.item_id = item.id;
        event.from = event.to = item.state.ToString();
        event.event = kTierEvent;
        event.actor = "rectify";
        event.at = as_of;
        event.note = "tier: " + (item.tier.empty() ? std::string("none") : item.tier) + " -> " +
                     (now_id.empty() ? std::string("none") : now_id);
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
    });
    if (!visited.ok()) return visited;
  }
  return changed;
}

}  // namespace rectify
