#include "engine/campaign_item_store.h"

#include <utility>

namespace rectify {

Status CampaignItemStore::CheckOwn(const Item& item) const {
  if (item.campaign == campaign_) return Status::Ok();
  return Status::NotFound(std::string(ItemKindName(item.kind)) + " " + std::to_string(item.id) + " not found");
}

Result<std::vector<Item>> CampaignItemStore::Insert(std::vector<Item> items, std::vector<EventRecord> created) {
  for (Item& item : items) {
    if (item.campaign.empty()) item.campaign = campaign_;
    if (item.campaign != campaign_)
      return Status::InvalidArgument("campaign", "an item of campaign \"" + item.campaign + "\" is not " + campaign_ + "'s");
  }
  return store_.Insert(std::move(items), std::move(created));
}

Result<GuardedWrite> CampaignItemStore::InsertUnless(Item item, EventRecord created, const ItemQuery& blocker) {
  if (item.campaign.empty()) item.campaign = campaign_;
  if (item.campaign != campaign_)
    return Status::InvalidArgument("campaign", "an item of campaign \"" + item.campaign + "\" is not " + campaign_ + "'s");
  return store_.InsertUnless(std::move(item), std::move(created), blocker);
}

Result<GuardedWrite> CampaignItemStore::UpdateUnless(const Item& item, const EventRecord& event,
                                                     const ItemQuery& blocker) {
  RECTIFY_RETURN_IF_ERROR(CheckOwn(item));
  return store_.UpdateUnless(item, event, blocker);
}

Result<Item> CampaignItemStore::CarryOver(Item arriving, EventRecord arrived, Item leaving, EventRecord left) {
  // The campaign the problem goes into is this one; the one it leaves is another.
  if (arriving.campaign.empty()) arriving.campaign = campaign_;
  if (arriving.campaign != campaign_)
    return Status::InvalidArgument("campaign", "an item of campaign \"" + arriving.campaign + "\" is not " + campaign_ + "'s");
  return store_.CarryOver(std::move(arriving), std::move(arrived), std::move(leaving), std::move(left));
}

Result<Item> CampaignItemStore::Get(ItemKind kind, std::int64_t id) {
  auto item = store_.Get(kind, id);
  if (!item.ok()) return item.status();
  // A problem carried before 2026-12 moved whole: the campaign it left says where it went.
  if (item->carried_from == campaign_ && item->campaign != campaign_ && item->carried_from_id == 0)
    return Status::NotFound(std::string(ItemKindName(kind)) + " " + std::to_string(id) +
                            " was carried over (回头看) into campaign " + item->campaign);
  RECTIFY_RETURN_IF_ERROR(CheckOwn(*item));
  return item;
}

Result<std::vector<Item>> CampaignItemStore::List(const ItemQuery& query) {
  ItemQuery own = query;
  own.campaign = campaign_;
  return store_.List(own);
}

Result<std::int64_t> CampaignItemStore::Count(const ItemQuery& query) {
  ItemQuery own = query;
  own.campaign = campaign_;
  return store_.Count(own);
}

Result<std::vector<Item>> CampaignItemStore::Overdue(const OverdueQuery& query) {
  OverdueQuery own = query;
  own.campaign = campaign_;
  return store_.Overdue(own);
}

Result<std::map<std::string, int>> CampaignItemStore::CountByUnit(const ItemQuery& query) {
  ItemQuery own = query;
  own.campaign = campaign_;
  return store_.CountByUnit(own);
}

Status CampaignItemStore::Update(const Item& item, const EventRecord& event) {
  RECTIFY_RETURN_IF_ERROR(CheckOwn(item));
  return store_.Update(item, event);
}

Result<std::vector<Status>> CampaignItemStore::UpdateEach(const std::vector<ItemUpdate>& updates) {
  std::vector<Status> results(updates.size());
  std::vector<ItemUpdate> own;
  std::vector<std::size_t> own_at;  // where each of `own` came from in `updates`
  for (std::size_t i = 0; i < updates.size(); ++i) {
    results[i] = CheckOwn(updates[i].item);
    if (!results[i].ok()) continue;
    own.push_back(updates[i]);
    own_at.push_back(i);
  }
  if (own.empty()) return results;
  auto written = store_.UpdateEach(own);
  if (!written.ok()) return written.status();
  for (std::size_t j = 0; j < own.size(); ++j) results[own_at[j]] = (*written)[j];
  return results;
}

Result<std::vector<EventRecord>> CampaignItemStore::History(ItemKind kind, std::int64_t id) {
  RECTIFY_RETURN_IF_ERROR(Get(kind, id).status());
  return store_.History(kind, id);
}

Result<std::vector<std::vector<EventRecord>>> CampaignItemStore::Histories(const HistoriesQuery& query) {
  HistoriesQuery own = query;
  own.campaign = campaign_;
  return store_.Histories(own);
}

Status CampaignItemStore::UpdateDeadlines(const std::vector<Item>& items) {
  for (const Item& item : items) RECTIFY_RETURN_IF_ERROR(CheckOwn(item));
  return store_.UpdateDeadlines(items);
}

Result<bool> CampaignItemStore::FigureGroups(const FigureGroupsQuery& query,
                                             const std::function<void(const FigureGroup& group)>& visit) {
  FigureGroupsQuery own = query;
  own.campaign = campaign_;
  return store_.FigureGroups(own, visit);
}

Status CampaignItemStore::CountFigures(const std::vector<Item>& items) {
  for (const Item& item : items) RECTIFY_RETURN_IF_ERROR(CheckOwn(item));
  return store_.CountFigures(items);
}

Result<std::optional<std::string>> CampaignItemStore::GetMeta(const std::string& key) {
  return store_.GetMeta(MetaKey(key));
}

Status CampaignItemStore::PutMeta(const std::string& key, const std::string& value) {
  return store_.PutMeta(MetaKey(key), value);
}

Result<bool> CampaignItemStore::PutMetaIf(const std::string& key, const std::optional<std::string>& expected,
                                          const std::string& value, const std::optional<AuditRecord>& because) {
  return store_.PutMetaIf(MetaKey(key), expected, value, because);
}

}  // namespace rectify
