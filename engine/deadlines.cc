#include "engine/deadlines.h"

namespace rectify {

std::optional<Instant> DeadlineFor(const DeadlineRule& rule, const Item& item) {
  switch (rule.kind) {
    case DeadlineKind::kFixed:
      return ShanghaiInstant(rule.date, rule.seconds_of_day);
    case DeadlineKind::kMonthsAfter:
      if (rule.from != "risk_found" || !item.household) return std::nullopt;
      return ShanghaiInstant(AddMonths(item.household->risk_found_on, rule.months), kSecondsPerDay);
  }
  return std::nullopt;
}

std::optional<Instant> ParseDeadline(std::string_view text) {
  if (text.size() == 10) {
    const auto date = ParseDate(text);
    if (!date) return std::nullopt;
    return ShanghaiInstant(*date, kSecondsPerDay);
  }
  return ParseInstant(text);
}

}  // namespace rectify
