#include "notifier/digest.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace rectify::notifier {

void MergeDigest(Digest& into, Digest from) {
  if (into.unit_id.empty()) {
    into = std::move(from);
    return;
  }
  if (into.campaign_name != from.campaign_name) into.campaign_name.clear();
  for (auto [to, list] : {std::pair{&into.overdue, &from.overdue}, std::pair{&into.due_soon, &from.due_soon}})
    to->insert(to->end(), std::make_move_iterator(list->begin()), std::make_move_iterator(list->end()));
  into.overdue_unlisted += from.overdue_unlisted;
  into.due_soon_unlisted += from.due_soon_unlisted;
  for (const auto& [unit, count] : from.unlisted_by_unit) into.unlisted_by_unit[unit] += count;
  for (CampaignLink& link : from.full_lists)
    if (std::find(into.full_lists.begin(), into.full_lists.end(), link) == into.full_lists.end())
      into.full_lists.push_back(std::move(link));
}

std::size_t OverdueCount(const Digest& digest) {
  return digest.overdue.size() + static_cast<std::size_t>(digest.overdue_unlisted);
}

std::size_t DueSoonCount(const Digest& digest) {
  return digest.due_soon.size() + static_cast<std::size_t>(digest.due_soon_unlisted);
}

std::vector<std::string> CampaignsOf(const Digest& digest) {
  std::vector<std::string> campaigns;
  for (const auto* list : {&digest.overdue, &digest.due_soon})
    for (const DigestItem& item : *list)
      if (std::find(campaigns.begin(), campaigns.end(), item.campaign_name) == campaigns.end())
        campaigns.push_back(item.campaign_name);
  return campaigns;
}

}  // namespace rectify::notifier
