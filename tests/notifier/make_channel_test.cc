// Channel configuration, limits and targets, and what each channel wraps for its receiver:
// everything short of a socket.
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>

#include "notifier/channel.h"
#include "notifier/mime_message.h"
#include "notifier/signing.h"
#include "engine/text.h"
#include "tests/notifier/sample_digests.h"
#include "tests/notifier/test_crypto.h"

namespace rectify::testing {
namespace {

using nlohmann::json;
using notifier::ChannelConfig;
using notifier::MakeChannel;

ChannelConfig Config(std::string type, std::string url) {
  ChannelConfig config;
  config.type = std::move(type);
  config.url = std::move(url);
  return config;
}

ChannelConfig SmtpConfig() {
  ChannelConfig config = Config("smtp", "smtp://mail.gaoqiao.example:25");
  config.from = "office@gaoqiao.example";
  config.to = {"school@gaoqiao.example"};
  return config;
}

ChannelConfig SmsConfig() {
  ChannelConfig config = Config("sms", "https://dysmsapi.aliyuncs.com/");
  config.access_key_id = "LTAI5tExampleKey";
  config.secret = "sms-secret-0123456789";
  config.sign_name = "高桥镇人民政府";
  config.template_code = "SMS_465872001";
  config.phone_numbers = {"13800000001"};
  return config;
}

std::unique_ptr<notifier::Channel> Make(const ChannelConfig& config) {
  auto channel = MakeChannel(config);
  REQUIRE(channel.ok());
  return std::move(channel.value());
}

void RequireInvalid(const ChannelConfig& config, const std::string& field) {
  const auto channel = MakeChannel(config);
  REQUIRE_FALSE(channel.ok());
  CHECK(channel.status().code() == StatusCode::kInvalidArgument);
  CHECK(channel.status().field() == field);
}

const Instant kNow = At("2021-10-27T09:00:00+08:00");

}  // namespace

TEST_CASE("an unknown channel type is refused naming the type field") {
  RequireInvalid(Config("telegram", "https://api.telegram.example/send"), "type");
  RequireInvalid(Config("", "https://hooks.example/x"), "type");
}

TEST_CASE("a channel without a usable url is refused naming the url field") {
  for (const char* type : {"webhook", "wecom", "dingtalk", "feishu"}) {
    INFO(type);
    RequireInvalid(Config(type, ""), "url");
    RequireInvalid(Config(type, "smtp://mail.example:25"), "url");
    RequireInvalid(Config(type, "https:///no-host"), "url");
  }
  ChannelConfig smtp = SmtpConfig();
  smtp.url = "";
  RequireInvalid(smtp, "url");
  smtp.url = "https://mail.example";
  RequireInvalid(smtp, "url");
}

TEST_CASE("a refused url is not quoted back since it holds the robot's key") {
  const auto channel = MakeChannel(Config("wecom", "ftp://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a1b2c3d4e5f6"));
  REQUIRE_FALSE(channel.ok());
  CHECK(channel.status().ToString().find("a1b2c3d4e5f6") == std::string::npos);
}

TEST_CASE("an smtp channel needs a sender and recipients with plain addresses") {
  ChannelConfig config = SmtpConfig();
  config.from = "";
  RequireInvalid(config, "from");
  config = SmtpConfig();
  config.from = "Office <office@gaoqiao.example>";
  RequireInvalid(config, "from");
  config = SmtpConfig();
  config.to.clear();
  RequireInvalid(config, "to");
  config = SmtpConfig();
  config.to.push_back("school@gaoqiao.example\r\nBcc: everyone@example.com");
  RequireInvalid(config, "to");
  config = SmtpConfig();
  config.username = "office";
  RequireInvalid(config, "password");
  config = SmtpConfig();
  config.password = "hunter22";
  RequireInvalid(config, "username");
}

TEST_CASE("a mention that is not a mobile number is refused") {
  ChannelConfig config = Config("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=t0k3n-0123456789");
  config.mention_mobiles = {"13800000000", "@all"};
  RequireInvalid(config, "mention_mobiles");
}

TEST_CASE("each channel states the rate limit its receiver enforces") {
  struct Case {
    ChannelConfig config;
    int per_minute;
    int per_second;
  };
  const Case cases[] = {
      {Config("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k3y-0123456789"), 20, 0},
      {Config("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=t0k3n-0123456789"), 20, 0},
      {Config("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/h00k-0123456789"), 100, 5},
      {Config("webhook", "https://hooks.gaoqiao.example/rectify"), 0, 0},
      {SmtpConfig(), 0, 0},
      {SmsConfig(), 1, 0},
  };
  for (const Case& c : cases) {
    INFO(c.config.type);
    const auto channel = Make(c.config);
    CHECK(channel->Limit().per_minute == c.per_minute);
    CHECK(channel->Limit().per_second == c.per_second);
  }
}

TEST_CASE("targets tell robots apart without showing their keys or secrets") {
  ChannelConfig first = Config("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=first-token-0123456789");
  first.secret = "SECfirst-secret-0123456789";
  ChannelConfig second = first;
  second.url = "https://oapi.dingtalk.com/robot/send?access_token=second-token-0123456789";
  const std::string a = Make(first)->Target();
  const std::string b = Make(second)->Target();
  CHECK(a != b);
  CHECK(a == Make(first)->Target());
  CHECK(a.rfind("dingtalk:oapi.dingtalk.com#", 0) == 0);
  CHECK(a.find("first-token") == std::string::npos);
  CHECK(a.find("SECfirst") == std::string::npos);

  ChannelConfig smtp = SmtpConfig();
  smtp.url = "smtps://office:hunter22@mail.gaoqiao.example:465";
  smtp.username = "office";
  smtp.password = "hunter22";
  const std::string target = Make(smtp)->Target();
  CHECK(target.rfind("smtp:mail.gaoqiao.example:465#", 0) == 0);
  CHECK(target.find("hunter22") == std::string::npos);
}

TEST_CASE("the DingTalk and Feishu signatures match independently computed values") {
  // Computed with Python's hmac, hashlib and base64 modules.
  CHECK(notifier::DingTalkSignature("SECtest-secret", 1635296400000) == "XTLC2tIsOvmQPm0BED8WVRo6PE9WzMxIGa+eCNXGBUA=");
  CHECK(notifier::UrlEncode("XTLC2tIsOvmQPm0BED8WVRo6PE9WzMxIGa+eCNXGBUA=") ==
        "XTLC2tIsOvmQPm0BED8WVRo6PE9WzMxIGa%2BeCNXGBUA%3D");
  CHECK(notifier::FeishuSignature("feishu-test", 1635296400) == "r0zz/teIbk8j7pKJRZDBWQxihY9Y6fhTmNdDVDzbd8U=");
}

TEST_CASE("a signed DingTalk message carries its millisecond timestamp and sign as URL parameters") {
  ChannelConfig config = Config("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=t0k3n-0123456789");
  config.secret = "SECtest-secret";
  const auto channel = Make(config);
  const std::vector<std::string> messages = channel->Render(SchoolDigest());
  REQUIRE(messages.size() == 1);
  const notifier::Payload payload = channel->Wrap(messages[0], "outbox-17", 1635296400);
  CHECK(payload.url_params == "timestamp=1635296400000&sign=XTLC2tIsOvmQPm0BED8WVRo6PE9WzMxIGa%2BeCNXGBUA%3D");
  const json body = json::parse(payload.body);
  CHECK(body["msgtype"] == "markdown");
  CHECK(body["markdown"]["title"] == "【高桥镇巩固脱贫攻坚成果秋季攻势行动】镇中心校：逾期 3 项，即将到期 2 项");
  CHECK(body["markdown"]["text"] == messages[0]);
  CHECK_FALSE(body.contains("at"));
}

TEST_CASE("an unsigned robot gets no signature") {
  const auto channel = Make(Config("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=t0k3n-0123456789"));
  CHECK(channel->Wrap(channel->Render(SchoolDigest())[0], "k", kNow).url_params.empty());
  const auto feishu = Make(Config("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/h00k-0123456789"));
  const json body = json::parse(feishu->Wrap(feishu->Render(SchoolDigest())[0], "k", kNow).body);
  CHECK_FALSE(body.contains("sign"));
  CHECK_FALSE(body.contains("timestamp"));
}

TEST_CASE("WeCom mentions by mobile in a text message on the first part only") {
  ChannelConfig config = Config("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k3y-0123456789");
  config.mention_mobiles = {"13800000000"};
  const auto channel = Make(config);
  const std::vector<std::string> messages = channel->Render(LargeDigest(40));
  REQUIRE(messages.size() >= 2);
  const json first = json::parse(channel->Wrap(messages[0], "k-1", kNow).body);
  CHECK(first["msgtype"] == "text");
  CHECK(first["text"]["mentioned_mobile_list"] == json::array({"13800000000"}));
  CHECK(first["text"]["content"].get<std::string>().size() <= 2048);
  const json second = json::parse(channel->Wrap(messages[1], "k-2", kNow).body);
  CHECK_FALSE(second["text"].contains("mentioned_mobile_list"));

  const auto plain = Make(Config("wecom", config.url));
  CHECK(json::parse(plain->Wrap(plain->Render(SchoolDigest())[0], "k", kNow).body)["msgtype"] == "markdown");
}

TEST_CASE("an e-mail subject is UTF-8 encoded-words that never split a character") {
  const std::string subject = "【高桥镇巩固脱贫攻坚成果秋季攻势行动】镇中心校：逾期 3 项，即将到期 2 项";
  const std::string encoded = notifier::EncodeHeaderWords(subject);
  std::string decoded;
  std::size_t words = 0;
  for (std::size_t pos = 0; (pos = encoded.find("=?UTF-8?B?", pos)) != std::string::npos; ++words) {
    const std::size_t end = encoded.find("?=", pos + 10);
    REQUIRE(end != std::string::npos);
    CHECK(end + 2 - pos <= 64);
    const std::string text = DecodeBase64(encoded.substr(pos + 10, end - pos - 10));
    CHECK(IsValidUtf8(text));  // whole characters in every word
    decoded += text;
    pos = end + 2;
  }
  CHECK(decoded == subject);
  CHECK(words >= 2);
  CHECK(encoded.find("?=\r\n =?UTF-8?B?") != std::string::npos);
  CHECK(notifier::EncodeHeaderWords("【高桥镇】督办") == "=?UTF-8?B?44CQ6auY5qGl6ZWH44CR552j5Yqe?=");
}

TEST_CASE("an e-mail's Message-ID follows from its idempotency key") {
  CHECK(notifier::MessageIdFor("outbox-17", "office@gaoqiao.example") ==
        "<0f0ae233ba7d592fd9f0dd2b6570d840@gaoqiao.example>");
  CHECK(notifier::MessageIdFor("outbox-18", "office@gaoqiao.example") !=
        notifier::MessageIdFor("outbox-17", "office@gaoqiao.example"));
  CHECK(notifier::MailDate(At("2021-10-26T17:30:05+08:00")) == "Tue, 26 Oct 2021 17:30:05 +0800");
  CHECK(notifier::MailDate(At("2021-10-03T00:00:00+08:00")) == "Sun, 3 Oct 2021 00:00:00 +0800");
}

}  // namespace rectify::testing

namespace rectify::testing {

TEST_CASE("an sms channel needs its AccessKey, approved sign name and template, and mobile numbers") {
  Make(SmsConfig());
  const std::pair<const char*, void (*)(ChannelConfig&)> cases[] = {
      {"access_key_id", [](ChannelConfig& c) { c.access_key_id.clear(); }},
      {"access_key_id", [](ChannelConfig& c) { c.access_key_id = "LTAI key"; }},
      {"secret", [](ChannelConfig& c) { c.secret.clear(); }},
      {"sign_name", [](ChannelConfig& c) { c.sign_name.clear(); }},
      {"template_code", [](ChannelConfig& c) { c.template_code.clear(); }},
      {"phone_numbers", [](ChannelConfig& c) { c.phone_numbers.clear(); }},
      {"phone_numbers", [](ChannelConfig& c) { c.phone_numbers = {"138-0000-0001"}; }},
      {"phone_numbers", [](ChannelConfig& c) { c.phone_numbers = {"13800000001,13900000002"}; }},
      {"number_limits", [](ChannelConfig& c) { c.number_limits.per_day = -1; }},
      {"url", [](ChannelConfig& c) { c.url = "smtp://dysmsapi.aliyuncs.com"; }},
  };
  for (const auto& [field, spoil] : cases) {
    ChannelConfig config = SmsConfig();
    spoil(config);
    INFO(field);
    RequireInvalid(config, field);
  }
}

TEST_CASE("an sms channel is limited per number as the channel file says, Aliyun's defaults otherwise") {
  ChannelConfig config = SmsConfig();
  config.phone_numbers = {"13800000001", "13900000002"};
  const auto defaults = Make(config);
  CHECK(defaults->Limit().per_minute == 1);
  CHECK(defaults->Limit().per_hour == 5);
  CHECK(defaults->Limit().per_day == 10);
  CHECK(defaults->LimitKeys() == std::vector<std::string>{"sms-number:13800000001", "sms-number:13900000002"});
  config.number_limits = {2, 20, 40};
  const auto raised = Make(config);
  CHECK(raised->Limit().per_minute == 2);
  CHECK(raised->Limit().per_hour == 20);
  CHECK(raised->Limit().per_day == 40);
  // The gateway's refusal names its period; the number is locked that long.
  CHECK(raised->LockoutFor(Status::ResourceExhausted("sms: HTTP 200: isv.BUSINESS_LIMIT_CONTROL: 触发天级流控Permits:10")) == 86400);
  CHECK(raised->LockoutFor(Status::ResourceExhausted("sms: HTTP 200: isv.BUSINESS_LIMIT_CONTROL: 触发小时级流控Permits:5")) == 3600);
  CHECK(raised->LockoutFor(Status::ResourceExhausted("sms: HTTP 200: isv.BUSINESS_LIMIT_CONTROL: 触发分钟级流控Permits:1")) == 60);
}

TEST_CASE("an sms request carries Aliyun's V3 signature over its headers and body, matching an independent computation") {
  const auto channel = Make(SmsConfig());
  const std::vector<std::string> messages = channel->Render(SchoolDigest());
  REQUIRE(messages.size() == 1);
  const notifier::Payload payload = channel->Wrap(messages[0], "outbox-17/1", At("2026-11-29T17:48:29Z"));
  CHECK(payload.content_type == "application/x-www-form-urlencoded");
  std::map<std::string, std::string> headers;
  for (const std::string& line : payload.headers) {
    const std::size_t colon = line.find(": ");
    REQUIRE(colon != std::string::npos);
    headers[line.substr(0, colon)] = line.substr(colon + 2);
  }
  CHECK(headers.at("x-acs-date") == "2026-11-29T17:48:29Z");
  CHECK(headers.at("x-acs-action") == "SendSms");
  CHECK(headers.at("x-acs-version") == "2017-05-25");
  CHECK(headers.at("host") == "dysmsapi.aliyuncs.com");
  CHECK(headers.at("x-acs-content-sha256") == HexSha256(payload.body));
  const std::string signed_headers =
      "content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version";
  const std::string canonical = "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:dysmsapi.aliyuncs.com\n"
                                "x-acs-action:SendSms\nx-acs-content-sha256:" + HexSha256(payload.body) +
                                "\nx-acs-date:2026-11-29T17:48:29Z\nx-acs-signature-nonce:" +
                                headers.at("x-acs-signature-nonce") + "\nx-acs-version:2017-05-25\n\n" + signed_headers +
                                "\n" + HexSha256(payload.body);
  const std::string signature = HexHmacSha256("sms-secret-0123456789", "ACS3-HMAC-SHA256\n" + HexSha256(canonical));
  CHECK(headers.at("Authorization") == "ACS3-HMAC-SHA256 Credential=LTAI5tExampleKey,SignedHeaders=" + signed_headers +
                                           ",Signature=" + signature);
  // The body is SendSms's form, RFC 3986-encoded; the template's variables go as JSON.
  CHECK(payload.body.rfind("PhoneNumbers=13800000001&SignName=%E9%AB%98", 0) == 0);
  CHECK(payload.body.find("&TemplateCode=SMS_465872001&TemplateParam=%7B%22") != std::string::npos);
  CHECK(json::parse(messages[0])["unit"] == "镇中心校");
  // A retry signs anew with another nonce: the gateway refuses a nonce it has seen.
  const notifier::Payload retry = channel->Wrap(messages[0], "outbox-17/1", At("2026-11-29T17:49:29Z"));
  CHECK(retry.headers != payload.headers);
}

}  // namespace rectify::testing

namespace rectify::testing {

TEST_CASE("a channel's id is the one configured, else its type and a hash that stays when the file is reordered") {
  ChannelConfig robot = Config("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=t0k3n-0123456789");
  const std::string derived = Make(robot)->Id();
  CHECK(derived.rfind("dingtalk-", 0) == 0);
  CHECK(derived.size() == std::string("dingtalk-").size() + 12);
  CHECK(Make(robot)->Id() == derived);  // the same receiver, the same id
  CHECK(derived.find("t0k3n") == std::string::npos);
  ChannelConfig other = robot;
  other.url += "0";
  CHECK(Make(other)->Id() != derived);
  robot.id = "school-group";
  CHECK(Make(robot)->Id() == "school-group");
  for (const char* bad : {"School", "a#b", "a|b", "position:0", "这个"}) {
    INFO(bad);
    robot.id = bad;
    RequireInvalid(robot, "id");
  }
}

}  // namespace rectify::testing
