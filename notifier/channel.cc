// MakeChannel: validates a channel's config and derives its target and secrets.
#include "notifier/channel.h"

#include "notifier/channel_impls.h"
#include "notifier/signing.h"

namespace rectify::notifier {
namespace {

// Query values and path segments at least this long may be keys (WeCom's key, DingTalk's
// access_token, Feishu's hook id) and are blanked out of error messages.
constexpr std::size_t kMinKeyLength = 8;
constexpr std::size_t kTargetHashChars = 12;

struct UrlParts {
  std::string scheme;    // "https"
  std::string userinfo;  // "user:pass" from "smtp://user:pass@host"
  std::string host;      // "oapi.dingtalk.com" or "127.0.0.1:8025"
  std::string rest;      // path, query and fragment
};

UrlParts SplitUrl(const std::string& url) {
  UrlParts parts;
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return parts;
  parts.scheme = url.substr(0, scheme_end);
  const std::size_t authority_start = scheme_end + 3;
  const std::size_t authority_end = url.find_first_of("/?#", authority_start);
  std::string authority = url.substr(authority_start, authority_end - authority_start);
  const std::size_t at = authority.rfind('@');
  if (at != std::string::npos) {
    parts.userinfo = authority.substr(0, at);
    authority.erase(0, at + 1);
  }
  parts.host = authority;
  if (authority_end != std::string::npos) parts.rest = url.substr(authority_end);
  return parts;
}

// Every piece of the URL that might be a key: the userinfo, long path segments, long values.
std::vector<std::string> UrlSecrets(const UrlParts& url) {
  std::vector<std::string> secrets;
  if (!url.userinfo.empty()) secrets.push_back(url.userinfo);
  std::string piece;
  for (const char c : url.rest + "/") {
    if (c == '/' || c == '?' || c == '&' || c == '=' || c == '#') {
      if (piece.size() >= kMinKeyLength) secrets.push_back(piece);
      piece.clear();
    } else {
      piece += c;
    }
  }
  return secrets;
}

bool HasControlOrSpace(const std::string& text) {
  for (const char c : text)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) return true;
  return false;
}

// A bare address: something@domain, with nothing that could end a header or an SMTP command.
bool IsMailAddress(const std::string& address) {
  const std::size_t at = address.find('@');
  return at != std::string::npos && at > 0 && at + 1 < address.size() &&
         address.find('@', at + 1) == std::string::npos && !HasControlOrSpace(address) &&
         address.find_first_of("<>,;\"()[]\\") == std::string::npos;
}

bool IsMobile(const std::string& mobile) {
  if (mobile.empty() || mobile.size() > 20) return false;
  for (std::size_t i = 0; i < mobile.size(); ++i) {
    const char c = mobile[i];
    if (!((c >= '0' && c <= '9') || (i == 0 && c == '+') || (i > 0 && c == '-'))) return false;
  }
  return true;
}

// The gateway takes the request only signed by an AccessKey, and texts only an approved sign
// name and template.
Status ValidateSms(const ChannelConfig& config) {
  if (config.access_key_id.empty()) return Status::InvalidArgument("access_key_id", "required for an sms channel");
  if (config.secret.empty()) return Status::InvalidArgument("secret", "the AccessKey secret is required for an sms channel");
  if (config.sign_name.empty()) return Status::InvalidArgument("sign_name", "the approved sign name (签名) is required");
  if (config.template_code.empty())
    return Status::InvalidArgument("template_code", "the approved template's code (SMS_…) is required");
  for (const std::string* value : {&config.access_key_id, &config.template_code})
    if (HasControlOrSpace(*value))
      return Status::InvalidArgument(value == &config.access_key_id ? "access_key_id" : "template_code",
                                     "must not contain spaces or control characters");
  if (config.phone_numbers.empty())
    return Status::InvalidArgument("phone_numbers", "at least one number is required for an sms channel");
  for (const std::string& number : config.phone_numbers)
    if (!IsMobile(number) || number.find('-') != std::string::npos)
      return Status::InvalidArgument("phone_numbers", "\"" + number + "\" is not a mobile number");
  const SmsNumberLimits& limits = config.number_limits;
  if (limits.per_minute < 0 || limits.per_hour < 0 || limits.per_day < 0)
    return Status::InvalidArgument("number_limits", "limits are counts: 0 (none) or more");
  return Status::Ok();
}

// An id names the channel in outbox rows and keys: short, and nothing that separates their parts.
bool IsChannelId(const std::string& id) {
  if (id.empty() || id.size() > 40) return false;
  for (const char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  return true;
}

Status Validate(const ChannelConfig& config, const UrlParts& url) {
  static const std::vector<std::string> kTypes = {"webhook", "wecom", "dingtalk", "feishu", "smtp", "sms"};
  bool known = false;
  for (const std::string& type : kTypes) known = known || config.type == type;
  if (!known)
    return Status::InvalidArgument(
        "type", "unknown channel type \"" + config.type + "\"; expected webhook, wecom, dingtalk, feishu, smtp or sms");
  if (!config.id.empty() && !IsChannelId(config.id))
    return Status::InvalidArgument("id", "\"" + config.id + "\" is not a channel id: at most 40 of a-z, 0-9, _ and -");
  // The URL is never quoted back: it holds the robot's key.
  if (config.url.empty()) return Status::InvalidArgument("url", "required for a " + config.type + " channel");
  const bool smtp = config.type == "smtp";
  const bool scheme_ok =
      smtp ? (url.scheme == "smtp" || url.scheme == "smtps") : (url.scheme == "https" || url.scheme == "http");
  if (!scheme_ok || url.host.empty() || HasControlOrSpace(config.url))
    return Status::InvalidArgument("url", smtp ? "must be smtp://host:port or smtps://host:port"
                                               : "must be an http:// or https:// URL with a host");
  for (const std::string& mobile : config.mention_mobiles)
    if (!IsMobile(mobile))
      return Status::InvalidArgument("mention_mobiles", "\"" + mobile + "\" is not a mobile number");
  if (config.type == "sms") return ValidateSms(config);
  if (!smtp) return Status::Ok();

  if (config.from.empty()) return Status::InvalidArgument("from", "required for an smtp channel");
  if (!IsMailAddress(config.from))
    return Status::InvalidArgument("from", "\"" + config.from + "\" is not a bare e-mail address");
  if (config.to.empty()) return Status::InvalidArgument("to", "at least one recipient is required for an smtp channel");
  for (const std::string& to : config.to)
    if (!IsMailAddress(to)) return Status::InvalidArgument("to", "\"" + to + "\" is not a bare e-mail address");
  if (!config.username.empty() && config.password.empty())
    return Status::InvalidArgument("password", "required when username is set");
  if (config.username.empty() && !config.password.empty())
    return Status::InvalidArgument("username", "required when password is set");
  return Status::Ok();
}

}  // namespace

std::string MentionLine(const std::vector<std::string>& mobiles) {
  std::string line;
  for (const std::string& mobile : mobiles) line += (line.empty() ? "@" : " @") + mobile;
  return line;
}

std::vector<std::string> MentionedIn(const std::string& message, const std::vector<std::string>& mobiles) {
  std::vector<std::string> mentioned;
  for (const std::string& mobile : mobiles)
    if (message.find("@" + mobile) != std::string::npos) mentioned.push_back(mobile);
  return mentioned;
}

std::string ChannelKey(const std::string& unit, const Channel& channel) { return unit + "#" + channel.Id(); }

// MakeChannel writes every target as "<type>:<host>#<hash>".
std::string ChannelType(const Channel& channel) {
  const std::string target = channel.Target();
  return target.substr(0, target.find(':'));
}

Result<std::unique_ptr<Channel>> MakeChannel(const ChannelConfig& config) {
  const UrlParts url = SplitUrl(config.url);
  RECTIFY_RETURN_IF_ERROR(Validate(config, url));

  ChannelContext context;
  context.config = config;
  // Two units on one robot share its limit; two robots on one host do not. The hash tells
  // robots apart without showing their keys.
  std::string identity = config.url;
  if (config.type == "smtp") {
    identity += "\n" + config.from;
    for (const std::string& to : config.to) identity += "\n" + to;
  }
  if (config.type == "sms") {
    identity += "\n" + config.access_key_id + "\n" + config.sign_name + "\n" + config.template_code;
    for (const std::string& number : config.phone_numbers) identity += "\n" + number;
  }
  const std::string hash = Sha256Hex(identity).substr(0, kTargetHashChars);
  context.target = config.type + ":" + url.host + "#" + hash;
  context.id = config.id.empty() ? config.type + "-" + hash : config.id;
  context.host = url.host;
  context.secrets = UrlSecrets(url);
  for (const std::string* secret : {&config.secret, &config.password})
    if (!secret->empty()) context.secrets.push_back(*secret);

  if (config.type == "webhook") return NewWebhookChannel(std::move(context));
  if (config.type == "wecom") return NewWeComChannel(std::move(context));
  if (config.type == "dingtalk") return NewDingTalkChannel(std::move(context));
  if (config.type == "feishu") return NewFeishuChannel(std::move(context));
  if (config.type == "sms") return NewSmsChannel(std::move(context));
  return NewSmtpChannel(std::move(context));
}

}  // namespace rectify::notifier
