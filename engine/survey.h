// The village household survey (入户核查, 附件2 入户核查表): the households each village must
// visit, and what the visiting team recorded. Plain data; the rules that change them live in
// engine/household_survey.h, the visit's lifecycle in engine/visit_workflow.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/attachments.h"
#include "engine/personal_data.h"
#include "engine/time.h"

namespace rectify {

// One member of a visiting team: a person and the capacity they came in (a choice id of the
// campaign's survey.team_roles: 联村干部, 驻村工作队员, 第一书记, 监测帮扶联系人, 村支两委干部, ...).
struct TeamMember {
  std::string name;
  std::string role;
};

// What the team found at the household, in the terms of 附件2. Money is whole yuan.
struct SurveyVisit {
  std::int64_t id = 0;  // assigned by the store, increasing; a visit recorded again is a new one
  CivilDate visited_on;
  std::vector<TeamMember> team;
  int members = 0;                            // 家庭人口
  std::optional<int> income_last_year;        // 上年家庭人均纯收入（元）
  std::optional<int> income_this_year;        // 今年预计家庭人均纯收入（元）
  int rigid_spending = 0;                     // 今年刚性支出（元）: illness, schooling, disaster, ...
  std::vector<std::string> spending_causes;   // risk type ids behind the rigid spending
  // 两不愁三保障 and drinking water: true when secured (有保障).
  bool education_secured = true;  // 义务教育
  bool medical_secured = true;    // 基本医疗
  bool housing_secured = true;    // 住房安全
  bool water_secured = true;      // 饮水安全
  std::string assistance;         // 已落实的帮扶措施
  std::string findings;           // 核查发现的问题
  // Personal data (engine/personal_data.h): shown masked to those who may not see it.
  std::string health_condition;   // 健康状况
  // The conclusion: no risk, or a risk of returning to (or falling into) poverty, with what an
  // enrollment request needs (engine/item.h's Household).
  bool risk_found = false;
  std::string risk_type;                 // a campaign risk type id
  std::optional<CivilDate> risk_found_on;  // when the risk appeared: the two months count from here
  std::string category;                  // a campaign household category id (监测对象类别)
  Instant recorded_at = 0;
  std::string recorded_by;               // the actor's name
};

// A household on a village's list (名单): imported from the national monitoring system's export
// or the village's own list, or added by the village when found on the way.
struct SurveyHousehold {
  std::int64_t id = 0;
  std::string campaign;        // the campaign whose survey lists it (engine/deployment.h)
  std::string village;         // unit id
  std::string group;           // 村民小组 ("3组"); may be empty
  std::string head_name;       // 户主姓名
  std::string household_type;  // a choice id of survey.household_types (一般脱贫户, 边缘易致贫户, ...)
  std::string priority;        // a choice id of survey.priorities: why it is visited first
  std::string note;            // free text from the list
  PersonalData personal;       // the ID number and contact phone; the bank and health fields stay empty
  bool found_on_the_way = false;  // added by the village, not on the imported list
  std::string state;           // where its visit stands (engine/visit_workflow.h)
  std::int64_t version = 0;    // +1 on every change; the optimistic-concurrency token
  std::optional<SurveyVisit> visit;           // the latest visit, once one is recorded
  std::optional<std::int64_t> enrollment_id;  // the enrollment request opened from its visit
  Instant added_at = 0;
  std::string added_by;
  Instant updated_at = 0;
};

// One line of a household's history: added, recorded, spot-checked, sent back, enrollment opened.
struct SurveyEvent {
  std::int64_t seq = 0;  // assigned by the store, increasing
  std::int64_t household_id = 0;
  std::string from;   // state before ("" when added)
  std::string to;     // state after
  std::string event;  // "add", "record", "spot_check", "send_back", "open_enrollment"
  std::string actor;
  Instant at = 0;
  std::string note;   // the reason of a send-back, the enrollment's id, ...
};

// A file kept with a household's visit: the photo of the signed paper sheet (附件2 签字页).
struct SurveyPhoto {
  std::int64_t id = 0;  // assigned by the store, increasing
  std::int64_t household_id = 0;
  std::int64_t visit_id = 0;  // the visit it documents
  StoredFile file;
  Instant uploaded_at = 0;
  std::string uploaded_by;
};

}  // namespace rectify
