// DingTalk (钉钉) robot: markdown with a title (the notification preview) and text. The hard
// limit is a 20000-byte request body (errcode 460101); the text is kept to 4000 bytes, which
// reads as one screen and stays far inside the body limit even when JSON escapes it. A signed
// robot gets timestamp (ms) and sign in the URL; an @-mention needs the mobile both in
// at.atMobiles and in the text, so the first part ends with "@mobile …".
#include <nlohmann/json.hpp>

#include "notifier/channel_impls.h"
#include "notifier/digest_renderer.h"
#include "notifier/http_client.h"
#include "notifier/receiver_reply.h"
#include "notifier/signing.h"
#include "engine/text.h"

namespace rectify::notifier {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxTextBytes = 4000;
constexpr std::size_t kMaxTitleBytes = 200;

class DingTalkChannel final : public Channel {
 public:
  explicit DingTalkChannel(ChannelContext context) : context_(std::move(context)) {}

  std::vector<std::string> Render(const Digest& digest) const override {
    MessageLayout layout = DigestLayout(digest, Markup::kMarkdown);
    layout.first_part_footer = MentionLine(context_.config.mention_mobiles);
    return PackMessages(layout, PackLimits{kMaxTextBytes, kMaxRobotParts, {}});
  }

  Payload Wrap(const std::string& message, const std::string& idempotency_key, Instant now) const override {
    json body = {{"msgtype", "markdown"},
                 {"markdown", {{"title", Utf8Ellipsize(MessageTitle(message), kMaxTitleBytes)}, {"text", message}}}};
    const std::vector<std::string> mentioned = MentionedIn(message, context_.config.mention_mobiles);
    if (!mentioned.empty()) body["at"] = {{"atMobiles", mentioned}, {"isAtAll", false}};
    std::string url_params;
    if (!context_.config.secret.empty()) {
      const std::int64_t timestamp_ms = now * 1000;
      url_params = "timestamp=" + std::to_string(timestamp_ms) +
                   "&sign=" + UrlEncode(DingTalkSignature(context_.config.secret, timestamp_ms));
    }
    return Payload{idempotency_key, body.dump(), "application/json", url_params, {}};
  }

  Status Deliver(const Payload& payload) const override {
    std::string url = context_.config.url;
    if (!payload.url_params.empty()) url += (url.find('?') == std::string::npos ? "?" : "&") + payload.url_params;
    auto reply = HttpPostJson(url, payload.body, {}, context_.target);
    if (!reply.ok()) return reply.status();
    return CheckReply(*reply, ReplyConvention::kRobotErrcode, context_.target, context_.secrets);
  }

  RateLimit Limit() const override { return {20, 0, 600}; }  // over 20 a minute locks it for 10 minutes
  std::string Target() const override { return context_.target; }
  std::string Id() const override { return context_.id; }

 private:
  ChannelContext context_;
};

}  // namespace

std::unique_ptr<Channel> NewDingTalkChannel(ChannelContext context) {
  return std::make_unique<DingTalkChannel>(std::move(context));
}

}  // namespace rectify::notifier
