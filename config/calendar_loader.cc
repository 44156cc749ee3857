#include "config/calendar_loader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

#include "config/strict_json.h"

namespace rectify {
namespace {

constexpr std::string_view kPrefix = "cn-";
constexpr std::string_view kSuffix = ".json";

Status WithOrigin(const Status& status, const std::string& origin, const std::string& path) {
  return Status::InvalidArgument(path.empty() ? origin : origin + ": " + path, status.message());
}

Status ReadHoliday(const Json& value, const std::string& path, Holiday& holiday) {
  JsonObjectReader r(value, path);
  r.Required("name", holiday.name);
  r.Required("start", holiday.start, ReadJsonDate);
  r.Required("end", holiday.end, ReadJsonDate);
  return r.Finish();
}

Status ReadNotice(const Json& root, HolidayNotice& notice) {
  JsonObjectReader r(root, "");
  r.Required("year", notice.year);
  r.Required("notice", notice.notice);
  r.Required("holidays", notice.holidays, JsonArrayOf<Holiday>(ReadHoliday));
  r.Required("make_up_working_days", notice.make_up_working_days, JsonArrayOf<CivilDate>(ReadJsonDate));
  return r.Finish();
}

// "cn-2021.json" -> 2021; nullopt for any other name.
std::optional<int> YearOfFileName(const std::string& name) {
  constexpr std::size_t kDigits = 4;
  if (name.size() != kPrefix.size() + kDigits + kSuffix.size()) return std::nullopt;
  int year = 0;
  for (std::size_t i = kPrefix.size(); i < kPrefix.size() + kDigits; ++i) {
    if (name[i] < '0' || name[i] > '9') return std::nullopt;
    year = year * 10 + (name[i] - '0');
  }
  return year;
}

bool IsCalendarFileName(const std::string& name) {
  return name.size() >= kPrefix.size() + kSuffix.size() && name.compare(0, kPrefix.size(), kPrefix) == 0 &&
         name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open the calendar file: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::NotFound(path + ": cannot read the calendar file: " + std::strerror(errno));
  return text.str();
}

// WorkCalendar::Build names "notices[i].<path>", or "notices" for the set; point into the files.
Status InFiles(const Status& status, const std::vector<std::string>& origins, const std::string& dir) {
  const std::string& field = status.field();
  const std::string prefix = "notices[";
  if (field.rfind(prefix, 0) == 0) {
    const std::size_t close = field.find(']');
    const std::size_t index = std::stoul(field.substr(prefix.size(), close - prefix.size()));
    if (index < origins.size()) {
      return WithOrigin(status, origins[index], close + 1 < field.size() ? field.substr(close + 2) : "");
    }
  }
  return WithOrigin(status, dir, "");
}

// The notice as written, not yet validated.
Result<HolidayNotice> ReadHolidayNotice(std::string_view json_text, const std::string& origin) {
  Result<Json> document = ParseJsonStrictly(json_text);
  if (!document.ok()) return WithOrigin(document.status(), origin, document.status().field());
  HolidayNotice notice;
  const Status read = ReadNotice(*document, notice);
  if (!read.ok()) return WithOrigin(read, origin, read.field());
  return notice;
}

}  // namespace

Result<HolidayNotice> ParseHolidayNotice(std::string_view json_text, const std::string& origin) {
  Result<HolidayNotice> notice = ReadHolidayNotice(json_text, origin);
  if (!notice.ok()) return notice;
  const Status valid = ValidateHolidayNotice(*notice);
  if (!valid.ok()) return WithOrigin(valid, origin, valid.field());
  return notice;
}

Result<WorkCalendar> LoadCalendarDir(const std::string& dir) {
  std::error_code error;
  std::vector<std::string> names;
  for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (IsCalendarFileName(name)) names.push_back(name);
  }
  if (error) return Status::NotFound(dir + ": cannot list the calendar directory: " + error.message());
  if (names.empty()) return Status::NotFound(dir + ": no calendar files (cn-YYYY.json)");
  std::sort(names.begin(), names.end());

  std::vector<HolidayNotice> notices;
  std::vector<std::string> origins;
  for (const std::string& name : names) {
    const std::string path = dir + "/" + name;
    const std::optional<int> year = YearOfFileName(name);
    if (!year) return Status::InvalidArgument(path, "a calendar file is named cn-YYYY.json after its year");
    Result<std::string> text = ReadFile(path);
    if (!text.ok()) return text.status();
    // The name is checked before the dates, which are judged against the year.
    Result<HolidayNotice> notice = ReadHolidayNotice(*text, path);
    if (!notice.ok()) return notice.status();
    if (notice->year != *year) {
      return Status::InvalidArgument(path + ": year", "the file for " + std::to_string(*year) +
                                                          " holds the notice for " + std::to_string(notice->year));
    }
    const Status valid = ValidateHolidayNotice(*notice);
    if (!valid.ok()) return WithOrigin(valid, path, valid.field());
    notices.push_back(std::move(notice).value());
    origins.push_back(path);
  }
  Result<WorkCalendar> calendar = WorkCalendar::Build(notices);
  if (!calendar.ok()) return InFiles(calendar.status(), origins, dir);
  return calendar;
}

}  // namespace rectify
