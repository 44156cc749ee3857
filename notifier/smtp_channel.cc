// E-mail: the plain text digest in one message of any length, its headline as the subject,
// and a Message-ID derived from the idempotency key so a repeated send is recognisable.
#include "notifier/channel_impls.h"
#include "notifier/digest_renderer.h"
#include "notifier/mime_message.h"
#include "notifier/smtp_client.h"

namespace rectify::notifier {
namespace {

class SmtpChannel final : public Channel {
 public:
  explicit SmtpChannel(ChannelContext context) : context_(std::move(context)) {}

  std::vector<std::string> Render(const Digest& digest) const override {
    return RenderDigest(digest, Markup::kPlain, PackLimits{});
  }

  Payload Wrap(const std::string& message, const std::string& idempotency_key, Instant now) const override {
    MailMessage mail;
    mail.from = context_.config.from;
    mail.to = context_.config.to;
    mail.subject = MessageTitle(message);
    mail.body = message;
    mail.idempotency_key = idempotency_key;
    mail.date = now;
    return Payload{idempotency_key, BuildMime(mail), "message/rfc822", "", {}};
  }

  Status Deliver(const Payload& payload) const override {
    const ChannelConfig& config = context_.config;
    return SmtpSend({config.url, config.from, config.to, config.username, config.password}, payload.body,
                    context_.target);
  }

  RateLimit Limit() const override { return {}; }
  std::string Target() const override { return context_.target; }
  std::string Id() const override { return context_.id; }

 private:
  ChannelContext context_;
};

}  // namespace

std::unique_ptr<Channel> NewSmtpChannel(ChannelContext context) {
  return std::make_unique<SmtpChannel>(std::move(context));
}

}  // namespace rectify::notifier
