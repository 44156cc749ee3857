#include "config/deployment_loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/campaign_loader.h"
#include "config/strict_json.h"

namespace rectify {
namespace {

Status ReadTownEntry(const Json& value, const std::string& path, Town& town) {
  JsonObjectReader r(value, path);
  r.Required("id", town.id);
  r.Required("name", town.name);
  return r.Finish();
}

Status LoadCounty(const std::string& path, Deployment& deployment) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open the county file");
  std::ostringstream text;
  text << in.rdbuf();
  auto document = ParseJsonStrictly(text.str());
  if (!document.ok()) return Status::InvalidArgument(path + ": " + document.status().field(), document.status().message());
  JsonObjectReader r(*document, "");
  std::vector<std::string> notes;
  r.Optional("notes", notes);
  r.Required("id", deployment.county);
  r.Required("name", deployment.county_name);
  r.Required("towns", deployment.towns, JsonArrayOf<Town>(ReadTownEntry));
  const Status read = r.Finish();
  if (!read.ok()) return Status::InvalidArgument(path + ": " + read.field(), read.message());
  // A town listed twice would stand twice in the roll-up and count twice in the county's total.
  for (std::size_t i = 0; i < deployment.towns.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      for (auto [key, same] : {std::pair{"id", deployment.towns[i].id == deployment.towns[j].id},
                               std::pair{"name", deployment.towns[i].name == deployment.towns[j].name}})
        if (same)
          return Status::InvalidArgument(path + ": towns[" + std::to_string(i) + "]." + key,
                                         "town \"" + deployment.towns[i].id + "\" (" + deployment.towns[i].name +
                                             ") has the " + key + " of towns[" + std::to_string(j) + "] (" +
                                             deployment.towns[j].id + "): a town is listed once");
  return Status::Ok();
}

// The campaign files of `path`: itself, or a folder's *.json files in name order.
std::vector<std::string> CampaignFiles(const std::string& path) {
  if (!std::filesystem::is_directory(path)) return {path};
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(path))
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

Result<Deployment> LoadDeployment(const std::vector<std::string>& campaign_paths, const std::string& county_path,
                                  std::vector<std::string>* files_read) {
  Deployment deployment;
  std::vector<std::string> read;
  if (!county_path.empty()) {
    RECTIFY_RETURN_IF_ERROR(LoadCounty(county_path, deployment));
    read.push_back(county_path);
  }
  for (const std::string& given : campaign_paths) {
    for (const std::string& file : CampaignFiles(given)) {
      read.push_back(file);
      auto campaign = LoadCampaignFile(file, &read);
      if (!campaign.ok()) return campaign.status();
      deployment.campaigns.push_back(std::make_shared<const Campaign>(std::move(campaign).value()));
    }
  }
  const Status valid = ValidateDeployment(deployment);
  if (!valid.ok()) return Status::InvalidArgument("campaign", valid.message());
  if (files_read) *files_read = std::move(read);
  return deployment;
}

}  // namespace rectify
