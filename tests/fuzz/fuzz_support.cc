#include "tests/fuzz/fuzz_support.h"

#include <httplib.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "config/campaign_loader.h"
#include "storage/sqlite_stores.h"
#include "tests/temp_dir.h"
#include "web/http_reply.h"

namespace rectify::fuzz {

void Require(bool holds, const char* contract) {
  if (holds) return;
  std::fprintf(stderr, "rectify fuzz: contract broken: %s\n", contract);
  std::abort();
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  for (std::size_t start = 0;;) {
    const std::size_t end = text.find(separator, start);
    pieces.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return pieces;
    start = end + 1;
  }
}

const Campaign& TheCampaign() {
  static const Result<Campaign> campaign = LoadCampaignFile(RECTIFY_SOURCE_DIR "/workflows/gaoqiao-2021-autumn.json");
  if (!campaign.ok()) {
    std::fprintf(stderr, "rectify fuzz: %s\n", campaign.status().ToString().c_str());
    std::exit(2);
  }
  return *campaign;
}

namespace {

class ServiceFixture {
 public:
  explicit ServiceFixture(const Campaign& campaign) {
    auto store = SqliteStores::Open(dir_.File("fuzz.sqlite"));
    if (!store.ok()) {
      std::fprintf(stderr, "rectify fuzz: %s\n", store.status().ToString().c_str());
      std::exit(2);
    }
    store_ = std::move(store).value();
    service_ = std::make_unique<ItemService>(campaign, store_->items());
  }
  const ItemService& service() const { return *service_; }

 private:
  testing::TempDir dir_;
  std::unique_ptr<SqliteStores> store_;
  std::unique_ptr<ItemService> service_;
};

}  // namespace

const ItemService& TheService() {
  static const ServiceFixture fixture(TheCampaign());
  return fixture.service();
}

Instant TheNow() {
  return ShanghaiInstant(CivilDate{2021, 10, 22}, 9 * 3600);
}

void RequireRefusal(const Status& status) {
  if (status.ok()) return;
  Require(status.code() == StatusCode::kInvalidArgument, "a decoder refuses bad input as invalid_argument");
  httplib::Response res;
  web::ReplyError(res, status);
  Require(res.status == 400 && !res.body.empty(), "a refusal is answered 400 with a JSON body");
}

}  // namespace rectify::fuzz
