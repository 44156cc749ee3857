// SMS through Aliyun's SendSms (dysmsapi, version 2017-05-25), for cadres who read no robot
// group. An SMS is a pre-approved template (模板) under a pre-approved sign name (签名), fixed
// text with ${variables}; rectify fills five short variables from the digest:
//   unit     the recipient's name                         镇中心校
//   overdue  how many items are overdue                   3
//   due      how many are due soon                        2
//   item     the most urgent one, and how many in all     待签收：某村一名适龄儿童辍学未劝返等5项
//   link     that item's page, or the unit's list (#/my) when there are several
// e.g. a template "${unit}：逾期${overdue}项、即将到期${due}项，${item}。详见${link}". Each
// variable but the link is cut to 35 characters (Aliyun's limit for a variable), so a long
// digest becomes one SMS that names the most urgent item and links to the page. The message
// stored in the outbox is this TemplateParam JSON.
//
// The request is a form POST signed with Aliyun's V3 signature (notifier/aliyun_signing.h). The
// gateway holds each number to a few messages a minute, an hour and a day (its flow control);
// rectify counts the same per number (SmsNumberLimits), and a number the gateway still refuses
// (isv.BUSINESS_LIMIT_CONTROL, "触发小时级流控Permits:5") is locked for that period.
#include <nlohmann/json.hpp>

#include "notifier/aliyun_signing.h"
#include "notifier/channel_impls.h"
#include "notifier/http_client.h"
#include "notifier/receiver_reply.h"
#include "notifier/signing.h"
#include "engine/text.h"

namespace rectify::notifier {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxParamChars = 35;
constexpr std::size_t kNonceChars = 32;
constexpr std::size_t kOutIdChars = 32;
constexpr const char* kFormType = "application/x-www-form-urlencoded";

bool StartsCharacter(char byte) { return (static_cast<unsigned char>(byte) & 0xC0) != 0x80; }

// `text` cut to `max` characters (not bytes), ending in "…" when cut.
std::string CutChars(const std::string& text, std::size_t max) {
  std::size_t count = 0;
  for (const char byte : text) count += StartsCharacter(byte) ? 1 : 0;
  if (count <= max) return text;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!StartsCharacter(text[i])) continue;
    if (chars + 1 == max) return text.substr(0, i) + "…";
    ++chars;
  }
  return text;
}

const DigestItem* MostUrgent(const Digest& digest) {
  if (!digest.overdue.empty()) return &digest.overdue.front();
  if (!digest.due_soon.empty()) return &digest.due_soon.front();
  return nullptr;
}

// The most urgent line, with how many there are in all when there are more: "…等5项".
std::string ItemParam(const Digest& digest) {
  const std::size_t count = OverdueCount(digest) + DueSoonCount(digest);  // listed or not
  const DigestItem* first = MostUrgent(digest);
  std::string subject;
  if (first != nullptr) {
    subject = CleanLine(first->title);
    if (first->awaits_sign_for) subject = "待签收：" + subject;
  } else if (!digest.undeliverable_units.empty()) {
    subject = "未配置消息渠道：" + CleanLine(digest.undeliverable_units.front());
  }
  const std::size_t others = first != nullptr ? count : digest.undeliverable_units.size();
  const std::string more = others > 1 ? "等" + std::to_string(others) + "项" : "";
  const std::size_t more_chars = others > 1 ? 2 + std::to_string(others).size() : 0;
  return CutChars(subject, kMaxParamChars - more_chars) + more;
}

// One item: its page; several: the unit's list in the same campaign page.
std::string LinkParam(const Digest& digest) {
  const DigestItem* first = MostUrgent(digest);
  if (first == nullptr) return {};
  if (OverdueCount(digest) + DueSoonCount(digest) == 1) return CleanLine(first->link);
  const std::string link = CleanLine(first->link);
  const std::size_t hash = link.find('#');
  return hash == std::string::npos ? link : link.substr(0, hash) + "#/my";
}

std::string FormField(const std::string& name, const std::string& value) { return name + "=" + UrlEncode(value); }

class SmsChannel final : public Channel {
 public:
  explicit SmsChannel(ChannelContext context) : context_(std::move(context)) {}

  std::vector<std::string> Render(const Digest& digest) const override {
    const json params = {{"unit", CutChars(CleanLine(digest.unit_name), kMaxParamChars)},
                         {"overdue", std::to_string(OverdueCount(digest))},
                         {"due", std::to_string(DueSoonCount(digest))},
                         {"item", ItemParam(digest)},
                         {"link", LinkParam(digest)}};
    return {params.dump()};
  }

  Payload Wrap(const std::string& message, const std::string& idempotency_key, Instant now) const override {
    const ChannelConfig& config = context_.config;
    std::string numbers;
    for (const std::string& number : config.phone_numbers) numbers += (numbers.empty() ? "" : ",") + number;
    AcsRequest request;
    request.body = FormField("PhoneNumbers", numbers) + "&" + FormField("SignName", config.sign_name) + "&" +
                   FormField("TemplateCode", config.template_code) + "&" + FormField("TemplateParam", message) + "&" +
                   FormField("OutId", Sha256Hex(idempotency_key).substr(0, kOutIdChars));
    request.headers["host"] = context_.host;
    request.headers["content-type"] = kFormType;
    // A retry is signed anew at its own time, so its nonce differs from the first attempt's.
    const std::string nonce = Sha256Hex(idempotency_key + "\n" + std::to_string(now)).substr(0, kNonceChars);
    AddAcsHeaders(request, "SendSms", "2017-05-25", now, nonce);
    Payload payload{idempotency_key, request.body, kFormType, {}, {}};
    payload.headers.push_back("Authorization: " + AcsAuthorization(request, config.access_key_id, config.secret));
    for (const auto& [name, value] : request.headers)
      if (name != "content-type") payload.headers.push_back(name + ": " + value);
    return payload;
  }

  Status Deliver(const Payload& payload) const override {
    auto reply = HttpPost(context_.config.url, payload.content_type, payload.body, payload.headers, context_.target);
    if (!reply.ok()) return reply.status();
    return CheckReply(*reply, ReplyConvention::kAliyunCode, context_.target, context_.secrets);
  }

  RateLimit Limit() const override {
    const SmsNumberLimits& limits = context_.config.number_limits;
    RateLimit limit;
    limit.per_minute = limits.per_minute;
    limit.per_hour = limits.per_hour;
    limit.per_day = limits.per_day;
    return limit;
  }

  std::vector<std::string> LimitKeys() const override {
    std::vector<std::string> keys;
    for (const std::string& number : context_.config.phone_numbers) keys.push_back("sms-number:" + number);
    return keys;
  }

  // The gateway names the period it counted in: 分钟级, 小时级 or 天级 (a day counted from now,
  // which errs on the side of waiting).
  Instant LockoutFor(const Status& refusal) const override {
    const std::string& text = refusal.message();
    if (text.find("天级") != std::string::npos) return 86400;
    if (text.find("小时级") != std::string::npos) return 3600;
    return 60;
  }

  std::string Target() const override { return context_.target; }
  std::string Id() const override { return context_.id; }

 private:
  ChannelContext context_;
};

}  // namespace

std::unique_ptr<Channel> NewSmsChannel(ChannelContext context) { return std::make_unique<SmsChannel>(std::move(context)); }

}  // namespace rectify::notifier
