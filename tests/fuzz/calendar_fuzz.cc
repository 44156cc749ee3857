// The holiday calendar loader (config/calendar_loader.h): one year's notice as the text of a
// cn-YYYY.json file, read and validated, then built into a WorkCalendar as LoadCalendarDir does.
// A calendar that builds must agree with its notice and keep WorkCalendar's own promises.
#include <vector>

#include "config/calendar_loader.h"
#include "tests/fuzz/fuzz_support.h"

using namespace rectify;

namespace {

bool InYear(const CivilDate& date, int year) { return date.year == year; }

// What the calendar must say about the notice's own year.
void RequireAgrees(const WorkCalendar& calendar, const HolidayNotice& notice) {
  fuzz::Require(calendar.Years() == std::vector<int>{notice.year}, "the calendar covers the notice's year");
  for (const CivilDate& day : notice.make_up_working_days) {
    if (!InYear(day, notice.year)) continue;
    const auto working = calendar.IsWorkingDay(day);
    fuzz::Require(working.ok() && *working, "a make-up day is a working day");
  }
  for (const Holiday& holiday : notice.holidays) {
    for (CivilDate day = holiday.start; day <= holiday.end; day = AddDays(day, 1)) {
      if (!InYear(day, notice.year)) continue;
      const auto working = calendar.IsWorkingDay(day);
      fuzz::Require(working.ok() && !*working, "a holiday is not a working day");
      const auto next = calendar.AddWorkingDays(day, 1);
      if (!next.ok()) continue;  // the year's last working day: the next is in an uncovered year
      fuzz::Require(day < *next && *calendar.IsWorkingDay(*next), "a working day after a holiday is a working day");
      const auto between = calendar.WorkingDaysBetween(day, *next);
      const auto back = calendar.WorkingDaysBetween(*next, day);
      fuzz::Require(between.ok() && back.ok() && *between == 1 && *back == -1, "the count is antisymmetric");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto notice = ParseHolidayNotice(fuzz::AsText(data, size), "cn-fuzz.json");
  fuzz::RequireRefusal(notice.status());
  if (!notice.ok()) return 0;
  const auto calendar = WorkCalendar::Build({*notice});
  fuzz::RequireRefusal(calendar.status());
  if (calendar.ok()) RequireAgrees(*calendar, *notice);
  return 0;
}
