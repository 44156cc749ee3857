// A generic JSON webhook: the digest as data, for systems that do their own rendering, plus
// the rendered text for those that only show it. One message, no size limit; the receiver
// deduplicates by the Idempotency-Key header (also in the body).
#include <nlohmann/json.hpp>

#include "notifier/channel_impls.h"
#include "notifier/digest_renderer.h"
#include "notifier/http_client.h"
#include "notifier/receiver_reply.h"
#include "engine/text.h"

namespace rectify::notifier {
namespace {

using nlohmann::json;

json ItemJson(const DigestItem& item) {
  json out = {{"id", item.id},
              {"kind", CleanLine(item.kind)},
              {"campaign", CleanLine(item.campaign_name)},
              {"title", CleanLine(item.title)},
              {"area", CleanLine(item.area_name)},
              {"unit", CleanLine(item.unit_name)},
              {"deadline", FormatInstant(item.deadline)},
              {"deadline_label", CleanLine(item.deadline_label)},
              {"link", CleanLine(item.link)},
              {"tier", item.tier_name.empty() ? json(nullptr) : json(CleanLine(item.tier_name))},
              {"awaits_sign_for", item.awaits_sign_for},
              {"ask", CleanLine(item.ask)},
              {"supervision", item.supervision.empty() ? json(nullptr) : json(CleanLine(item.supervision))}};
  out["cannot_finish_since"] = item.cannot_finish_since ? json(FormatDate(*item.cannot_finish_since)) : json(nullptr);
  if (item.overdue)
    out["working_days_overdue"] = item.working_days_overdue;
  else
    out["working_days_left"] = item.working_days_left;
  return out;
}

json ItemsJson(const std::vector<DigestItem>& items) {
  json out = json::array();
  for (const DigestItem& item : items) out.push_back(ItemJson(item));
  return out;
}

json FullListsJson(const std::vector<CampaignLink>& pages) {
  json out = json::array();
  for (const CampaignLink& page : pages)
    out.push_back({{"campaign", CleanLine(page.campaign_name)}, {"link", CleanLine(page.link)}});
  return out;
}

class WebhookChannel final : public Channel {
 public:
  explicit WebhookChannel(ChannelContext context) : context_(std::move(context)) {}

  std::vector<std::string> Render(const Digest& digest) const override {
    const json message = {
        {"audience", digest.audience == Digest::Audience::kSupervisors ? "supervisors" : "unit"},
        {"campaign", CleanLine(digest.campaign_name)},
        {"unit", {{"id", CleanLine(digest.unit_id)}, {"name", CleanLine(digest.unit_name)}}},
        {"as_of", FormatInstant(digest.as_of)},
        {"overdue", ItemsJson(digest.overdue)},
        {"due_soon", ItemsJson(digest.due_soon)},
        {"undeliverable_units", digest.undeliverable_units},
        {"overdue_unlisted", digest.overdue_unlisted},
        {"due_soon_unlisted", digest.due_soon_unlisted},
        {"unlisted_by_unit", digest.unlisted_by_unit},
        {"full_lists", FullListsJson(digest.full_lists)},
        {"text", RenderDigest(digest, Markup::kPlain, PackLimits{}).front()},
    };
    return {message.dump()};
  }

  Payload Wrap(const std::string& message, const std::string& idempotency_key, Instant) const override {
    json body = json::parse(message);
    body["idempotency_key"] = idempotency_key;
    return Payload{idempotency_key, body.dump(), "application/json", "", {}};
  }

  Status Deliver(const Payload& payload) const override {
    auto reply = HttpPostJson(context_.config.url, payload.body,
                              {"Idempotency-Key: " + CleanLine(payload.idempotency_key)}, context_.target);
    if (!reply.ok()) return reply.status();
    return CheckReply(*reply, ReplyConvention::kHttpStatus, context_.target, context_.secrets);
  }

  RateLimit Limit() const override { return {}; }
  std::string Target() const override { return context_.target; }
  std::string Id() const override { return context_.id; }

 private:
  ChannelContext context_;
};

}  // namespace

std::unique_ptr<Channel> NewWebhookChannel(ChannelContext context) {
  return std::make_unique<WebhookChannel>(std::move(context));
}

}  // namespace rectify::notifier
