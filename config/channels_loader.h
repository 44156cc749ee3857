// Reads the deployment's channel file: where each unit's messages go. It holds robot keys,
// signing secrets and mail passwords, so it is deployment configuration kept outside
// workflows/ (and outside version control), not campaign data. Format:
//   {"units": {"village_1": [{"type": "wecom", "url": "https://…?key=…"}],
//              "discipline_commission": [{"type": "smtp", "url": "smtp://mail.example:25",
//                                          "from": "rectify@…", "to": ["jiwei@…"]}],
//              "village_2": [{"type": "sms", "url": "https://dysmsapi.aliyuncs.com/",
//                             "access_key_id": "…", "secret": "…", "sign_name": "高桥镇",
//                             "template_code": "SMS_…", "phone_numbers": ["13800000000"],
//                             "number_limits": {"per_minute": 1, "per_hour": 5, "per_day": 10}}]}}
// Strict like every file rectify reads; errors name the file and the field.
#pragma once

#include <string>
#include <string_view>

#include "engine/campaign.h"
#include "engine/deployment.h"
#include "engine/status.h"
#include "notifier/notifier.h"

namespace rectify {

// Builds each unit's channels (notifier::MakeChannel); a unit the campaign does not know is an
// error.
Result<notifier::ChannelDirectory> LoadChannelFile(const std::string& path, const Campaign& campaign);

// The same from the file's text; `origin` names the text in errors (usually its file path).
Result<notifier::ChannelDirectory> ParseChannelFile(std::string_view json_text, const std::string& origin,
                                                    const Campaign& campaign);

// A deployment's channel file: a unit of any of its campaigns may be named (unit ids are
// distinct across its towns, ValidateDeployment).
Result<notifier::ChannelDirectory> LoadChannelFile(const std::string& path, const Deployment& deployment);

}  // namespace rectify
