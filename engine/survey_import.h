// The households a village must visit, from a list kept as CSV (or an XLSX sheet converted by
// exports/xlsx_reader.h): the national monitoring system's export or the village's own list.
// The first row names the columns, in English or as such lists print them:
//   village        | 村 / 所在村 / 行政村       unit id or name    required, unless the importer is a village's
//   group          | 组 / 村民小组              free text          optional
//   head_name      | 户主 / 户主姓名            free text          required
//   household_type | 户类型 / 农户类型 / 人员类别  id or name      required (survey.household_types)
//   priority       | 核查原因 / 重点原因        id or name         required (survey.priorities)
//   phone          | 电话 / 联系电话            phone number       optional (personal data)
//   id_number      | 身份证号 / 身份证号码      ID number          optional (personal data)
//   note           | 备注                       free text          optional
// Every row is checked (HouseholdSurvey::ValidateHousehold); nothing is stored here.
#pragma once

#include <string>
#include <string_view>

#include "engine/household_survey.h"

namespace rectify {

// `default_village`: the village a row without a village column belongs to (the importer's own),
// or "" when the column is required.
SurveyImportPlan ParseSurveyCsv(std::string_view csv, const HouseholdSurvey& survey,
                                const std::string& default_village, Instant now);

}  // namespace rectify
