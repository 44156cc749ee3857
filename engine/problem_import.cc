#include "engine/problem_import.h"

#include <charconv>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "engine/deadlines.h"
#include "engine/item_facts.h"
#include "engine/text.h"
#include "engine/time.h"

namespace rectify {
namespace {

// What makes two rows one problem: its source, area and title as it is kept (engine/text.h
// CleanTitle: spaces at either end and invisible characters aside). Its unit, deadline and
// state may change, so they are not compared.
using ProblemKey = std::tuple<std::string, int, std::string>;
ProblemKey KeyOf(const std::string& source, int area, const std::string& title) {
  return {source, area, CleanTitle(title)};
}

enum class Column { kArea, kSource, kDescription, kUnit, kCooperating, kDeadline, kMeasures, kFoundOn };

const std::map<std::string, Column>& ColumnSpellings() {
  static const std::map<std::string, Column> kNames = {
      {"area", Column::kArea},         {"领域", Column::kArea},          {"方面", Column::kArea},
      {"source", Column::kSource},     {"问题来源", Column::kSource},    {"description", Column::kDescription},
      {"问题描述", Column::kDescription}, {"问题", Column::kDescription}, {"unit", Column::kUnit},
      {"责任单位", Column::kUnit},     {"deadline", Column::kDeadline},  {"整改时限", Column::kDeadline},
      {"measures", Column::kMeasures}, {"整改措施", Column::kMeasures},
      {"cooperating_units", Column::kCooperating}, {"配合单位", Column::kCooperating},
      {"found_on", Column::kFoundOn},  {"发现日期", Column::kFoundOn},
  };
  return kNames;
}

std::optional<int> AreaOf(const Campaign& campaign, const std::string& text) {
  const std::string digits = HalfWidth(text);  // ２ as typed in an IME's full-width mode
  int number = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (ec == std::errc() && ptr == digits.data() + digits.size()) return number;
  for (const Area& area : campaign.areas)
    if (area.name == text) return area.number;
  return std::nullopt;
}

std::string SourceOf(const Campaign& campaign, const std::string& text) {
  for (const ProblemSource& source : campaign.sources)
    if (source.name == text) return source.id;
  return text;  // an id, or a bad value the service reports
}

std::string UnitOf(const Campaign& campaign, const std::string& text) {
  for (const Unit& unit : campaign.units)
    if (unit.name == text) return unit.id;
  return text;
}

// "a、b；c" or "a;b,c": the separators a ledger uses between unit names.
std::vector<std::string> SplitUnitList(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    std::string unit = TrimField(current);
    if (!unit.empty()) out.push_back(std::move(unit));
    current.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    bool separator = false;
    for (std::string_view sep : {std::string_view(","), std::string_view(";"), std::string_view("、"),
                                 std::string_view("，"), std::string_view("；")}) {
      if (text.compare(i, sep.size(), sep) == 0) {
        flush();
        i += sep.size();
        separator = true;
        break;
      }
    }
    if (!separator) current += text[i++];
  }
  flush();
  return out;
}

// Reads the digits at `at` (at least `fewest`, at most `most`), moving past them.
std::optional<int> DigitsAt(std::string_view text, std::size_t& at, std::size_t fewest, std::size_t most) {
  std::size_t end = at;
  while (end < text.size() && end - at < most && text[end] >= '0' && text[end] <= '9') ++end;
  if (end - at < fewest) return std::nullopt;
  int value = 0;
  std::from_chars(text.data() + at, text.data() + end, value);
  at = end;
  return value;
}

bool Skip(std::string_view text, std::size_t& at, std::string_view expected) {
  if (text.substr(at, expected.size()) != expected) return false;
  at += expected.size();
  return true;
}

// A deadline as a problem list gives it: an ISO date or instant (2021-10-30, 2021-10-30T17:30),
// or as people and Excel write dates in China: 2021/10/30 (a date cell of Excel on Chinese
// Windows saved as CSV), 2021.10.30, 2021-1-5, 2021年10月30日, in full-width digits too, each
// with an optional time after a space (2021/10/30 17:30; 2021年10月30日17:30 needs none). A date
// alone is the end of that day, and so are 24:00 and 0:00: Excel writes a date cell formatted
// with a time as 2021/10/30 0:00, which nobody means as the first second of the day, and the
// XLSX reader gives the same cell as 2021-10-30. The XLSX reader writes date cells as 2021-10-30
// or 2021-10-30 17:30; a bare number is not taken for a date.
std::optional<Instant> ListedDeadline(const std::string& cell) {
  if (auto exact = ParseDeadline(cell)) {
    // 2021-10-30 00:00 as a list writes it is the end of that day, as 0:00 is below; an ISO time
    // (2021-10-30T00:00) is the instant a program meant.
    const bool listed_time = cell.find('T') == std::string::npos && cell.find(' ') != std::string::npos;
    if (listed_time && ShanghaiInstant(ShanghaiDate(*exact), 0) == *exact) return *exact + kSecondsPerDay;
    return exact;
  }
  const std::string text = TrimSpace(HalfWidth(cell));
  std::size_t at = 0;
  const auto year = DigitsAt(text, at, 4, 4);
  if (!year) return std::nullopt;
  std::string_view separator;
  for (std::string_view candidate : {"-", "/", ".", "年"})
    if (Skip(text, at, candidate)) separator = candidate;
  if (separator.empty()) return std::nullopt;
  const auto month = DigitsAt(text, at, 1, 2);
  if (!month || !Skip(text, at, separator == "年" ? "月" : separator)) return std::nullopt;
  const auto day = DigitsAt(text, at, 1, 2);
  if (!day || (separator == "年" && !Skip(text, at, "日"))) return std::nullopt;
  char iso[48];
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", *year, *month, *day);
  const auto date = ParseDate(iso);  // a real date: not 2021-02-30
  if (!date) return std::nullopt;
  if (at == text.size()) return ShanghaiInstant(*date, kSecondsPerDay);
  if (!Skip(text, at, " ") && separator != "年") return std::nullopt;
  while (Skip(text, at, " ")) {
  }
  const auto hour = DigitsAt(text, at, 1, 2);
  if (!hour || *hour > 24 || !Skip(text, at, ":")) return std::nullopt;
  const auto minute = DigitsAt(text, at, 2, 2);
  if (!minute || *minute > 59) return std::nullopt;
  int second = 0;
  if (Skip(text, at, ":")) {
    const auto seconds = DigitsAt(text, at, 2, 2);
    if (!seconds || *seconds > 59) return std::nullopt;
    second = *seconds;
  }
  if (at != text.size()) return std::nullopt;
  const int time_of_day = *hour * 3600 + *minute * 60 + second;
  if (time_of_day == 0 || time_of_day == kSecondsPerDay) return ShanghaiInstant(*date, kSecondsPerDay);
  if (*hour == 24) return std::nullopt;  // 24:30
  return ShanghaiInstant(*date, time_of_day);
}

// The row error for a problem the service refused: the column at fault as the header names it,
// and a reason code with the value at fault (ImportError).
ImportError RowError(const CsvRecord& record, const Status& refused, const NewProblem& problem,
                     const CsvSheet<Column>& sheet) {
  struct Reason {
    Column column;
    const char* code;
  };
  static const std::map<std::string, Reason> kFieldReason = {
      {"title", {Column::kDescription, "missing_description"}}, {"area", {Column::kArea, "unknown_area"}},
      {"source", {Column::kSource, "unknown_source"}},         {"unit", {Column::kUnit, "unknown_unit"}},
      {"deadline", {Column::kDeadline, "bad_deadline"}}};
  ImportError error{record.line, refused.field(), refused.message(), "invalid_row", {}};
  const std::string& field = refused.field();
  if (field.rfind("cooperating_units[", 0) == 0) {
    const std::size_t index = std::stoul(field.substr(std::string("cooperating_units[").size()));
    const std::string unit = index < problem.cooperating_units.size() ? problem.cooperating_units[index] : "";
    if (sheet.Has(Column::kCooperating)) error.column = sheet.Name(Column::kCooperating);
    error.code = unit == problem.unit ? "cooperating_is_responsible" : "unknown_unit";
    error.params = {{"value", unit}};
    return error;
  }
  if (field == "found_on" || (field == "deadline" && refused.reason() == "deadline_needed")) {
    // Its date is wrong for a reason the service names (after today, past an ended campaign's
    // last day, or missing there, as a deadline an ended campaign needs): the row says which,
    // with the values.
    const Column column = field == "found_on" ? Column::kFoundOn : Column::kDeadline;
    if (sheet.Has(column)) error.column = sheet.Name(column);
    error.code = refused.reason().empty() ? "bad_found_on" : refused.reason();
    error.params.assign(refused.params().begin(), refused.params().end());
    return error;
  }
  const auto reason = kFieldReason.find(field);
  if (reason == kFieldReason.end()) return error;
  error.code = reason->second.code;
  if (!sheet.Has(reason->second.column)) return error;
  error.column = sheet.Name(reason->second.column);
  if (field != "title") error.params = {{"value", sheet.Cell(record, reason->second.column)}};
  return error;
}

}  // namespace

ProblemImport ParseProblemCsv(std::string_view csv, const ItemService& service, Instant now) {
  ProblemImport out;
  ImportError header_error;
  const auto sheet = ReadCsvSheet<Column>(
      csv, ColumnSpellings(),
      {{Column::kArea, "area"}, {Column::kSource, "source"}, {Column::kDescription, "description"}}, header_error,
      out.refused);
  if (!out.refused.ok()) return out;
  if (!sheet) {
    out.errors.push_back(header_error);
    return out;
  }

  const Campaign& campaign = service.campaign();
  std::map<ProblemKey, int> first_lines;  // the line each problem of the file was first listed on
  for (const CsvRecord& record : sheet->rows) {
    if (auto width = sheet->CheckWidth(record)) {
      out.errors.push_back(*width);
      continue;
    }
    auto cell = [&](Column column) { return sheet->Cell(record, column); };
    auto column_name = [&](Column column) { return sheet->Name(column); };

    NewProblem problem;
    const std::string area_text = cell(Column::kArea);
    const auto area = AreaOf(campaign, area_text);
    if (!area) {
      out.errors.push_back({record.line, column_name(Column::kArea), "\"" + area_text + "\" is not an area number or name",
                            "unknown_area", {{"value", area_text}}});
      continue;
    }
    problem.area = *area;
    problem.source = SourceOf(campaign, cell(Column::kSource));
    problem.title = cell(Column::kDescription);
    problem.unit = UnitOf(campaign, cell(Column::kUnit));
    for (const std::string& unit : SplitUnitList(cell(Column::kCooperating)))
      problem.cooperating_units.push_back(UnitOf(campaign, unit));
    problem.measures = cell(Column::kMeasures);
    const std::string deadline = cell(Column::kDeadline);
    if (!deadline.empty()) {
      problem.deadline = ListedDeadline(deadline);
      if (!problem.deadline) {
        out.errors.push_back({record.line, column_name(Column::kDeadline),
                              "\"" + deadline + "\" is not a date: write 2021-10-30, 2021/10/30 or 2021年10月30日, "
                              "with a time after a space if it has one (2021-10-30 17:30)",
                              "bad_date", {{"value", deadline}}});
        continue;
      }
    }
    const std::string found_on = cell(Column::kFoundOn);
    if (!found_on.empty()) {
      // The date a list gives, as a deadline is read (2021/10/28, 2021年10月28日); a time after it is dropped.
      const auto listed = ListedDeadline(found_on);
      if (!listed) {
        out.errors.push_back({record.line, column_name(Column::kFoundOn),
                              "\"" + found_on + "\" is not a date: write 2021-10-28, 2021/10/28 or 2021年10月28日",
                              "bad_date", {{"value", found_on}}});
        continue;
      }
      problem.found_on = DeadlineDay(*listed);
    }
    auto checked = service.ValidateProblem(problem, now);
    if (!checked.ok()) {
      out.errors.push_back(RowError(record, checked.status(), problem, *sheet));
      continue;
    }
    const auto [first, fresh] = first_lines.emplace(KeyOf(problem.source, problem.area, problem.title), record.line);
    if (!fresh) {
      out.errors.push_back({record.line, column_name(Column::kDescription),
                            "the same problem as line " + std::to_string(first->second) +
                                " (source, area and description): a problem is listed once",
                            "duplicate_problem", {{"first_line", std::to_string(first->second)}}});
      continue;
    }
    out.problems.push_back(std::move(problem));
    out.lines.push_back(record.line);
  }
  return out;
}

Status FindExisting(ProblemImport& import, ItemService& service, const Actor& actor) {
  std::set<std::string> sources;
  for (const NewProblem& problem : import.problems) sources.insert(problem.source);
  std::map<ProblemKey, std::int64_t> stored;
  for (const std::string& source : sources) {
    ItemQuery query;
    query.source = source;
    query.limit = 500;
    RECTIFY_RETURN_IF_ERROR(service.ForEachVisible(query, actor, [&](const Item& item) {
      stored.emplace(KeyOf(item.source, item.area, item.title), item.id);
      return Status::Ok();
    }));
  }
  import.existing.clear();
  for (const NewProblem& problem : import.problems) {
    const auto found = stored.find(KeyOf(problem.source, problem.area, problem.title));
    import.existing.push_back(found == stored.end() ? 0 : found->second);
  }
  return Status::Ok();
}

std::vector<NewProblem> RowsToStore(const ProblemImport& import) {
  std::vector<NewProblem> rows;
  for (std::size_t i = 0; i < import.problems.size(); ++i)
    if (i >= import.existing.size() || import.existing[i] == 0) rows.push_back(import.problems[i]);
  return rows;
}

}  // namespace rectify
