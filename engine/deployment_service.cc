#include "engine/deployment_service.h"

#include <algorithm>
#include <set>
#include <utility>

#include "engine/as_it_stood.h"
#include "engine/dashboard.h"
#include "engine/date_rules.h"
#include "engine/deadlines.h"
#include "engine/history_facts.h"
#include "engine/item_facts.h"
#include "engine/ledger_obligations.h"
#include "engine/workflow.h"

namespace rectify {
namespace {

const Phase* PhaseOf(const Campaign& campaign, CivilDate day) {
  const Phase* begun = nullptr;  // between two phases, the one before the gap is still in force
  for (const Phase& phase : campaign.phases) {
    if (phase.start <= day && day <= phase.end) return &phase;
    if (phase.start <= day && (begun == nullptr || begun->start < phase.start)) begun = &phase;
  }
  return begun;
}

void CountProblem(const Item& item, const HistoryFacts& facts, Instant as_of, CampaignFigures& figures) {
  ++figures.problems;
  if (!item.carried_from.empty()) ++figures.carried_in;
  figures.send_backs += item.send_back_count;
  if (!ProblemWorkflow().IsClosed(item.state)) {
    ++figures.open;
    if (IsOpenOverdue(item, as_of)) ++figures.overdue;
  } else if (ClosedLate(item, facts)) {
    ++figures.closed_late;
  } else {
    ++figures.closed_on_time;
  }
}

std::optional<CivilDate> LastDay(const Campaign& campaign) {
  std::optional<CivilDate> end;
  for (const Phase& phase : campaign.phases)
    if (!end || *end < phase.end) end = phase.end;
  return end;
}

}  // namespace

void CampaignFigures::Add(const CampaignFigures& other) {
  problems += other.problems;
  open += other.open;
  overdue += other.overdue;
  closed_on_time += other.closed_on_time;
  closed_late += other.closed_late;
  send_backs += other.send_backs;
  carried_in += other.carried_in;
  enrollments += other.enrollments;
  enrollments_overdue += other.enrollments_overdue;
  ledgers_due += other.ledgers_due;
  ledgers_handed_in += other.ledgers_handed_in;
}

const CampaignPorts* DeploymentService::Find(const std::string& id, const Actor& actor) const {
  for (const CampaignPorts& ports : campaigns_)
    if (ports.campaign->id == id) return Deployment::MaySee(actor, *ports.campaign) ? &ports : nullptr;
  return nullptr;
}

Result<CampaignSummary> DeploymentService::Summarise(const CampaignPorts& ports, const Actor& actor, Instant as_of,
                                                     bool whole) const {
  const Campaign& campaign = *ports.campaign;
  CampaignSummary summary;
  summary.campaign = &campaign;
  summary.start = CampaignStart(campaign);
  summary.end = LastDay(campaign);
  const CivilDate today = ShanghaiDate(as_of);
  summary.ended = summary.end && *summary.end < today;
  summary.phase = summary.ended ? nullptr : PhaseOf(campaign, today);
  for (const Phase& phase : campaign.phases)
    if (phase.start <= today && today <= phase.end) summary.phases_in_force.push_back(&phase);

  // An ended campaign's figures are its record, as its dashboard gives them: at its last
  // second, whatever was closed or became overdue after it (engine/date_rules.h RecordInstant).
  const Instant record = RecordInstant(campaign, as_of);
  for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
    ItemQuery query;
    query.kind = kind;
    query.limit = 500;
    // A unit member counts what its dashboard counts; each item as it stood at the instant.
    RECTIFY_RETURN_IF_ERROR(ForEachItemAsOf(ports.store, campaign, query, record, [&](const Item& item,
                                                                                       const HistoryFacts& facts) {
      if (!RecordedBy(item, record) || (!whole && !CountsForUnit(item, actor.unit))) return;
      if (auto error = StoredDataError(campaign, item)) {
        summary.data_errors.push_back(std::move(*error));
      } else if (kind == ItemKind::kProblem) {
        CountProblem(item, facts, record, summary.figures);
      } else if (IsProposed(item)) {
        ++summary.figures.enrollments;
        if (IsOpenOverdue(item, record)) ++summary.figures.enrollments_overdue;
      }
    }));
  }
  if (whole) {
    auto ledgers = LoadLedgerStatuses(campaign, ports.store, ports.attachments, record);
    if (!ledgers.ok()) return ledgers.status();
    for (const LedgerStatus& ledger : *ledgers) {
      ++summary.figures.ledgers_due;
      if (ledger.handin) ++summary.figures.ledgers_handed_in;
    }
  }
  return summary;
}

Result<std::vector<CampaignSummary>> DeploymentService::Campaigns(const Actor& actor, Instant as_of) {
  std::vector<CampaignSummary> out;
  for (const CampaignPorts& ports : campaigns_) {
    if (!Deployment::MaySee(actor, *ports.campaign)) continue;
    auto summary = Summarise(ports, actor, as_of, ports.campaign->permissions.SeesAll(actor));
    if (!summary.ok()) return summary.status();
    out.push_back(std::move(summary).value());
  }
  return out;
}

Result<Rollup> DeploymentService::RollUp(const Actor& actor, Instant as_of) {
  Rollup rollup;
  rollup.as_of = as_of;
  for (const Town& town : deployment_.towns) {
    TownRollup row;
    row.town = &town;
    for (const CampaignPorts& ports : campaigns_) {
      const Campaign& campaign = *ports.campaign;
      if (campaign.town != town.id || !Deployment::MaySee(actor, campaign) || !campaign.permissions.SeesAll(actor))
        continue;
      auto summary = Summarise(ports, actor, as_of, /*whole=*/true);
      if (!summary.ok()) return summary.status();
      // The totals are of the work under way: an ended campaign is listed with its figures, but
      // what it left open goes on in the next (回头看), where it would be counted twice.
      if (!summary->ended) row.total.Add(summary->figures);
      row.campaigns.push_back(std::move(summary).value());
    }
    if (row.campaigns.empty()) continue;
    rollup.total.Add(row.total);
    rollup.towns.push_back(std::move(row));
  }
  if (rollup.towns.empty())
    return Status::PermissionDenied("the roll-up is for those who see every item of a campaign: a town's office and "
                                    "leaders, the county's leaders and supervisors");
  return rollup;
}

Result<ItemView> DeploymentService::CarryOver(const std::string& from_id, const std::string& to_id, std::int64_t id,
                                              const CarryOverInput& input, const Actor& actor, Instant now) {
  // As an event without a version (ItemService::Fire): a note or a warning tier written on the old
  // problem between this one's read and its write is no reason to refuse; the carry-over is
  // decided again on the problem as it now is.
  for (int attempt = 1;; ++attempt) {
    auto carried = CarryOverOnce(from_id, to_id, id, input, actor, now);
    if (carried.ok() || carried.status().code() != StatusCode::kAborted || attempt == ItemService::kFireAttempts)
      return carried;
  }
}

Result<ItemView> DeploymentService::CarryOverOnce(const std::string& from_id, const std::string& to_id,
                                                  std::int64_t id, const CarryOverInput& input, const Actor& actor,
                                                  Instant now) {
  const CampaignPorts* from = Find(from_id, actor);
  if (from == nullptr) return Status::NotFound("no campaign \"" + from_id + "\"");
  const CampaignPorts* to = Find(to_id, actor);
  if (to == nullptr) return Status::NotFound("no campaign \"" + to_id + "\"");
  RECTIFY_RETURN_IF_ERROR(to->items.Require("create_problem", actor));
  auto found = from->items.Get(ItemKind::kProblem, id, actor);
  if (!found.ok()) return found.status();
  Item item = std::move(found->item);

  const Campaign& source = *from->campaign;
  const Campaign& target = *to->campaign;
  if (source.id == target.id)
    return Status::FailedPrecondition("problem " + std::to_string(id) + " is already in campaign " + target.id, {});
  if (source.town != target.town)
    return Status::FailedPrecondition("campaign " + target.id + " is another town's: a problem stays with its town", {});
  const CivilDate today = ShanghaiDate(now);
  const auto source_end = LastDay(source);
  if (!source_end || !(*source_end < today))
    return Status::FailedPrecondition("campaign " + source.id + " has not ended: its problems are carried over only after " +
                                      (source_end ? FormatDate(*source_end) : std::string("its last phase")), {});
  const auto target_start = CampaignStart(target);
  const auto target_end = LastDay(target);
  if (!target_start || *target_start < *source_end)
    return Status::FailedPrecondition("campaign " + target.id + " does not come after " + source.id, {});
  if (target_end && *target_end < today)
    return Status::FailedPrecondition("campaign " + target.id + " has ended", {});
  const auto carried_already = [&](const Item& carried) {
    return Status::FailedPrecondition("problem " + std::to_string(id) + " was carried over already, into campaign " +
                                          carried.carried_to + " as problem " + std::to_string(carried.carried_to_id),
                                      {})
        .WithReason("carried_over", {{"campaign", carried.carried_to}, {"id", std::to_string(carried.carried_to_id)}});
  };
  if (!item.carried_to.empty()) return carried_already(item);
  if (ProblemWorkflow().IsClosed(item.state))
    return Status::FailedPrecondition("problem " + std::to_string(id) + " is closed: only open problems are carried over", {});

  // The problem that begins in the later campaign: what the old one says of the problem, in the
  // state it stood in, under the later campaign's rules.
  Item arriving;
  arriving.kind = ItemKind::kProblem;
  arriving.campaign = target.id;
  arriving.carried_from = source.id;
  arriving.carried_from_id = item.id;
  arriving.carried_at = now;
  arriving.state = item.state;
  arriving.title = item.title;
  arriving.area = input.area ? *input.area : item.area;
  arriving.source = item.source;
  arriving.unit = item.unit;
  arriving.cooperating_units = item.cooperating_units;
  arriving.measures = item.measures;
  arriving.found_on = item.found_on;
  arriving.created_at = now;
  arriving.updated_at = now;
  // Its step limits run from its arrival (engine/deadlines.h), and a signature still awaited is
  // asked again of its unit, under the new campaign's limit. Its send-backs, reopenings, warning
  // tiers and any extension were the old campaign's; the deadline is the new campaign's own.
  // Carried in before the new campaign begins (in January, say), it is its work from its first day.
  const Instant works_from = std::max(now, ShanghaiInstant(*target_start, 0));
  arriving.state_since = works_from;
  if (item.sign_for) arriving.sign_for = SignForRequest{item.sign_for->unit, works_from};
  arriving.deadline = input.deadline;
  if (target.FindArea(arriving.area) == nullptr)
    return Status::InvalidArgument("area", "campaign " + target.id + " has no area " + std::to_string(arriving.area) +
                                               ": give the area it belongs to there");
  if (target.FindSource(arriving.source) == nullptr)
    return Status::InvalidArgument("source", "campaign " + target.id + " has no problem source \"" + arriving.source + "\"");
  if (input.unit && *input.unit != item.unit) {
    // Given where the problem could be reassigned (the machine's reassign), as reassign would:
    // the new unit is asked to sign for it.
    auto allowed = ProblemWorkflow().AllowedEvents(item.state, Pending{});
    if (!allowed.ok()) return allowed.status();
    if (std::find(allowed->begin(), allowed->end(), "reassign") == allowed->end())
      return Status::Unprocessable("unit", "problem " + std::to_string(id) + " is " + item.state.ToString() +
                                               ": a unit is given only where it could be reassigned; carry it as it is");
    if (target.FindUnit(*input.unit) == nullptr)
      return Status::InvalidArgument("unit", "campaign " + target.id + " has no unit \"" + *input.unit + "\"");
    arriving.unit = *input.unit;
    arriving.sign_for = SignForRequest{arriving.unit, works_from};
  }
  if (!arriving.unit.empty() && target.FindUnit(arriving.unit) == nullptr) {
    const Unit* old_unit = source.FindUnit(arriving.unit);
    return Status::Unprocessable("unit", "campaign " + target.id + " has no unit \"" + arriving.unit +
                                             "\" (merged or retired?): give the unit that answers for it there as \"unit\"")
        .WithReason("unit_not_in_campaign",
                    {{"unit", arriving.unit}, {"unit_name", old_unit ? old_unit->name : arriving.unit}, {"campaign", target.id}});
  }
  // A date given is a new deadline, as a reopening's: after now (a year typed wrong would make it
  // arrive overdue and red).
  if (input.deadline) RECTIFY_RETURN_IF_ERROR(CheckNewDeadline(target, *input.deadline, now, "deadline"));
  RECTIFY_RETURN_IF_ERROR(ApplyDefaultDeadline(target, arriving));
  RECTIFY_RETURN_IF_ERROR(ApplyCurrentDue(target, arriving));

  EventRecord arrived;
  arrived.to = arriving.state.ToString();
  arrived.event = kCarryOverEvent;
  arrived.actor = actor.name;
  arrived.at = now;
  arrived.unit = arriving.unit;
  arrived.note = "回头看：由「" + source.name + "」第" + std::to_string(item.id) + "号问题转入" +
                 (item.send_back_count > 0 ? "，此前退回" + std::to_string(item.send_back_count) + "次" : "");
  if (arriving.sign_for) {
    auto sign_for_due = SignForDue(target, arriving);
    if (!sign_for_due.ok()) return sign_for_due.status();
    arrived.sign_for_due = *sign_for_due;
  }

  // The old problem stays as it stood: its row says where it went, and nothing else changes,
  // so last year's figures, ledgers and scores are the same at any instant before this one.
  EventRecord left;
  left.from = item.state.ToString();
  left.to = left.from;
  left.event = kCarriedOutEvent;
  left.actor = actor.name;
  left.at = now;
  left.unit = item.unit;
  left.note = "回头看：转入「" + target.name + "」继续整改";
  item.carried_to = target.id;
  item.updated_at = now;

  auto carried = all_items_.CarryOver(std::move(arriving), std::move(arrived), std::move(item), std::move(left));
  if (!carried.ok() && carried.status().code() == StatusCode::kAborted) {
    // Someone else wrote first: most likely another office carrying the same problem. Say where
    // it went rather than that a version the caller never sent is stale.
    auto now_stored = from->items.Get(ItemKind::kProblem, id, actor);
    if (now_stored.ok() && !now_stored->item.carried_to.empty()) return carried_already(now_stored->item);
  }
  if (!carried.ok()) return carried.status();
  return to->items.Get(ItemKind::kProblem, carried->id, actor);
}

}  // namespace rectify
