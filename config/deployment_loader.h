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

// `files_read`, when given, gets every file and folder read: the county file, each campaign
// file (a folder's, one by one), their town files and calendar folders (a town's shared files
// once per campaign).
Result<Deployment> LoadDeployment(const std::vector<std::string>& campaign_paths, const std::string& county_path,
                                  std::vector<std::string>* files_read = nullptr);

}  // namespace rectify
