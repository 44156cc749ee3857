// What an HTTP receiver's answer means. A plain webhook accepts with any 2xx. The robots also
// answer HTTP 200 for a refusal and put the verdict in the body: WeCom and DingTalk as
// {"errcode":0,"errmsg":"ok"}, Feishu as {"code":0,"msg":"success"} (older bots:
// {"StatusCode":0}). Any non-zero code is a failure, for example DingTalk 130101 (over 20 a
// minute; the robot is then locked for 10 minutes) or 310000 (bad signature), WeCom 45009
// (over the limit) or 93000 (bad key), Feishu 19021 (bad signature or stale timestamp).
// Aliyun's SMS gateway answers {"Code":"OK","Message":"OK","BizId":…}, and a refusal with a
// string Code: isv.BUSINESS_LIMIT_CONTROL (a number over its flow control, HTTP 200),
// SignatureDoesNotMatch (HTTP 400), Throttling.User (too many requests for the account).
#pragma once

#include <string>
#include <vector>

#include "engine/status.h"
#include "notifier/http_client.h"

namespace rectify::notifier {

enum class ReplyConvention { kHttpStatus, kRobotErrcode, kFeishuCode, kAliyunCode };

// Ok when `reply` is an acceptance under `convention`. Otherwise "<target>: HTTP 500: …" or
// "<target>: errcode 130101: <errmsg>" (Aliyun: "<target>: HTTP 200: isv.BUSINESS_LIMIT_CONTROL:
// <Message>"), with each of `secrets` blanked out of whatever the
// receiver echoed: kResourceExhausted for a robot's rate-limit answer (the robot is locked for a
// while: the sender waits), kUnavailable when trying later may succeed (HTTP 5xx, 408, 429),
// kInternal when it will not (a wrong URL or key, a bad signature).
Status CheckReply(const HttpReply& reply, ReplyConvention convention, const std::string& target,
                  const std::vector<std::string>& secrets);

// `text` with every occurrence of each non-empty secret replaced by "***".
std::string Redact(std::string text, const std::vector<std::string>& secrets);

}  // namespace rectify::notifier
