// Loads what one rectify serves (engine/deployment.h): the campaign files it is given, each a
// file or a folder whose *.json files are all campaign files, and, for a county, the county
// file (format: workflows/README.md):
//   {"id": "taojiang", "name": "桃江县", "towns": [{"id": "gaoqiao", "name": "高桥镇"}, ...]}
// Errors are those of LoadCampaignFile, or kInvalidArgument naming the file and what is wrong.
#pragma once

#include <string>
#include <vector>

#include "engine/deployment.h"
#include "engine/status.h"

namespace rectify {

Result<Deployment> LoadDeployment(const std::vector<std::string>& campaign_paths, const std::string& county_path);

}  // namespace rectify
