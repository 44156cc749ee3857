// The campaign loader (config/campaign_loader.h): the text of a campaign file, read as if it
// lay in workflows/ (so "calendar": "calendars" finds the real calendar files), validated, and,
// once accepted, written out as GET /api/campaign answers it.
#include <httplib.h>

#include "config/campaign_loader.h"
#include "tests/fuzz/fuzz_support.h"
#include "web/http_reply.h"
#include "web/json_codec.h"

using namespace rectify;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto campaign = ParseCampaign(fuzz::AsText(data, size), RECTIFY_SOURCE_DIR "/workflows/fuzz.json");
  fuzz::RequireRefusal(campaign.status());
  if (!campaign.ok()) return 0;
  httplib::Response res;
  web::Reply(res, 200, web::CampaignToJson(*campaign));
  return 0;
}
