// The official working-day calendar: Monday to Friday, minus the holidays the State Council
// announces each year, plus the weekend days it announces as make-up working days (调休上班).
// The schedule changes every year, so it is data (one HolidayNotice per year, read from
// workflows/calendars/ by config/calendar_loader.h), never computed from rules.
//
// Coverage: a WorkCalendar covers the consecutive years it has notices for, 1 January to
// 31 December. Whenever the answer depends on whether a day outside them is a working day, the
// call fails with kInvalidArgument (no field) and a message naming that year ("no holiday calendar for
// 2027 ..."): the calendar never guesses. Days that do not decide the answer are not looked up:
// the start day of a count (it is never counted) may lie outside, so 2020-12-31 + 1 working day
// is 2021-01-04 with a calendar that starts in 2021.
//
// A notice may list days of the neighbouring year (2023's 元旦 starts 2022-12-31); the calendar
// merges all notices, and such a day counts once its own year is covered too.
//
// Lookups are O(1) and counts O(log n) in the number of covered days. A built calendar is
// immutable and safe to share between threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/status.h"
#include "engine/time.h"

namespace rectify {

// One run of days off, both ends inclusive: {"国庆节", 2021-10-01, 2021-10-07}.
struct Holiday {
  std::string name;
  CivilDate start;
  CivilDate end;
};

// One year's State Council notice (国务院办公厅关于YYYY年部分节假日安排的通知).
struct HolidayNotice {
  int year = 0;
  std::string notice;  // the title and document number, for people checking the data
  std::vector<Holiday> holidays;
  std::vector<CivilDate> make_up_working_days;  // weekend days that are working days
};

// Checks one notice on its own: a title, named holidays that do not end before they start,
// make-up days that are Saturdays or Sundays and not listed twice, every date within the
// notice's year or the month either side of it (a typo guard: notices reach into the
// neighbouring year only around 元旦). Errors are kInvalidArgument with the field path inside
// the notice: "holidays[6].end", "make_up_working_days[2]".
Status ValidateHolidayNotice(const HolidayNotice& notice);

class WorkCalendar {
 public:
  // Validates each notice (ValidateHolidayNotice, fields prefixed "notices[i].") and the set:
  // at least one notice, no year twice, consecutive years, no day in two holidays, no make-up day
  // that is a holiday (in any notice). A conflict names the make-up day, or the second of two
  // overlapping holidays, and its message the other day's notice; a gap in the years names the
  // field "notices".
  static Result<WorkCalendar> Build(const std::vector<HolidayNotice>& notices);

  // The covered years, ascending and consecutive.
  std::vector<int> Years() const;

  // Ok when `date` lies in a covered year; otherwise kInvalidArgument naming `field`, with the
  // same "no holiday calendar for YYYY (the calendar covers ...)" message as every count. The
  // engine checks the dates people give with it (engine/date_rules.h), so a date no count could
  // use is refused when it is typed, not every time a report reads it.
  Status CheckCovered(const CivilDate& date, const std::string& field) const;

  Result<bool> IsWorkingDay(const CivilDate& date) const;
  // `date` itself when it is a working day.
  Result<CivilDate> NextWorkingDayOnOrAfter(const CivilDate& date) const;

  // The start day is not counted.
  //   n > 0: the nth working day after `date` (2021-09-30 + 1 = 2021-10-08, after National Day).
  //   n = 0: `date` if it is a working day, else the next one: a period of zero days ends on its
  //          start day, and a last day off work moves to the next working day.
  //   n < 0: the |n|th working day before `date` (2021-10-08 - 1 = 2021-09-30), for "N working
  //          days before a deadline".
  // The result is always a working day.
  Result<CivilDate> AddWorkingDays(const CivilDate& date, int n) const;

  // A period counted from an event (Civil Code §201-203): the start day is not counted, and a
  // last day that is not a working day moves to the next working day (2021-09-30 + 3 days =
  // 10-03, a holiday, so 10-08). `days` >= 0; a negative count is kInvalidArgument, field "days".
  // A fixed date such as "10月底前" is not a period: it never moves, so it needs no calendar.
  Result<CivilDate> AddCalendarDays(const CivilDate& date, int days) const;
  // The same for a period in months: the same day-of-month, or the month's last day when it has
  // no such day (rectify::AddMonths), then moved: 2021-08-03 + 2 months = 10-03, so 10-08.
  // `months` >= 0; negative is kInvalidArgument, field "months".
  Result<CivilDate> AddMonths(const CivilDate& date, int months) const;

  // The number of working days d with from < d <= to: how many working days a deadline `from`
  // is overdue on day `to`. Antisymmetric: when to < from it is minus the count of working days
  // d with to < d <= from (-1 on 2021-09-30 for a deadline of 2021-10-08: one working day left).
  // Zero when from == to.
  Result<int> WorkingDaysBetween(const CivilDate& from, const CivilDate& to) const;

 private:
  WorkCalendar() = default;

  // Days are counted since 1970-01-01 (DaysSinceEpoch); covered days are [first_day_, end_day_).
  bool Covers(std::int64_t day) const { return day >= first_day_ && day < end_day_; }
  // The "no holiday calendar for YYYY" error for an uncovered `day` (the day a computation needed,
  // which may lie beyond the date asked about), with reason no_holiday_calendar naming that day.
  Status Uncovered(std::int64_t day, const std::string& field = "", const std::string& prefix = "") const;
  // The first working day on or after `day`.
  Result<CivilDate> FirstWorkingDayFrom(std::int64_t day) const;
  // The working day whose 1-based rank among the covered working days is `rank`; outside
  // 1..(their number) the error names the year before or after the calendar.
  Result<CivilDate> WorkingDayOfRank(std::int64_t rank) const;

  int first_year_ = 0;
  int last_year_ = 0;
  std::int64_t first_day_ = 0;
  std::int64_t end_day_ = 0;
  // working_before_[i]: the number of working days in [first_day_, first_day_ + i), for
  // i = 0 .. end_day_ - first_day_. Day i is a working day iff working_before_[i + 1] exceeds
  // working_before_[i]; counts between two days are one subtraction, the nth working day one
  // binary search.
  std::vector<std::int32_t> working_before_;
};

}  // namespace rectify
