#include "engine/data_error.h"

#include "engine/item_facts.h"

namespace rectify {

std::optional<DataError> StoredDataError(const Campaign& campaign, const Item& item) {
  // A responsible unit the town file no longer has (renamed or removed while the campaign ran):
  // its figures would go to no one's line, and no one would be reminded of it.
  if (!item.unit.empty() && campaign.FindUnit(item.unit) == nullptr) {
    return DataError{item.kind, item.id, item.title, "unit", item.unit,
                     "unit \"" + item.unit + "\" is not a unit of the town: was it renamed or removed from the town "
                     "file? Restore its id there, or reassign the item"};
  }
  if (!campaign.calendar) return std::nullopt;
  const WorkCalendar& calendar = *campaign.calendar;
  std::vector<std::pair<const char*, CivilDate>> dates;
  if (item.deadline) dates.emplace_back("deadline", DeadlineDay(*item.deadline));
  if (item.due_at) dates.emplace_back("due_at", DeadlineDay(*item.due_at));
  if (item.household) dates.emplace_back("risk_found_on", item.household->risk_found_on);
  if (item.outcome && item.outcome->entered_on) dates.emplace_back("entered_on", *item.outcome->entered_on);
  for (const auto& [field, date] : dates) {
    const Status covered = calendar.CheckCovered(date, field);
    if (covered.ok()) continue;
    DataError error = DataErrorOf(item, covered);
    error.value = FormatDate(date);
    return error;
  }
  return std::nullopt;
}

std::vector<const ItemRecord*> Computable(const Campaign& campaign, const std::vector<ItemRecord>& records,
                                          ItemKind kind, std::vector<DataError>& errors) {
  std::vector<const ItemRecord*> out;
  for (const ItemRecord& record : records) {
    if (record.item.kind != kind) continue;
    if (auto error = StoredDataError(campaign, record.item)) errors.push_back(std::move(*error));
    else out.push_back(&record);
  }
  return out;
}

std::vector<const Item*> Computable(const Campaign& campaign, const std::vector<Item>& items,
                                    std::vector<DataError>& errors) {
  std::vector<const Item*> out;
  for (const Item& item : items) {
    if (auto error = StoredDataError(campaign, item)) errors.push_back(std::move(*error));
    else out.push_back(&item);
  }
  return out;
}

DataError DataErrorOf(const Item& item, const Status& status) {
  return DataError{item.kind, item.id, item.title, status.field(), {}, status.message()};
}

std::string DescribeDataError(const DataError& error) {
  return std::string(ItemKindName(error.kind)) + " " + std::to_string(error.item_id) + " (" + error.title +
         "): " + (error.field.empty() ? "" : error.field + ": ") + error.message;
}

Status CheckItemsOfUnitsInForce(const Campaign& campaign, ItemStore& items) {
  for (const Unit& unit : campaign.units_not_in_force) {
    std::vector<ItemQuery> holding(3);
    holding[0].kind = ItemKind::kProblem;
    holding[0].unit = unit.id;
    holding[1].kind = ItemKind::kEnrollment;
    holding[1].unit = unit.id;
    holding[2].kind = ItemKind::kEnrollment;
    holding[2].village = unit.id;
    for (ItemQuery& query : holding) {
      query.limit = 1;
      auto found = items.List(query);
      if (!found.ok()) return found.status();
      if (found->empty()) continue;
      const Item& item = found->front();
      const std::string dates = (unit.from ? "from " + FormatDate(*unit.from) : std::string()) +
                                (unit.from && unit.until ? " " : "") +
                                (unit.until ? "until " + FormatDate(*unit.until) : std::string());
      return Status::FailedPrecondition(
          "campaign " + campaign.id + " has " + ItemKindName(item.kind) + " " + std::to_string(item.id) + " of unit \"" +
              unit.id + "\" (" + unit.name + "), which the town file says exists " + dates +
              ", outside the campaign: correct its dates there, or the campaign's figures, scores and forms would "
              "leave its items out",
          {});
    }
  }
  return Status::Ok();
}

}  // namespace rectify
