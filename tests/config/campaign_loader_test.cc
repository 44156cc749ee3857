#include "config/campaign_loader.h"
#include "config/deployment_loader.h"

#include <set>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/workflow.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

const std::string kGaoqiao = std::string(RECTIFY_SOURCE_DIR) + "/workflows/gaoqiao-2021-autumn.json";
const std::string kOrigin = "workflows/bad.json";

// Every department of the plan, in file order.
const std::vector<std::string> kDepartments = {
    "rural_office", "central_school", "health_centre", "natural_resources_office", "agri_service_centre",
    "social_affairs_service_centre", "social_affairs_office", "party_building_office", "finance_office",
    "public_security_office", "discipline_commission"};
const std::vector<std::string> kVillages = {"village_1", "village_2", "village_3",
                                            "village_4", "village_5", "village_6"};

std::vector<std::string> Concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

Campaign LoadGaoqiao() {
  Result<Campaign> loaded = LoadCampaignFile(kGaoqiao);
  INFO(loaded.status().ToString());
  REQUIRE(loaded.ok());
  return std::move(loaded).value();
}

std::string DeadlineInstant(const Campaign& campaign, const std::string& id) {
  const DeadlineRule* rule = campaign.FindDeadline(id);
  REQUIRE(rule != nullptr);
  REQUIRE(rule->kind == DeadlineKind::kFixed);
  return FormatInstant(ShanghaiInstant(rule->date, rule->seconds_of_day));
}

// A small valid file; each bad case below changes one piece of it. Line 11 is village_a's.
const std::string kSmall = R"({
  "calendar": ")" RECTIFY_SOURCE_DIR R"(/workflows/calendars",
  "id": "test",
  "name": "测试行动",
  "issuer": "某镇人民政府",
  "source_document": "方案",
  "close_of_business": "17:00",
  "units": [
    {"id": "office", "name": "办公室", "kind": "department"},
    {"id": "bank", "name": "银行", "kind": "bank"},
    {"id": "village_a", "name": "甲村", "kind": "village", "sample": true}
  ],
  "groups": [
    {"id": "all_villages", "name": "各村", "members_of_kind": "village"},
    {"id": "office_and_bank", "name": "办和行", "members": ["office", "bank"]}
  ],
  "areas": [
    {"number": 1, "name": "责任压实", "responsible": ["office", "all_villages"]},
    {"number": 2, "name": "风险防控", "responsible": ["office_and_bank"]}
  ],
  "phases": [{"id": "mobilise", "name": "动员部署", "start": "2021-09-21", "end": "2021-10-10"}],
  "deadlines": [
    {"id": "ledger_due", "name": "台账", "applies_to": "ledger", "kind": "fixed",
     "date": "2021-10-26", "at": "close_of_business"},
    {"id": "enrolled", "name": "两个月", "applies_to": "enrollment", "kind": "months_after",
     "from": "risk_found", "months": 2, "item_default": true},
    {"id": "survey_done", "name": "入户核查", "applies_to": "survey", "kind": "phase_end", "phase": "mobilise"}
  ],
  "sources": [{"id": "sweep", "name": "排查", "expected_count": 3}],
  "household_categories": [{"id": "marginal", "name": "边缘易致贫户"}],
  "risk_types": [{"id": "illness", "name": "因病"}],
  "clue_sources": [{"id": "self_report", "name": "农户自主申报"}],
  "ledgers": {"deadline": "ledger_due", "owed_by": ["all_villages"]},
  "survey": {"deadline": "survey_done", "minimum_team": 2, "team_roles": [{"id": "cadre", "name": "联村干部"}],
             "household_types": [{"id": "lifted", "name": "一般脱贫户"}],
             "priorities": [{"id": "income_drop", "name": "收入大幅缩减"}], "clue_source": "self_report",
             "labels": {"to_visit": "待走访", "record": "登记走访"}},
  "scores": {"base": 30, "on_time_points": 40, "enrollment_points": 30, "per_send_back": 2,
             "per_overdue_working_day": 0.5, "minimum": 0, "maximum": 100},
  "permissions": {
    "actions": {"view": ["office", "unit_member:related"], "create_problem": ["office"],
                "create_enrollment": ["office"], "view_personal_data": ["office"], "view_outbox": ["office"],
                "manage_silences": ["office"], "manage_users": ["office"], "add_evidence": ["office"],
                "export_bulletin": ["office"], "submit_ledger": ["unit_member"], "confirm_ledger": ["office"],
                "view_scores": ["office"], "plan_survey": ["office"], "record_visit": ["unit_member:village"],
                "spot_check_visit": ["inspector"], "export_audit": ["office"]},
    "problem": {"assign": ["office"], "reassign": ["office"], "start": ["unit_member:lead"], "progress": ["unit_member:related"], "verify": ["inspector"], "send_back": ["inspector"], "close": ["office"], "reopen": ["office"], "supervise": ["supervisor"], "submit": ["unit_member:lead"], "sign_for": ["unit_member:lead"], "request_extension": ["unit_member:lead"], "approve_extension": ["office"], "refuse_extension": ["office"]},
    "enrollment": {"assign": ["office"], "reassign": ["office"], "start": ["unit_member:lead"], "progress": ["unit_member:related"], "verify": ["inspector"], "send_back": ["inspector"], "close": ["office"], "reopen": ["office"], "supervise": ["supervisor"], "complete_step": ["unit_member:lead"],
                   "complete_step@town_review": ["office"], "close_ineligible": ["office"], "sign_for": ["unit_member:lead"], "request_extension": ["unit_member:lead"], "approve_extension": ["office"], "refuse_extension": ["office"], "follow_up": ["office"]}
  },
  "labels": {
    "problem": {"states": {"found": "发现"}, "events": {"assign": "交办"}},
    "enrollment": {"states": {"found": "风险线索"}, "events": {"assign": "交村办理"}}
  }
})";

// kSmall with its only occurrence of `from` replaced by `to`.
std::string SmallWith(const std::string& from, const std::string& to) {
  std::string text = kSmall;
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(from, at + 1) == std::string::npos);
  return text.replace(at, from.size(), to);
}

struct BadFile {
  const char* what;
  std::string from;
  std::string to;
  std::string path;          // inside the file; empty for the file itself
  std::string message_part;  // what is wrong, usually with the bad value
};

}  // namespace

TEST_CASE("A deployment names every file it was read from: county, campaigns of a folder, town files, calendars") {
  const std::string workflows = std::string(RECTIFY_SOURCE_DIR) + "/workflows";
  std::vector<std::string> files_read;
  auto deployment =
      LoadDeployment({workflows + "/demo/shiyan-2021-sample.json", kGaoqiao}, workflows + "/demo/county.json", &files_read);
  REQUIRE(deployment.ok());
  const std::vector<std::string> expected = {workflows + "/demo/county.json",
                                             workflows + "/demo/shiyan-2021-sample.json",
                                             workflows + "/demo/towns/shiyan.json",
                                             workflows + "/demo/../calendars",
                                             kGaoqiao,
                                             workflows + "/towns/gaoqiao.json",
                                             workflows + "/calendars"};
  CHECK(files_read == expected);
}

TEST_CASE("Two campaigns of one town by one name are refused naming both, and by their own names they load") {
  testing::TempDir dir;
  std::ifstream in(kGaoqiao);
  std::stringstream read;
  read << in.rdbuf();
  const std::string workflows = std::string(RECTIFY_SOURCE_DIR) + "/workflows";
  auto next_season = [&](const std::string& name) {
    std::string text = std::regex_replace(read.str(), std::regex("\"2021-"), "\"2022-");
    text = std::regex_replace(text, std::regex("\"gaoqiao-2021-autumn\""), "\"gaoqiao-2022-autumn\"");
    text = std::regex_replace(text, std::regex("\"name\": \"高桥镇巩固脱贫攻坚成果秋季攻势行动\""), "\"name\": \"" + name + "\"");
    text = std::regex_replace(text, std::regex("\"calendars\""), "\"" + workflows + "/calendars\"");
    text = std::regex_replace(text, std::regex("\"towns/gaoqiao.json\""), "\"" + workflows + "/towns/gaoqiao.json\"");
    const std::string file = dir.File("next-" + std::to_string(text.size()) + ".json");
    std::ofstream(file) << text;
    return file;
  };
  auto same = LoadDeployment({kGaoqiao, next_season("高桥镇巩固脱贫攻坚成果秋季攻势行动")}, "");
  REQUIRE_FALSE(same.ok());
  CHECK(same.status().message() ==
        "campaigns \"gaoqiao-2021-autumn\" and \"gaoqiao-2022-autumn\" of town \"gaoqiao\" have one name "
        "\"高桥镇巩固脱贫攻坚成果秋季攻势行动\": give each its own (its year, say)");
  CHECK(LoadDeployment({kGaoqiao, next_season("2022年高桥镇巩固脱贫攻坚成果秋季攻势行动")}, "").ok());
}

TEST_CASE("A unit merged or formed between campaigns is in the campaigns its from and until overlap, and no other") {
  testing::TempDir dir;
  const std::string workflows = std::string(RECTIFY_SOURCE_DIR) + "/workflows";
  std::ifstream town_in(workflows + "/towns/gaoqiao.json");
  std::stringstream town_text;
  town_text << town_in.rdbuf();
  // 示例村三 merged into 示例村一 at the end of 2021; 新合社区 formed from 2022.
  auto write_town = [&](const std::string& village_3_period) {
    std::string town = std::regex_replace(
        town_text.str(), std::regex("\"id\": \"village_3\", \"name\": \"示例村三\", \"kind\": \"village\", \"sample\": true\\}"),
        "\"id\": \"village_3\", \"name\": \"示例村三\", \"kind\": \"village\", \"sample\": true" + village_3_period + "},\n"
        "    {\"id\": \"village_7\", \"name\": \"新合社区\", \"kind\": \"village\", \"from\": \"2022-01-01\"}");
    const std::string file = dir.File("gaoqiao-towns-" + std::to_string(town.size()) + ".json");
    std::ofstream(file) << town;
    return file;
  };
  std::ifstream in(kGaoqiao);
  std::stringstream read;
  read << in.rdbuf();
  auto season = [&](const std::string& year, const std::string& town_file) {
    std::string text = std::regex_replace(read.str(), std::regex("\"2021-"), "\"" + year + "-");
    text = std::regex_replace(text, std::regex("\"gaoqiao-2021-autumn\""), "\"gaoqiao-" + year + "-autumn\"");
    text = std::regex_replace(text, std::regex("\"name\": \"高桥镇巩固脱贫攻坚成果秋季攻势行动\""),
                              "\"name\": \"" + year + "年高桥镇巩固脱贫攻坚成果秋季攻势行动\"");
    text = std::regex_replace(text, std::regex("\"calendars\""), "\"" + workflows + "/calendars\"");
    text = std::regex_replace(text, std::regex("\"towns/gaoqiao.json\""), "\"" + town_file + "\"");
    const std::string file = dir.File("gaoqiao-" + year + "-" + std::to_string(town_file.size()) + ".json");
    std::ofstream(file) << text;
    return file;
  };
  const std::string town = write_town(", \"until\": \"2021-12-31\"");
  Result<Campaign> last_year = LoadCampaignFile(season("2021", town));
  Result<Campaign> this_year = LoadCampaignFile(season("2022", town));
  INFO(last_year.status().ToString() << " / " << this_year.status().ToString());
  REQUIRE(last_year.ok());
  REQUIRE(this_year.ok());
  CHECK(last_year->FindUnit("village_3") != nullptr);
  CHECK(last_year->FindUnit("village_7") == nullptr);
  CHECK(this_year->FindUnit("village_3") == nullptr);
  CHECK(this_year->FindUnit("village_7")->name == "新合社区");
  // 各村 takes the villages of each campaign.
  CHECK(last_year->FindGroup("all_villages")->members ==
        std::vector<std::string>{"village_1", "village_2", "village_3", "village_4", "village_5", "village_6"});
  CHECK(this_year->FindGroup("all_villages")->members ==
        std::vector<std::string>{"village_1", "village_2", "village_7", "village_4", "village_5", "village_6"});
  // One deployment serves both, and a user of 示例村三 still has a unit (last year's).
  CHECK(LoadDeployment({season("2021", town), season("2022", town)}, "").ok());

  Result<Campaign> reversed = LoadCampaignFile(season("2021", write_town(", \"from\": \"2021-06-01\", \"until\": \"2021-01-31\"")));
  REQUIRE_FALSE(reversed.ok());
  // Named where it was written: in the town file, not the campaign's.
  CHECK(reversed.status().field().find("gaoqiao-towns-") != std::string::npos);
  CHECK(reversed.status().field().find(": units[14].until") != std::string::npos);
  CHECK(reversed.status().message().find("ends 2021-01-31, before it begins 2021-06-01") != std::string::npos);
  CHECK_FALSE(LoadCampaignFile(season("2021", write_town(", \"until\": \"2021-13-01\""))).ok());
}

TEST_CASE("A town named otherwise in the county file than in its town file is refused naming both") {
  testing::TempDir dir;
  const std::string workflows = std::string(RECTIFY_SOURCE_DIR) + "/workflows";
  std::ifstream in(workflows + "/demo/county.json");
  std::stringstream read;
  read << in.rdbuf();
  const std::string county = dir.File("county.json");
  std::ofstream(county) << std::regex_replace(read.str(), std::regex("\"高桥镇\""), "\"高桥街道\"");
  auto renamed = LoadDeployment({kGaoqiao}, county);
  REQUIRE_FALSE(renamed.ok());
  CHECK(renamed.status().message() ==
        "town \"gaoqiao\" is named \"高桥街道\" in the county file and \"高桥镇\" in its town file (campaign "
        "\"gaoqiao-2021-autumn\"): name it alike in both");
  CHECK(LoadDeployment({kGaoqiao}, workflows + "/demo/county.json").ok());
}

TEST_CASE("A town listed twice in the county file is refused naming both entries") {
  testing::TempDir dir;
  const std::string county = dir.File("county.json");
  std::ofstream(county) << R"({"id":"taojiang","name":"桃江县","towns":[{"id":"gaoqiao","name":"高桥镇"},)"
                           R"({"id":"shiyan","name":"示范镇"},{"id":"gaoqiao","name":"高桥镇"}]})";
  auto twice = LoadDeployment({kGaoqiao}, county);
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.status().field() == county + ": towns[2].id");
  CHECK(twice.status().message() ==
        "town \"gaoqiao\" (高桥镇) has the id of towns[0] (gaoqiao): a town is listed once");
  std::ofstream(county) << R"({"id":"taojiang","name":"桃江县","towns":[{"id":"gaoqiao","name":"高桥镇"},)"
                           R"({"id":"gaoqiao2","name":"高桥镇"}]})";
  auto same_name = LoadDeployment({kGaoqiao}, county);
  REQUIRE_FALSE(same_name.ok());
  CHECK(same_name.status().field() == county + ": towns[1].name");
}

TEST_CASE("The Gaoqiao 2021 autumn campaign loads with its 16 areas") {
  const Campaign c = LoadGaoqiao();
  CHECK(c.id == "gaoqiao-2021-autumn");
  CHECK(c.name == "高桥镇巩固脱贫攻坚成果秋季攻势行动");
  CHECK(c.issuer == "高桥镇人民政府");
  CHECK(c.close_of_business_seconds == 17 * 3600 + 30 * 60);
  REQUIRE(c.areas.size() == 16);
  CHECK(c.FindArea(1)->name == "责任压实");
  CHECK(c.FindArea(7)->name == "监测帮扶机制");
  CHECK(c.FindArea(16)->name == "巩固成效");
  CHECK(c.units.size() == kDepartments.size() + 1 + kVillages.size());
  CHECK(c.FindUnit("rural_office")->name == "镇农业农村和乡村振兴办公室");
  CHECK(c.FindUnit("discipline_commission")->name == "镇纪委");
  CHECK(c.FindUnit("taojiang_rcb_gaoqiao")->kind == UnitKind::kBank);
  for (const Unit& unit : c.units) {
    INFO(unit.id);
    CHECK(unit.sample == (unit.kind == UnitKind::kVillage));
  }
}

TEST_CASE("In the Gaoqiao campaign all departments means every department and not the bank") {
  const Campaign c = LoadGaoqiao();
  CHECK(c.FindGroup("all_departments")->members == kDepartments);
  CHECK(c.FindGroup("all_villages")->members == kVillages);
}

TEST_CASE("Gaoqiao area 1 expands to all departments and all villages") {
  const Campaign c = LoadGaoqiao();
  CHECK(c.FindArea(1)->responsible == std::vector<std::string>{"all_departments", "all_villages"});
  CHECK(c.FindArea(1)->responsible_units == Concat(kDepartments, kVillages));
  CHECK(c.FindArea(14)->responsible_units == Concat(kDepartments, kVillages));
  CHECK(c.FindArea(16)->responsible_units == Concat(kDepartments, kVillages));
}

TEST_CASE("Gaoqiao area 10 includes the bank branch and all villages") {
  const Campaign c = LoadGaoqiao();
  CHECK(c.FindArea(10)->responsible_units ==
        Concat({"agri_service_centre", "rural_office", "taojiang_rcb_gaoqiao"}, kVillages));
  CHECK(c.FindArea(15)->responsible_units ==
        Concat({"rural_office", "taojiang_rcb_gaoqiao", "public_security_office"}, kVillages));
  CHECK(c.FindArea(11)->responsible_units == kVillages);
}

TEST_CASE("Gaoqiao deadlines resolve to the instants the plan names") {
  const Campaign c = LoadGaoqiao();
  CHECK(DeadlineInstant(c, "ledger_due") == "2021-10-26T17:30:00+08:00");
  CHECK(c.FindDeadline("ledger_due")->applies_to == DeadlineSubject::kLedger);
  CHECK(DeadlineInstant(c, "problems_cleared") == "2021-11-01T00:00:00+08:00");
  CHECK(c.DefaultDeadline(DeadlineSubject::kProblem)->id == "problems_cleared");
  const DeadlineRule* enrollment = c.DefaultDeadline(DeadlineSubject::kEnrollment);
  REQUIRE(enrollment != nullptr);
  CHECK(enrollment->id == "enrollment_within_two_months");
  CHECK(enrollment->kind == DeadlineKind::kMonthsAfter);
  CHECK(enrollment->from == "risk_found");
  CHECK(enrollment->months == 2);
  CHECK(c.DefaultDeadline(DeadlineSubject::kLedger) == nullptr);
}

TEST_CASE("Gaoqiao phases overlap as the plan dates them") {
  const Campaign c = LoadGaoqiao();
  REQUIRE(c.phases.size() == 3);
  CHECK(FormatDate(c.FindPhase("mobilise")->start) == "2021-09-21");
  CHECK(FormatDate(c.FindPhase("mobilise")->end) == "2021-10-10");
  CHECK(FormatDate(c.FindPhase("implement")->start) == "2021-10-01");
  CHECK(FormatDate(c.FindPhase("implement")->end) == "2021-10-31");
  CHECK(FormatDate(c.FindPhase("inspect")->start) == "2021-10-21");
  CHECK(FormatDate(c.FindPhase("inspect")->end) == "2021-11-10");
}

TEST_CASE("Gaoqiao problem sources carry the counts the plan expects") {
  const Campaign c = LoadGaoqiao();
  REQUIRE(c.sources.size() == 5);
  CHECK(c.FindSource("national_assessment_2020")->expected_count == 13);
  CHECK(c.FindSource("national_post_evaluation")->expected_count == 11);
  CHECK(c.FindSource("provincial_supervision")->expected_count == 5);
  CHECK_FALSE(c.FindSource("self_inspection")->expected_count.has_value());
  CHECK_FALSE(c.FindSource("campaign_sweep")->expected_count.has_value());
}

TEST_CASE("Gaoqiao household choices are found by id or Chinese name") {
  const Campaign c = LoadGaoqiao();
  CHECK(c.household_categories.size() == 3);
  CHECK(c.risk_types.size() == 9);
  CHECK(c.clue_sources.size() == 3);
  CHECK(FindChoice(c.household_categories, "突发严重困难户")->id == "sudden_hardship");
  CHECK(FindChoice(c.risk_types, "因务工就业不稳")->id == "unstable_employment");
  CHECK(FindChoice(c.clue_sources, "department_alert")->name == "部门筛查预警");
}

TEST_CASE("Gaoqiao labels every state and event the two machines have, and nothing else") {
  const Campaign c = LoadGaoqiao();
  for (const auto& [workflow, labels] : {std::pair{&ProblemWorkflow(), &c.problem_labels},
                                         std::pair{&EnrollmentWorkflow(), &c.enrollment_labels}}) {
    std::set<std::string> machine;
    for (const std::string& state : workflow->States()) machine.insert(state);
    for (const std::string& event : workflow->Events()) machine.insert(event);
    std::set<std::string> labelled;
    for (const Label& label : *labels) labelled.insert(label.key);
    CHECK(labelled == machine);
  }
}

TEST_CASE("Gaoqiao labels name every state and event of both workflows in file order") {
  const Campaign c = LoadGaoqiao();
  REQUIRE(c.problem_labels.size() == 6 + 14);
  REQUIRE(c.enrollment_labels.size() == 10 + 16);
  CHECK(c.problem_labels[0].key == "found");
  CHECK(c.problem_labels[3].key == "rectifying.submitted");
  CHECK(c.problem_labels[3].name == "待验收");
  CHECK(c.problem_labels[15].key == "supervise");
  CHECK(c.problem_labels[15].name == "督办");
  CHECK(c.problem_labels.back().key == "refuse_extension");
  CHECK(c.problem_labels.back().name == "不予延期");
  CHECK(c.enrollment_labels[7].key == "rectifying.county_decision");
  CHECK(c.enrollment_labels[7].name == "县级审定");
  CHECK(c.enrollment_labels[18].key == "close_ineligible");
  CHECK(c.enrollment_labels[18].name == "不符合条件办结");
  CHECK(c.enrollment_labels.back().key == "follow_up");
  CHECK(c.enrollment_labels.back().name == "帮扶跟进");
}

TEST_CASE("Every campaign file in workflows loads") {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(RECTIFY_SOURCE_DIR) + "/workflows")) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    const Result<Campaign> loaded = LoadCampaignFile(entry.path().string());
    INFO(loaded.status().ToString());
    CHECK(loaded.ok());
  }
  CHECK(files >= 1);
}

TEST_CASE("A fixed deadline at close of business takes the file's close of business") {
  const Result<Campaign> loaded = ParseCampaign(kSmall, kOrigin);
  INFO(loaded.status().ToString());
  REQUIRE(loaded.ok());
  CHECK(loaded->close_of_business_seconds == 17 * 3600);
  CHECK(DeadlineInstant(*loaded, "ledger_due") == "2021-10-26T17:00:00+08:00");
  CHECK(loaded->FindGroup("office_and_bank")->members == std::vector<std::string>{"office", "bank"});
  CHECK(loaded->FindArea(2)->responsible_units == std::vector<std::string>{"office", "bank"});
}

TEST_CASE("A deadline may give a clock time of day") {
  const Result<Campaign> loaded = ParseCampaign(SmallWith(R"("at": "close_of_business")", R"("at": "09:15")"), kOrigin);
  INFO(loaded.status().ToString());
  REQUIRE(loaded.ok());
  CHECK(DeadlineInstant(*loaded, "ledger_due") == "2021-10-26T09:15:00+08:00");
}

TEST_CASE("A missing campaign file is not found and names its path") {
  const Result<Campaign> loaded = LoadCampaignFile("/nonexistent/campaign.json");
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.status().code() == StatusCode::kNotFound);
  CHECK_THAT(loaded.status().message(), Catch::Contains("/nonexistent/campaign.json"));
}

TEST_CASE("A document that is not an object is rejected at the file level") {
  const Result<Campaign> loaded = ParseCampaign("[]", kOrigin);
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.status().field() == kOrigin);
  CHECK_THAT(loaded.status().message(), Catch::Contains("expected an object, found array"));
}

TEST_CASE("Each bad file is rejected with an error naming the file and the field") {
  const std::vector<BadFile> cases = {
      {"malformed JSON (trailing comma)", R"("sample": true})", R"("sample": true,})", "", "line 11"},
      {"unknown key", R"("kind": "bank")", R"("kind": "bank", "nmae": "x")", "units[1].nmae",
       "unknown key \"nmae\"; expected one of: id, name, kind, sample"},
      {"misspelt top-level key", R"("risk_types")", R"("risk_type")", "risk_type", "unknown key \"risk_type\""},
      {"repeated key", R"("name": "甲村",)", R"("name": "甲村", "name": "乙村",)", "units[2].name",
       "duplicate key \"name\""},
      {"wrong type: string for integer", R"("number": 2)", R"("number": "2")", "areas[1].number",
       "expected an integer, found string \"2\""},
      {"wrong type: string for boolean", R"("sample": true)", R"("sample": "yes")", "units[2].sample",
       "expected true or false, found string \"yes\""},
      {"wrong type: object for array", R"([{"id": "illness", "name": "因病"}])", R"({"illness": "因病"})",
       "risk_types", "expected an array, found object"},
      {"wrong type: label not a string", R"("found": "发现")", R"("found": 1)", "labels.problem.states.found",
       "expected a string, found number 1"},
      {"missing field", R"("issuer": "某镇人民政府",)", "", "issuer", "missing required field"},
      {"missing field in a unit", R"("name": "银行", )", "", "units[1].name", "missing required field"},
      {"unknown unit in an area", R"(["office_and_bank"])", R"(["office_and_bank", "foo"])",
       "areas[1].responsible[1]", "unknown unit or group \"foo\""},
      {"unknown unit in a group", R"(["office", "bank"])", R"(["office", "bnak"])", "groups[1].members[1]",
       "unknown unit \"bnak\""},
      {"duplicate unit id", R"({"id": "bank", "name": "银行")", R"({"id": "office", "name": "银行")",
       "units[1].id", "duplicate id \"office\""},
      {"two units of one name", R"("name": "银行")", R"("name": "甲村")", "units",
       "units \"bank\" and \"village_a\" are both named \"甲村\" in this campaign"},
      {"group id equal to a unit id", R"("id": "all_villages")", R"("id": "bank")", "groups[0].id",
       "duplicate id \"bank\""},
      {"bad date", R"("2021-10-26")", R"("2021-10-32")", "deadlines[0].date",
       "\"2021-10-32\" is not a date: expected \"YYYY-MM-DD\""},
      {"date in another format", R"("2021-09-21")", R"("2021/09/21")", "phases[0].start", "\"2021/09/21\""},
      {"phase ending before it starts", R"("2021-10-10")", R"("2021-09-01")", "phases[0].end",
       "before it starts 2021-09-21"},
      {"bad close of business", R"("17:00")", R"("5pm")", "close_of_business",
       "\"5pm\" is not a time: expected \"HH:MM\""},
      {"bad deadline time", R"("close_of_business"})", R"("cob"})", "deadlines[0].at",
       "\"cob\" is not a time"},
      {"unknown unit kind", R"("kind": "village")", R"("kind": "villlage")", "units[2].kind",
       "unknown unit kind \"villlage\""},
      {"unknown deadline kind", R"("kind": "months_after")", R"("kind": "monthly")", "deadlines[1].kind",
       "unknown deadline kind \"monthly\""},
      {"unknown deadline subject", R"("applies_to": "ledger")", R"("applies_to": "ledgers")",
       "deadlines[0].applies_to", "unknown subject \"ledgers\""},
      {"a key of the other deadline kind", R"("months": 2,)", R"("months": 2, "date": "2021-10-01",)",
       "deadlines[1].date", "does not apply to a deadline of kind \"months_after\""},
      {"months_after from an unknown date", R"("risk_found")", R"("reported")", "deadlines[1].from",
       "unknown date \"reported\""},
      {"group with both kinds of members", R"("members_of_kind": "village")",
       R"("members_of_kind": "village", "members": ["village_a"])", "groups[0].members_of_kind",
       "either members or members_of_kind"},
      {"group with no members at all", R"(, "members_of_kind": "village")", "", "groups[0].members",
       "give members (unit ids) or members_of_kind"},
      {"area numbers with a gap", R"("number": 2)", R"("number": 3)", "areas[1].number", "expected 2, found 3"},
      {"integer too large", R"("expected_count": 3)", R"("expected_count": 3000000000)", "sources[0].expected_count",
       "out of range"},
      {"fractional count", R"("expected_count": 3)", R"("expected_count": 2.5)", "sources[0].expected_count",
       "expected an integer, found number 2.5"},
      {"label key used for a state and an event", R"("events": {"assign": "交办"})",
       R"("events": {"found": "交办"})", "labels.problem.events.found", "\"found\" has a label already"},
      {"empty label of a step", R"({"found": "风险线索"})", R"({"found": "风险线索", "rectifying.home_visit": ""})",
       "labels.enrollment.states[\"rectifying.home_visit\"]", "empty name"},
      {"grant to an unknown role", R"("submit": ["unit_member:lead"])", R"("submit": ["cadre"])",
       "permissions.problem[\"submit\"][0]", "unknown role \"cadre\""},
      {"grant with an unknown relation", R"("submit": ["unit_member:lead"])", R"("submit": ["unit_member:boss"])",
       "permissions.problem[\"submit\"][0]", "unknown relation \"boss\""},
      {"an event granted to nobody", R"(, "submit": ["unit_member:lead"])", "", "permissions.problem",
       "the event \"submit\" is granted to nobody"},
      {"a grant from a step the workflow lacks", R"("complete_step@town_review")", R"("complete_step@town_hall")",
       "permissions.enrollment[\"complete_step@town_hall\"]", "\"town_hall\" is not a state or step"},
      {"an unknown action", R"("export_audit": ["office"])", R"("export_audit": ["office"], "delete_all": ["office"])",
       "permissions.actions[\"delete_all\"]", "unknown action \"delete_all\""},
      {"ledgers due by an unknown deadline", R"("deadline": "ledger_due")", R"("deadline": "ledger_late")",
       "ledgers.deadline", "unknown deadline \"ledger_late\""},
      {"ledgers due by a problem deadline", R"("deadline": "ledger_due")", R"("deadline": "enrolled")",
       "ledgers.deadline", "must be a fixed deadline that applies to \"ledger\""},
      {"ledgers owed by an unknown unit", R"("owed_by": ["all_villages"])", R"("owed_by": ["all_vilages"])",
       "ledgers.owed_by[0]", "unknown unit or group \"all_vilages\""},
      {"a fixed deadline before the campaign starts", R"("date": "2021-10-26")", R"("date": "2021-09-01")",
       "deadlines[0].date", "2021-09-01 is before the campaign starts (2021-09-21)"},
      {"a fixed deadline in a year the calendar lacks", R"("date": "2021-10-26")", R"("date": "2030-01-15")",
       "deadlines[0].date", "no holiday calendar for 2030"},
      {"a negative deduction", R"("per_send_back": 2)", R"("per_send_back": -2)", "scores.per_send_back",
       "must not be negative"},
      {"a score weight that is not a number", R"("base": 30)", R"("base": "30")", "scores.base",
       "expected a number"},
      {"an action granted to nobody", R"(, "export_audit": ["office"])", "", "permissions.actions",
       "the action \"export_audit\" is granted to nobody"},
      {"a survey due by an unknown deadline", R"("deadline": "survey_done")", R"("deadline": "survey_late")",
       "survey.deadline", "unknown deadline \"survey_late\""},
      {"a survey due by a ledger deadline", R"("deadline": "survey_done")", R"("deadline": "ledger_due")",
       "survey.deadline", "must be a fixed or phase_end deadline that applies to \"survey\""},
      {"a survey deadline counted from an event", R"("applies_to": "survey", "kind": "phase_end", "phase": "mobilise")",
       R"("applies_to": "survey", "kind": "days_after", "from": "created", "days": 5)", "deadlines[2].applies_to",
       "a survey has no dates to count from"},
      {"a visiting team of one", R"("minimum_team": 2)", R"("minimum_team": 1)", "survey.minimum_team",
       "at least two"},
      {"a survey clue source the campaign lacks", R"("clue_source": "self_report")", R"("clue_source": "hotline")",
       "survey.clue_source", "unknown clue source \"hotline\""},
      {"a label of a state the visit machine lacks", R"("to_visit": "待走访")", R"("visited": "已走访")",
       "survey.labels.visited", "is not a state or event of the visit workflow"},
      {"a survey without team roles", R"([{"id": "cadre", "name": "联村干部"}])", "[]", "survey.team_roles",
       "offers no choice"},
      {"the survey's actions granted to nobody", R"("plan_survey": ["office"], )", "", "permissions.actions",
       "the action \"plan_survey\" is granted to nobody"},
  };
  for (const BadFile& bad : cases) {
    INFO(bad.what);
    const Result<Campaign> loaded = ParseCampaign(SmallWith(bad.from, bad.to), kOrigin);
    REQUIRE_FALSE(loaded.ok());
    const Status& status = loaded.status();
    INFO(status.ToString());
    const std::string field = bad.path.empty() ? kOrigin : kOrigin + ": " + bad.path;
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.field() == field);
    CHECK_THAT(status.message(), Catch::Contains(bad.message_part));
    CHECK_THAT(status.ToString(), Catch::StartsWith("invalid_argument: " + field + ": "));
  }
}

}  // namespace rectify
