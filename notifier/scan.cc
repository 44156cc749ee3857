#include "notifier/scan.h"

#include "notifier/scan_stages.h"

namespace rectify::notifier {

Result<ScanResult> Scan(const Campaign& campaign, ItemStore& store, const std::vector<LedgerStatus>& ledgers,
                        const std::vector<Silence>& silences, Instant as_of, Instant notes_since,
                        const std::string& link_base, const SurveyCoverage* survey) {
  ScanResult result;
  auto collected = Collect(campaign, store, as_of);
  if (!collected.ok()) return collected.status();
  const Collected kept =
      ReadHistories(store, Inhibit(campaign, std::move(collected).value(), silences, as_of, result.data_errors));
  auto lines = Tier(campaign, kept, TierInputs{ledgers, survey, notes_since, link_base}, as_of, result.data_errors);
  if (!lines.ok()) return lines.status();
  Grouped grouped = Group(campaign, Route(campaign, std::move(lines).value()), as_of);
  result.units = std::move(grouped.units);
  result.supervisors = std::move(grouped.supervisors);
  return result;
}

}  // namespace rectify::notifier
