// One campaign's view of the items (engine/deployment.h): an ItemStore over the deployment's
// store that reads and writes only the campaign's items, so no service of one campaign can see
// or touch another's, whatever query it builds. New items are stamped with the campaign; an
// item of another campaign is kNotFound, as if it did not exist; the campaign's small named
// values are kept under its own keys. One read crosses campaigns on purpose: the blocker of
// InsertUnless and UpdateUnless, a rule that holds in every campaign (a household is in one
// enrollment procedure at a time), so the item it finds may be another campaign's.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/item_store.h"

namespace rectify {

class CampaignItemStore final : public ItemStore {
 public:
  // `store` must outlive this one.
  CampaignItemStore(ItemStore& store, std::string campaign) : store_(store), campaign_(std::move(campaign)) {}

  // kInvalidArgument (field "campaign") for an item that names another campaign.
  Result<std::vector<Item>> Insert(std::vector<Item> items, std::vector<EventRecord> created) override;
  Result<Item> Get(ItemKind kind, std::int64_t id) override;
  Result<std::vector<Item>> List(const ItemQuery& query) override;
  Result<std::int64_t> Count(const ItemQuery& query) override;
  Result<std::vector<Item>> Overdue(const OverdueQuery& query) override;
  Result<std::map<std::string, int>> CountByUnit(const ItemQuery& query) override;
  // kNotFound for an item of another campaign.
  Status Update(const Item& item, const EventRecord& event) override;
  // An update of another campaign's item gets kNotFound in its place; the others are written.
  Result<std::vector<Status>> UpdateEach(const std::vector<ItemUpdate>& updates) override;
  Result<Item> CarryOver(Item arriving, EventRecord arrived, Item leaving, EventRecord left) override;
  // The item written must be the campaign's (as Insert and Update); the blocker is not narrowed.
  Result<GuardedWrite> InsertUnless(Item item, EventRecord created, const ItemQuery& blocker) override;
  Result<GuardedWrite> UpdateUnless(const Item& item, const EventRecord& event, const ItemQuery& blocker) override;
  Result<std::vector<EventRecord>> History(ItemKind kind, std::int64_t id) override;
  Result<std::vector<std::vector<EventRecord>>> Histories(const HistoriesQuery& query) override;
  Status UpdateDeadlines(const std::vector<Item>& items) override;
  Result<bool> FigureGroups(const FigureGroupsQuery& query,
                            const std::function<void(const FigureGroup& group)>& visit) override;
  Status CountFigures(const std::vector<Item>& items) override;
  Result<std::optional<std::string>> GetMeta(const std::string& key) override;
  Status PutMeta(const std::string& key, const std::string& value) override;
  Result<bool> PutMetaIf(const std::string& key, const std::optional<std::string>& expected, const std::string& value,
                         const std::optional<AuditRecord>& because) override;

  const std::string& campaign() const { return campaign_; }

 private:
  std::string MetaKey(const std::string& key) const { return "campaign/" + campaign_ + "/" + key; }
  Status CheckOwn(const Item& item) const;

  ItemStore& store_;
  const std::string campaign_;
};

}  // namespace rectify
