#include "engine/problem_import.h"

#include <charconv>
#include <map>
#include <optional>

#include "engine/deadlines.h"

namespace rectify {
namespace {

struct Record {
  int line = 0;
  std::vector<std::string> fields;
};

Status OverLimit(const std::string& what) {
  return Status::InvalidArgument("file", "the file is larger than an import may be: " + what);
}

// RFC 4180 records; a quoted field may hold commas, doubled quotes and line breaks.
// Returns nullopt with `error` set when a quote is never closed, or with `refused` set when
// the records go over kMaxImportRows or a record over kMaxImportFields.
std::optional<std::vector<Record>> SplitRecords(std::string_view text, ImportError& error, Status& refused) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // Excel writes a UTF-8 BOM
  std::vector<Record> records;
  Record record;
  std::string field;
  bool quoted = false;
  bool any = false;  // anything in the current record yet
  int line = 1;
  record.line = 1;
  auto end_field = [&] {
    if (record.fields.size() == kMaxImportFields) {
      refused = OverLimit("line " + std::to_string(record.line) + " has more than " +
                          std::to_string(kMaxImportFields) + " fields");
      return false;
    }
    record.fields.push_back(std::move(field));
    field.clear();
    return true;
  };
  auto end_record = [&] {
    if (!end_field()) return false;
    const bool blank = record.fields.size() == 1 && record.fields[0].empty();
    if (!blank && records.size() == kMaxImportRows) {
      refused = OverLimit("more than " + std::to_string(kMaxImportRows) + " rows");
      return false;
    }
    if (!blank) records.push_back(std::move(record));
    record = Record{};
    record.line = line;
    any = false;
    return true;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty()) {
      quoted = true;
      any = true;
    } else if (c == ',') {
      if (!end_field()) return std::nullopt;
      any = true;
    } else if (c == '\r') {
      continue;
    } else if (c == '\n') {
      ++line;
      if (!end_record()) return std::nullopt;
    } else {
      field += c;
      any = true;
    }
  }
  if (quoted) {
    error = {record.line, {}, "a quoted field is never closed"};
    return std::nullopt;
  }
  if ((any || !field.empty()) && !end_record()) return std::nullopt;
  return records;
}

std::string Trim(std::string s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t");
  return s.substr(first, last - first + 1);
}

enum class Column { kArea, kSource, kDescription, kUnit, kCooperating, kDeadline, kMeasures };

std::optional<Column> ColumnNamed(const std::string& name) {
  static const std::map<std::string, Column> kNames = {
      {"area", Column::kArea},         {"领域", Column::kArea},          {"方面", Column::kArea},
      {"source", Column::kSource},     {"问题来源", Column::kSource},    {"description", Column::kDescription},
      {"问题描述", Column::kDescription}, {"问题", Column::kDescription}, {"unit", Column::kUnit},
      {"责任单位", Column::kUnit},     {"deadline", Column::kDeadline},  {"整改时限", Column::kDeadline},
      {"measures", Column::kMeasures}, {"整改措施", Column::kMeasures},
      {"cooperating_units", Column::kCooperating}, {"配合单位", Column::kCooperating},
  };
  const auto it = kNames.find(name);
  if (it == kNames.end()) return std::nullopt;
  return it->second;
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
    std::string unit = Trim(current);
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

}  // namespace

ProblemImport ParseProblemCsv(std::string_view csv, const ItemService& service, Instant now) {
  ProblemImport out;
  if (csv.size() > kMaxImportBytes) {
    out.refused = OverLimit("more than " + std::to_string(kMaxImportBytes >> 20) + " MiB of text");
    return out;
  }
  ImportError split_error;
  auto records = SplitRecords(csv, split_error, out.refused);
  if (!out.refused.ok()) return out;
  if (!records) {
    out.errors.push_back(split_error);
    return out;
  }
  if (records->empty()) {
    out.errors.push_back({1, {}, "the file is empty: the first row must name the columns"});
    return out;
  }

  const Record& header = records->front();
  std::map<Column, std::size_t> index;
  std::vector<std::string> header_names;
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string name = Trim(header.fields[i]);
    header_names.push_back(name);
    const auto column = ColumnNamed(name);
    if (!column) {
      out.errors.push_back({header.line, name, "unknown column \"" + name + "\""});
      return out;
    }
    if (!index.emplace(*column, i).second) {
      out.errors.push_back({header.line, name, "column \"" + name + "\" appears twice"});
      return out;
    }
  }
  for (const auto& [column, name] : {std::pair{Column::kArea, "area"}, std::pair{Column::kSource, "source"},
                                     std::pair{Column::kDescription, "description"}})
    if (index.count(column) == 0) {
      out.errors.push_back({header.line, name, std::string("the required column \"") + name + "\" is missing"});
      return out;
    }

  const Campaign& campaign = service.campaign();
  for (std::size_t r = 1; r < records->size(); ++r) {
    const Record& record = (*records)[r];
    if (record.fields.size() != header.fields.size()) {
      out.errors.push_back({record.line, {},
                            "has " + std::to_string(record.fields.size()) + " fields, the header has " +
                                std::to_string(header.fields.size())});
      continue;
    }
    auto cell = [&](Column column) {
      const auto it = index.find(column);
      return it == index.end() ? std::string() : Trim(record.fields[it->second]);
    };
    auto column_name = [&](Column column) { return header_names[index.at(column)]; };

    NewProblem problem;
    const std::string area_text = cell(Column::kArea);
    const auto area = AreaOf(campaign, area_text);
    if (!area) {
      out.errors.push_back({record.line, column_name(Column::kArea), "\"" + area_text + "\" is not an area number or name"});
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
                              "\"" + deadline + "\" is not a date (YYYY-MM-DD) or time"});
        continue;
      }
    }
    auto checked = service.ValidateProblem(problem, now);
    if (!checked.ok()) {
      static const std::map<std::string, Column> kFieldColumn = {
          {"title", Column::kDescription}, {"area", Column::kArea}, {"source", Column::kSource}, {"unit", Column::kUnit},
          {"deadline", Column::kDeadline}};
      std::string field = checked.status().field();
      if (field.rfind("cooperating_units[", 0) == 0) field = "cooperating_units";
      if (field == "cooperating_units" && index.count(Column::kCooperating) == 1) {
        out.errors.push_back({record.line, column_name(Column::kCooperating), checked.status().message()});
        continue;
      }
      const auto it = kFieldColumn.find(field);
      const bool named = it != kFieldColumn.end() && index.count(it->second) == 1;
      out.errors.push_back({record.line, named ? column_name(it->second) : checked.status().field(),
                            checked.status().message()});
      continue;
    }
    out.problems.push_back(std::move(problem));
    out.lines.push_back(record.line);
  }
  return out;
}

}  // namespace rectify
