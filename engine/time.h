// Dates and instants as the campaign counts them. Every instant is stored as seconds since the
// Unix epoch (UTC); every civil date and time of day is read in Asia/Shanghai, which has had a
// fixed UTC+08:00 offset with no daylight saving since 1991. This header reads no clock: the
// current instant is always passed in by the caller.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rectify {

using Instant = std::int64_t;  // seconds since 1970-01-01T00:00:00Z

inline constexpr int kShanghaiUtcOffsetSeconds = 8 * 3600;
inline constexpr int kSecondsPerDay = 24 * 3600;

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..DaysInMonth

  friend bool operator==(const CivilDate& a, const CivilDate& b) {
    return a.year == b.year && a.month == b.month && a.day == b.day;
  }
  friend bool operator!=(const CivilDate& a, const CivilDate& b) { return !(a == b); }
  friend bool operator<(const CivilDate& a, const CivilDate& b) {
    if (a.year != b.year) return a.year < b.year;
    if (a.month != b.month) return a.month < b.month;
    return a.day < b.day;
  }
  friend bool operator<=(const CivilDate& a, const CivilDate& b) { return !(b < a); }
  friend bool operator>(const CivilDate& a, const CivilDate& b) { return b < a; }
  friend bool operator>=(const CivilDate& a, const CivilDate& b) { return !(a < b); }
};

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);
bool IsValidDate(const CivilDate& date);

// Days since 1970-01-01 and back (proleptic Gregorian).
std::int64_t DaysSinceEpoch(const CivilDate& date);
CivilDate DateFromDaysSinceEpoch(std::int64_t days);

CivilDate AddDays(const CivilDate& date, int days);
// Same day-of-month `months` later, or that month's last day when it has no such day
// (2021-08-31 + 1 month = 2021-09-30). Civil Code §201-203's "period in months".
CivilDate AddMonths(const CivilDate& date, int months);
// 1 = Monday .. 7 = Sunday.
int IsoWeekday(const CivilDate& date);

// The instant at `seconds_of_day` after local midnight of `date` in Asia/Shanghai.
// seconds_of_day may be 86400: "the end of the day" (24:00), which equals next midnight.
Instant ShanghaiInstant(const CivilDate& date, int seconds_of_day = 0);
// The Asia/Shanghai civil date that contains `instant`.
CivilDate ShanghaiDate(Instant instant);

// "2021-10-26"; nullopt unless exactly YYYY-MM-DD and a real date.
std::optional<CivilDate> ParseDate(std::string_view text);
std::string FormatDate(const CivilDate& date);

// Accepts "2021-10-26T17:30:00+08:00", "...Z", "2021-10-26T17:30:00" and "2021-10-26T17:30"
// (both read as Asia/Shanghai local time), and a bare date "2021-10-26" (its local midnight);
// seconds may carry a fraction (".123", dropped) and the offset may be +0800 or +08.
std::optional<Instant> ParseInstant(std::string_view text);
// Always "YYYY-MM-DDTHH:MM:SS+08:00".
std::string FormatInstant(Instant instant);

// "17:30" -> seconds after midnight; "24:00" is allowed (end of day).
std::optional<int> ParseTimeOfDay(std::string_view text);

// The thirds of a month that plans date their phases by: 上旬 days 1-10, 中旬 days 11-20,
// 下旬 day 21 to the month's end ("10月下旬" = 2021-10-21 .. 2021-10-31).
enum class Dekad { kEarly, kMiddle, kLate };

// The last day of `month` (1..12): "10月底" = 10-31, February's 28th or 29th.
CivilDate EndOfMonth(int year, int month);
CivilDate DekadStart(int year, int month, Dekad dekad);
CivilDate DekadEnd(int year, int month, Dekad dekad);

}  // namespace rectify
