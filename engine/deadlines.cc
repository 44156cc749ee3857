#include "engine/deadlines.h"

#include <map>

#include <cstdint>
#include <cstdio>

#include "engine/workflow.h"

namespace rectify {

DeadlineSubject SubjectOf(ItemKind kind) {
  return kind == ItemKind::kProblem ? DeadlineSubject::kProblem : DeadlineSubject::kEnrollment;
}

namespace {

// `day`, or the campaign's first day when it comes before it.
CivilDate NotBeforeFirstDay(const Campaign& campaign, const CivilDate& day) {
  std::optional<CivilDate> first_day;
  for (const Phase& phase : campaign.phases)
    if (!first_day || phase.start < *first_day) first_day = phase.start;
  return first_day && day < *first_day ? *first_day : day;
}

// The civil date a relative rule counts from, or nullopt when the item has none.
std::optional<CivilDate> FromDate(const std::string& from, const Item& item, const Campaign& campaign) {
  if (from == kFromRiskFound) {
    if (!item.household) return std::nullopt;
    return item.household->risk_found_on;
  }
  // A problem carried into another campaign (回头看) is that campaign's from its arrival: a limit
  // counted from its recording or finding there would have run out a campaign ago. Carried in
  // before the campaign begins (in January, say), it is its work from its first day.
  if ((from == kFromCreated || from == kFromFound) && item.carried_at)
    return NotBeforeFirstDay(campaign, ShanghaiDate(*item.carried_at));
  if (from == kFromCreated) return ShanghaiDate(item.created_at);
  if (from == kFromFound) return item.found_on ? *item.found_on : ShanghaiDate(item.created_at);
  // A step's limit runs from the campaign's first day at the earliest: a carried problem the
  // office gives another unit in the winter is not that unit's overdue signature months before
  // the campaign begins.
  if (from == kFromSignForRequested) {
    if (!item.sign_for) return std::nullopt;
    return NotBeforeFirstDay(campaign, ShanghaiDate(item.sign_for->since));
  }
  if (from == kFromStateEntered) return NotBeforeFirstDay(campaign, ShanghaiDate(item.state_since));
  return std::nullopt;
}

// A rule's `states` match the item's state path exactly, or its top-level state.
bool Governs(const std::vector<std::string>& states, const StatePath& state) {
  const std::string path = state.ToString();
  for (const std::string& s : states)
    if (s == path || s == state.state) return true;
  return false;
}

std::uint64_t Fnv1a(std::uint64_t hash, std::string_view text) {
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

}  // namespace

Result<std::optional<Instant>> DeadlineFor(const Campaign& campaign, const DeadlineRule& rule, const Item& item) {
  if (rule.kind == DeadlineKind::kFixed) return std::optional<Instant>(ShanghaiInstant(rule.date, rule.seconds_of_day));
  if (rule.kind == DeadlineKind::kPhaseEnd) {
    const Phase* phase = campaign.FindPhase(rule.phase);
    if (phase == nullptr) return Status::Internal("deadline rule " + rule.id + " names an unknown phase");
    return std::optional<Instant>(ShanghaiInstant(phase->end, kSecondsPerDay));
  }
  const std::optional<CivilDate> from = FromDate(rule.from, item, campaign);
  if (!from) return std::optional<Instant>();
  if (!campaign.calendar) return Status::Internal("deadline rule " + rule.id + " needs the official calendar");
  const WorkCalendar& calendar = *campaign.calendar;
  Result<CivilDate> last = Status::Internal("unreachable");
  int end_of_day = kSecondsPerDay;
  switch (rule.kind) {
    case DeadlineKind::kMonthsAfter:
      last = calendar.AddMonths(*from, rule.months);
      break;
    case DeadlineKind::kDaysAfter:
      last = calendar.AddCalendarDays(*from, rule.days);
      break;
    case DeadlineKind::kWorkingDaysAfter:
      last = calendar.AddWorkingDays(*from, rule.days);
      end_of_day = campaign.close_of_business_seconds;
      break;
    case DeadlineKind::kFixed:
    case DeadlineKind::kPhaseEnd:
      break;
  }
  if (!last.ok()) {
    if (last.status().reason() != "no_holiday_calendar") return last.status();
    // No one typed the day the count reached: say which rule counted to it, and what the
    // deployment lacks (December, before next year's notice is loaded, is when this happens).
    std::map<std::string, std::string> params = last.status().params();
    params["rule"] = rule.name;
    return Status::InvalidArgument("", "the deadline rule " + rule.id + " (" + rule.name + ") counts into " +
                                           params["year"] + ": " + last.status().message() +
                                           "; add workflows/calendars/cn-" + params["year"] +
                                           ".json from the State Council's notice of that year's holidays")
        .WithReason("no_holiday_calendar", std::move(params));
  }
  return std::optional<Instant>(ShanghaiInstant(*last, end_of_day));
}

namespace {

// The overall deadline the item default `rule` gives `item`, and the rule it came from: the
// rule's if_past rule when its fixed date had already passed when the item was recorded.
struct DefaultDeadline {
  std::optional<Instant> at;
  const DeadlineRule* rule = nullptr;
};

Result<DefaultDeadline> DefaultDeadlineOf(const Campaign& campaign, const DeadlineRule& rule, const Item& item) {
  auto deadline = DeadlineFor(campaign, rule, item);
  if (!deadline.ok()) return deadline.status();
  if (*deadline && !rule.if_past.empty() && **deadline <= item.created_at) {
    if (const DeadlineRule* instead = campaign.FindDeadline(rule.if_past)) {
      auto later = DeadlineFor(campaign, *instead, item);
      if (!later.ok()) return later.status();
      if (*later && **later > **deadline) return DefaultDeadline{*later, instead};
    }
  }
  return DefaultDeadline{*deadline, &rule};
}

}  // namespace

Status ApplyDefaultDeadline(const Campaign& campaign, Item& item) {
  if (item.deadline && item.deadline_rule.empty()) return Status::Ok();  // given explicitly
  const DeadlineRule* rule = campaign.DefaultDeadline(SubjectOf(item.kind));
  if (rule == nullptr) {
    item.deadline.reset();
    item.deadline_rule.clear();
    return Status::Ok();
  }
  auto deadline = DefaultDeadlineOf(campaign, *rule, item);
  if (!deadline.ok()) return deadline.status();
  item.deadline = deadline->at;
  item.deadline_rule = item.deadline ? deadline->rule->id : std::string();
  return Status::Ok();
}

Result<std::optional<Instant>> RuleLimitFor(const Campaign& campaign, const Item& item) {
  const DeadlineRule* rule = campaign.DefaultDeadline(SubjectOf(item.kind));
  if (rule == nullptr) return item.deadline;
  auto limit = DefaultDeadlineOf(campaign, *rule, item);
  if (!limit.ok()) return limit.status();
  return limit->at ? limit->at : item.deadline;
}

Status ApplyCurrentDue(const Campaign& campaign, Item& item) {
  item.due_at.reset();
  item.due_rule.clear();
  if (WorkflowFor(item.kind).IsClosed(item.state)) return Status::Ok();
  item.due_at = item.deadline;
  const DeadlineSubject subject = SubjectOf(item.kind);
  for (const DeadlineRule& rule : campaign.deadlines) {
    // A sign-for limit is in force while the signature is awaited (its date exists only then).
    const bool in_force = rule.from == kFromSignForRequested ? item.sign_for.has_value() : Governs(rule.states, item.state);
    if (rule.applies_to != subject || rule.on_reopen || !in_force) continue;
    auto limit = DeadlineFor(campaign, rule, item);
    if (!limit.ok()) return limit.status();
    if (*limit && (!item.due_at || **limit < *item.due_at)) {
      item.due_at = *limit;
      item.due_rule = rule.id;
    }
  }
  return Status::Ok();
}

Result<std::optional<Instant>> SignForDue(const Campaign& campaign, const Item& item) {
  std::optional<Instant> due;
  for (const DeadlineRule& rule : campaign.deadlines) {
    if (rule.applies_to != SubjectOf(item.kind) || rule.from != kFromSignForRequested) continue;
    auto limit = DeadlineFor(campaign, rule, item);
    if (!limit.ok()) return limit.status();
    if (*limit && (!due || **limit < *due)) due = *limit;
  }
  return due;
}

Result<std::optional<Instant>> ReopenDeadlineFor(const Campaign& campaign, const Item& item) {
  const DeadlineRule* rule = campaign.ReopenDeadline(SubjectOf(item.kind));
  if (rule == nullptr) return std::optional<Instant>();
  return DeadlineFor(campaign, *rule, item);
}

Result<std::optional<DwellLimit>> MinimumDwellFor(const Campaign& campaign, const Item& item) {
  std::optional<DwellLimit> out;
  const std::string path = item.state.ToString();
  for (const MinimumDwell& dwell : campaign.minimum_dwells) {
    if (dwell.applies_to != SubjectOf(item.kind) || dwell.state != path) continue;
    const CivilDate entered = ShanghaiDate(item.state_since);
    // "At least N days": the notice may end once N full days after the start day have passed.
    Result<CivilDate> last = dwell.working_days ? campaign.calendar->AddWorkingDays(entered, dwell.days)
                                                : Result<CivilDate>(AddDays(entered, dwell.days));
    if (!last.ok()) return last.status();
    const Instant until = ShanghaiInstant(*last, kSecondsPerDay);
    if (!out || until > out->until) out = DwellLimit{until, dwell.name};
  }
  return out;
}

std::optional<Instant> ParseDeadline(std::string_view text) {
  if (text.size() == 10) {
    const auto date = ParseDate(text);
    if (!date) return std::nullopt;
    return ShanghaiInstant(*date, kSecondsPerDay);
  }
  return ParseInstant(text);
}

std::string DeadlineFingerprint(const Campaign& campaign) {
  std::uint64_t hash = 14695981039346656037ULL;
  auto add = [&hash](std::string_view part) { hash = Fnv1a(Fnv1a(hash, part), "\x1f"); };
  add(std::to_string(campaign.close_of_business_seconds));
  for (const DeadlineRule& r : campaign.deadlines) {
    add(r.id);
    add(DeadlineSubjectName(r.applies_to));
    add(std::to_string(static_cast<int>(r.kind)));
    add(FormatDate(r.date));
    add(std::to_string(r.seconds_of_day));
    add(r.from);
    add(std::to_string(r.months));
    add(std::to_string(r.days));
    add(r.phase);
    for (const std::string& s : r.states) add(s);
    add(r.item_default ? "default" : "");
    add(r.on_reopen ? "reopen" : "");
    if (!r.if_past.empty()) add("if_past " + r.if_past);  // absent: the fingerprints of before
  }
  for (const Phase& p : campaign.phases) {
    add(p.id);
    add(FormatDate(p.start));
    add(FormatDate(p.end));
  }
  if (campaign.calendar) {
    for (const int year : campaign.calendar->Years()) {
      add(std::to_string(year));
      for (CivilDate d{year, 1, 1}; d.year == year; d = AddDays(d, 1)) {
        auto working = campaign.calendar->IsWorkingDay(d);
        add(working.ok() && *working ? "1" : "0");
      }
    }
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash));
  return buf;
}

}  // namespace rectify
