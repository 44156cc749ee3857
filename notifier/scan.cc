#include "notifier/scan.h"

#include <vector>

#include "notifier/scan_stages.h"

namespace rectify::notifier {

Result<ScanResult> Scan(const Campaign& campaign, ItemStore& store, const std::vector<LedgerStatus>& ledgers,
                        const std::vector<Silence>& silences, Instant as_of, Instant notes_since,
                        const std::string& link_base, const SurveyCoverage* survey) {
  ScanResult result;
  std::vector<Line> routed;
  {
    auto collected = Collect(campaign, store, as_of);
    if (!collected.ok()) return collected.status();
    const Collected kept =
        ReadHistories(store, Inhibit(campaign, std::move(collected).value(), silences, as_of, result.data_errors));
    auto lines = Tier(campaign, kept, TierInputs{ledgers, survey, notes_since, link_base}, as_of, result.data_errors);
    if (!lines.ok()) return lines.status();
    routed = Route(campaign, std::move(lines).value());
    // The candidates go before grouping, which reads only the lines: at a county's size they are
    // the largest thing the pass holds, and grouping copies the long-overdue lines.
    for (Line& line : routed) line.item = nullptr;
  }
  Grouped grouped = Group(campaign, std::move(routed), as_of);
  result.units = std::move(grouped.units);
  result.supervisors = std::move(grouped.supervisors);
  return result;
}

}  // namespace rectify::notifier
