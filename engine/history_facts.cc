#include "engine/history_facts.h"

#include "engine/workflow.h"

namespace rectify {
namespace {

// A unit's report of its work with something said (整改进展): what the ledger prints.
bool IsProgressNote(const EventRecord& event) {
  return (event.event == "progress" || event.event == kFollowUpEvent) && !event.note.empty();
}

}  // namespace

bool HistoryFacts::operator==(const HistoryFacts& other) const {
  auto same_requests = [](const SignForRequestRecord& a, const SignForRequestRecord& b) {
    return a.unit == b.unit && a.asked_at == b.asked_at && a.due == b.due && a.signed_at == b.signed_at &&
           a.released_at == b.released_at;
  };
  return open_changes == other.open_changes && holders == other.holders && send_backs == other.send_backs &&
         std::equal(sign_for_requests.begin(), sign_for_requests.end(), other.sign_for_requests.begin(),
                    other.sign_for_requests.end(), same_requests) &&
         last_closed_at == other.last_closed_at && progress_noted == other.progress_noted;
}

void AdvanceFacts(HistoryFacts& facts, ItemKind kind, const EventRecord& event) {
  // Carried into another campaign: what the figures judge (opening, holders, send-backs, sign-for
  // requests, closing) starts again there, as the campaign's own; before it was the old campaign's.
  if (event.event == kCarryOverEvent) {
    const bool progress_noted = facts.progress_noted;
    facts = HistoryFacts{};
    facts.progress_noted = progress_noted;
  }
  const bool closes = WorkflowFor(kind).IsClosed(StatePath::Parse(event.to));
  const bool was_open = !facts.open_changes.empty() && facts.open_changes.back().second;
  if (was_open == closes) facts.open_changes.emplace_back(event.at, !closes);
  // A row on a closed item that leaves it closed (a 帮扶跟进 note) did not close it again.
  if (closes && was_open) facts.last_closed_at = event.at;
  if (facts.holders.empty() || facts.holders.back().second != event.unit) facts.holders.emplace_back(event.at, event.unit);
  if (event.sent_back && !event.unit.empty()) ++facts.send_backs[event.unit];
  if (IsProgressNote(event)) facts.progress_noted = true;

  // A request is awaited from the row that asks until one signs it, asks again, moves the item
  // to another unit or closes it.
  std::vector<SignForRequestRecord>& requests = facts.sign_for_requests;
  auto awaited = [&] { return !requests.empty() && !requests.back().signed_at && !requests.back().released_at; };
  if (awaited() && event.signed_for) requests.back().signed_at = event.at;
  if (awaited() && (event.sign_for_due || event.unit != requests.back().unit || closes))
    requests.back().released_at = event.at;
  if (event.sign_for_due) requests.push_back({event.unit, event.at, *event.sign_for_due, std::nullopt, std::nullopt});
}

HistoryFacts HistoryFactsOf(ItemKind kind, const std::vector<EventRecord>& history) {
  HistoryFacts facts;
  for (const EventRecord& event : history) AdvanceFacts(facts, kind, event);
  return facts;
}

HistoryFacts HistoryFactsOf(const ItemRecord& record) {
  return record.item.facts ? *record.item.facts : HistoryFactsOf(record.item.kind, record.history);
}

void AdvanceLatestProgress(ProgressNote& latest, const EventRecord& event) {
  if (IsProgressNote(event)) latest = ProgressNote{event.at, event.note};
}

ProgressNote LatestProgressOf(const std::vector<EventRecord>& history) {
  ProgressNote latest;
  for (const EventRecord& event : history) AdvanceLatestProgress(latest, event);
  return latest;
}

ProgressNote LatestProgressOf(const ItemRecord& record) {
  return record.item.latest_progress ? *record.item.latest_progress : LatestProgressOf(record.history);
}

}  // namespace rectify
