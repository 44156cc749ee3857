// Loads a campaign from its file in workflows/ (format: workflows/README.md) and validates it
// with ValidateCampaign, so a returned Campaign is ready to use.
//
// Reading is strict: malformed JSON, a repeated or unknown key, a missing required field, a
// value of the wrong type, a bad date or time, and every ValidateCampaign error fail the load.
// Errors are kInvalidArgument with field "<origin>: <path in the file>" and a message that says
// what is wrong, so Status::ToString() reads, for example,
//   invalid_argument: workflows/x.json: areas[3].responsible[1]: unknown unit or group "foo"
// A file that cannot be read is kNotFound, its message naming the path.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/campaign.h"
#include "engine/status.h"

namespace rectify {

// `files_read`, when given, gets the paths of what the campaign was read from besides the text
// itself: its town file and its calendar folder (for the audit of configuration changes).
Result<Campaign> LoadCampaignFile(const std::string& path, std::vector<std::string>* files_read = nullptr);

// `origin` names the text in errors (usually its file path).
Result<Campaign> ParseCampaign(std::string_view json_text, const std::string& origin,
                               std::vector<std::string>* files_read = nullptr);

}  // namespace rectify
