#include "app/town_audit_scope.h"

#include <charconv>
#include <string>

#include "engine/audit_service.h"

namespace rectify::app {

AuditScope TownAuditScope(const Campaign& campaign, ItemStore& campaign_items, accounts::AccountStore& accounts) {
  return [&campaign, &campaign_items, &accounts](const AuditRecord& record, const Actor& reader) {
    if (reader.system || reader.town.empty()) return true;
    auto town_user = [&](const std::string& name) {
      constexpr std::string_view kUser = "user ";
      if (name.compare(0, kUser.size(), kUser) != 0) return false;
      auto user = accounts.FindUserByName(name.substr(kUser.size()));
      return user.ok() && user->town == campaign.town;
    };
    if (town_user(record.actor) || town_user(record.subject)) return true;
    // A read of the campaign's data (an export, a sheet's photo) by anyone, the county's people too.
    if (IsCampaignDetail(campaign, record.detail)) return true;
    const auto space = record.subject.find(' ');
    if (space == std::string::npos) return false;
    const auto kind = ParseItemKind(std::string_view(record.subject).substr(0, space));
    std::int64_t id = 0;
    const char* digits = record.subject.data() + space + 1;
    const char* end = record.subject.data() + record.subject.size();
    if (!kind || std::from_chars(digits, end, id).ptr != end) return false;
    return campaign_items.Get(*kind, id).ok();
  };
}

}  // namespace rectify::app
