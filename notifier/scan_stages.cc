#include "notifier/scan_stages.h"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <iterator>
#include <limits>
#include <set>

#include "engine/feasibility.h"
#include "engine/item_facts.h"
#include "engine/phase_gates.h"
#include "engine/warning_tiers.h"
#include "engine/workflow.h"

namespace rectify::notifier {
namespace {

constexpr int kPage = 500;

// Every open item with due_at in [from, before), most overdue first.
// Whether Inhibit may keep an item due later than the window: only one that can no longer finish
// in time is listed, and one whose dates cannot be computed is reported as a data error. The
// rest (at a county's size, most open items) are left out as they are read, not held until then.
bool MayListDueLater(const Campaign& campaign, const Item& item, Instant as_of) {
  if (StoredDataError(campaign, item)) return true;
  auto feasible = CheckFeasibility(campaign, item, as_of);
  return feasible.ok() && *feasible && !(*feasible)->in_time;
}

// Appends the open items whose deadline in force is in [from, before), most overdue first, as
// candidates `due`, a page at a time (due later: only those MayListDueLater). With `keep` (the
// overdue), each is first read in outline (OverdueQuery::outline) and asked `keep`, and only
// those it keeps are read whole: at a county's size most are only counted, and reading each
// whole was most of the pass.
Status AddDueBetween(const Campaign& campaign, ItemStore& store, std::optional<Instant> from, Instant before,
                     Due due, Instant as_of, std::deque<Candidate>& candidates,
                     std::optional<ItemKind> kind = std::nullopt,
                     const std::function<bool(const Candidate&)>& keep = {}) {
  OverdueQuery query;
  query.as_of = before;
  query.due_from = from;
  query.kind = kind;
  query.limit = kPage;
  query.outline = static_cast<bool>(keep);
  return ForEachOverduePage(store, query, [&](std::vector<Item>& page) {
    for (Item& item : page) {
      if (due == Due::kLater && !MayListDueLater(campaign, item, as_of)) continue;
      Candidate candidate{std::move(item), due, std::nullopt, {}};
      if (keep) {
        if (!keep(candidate)) continue;
        Result<Item> whole = store.Get(candidate.item.kind, candidate.item.id);
        if (!whole.ok()) return whole.status();
        candidate.item = std::move(whole).value();
      }
      candidates.push_back(std::move(candidate));
    }
    return Status::Ok();
  });
}

// Due later than the window (`soon_end`), only an item that can no longer finish in time is
// listed, and none can whose overall deadline falls on or after its kind's latest earliest
// finish (LatestEarliestFinish): so only the items due before that are read, and those whose
// deadline the calendar does not cover (Inhibit reports them as data errors). At a county's size
// that leaves out most open items. Appended in deadline order, as one read of them all would.
Status AddDueLater(const Campaign& campaign, ItemStore& store, Instant soon_end, Instant as_of, Instant written_by,
                   std::deque<Candidate>& candidates) {
  constexpr Instant kNever = std::numeric_limits<Instant>::max();
  const std::size_t first = candidates.size();
  const std::vector<int> years = campaign.calendar->Years();
  // The first deadline in force whose day the calendar does not cover.
  const Instant uncovered = years.empty() ? soon_end : ShanghaiInstant(CivilDate{years.back() + 1, 1, 1}) + 1;
  for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
    auto latest = LatestEarliestFinish(campaign, kind, as_of, written_by);
    // When it cannot be said, every item due later is read.
    const Instant in_time_from = latest.ok() ? ShanghaiInstant(*latest) + 1 : kNever;
    if (in_time_from >= uncovered) {
      RECTIFY_RETURN_IF_ERROR(AddDueBetween(campaign, store, soon_end, kNever, Due::kLater, as_of, candidates, kind));
      continue;
    }
    if (soon_end < in_time_from)
      RECTIFY_RETURN_IF_ERROR(AddDueBetween(campaign, store, soon_end, in_time_from, Due::kLater, as_of, candidates, kind));
    RECTIFY_RETURN_IF_ERROR(
        AddDueBetween(campaign, store, std::max(soon_end, uncovered), kNever, Due::kLater, as_of, candidates, kind));
  }
  std::stable_sort(candidates.begin() + static_cast<std::ptrdiff_t>(first), candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     return std::make_pair(*a.item.due_at, a.item.id) < std::make_pair(*b.item.due_at, b.item.id);
                   });
  return Status::Ok();
}

// The item's page ("/?campaign=gaoqiao-2021-autumn#/item/problem/7"): opened on a phone it goes
// through the login page and back to the item, in its campaign, where the JSON API would answer 401.
std::string ItemLink(const std::string& link_base, const Campaign& campaign, const Item& item) {
  return CampaignPage(link_base, campaign) + "#/item/" + ItemKindName(item.kind) + "/" + std::to_string(item.id);
}

// Whether the office is asked to close it (销号): the unit's work is done and accepted.
bool AwaitsClose(const Campaign& campaign, const Item& item) {
  return !item.unit.empty() && AwaitsOffice(campaign.permissions, item);
}

// What a line asks of its recipient (DigestItem::ask): a send-back's reason is read from the
// history; without it the line says the state's label.
std::string AskOf(const Campaign& campaign, const Item& item, const std::vector<EventRecord>& history) {
  if (item.unit.empty()) return "待交办";
  if (AwaitsClose(campaign, item)) return "待销号";
  if (item.send_back_count > 0) {
    // The latest row of the unit's work: a tier row, a signature alone or a 督办 note changes
    // nothing of it (a note written after the send-back must not hide its reason); a row that
    // signs and moves the item (handing the work in again) is the unit's answer.
    for (auto it = history.rbegin(); it != history.rend(); ++it) {
      const bool signature_alone = it->signed_for && it->from == it->to;
      if (it->event == kTierEvent || it->event == kSuperviseEvent || signature_alone) continue;
      if (!it->sent_back) break;
      const std::string prefix = "reason: ";
      const std::string reason = it->note.rfind(prefix, 0) == 0 ? it->note.substr(prefix.size()) : it->note;
      return "退回重办：" + reason;
    }
  }
  return campaign.StateLabel(item.kind, item.state);
}

// The 督办 notes written on the item in (since, as_of], oldest first, joined by "；".
std::string SupervisionOf(const std::vector<EventRecord>& history, Instant since, Instant as_of) {
  std::string notes;
  for (const EventRecord& row : history) {
    if (row.event != kSuperviseEvent || row.at <= since || row.at > as_of || row.note.empty()) continue;
    notes += (notes.empty() ? "" : "；") + row.note;
  }
  return notes;
}

std::string NameOf(const Campaign& campaign, const std::string& unit_id) {
  const Unit* unit = campaign.FindUnit(unit_id);
  return unit ? unit->name : unit_id;
}

// The name a line gives its responsible unit (DigestItem::unit_name, MakeLine): the office's for
// an item not yet assigned.
std::string ResponsibleName(const Campaign& campaign, const std::string& unit) {
  return NameOf(campaign, unit.empty() ? campaign.notifier.office : unit);
}

std::string AreaOf(const Campaign& campaign, const Item& item) {
  std::string name;
  if (const Area* area = campaign.FindArea(item.area)) name = area->name;
  if (item.household) name = NameOf(campaign, item.household->village);
  return name;
}

Result<DigestItem> ItemLine(const Campaign& campaign, const Candidate& candidate, const TierInputs& inputs,
                            Instant as_of) {
  const Item& item = candidate.item;
  LineFacts facts;
  facts.kind = ItemKindName(item.kind);
  facts.id = item.id;
  facts.title = item.title;
  facts.area_name = AreaOf(campaign, item);
  facts.unit = item.unit;
  facts.deadline = *item.due_at;
  // due_rule names the step limit in force; without one, due_at is the item's own deadline.
  facts.deadline_label = !item.due_rule.empty() ? "本环节时限" : item.kind == ItemKind::kEnrollment ? "纳入时限" : "整改时限";
  facts.overdue = candidate.due == Due::kOverdue;
  facts.link = ItemLink(inputs.link_base, campaign, item);
  auto row = MakeLine(campaign, facts, as_of);
  if (!row.ok()) return row;
  row->cannot_finish_since = candidate.cannot_finish_since;
  row->tier_name = TierName(campaign, TierId(campaign, item, as_of));
  row->awaits_sign_for = item.sign_for.has_value();
  row->ask = AskOf(campaign, item, candidate.history);
  row->awaits_close = AwaitsClose(campaign, item);
  if (row->awaits_close) row->answerable_name = ResponsibleName(campaign, campaign.notifier.office);
  row->supervision = SupervisionOf(candidate.history, inputs.notes_since, as_of);
  return row;
}

}  // namespace

Result<Collected> Collect(const Campaign& campaign, ItemStore& store, Instant as_of, Instant written_by,
                          const std::function<bool(const Candidate&)>& keep_overdue) {
  if (!campaign.calendar) return Status::InvalidArgument("calendar", "the notifier counts working days: no calendar");
  auto soon_end = DueSoonEnd(*campaign.calendar, as_of, campaign.notifier.due_soon_working_days);
  if (!soon_end.ok()) return soon_end.status();
  Collected collected;
  collected.soon_end = *soon_end;
  RECTIFY_RETURN_IF_ERROR(AddDueBetween(campaign, store, std::nullopt, as_of, Due::kOverdue, as_of, collected.items,
                                        std::nullopt, keep_overdue));
  RECTIFY_RETURN_IF_ERROR(AddDueBetween(campaign, store, as_of, collected.soon_end, Due::kSoon, as_of, collected.items));
  RECTIFY_RETURN_IF_ERROR(AddDueLater(campaign, store, collected.soon_end, as_of, written_by, collected.items));
  for (GateCheck& gate : PhaseGates(campaign, as_of)) {
    if (!gate.passed || gate.behind.state_paths.empty()) continue;
    GateCandidates behind{gate.phase, gate.closes_at, {}, {}};
    gate.behind.limit = kPage;
    RECTIFY_RETURN_IF_ERROR(ForEachItem(store, gate.behind, [&behind](const Item& item) {
      if (behind.behind.size() < kMostLinesPerList) behind.behind.push_back(item);
      else behind.more.push_back(GateItemRef{item.id, item.unit, item.due_at});
      return Status::Ok();
    }));
    collected.gates.push_back(std::move(behind));
  }
  return collected;
}

Collected Inhibit(const Campaign& campaign, Collected collected, Admission& admission, Instant as_of,
                  std::vector<DataError>& data_errors) {
  auto keep = [&](const Item& item) { return admission.Admit(campaign, item, data_errors); };
  // Filtered in place: a second container would hold both at once.
  std::size_t kept = 0;
  for (Candidate& candidate : collected.items) {
    if (!keep(candidate.item)) continue;
    if (candidate.due != Due::kOverdue) {
      // Past its deadline every item is late: the flag is for those still able to ask for more time.
      auto feasible = CheckFeasibility(campaign, candidate.item, as_of);
      if (feasible.ok() && *feasible && !(*feasible)->in_time)
        candidate.cannot_finish_since = (*feasible)->impossible_since.value_or(ShanghaiDate(as_of));
    }
    // Due later than the window: listed only when it can no longer finish in time.
    if (candidate.due == Due::kLater && !candidate.cannot_finish_since && !candidate.supervised) continue;
    if (&collected.items[kept] != &candidate) collected.items[kept] = std::move(candidate);
    ++kept;
  }
  collected.items.erase(collected.items.begin() + static_cast<std::ptrdiff_t>(kept), collected.items.end());
  collected.items.shrink_to_fit();
  for (GateCandidates& gate : collected.gates) {
    std::vector<Item> behind;
    for (Item& item : gate.behind)
      if (keep(item)) behind.push_back(std::move(item));
    gate.behind = std::move(behind);
    gate.more.erase(std::remove_if(gate.more.begin(), gate.more.end(),
                                   [&](const GateItemRef& ref) { return admission.Silenced(ref.id); }),
                    gate.more.end());
  }
  return collected;
}

std::string CampaignPage(const std::string& link_base, const Campaign& campaign) {
  return link_base + "/?campaign=" + campaign.id;
}

const std::string& RecipientOf(const Campaign& campaign, const Item& item, AwaitsOfficeMemo& awaits_office) {
  return awaits_office(item) ? campaign.notifier.office : item.unit;
}

Admission::Admission(const std::vector<Silence>& silences, Instant as_of) {
  for (const Silence& s : silences)
    if (s.until > as_of) silenced_.insert(s.item_id);
}

bool Admission::Admit(const Campaign& campaign, const Item& item, std::vector<DataError>& data_errors) {
  if (Silenced(item.id)) return false;
  auto error = StoredDataError(campaign, item);
  if (error && errored_.insert(item.id).second) data_errors.push_back(std::move(*error));
  return !error;
}

ListBudget::ListBudget(const Campaign& campaign, Instant as_of, const std::set<std::int64_t>* supervised)
    : campaign_(campaign),
      as_of_(as_of),
      today_(ShanghaiDate(as_of)),
      awaits_office_(campaign.permissions),
      supervised_(supervised) {}

bool ListBudget::Escalated(const std::optional<Instant>& due_at) const {
  if (!due_at || *due_at >= as_of_) return false;
  auto days = campaign_.calendar->WorkingDaysBetween(DeadlineDay(*due_at), today_);
  return days.ok() && *days > campaign_.notifier.escalate_after_working_days;
}

bool ListBudget::Keep(const Candidate& candidate, Unlisted& unlisted) {
  const Item& item = candidate.item;
  const bool overdue = candidate.due == Due::kOverdue;
  const bool escalated = overdue && Escalated(item.due_at);
  const std::string& recipient = RecipientOf(campaign_, item, awaits_office_);
  std::size_t& shown = (overdue ? overdue_shown_ : due_soon_shown_)[recipient];
  const bool listed = shown < kMostLinesPerList;
  if (listed) ++shown;
  const bool supervised = escalated && escalated_shown_ < kMostLinesPerList;
  if (supervised) ++escalated_shown_;
  const bool noted = supervised_ == nullptr || supervised_->count(item.id) > 0;
  if (listed || supervised || noted) return true;
  ++(overdue ? unlisted.overdue : unlisted.due_soon)[recipient];
  if (escalated)
    // AwaitsClose, asked of the memo: at a county's size most overdue items are counted here,
    // and asking the machine of each took a fifth of the pass.
    ++unlisted.escalated[ResponsibleName(
        campaign_, !item.unit.empty() && awaits_office_(item) ? campaign_.notifier.office : item.unit)];
  return false;
}

Result<SupervisedSince> OpenItemsSupervisedSince(ItemStore& store, Instant since, Instant as_of) {
  SupervisedSince out;
  for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
    ItemQuery supervised;
    supervised.kind = kind;
    supervised.open_only = true;
    supervised.event_between = EventWindow{kSuperviseEvent, since, as_of};
    supervised.limit = kPage;
    RECTIFY_RETURN_IF_ERROR(ForEachItem(store, supervised, [&](const Item& item) {
      out.ids.insert(item.id);
      if (!item.due_at || *item.due_at >= as_of) out.not_overdue.emplace_back(kind, item.id);
      return Status::Ok();
    }));
  }
  return out;
}

Status AddSupervised(ItemStore& store, const std::vector<std::pair<ItemKind, std::int64_t>>& written, Instant notes_since,
                     Instant as_of, Collected& collected) {
  std::set<std::int64_t> candidates;
  for (const Candidate& candidate : collected.items) candidates.insert(candidate.item.id);
  for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
    HistoriesQuery query;
    query.kind = kind;
    // Their histories a batch at a time; the few with a new note are read whole.
    auto add_noted = [&]() -> Status {
      if (query.ids.empty()) return Status::Ok();
      auto histories = store.Histories(query);
      if (!histories.ok()) return histories.status();
      for (std::size_t i = 0; i < query.ids.size(); ++i) {
        if (SupervisionOf((*histories)[i], notes_since, as_of).empty()) continue;
        auto item = store.Get(kind, query.ids[i]);
        if (!item.ok()) return item.status();
        collected.items.push_back(
            Candidate{std::move(item).value(), Due::kLater, std::nullopt, std::move((*histories)[i]), true});
      }
      query.ids.clear();
      return Status::Ok();
    };
    for (const auto& [written_kind, id] : written) {
      if (written_kind != kind || candidates.count(id) > 0) continue;
      query.ids.push_back(id);
      if (query.ids.size() == kMaxHistoriesBatch) RECTIFY_RETURN_IF_ERROR(add_noted());
    }
    RECTIFY_RETURN_IF_ERROR(add_noted());
  }
  return Status::Ok();
}

Collected Summarise(const Campaign& campaign, Collected collected, Instant as_of, const std::set<std::int64_t>* supervised) {
  std::deque<Candidate>& items = collected.items;
  // The order the lists show them in: overdue as collected (most overdue first), then the
  // due-soon that cannot finish, then the rest.
  std::vector<std::size_t> order;
  order.reserve(items.size());
  for (int pass = 0; pass < 3; ++pass)
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Candidate& c = items[i];
      const int rank = c.due == Due::kOverdue ? 0 : c.cannot_finish_since ? 1 : 2;
      if (rank == pass) order.push_back(i);
    }
  ListBudget budget(campaign, as_of, supervised);
  std::vector<bool> keep(items.size(), false);
  for (const std::size_t i : order) keep[i] = budget.Keep(items[i], collected.unlisted);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!keep[i]) continue;
    if (kept != i) items[kept] = std::move(items[i]);
    ++kept;
  }
  items.erase(items.begin() + static_cast<std::ptrdiff_t>(kept), items.end());
  items.shrink_to_fit();
  // An item overdue beyond the threshold is on the list by its own line, or counted with it:
  // not again as a gate's. An item behind several gates is on the list once (Group), so it is
  // counted once.
  std::set<std::int64_t> behind_a_gate;
  for (GateCandidates& gate : collected.gates) {
    gate.behind.erase(std::remove_if(gate.behind.begin(), gate.behind.end(),
                                     [&](const Item& item) { return budget.Escalated(item.due_at); }),
                      gate.behind.end());
    for (const Item& item : gate.behind) behind_a_gate.insert(item.id);
  }
  for (GateCandidates& gate : collected.gates) {
    for (const GateItemRef& ref : gate.more)
      if (behind_a_gate.insert(ref.id).second && !budget.Escalated(ref.due_at))
        ++collected.unlisted.escalated[ResponsibleName(campaign, ref.unit)];
    gate.more.clear();
    gate.more.shrink_to_fit();
  }
  return collected;
}

Collected ReadHistories(ItemStore& store, Collected collected) {
  // A batch at a time (ItemStore::Histories); a batch that cannot be read is read one by one, so
  // that one unreadable history leaves only its own line without it.
  std::deque<Candidate>& items = collected.items;
  for (ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
    std::vector<Candidate*> of_kind;
    for (Candidate& candidate : items)
      if (candidate.item.kind == kind) of_kind.push_back(&candidate);
    for (std::size_t first = 0; first < of_kind.size(); first += kMaxHistoriesBatch) {
      const std::size_t end = std::min(of_kind.size(), first + kMaxHistoriesBatch);
      HistoriesQuery query;
      query.kind = kind;
      for (std::size_t i = first; i < end; ++i) query.ids.push_back(of_kind[i]->item.id);
      auto histories = store.Histories(query);
      for (std::size_t i = first; i < end; ++i) {
        Candidate& candidate = *of_kind[i];
        if (histories.ok()) {
          candidate.history = std::move((*histories)[i - first]);
          continue;
        }
        auto history = store.History(kind, candidate.item.id);
        if (history.ok()) candidate.history = std::move(history).value();
      }
    }
  }
  return collected;
}

Result<DigestItem> MakeLine(const Campaign& campaign, const LineFacts& facts, Instant as_of) {
  DigestItem row;
  row.campaign_name = campaign.name;
  row.kind = facts.kind;
  row.id = facts.id;
  row.title = facts.title;
  row.area_name = facts.area_name;
  row.unit_name = ResponsibleName(campaign, facts.unit);
  row.answerable_name = row.unit_name;
  row.deadline = facts.deadline;
  row.deadline_label = facts.deadline_label;
  row.overdue = facts.overdue;
  row.link = facts.link;
  const CivilDate from = facts.counted_from.value_or(DeadlineDay(facts.deadline));
  auto days = campaign.calendar->WorkingDaysBetween(from, ShanghaiDate(as_of));
  if (!days.ok()) return days.status();
  if (row.overdue) row.working_days_overdue = std::max(*days, 0);
  else row.working_days_left = std::max(-*days, 0);
  return row;
}

Result<std::vector<Line>> Tier(const Campaign& campaign, const Collected& collected, const TierInputs& inputs,
                               Instant as_of, std::vector<DataError>& data_errors) {
  std::vector<Line> lines;
  // Sized once: at a county's size a vector doubling its way up held half again its lines.
  std::size_t most = collected.items.size() + inputs.ledgers.size();
  if (inputs.survey != nullptr) most += inputs.survey->villages.size();
  for (const GateCandidates& gate : collected.gates) most += gate.behind.size();
  lines.reserve(most);
  for (const Candidate& candidate : collected.items) {
    auto row = ItemLine(campaign, candidate, inputs, as_of);
    if (!row.ok()) {
      data_errors.push_back(DataErrorOf(candidate.item, row.status()));
      continue;
    }
    lines.push_back(Line{std::move(row).value(), LineSource::kItem, &candidate.item, {}, {}, false});
  }
  // The ledger each unit owes (附件1): a line while it has handed in nothing, due soon or overdue.
  for (const LedgerStatus& ledger : inputs.ledgers) {
    if (ledger.handin || ledger.due >= collected.soon_end) continue;
    LineFacts facts{"ledger", 0, "问题排查整改台账（附件1）未报送：请单位负责人签字、加盖公章后上传", "", ledger.unit,
                    ledger.due, ledger.overdue, std::nullopt,
                    CampaignPage(inputs.link_base, campaign) + "#/exports",  // where the unit hands it in
                    "报送时限"};
    auto row = MakeLine(campaign, facts, as_of);
    if (!row.ok()) return row.status();
    lines.push_back(Line{std::move(row).value(), LineSource::kLedger, nullptr, ledger.unit, {}, false});
  }
  // The survey's line for each village with households not yet visited, once its deadline is
  // within the due-soon window.
  const SurveyCoverage* survey = inputs.survey;
  if (survey != nullptr && survey->due && *survey->due < collected.soon_end) {
    for (const SurveyCounts& counts : survey->villages) {
      if (counts.unvisited == 0) continue;
      const std::string title =
          "入户核查（附件2）尚有" + std::to_string(counts.unvisited) + "户未完成（名单共" +
          std::to_string(counts.households) + "户" +
          (counts.sent_back > 0 ? "，其中退回重填" + std::to_string(counts.sent_back) + "户" : std::string()) + "）";
      LineFacts facts{"survey", 0, title, "", counts.village, *survey->due, *survey->due <= as_of, std::nullopt,
                      CampaignPage(inputs.link_base, campaign) + "#/survey", "完成时限"};
      auto row = MakeLine(campaign, facts, as_of);
      if (!row.ok()) return row.status();
      lines.push_back(Line{std::move(row).value(), LineSource::kSurvey, nullptr, counts.village, {}, false});
    }
  }
  // Phase gates: what has not reached a closed gate, overdue since the phase's last day.
  for (const GateCandidates& gate : collected.gates) {
    for (const Item& item : gate.behind) {
      LineFacts facts{ItemKindName(item.kind), item.id, item.title + "（" + gate.phase->name + "阶段结束未达到要求）",
                      "", item.unit, gate.closes_at, true, gate.phase->end,
                      ItemLink(inputs.link_base, campaign, item), "阶段截止"};
      if (const Area* area = campaign.FindArea(item.area)) facts.area_name = area->name;
      auto row = MakeLine(campaign, facts, as_of);
      if (!row.ok()) return row.status();
      lines.push_back(Line{std::move(row).value(), LineSource::kGate, &item, {}, {}, true});
    }
  }
  return lines;
}

std::vector<Line> Route(const Campaign& campaign, std::vector<Line> lines) {
  const int threshold = campaign.notifier.escalate_after_working_days;
  AwaitsOfficeMemo awaits_office(campaign.permissions);
  for (Line& line : lines) {
    const bool long_overdue = line.row.overdue && line.row.working_days_overdue > threshold;
    switch (line.source) {
      case LineSource::kItem:
        // The unit that must act next: the office for what waits to be assigned or closed.
        line.recipient = RecipientOf(campaign, *line.item, awaits_office);
        line.escalated = long_overdue;
        break;
      case LineSource::kLedger:
        line.recipient = line.owner;
        line.escalated = long_overdue;
        break;
      case LineSource::kSurvey:  // past the survey's deadline the whole town is late
        line.recipient = line.owner;
        line.escalated = line.row.overdue;
        break;
      case LineSource::kGate:
        line.recipient.clear();
        line.escalated = true;
        break;
    }
  }
  return lines;
}

namespace {

// Keeps the first kMostLinesPerList lines of `list` and those with a 督办 note; returns how many it left out.
int KeepFirstLines(std::vector<DigestItem>& list, const std::function<void(const DigestItem&)>& left_out = {}) {
  int unlisted = 0;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (kept >= kMostLinesPerList && list[i].supervision.empty()) {
      ++unlisted;
      if (left_out) left_out(list[i]);
      continue;
    }
    if (kept != i) list[kept] = std::move(list[i]);
    ++kept;
  }
  list.erase(list.begin() + static_cast<std::ptrdiff_t>(kept), list.end());
  return unlisted;
}

int CountOf(const std::map<std::string, int>& counts, const std::string& key) {
  const auto found = counts.find(key);
  return found == counts.end() ? 0 : found->second;
}

}  // namespace

Grouped Group(const Campaign& campaign, std::vector<Line> lines, const Unlisted& unlisted, Instant as_of) {
  std::map<std::string, Digest> by_unit;
  Digest escalated;
  escalated.audience = Digest::Audience::kSupervisors;
  escalated.campaign_name = campaign.name;
  escalated.as_of = as_of;
  // A gate's item already on the list (overdue beyond the threshold) is not listed twice.
  std::set<std::int64_t> listed;
  for (const Line& line : lines)
    if (line.escalated && line.source != LineSource::kLedger && line.source != LineSource::kGate)
      listed.insert(line.row.id);
  for (Line& line : lines) {
    if (line.source == LineSource::kGate && !listed.insert(line.row.id).second) continue;
    if (line.escalated) escalated.overdue.push_back(line.row);
    if (line.recipient.empty()) continue;
    Digest& digest = by_unit[line.recipient];
    if (digest.unit_id.empty()) {
      digest.unit_id = line.recipient;
      digest.unit_name = NameOf(campaign, line.recipient);
      digest.campaign_name = campaign.name;
      digest.as_of = as_of;
    }
    (line.row.overdue ? digest.overdue : digest.due_soon).push_back(std::move(line.row));
  }
  Grouped grouped;
  for (auto& [unit, digest] : by_unit) {
    // What can no longer finish in time comes first: there may still be time to ask for an extension.
    std::stable_partition(digest.due_soon.begin(), digest.due_soon.end(),
                          [](const DigestItem& row) { return row.cannot_finish_since.has_value(); });
    digest.overdue_unlisted = KeepFirstLines(digest.overdue) + CountOf(unlisted.overdue, unit);
    digest.due_soon_unlisted = KeepFirstLines(digest.due_soon) + CountOf(unlisted.due_soon, unit);
    grouped.units.push_back(std::move(digest));
  }
  if (!escalated.overdue.empty()) {
    // The most overdue lines first (as collected), then by responsible unit.
    escalated.unlisted_by_unit = unlisted.escalated;
    escalated.overdue_unlisted = KeepFirstLines(escalated.overdue, [&](const DigestItem& row) {
      ++escalated.unlisted_by_unit[row.answerable_name];
    });
    for (const auto& [unit, count] : unlisted.escalated) escalated.overdue_unlisted += count;
    std::stable_sort(escalated.overdue.begin(), escalated.overdue.end(), [](const DigestItem& a, const DigestItem& b) {
      return a.answerable_name < b.answerable_name;
    });
    // One copy per supervisor but the last, which takes the list itself.
    const std::vector<std::string>& supervisors = campaign.notifier.supervisors;
    for (std::size_t i = 0; i < supervisors.size(); ++i) {
      Digest digest = i + 1 < supervisors.size() ? escalated : std::move(escalated);
      digest.unit_id = supervisors[i];
      digest.unit_name = NameOf(campaign, supervisors[i]);
      grouped.supervisors.push_back(std::move(digest));
    }
  }
  return grouped;
}

std::vector<OutboxMessage> Render(const Digest& digest, const std::string& audience,
                                  const std::vector<std::unique_ptr<Channel>>& channels, const std::string& slot,
                                  Instant now) {
  std::vector<OutboxMessage> messages;
  for (std::size_t c = 0; c < channels.size(); ++c) {
    const std::vector<std::string> parts = channels[c]->Render(digest);
    for (std::size_t p = 0; p < parts.size(); ++p) {
      OutboxMessage message;
      message.slot = slot;
      message.audience = audience;
      message.unit = digest.unit_id;
      message.channel = ChannelKey(digest.unit_id, *channels[c]);
      message.idempotency_key = slot + "|" + audience + "|" + message.channel + "|" + std::to_string(p + 1);
      message.message = parts[p];
      message.item_count = static_cast<int>(OverdueCount(digest) + DueSoonCount(digest));
      message.created_at = now;
      message.next_attempt_at = now;
      messages.push_back(std::move(message));
    }
  }
  return messages;
}

}  // namespace rectify::notifier
