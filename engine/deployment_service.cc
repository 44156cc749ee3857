#include "engine/deployment_service.h"

#include <algorithm>
#include <set>
#include <utility>

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

  for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
    ItemQuery query;
    query.kind = kind;
    query.limit = 500;
    // A unit member counts what they may see; each item with its history facts.
    std::set<std::int64_t> visible;
    if (!whole) {
      RECTIFY_RETURN_IF_ERROR(ports.items.ForEachVisible(query, actor, [&](const Item& item) {
        visible.insert(item.id);
        return Status::Ok();
      }));
    }
    RECTIFY_RETURN_IF_ERROR(ForEachItemWithFacts(ports.store, query, [&](const Item& item, const HistoryFacts& facts) {
      if (!RecordedBy(item, as_of) || (!whole && visible.count(item.id) == 0)) return;
      if (auto error = StoredDataError(campaign, item)) {
        summary.data_errors.push_back(std::move(*error));
      } else if (kind == ItemKind::kProblem) {
        CountProblem(item, facts, as_of, summary.figures);
      } else if (IsProposed(item)) {
        ++summary.figures.enrollments;
        if (IsOpenOverdue(item, as_of)) ++summary.figures.enrollments_overdue;
      }
    }));
  }
  if (whole) {
    auto ledgers = LoadLedgerStatuses(campaign, ports.store, ports.attachments, as_of);
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
      row.total.Add(summary->figures);
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
  if (ProblemWorkflow().IsClosed(item.state))
    return Status::FailedPrecondition("problem " + std::to_string(id) + " is closed: only open problems are carried over", {});

  if (input.area) item.area = *input.area;
  if (target.FindArea(item.area) == nullptr)
    return Status::InvalidArgument("area", "campaign " + target.id + " has no area " + std::to_string(item.area) +
                                               ": give the area it belongs to there");
  if (target.FindSource(item.source) == nullptr)
    return Status::InvalidArgument("source", "campaign " + target.id + " has no problem source \"" + item.source + "\"");
  if (input.deadline) RECTIFY_RETURN_IF_ERROR(CheckDeadline(target, *input.deadline, "deadline"));

  EventRecord event;
  event.from = item.state.ToString();
  event.to = event.from;
  event.event = kCarryOverEvent;
  event.actor = actor.name;
  event.at = now;
  event.note = "回头看：从「" + source.name + "」转入「" + target.name + "」" +
               (item.send_back_count > 0 ? "，此前退回" + std::to_string(item.send_back_count) + "次" : "");

  item.campaign = target.id;
  item.carried_from = source.id;
  item.carried_at = now;
  // Its step limits run from its arrival (engine/deadlines.h), and a signature still awaited is
  // asked again of its unit, under the new campaign's limit.
  item.state_since = now;
  if (item.sign_for) item.sign_for = SignForRequest{item.sign_for->unit, now};
  item.send_back_count = 0;
  item.reopen_count = 0;
  item.updated_at = now;
  item.deadline = input.deadline;
  item.deadline_rule.clear();
  // The new campaign's deadline is its own, not an extension of the old one (延期 ends here).
  item.original_deadline.reset();
  item.extension.reset();
  RECTIFY_RETURN_IF_ERROR(ApplyDefaultDeadline(target, item));
  RECTIFY_RETURN_IF_ERROR(ApplyCurrentDue(target, item));
  event.unit = item.unit;
  if (item.sign_for) {
    auto sign_for_due = SignForDue(target, item);
    if (!sign_for_due.ok()) return sign_for_due.status();
    event.sign_for_due = *sign_for_due;
  }
  RECTIFY_RETURN_IF_ERROR(all_items_.Update(item, event));
  return to->items.Get(ItemKind::kProblem, id, actor);
}

}  // namespace rectify
