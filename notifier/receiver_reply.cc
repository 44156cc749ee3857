#include "notifier/receiver_reply.h"

#include <nlohmann/json.hpp>

#include "engine/text.h"

namespace rectify::notifier {
namespace {

constexpr std::size_t kMaxExcerptBytes = 300;

using nlohmann::json;

std::string Excerpt(const std::string& body, const std::vector<std::string>& secrets) {
  return Utf8Ellipsize(CleanLine(Redact(body, secrets)), kMaxExcerptBytes);
}

const json* FindInteger(const json& body, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    const auto found = body.find(name);
    if (found != body.end() && found->is_number_integer()) return &*found;
  }
  return nullptr;
}

std::string MessageOf(const json& body) {
  for (const char* name : {"errmsg", "msg", "StatusMessage"}) {
    const auto found = body.find(name);
    if (found != body.end() && found->is_string()) return found->get<std::string>();
  }
  return {};
}

}  // namespace

std::string Redact(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (std::size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3))
      text.replace(pos, secret.size(), "***");
  }
  return text;
}

// The robots' "too many messages" answers: WeCom 45009, DingTalk 130101, Feishu 11232. Worth
// trying again later; every other non-zero code (a wrong key, a bad signature, a keyword the
// robot requires) will fail the same way however often it is sent.
bool IsRateLimitCode(long long code) { return code == 45009 || code == 130101 || code == 11232; }

// Aliyun's gateway names its verdict with a string Code, whatever the HTTP status.
Status CheckAliyunReply(const HttpReply& reply, const std::string& target, const std::vector<std::string>& secrets) {
  const json body = json::parse(reply.body, nullptr, false);
  const auto code = body.is_object() ? body.find("Code") : body.end();
  const bool ok_status = reply.status >= 200 && reply.status <= 299;
  if (code == body.end() || !code->is_string()) {
    const std::string message = target + ": HTTP " + std::to_string(reply.status) +
                                " without the gateway's Code: " + Excerpt(reply.body, secrets);
    return reply.status >= 500 ? Status::Unavailable(message) : Status::Internal(message);
  }
  const std::string name = code->get<std::string>();
  if (ok_status && name == "OK") return Status::Ok();
  const auto text = body.find("Message");
  const std::string message = target + ": HTTP " + std::to_string(reply.status) + ": " + Excerpt(name, secrets) + ": " +
                              Excerpt(text != body.end() && text->is_string() ? text->get<std::string>() : "", secrets);
  // A number over its flow control, or the account sending too fast: later it passes.
  if (name == "isv.BUSINESS_LIMIT_CONTROL" || name.rfind("Throttling", 0) == 0)
    return Status::ResourceExhausted(message);
  if (reply.status >= 500 || name == "ServiceUnavailable" || name == "InternalError") return Status::Unavailable(message);
  return Status::Internal(message);  // a wrong key or signature, an unapproved sign name or template
}

Status CheckReply(const HttpReply& reply, ReplyConvention convention, const std::string& target,
                  const std::vector<std::string>& secrets) {
  if (convention == ReplyConvention::kAliyunCode) return CheckAliyunReply(reply, target, secrets);
  if (reply.status < 200 || reply.status > 299) {
    std::string message = target + ": HTTP " + std::to_string(reply.status);
    if (!reply.body.empty()) message += ": " + Excerpt(reply.body, secrets);
    // 5xx, 408 and 429 may pass later; any other 4xx (a wrong URL, a refused key) will not.
    const bool transient = reply.status >= 500 || reply.status == 408 || reply.status == 429;
    return transient ? Status::Unavailable(message) : Status::Internal(message);
  }
  if (convention == ReplyConvention::kHttpStatus) return Status::Ok();

  const json body = json::parse(reply.body, nullptr, false);
  const json* code = body.is_object()
                         ? (convention == ReplyConvention::kRobotErrcode ? FindInteger(body, {"errcode"})
                                                                         : FindInteger(body, {"code", "StatusCode"}))
                         : nullptr;
  if (code == nullptr)
    return Status::Internal(target + ": HTTP " + std::to_string(reply.status) +
                            " without the robot's result code: " + Excerpt(reply.body, secrets));
  if (code->get<long long>() == 0) return Status::Ok();
  const std::string message =
      target + ": errcode " + std::to_string(code->get<long long>()) + ": " + Excerpt(MessageOf(body), secrets);
  return IsRateLimitCode(code->get<long long>()) ? Status::ResourceExhausted(message)
                                                 : Status::Internal(message);
}

}  // namespace rectify::notifier
