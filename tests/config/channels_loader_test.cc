// The channel file as an operator writes it: every kind of channel, and SMS's own fields.
#include <catch2/catch.hpp>

#include "config/campaign_loader.h"
#include "config/channels_loader.h"

namespace rectify::testing {
namespace {

const Campaign& Gaoqiao() {
  static const Result<Campaign> campaign =
      LoadCampaignFile(std::string(RECTIFY_SOURCE_DIR) + "/workflows/gaoqiao-2021-autumn.json");
  REQUIRE(campaign.ok());
  return *campaign;
}

const char* const kSms = R"({"units": {"village_2": [{"type": "sms", "url": "https://dysmsapi.aliyuncs.com/",
  "access_key_id": "LTAI5tExampleKey", "secret": "sms-secret-0123456789", "sign_name": "高桥镇人民政府",
  "template_code": "SMS_465872001", "phone_numbers": ["13800000001", "13900000002"], %LIMITS%}]}})";

std::string SmsFile(const std::string& limits) {
  std::string text = kSms;
  text.replace(text.find("%LIMITS%"), 8, limits);
  return text;
}

}  // namespace

TEST_CASE("an sms channel is read with its numbers and limits, Aliyun's defaults for those left out") {
  auto channels = ParseChannelFile(SmsFile(R"("number_limits": {"per_day": 40})"), "channels.json", Gaoqiao());
  REQUIRE(channels.ok());
  const auto& list = channels->at("village_2");
  REQUIRE(list.size() == 1);
  CHECK(list[0]->Target().rfind("sms:dysmsapi.aliyuncs.com#", 0) == 0);
  CHECK(list[0]->LimitKeys() == std::vector<std::string>{"sms-number:13800000001", "sms-number:13900000002"});
  CHECK(list[0]->Limit().per_minute == 1);
  CHECK(list[0]->Limit().per_hour == 5);
  CHECK(list[0]->Limit().per_day == 40);
}

TEST_CASE("an sms channel's errors name the file and the field") {
  auto unknown = ParseChannelFile(SmsFile(R"("number_limits": {"per_week": 3})"), "channels.json", Gaoqiao());
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().field() == "channels.json: units.village_2[0].number_limits.per_week");
  auto negative = ParseChannelFile(SmsFile(R"("number_limits": {"per_day": -1})"), "channels.json", Gaoqiao());
  REQUIRE_FALSE(negative.ok());
  CHECK(negative.status().field() == "channels.json: units.village_2[0].number_limits");
}

TEST_CASE("two channels of one unit may not share an id, configured or derived") {
  const std::string hook = R"({"type": "webhook", "url": "https://hooks.gaoqiao.example/a")";
  auto twice = ParseChannelFile(R"({"units": {"village_1": [)" + hook + "}, " + hook + "}]}}", "channels.json", Gaoqiao());
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.status().field() == "channels.json: units.village_1[1].id");
  auto named = ParseChannelFile(R"({"units": {"village_1": [)" + hook + R"(, "id": "first"}, )" + hook +
                                    R"(, "id": "second"}], "village_2": [)" + hook + R"(, "id": "first"}]}})",
                                "channels.json", Gaoqiao());
  INFO(named.status().ToString());
  REQUIRE(named.ok());
  CHECK(named->at("village_1")[1]->Id() == "second");
}

TEST_CASE("a unit listed with no channel is refused, naming it") {
  auto empty = ParseChannelFile(R"({"units": {"village_1": []}})", "channels.json", Gaoqiao());
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.status().field() == "channels.json: units.village_1");
  CHECK(empty.status().message().find("no channel listed for \"village_1\"") != std::string::npos);
}

}  // namespace rectify::testing
