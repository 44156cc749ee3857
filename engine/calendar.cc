#include "engine/calendar.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <utility>

namespace rectify {
namespace {

// What a merged day is, and where it was listed, for conflict messages.
struct DayUse {
  bool working = false;
  int notice_year = 0;
  std::string what;  // "国庆节 2021-10-01..2021-10-07" or "a make-up working day"
};

std::string Describe(const Holiday& holiday) {
  return holiday.name + " " + FormatDate(holiday.start) + ".." + FormatDate(holiday.end);
}

std::string WeekdayName(const CivilDate& date) {
  static constexpr const char* kNames[] = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                           "Friday", "Saturday", "Sunday"};
  return kNames[IsoWeekday(date) - 1];
}

// A notice reaches into the neighbouring year only around 元旦: 2023's starts on 2022-12-31.
Status CheckNearYear(const CivilDate& date, int year, const std::string& path) {
  const CivilDate earliest{year - 1, 12, 1};
  const CivilDate latest{year + 1, 1, 31};
  if (date < earliest || date > latest) {
    return Status::InvalidArgument(path, FormatDate(date) + " is too far from the notice's year " +
                                             std::to_string(year) + ": expected " + FormatDate(earliest) +
                                             " to " + FormatDate(latest));
  }
  return Status::Ok();
}

// Puts the days of `notices` into `days`, failing on a day listed twice (two overlapping
// holidays, a make-up day that is a holiday, a make-up day given twice). Paths are prefixed
// "notices[i]." when `prefix_paths`.
Status MergeDays(const HolidayNotice* notices, std::size_t count, bool prefix_paths,
                 std::map<std::int64_t, DayUse>& days) {
  const auto path_in = [prefix_paths](std::size_t i, const std::string& local) {
    return prefix_paths ? "notices[" + std::to_string(i) + "]." + local : local;
  };
  const auto where = [](const DayUse& use, int year) {
    return use.notice_year == year ? std::string() : " in the notice for " + std::to_string(use.notice_year);
  };
  for (std::size_t i = 0; i < count; ++i) {
    const HolidayNotice& notice = notices[i];
    for (std::size_t j = 0; j < notice.holidays.size(); ++j) {
      const Holiday& holiday = notice.holidays[j];
      for (std::int64_t day = DaysSinceEpoch(holiday.start); day <= DaysSinceEpoch(holiday.end); ++day) {
        const auto [it, inserted] = days.emplace(day, DayUse{false, notice.year, Describe(holiday)});
        if (!inserted) {
          return Status::InvalidArgument(path_in(i, "holidays[" + std::to_string(j) + "]"),
                                         FormatDate(DateFromDaysSinceEpoch(day)) + " is already a holiday: " +
                                             it->second.what + where(it->second, notice.year));
        }
      }
    }
  }
  for (std::size_t i = 0; i < count; ++i) {
    const HolidayNotice& notice = notices[i];
    for (std::size_t k = 0; k < notice.make_up_working_days.size(); ++k) {
      const CivilDate& date = notice.make_up_working_days[k];
      const auto [it, inserted] =
          days.emplace(DaysSinceEpoch(date), DayUse{true, notice.year, "a make-up working day"});
      if (inserted) continue;
      const std::string path = path_in(i, "make_up_working_days[" + std::to_string(k) + "]");
      if (it->second.working) {
        return Status::InvalidArgument(path, FormatDate(date) + " is already a make-up working day" +
                                                 where(it->second, notice.year));
      }
      return Status::InvalidArgument(path, FormatDate(date) + " is a holiday: " + it->second.what +
                                               where(it->second, notice.year) +
                                               "; a day cannot be both off and a make-up working day");
    }
  }
  return Status::Ok();
}

std::string YearSpan(int first, int last) {
  return first == last ? std::to_string(first) : std::to_string(first) + " to " + std::to_string(last);
}

}  // namespace

Status ValidateHolidayNotice(const HolidayNotice& notice) {
  if (notice.year < 1900 || notice.year > 9998) {
    return Status::InvalidArgument("year", std::to_string(notice.year) + " is not a plausible year");
  }
  if (notice.notice.empty()) {
    return Status::InvalidArgument("notice", "empty: name the State Council notice the dates come from");
  }
  for (std::size_t j = 0; j < notice.holidays.size(); ++j) {
    const Holiday& holiday = notice.holidays[j];
    const std::string path = "holidays[" + std::to_string(j) + "]";
    if (holiday.name.empty()) return Status::InvalidArgument(path + ".name", "empty name");
    RECTIFY_RETURN_IF_ERROR(CheckNearYear(holiday.start, notice.year, path + ".start"));
    RECTIFY_RETURN_IF_ERROR(CheckNearYear(holiday.end, notice.year, path + ".end"));
    if (holiday.end < holiday.start) {
      return Status::InvalidArgument(path + ".end", "ends " + FormatDate(holiday.end) + " before it starts " +
                                                        FormatDate(holiday.start));
    }
  }
  for (std::size_t k = 0; k < notice.make_up_working_days.size(); ++k) {
    const CivilDate& date = notice.make_up_working_days[k];
    const std::string path = "make_up_working_days[" + std::to_string(k) + "]";
    RECTIFY_RETURN_IF_ERROR(CheckNearYear(date, notice.year, path));
    if (IsoWeekday(date) < 6) {
      return Status::InvalidArgument(path, FormatDate(date) + " is a " + WeekdayName(date) +
                                               ": a make-up working day (调休上班) is a Saturday or Sunday");
    }
  }
  std::map<std::int64_t, DayUse> days;
  return MergeDays(&notice, 1, false, days);
}

Result<WorkCalendar> WorkCalendar::Build(const std::vector<HolidayNotice>& notices) {
  if (notices.empty()) return Status::InvalidArgument("notices", "no notices: the calendar covers no year");
  std::map<int, std::size_t> index_of_year;
  for (std::size_t i = 0; i < notices.size(); ++i) {
    const Status valid = ValidateHolidayNotice(notices[i]);
    const std::string prefix = "notices[" + std::to_string(i) + "]";
    if (!valid.ok()) return Status::InvalidArgument(prefix + "." + valid.field(), valid.message());
    const auto [it, inserted] = index_of_year.emplace(notices[i].year, i);
    if (!inserted) {
      return Status::InvalidArgument(prefix + ".year", std::to_string(notices[i].year) +
                                                           " already has a notice: " + notices[it->second].notice);
    }
  }
  std::map<std::int64_t, DayUse> days;
  RECTIFY_RETURN_IF_ERROR(MergeDays(notices.data(), notices.size(), true, days));
  for (auto it = index_of_year.begin(); std::next(it) != index_of_year.end(); ++it) {
    const int year = it->first;
    const int next = std::next(it)->first;
    if (next != year + 1) {
      return Status::InvalidArgument("notices", "no notice for " + YearSpan(year + 1, next - 1) +
                                                    ": the years must be consecutive, and there are notices for " +
                                                    std::to_string(year) + " and " + std::to_string(next));
    }
  }

  WorkCalendar calendar;
  calendar.first_year_ = index_of_year.begin()->first;
  calendar.last_year_ = index_of_year.rbegin()->first;
  calendar.first_day_ = DaysSinceEpoch(CivilDate{calendar.first_year_, 1, 1});
  calendar.end_day_ = DaysSinceEpoch(CivilDate{calendar.last_year_ + 1, 1, 1});
  const auto size = static_cast<std::size_t>(calendar.end_day_ - calendar.first_day_);
  std::vector<bool> working(size);
  for (std::size_t i = 0; i < size; ++i) {
    working[i] = IsoWeekday(DateFromDaysSinceEpoch(calendar.first_day_ + static_cast<std::int64_t>(i))) <= 5;
  }
  for (const auto& [day, use] : days) {
    if (calendar.Covers(day)) working[static_cast<std::size_t>(day - calendar.first_day_)] = use.working;
  }
  calendar.working_before_.assign(size + 1, 0);
  for (std::size_t i = 0; i < size; ++i) {
    calendar.working_before_[i + 1] = calendar.working_before_[i] + (working[i] ? 1 : 0);
  }
  return calendar;
}

std::vector<int> WorkCalendar::Years() const {
  std::vector<int> years;
  for (int year = first_year_; year <= last_year_; ++year) years.push_back(year);
  return years;
}

Status WorkCalendar::Uncovered(std::int64_t day, const std::string& field, const std::string& prefix) const {
  const CivilDate date = DateFromDaysSinceEpoch(day);
  return Status::InvalidArgument(field, prefix + "no holiday calendar for " + std::to_string(date.year) +
                                            " (the calendar covers " + YearSpan(first_year_, last_year_) + ")")
      .WithReason("no_holiday_calendar", {{"date", FormatDate(date)},
                                          {"year", std::to_string(date.year)},
                                          {"first_year", std::to_string(first_year_)},
                                          {"last_year", std::to_string(last_year_)}});
}

Status WorkCalendar::CheckCovered(const CivilDate& date, const std::string& field) const {
  const std::int64_t day = DaysSinceEpoch(date);
  if (Covers(day)) return Status::Ok();
  return Uncovered(day, field, FormatDate(date) + ": ");
}

Result<CivilDate> WorkCalendar::WorkingDayOfRank(std::int64_t rank) const {
  if (rank < 1) return Uncovered(first_day_ - 1);
  if (rank > working_before_.back()) return Uncovered(end_day_);
  // The first i with working_before_[i] == rank is one past that working day.
  const auto it = std::lower_bound(working_before_.begin(), working_before_.end(), rank);
  return DateFromDaysSinceEpoch(first_day_ + (it - working_before_.begin()) - 1);
}

Result<CivilDate> WorkCalendar::FirstWorkingDayFrom(std::int64_t day) const {
  if (!Covers(day)) return Uncovered(day);
  return WorkingDayOfRank(working_before_[static_cast<std::size_t>(day - first_day_)] + std::int64_t{1});
}

Result<bool> WorkCalendar::IsWorkingDay(const CivilDate& date) const {
  const std::int64_t day = DaysSinceEpoch(date);
  if (!Covers(day)) return Uncovered(day);
  const auto i = static_cast<std::size_t>(day - first_day_);
  return working_before_[i + 1] > working_before_[i];
}

Result<CivilDate> WorkCalendar::NextWorkingDayOnOrAfter(const CivilDate& date) const {
  return FirstWorkingDayFrom(DaysSinceEpoch(date));
}

Result<CivilDate> WorkCalendar::AddWorkingDays(const CivilDate& date, int n) const {
  const std::int64_t day = DaysSinceEpoch(date);
  if (n == 0) return FirstWorkingDayFrom(day);
  // The first day that counts is the one after `date`, or before it when counting back.
  const std::int64_t first_counted = n > 0 ? day + 1 : day - 1;
  if (!Covers(first_counted)) return Uncovered(first_counted);
  if (n > 0) return WorkingDayOfRank(working_before_[static_cast<std::size_t>(day + 1 - first_day_)] + std::int64_t{n});
  return WorkingDayOfRank(working_before_[static_cast<std::size_t>(day - first_day_)] + std::int64_t{n} + 1);
}

Result<CivilDate> WorkCalendar::AddCalendarDays(const CivilDate& date, int days) const {
  if (days < 0) {
    return Status::InvalidArgument("days", "a period of " + std::to_string(days) + " days: it cannot be negative");
  }
  return FirstWorkingDayFrom(DaysSinceEpoch(date) + days);
}

Result<CivilDate> WorkCalendar::AddMonths(const CivilDate& date, int months) const {
  if (months < 0) {
    return Status::InvalidArgument("months",
                                   "a period of " + std::to_string(months) + " months: it cannot be negative");
  }
  return FirstWorkingDayFrom(DaysSinceEpoch(rectify::AddMonths(date, months)));
}

Result<int> WorkCalendar::WorkingDaysBetween(const CivilDate& from, const CivilDate& to) const {
  if (from == to) return 0;
  const std::int64_t low = DaysSinceEpoch(std::min(from, to));
  const std::int64_t high = DaysSinceEpoch(std::max(from, to));
  // The days counted are (low, high].
  if (!Covers(low + 1)) return Uncovered(low + 1);
  if (!Covers(high)) return Uncovered(high);
  const int count = working_before_[static_cast<std::size_t>(high + 1 - first_day_)] -
                    working_before_[static_cast<std::size_t>(low + 1 - first_day_)];
  return from < to ? count : -count;
}

}  // namespace rectify
