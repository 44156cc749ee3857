#include "engine/time.h"

#include <cstdio>

namespace rectify {
namespace {

bool ReadInt(std::string_view text, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > text.size()) return false;
  int value = 0;
  for (std::size_t i = pos; i < pos + len; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  return true;
}

}  // namespace

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

bool IsValidDate(const CivilDate& date) {
  return date.year >= 1 && date.year <= 9999 && date.month >= 1 && date.month <= 12 && date.day >= 1 &&
         date.day <= DaysInMonth(date.year, date.month);
}

// Howard Hinnant's days_from_civil / civil_from_days.
std::int64_t DaysSinceEpoch(const CivilDate& date) {
  const std::int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (date.month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + date.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate DateFromDaysSinceEpoch(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return CivilDate{static_cast<int>(year), static_cast<int>(month), static_cast<int>(day)};
}

CivilDate AddDays(const CivilDate& date, int days) { return DateFromDaysSinceEpoch(DaysSinceEpoch(date) + days); }

CivilDate AddMonths(const CivilDate& date, int months) {
  const int index = date.year * 12 + (date.month - 1) + months;
  CivilDate out;
  out.year = index / 12;
  out.month = index % 12 + 1;
  const int last = DaysInMonth(out.year, out.month);
  out.day = date.day > last ? last : date.day;
  return out;
}

int IsoWeekday(const CivilDate& date) {
  const std::int64_t days = DaysSinceEpoch(date);  // 1970-01-01 was a Thursday (4)
  const std::int64_t weekday = ((days % 7) + 7 + 3) % 7;  // 0 = Monday
  return static_cast<int>(weekday) + 1;
}

Instant ShanghaiInstant(const CivilDate& date, int seconds_of_day) {
  return DaysSinceEpoch(date) * kSecondsPerDay + seconds_of_day - kShanghaiUtcOffsetSeconds;
}

CivilDate ShanghaiDate(Instant instant) {
  const Instant local = instant + kShanghaiUtcOffsetSeconds;
  const Instant days = local >= 0 ? local / kSecondsPerDay : (local - kSecondsPerDay + 1) / kSecondsPerDay;
  return DateFromDaysSinceEpoch(days);
}

std::optional<CivilDate> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  CivilDate date;
  if (!ReadInt(text, 0, 4, date.year) || !ReadInt(text, 5, 2, date.month) || !ReadInt(text, 8, 2, date.day))
    return std::nullopt;
  if (!IsValidDate(date)) return std::nullopt;
  return date;
}

namespace {

// `value` (0 <= value < 10^width) as `width` decimal digits at `out`.
void PutDigits(char* out, int value, int width) {
  for (int i = width - 1; i >= 0; --i, value /= 10) out[i] = static_cast<char>('0' + value % 10);
}

// Every JSON answer formats its times (an overdue page, a hundred items, six each): by hand, as
// snprintf took a tenth of the page. Years outside 0-9999 and dates no calendar has go through
// snprintf, as they always did.
bool PlainDate(const CivilDate& date) {
  return date.year >= 0 && date.year <= 9999 && date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= 31;
}

void PutDate(char* out, const CivilDate& date) {
  PutDigits(out, date.year, 4);
  out[4] = '-';
  PutDigits(out + 5, date.month, 2);
  out[7] = '-';
  PutDigits(out + 8, date.day, 2);
}

}  // namespace

std::string FormatDate(const CivilDate& date) {
  if (PlainDate(date)) {
    std::string out(10, '0');
    PutDate(out.data(), date);
    return out;
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buf;
}

std::optional<Instant> ParseInstant(std::string_view text) {
  const auto date = ParseDate(text.substr(0, 10));
  if (!date) return std::nullopt;
  if (text.size() == 10) return ShanghaiInstant(*date);
  if (text[10] != 'T' && text[10] != ' ') return std::nullopt;
  int hour = 0, minute = 0, second = 0;
  if (!ReadInt(text, 11, 2, hour) || text.size() < 16 || text[13] != ':' || !ReadInt(text, 14, 2, minute))
    return std::nullopt;
  std::size_t pos = 16;
  if (pos < text.size() && text[pos] == ':') {
    if (!ReadInt(text, pos + 1, 2, second)) return std::nullopt;
    pos += 3;
    // A fraction of a second, as JavaScript's toISOString and Python's isoformat write it: an
    // instant is whole seconds, so it is dropped.
    if (pos < text.size() && text[pos] == '.') {
      const std::size_t digits = pos + 1;
      pos = digits;
      while (pos < text.size() && pos - digits < 9 && text[pos] >= '0' && text[pos] <= '9') ++pos;
      if (pos == digits) return std::nullopt;
    }
  }
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  int offset = kShanghaiUtcOffsetSeconds;
  if (pos < text.size()) {
    const char sign = text[pos];
    // +08:00 as ISO 8601 writes it; +0800 and +08 as its basic form and some libraries do.
    const std::size_t rest = text.size() - pos;
    const bool with_colon = rest == 6 && text[pos + 3] == ':';
    if (sign == 'Z' && pos + 1 == text.size()) {
      offset = 0;
    } else if ((sign == '+' || sign == '-') && (with_colon || rest == 5 || rest == 3)) {
      int oh = 0, om = 0;
      if (!ReadInt(text, pos + 1, 2, oh) || oh > 14) return std::nullopt;
      if (rest > 3 && (!ReadInt(text, pos + (with_colon ? 4 : 3), 2, om) || om > 59)) return std::nullopt;
      offset = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
    } else {
      return std::nullopt;
    }
  }
  return DaysSinceEpoch(*date) * kSecondsPerDay + hour * 3600 + minute * 60 + second - offset;
}

std::string FormatInstant(Instant instant) {
  const CivilDate date = ShanghaiDate(instant);
  const Instant seconds = instant + kShanghaiUtcOffsetSeconds - DaysSinceEpoch(date) * kSecondsPerDay;
  const int hour = static_cast<int>(seconds / 3600), minute = static_cast<int>(seconds / 60 % 60),
            second = static_cast<int>(seconds % 60);
  if (PlainDate(date)) {
    std::string out = "0000-00-00T00:00:00+08:00";
    PutDate(out.data(), date);
    PutDigits(out.data() + 11, hour, 2);
    PutDigits(out.data() + 14, minute, 2);
    PutDigits(out.data() + 17, second, 2);
    return out;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d+08:00", FormatDate(date).c_str(), hour, minute, second);
  return buf;
}

std::optional<int> ParseTimeOfDay(std::string_view text) {
  int hour = 0, minute = 0;
  if (text.size() != 5 || text[2] != ':' || !ReadInt(text, 0, 2, hour) || !ReadInt(text, 3, 2, minute))
    return std::nullopt;
  if (minute > 59 || hour > 24 || (hour == 24 && minute != 0)) return std::nullopt;
  return hour * 3600 + minute * 60;
}

CivilDate EndOfMonth(int year, int month) { return CivilDate{year, month, DaysInMonth(year, month)}; }

CivilDate DekadStart(int year, int month, Dekad dekad) {
  switch (dekad) {
    case Dekad::kEarly: return CivilDate{year, month, 1};
    case Dekad::kMiddle: return CivilDate{year, month, 11};
    case Dekad::kLate: return CivilDate{year, month, 21};
  }
  return CivilDate{year, month, 1};
}

CivilDate DekadEnd(int year, int month, Dekad dekad) {
  switch (dekad) {
    case Dekad::kEarly: return CivilDate{year, month, 10};
    case Dekad::kMiddle: return CivilDate{year, month, 20};
    case Dekad::kLate: return EndOfMonth(year, month);
  }
  return EndOfMonth(year, month);
}

}  // namespace rectify
