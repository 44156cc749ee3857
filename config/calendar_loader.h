// Loads the official working-day calendar from workflows/calendars/ (format:
// workflows/calendars/README.md): one file per year, cn-YYYY.json, each holding that year's
// State Council notice.
//
// Reading is strict, as for campaign files: malformed JSON, a repeated or unknown key, a missing
// field, a value of the wrong type or a bad date fail the load, and so does every
// ValidateHolidayNotice and WorkCalendar::Build error. Errors are kInvalidArgument with field
// "<file>: <path in the file>" (or just "<file>", or the directory for a gap in the years), so
// Status::ToString() reads, for example,
//   invalid_argument: workflows/calendars/cn-2021.json: make_up_working_days[3]: 2021-05-07 is
//   a Friday: a make-up working day (调休上班) is a Saturday or Sunday
// A directory or file that cannot be read, or a directory without any cn-*.json, is kNotFound.
#pragma once

#include <string>
#include <string_view>

#include "engine/calendar.h"
#include "engine/status.h"

namespace rectify {

// Reads every cn-*.json in `dir` in name order (other files are ignored). Each such file must be
// named cn-YYYY.json after the "year" it holds.
Result<WorkCalendar> LoadCalendarDir(const std::string& dir);

// One notice, read and checked with ValidateHolidayNotice; `origin` names the text in errors.
Result<HolidayNotice> ParseHolidayNotice(std::string_view json_text, const std::string& origin);

}  // namespace rectify
