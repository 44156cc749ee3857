#include "engine/problem_import.h"

#include <charconv>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "engine/deadlines.h"

namespace rectify {
namespace {

// What makes two rows one problem: its source, area and title (spaces at either end aside). Its
// unit, deadline and state may change, so they are not compared.
using ProblemKey = std::tuple<std::string, int, std::string>;
ProblemKey KeyOf(const std::string& source, int area, const std::string& title) {
  const std::size_t first = title.find_first_not_of(" \t");
  if (first == std::string::npos) return {source, area, std::string()};
  return {source, area, title.substr(first, title.find_last_not_of(" \t") - first + 1)};
}


enum class Column { kArea, kSource, kDescription, kUnit, kCooperating, kDeadline, kMeasures };

const std::map<std::string, Column>& ColumnSpellings() {
  static const std::map<std::string, Column> kNames = {
      {"area", Column::kArea},         {"领域", Column::kArea},          {"方面", Column::kArea},
      {"source", Column::kSource},     {"问题来源", Column::kSource},    {"description", Column::kDescription},
      {"问题描述", Column::kDescription}, {"问题", Column::kDescription}, {"unit", Column::kUnit},
      {"责任单位", Column::kUnit},     {"deadline", Column::kDeadline},  {"整改时限", Column::kDeadline},
      {"measures", Column::kMeasures}, {"整改措施", Column::kMeasures},
      {"cooperating_units", Column::kCooperating}, {"配合单位", Column::kCooperating},
  };
  return kNames;
}

std::optional<int> AreaOf(const Campaign& campaign, const std::string& text) {
  int number = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec == std::errc() && ptr == text.data() + text.size()) return number;
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

// A date cell of Excel reaches the import as its day number (44489 = 2021-10-20, counted from
// 1899-12-30): the end of that day, as a written date would be.
std::optional<Instant> ExcelDate(const std::string& text) {
  int days = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), days);
  if (ec != std::errc() || ptr != text.data() + text.size() || days < 36526 || days > 73050) return std::nullopt;  // 2000..2099
  return ShanghaiInstant(AddDays(CivilDate{1899, 12, 30}, days), kSecondsPerDay);
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
      problem.deadline = ExcelDate(deadline);
      if (!problem.deadline) problem.deadline = ParseDeadline(deadline);
      if (!problem.deadline) {
        out.errors.push_back({record.line, column_name(Column::kDeadline),
                              "\"" + deadline + "\" is not a date (YYYY-MM-DD) or time", "bad_date", {{"value", deadline}}});
        continue;
      }
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
