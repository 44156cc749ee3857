// Feishu (飞书) custom bot: a "post" message (rich text: a title, then one paragraph per line,
// with links clickable). The documented limit is a request body of 20 KB; parts are measured
// as the body they become, with room for the signature fields. A signed bot gets timestamp
// (seconds) and sign in the body.
#include <nlohmann/json.hpp>

#include "notifier/channel_impls.h"
#include "notifier/digest_renderer.h"
#include "notifier/http_client.h"
#include "notifier/receiver_reply.h"
#include "notifier/signing.h"

namespace rectify::notifier {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxBodyBytes = 20'000;
// "timestamp":"1635211800","sign":"<44 characters of base64>" with quotes and commas.
constexpr std::size_t kSignatureFieldsBytes = 100;

bool IsUrl(const std::string& text) {
  return (text.rfind("https://", 0) == 0 || text.rfind("http://", 0) == 0) && text.find(' ') == std::string::npos;
}

// The message's first line is the title; each further line a paragraph, a bare link as a link.
json PostBody(const std::string& message) {
  json paragraphs = json::array();
  std::size_t start = message.find('\n');
  const std::string title = message.substr(0, start);
  while (start != std::string::npos) {
    const std::size_t end = message.find('\n', start + 1);
    const std::string line = message.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
    const std::size_t indent = line.find_first_not_of(' ');
    const std::string trimmed = indent == std::string::npos ? "" : line.substr(indent);
    if (IsUrl(trimmed)) {
      paragraphs.push_back(
          {{{"tag", "text"}, {"text", line.substr(0, indent)}}, {{"tag", "a"}, {"text", trimmed}, {"href", trimmed}}});
    } else {
      paragraphs.push_back({{{"tag", "text"}, {"text", line}}});
    }
    start = end;
  }
  return {{"msg_type", "post"}, {"content", {{"post", {{"zh_cn", {{"title", title}, {"content", paragraphs}}}}}}}};
}

class FeishuChannel final : public Channel {
 public:
  explicit FeishuChannel(ChannelContext context) : context_(std::move(context)) {}

  std::vector<std::string> Render(const Digest& digest) const override {
    const auto measure = [](const std::string& message) {
      return PostBody(message).dump().size() + kSignatureFieldsBytes;
    };
    return RenderDigest(digest, Markup::kPlain, PackLimits{kMaxBodyBytes, kMaxRobotParts, measure});
  }

  Payload Wrap(const std::string& message, const std::string& idempotency_key, Instant now) const override {
    json body = PostBody(message);
    if (!context_.config.secret.empty()) {
      body["timestamp"] = std::to_string(now);
      body["sign"] = FeishuSignature(context_.config.secret, now);
    }
    return Payload{idempotency_key, body.dump(), "application/json", "", {}};
  }

  Status Deliver(const Payload& payload) const override {
    auto reply = HttpPostJson(context_.config.url, payload.body, {}, context_.target);
    if (!reply.ok()) return reply.status();
    return CheckReply(*reply, ReplyConvention::kFeishuCode, context_.target, context_.secrets);
  }

  RateLimit Limit() const override { return {100, 5}; }
  std::string Target() const override { return context_.target; }
  std::string Id() const override { return context_.id; }

 private:
  ChannelContext context_;
};

}  // namespace

std::unique_ptr<Channel> NewFeishuChannel(ChannelContext context) {
  return std::make_unique<FeishuChannel>(std::move(context));
}

}  // namespace rectify::notifier
