#include "engine/form_order.h"

#include "engine/data_error.h"

#include <algorithm>
#include <limits>
#include <set>
#include <utility>
#include <vector>

namespace rectify {
namespace {

constexpr int kPage = 500;

using PageVisitor = std::function<Status(std::vector<Item>& page)>;
// The pages of one unit's items (or, for nullopt, of every unit's) in the form's order.
using UnitPages = std::function<Status(const std::optional<std::string>& unit, const PageVisitor& visit)>;

// The pages of each unit of the campaign among `present` (the units that have items), in the
// campaign's order, then those of the units outside the campaign together.
Status InUnitOrder(const Campaign& campaign, const std::set<std::string>& present, const UnitPages& pages,
                   const std::function<std::string(const Item&)>& unit_of, const PageVisitor& visit) {
  for (const Unit& unit : campaign.units)
    if (present.count(unit.id) > 0) RECTIFY_RETURN_IF_ERROR(pages(unit.id, visit));
  std::vector<std::string> others;
  for (const std::string& unit : present)
    if (campaign.UnitRank(unit) == campaign.units.size()) others.push_back(unit);
  if (others.empty()) return Status::Ok();
  if (others.size() == 1) return pages(others.front(), visit);
  return pages(std::nullopt, [&](std::vector<Item>& page) {
    const auto in_campaign = [&](const Item& item) { return campaign.UnitRank(unit_of(item)) < campaign.units.size(); };
    page.erase(std::remove_if(page.begin(), page.end(), in_campaign), page.end());
    return page.empty() ? Status::Ok() : visit(page);
  });
}

Result<std::set<std::string>> UnitsWithItems(ItemStore& store, const std::vector<ItemQuery>& queries) {
  std::set<std::string> units;
  for (const ItemQuery& query : queries) {
    auto counts = store.CountByUnit(query);
    if (!counts.ok()) return counts.status();
    for (const auto& [unit, count] : *counts) units.insert(unit);
  }
  return units;
}

PageVisitor ForEachOf(const ItemVisitor& visit) {
  return [&visit](std::vector<Item>& page) {
    for (const Item& item : page) RECTIFY_RETURN_IF_ERROR(visit(item));
    return Status::Ok();
  };
}

std::string ResponsibleUnit(const Item& item) { return item.unit; }
std::string Village(const Item& item) { return item.household ? item.household->village : std::string(); }

}  // namespace

RecordWalk LedgerWalk(ItemStore& store, const Campaign& campaign, std::optional<std::string> unit) {
  return [&store, &campaign, unit = std::move(unit)](const RecordVisitor& visit) -> Status {
    ItemQuery problems;
    problems.kind = ItemKind::kProblem;
    problems.limit = kPage;
    const UnitPages pages = [&](const std::optional<std::string>& of, const PageVisitor& page_visit) {
      ItemQuery query = problems;
      query.unit = of;
      return ForEachItemPage(store, query, page_visit, PageReading::kAhead);
    };
    const PageVisitor with_histories = [&](std::vector<Item>& page) {
      auto records = WithHistories(store, std::move(page), [](const Item& item) {
        return !item.facts || !item.latest_progress;  // written before the store kept them
      });
      if (!records.ok()) return records.status();
      for (const ItemRecord& record : *records) RECTIFY_RETURN_IF_ERROR(visit(record));
      return Status::Ok();
    };
    if (unit) return pages(unit, with_histories);
    auto present = UnitsWithItems(store, {problems});
    if (!present.ok()) return present.status();
    return InUnitOrder(campaign, *present, pages, ResponsibleUnit, with_histories);
  };
}

ItemWalk RosterWalk(ItemStore& store, const Campaign& campaign, ItemQuery query) {
  query.order = ItemOrder();
  query.after_id = 0;
  query.after.reset();
  query.limit = kPage;
  return [&store, &campaign, query = std::move(query)](const ItemVisitor& visit) -> Status {
    const UnitPages pages = [&](const std::optional<std::string>& village, const PageVisitor& page_visit) {
      ItemQuery one = query;
      if (village) one.village = village;
      return ForEachItemPage(store, one, page_visit, PageReading::kAhead);
    };
    if (query.village) return pages(query.village, ForEachOf(visit));
    // The store counts by responsible unit, not by village: one pass finds the villages.
    std::set<std::string> present;
    RECTIFY_RETURN_IF_ERROR(ForEachItem(store, query, [&present](const Item& item) {
      present.insert(Village(item));
      return Status::Ok();
    }));
    return InUnitOrder(campaign, present, pages, Village, ForEachOf(visit));
  };
}

ItemWalk OverdueWalk(ItemStore& store, const Campaign& campaign, Instant as_of) {
  return [&store, &campaign, as_of](const ItemVisitor& visit) -> Status {
    const UnitPages pages = [&](const std::optional<std::string>& unit, const PageVisitor& page_visit) {
      OverdueQuery query;
      query.as_of = as_of;
      query.unit = unit;
      query.limit = kPage;
      return ForEachOverduePage(store, query, page_visit, PageReading::kAhead);
    };
    std::vector<ItemQuery> overdue(2);
    overdue[0].kind = ItemKind::kProblem;
    overdue[1].kind = ItemKind::kEnrollment;
    for (ItemQuery& query : overdue) query.overdue_as_of = as_of;
    auto present = UnitsWithItems(store, overdue);
    if (!present.ok()) return present.status();
    return InUnitOrder(campaign, *present, pages, ResponsibleUnit, ForEachOf(visit));
  };
}

ItemWalk DeadlineWalk(ItemStore& store, const Campaign& campaign) {
  return [&store, &campaign](const ItemVisitor& visit) -> Status {
    OverdueQuery query;
    query.as_of = std::numeric_limits<Instant>::max();
    query.limit = kPage;
    query.outline = true;
    return ForEachOverduePage(store, query, [&](std::vector<Item>& page) {
      for (const Item& outline : page) {
        if (!StoredDataError(campaign, outline)) {
          RECTIFY_RETURN_IF_ERROR(visit(outline));
          continue;
        }
        // Seldom: its data error is listed by its title, which no outline holds.
        Result<Item> whole = store.Get(outline.kind, outline.id);
        if (whole.status().code() == StatusCode::kNotFound) continue;  // gone since the page was read
        if (!whole.ok()) return whole.status();
        RECTIFY_RETURN_IF_ERROR(visit(*whole));
      }
      return Status::Ok();
    }, PageReading::kAhead);
  };
}

}  // namespace rectify
