// The dates people give, checked once, in the engine, before anything is stored or computed
// from them. Two kinds of rule:
//
//   calendar  every date lies in a year the deployment's holiday calendar covers
//             (WorkCalendar::CheckCovered): overdue days, scores, due-soon reminders and step
//             limits count working days from these dates, and one date outside the calendar
//             would make every report that reads the item fail, for as long as it is stored.
//   sense     a date that records something done (a risk found, an entry in the national
//             system) is not in the future, and an entry is not before the risk it answers; a
//             deadline given is not before the day found it counts from; an approved extension
//             (silence) ends after now and no later than the campaign's end.
//
// Every refusal is kInvalidArgument naming the field, with the years the deployment has in its
// message, and a reason code with the dates it names (Status::reason). A campaign without a calendar has nothing to check dates against: only the sense
// rules apply.
#pragma once

#include <optional>
#include <string>

#include "engine/campaign.h"
#include "engine/item.h"
#include "engine/status.h"
#include "engine/time.h"

namespace rectify {

// A deadline (a problem's 整改时限, an enrollment's limit): the day it falls on
// (DeadlineDay: 24:00 belongs to the day that ends) is in a covered year.
Status CheckDeadline(const Campaign& campaign, Instant deadline, const std::string& field);

// A deadline given with the day it answers (a problem's found_on, a household's risk_found_on):
// its day (DeadlineDay) is not before that one. `found_what` says what the day is, for the message;
// `found_field` names the field it was given in ("found_on"), for the refusal's reason.
Status CheckDeadlineNotBefore(Instant deadline, const CivilDate& found, const std::string& found_what,
                              const std::string& found_field, const std::string& field);

// When a household's risk appeared: a real date, in a covered year, not after `now`'s day.
Status CheckRiskFoundOn(const Campaign& campaign, const CivilDate& date, Instant now, const std::string& field);

// When a problem was found by the inspection (found_on): as a risk date, a real date in a covered
// year and not after `now`'s day.
Status CheckFoundOn(const Campaign& campaign, const CivilDate& date, Instant now, const std::string& field);

// A deadline set from now on (an extension asked for or granted, a reopened item's new deadline):
// after `now`, in a covered year.
Status CheckNewDeadline(const Campaign& campaign, Instant deadline, Instant now, const std::string& field);

// When an enrolled household was entered in the national monitoring system: in a covered year,
// not after `now`'s day, not before the day its risk appeared (`risk_found_on`, when known) and
// not before the day the county's decision (县级审定) was recorded (`decided_on`): entry follows it.
Status CheckEnteredOn(const Campaign& campaign, const CivilDate& date, const std::optional<CivilDate>& risk_found_on,
                      const CivilDate& decided_on, Instant now, const std::string& field);

// The instant a report is computed at (?as_of=) when the report counts working days (scores,
// the bulletin): its day is in a covered year.
Status CheckReportInstant(const Campaign& campaign, Instant as_of, const std::string& field);

// The end of an approved extension (延期) that mutes an item's reminders: after `now`, in a
// covered year, and no later than the campaign's end (CampaignEnd). A silence past the campaign
// would mute the item through the campaign's last check and beyond: a longer extension is a new
// deadline, not a silence.
Status CheckSilenceUntil(const Campaign& campaign, Instant until, Instant now, const std::string& field);

// What a campaign takes once it has ended (`now` past CampaignEnd): only a problem or a risk found
// while it ran (`found_on` by its last day), recorded late. One found since is a later campaign's
// work: taking it here would add to a record the town has handed in, and the office that picked
// last year's campaign by mistake would learn of it from a 督查通报. Reason campaign_ended; a
// missing date is refused too, since the record needs it to tell the two apart.
Status CheckFoundWhileUnderWay(const Campaign& campaign, const std::optional<CivilDate>& found_on, Instant now,
                               const std::string& field);

// A problem recorded once the campaign has ended gets no deadline of the campaign's (they have
// all passed: it would arrive overdue and red on the day it was typed in): it needs one given,
// after `now`. Reason deadline_needed without one, not_in_future for one already past.
Status CheckDeadlineGivenAfterEnd(const Campaign& campaign, const std::optional<Instant>& deadline, Instant now,
                                  const std::string& field);

// 24:00 of the last day of the campaign's last phase (检查验收 for Gaoqiao: 2021-11-10);
// nullopt for a campaign without phases.
std::optional<Instant> CampaignEnd(const Campaign& campaign);

// The instant a campaign's record (its dashboard, its scores) is judged at unless one is asked
// for: `now`, or once the campaign has ended its last second (23:59:59 of its last day), so that
// last year's scores stay what they were at its end instead of falling by a day overdue every
// working day after.
Instant RecordInstant(const Campaign& campaign, Instant now);

}  // namespace rectify
