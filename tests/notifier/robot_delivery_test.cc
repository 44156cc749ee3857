// Delivering digests to real HTTP receivers on loopback that check keys, signatures and
// limits the way WeCom, DingTalk, Feishu and a webhook endpoint do.
#include <catch2/catch.hpp>
#include <chrono>

#include "engine/text.h"
#include "tests/notifier/delivery_helpers.h"
#include "tests/notifier/loopback_listener.h"
#include "tests/notifier/robot_receiver.h"
#include "tests/notifier/sample_digests.h"

namespace rectify::testing {
namespace {

using notifier::ChannelConfig;

const Instant kNow = At("2021-10-27T09:00:00+08:00");

ChannelConfig WeCom(const RobotReceiver& receiver) {
  ChannelConfig config;
  config.type = "wecom";
  config.url = receiver.WeComUrl();
  return config;
}

ChannelConfig DingTalk(const RobotReceiver& receiver, std::string secret = RobotReceiver::kDingTalkSecret) {
  ChannelConfig config;
  config.type = "dingtalk";
  config.url = receiver.DingTalkUrl();
  config.secret = std::move(secret);
  return config;
}

ChannelConfig Feishu(const RobotReceiver& receiver, std::string secret = RobotReceiver::kFeishuSecret) {
  ChannelConfig config;
  config.type = "feishu";
  config.url = receiver.FeishuUrl();
  config.secret = std::move(secret);
  return config;
}

ChannelConfig Webhook(std::string url) {
  ChannelConfig config;
  config.type = "webhook";
  config.url = std::move(url);
  return config;
}

// Every text element of a Feishu post, one paragraph a line.
std::string FeishuText(const json& message) {
  const json& post = message["content"]["post"]["zh_cn"];
  std::string text = post["title"].get<std::string>();
  for (const json& paragraph : post["content"]) {
    text += "\n";
    for (const json& element : paragraph) text += element["text"].get<std::string>();
  }
  return text;
}

// The text a robot shows, whatever its message type.
std::string MessageText(const ReceivedRequest& request) {
  const json& message = request.message;
  if (request.robot == "feishu") return FeishuText(message);
  if (request.robot == "dingtalk") return message["markdown"]["text"];
  if (message["msgtype"] == "text") return message["text"]["content"];
  return message["markdown"]["content"];
}

void CheckNoSecrets(const Status& status) {
  const std::string text = status.ToString();
  for (const char* secret : {RobotReceiver::kWeComKey, RobotReceiver::kDingTalkToken, RobotReceiver::kDingTalkSecret,
                             RobotReceiver::kFeishuHook, RobotReceiver::kFeishuSecret, "wrong-secret-0123456789"}) {
    INFO(secret);
    CHECK(text.find(secret) == std::string::npos);
  }
}

}  // namespace

TEST_CASE("a WeCom robot receives the digest as markdown") {
  RobotReceiver receiver(kNow);
  const auto channel = MakeOrFail(WeCom(receiver));
  const DeliveryOutcome outcome = DeliverDigest(*channel, SchoolDigest(), kNow);
  REQUIRE(outcome.status.ok());
  const auto received = receiver.Received("wecom");
  REQUIRE(received.size() == 1);
  CHECK(received[0].message["msgtype"] == "markdown");
  const std::string content = received[0].message["markdown"]["content"];
  CHECK(content.rfind("### 【高桥镇巩固脱贫攻坚成果秋季攻势行动】镇中心校：逾期 3 项，即将到期 2 项", 0) == 0);
  CHECK(content.find("[某村一名适龄儿童辍学未劝返](https://rectify.gaoqiao.example/items/42)") != std::string::npos);
  CHECK(content.find("领域：义务教育｜整改时限：10月22日17:30｜逾期3个工作日") != std::string::npos);
  CHECK(content.find("还剩2个工作日") != std::string::npos);
}

TEST_CASE("a WeCom robot with mentions receives text naming the mobiles") {
  RobotReceiver receiver(kNow);
  ChannelConfig config = WeCom(receiver);
  config.mention_mobiles = {"13800000000"};
  REQUIRE(DeliverDigest(*MakeOrFail(config), SchoolDigest(), kNow).status.ok());
  const auto received = receiver.Received("wecom");
  REQUIRE(received.size() == 1);
  CHECK(received[0].message["msgtype"] == "text");
  CHECK(received[0].message["text"]["mentioned_mobile_list"] == json::array({"13800000000"}));
  CHECK(received[0].message["text"]["content"].get<std::string>().find("1. 某村一名适龄儿童辍学未劝返") !=
        std::string::npos);
}

TEST_CASE("a WeCom robot refuses a wrong key and Deliver names the errcode") {
  RobotReceiver receiver(kNow);
  ChannelConfig config = WeCom(receiver);
  config.url = receiver.WeComUrl() + "-stale";
  const DeliveryOutcome outcome = DeliverDigest(*MakeOrFail(config), SchoolDigest(), kNow);
  REQUIRE_FALSE(outcome.status.ok());
  CHECK(outcome.status.message().find("errcode 93000") != std::string::npos);
  CHECK(outcome.status.message().find("invalid webhook url") != std::string::npos);
  CheckNoSecrets(outcome.status);
}

TEST_CASE("a signed DingTalk robot accepts the digest and finds the mentions in the text") {
  RobotReceiver receiver(kNow);
  ChannelConfig config = DingTalk(receiver);
  config.mention_mobiles = {"13800000000", "13911112222"};
  REQUIRE(DeliverDigest(*MakeOrFail(config), SchoolDigest(), kNow).status.ok());
  const auto received = receiver.Received("dingtalk");
  REQUIRE(received.size() == 1);
  const json& message = received[0].message;
  CHECK(received[0].params.at("timestamp") == std::to_string(kNow * 1000));
  CHECK(message["markdown"]["title"] == "【高桥镇巩固脱贫攻坚成果秋季攻势行动】镇中心校：逾期 3 项，即将到期 2 项");
  CHECK(message["at"]["atMobiles"] == json::array({"13800000000", "13911112222"}));
  const std::string text = message["markdown"]["text"];
  CHECK(text.find("@13800000000") != std::string::npos);
  CHECK(text.find("@13911112222") != std::string::npos);
  CHECK(text.find("所在村：向阳村｜整改时限：10月31日24:00") != std::string::npos);
}

TEST_CASE("a DingTalk robot refuses a wrong secret and Deliver names errcode 310000") {
  RobotReceiver receiver(kNow);
  const DeliveryOutcome outcome =
      DeliverDigest(*MakeOrFail(DingTalk(receiver, "wrong-secret-0123456789")), SchoolDigest(), kNow);
  REQUIRE_FALSE(outcome.status.ok());
  CHECK(outcome.status.message().find("errcode 310000") != std::string::npos);
  CHECK(outcome.status.message().find("sign not match") != std::string::npos);
  CHECK(receiver.Received("dingtalk").empty());
  CheckNoSecrets(outcome.status);
}

TEST_CASE("a DingTalk signature from more than an hour ago is refused") {
  RobotReceiver receiver(kNow);
  const DeliveryOutcome outcome = DeliverDigest(*MakeOrFail(DingTalk(receiver)), SchoolDigest(), kNow - 2 * 3600);
  REQUIRE_FALSE(outcome.status.ok());
  CHECK(outcome.status.message().find("errcode 310000") != std::string::npos);
}

TEST_CASE("a rate-limited DingTalk robot gives an error naming errcode 130101") {
  RobotReceiver receiver(kNow);
  receiver.AnswerEverythingWith(200, R"({"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"})");
  const DeliveryOutcome outcome = DeliverDigest(*MakeOrFail(DingTalk(receiver)), SchoolDigest(), kNow);
  REQUIRE_FALSE(outcome.status.ok());
  CHECK(outcome.status.code() == StatusCode::kResourceExhausted);  // worth trying again after the lockout
  CHECK(outcome.status.message().find("errcode 130101: send too fast") != std::string::npos);
}

TEST_CASE("a signed Feishu bot receives the digest as a post with clickable links") {
  RobotReceiver receiver(kNow);
  REQUIRE(DeliverDigest(*MakeOrFail(Feishu(receiver)), SupervisorDigest(), kNow).status.ok());
  const auto received = receiver.Received("feishu");
  REQUIRE(received.size() == 1);
  const json& message = received[0].message;
  CHECK(message["msg_type"] == "post");
  CHECK(message["timestamp"] == std::to_string(kNow));
  CHECK(message["content"]["post"]["zh_cn"]["title"] ==
        "【高桥镇巩固脱贫攻坚成果秋季攻势行动】督办：逾期 3 项，涉及 2 个单位");
  const std::string text = FeishuText(message);
  CHECK(text.find("镇规划建设办（1项）") != std::string::npos);
  CHECK(text.find("危房改造户未入住") != std::string::npos);
  bool linked = false;
  for (const json& paragraph : message["content"]["post"]["zh_cn"]["content"])
    for (const json& element : paragraph)
      linked = linked || (element["tag"] == "a" && element["href"] == "https://rectify.gaoqiao.example/items/88");
  CHECK(linked);
}

TEST_CASE("a Feishu bot refuses a wrong secret and Deliver names code 19021") {
  RobotReceiver receiver(kNow);
  const DeliveryOutcome outcome =
      DeliverDigest(*MakeOrFail(Feishu(receiver, "wrong-secret-0123456789")), SchoolDigest(), kNow);
  REQUIRE_FALSE(outcome.status.ok());
  CHECK(outcome.status.message().find("errcode 19021") != std::string::npos);
  CheckNoSecrets(outcome.status);
}

TEST_CASE("a webhook receives the digest as data with its idempotency key") {
  RobotReceiver receiver(kNow);
  REQUIRE(DeliverDigest(*MakeOrFail(Webhook(receiver.WebhookUrl())), SchoolDigest(), kNow, "outbox-42").status.ok());
  const auto received = receiver.Received("webhook");
  REQUIRE(received.size() == 1);
  CHECK(received[0].headers.at("Idempotency-Key") == "outbox-42/1");
  const json& body = received[0].message;
  CHECK(body["idempotency_key"] == "outbox-42/1");
  CHECK(body["unit"] == json({{"id", "town_central_school"}, {"name", "镇中心校"}}));
  CHECK(body["as_of"] == "2021-10-27T09:00:00+08:00");
  REQUIRE(body["overdue"].size() == 3);
  CHECK(body["overdue"][0]["id"] == 42);
  CHECK(body["overdue"][0]["title"] == "某村一名适龄儿童辍学未劝返");
  CHECK(body["overdue"][0]["deadline"] == "2021-10-22T17:30:00+08:00");
  CHECK(body["overdue"][0]["working_days_overdue"] == 3);
  REQUIRE(body["due_soon"].size() == 2);
  CHECK(body["due_soon"][1]["kind"] == "enrollment");
  CHECK(body["due_soon"][1]["working_days_left"] == 3);
  CHECK(body["text"].get<std::string>().rfind("【高桥镇巩固脱贫攻坚成果秋季攻势行动】镇中心校：逾期 3 项", 0) == 0);
}

TEST_CASE("a 200-item digest reaches every robot within its limits ending with …等N项") {
  RobotReceiver receiver(kNow);
  ChannelConfig wecom_text = WeCom(receiver);
  wecom_text.mention_mobiles = {"13800000000"};
  struct Case {
    ChannelConfig config;
    const char* robot;
    std::size_t max_text_bytes;
  };
  const Case cases[] = {{WeCom(receiver), "wecom", 4096},
                        {wecom_text, "wecom", 2048},
                        {DingTalk(receiver), "dingtalk", 4000},
                        {Feishu(receiver), "feishu", 20000}};
  std::size_t wecom_seen = 0;
  for (const Case& c : cases) {
    INFO(c.robot << " " << c.max_text_bytes);
    const DeliveryOutcome outcome = DeliverDigest(*MakeOrFail(c.config), LargeDigest(200), kNow);
    REQUIRE(outcome.status.ok());  // the receiver checked its own size limit and UTF-8
    CHECK(outcome.parts == 3);
    auto received = receiver.Received(c.robot);
    if (std::string(c.robot) == "wecom") {
      received.erase(received.begin(), received.begin() + static_cast<std::ptrdiff_t>(wecom_seen));
      wecom_seen += received.size();
    }
    REQUIRE(received.size() == 3);
    std::string last;
    for (const ReceivedRequest& request : received) {
      const std::string text = MessageText(request);
      CHECK(text.size() <= c.max_text_bytes);
      CHECK(IsValidUtf8(text));
      last = text;
    }
    CHECK(last.find("（3/3）") != std::string::npos);
    const std::size_t more = last.rfind("…等");
    REQUIRE(more != std::string::npos);
    CHECK(std::stoi(last.substr(more + std::string("…等").size())) > 0);
  }
}

TEST_CASE("a receiver answering HTTP 500 gives an error Status") {
  RobotReceiver receiver(kNow);
  receiver.AnswerEverythingWith(500, "upstream exploded");
  for (const ChannelConfig& config :
       {WeCom(receiver), DingTalk(receiver), Feishu(receiver), Webhook(receiver.WebhookUrl())}) {
    INFO(config.type);
    const DeliveryOutcome outcome = DeliverDigest(*MakeOrFail(config), SchoolDigest(), kNow);
    REQUIRE_FALSE(outcome.status.ok());
    CHECK(outcome.status.message().find("HTTP 500: upstream exploded") != std::string::npos);
    CheckNoSecrets(outcome.status);
  }
}

TEST_CASE("a robot answering 200 without its result code gives an error Status") {
  RobotReceiver receiver(kNow);
  receiver.AnswerEverythingWith(200, "<html>maintenance</html>");
  const DeliveryOutcome outcome = DeliverDigest(*MakeOrFail(WeCom(receiver)), SchoolDigest(), kNow);
  REQUIRE_FALSE(outcome.status.ok());
  CHECK(outcome.status.message().find("without the robot's result code") != std::string::npos);
}

TEST_CASE("a receiver that closes the connection without answering gives an error Status") {
  LoopbackListener hang_up([](int socket) {
    std::string buffer, line;
    (void)ReadLine(socket, buffer, line);  // the request line, then close
  });
  const std::string url = "http://127.0.0.1:" + std::to_string(hang_up.port()) + "/hook";
  const DeliveryOutcome outcome = DeliverDigest(*MakeOrFail(Webhook(url)), SchoolDigest(), kNow);
  REQUIRE_FALSE(outcome.status.ok());
  CHECK(outcome.status.code() == StatusCode::kUnavailable);  // a hang-up may not happen next time
  CHECK(outcome.status.message().rfind("webhook:127.0.0.1:", 0) == 0);
}

TEST_CASE("a receiver that is down gives an error Status within seconds") {
  const std::string url = "http://127.0.0.1:" + std::to_string(UnusedLoopbackPort()) +
                          "/robot/send?access_token=" + RobotReceiver::kDingTalkToken;
  ChannelConfig config;
  config.type = "dingtalk";
  config.url = url;
  const auto start = std::chrono::steady_clock::now();
  const DeliveryOutcome outcome = DeliverDigest(*MakeOrFail(config), SchoolDigest(), kNow);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(outcome.status.ok());
  CHECK(outcome.status.message().find("Couldn't connect to server") != std::string::npos);
  CHECK(elapsed < std::chrono::seconds(5));
  CheckNoSecrets(outcome.status);
}

}  // namespace rectify::testing
