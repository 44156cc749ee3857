#include "notifier/schedule.h"

#include <algorithm>

namespace rectify::notifier {

Result<std::optional<Instant>> CurrentSlot(const Campaign& campaign, Instant now) {
  if (!campaign.calendar) return Status::InvalidArgument("calendar", "the schedule needs the official calendar");
  std::vector<int> times = campaign.notifier.send_at;
  std::sort(times.rbegin(), times.rend());
  const CivilDate today = ShanghaiDate(now);
  for (int back = 0; back <= 31; ++back) {
    const CivilDate day = AddDays(today, -back);
    auto working = campaign.calendar->IsWorkingDay(day);
    if (!working.ok()) return working.status();
    if (!*working) continue;
    for (const int seconds : times) {
      const Instant slot = ShanghaiInstant(day, seconds);
      if (slot <= now) return std::optional<Instant>(slot);
    }
  }
  return std::optional<Instant>();
}

}  // namespace rectify::notifier
