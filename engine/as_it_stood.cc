#include "engine/as_it_stood.h"

#include "engine/deadlines.h"
#include "engine/history_facts.h"
#include "engine/warning_tiers.h"
#include "engine/workflow.h"

namespace rectify {

std::optional<StoodItem> AsItStood(const Campaign& campaign, const Item& item, const std::vector<EventRecord>& history,
                                   Instant as_of) {
  std::vector<EventRecord> until;
  for (const EventRecord& row : history)
    if (row.at <= as_of) until.push_back(row);
  if (until.empty()) return std::nullopt;
  StoodItem stood{item, HistoryFactsOf(item.kind, until)};
  Item& then = stood.item;
  then.facts.reset();
  then.state = StatePath::Parse(until.back().to);
  then.unit = until.back().unit;
  then.updated_at = until.back().at;
  then.send_back_count = 0;
  then.sign_for.reset();
  then.extension.reset();
  for (const EventRecord& row : until) {
    // The row that made the item (from "") or moved it to another state starts its stay there; a
    // carried problem's first row is its arrival, and its limits run from the campaign's first
    // day at the earliest (engine/deadlines.h).
    if (row.from.empty() || row.from != row.to) then.state_since = row.at;
    if (row.sent_back) ++then.send_back_count;
    if (row.sign_for_due) then.sign_for = SignForRequest{row.unit, row.at};
    else if (row.signed_for || row.unit != (then.sign_for ? then.sign_for->unit : row.unit)) then.sign_for.reset();
  }
  // The deadline and the outcome are as now unless a later row changed them: then as the first
  // such row found them.
  bool deadline_found = false;
  bool outcome_found = false;
  for (auto row = history.begin(); row != history.end(); ++row) {
    if (row->at <= as_of) continue;
    if (row->before.deadline && !deadline_found) {
      then.deadline = row->before.deadline->deadline;
      then.deadline_rule = row->before.deadline->rule;
      then.original_deadline = row->before.deadline->original;
      deadline_found = true;
    }
    if (row->before.outcome && !outcome_found) {
      then.outcome = row->before.outcome;
      outcome_found = true;
    }
  }
  const Workflow& workflow = WorkflowFor(item.kind);
  if (workflow.IsClosed(then.state)) {
    then.sign_for.reset();
  } else {
    then.outcome.reset();  // closed later: no outcome yet
  }
  // Its tier and the tiers it had entered, as its tier rows up to then name them.
  then.tier.clear();
  then.tier_entries.clear();
  for (const EventRecord& row : until)
    if (const std::optional<std::string> entered = TierAfter(row)) {
      then.tier = *entered;
      if (!entered->empty()) ++then.tier_entries[*entered];
    }
  int openings = 0;
  for (const auto& [at, opened] : stood.facts.open_changes) openings += opened ? 1 : 0;
  then.reopen_count = openings > 0 ? openings - 1 : 0;
  if (!ApplyCurrentDue(campaign, then).ok()) then.due_at = item.due_at;  // as now: a data error shows there
  return stood;
}

Status ForEachItemAsOf(ItemStore& store, const Campaign& campaign, ItemQuery query, Instant as_of,
                       const std::function<void(const Item& item, const HistoryFacts& facts)>& visit) {
  return ForEachItem(store, std::move(query), [&](const Item& item) -> Status {
    if (item.updated_at <= as_of && item.facts) {
      visit(item, *item.facts);
      return Status::Ok();
    }
    auto history = store.History(item.kind, item.id);
    if (!history.ok()) return history.status();
    if (item.updated_at <= as_of) {
      visit(item, HistoryFactsOf(item.kind, *history));
      return Status::Ok();
    }
    if (auto stood = AsItStood(campaign, item, *history, as_of)) visit(stood->item, stood->facts);
    return Status::Ok();
  });
}

}  // namespace rectify
