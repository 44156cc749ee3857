#include "engine/date_rules.h"

#include "engine/item_facts.h"

namespace rectify {
namespace {

Status CheckCovered(const Campaign& campaign, const CivilDate& date, const std::string& field) {
  if (!campaign.calendar) return Status::Ok();
  return campaign.calendar->CheckCovered(date, field);
}

Status CheckNotFuture(const CivilDate& date, Instant now, const std::string& field) {
  const CivilDate today = ShanghaiDate(now);
  if (today < date)
    return Status::InvalidArgument(field, FormatDate(date) + " is in the future (today is " + FormatDate(today) + ")")
        .WithReason("date_in_future", {{"date", FormatDate(date)}, {"today", FormatDate(today)}});
  return Status::Ok();
}

}  // namespace

Status CheckDeadline(const Campaign& campaign, Instant deadline, const std::string& field) {
  return CheckCovered(campaign, DeadlineDay(deadline), field);
}

Status CheckDeadlineNotBefore(Instant deadline, const CivilDate& found, const std::string& found_what,
                              const std::string& found_field, const std::string& field) {
  if (DeadlineDay(deadline) < found)
    return Status::InvalidArgument(field, FormatInstant(deadline) + " is before " + found_what + " (" +
                                              FormatDate(found) + ")")
        .WithReason("before_start_date",
                    {{"deadline", FormatInstant(deadline)}, {"start", FormatDate(found)}, {"start_field", found_field}});
  return Status::Ok();
}

Status CheckRiskFoundOn(const Campaign& campaign, const CivilDate& date, Instant now, const std::string& field) {
  if (!IsValidDate(date)) return Status::InvalidArgument(field, "not a valid date");
  RECTIFY_RETURN_IF_ERROR(CheckCovered(campaign, date, field));
  return CheckNotFuture(date, now, field);
}

Status CheckFoundOn(const Campaign& campaign, const CivilDate& date, Instant now, const std::string& field) {
  return CheckRiskFoundOn(campaign, date, now, field);
}

Status CheckNewDeadline(const Campaign& campaign, Instant deadline, Instant now, const std::string& field) {
  if (deadline <= now)
    return Status::InvalidArgument(field, FormatInstant(deadline) + " is not in the future")
        .WithReason("not_in_future", {{"deadline", FormatInstant(deadline)}, {"now", FormatInstant(now)}});
  return CheckDeadline(campaign, deadline, field);
}

Status CheckEnteredOn(const Campaign& campaign, const CivilDate& date, const std::optional<CivilDate>& risk_found_on,
                      const CivilDate& decided_on, Instant now, const std::string& field) {
  if (!IsValidDate(date)) return Status::InvalidArgument(field, "not a valid date");
  RECTIFY_RETURN_IF_ERROR(CheckCovered(campaign, date, field));
  RECTIFY_RETURN_IF_ERROR(CheckNotFuture(date, now, field));
  if (risk_found_on && date < *risk_found_on)
    return Status::InvalidArgument(field, FormatDate(date) + " is before the risk appeared (" +
                                              FormatDate(*risk_found_on) + ")")
        .WithReason("before_risk_found", {{"date", FormatDate(date)}, {"risk_found_on", FormatDate(*risk_found_on)}});
  if (date < decided_on)
    return Status::InvalidArgument(field, FormatDate(date) + " is before the county's decision was recorded (" +
                                              FormatDate(decided_on) + "): a household is entered after 县级审定")
        .WithReason("before_county_decision", {{"date", FormatDate(date)}, {"decided_on", FormatDate(decided_on)}});
  return Status::Ok();
}

Status CheckReportInstant(const Campaign& campaign, Instant as_of, const std::string& field) {
  return CheckCovered(campaign, ShanghaiDate(as_of), field);
}

Status CheckSilenceUntil(const Campaign& campaign, Instant until, Instant now, const std::string& field) {
  if (until <= now)
    return Status::InvalidArgument(field, "must be in the future")
        .WithReason("not_in_future", {{"deadline", FormatInstant(until)}, {"now", FormatInstant(now)}});
  RECTIFY_RETURN_IF_ERROR(CheckDeadline(campaign, until, field));
  const std::optional<Instant> end = CampaignEnd(campaign);
  if (end && until > *end)
    return Status::InvalidArgument(field, FormatInstant(until) + " is after the campaign ends (" + FormatInstant(*end) +
                                              "): an extension past the campaign is a new deadline, not a silence")
        .WithReason("after_campaign_end", {{"until", FormatInstant(until)}, {"end", FormatInstant(*end)}});
  return Status::Ok();
}

Status CheckFoundWhileUnderWay(const Campaign& campaign, const std::optional<CivilDate>& found_on, Instant now,
                               const std::string& field) {
  const std::optional<Instant> end = CampaignEnd(campaign);
  if (!end || now < *end) return Status::Ok();
  const CivilDate last_day = ShanghaiDate(*end - 1);
  if (found_on && !(last_day < *found_on)) return Status::Ok();
  const std::string ended = "campaign " + campaign.id + " ended on " + FormatDate(last_day);
  return Status::InvalidArgument(field, (found_on ? ended + " and " + FormatDate(*found_on) + " is after it"
                                                  : ended + ": what is recorded since needs the day it was found") +
                                            ": it takes only what was found by then, recorded late; what was found "
                                            "later goes into a campaign under way")
      .WithReason("campaign_ended", {{"campaign", campaign.id},
                                     {"last_day", FormatDate(last_day)},
                                     {"date", found_on ? FormatDate(*found_on) : std::string()}});
}

Status CheckDeadlineGivenAfterEnd(const Campaign& campaign, const std::optional<Instant>& deadline, Instant now,
                                  const std::string& field) {
  const std::optional<Instant> end = CampaignEnd(campaign);
  if (!end || now < *end) return Status::Ok();
  if (deadline) return CheckNewDeadline(campaign, *deadline, now, field);
  const CivilDate last_day = ShanghaiDate(*end - 1);
  return Status::InvalidArgument(field, "campaign " + campaign.id + " ended on " + FormatDate(last_day) +
                                            ": its deadlines have passed, so a problem recorded since needs its own")
      .WithReason("deadline_needed", {{"campaign", campaign.id}, {"last_day", FormatDate(last_day)}});
}

Instant RecordInstant(const Campaign& campaign, Instant now) {
  const std::optional<Instant> end = CampaignEnd(campaign);
  return end && *end <= now ? *end - 1 : now;
}

std::optional<Instant> CampaignEnd(const Campaign& campaign) {
  std::optional<CivilDate> last;
  for (const Phase& phase : campaign.phases)
    if (!last || *last < phase.end) last = phase.end;
  if (!last) return std::nullopt;
  return ShanghaiInstant(*last, kSecondsPerDay);
}

}  // namespace rectify
