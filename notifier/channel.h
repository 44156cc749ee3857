// Where a unit reads its messages: a generic JSON webhook, a WeCom (企业微信) group robot, a
// DingTalk (钉钉) robot, a Feishu (飞书) bot, e-mail over SMTP, or SMS through Aliyun's SendSms
// (for cadres who read no robot group). A Channel renders a Digest in
// its own format within its size limit and delivers it once; retries, backoff, rate limits and
// the notification log belong to the outbox sender, not here.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/status.h"
#include "engine/time.h"
#include "notifier/digest.h"

namespace rectify::notifier {

// A channel as configured for a unit (in the deployment's channel file; secrets never logged).
// The limits one phone number is held to by the SMS gateway (Aliyun's flow control; its defaults).
struct SmsNumberLimits {
  int per_minute = 1;
  int per_hour = 5;
  int per_day = 10;
};

struct ChannelConfig {
  std::string type;    // "webhook", "wecom", "dingtalk", "feishu", "smtp", "sms"
  // The channel's stable name among its unit's channels ([a-z0-9_-], at most 40), by which the
  // outbox rows name it; empty: derived from the type and a hash of what identifies the receiver
  // (ChannelKey), so reordering the channel file changes nothing.
  std::string id;
  // webhook/robot URL (the WeCom key is part of it); smtp: "smtp://host:port"; sms: the
  // gateway's endpoint ("https://dysmsapi.aliyuncs.com/")
  std::string url;
  // DingTalk / Feishu signing secret (empty when the robot is not signed); sms: the AccessKey secret
  std::string secret;
  std::vector<std::string> mention_mobiles;  // @ these people (WeCom text, DingTalk at.atMobiles)
  // smtp only
  std::string from;
  std::vector<std::string> to;
  std::string username;
  std::string password;
  // sms only: the AccessKey that signs the request, the pre-approved sign name (签名) and
  // template (模板), the numbers texted, and the limits each number is held to
  std::string access_key_id;
  std::string sign_name;
  std::string template_code;
  std::vector<std::string> phone_numbers;
  SmsNumberLimits number_limits;
};

// One rendered message, ready to deliver. `idempotency_key` is stable across retries of the
// same message (the outbox row's key); receivers that support it get it as a header or field.
struct Payload {
  std::string idempotency_key;
  std::string body;          // the exact bytes to send (JSON for robots and webhooks, MIME for SMTP)
  std::string content_type;  // "application/json" or "message/rfc822"
  // Query parameters Deliver appends to the channel's URL, computed with the body at Wrap
  // time: DingTalk's "timestamp=…&sign=…". Empty for the other channels.
  std::string url_params;
  // Headers ("Name: value") Deliver sends, computed with the body at Wrap time: the SMS
  // gateway's signed request. Empty for the other channels.
  std::vector<std::string> headers;
};

struct RateLimit {
  int per_minute = 0;  // 0: unlimited
  int per_second = 0;
  // How long the receiver locks the robot once it answers "too many messages" (DingTalk: 10
  // minutes); the notifier sends nothing to it meanwhile.
  Instant lockout = 60;
  int per_hour = 0;  // the SMS gateway also counts by the hour and by the day
  int per_day = 0;
};

class Channel {
 public:
  virtual ~Channel() = default;

  // Renders `digest` as one or more messages, each within the channel's size limit. A digest
  // too long for one message is split, or truncated with "…等N项" where splitting would spam.
  virtual std::vector<std::string> Render(const Digest& digest) const = 0;

  // Wraps one rendered message for delivery at `now` (signatures are computed here).
  virtual Payload Wrap(const std::string& message, const std::string& idempotency_key, Instant now) const = 0;

  // Delivers one payload. Ok only when the receiver accepted it (HTTP 2xx and, for robots,
  // errcode 0). A failure's message says what the receiver answered; never the secret.
  virtual Status Deliver(const Payload& payload) const = 0;

  // The limit the receiver enforces per robot/target (WeCom and DingTalk: 20 a minute).
  virtual RateLimit Limit() const = 0;

  // What Limit() counts: the robot itself ({Target()}), or for SMS each number texted (a number
  // in two units' channels is one number to the gateway). A send counts against every key.
  virtual std::vector<std::string> LimitKeys() const { return {Target()}; }

  // How long the keys stay locked after `refusal`, a kResourceExhausted answer from Deliver:
  // Limit().lockout, or what the answer itself says (SMS: a minute, an hour or a day).
  virtual Instant LockoutFor(const Status& refusal) const {
    static_cast<void>(refusal);
    return Limit().lockout;
  }

  // A stable key for rate limiting and logs, without secrets ("dingtalk:oapi.dingtalk.com/…").
  virtual std::string Target() const = 0;

  // The channel's id among its unit's channels (ChannelConfig::id, or "dingtalk-3f2a…" derived):
  // what an outbox row names, so a message goes to its channel however the file is reordered.
  virtual std::string Id() const = 0;
};

// kInvalidArgument naming the field when the config is incomplete or the type unknown.
Result<std::unique_ptr<Channel>> MakeChannel(const ChannelConfig& config);

// The channel's type as the channel file names it ("wecom", "dingtalk", "feishu", "smtp",
// "webhook", "sms"): the head of its Target().
std::string ChannelType(const Channel& channel);

// How an outbox row names a unit's channel: "village_1#dingtalk-3f2a9c01b7e4". Rows written
// before channels had ids name it by position, "village_1#position:0" (storage migration 11).
std::string ChannelKey(const std::string& unit, const Channel& channel);

}  // namespace rectify::notifier
