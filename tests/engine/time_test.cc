// How times and dates are written in every answer and file: "2021-10-26T17:30:00+08:00" and
// "2021-10-26", in Asia/Shanghai, read back by ParseInstant and ParseDate to the same value.
#include <catch2/catch.hpp>

#include <cstdio>
#include <random>
#include <string>

#include "engine/time.h"

namespace rectify {
namespace {

// The same text, written with snprintf from the civil date and the seconds of the day.
std::string Reference(Instant instant) {
  const CivilDate date = ShanghaiDate(instant);
  const Instant seconds = instant + 8 * 3600 - DaysSinceEpoch(date) * kSecondsPerDay;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", date.year, date.month, date.day,
                static_cast<int>(seconds / 3600), static_cast<int>(seconds / 60 % 60), static_cast<int>(seconds % 60));
  return buf;
}

}  // namespace

TEST_CASE("An instant is written as its Shanghai date and time of day, and read back to the same instant") {
  CHECK(FormatInstant(*ParseInstant("2021-10-26T17:30:00+08:00")) == "2021-10-26T17:30:00+08:00");
  CHECK(FormatInstant(0) == "1970-01-01T08:00:00+08:00");
  CHECK(FormatInstant(ShanghaiInstant(CivilDate{2021, 10, 31}, kSecondsPerDay) - 1) == "2021-10-31T23:59:59+08:00");
  std::mt19937_64 random(20211026);
  // From 1950 to 2150, at any second.
  std::uniform_int_distribution<Instant> any(-631152000, 5680281600);
  for (int i = 0; i < 20000; ++i) {
    const Instant instant = any(random);
    const std::string text = FormatInstant(instant);
    INFO(instant);
    CHECK(text == Reference(instant));
    CHECK(ParseInstant(text) == instant);
  }
}

TEST_CASE("An instant is read as programs write it: a fraction of a second dropped, the offset with or without its colon") {
  const Instant half_past = *ParseInstant("2021-10-26T17:30:00+08:00");
  for (const char* text : {"2021-10-26T17:30:00.000+08:00", "2021-10-26T17:30:00.5+08:00", "2021-10-26T17:30:00.123456+08:00",
                           "2021-10-26T09:30:00.123456789Z", "2021-10-26T17:30:00+0800", "2021-10-26T17:30:00+08",
                           "2021-10-26T09:30:00.000Z", "2021-10-26T17:30:00.999"}) {
    INFO(text);
    CHECK(ParseInstant(text) == half_past);
  }
  CHECK(ParseInstant("2021-10-26T04:30:00-0500") == half_past);
  for (const char* text : {"2021-10-26T17:30:00.+08:00", "2021-10-26T17:30:00.1234567890+08:00", "2021-10-26T17:30:00+8",
                           "2021-10-26T17:30:00+08:0", "2021-10-26T17:30:00+0860", "2021-10-26T17:30:00+1500",
                           "2021-10-26T17:30.5", "2021-10-26T17:30:00.5x"}) {
    INFO(text);
    CHECK_FALSE(ParseInstant(text).has_value());
  }
}

TEST_CASE("A date is written as YYYY-MM-DD, and a year beyond four digits in full") {
  CHECK(FormatDate(CivilDate{2021, 10, 1}) == "2021-10-01");
  CHECK(FormatDate(CivilDate{1, 2, 3}) == "0001-02-03");
  CHECK(FormatDate(CivilDate{10000, 1, 1}) == "10000-01-01");
  CHECK(FormatDate(CivilDate{-1, 1, 1}) == "-001-01-01");
  for (int day = 0; day < 80000; day += 7) {
    const CivilDate date = DateFromDaysSinceEpoch(day);
    INFO(day);
    CHECK(ParseDate(FormatDate(date)) == date);
  }
}

}  // namespace rectify
