// Where a unit reads its messages: a generic JSON webhook, a WeCom (企业微信) group robot, a
// DingTalk (钉钉) robot, a Feishu (飞书) bot, or e-mail over SMTP. A Channel renders a Digest in
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
struct ChannelConfig {
  std::string type;    // "webhook", "wecom", "dingtalk", "feishu", "smtp"
  std::string url;     // webhook/robot URL (the WeCom key is part of it); smtp: "smtp://host:port"
  std::string secret;  // DingTalk / Feishu signing secret; empty when the robot is not signed
  std::vector<std::string> mention_mobiles;  // @ these people (WeCom text, DingTalk at.atMobiles)
  // smtp only
  std::string from;
  std::vector<std::string> to;
  std::string username;
  std::string password;
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
};

struct RateLimit {
  int per_minute = 0;  // 0: unlimited
  int per_second = 0;
  // How long the receiver locks the robot once it answers "too many messages" (DingTalk: 10
  // minutes); the notifier sends nothing to it meanwhile.
  Instant lockout = 60;
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

  // A stable key for rate limiting and logs, without secrets ("dingtalk:oapi.dingtalk.com/…").
  virtual std::string Target() const = 0;
};

// kInvalidArgument naming the field when the config is incomplete or the type unknown.
Result<std::unique_ptr<Channel>> MakeChannel(const ChannelConfig& config);

}  // namespace rectify::notifier
