#include "engine/survey_import.h"

#include <map>
#include <utility>
#include <vector>

#include "engine/personal_data.h"

namespace rectify {
namespace {

enum class Column { kVillage, kGroup, kHead, kType, kPriority, kPhone, kIdNumber, kNote };

const std::map<std::string, Column>& ColumnSpellings() {
  static const std::map<std::string, Column> kNames = {
      {"village", Column::kVillage},         {"村", Column::kVillage},         {"所在村", Column::kVillage},
      {"行政村", Column::kVillage},          {"group", Column::kGroup},        {"组", Column::kGroup},
      {"村民小组", Column::kGroup},          {"head_name", Column::kHead},     {"户主", Column::kHead},
      {"户主姓名", Column::kHead},           {"household_type", Column::kType}, {"户类型", Column::kType},
      {"农户类型", Column::kType},           {"人员类别", Column::kType},      {"priority", Column::kPriority},
      {"核查原因", Column::kPriority},       {"重点原因", Column::kPriority},  {"phone", Column::kPhone},
      {"电话", Column::kPhone},              {"联系电话", Column::kPhone},     {"id_number", Column::kIdNumber},
      {"身份证号", Column::kIdNumber},       {"身份证号码", Column::kIdNumber}, {"note", Column::kNote},
      {"备注", Column::kNote},
  };
  return kNames;
}

// The column a field of ValidateHousehold's errors was read from.
std::optional<Column> ColumnOfField(const std::string& field) {
  static const std::map<std::string, Column> kFields = {
      {"village", Column::kVillage},  {"head_name", Column::kHead}, {"household_type", Column::kType},
      {"priority", Column::kPriority}, {"phone", Column::kPhone},   {"id_number", Column::kIdNumber}};
  const auto it = kFields.find(field);
  if (it == kFields.end()) return std::nullopt;
  return it->second;
}

}  // namespace

SurveyImportPlan ParseSurveyCsv(std::string_view csv, const HouseholdSurvey& survey,
                                const std::string& default_village, Instant now) {
  SurveyImportPlan out;
  std::vector<std::pair<Column, const char*>> required;
  if (default_village.empty()) required.emplace_back(Column::kVillage, "village");
  for (const auto& column : {std::pair{Column::kHead, "head_name"}, std::pair{Column::kType, "household_type"},
                             std::pair{Column::kPriority, "priority"}})
    required.push_back(column);
  ImportError header_error;
  const auto sheet = ReadCsvSheet<Column>(csv, ColumnSpellings(), required, header_error, out.refused);
  if (!out.refused.ok()) return out;
  if (!sheet) {
    out.errors.push_back(header_error);
    return out;
  }
  for (const CsvRecord& record : sheet->rows) {
    if (auto width = sheet->CheckWidth(record)) {
      out.errors.push_back(*width);
      continue;
    }
    NewSurveyHousehold household;
    household.village = sheet->Has(Column::kVillage) ? sheet->Cell(record, Column::kVillage) : default_village;
    household.group = sheet->Cell(record, Column::kGroup);
    household.head_name = sheet->Cell(record, Column::kHead);
    household.household_type = sheet->Cell(record, Column::kType);
    household.priority = sheet->Cell(record, Column::kPriority);
    household.note = sheet->Cell(record, Column::kNote);
    household.personal.phone = sheet->Cell(record, Column::kPhone);
    household.personal.id_number = sheet->Cell(record, Column::kIdNumber);
    auto checked = survey.ValidateHousehold(std::move(household), now);
    if (!checked.ok()) {
      const std::optional<Column> column = ColumnOfField(checked.status().field());
      const bool named = column && sheet->Has(*column);
      std::string value = named ? sheet->Cell(record, *column) : "";
      // Personal data is never repeated in a message (README): the ID number and phone masked.
      if (column == Column::kIdNumber) value = MaskIdNumber(value);
      if (column == Column::kPhone) value = MaskPhone(value);
      // A reason (what is wrong with an ID number or phone) is the row's code, with its values.
      std::map<std::string, std::string> named_params = checked.status().params();
      named_params["value"] = value;  // as the sheet has it, masked if personal
      std::vector<std::pair<std::string, std::string>> params(named_params.begin(), named_params.end());
      const std::string code = checked.status().reason().empty() ? "invalid_value" : checked.status().reason();
      out.errors.push_back({record.line, named ? sheet->Name(*column) : checked.status().field(),
                            checked.status().message(), code, std::move(params)});
      continue;
    }
    out.households.push_back(std::move(checked.value()));
    out.lines.push_back(record.line);
  }
  return out;
}

}  // namespace rectify
