// Delivering digests as SMS to a real receiver on loopback that checks the request the way
// Aliyun's SMS gateway does: the V3 signature, the approved sign name and template, the
// template's variables, and its flow control per number.
#include <catch2/catch.hpp>

#include "tests/notifier/delivery_helpers.h"
#include "tests/notifier/sample_digests.h"
#include "tests/notifier/sms_gateway.h"

namespace rectify::testing {
namespace {

using nlohmann::json;
using notifier::ChannelConfig;

const Instant kNow = At("2021-10-27T09:00:00+08:00");

ChannelConfig Sms(const SmsGateway& gateway, std::vector<std::string> numbers = {"13800000001"},
                  std::string secret = SmsGateway::kAccessKeySecret) {
  ChannelConfig config;
  config.type = "sms";
  config.url = gateway.Url();
  config.access_key_id = SmsGateway::kAccessKeyId;
  config.secret = std::move(secret);
  config.sign_name = SmsGateway::kSignName;
  config.template_code = SmsGateway::kTemplateCode;
  config.phone_numbers = std::move(numbers);
  return config;
}

}  // namespace

TEST_CASE("an SMS carries the digest in the approved template's short variables, signed as Aliyun checks") {
  SmsGateway gateway(kNow);
  const auto channel = MakeOrFail(Sms(gateway, {"13800000001", "13900000002"}));
  const DeliveryOutcome outcome = DeliverDigest(*channel, SchoolDigest(), kNow);
  REQUIRE(outcome.status.ok());
  CHECK(outcome.parts == 1);
  const auto received = gateway.Received();
  REQUIRE(received.size() == 1);
  CHECK(received[0].phone_numbers == std::vector<std::string>{"13800000001", "13900000002"});
  CHECK(received[0].sign_name == SmsGateway::kSignName);
  CHECK(received[0].template_code == SmsGateway::kTemplateCode);
  const json& params = received[0].template_param;
  CHECK(params["unit"] == "镇中心校");
  CHECK(params["overdue"] == "3");
  CHECK(params["due"] == "2");
  CHECK(params["item"] == "某村一名适龄儿童辍学未劝返等5项");  // the most urgent, and how many in all
  CHECK(params["link"] == "https://rectify.gaoqiao.example/items/42");
  CHECK(received[0].out_id.size() == 32);
}

TEST_CASE("a digest too long for one SMS is cut to the most urgent item with a link to the unit's list") {
  SmsGateway gateway(kNow);
  const auto channel = MakeOrFail(Sms(gateway));
  Digest digest = LargeDigest(40);
  for (DigestItem& item : digest.overdue) item.link = "https://rectify.example/?campaign=gq#/item/problem/" + std::to_string(item.id);
  digest.overdue.front().awaits_sign_for = true;
  const DeliveryOutcome outcome = DeliverDigest(*channel, digest, kNow);
  REQUIRE(outcome.status.ok());
  CHECK(outcome.parts == 1);
  const auto received = gateway.Received();
  REQUIRE(received.size() == 1);
  const std::string item = received[0].template_param["item"];
  CHECK(item.rfind("待签收：第1项：", 0) == 0);
  CHECK(item.find("…等40项") != std::string::npos);
  CHECK(received[0].template_param["link"] == "https://rectify.example/?campaign=gq#/my");
  CHECK(received[0].template_param["overdue"] == "40");
}

TEST_CASE("an SMS counts the lines a summarised digest left out") {
  SmsGateway gateway(kNow);
  const auto channel = MakeOrFail(Sms(gateway));
  Digest digest = LargeDigest(20);
  for (DigestItem& item : digest.overdue) item.link = "https://rectify.example/?campaign=gq#/item/problem/" + std::to_string(item.id);
  digest.overdue_unlisted = 980;
  digest.due_soon_unlisted = 7;
  REQUIRE(DeliverDigest(*channel, digest, kNow).status.ok());
  const auto received = gateway.Received();
  REQUIRE(received.size() == 1);
  CHECK(received[0].template_param["overdue"] == "1000");
  CHECK(received[0].template_param["due"] == "7");
  CHECK(received[0].template_param["item"].get<std::string>().find("…等1007项") != std::string::npos);
}

TEST_CASE("an SMS signed with the wrong secret is refused for good and the secret is never quoted") {
  SmsGateway gateway(kNow);
  const auto channel = MakeOrFail(Sms(gateway, {"13800000001"}, "wrong-secret-0123456789"));
  const DeliveryOutcome outcome = DeliverDigest(*channel, SchoolDigest(), kNow);
  CHECK(outcome.status.code() == StatusCode::kInternal);
  CHECK_THAT(outcome.status.message(), Catch::Contains("SignatureDoesNotMatch"));
  CHECK_THAT(outcome.status.message(), !Catch::Contains("wrong-secret-0123456789"));
  CHECK(gateway.Received().empty());
  CHECK(gateway.Refused() == 1);
}

TEST_CASE("an SMS signed an hour off the gateway's clock is refused") {
  SmsGateway gateway(kNow);
  const auto channel = MakeOrFail(Sms(gateway));
  const DeliveryOutcome outcome = DeliverDigest(*channel, SchoolDigest(), kNow - 3600);
  CHECK(outcome.status.code() == StatusCode::kInternal);
  CHECK_THAT(outcome.status.message(), Catch::Contains("InvalidTimeStamp"));
}

TEST_CASE("a number over the gateway's flow control is refused as rate limited for the period the gateway names") {
  SmsGateway gateway(kNow);
  const auto channel = MakeOrFail(Sms(gateway));
  REQUIRE(DeliverDigest(*channel, SchoolDigest(), kNow, "first").status.ok());
  // A second SMS to the number within the minute: 分钟级流控.
  const Status minute = DeliverDigest(*channel, SchoolDigest(), kNow + 10, "second").status;
  CHECK(minute.code() == StatusCode::kResourceExhausted);
  CHECK_THAT(minute.message(), Catch::Contains("isv.BUSINESS_LIMIT_CONTROL"));
  CHECK(channel->LockoutFor(minute) == 60);
  // Five in the hour, then 小时级流控: the number waits an hour.
  for (int i = 1; i < 5; ++i) {
    gateway.SetNow(kNow + 60 * i);
    REQUIRE(DeliverDigest(*channel, SchoolDigest(), kNow + 60 * i, "hourly-" + std::to_string(i)).status.ok());
  }
  gateway.SetNow(kNow + 600);
  const Status hour = DeliverDigest(*channel, SchoolDigest(), kNow + 600, "sixth").status;
  CHECK(hour.code() == StatusCode::kResourceExhausted);
  CHECK(channel->LockoutFor(hour) == 3600);
  CHECK(gateway.Received().size() == 5);
}

TEST_CASE("an SMS channel is held to each number's limits, a number shared by two channels counted once") {
  SmsGateway gateway(kNow);
  const auto school = MakeOrFail(Sms(gateway, {"13800000001", "13900000002"}));
  const auto village = MakeOrFail(Sms(gateway, {"13900000002"}));
  const notifier::RateLimit limit = school->Limit();
  CHECK(limit.per_minute == 1);
  CHECK(limit.per_hour == 5);
  CHECK(limit.per_day == 10);
  CHECK(school->LimitKeys() == std::vector<std::string>{"sms-number:13800000001", "sms-number:13900000002"});
  CHECK(village->LimitKeys() == std::vector<std::string>{"sms-number:13900000002"});
  CHECK(school->Target() != village->Target());
  CHECK(school->Target().rfind("sms:127.0.0.1:", 0) == 0);
}

}  // namespace rectify::testing
