#include "notifier/scan.h"

#include <functional>
#include <set>
#include <vector>

#include "engine/data_error.h"
#include "notifier/scan_stages.h"

namespace rectify::notifier {

Result<ScanResult> Scan(const Campaign& campaign, ItemStore& store, const std::vector<LedgerStatus>& ledgers,
                        const std::vector<Silence>& silences, Instant as_of, Instant now, Instant notes_since,
                        const std::string& link_base, const SurveyCoverage* survey) {
  ScanResult result;
  std::vector<Line> routed;
  Unlisted unlisted;
  {
    // The overdue, the most, pass Inhibit's and Summarise's tests as they are read, in outline:
    // only what a digest lists is read whole and held. Asked again below, the kept ones pass
    // again. One whose dates the calendar does not cover is kept, to be told of whole by Inhibit.
    // With no slot before (notes_since 0) every note is new, and every item is kept.
    Admission admission(silences, as_of);
    SupervisedSince supervised;
    if (notes_since > 0) {
      auto found = OpenItemsSupervisedSince(store, notes_since, as_of);
      if (!found.ok()) return found.status();
      supervised = std::move(found).value();
    }
    const std::set<std::int64_t>* noted = notes_since > 0 ? &supervised.ids : nullptr;
    ListBudget budget(campaign, as_of, noted);
    std::function<bool(const Candidate&)> keep_overdue;
    if (notes_since > 0)
      keep_overdue = [&](const Candidate& candidate) {
        if (StoredDataError(campaign, candidate.item)) return true;
        return !admission.Silenced(candidate.item.id) && budget.Keep(candidate, unlisted);
      };
    auto collected = Collect(campaign, store, as_of, now, keep_overdue);
    if (!collected.ok()) return collected.status();
    if (notes_since > 0) RECTIFY_RETURN_IF_ERROR(AddSupervised(store, supervised.not_overdue, notes_since, as_of, *collected));
    Collected kept = ReadHistories(
        store, Summarise(campaign, Inhibit(campaign, std::move(collected).value(), admission, as_of, result.data_errors),
                         as_of, noted));
    for (auto [into, from] : {std::pair{&unlisted.overdue, &kept.unlisted.overdue},
                              std::pair{&unlisted.due_soon, &kept.unlisted.due_soon},
                              std::pair{&unlisted.escalated, &kept.unlisted.escalated}})
      for (const auto& [key, count] : *from) (*into)[key] += count;
    auto lines = Tier(campaign, kept, TierInputs{ledgers, survey, notes_since, link_base}, as_of, result.data_errors);
    if (!lines.ok()) return lines.status();
    routed = Route(campaign, std::move(lines).value());
    // The candidates go before grouping, which reads only the lines: at a county's size they are
    // the largest thing the pass holds, and grouping copies the long-overdue lines.
    for (Line& line : routed) line.item = nullptr;
  }
  Grouped grouped = Group(campaign, std::move(routed), unlisted, as_of);
  // Where a digest that leaves lines out sends its reader for all of them.
  for (std::vector<Digest>* digests : {&grouped.units, &grouped.supervisors})
    for (Digest& digest : *digests)
      if (digest.overdue_unlisted + digest.due_soon_unlisted > 0)
        digest.full_lists = {CampaignLink{campaign.name, CampaignPage(link_base, campaign)}};
  result.units = std::move(grouped.units);
  result.supervisors = std::move(grouped.supervisors);
  return result;
}

}  // namespace rectify::notifier
