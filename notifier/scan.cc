#include "notifier/scan.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "engine/feasibility.h"
#include "engine/item_facts.h"
#include "engine/phase_gates.h"
#include "engine/ledger_obligations.h"
#include "engine/warning_tiers.h"
#include "engine/workflow.h"

namespace rectify::notifier {
namespace {

constexpr int kPage = 500;

// Every open item with due_at in [from, before), most overdue first.
Result<std::vector<Item>> DueBetween(ItemStore& store, std::optional<Instant> from, Instant before) {
  std::vector<Item> out;
  OverdueQuery query;
  query.as_of = before;
  query.due_from = from;
  query.limit = kPage;
  while (true) {
    auto page = store.Overdue(query);
    if (!page.ok()) return page.status();
    out.insert(out.end(), page->begin(), page->end());
    if (static_cast<int>(page->size()) < kPage) return out;
    query.after_due = page->back().due_at;
    query.after_id = page->back().id;
  }
}

std::string RecipientOf(const Campaign& campaign, const Item& item) {
  return AwaitsOffice(campaign.permissions, item) ? campaign.notifier.office : item.unit;
}

// The item's page ("/?campaign=gaoqiao-2021-autumn#/item/problem/7"): opened on a phone it goes
// through the login page and back to the item, in its campaign, where the JSON API would answer 401.
std::string CampaignPage(const std::string& link_base, const Campaign& campaign) {
  return link_base + "/?campaign=" + campaign.id;
}
std::string ItemLink(const std::string& link_base, const Campaign& campaign, const Item& item) {
  return CampaignPage(link_base, campaign) + "#/item/" + ItemKindName(item.kind) + "/" + std::to_string(item.id);
}

// Whether the office is asked to close it (销号): the unit's work is done and accepted.
bool AwaitsClose(const Campaign& campaign, const Item& item) {
  return !item.unit.empty() && AwaitsOffice(campaign.permissions, item);
}

// What a line asks of its recipient (DigestItem::ask). The send-back's reason is read from the
// history; if that read fails the line still goes out, with the state's label.

std::string AskOf(const Campaign& campaign, ItemStore& store, const Item& item) {
  if (item.unit.empty()) return "待交办";
  if (AwaitsClose(campaign, item)) return "待销号";
  if (item.send_back_count > 0) {
    auto history = store.History(item.kind, item.id);
    if (history.ok() && !history->empty()) {
      // The latest row of the unit's work: a tier row changes nothing of it.
      for (auto it = history->rbegin(); it != history->rend(); ++it) {
        if (it->event == kTierEvent || it->signed_for) continue;
        if (!it->sent_back) break;
        const std::string prefix = "reason: ";
        const std::string reason = it->note.rfind(prefix, 0) == 0 ? it->note.substr(prefix.size()) : it->note;
        return "退回重办：" + reason;
      }
    }
  }
  return campaign.StateLabel(item.kind, item.state);
}

// The 督办 notes written on the item in (since, as_of], oldest first, joined by "；"; "" when
// there are none or the history cannot be read (the line still goes out without them).
std::string SupervisionOf(ItemStore& store, const Item& item, Instant since, Instant as_of) {
  auto history = store.History(item.kind, item.id);
  if (!history.ok()) return "";
  std::string notes;
  for (const EventRecord& row : *history) {
    if (row.event != kSuperviseEvent || row.at <= since || row.at > as_of || row.note.empty()) continue;
    notes += (notes.empty() ? "" : "；") + row.note;
  }
  return notes;
}

std::string NameOf(const Campaign& campaign, const std::string& unit_id) {
  const Unit* unit = campaign.FindUnit(unit_id);
  return unit ? unit->name : unit_id;
}

// A line's working days late, or left, from its deadline to `as_of`.
Status CountWorkingDays(const WorkCalendar& calendar, DigestItem& row, Instant as_of) {
  auto days = calendar.WorkingDaysBetween(DeadlineDay(row.deadline), ShanghaiDate(as_of));
  if (!days.ok()) return days.status();
  if (row.overdue) row.working_days_overdue = std::max(*days, 0);
  else row.working_days_left = std::max(-*days, 0);
  return Status::Ok();
}

// The digest of `unit`, begun on first use.
Digest& DigestOf(std::map<std::string, Digest>& by_unit, const Campaign& campaign, const std::string& unit,
                 Instant as_of) {
  Digest& digest = by_unit[unit];
  if (digest.unit_id.empty()) {
    digest.unit_id = unit;
    digest.unit_name = NameOf(campaign, unit);
    digest.campaign_name = campaign.name;
    digest.as_of = as_of;
  }
  return digest;
}

// The survey's line for each village with households not yet visited, once its deadline is
// within `soon_end`: in the village's digest, and on the 督办 list when the deadline has passed.
Status AddSurveyLines(const Campaign& campaign, const SurveyCoverage& survey, Instant as_of, Instant soon_end,
                      const std::string& link_base, std::map<std::string, Digest>& by_unit, Digest& escalated) {
  if (!survey.due || *survey.due >= soon_end) return Status::Ok();
  for (const SurveyCounts& counts : survey.villages) {
    if (counts.unvisited == 0) continue;
    DigestItem row;
    row.kind = "survey";
    row.title = "入户核查（附件2）尚有" + std::to_string(counts.unvisited) + "户未完成（名单共" +
                std::to_string(counts.households) + "户" +
                (counts.sent_back > 0 ? "，其中退回重填" + std::to_string(counts.sent_back) + "户" : std::string()) + "）";
    row.unit_name = NameOf(campaign, counts.village);
    row.deadline = *survey.due;
    row.overdue = *survey.due <= as_of;
    RECTIFY_RETURN_IF_ERROR(CountWorkingDays(*campaign.calendar, row, as_of));
    row.link = CampaignPage(link_base, campaign) + "#/survey";
    Digest& digest = DigestOf(by_unit, campaign, counts.village, as_of);
    (row.overdue ? digest.overdue : digest.due_soon).push_back(row);
    if (row.overdue) escalated.overdue.push_back(row);
  }
  return Status::Ok();
}

}  // namespace

Result<ScanResult> Scan(const Campaign& campaign, ItemStore& store, const std::vector<LedgerStatus>& ledgers,
                        const std::vector<Silence>& silences, Instant as_of, Instant notes_since,
                        const std::string& link_base,
                        const SurveyCoverage* survey) {
  if (!campaign.calendar) return Status::InvalidArgument("calendar", "the notifier counts working days: no calendar");
  const WorkCalendar& calendar = *campaign.calendar;
  const NotifierSettings& settings = campaign.notifier;
  std::set<std::int64_t> silenced;
  for (const Silence& s : silences)
    if (s.until > as_of) silenced.insert(s.item_id);

  // Due soon: before the end of the Nth working day from today.
  auto soon_day = calendar.AddWorkingDays(ShanghaiDate(as_of), settings.due_soon_working_days);
  if (!soon_day.ok()) return soon_day.status();
  auto overdue = DueBetween(store, std::nullopt, as_of);
  if (!overdue.ok()) return overdue.status();
  auto soon = DueBetween(store, as_of, ShanghaiInstant(*soon_day, kSecondsPerDay));
  if (!soon.ok()) return soon.status();

  std::map<std::string, Digest> by_unit;
  Digest escalated;
  escalated.audience = Digest::Audience::kSupervisors;
  escalated.campaign_name = campaign.name;
  escalated.as_of = as_of;
  std::vector<DataError> data_errors;
  std::set<std::int64_t> errored;
  // False, and the item's data error noted once, when the item's dates cannot be computed.
  auto computable = [&](const Item& item) {
    auto error = StoredDataError(campaign, item);
    if (error && errored.insert(item.id).second) data_errors.push_back(std::move(*error));
    return !error;
  };
  // `only_if_cannot_finish`: an item due later, listed only when it can no longer finish in time.
  auto add = [&](const Item& item, bool is_overdue, bool only_if_cannot_finish = false) {
    if (silenced.count(item.id) || !computable(item)) return;
    std::optional<CivilDate> impossible_since;
    if (!is_overdue) {
      // Past its deadline every item is late: the flag is for those still able to ask for more time.
      auto feasible = CheckFeasibility(campaign, item, as_of);
      if (feasible.ok() && *feasible && !(*feasible)->in_time)
        impossible_since = (*feasible)->impossible_since.value_or(ShanghaiDate(as_of));
    }
    if (only_if_cannot_finish && !impossible_since) return;
    DigestItem row;
    row.cannot_finish_since = impossible_since;
    row.id = item.id;
    row.kind = ItemKindName(item.kind);
    row.title = item.title;
    if (const Area* area = campaign.FindArea(item.area)) row.area_name = area->name;
    if (item.household) row.area_name = NameOf(campaign, item.household->village);
    row.unit_name = NameOf(campaign, item.unit.empty() ? campaign.notifier.office : item.unit);
    row.deadline = *item.due_at;
    row.overdue = is_overdue;
    auto days = calendar.WorkingDaysBetween(DeadlineDay(*item.due_at), ShanghaiDate(as_of));
    if (!days.ok()) {
      if (errored.insert(item.id).second) data_errors.push_back(DataErrorOf(item, days.status()));
      return;
    }
    if (is_overdue) row.working_days_overdue = std::max(*days, 0);
    else row.working_days_left = std::max(-*days, 0);
    row.link = ItemLink(link_base, campaign, item);
    row.tier_name = TierName(campaign, TierId(campaign, item, as_of));
    row.awaits_sign_for = item.sign_for.has_value();
    row.ask = AskOf(campaign, store, item);
    row.awaits_close = AwaitsClose(campaign, item);
    row.supervision = SupervisionOf(store, item, notes_since, as_of);
    const std::string recipient = RecipientOf(campaign, item);
    Digest& digest = by_unit[recipient];
    if (digest.unit_id.empty()) {
      digest.unit_id = recipient;
      digest.unit_name = NameOf(campaign, recipient);
      digest.campaign_name = campaign.name;
      digest.as_of = as_of;
    }
    (is_overdue ? digest.overdue : digest.due_soon).push_back(row);
    if (is_overdue && row.working_days_overdue > settings.escalate_after_working_days) escalated.overdue.push_back(row);
  };
  for (const Item& item : *overdue) add(item, true);
  for (const Item& item : *soon) add(item, false);
  const Instant soon_end = ShanghaiInstant(*soon_day, kSecondsPerDay);
  auto later = DueBetween(store, soon_end, std::numeric_limits<Instant>::max());
  if (!later.ok()) return later.status();
  for (const Item& item : *later) add(item, false, /*only_if_cannot_finish=*/true);

  // The ledger each unit owes (附件1): a line in its own digest while it has handed in nothing,
  // due soon or overdue like an item, and on the 督办 list once overdue beyond the threshold.
  for (const LedgerStatus& ledger : ledgers) {
    if (ledger.handin || ledger.due >= soon_end) continue;
    DigestItem row;
    row.kind = "ledger";
    row.title = "问题排查整改台账（附件1）未报送：请单位负责人签字、加盖公章后上传";
    row.unit_name = NameOf(campaign, ledger.unit);
    row.deadline = ledger.due;
    row.overdue = ledger.overdue;
    RECTIFY_RETURN_IF_ERROR(CountWorkingDays(calendar, row, as_of));
    row.link = CampaignPage(link_base, campaign) + "#/exports";  // where the unit hands in its ledger
    Digest& digest = DigestOf(by_unit, campaign, ledger.unit, as_of);
    (row.overdue ? digest.overdue : digest.due_soon).push_back(row);
    if (row.overdue && row.working_days_overdue > settings.escalate_after_working_days)
      escalated.overdue.push_back(row);
  }

  if (survey) RECTIFY_RETURN_IF_ERROR(AddSurveyLines(campaign, *survey, as_of, soon_end, link_base, by_unit, escalated));

  // Phase gates: once a phase is over, what has not reached its gate goes to the supervisors,
  // unless it is already on their list.
  std::set<std::int64_t> listed;
  for (const DigestItem& row : escalated.overdue)
    if (row.kind != "ledger") listed.insert(row.id);
  const CivilDate today = ShanghaiDate(as_of);
  for (GateCheck& gate : PhaseGates(campaign, as_of)) {
    if (!gate.passed || gate.behind.state_paths.empty()) continue;
    const Phase& phase = *gate.phase;
    gate.behind.limit = kPage;
    RECTIFY_RETURN_IF_ERROR(ForEachItem(store, gate.behind, [&](const Item& item) {
      if (silenced.count(item.id) || !computable(item) || !listed.insert(item.id).second) return Status::Ok();
      DigestItem row;
      row.id = item.id;
      row.kind = ItemKindName(item.kind);
      row.title = item.title + "（" + phase.name + "阶段结束未达到要求）";
      if (const Area* area = campaign.FindArea(item.area)) row.area_name = area->name;
      row.unit_name = NameOf(campaign, item.unit.empty() ? campaign.notifier.office : item.unit);
      row.deadline = gate.closes_at;
      row.overdue = true;
      auto days = calendar.WorkingDaysBetween(phase.end, today);
      if (!days.ok()) return days.status();
      row.working_days_overdue = std::max(*days, 0);
      row.link = ItemLink(link_base, campaign, item);
      escalated.overdue.push_back(std::move(row));
      return Status::Ok();
    }));
  }

  // Every line says its campaign: a unit's digest may gather several (Notifier, MergeDigest).
  auto label = [&campaign](Digest& digest) {
    for (auto* list : {&digest.overdue, &digest.due_soon})
      for (DigestItem& row : *list) row.campaign_name = campaign.name;
  };
  label(escalated);
  ScanResult result;
  result.data_errors = std::move(data_errors);
  for (auto& [unit, digest] : by_unit) {
    label(digest);
    // What can no longer finish in time comes first: there may still be time to ask for an extension.
    std::stable_partition(digest.due_soon.begin(), digest.due_soon.end(),
                          [](const DigestItem& row) { return row.cannot_finish_since.has_value(); });
    result.units.push_back(std::move(digest));
  }
  if (!escalated.overdue.empty()) {
    std::stable_sort(escalated.overdue.begin(), escalated.overdue.end(),
                     [](const DigestItem& a, const DigestItem& b) { return a.unit_name < b.unit_name; });
    for (const std::string& supervisor : settings.supervisors) {
      Digest copy = escalated;
      copy.unit_id = supervisor;
      copy.unit_name = NameOf(campaign, supervisor);
      result.supervisors.push_back(std::move(copy));
    }
  }
  return result;
}

}  // namespace rectify::notifier
