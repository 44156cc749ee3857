#include "config/calendar_loader.h"

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/temp_dir.h"

namespace rectify {
namespace {

using testing::TempDir;

const std::string kCalendars = std::string(RECTIFY_SOURCE_DIR) + "/workflows/calendars";

// Working days per year, counted by hand in tests/engine/calendar_test.cc from the notices.
const std::vector<std::pair<int, int>> kWorkingDaysPerYear = {{2021, 250}, {2022, 249}, {2023, 249},
                                                              {2024, 251}, {2025, 248}, {2026, 248}};

CivilDate D(const char* text) {
  const std::optional<CivilDate> date = ParseDate(text);
  REQUIRE(date.has_value());
  return *date;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  REQUIRE(out.good());
}

// The real file for `year` with its only occurrence of `from` replaced by `to`.
std::string RealFileWith(int year, const std::string& from, const std::string& to) {
  std::string text = ReadText(kCalendars + "/cn-" + std::to_string(year) + ".json");
  if (from.empty()) return text;
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(from, at + 1) == std::string::npos);
  return text.replace(at, from.size(), to);
}

WorkCalendar LoadReal() {
  Result<WorkCalendar> loaded = LoadCalendarDir(kCalendars);
  INFO(loaded.status().ToString());
  REQUIRE(loaded.ok());
  return std::move(loaded).value();
}

// One file written into the test directory: `name`, holding the real file of `year` edited.
struct FileToWrite {
  std::string name;
  int year;
  std::string from;
  std::string to;
};

struct BadDir {
  const char* what;
  std::vector<FileToWrite> files;
  std::string field;  // "<file name>: <path>", "<file name>", or "" for the directory
  std::string message_part;
};

}  // namespace

TEST_CASE("The calendars in workflows load and cover 2021 to 2026") {
  CHECK(LoadReal().Years() == std::vector<int>{2021, 2022, 2023, 2024, 2025, 2026});
}

TEST_CASE("The calendar files give each year the working days counted from the notices") {
  const WorkCalendar calendar = LoadReal();
  for (const auto& [year, working_days] : kWorkingDaysPerYear) {
    INFO(year);
    const Result<int> count = calendar.WorkingDaysBetween({year - 1, 12, 31}, {year, 12, 31});
    INFO(count.status().ToString());
    REQUIRE(count.ok());
    CHECK(*count == working_days);
  }
}

TEST_CASE("The calendar files hold National Day 2021 and the 2023 元旦 that starts in 2022") {
  const WorkCalendar calendar = LoadReal();
  CHECK(*calendar.IsWorkingDay(D("2021-09-26")) == true);
  CHECK(*calendar.IsWorkingDay(D("2021-10-01")) == false);
  CHECK(*calendar.IsWorkingDay(D("2021-10-09")) == true);
  CHECK(*calendar.IsWorkingDay(D("2022-12-31")) == false);
  CHECK(FormatDate(*calendar.AddWorkingDays(D("2021-09-30"), 1)) == "2021-10-08");
  CHECK(FormatDate(*calendar.AddWorkingDays(D("2022-12-30"), 1)) == "2023-01-03");
  CHECK_FALSE(calendar.AddWorkingDays(D("2026-12-31"), 1).ok());
}

TEST_CASE("Each calendar file names the State Council notice it comes from") {
  for (int year = 2021; year <= 2026; ++year) {
    const std::string path = kCalendars + "/cn-" + std::to_string(year) + ".json";
    const Result<HolidayNotice> notice = ParseHolidayNotice(ReadText(path), path);
    INFO(notice.status().ToString());
    REQUIRE(notice.ok());
    CHECK(notice->year == year);
    CHECK_THAT(notice->notice,
               Catch::StartsWith("国务院办公厅关于" + std::to_string(year) + "年部分节假日安排的通知（国办发明电〔" +
                                 std::to_string(year - 1) + "〕"));
  }
}

TEST_CASE("Other files in the calendar directory are ignored") {
  TempDir dir;
  WriteText(dir.File("cn-2021.json"), RealFileWith(2021, "", ""));
  WriteText(dir.File("README.md"), "# notes\n");
  WriteText(dir.File("us-2021.json"), "not json");
  const Result<WorkCalendar> loaded = LoadCalendarDir(dir.path());
  INFO(loaded.status().ToString());
  REQUIRE(loaded.ok());
  CHECK(loaded->Years() == std::vector<int>{2021});
}

TEST_CASE("A missing calendar directory is not found and names its path") {
  const Result<WorkCalendar> loaded = LoadCalendarDir("/nonexistent/calendars");
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.status().code() == StatusCode::kNotFound);
  CHECK_THAT(loaded.status().message(), Catch::StartsWith("/nonexistent/calendars: "));
}

TEST_CASE("A calendar directory without calendar files is not found") {
  TempDir dir;
  WriteText(dir.File("README.md"), "# notes\n");
  const Result<WorkCalendar> loaded = LoadCalendarDir(dir.path());
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.status().code() == StatusCode::kNotFound);
  CHECK_THAT(loaded.status().message(), Catch::Contains("no calendar files (cn-YYYY.json)"));
}

TEST_CASE("A single notice parses with its origin in errors") {
  const Result<HolidayNotice> notice = ParseHolidayNotice(RealFileWith(2021, "", ""), "cn-2021.json");
  REQUIRE(notice.ok());
  CHECK(notice->holidays.size() == 7);
  CHECK(notice->holidays[6].name == "国庆节");
  CHECK(notice->make_up_working_days.size() == 7);
  const Result<HolidayNotice> bad = ParseHolidayNotice("[]", "cn-2021.json");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().ToString() == "invalid_argument: cn-2021.json: expected an object, found array []");
}

TEST_CASE("Each bad calendar file is rejected with an error naming the file and the field") {
  const std::string notice_2021 =
      "  \"notice\": \"国务院办公厅关于2021年部分节假日安排的通知（国办发明电〔2020〕27号，2020年11月25日）\",\n";
  const std::vector<BadDir> cases = {
      {"malformed JSON (trailing comma)", {{"cn-2021.json", 2021, R"("2021-10-09"])", R"("2021-10-09",])"}},
       "cn-2021.json", "invalid JSON"},
      {"unknown key", {{"cn-2021.json", 2021, R"("year": 2021,)", R"("year": 2021, "yaer": 2021,)"}},
       "cn-2021.json: yaer", "unknown key \"yaer\"; expected one of: year, notice, holidays, make_up_working_days"},
      {"unknown key in a holiday", {{"cn-2021.json", 2021, R"({"name": "国庆节",)", R"({"name": "国庆节", "days": 7,)"}},
       "cn-2021.json: holidays[6].days", "unknown key \"days\"; expected one of: name, start, end"},
      {"repeated key", {{"cn-2021.json", 2021, R"("year": 2021,)", R"("year": 2021, "year": 2022,)"}},
       "cn-2021.json: year", "duplicate key \"year\""},
      {"wrong type: string for the year", {{"cn-2021.json", 2021, R"("year": 2021,)", R"("year": "2021",)"}},
       "cn-2021.json: year", "expected an integer, found string \"2021\""},
      {"wrong type: number for a name", {{"cn-2021.json", 2021, R"("name": "国庆节")", R"("name": 10)"}},
       "cn-2021.json: holidays[6].name", "expected a string, found number 10"},
      {"missing field", {{"cn-2021.json", 2021, notice_2021, ""}}, "cn-2021.json: notice", "missing required field"},
      {"bad date", {{"cn-2021.json", 2021, R"("2021-10-07")", R"("2021-10-32")"}}, "cn-2021.json: holidays[6].end",
       "\"2021-10-32\" is not a date: expected \"YYYY-MM-DD\""},
      {"date in another format", {{"cn-2021.json", 2021, R"("2021-10-09")", R"("2021/10/09")"}},
       "cn-2021.json: make_up_working_days[6]", "\"2021/10/09\" is not a date"},
      {"holiday ending before it starts", {{"cn-2021.json", 2021, R"("2021-10-07")", R"("2021-09-07")"}},
       "cn-2021.json: holidays[6].end", "ends 2021-09-07 before it starts 2021-10-01"},
      {"make-up day that is a holiday", {{"cn-2021.json", 2021, R"("2021-10-09")", R"("2021-10-02")"}},
       "cn-2021.json: make_up_working_days[6]", "2021-10-02 is a holiday: 国庆节 2021-10-01..2021-10-07"},
      {"make-up day on a weekday", {{"cn-2021.json", 2021, R"("2021-10-09")", R"("2021-10-08")"}},
       "cn-2021.json: make_up_working_days[6]", "2021-10-08 is a Friday"},
      {"year not matching the file name", {{"cn-2022.json", 2021, "", ""}}, "cn-2022.json: year",
       "the file for 2022 holds the notice for 2021"},
      // Names are cn-YYYY.json, so two files cannot claim one year; a copy under another name is
      // the way a year gets in twice, and it is refused by name. (WorkCalendar::Build's own
      // duplicate-year check is tested in engine_calendar_test.)
      {"the same year twice: a copy under another name",
       {{"cn-2021.json", 2021, "", ""}, {"cn-2021-copy.json", 2021, "", ""}}, "cn-2021-copy.json",
       "a calendar file is named cn-YYYY.json after its year"},
      {"a gap in the years", {{"cn-2021.json", 2021, "", ""}, {"cn-2023.json", 2023, "", ""}}, "",
       "no notice for 2022: the years must be consecutive"},
      {"make-up day that is a holiday in the next year's file",
       {{"cn-2022.json", 2022, R"("2022-10-09"])", R"("2022-10-09", "2022-12-31"])"}, {"cn-2023.json", 2023, "", ""}},
       "cn-2022.json: make_up_working_days[7]",
       "2022-12-31 is a holiday: 元旦 2022-12-31..2023-01-02 in the notice for 2023"},
  };
  for (const BadDir& bad : cases) {
    INFO(bad.what);
    TempDir dir;
    for (const FileToWrite& file : bad.files) {
      WriteText(dir.File(file.name), RealFileWith(file.year, file.from, file.to));
    }
    const Result<WorkCalendar> loaded = LoadCalendarDir(dir.path());
    REQUIRE_FALSE(loaded.ok());
    const Status& status = loaded.status();
    INFO(status.ToString());
    const std::string field = bad.field.empty() ? dir.path() : dir.File(bad.field);
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.field() == field);
    CHECK_THAT(status.message(), Catch::Contains(bad.message_part));
    CHECK_THAT(status.ToString(), Catch::StartsWith("invalid_argument: " + field + ": "));
  }
}

}  // namespace rectify
