// WeCom (企业微信) group robot. The key in its URL is the credential; nothing is signed.
// Markdown (≤ 4096 bytes of content) reads best, but markdown cannot @ anyone by mobile, so
// with mention_mobiles the channel sends text (≤ 2048 bytes) with mentioned_mobile_list.
#include <nlohmann/json.hpp>

#include "notifier/channel_impls.h"
#include "notifier/digest_renderer.h"
#include "notifier/http_client.h"
#include "notifier/receiver_reply.h"

namespace rectify::notifier {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxMarkdownBytes = 4096;
constexpr std::size_t kMaxTextBytes = 2048;

class WeComChannel final : public Channel {
 public:
  explicit WeComChannel(ChannelContext context) : context_(std::move(context)) {}

  std::vector<std::string> Render(const Digest& digest) const override {
    if (!UsesText()) {
      return RenderDigest(digest, Markup::kMarkdown, PackLimits{kMaxMarkdownBytes, kMaxRobotParts, {}});
    }
    MessageLayout layout = DigestLayout(digest, Markup::kPlain);
    layout.first_part_footer = MentionLine(context_.config.mention_mobiles);
    return PackMessages(layout, PackLimits{kMaxTextBytes, kMaxRobotParts, {}});
  }

  Payload Wrap(const std::string& message, const std::string& idempotency_key, Instant) const override {
    json body;
    if (UsesText()) {
      body = {{"msgtype", "text"}, {"text", {{"content", message}}}};
      const std::vector<std::string> mentioned = MentionedIn(message, context_.config.mention_mobiles);
      if (!mentioned.empty()) body["text"]["mentioned_mobile_list"] = mentioned;
    } else {
      body = {{"msgtype", "markdown"}, {"markdown", {{"content", message}}}};
    }
    return Payload{idempotency_key, body.dump(), "application/json", "", {}};
  }

  Status Deliver(const Payload& payload) const override {
    auto reply = HttpPostJson(context_.config.url, payload.body, {}, context_.target);
    if (!reply.ok()) return reply.status();
    return CheckReply(*reply, ReplyConvention::kRobotErrcode, context_.target, context_.secrets);
  }

  RateLimit Limit() const override { return {20, 0}; }
  std::string Target() const override { return context_.target; }
  std::string Id() const override { return context_.id; }

 private:
  bool UsesText() const { return !context_.config.mention_mobiles.empty(); }

  ChannelContext context_;
};

}  // namespace

std::unique_ptr<Channel> NewWeComChannel(ChannelContext context) {
  return std::make_unique<WeComChannel>(std::move(context));
}

}  // namespace rectify::notifier
