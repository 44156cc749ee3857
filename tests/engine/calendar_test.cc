#include "engine/calendar.h"

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

namespace rectify {
namespace {

CivilDate D(const char* text) {
  const std::optional<CivilDate> date = ParseDate(text);
  REQUIRE(date.has_value());
  return *date;
}

// The State Council notices for 2021-2026, as in DOMAIN.md. The real files in
// workflows/calendars/ hold the same dates; config_calendar_test checks them against the same
// working-day counts per year as the test below.
std::vector<HolidayNotice> OfficialNotices() {
  return {
      {2021, "国办发明电〔2020〕27号",
       {{"元旦", D("2021-01-01"), D("2021-01-03")}, {"春节", D("2021-02-11"), D("2021-02-17")},
        {"清明节", D("2021-04-03"), D("2021-04-05")}, {"劳动节", D("2021-05-01"), D("2021-05-05")},
        {"端午节", D("2021-06-12"), D("2021-06-14")}, {"中秋节", D("2021-09-19"), D("2021-09-21")},
        {"国庆节", D("2021-10-01"), D("2021-10-07")}},
       {D("2021-02-07"), D("2021-02-20"), D("2021-04-25"), D("2021-05-08"), D("2021-09-18"), D("2021-09-26"),
        D("2021-10-09")}},
      {2022, "国办发明电〔2021〕11号",
       {{"元旦", D("2022-01-01"), D("2022-01-03")}, {"春节", D("2022-01-31"), D("2022-02-06")},
        {"清明节", D("2022-04-03"), D("2022-04-05")}, {"劳动节", D("2022-04-30"), D("2022-05-04")},
        {"端午节", D("2022-06-03"), D("2022-06-05")}, {"中秋节", D("2022-09-10"), D("2022-09-12")},
        {"国庆节", D("2022-10-01"), D("2022-10-07")}},
       {D("2022-01-29"), D("2022-01-30"), D("2022-04-02"), D("2022-04-24"), D("2022-05-07"), D("2022-10-08"),
        D("2022-10-09")}},
      {2023, "国办发明电〔2022〕16号",
       {{"元旦", D("2022-12-31"), D("2023-01-02")}, {"春节", D("2023-01-21"), D("2023-01-27")},
        {"清明节", D("2023-04-05"), D("2023-04-05")}, {"劳动节", D("2023-04-29"), D("2023-05-03")},
        {"端午节", D("2023-06-22"), D("2023-06-24")}, {"中秋节、国庆节", D("2023-09-29"), D("2023-10-06")}},
       {D("2023-01-28"), D("2023-01-29"), D("2023-04-23"), D("2023-05-06"), D("2023-06-25"), D("2023-10-07"),
        D("2023-10-08")}},
      {2024, "国办发明电〔2023〕7号",
       {{"元旦", D("2024-01-01"), D("2024-01-01")}, {"春节", D("2024-02-10"), D("2024-02-17")},
        {"清明节", D("2024-04-04"), D("2024-04-06")}, {"劳动节", D("2024-05-01"), D("2024-05-05")},
        {"端午节", D("2024-06-10"), D("2024-06-10")}, {"中秋节", D("2024-09-15"), D("2024-09-17")},
        {"国庆节", D("2024-10-01"), D("2024-10-07")}},
       {D("2024-02-04"), D("2024-02-18"), D("2024-04-07"), D("2024-04-28"), D("2024-05-11"), D("2024-09-14"),
        D("2024-09-29"), D("2024-10-12")}},
      {2025, "国办发明电〔2024〕12号",
       {{"元旦", D("2025-01-01"), D("2025-01-01")}, {"春节", D("2025-01-28"), D("2025-02-04")},
        {"清明节", D("2025-04-04"), D("2025-04-06")}, {"劳动节", D("2025-05-01"), D("2025-05-05")},
        {"端午节", D("2025-05-31"), D("2025-06-02")}, {"国庆节、中秋节", D("2025-10-01"), D("2025-10-08")}},
       {D("2025-01-26"), D("2025-02-08"), D("2025-04-27"), D("2025-09-28"), D("2025-10-11")}},
      {2026, "国办发明电〔2025〕7号",
       {{"元旦", D("2026-01-01"), D("2026-01-03")}, {"春节", D("2026-02-15"), D("2026-02-23")},
        {"清明节", D("2026-04-04"), D("2026-04-06")}, {"劳动节", D("2026-05-01"), D("2026-05-05")},
        {"端午节", D("2026-06-19"), D("2026-06-21")}, {"中秋节", D("2026-09-25"), D("2026-09-27")},
        {"国庆节", D("2026-10-01"), D("2026-10-07")}},
       {D("2026-01-04"), D("2026-02-14"), D("2026-02-28"), D("2026-05-09"), D("2026-09-20"), D("2026-10-10")}},
  };
}

// The same numbers are checked against the files in config_calendar_test.
const std::vector<std::pair<int, int>> kWorkingDaysPerYear = {{2021, 250}, {2022, 249}, {2023, 249},
                                                              {2024, 251}, {2025, 248}, {2026, 248}};

const WorkCalendar& Official() {
  static const WorkCalendar calendar = [] {
    Result<WorkCalendar> built = WorkCalendar::Build(OfficialNotices());
    INFO(built.status().ToString());
    REQUIRE(built.ok());
    return std::move(built).value();
  }();
  return calendar;
}

std::string Show(const Result<CivilDate>& result) {
  return result.ok() ? FormatDate(*result) : result.status().ToString();
}

// A date computation from `from`, and what it must give.
struct DateCase {
  const char* from;
  int n;
  const char* expected;
  const char* why;
};

void CheckAll(const std::vector<DateCase>& cases,
              const std::function<Result<CivilDate>(const CivilDate&, int)>& compute) {
  for (const DateCase& c : cases) {
    INFO(c.from << " + " << c.n << ": " << c.why);
    CHECK(Show(compute(D(c.from), c.n)) == c.expected);
  }
}

// The error a computation must give: invalid argument, naming the missing year.
void CheckNoCalendarFor(const Status& status, int year) {
  INFO(status.ToString());
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(status.message(), Catch::StartsWith("no holiday calendar for " + std::to_string(year)));
  CHECK_THAT(status.message(), Catch::Contains("covers 2021 to 2026"));
}

struct BadNotices {
  const char* what;
  std::function<void(std::vector<HolidayNotice>&)> spoil;
  const char* field;
  const char* message_part;
};

}  // namespace

TEST_CASE("The official calendar covers 2021 to 2026") {
  CHECK(Official().Years() == std::vector<int>{2021, 2022, 2023, 2024, 2025, 2026});
}

TEST_CASE("Around Mid-Autumn and National Day 2021 make-up weekend days work and the holidays do not") {
  const std::vector<std::pair<const char*, bool>> days = {
      {"2021-09-17", true},   // Friday
      {"2021-09-18", true},   // Saturday, make-up for 中秋
      {"2021-09-19", false},  // 中秋节 09-19..21 (Sunday to Tuesday)
      {"2021-09-20", false},
      {"2021-09-21", false},
      {"2021-09-22", true},   // Wednesday
      {"2021-09-25", false},  // Saturday
      {"2021-09-26", true},   // Sunday, make-up for 国庆
      {"2021-09-30", true},   // Thursday
      {"2021-10-01", false},  // 国庆节 10-01..07
      {"2021-10-02", false},
      {"2021-10-03", false},
      {"2021-10-04", false},
      {"2021-10-05", false},
      {"2021-10-06", false},
      {"2021-10-07", false},
      {"2021-10-08", true},   // Friday
      {"2021-10-09", true},   // Saturday, make-up for 国庆
      {"2021-10-10", false},  // Sunday
      {"2021-10-11", true},   // Monday
  };
  for (const auto& [day, working] : days) {
    INFO(day);
    const Result<bool> result = Official().IsWorkingDay(D(day));
    REQUIRE(result.ok());
    CHECK(*result == working);
  }
}

TEST_CASE("Plain weekends are off and plain weekdays work") {
  CHECK(*Official().IsWorkingDay(D("2021-10-23")) == false);  // Saturday
  CHECK(*Official().IsWorkingDay(D("2021-10-24")) == false);  // Sunday
  CHECK(*Official().IsWorkingDay(D("2021-10-26")) == true);   // Tuesday: the ledger is due
}

TEST_CASE("The next working day on or after a day is the day itself when it works") {
  CheckAll({{"2021-09-30", 0, "2021-09-30", "a Thursday works"},
            {"2021-10-01", 0, "2021-10-08", "国庆 runs to Thursday 10-07"},
            {"2021-09-25", 0, "2021-09-26", "Saturday off and Sunday a make-up day"},
            {"2021-10-09", 0, "2021-10-09", "a make-up Saturday works"},
            {"2021-10-10", 0, "2021-10-11", "Sunday"},
            {"2026-12-26", 0, "2026-12-28", "the last weekend of the calendar"}},
           [](const CivilDate& date, int) { return Official().NextWorkingDayOnOrAfter(date); });
}

TEST_CASE("Adding working days skips National Day and counts make-up Saturdays") {
  CheckAll(
      {
          {"2021-09-30", 1, "2021-10-08", "10-01..07 are holidays"},
          {"2021-09-29", 2, "2021-10-08", "09-30 is the 1st and 10-08 the 2nd"},
          // 09-30 (Thu) is the 1st, 10-08 (Fri) the 2nd, 10-09 (Sat, make-up) the 3rd: not 10-08.
          {"2021-09-29", 3, "2021-10-09", "the 3rd working day is the make-up Saturday"},
          {"2021-09-30", 5, "2021-10-13", "10-08, 10-09, 10-11, 10-12, 10-13"},
          {"2021-09-24", 1, "2021-09-26", "Saturday 09-25 is off and Sunday 09-26 a make-up day"},
          {"2021-09-17", 1, "2021-09-18", "the make-up Saturday before 中秋"},
          {"2021-09-18", 1, "2021-09-22", "中秋 09-19..21"},
          {"2021-10-03", 1, "2021-10-08", "a start day on a holiday is not counted"},
          {"2021-10-09", 1, "2021-10-11", "Sunday 10-10 is off"},
          {"2021-10-20", 5, "2021-10-27", "an ordinary week: 21 22 25 26 27"},
      },
      [](const CivilDate& date, int n) { return Official().AddWorkingDays(date, n); });
}

TEST_CASE("Zero working days gives the day itself or the next working day") {
  CheckAll({{"2021-09-30", 0, "2021-09-30", "a working day stays"},
            {"2021-10-03", 0, "2021-10-08", "a holiday moves to the next working day"},
            {"2021-09-25", 0, "2021-09-26", "a Saturday moves to the make-up Sunday"}},
           [](const CivilDate& date, int n) { return Official().AddWorkingDays(date, n); });
}

TEST_CASE("Negative working days count back from the day") {
  CheckAll({{"2021-10-08", -1, "2021-09-30", "back over National Day"},
            {"2021-10-11", -2, "2021-10-08", "10-09 (make-up Saturday) is the 1st and 10-08 the 2nd"},
            {"2021-10-05", -1, "2021-09-30", "a start day on a holiday is not counted"},
            {"2021-09-22", -1, "2021-09-18", "back over 中秋 to the make-up Saturday"},
            {"2021-09-27", -1, "2021-09-26", "the make-up Sunday"}},
           [](const CivilDate& date, int n) { return Official().AddWorkingDays(date, n); });
}

TEST_CASE("A period in days ending on a day off moves to the next working day") {
  CheckAll(
      {
          {"2021-09-30", 3, "2021-10-08", "10-03 is in 国庆"},
          {"2021-09-28", 5, "2021-10-08", "10-03 is in 国庆"},
          {"2021-09-01", 30, "2021-10-08", "10-01 is in 国庆"},
          {"2021-09-20", 5, "2021-09-26", "Saturday 09-25 moves one day to the make-up Sunday"},
          {"2021-10-01", 8, "2021-10-09", "the make-up Saturday is a working day and stays"},
          {"2021-10-01", 9, "2021-10-11", "Sunday 10-10 moves to Monday"},
          {"2021-10-20", 6, "2021-10-26", "a Tuesday stays"},
          {"2021-10-03", 0, "2021-10-08", "zero days from a holiday"},
          {"2022-12-28", 3, "2023-01-03", "2022-12-31 is 2023's 元旦"},
      },
      [](const CivilDate& date, int n) { return Official().AddCalendarDays(date, n); });
}

TEST_CASE("A period in months ends on the same day or the month's last day and then moves") {
  CheckAll(
      {
          {"2021-08-31", 1, "2021-09-30", "September has no 31st and 09-30 is a working Thursday"},
          {"2021-08-03", 2, "2021-10-08", "10-03 is in 国庆"},
          {"2021-08-01", 2, "2021-10-08", "10-01 is in 国庆"},
          {"2021-08-09", 2, "2021-10-09", "the make-up Saturday stays"},
          {"2021-08-10", 2, "2021-10-11", "Sunday 10-10 moves to Monday"},
          {"2021-08-31", 2, "2021-11-01", "10-31 is a Sunday"},
          {"2024-01-31", 1, "2024-02-29", "a leap year's February ends on the 29th, a Thursday"},
          {"2023-01-31", 1, "2023-02-28", "a common year's February ends on the 28th, a Tuesday"},
          {"2021-11-30", 2, "2022-01-30", "a make-up Sunday of 2022 stays"},
          {"2022-10-31", 2, "2023-01-03", "2022-12-31 is 2023's 元旦, to 2023-01-02"},
          {"2021-10-20", 0, "2021-10-20", "zero months from a working day"},
      },
      [](const CivilDate& date, int n) { return Official().AddMonths(date, n); });
}

TEST_CASE("Working days cross the year boundary through 元旦 of the next notice") {
  CHECK(Show(Official().AddWorkingDays(D("2022-12-30"), 1)) == "2023-01-03");
  CHECK(*Official().IsWorkingDay(D("2022-12-31")) == false);  // listed in the 2023 notice
  CHECK(Show(Official().AddWorkingDays(D("2021-12-31"), 1)) == "2022-01-04");
  CHECK(Show(Official().AddWorkingDays(D("2026-12-30"), 1)) == "2026-12-31");
}

TEST_CASE("Counting past the last notice fails and names the year") {
  CheckNoCalendarFor(Official().AddWorkingDays(D("2026-12-31"), 1).status(), 2027);
  CheckNoCalendarFor(Official().AddWorkingDays(D("2026-12-01"), 30).status(), 2027);
  CheckNoCalendarFor(Official().IsWorkingDay(D("2027-01-04")).status(), 2027);
  CheckNoCalendarFor(Official().AddCalendarDays(D("2026-12-30"), 2).status(), 2027);
  CheckNoCalendarFor(Official().AddMonths(D("2026-11-30"), 2).status(), 2027);
  CheckNoCalendarFor(Official().WorkingDaysBetween(D("2026-12-30"), D("2027-01-05")).status(), 2027);
  CheckNoCalendarFor(Official().NextWorkingDayOnOrAfter(D("2030-05-01")).status(), 2030);
}

TEST_CASE("A day before the first notice fails and names the year") {
  CheckNoCalendarFor(Official().IsWorkingDay(D("2020-12-31")).status(), 2020);
  CheckNoCalendarFor(Official().NextWorkingDayOnOrAfter(D("2020-06-01")).status(), 2020);
  CheckNoCalendarFor(Official().AddWorkingDays(D("2021-01-04"), -1).status(), 2020);
  CheckNoCalendarFor(Official().AddWorkingDays(D("2020-12-30"), 1).status(), 2020);
  CheckNoCalendarFor(Official().WorkingDaysBetween(D("2020-12-01"), D("2021-01-05")).status(), 2020);
  CheckNoCalendarFor(Official().AddCalendarDays(D("2020-10-01"), 3).status(), 2020);
}

TEST_CASE("A start day outside the calendar is fine when only later days decide") {
  // The start day is never counted: 2021-01-01..03 is 元旦, so the 1st working day is Monday.
  CHECK(Show(Official().AddWorkingDays(D("2020-12-31"), 1)) == "2021-01-04");
  CHECK(Show(Official().AddCalendarDays(D("2020-12-30"), 3)) == "2021-01-04");
  CHECK(Show(Official().AddMonths(D("2020-11-15"), 2)) == "2021-01-15");
  CHECK(Show(Official().AddWorkingDays(D("2027-01-01"), -1)) == "2026-12-31");
  CHECK(*Official().WorkingDaysBetween(D("2020-12-31"), D("2021-01-04")) == 1);
}

TEST_CASE("Working days between two days count those after the first up to the second") {
  struct Between {
    const char* from;
    const char* to;
    int expected;
    const char* why;
  };
  const std::vector<Between> cases = {
      {"2021-09-30", "2021-10-08", 1, "only 10-08: 国庆 is off"},
      {"2021-09-30", "2021-10-11", 3, "10-08 10-09 10-11"},
      {"2021-09-30", "2021-10-07", 0, "all holidays"},
      {"2021-09-17", "2021-09-30", 9, "09-18 22 23 24 26 27 28 29 30"},
      {"2021-10-26", "2021-11-01", 4, "overdue from the ledger deadline: 27 28 29 and Monday 11-01"},
      {"2021-10-26", "2021-10-26", 0, "the same day"},
      {"2021-10-08", "2021-09-30", -1, "one working day left"},
      {"2021-10-11", "2021-09-30", -3, "antisymmetric"},
      {"2022-12-30", "2023-01-03", 1, "元旦 across the year boundary"},
      {"2021-01-01", "2026-12-31", 1495, "six years: 250 249 249 251 248 248"},
  };
  for (const Between& c : cases) {
    INFO(c.from << " .. " << c.to << ": " << c.why);
    const Result<int> result = Official().WorkingDaysBetween(D(c.from), D(c.to));
    INFO(result.status().ToString());
    REQUIRE(result.ok());
    CHECK(*result == c.expected);
  }
}

TEST_CASE("Each year has the number of working days its notice gives") {
  // By hand for 2021: 261 weekdays, minus 18 holidays on weekdays (元旦 1, 春节 5, 清明 1,
  // 劳动节 3, 端午 1, 中秋 2, 国庆 5), plus 7 make-up days = 250. For 2025 (13 statutory days
  // from that year on): 261 - 18 + 5 = 248. 2022-12-31, a Saturday in 2023's notice, changes
  // nothing.
  for (const auto& [year, working_days] : kWorkingDaysPerYear) {
    INFO(year);
    const Result<int> count = Official().WorkingDaysBetween({year - 1, 12, 31}, {year, 12, 31});
    INFO(count.status().ToString());
    REQUIRE(count.ok());
    CHECK(*count == working_days);
  }
}

TEST_CASE("Each bad set of notices is rejected with the field at fault") {
  const std::vector<BadNotices> cases = {
      {"no notices", [](auto& n) { n.clear(); }, "notices", "no notices"},
      {"the same year twice", [](auto& n) { n.push_back(n[0]); }, "notices[6].year",
       "2021 already has a notice: 国办发明电〔2020〕27号"},
      {"a gap in the years", [](auto& n) { n.erase(n.begin() + 2); }, "notices",
       "no notice for 2023: the years must be consecutive"},
      {"a make-up day that is a holiday", [](auto& n) { n[0].make_up_working_days[6] = D("2021-10-02"); },
       "notices[0].make_up_working_days[6]", "2021-10-02 is a holiday: 国庆节 2021-10-01..2021-10-07"},
      {"a make-up day that is a holiday of the next year's notice",
       [](auto& n) { n[1].make_up_working_days.push_back(D("2022-12-31")); }, "notices[1].make_up_working_days[7]",
       "2022-12-31 is a holiday: 元旦 2022-12-31..2023-01-02 in the notice for 2023"},
      {"a make-up day on a weekday", [](auto& n) { n[0].make_up_working_days[6] = D("2021-10-08"); },
       "notices[0].make_up_working_days[6]", "2021-10-08 is a Friday: a make-up working day (调休上班) is a Saturday"},
      {"a make-up day listed twice", [](auto& n) { n[0].make_up_working_days.push_back(D("2021-10-09")); },
       "notices[0].make_up_working_days[7]", "2021-10-09 is already a make-up working day"},
      {"a holiday ending before it starts", [](auto& n) { n[0].holidays[6].end = D("2021-09-30"); },
       "notices[0].holidays[6].end", "ends 2021-09-30 before it starts 2021-10-01"},
      {"overlapping holidays", [](auto& n) { n[0].holidays[5].end = D("2021-10-02"); }, "notices[0].holidays[6]",
       "2021-10-01 is already a holiday: 中秋节 2021-09-19..2021-10-02"},
      {"a date far from the notice's year", [](auto& n) { n[0].holidays[0].start = D("2012-01-01"); },
       "notices[0].holidays[0].start", "2012-01-01 is too far from the notice's year 2021"},
      {"a make-up day far from the notice's year", [](auto& n) { n[5].make_up_working_days[0] = D("2027-02-06"); },
       "notices[5].make_up_working_days[0]", "expected 2025-12-01 to 2027-01-31"},
      {"a holiday without a name", [](auto& n) { n[3].holidays[2].name.clear(); }, "notices[3].holidays[2].name",
       "empty name"},
      {"a notice without a title", [](auto& n) { n[4].notice.clear(); }, "notices[4].notice", "empty"},
      {"an implausible year", [](auto& n) { n[0].year = 20210; }, "notices[0].year", "20210 is not a plausible year"},
  };
  for (const BadNotices& bad : cases) {
    INFO(bad.what);
    std::vector<HolidayNotice> notices = OfficialNotices();
    bad.spoil(notices);
    const Result<WorkCalendar> built = WorkCalendar::Build(notices);
    REQUIRE_FALSE(built.ok());
    INFO(built.status().ToString());
    CHECK(built.status().code() == StatusCode::kInvalidArgument);
    CHECK(built.status().field() == bad.field);
    CHECK_THAT(built.status().message(), Catch::Contains(bad.message_part));
  }
}

TEST_CASE("A notice is validated on its own with paths inside it") {
  HolidayNotice notice = OfficialNotices()[0];
  CHECK(ValidateHolidayNotice(notice).ok());
  notice.make_up_working_days[1] = D("2021-02-19");
  const Status status = ValidateHolidayNotice(notice);
  CHECK(status.field() == "make_up_working_days[1]");
  CHECK(status.message() == "2021-02-19 is a Friday: a make-up working day (调休上班) is a Saturday or Sunday");
}

TEST_CASE("A negative period of days or months is an invalid argument") {
  const Result<CivilDate> days = Official().AddCalendarDays(D("2021-10-20"), -1);
  REQUIRE_FALSE(days.ok());
  CHECK(days.status().code() == StatusCode::kInvalidArgument);
  CHECK(days.status().field() == "days");
  const Result<CivilDate> months = Official().AddMonths(D("2021-10-20"), -2);
  REQUIRE_FALSE(months.ok());
  CHECK(months.status().field() == "months");
}

TEST_CASE("Dekads split a month into days 1 to 10 and 11 to 20 and 21 to its end") {
  CHECK(DekadStart(2021, 10, Dekad::kLate) == CivilDate{2021, 10, 21});
  CHECK(DekadEnd(2021, 10, Dekad::kLate) == CivilDate{2021, 10, 31});
  CHECK(DekadStart(2021, 9, Dekad::kLate) == CivilDate{2021, 9, 21});
  CHECK(DekadEnd(2021, 9, Dekad::kLate) == CivilDate{2021, 9, 30});
  CHECK(DekadStart(2021, 10, Dekad::kEarly) == CivilDate{2021, 10, 1});
  CHECK(DekadEnd(2021, 10, Dekad::kEarly) == CivilDate{2021, 10, 10});
  CHECK(DekadStart(2021, 11, Dekad::kMiddle) == CivilDate{2021, 11, 11});
  CHECK(DekadEnd(2021, 11, Dekad::kMiddle) == CivilDate{2021, 11, 20});
  CHECK(DekadEnd(2024, 2, Dekad::kLate) == CivilDate{2024, 2, 29});
  CHECK(DekadEnd(2023, 2, Dekad::kLate) == CivilDate{2023, 2, 28});
  CHECK(EndOfMonth(2021, 10) == CivilDate{2021, 10, 31});
  CHECK(EndOfMonth(2000, 2) == CivilDate{2000, 2, 29});
  CHECK(EndOfMonth(2100, 2) == CivilDate{2100, 2, 28});
}

}  // namespace rectify
