// Several instances of rectify on one database, each with its own stores and notifier, on both
// backends (a SQLite file that two processes open; a PostgreSQL database): a slot is scanned by
// one instance, each message is delivered once, and a slot another instance claimed and
// abandoned is taken over when its claim lapses (notifier/outbox.h's claims).
#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "config/campaign_loader.h"
#include "engine/campaign_item_store.h"
#include "engine/deadlines.h"
#include "engine/item_service.h"
#include "notifier/notifier.h"
#include "storage/stores.h"
#include "tests/notifier/robot_receiver.h"
#include "tests/storage/pg_test_database.h"
#include "tests/temp_dir.h"

namespace rectify::testing {
namespace {

Instant T(const char* text) { return *ParseInstant(text); }

struct SqliteFile {
  TempDir dir;
  std::string where() const { return dir.File("rectify.sqlite"); }
};

struct Postgres {
  PgTestDatabase database;
  std::string where() const { return database.url(); }
};

// One instance: its stores on the shared database, its view of the campaign's items, its notifier.
class Instance {
 public:
  Instance(const std::string& where, const Campaign& campaign, const notifier::ChannelDirectory& channels) {
    auto stores = OpenStores(where);
    INFO(stores.status().ToString());
    REQUIRE(stores.ok());
    stores_ = std::move(stores).value();
    items_ = std::make_unique<CampaignItemStore>(stores_->items(), campaign.id);
    notifier::NotifierOptions options;
    options.link_base = "http://rectify.example";
    // No survey: the scan of the items is what is shared here.
    notifier::CampaignSource source{&campaign, {*items_, stores_->attachments(), stores_->silences(), stores_->outbox()}};
    notifier_ = std::make_unique<notifier::Notifier>(std::vector<notifier::CampaignSource>{source}, stores_->outbox(),
                                                     channels, options);
  }

  Stores& stores() { return *stores_; }
  ItemStore& items() { return *items_; }
  notifier::Notifier& notifier() { return *notifier_; }

 private:
  std::unique_ptr<Stores> stores_;
  std::unique_ptr<CampaignItemStore> items_;
  std::unique_ptr<notifier::Notifier> notifier_;
};

// The Gaoqiao campaign, every unit that gets digests on the receiver's webhook, and two
// instances on one fresh database.
template <class Database>
class TwoInstances {
 public:
  TwoInstances() : receiver_(T("2021-10-20T09:00")) {
    auto campaign = LoadCampaignFile(std::string(RECTIFY_SOURCE_DIR) + "/workflows/gaoqiao-2021-autumn.json");
    REQUIRE(campaign.ok());
    campaign_ = std::move(campaign).value();
    for (const char* unit : {"village_1", "village_2", "village_3", "discipline_commission", "party_building_office",
                             "rural_office"}) {
      notifier::ChannelConfig config;
      config.type = "webhook";
      config.url = receiver_.WebhookUrl();
      auto channel = notifier::MakeChannel(config);
      REQUIRE(channel.ok());
      channels_[unit].push_back(std::move(channel).value());
    }
    first_ = std::make_unique<Instance>(database_.where(), campaign_, channels_);
    second_ = std::make_unique<Instance>(database_.where(), campaign_, channels_);
  }

  // A problem of `unit`, signed for, due on `deadline`.
  void Problem(const char* unit, const char* deadline) {
    ItemService service(campaign_, first_->items());
    NewProblem p;
    p.title = std::string("problem for ") + unit + " due " + deadline;
    p.area = 14;
    p.source = "campaign_sweep";
    p.unit = unit;
    p.deadline = ParseDeadline(deadline);
    auto created = service.CreateProblem(p, Actor::System("office"), T("2021-10-12T09:00"));
    REQUIRE(created.ok());
    EventInput sign;
    sign.name = "sign_for";
    REQUIRE(service.Fire(ItemKind::kProblem, created->item.id, sign, Actor::System(unit), std::nullopt,
                         T("2021-10-12T09:00")).ok());
  }

  Instance& first() { return *first_; }
  Instance& second() { return *second_; }
  RobotReceiver& receiver() { return receiver_; }

 private:
  Database database_;
  RobotReceiver receiver_;
  Campaign campaign_;
  notifier::ChannelDirectory channels_;
  std::unique_ptr<Instance> first_;
  std::unique_ptr<Instance> second_;
};

TEMPLATE_TEST_CASE("Two instances running their notifiers at once scan a slot once and deliver each message once",
                   "[instances]", SqliteFile, Postgres) {
  TwoInstances<TestType> f;
  f.Problem("village_1", "2021-10-14");
  f.Problem("village_2", "2021-10-19");
  std::vector<Result<notifier::EnqueueReport>> enqueued(2, Status::Internal("not run"));
  std::vector<Result<notifier::SendReport>> sent(2, Status::Internal("not run"));
  std::atomic<bool> go{false};
  auto pass = [&](Instance* instance, std::size_t index) {
    while (!go.load()) std::this_thread::yield();
    enqueued[index] = instance->notifier().EnqueueCurrentSlot(T("2021-10-20T09:00"));
    sent[index] = instance->notifier().SendDue(T("2021-10-20T09:00"));
  };
  std::thread a(pass, &f.first(), 0);
  std::thread b(pass, &f.second(), 1);
  go = true;
  a.join();
  b.join();

  int scans = 0;
  int messages = 0;
  int delivered = 0;
  for (std::size_t i = 0; i < 2; ++i) {
    INFO("instance " << i << ": " << enqueued[i].status().ToString() << " " << sent[i].status().ToString());
    REQUIRE(enqueued[i].ok());
    REQUIRE(sent[i].ok());
    if (enqueued[i]->digests > 0) ++scans;
    // The one that did not scan says why.
    if (enqueued[i]->digests == 0) CHECK((enqueued[i]->already_enqueued || enqueued[i]->scanned_elsewhere));
    messages += enqueued[i]->enqueued;
    delivered += sent[i]->sent;
  }
  CHECK(scans == 1);
  CHECK(messages == 5);  // village_1, village_2 and the three supervisors'
  CHECK(delivered == 5);
  // Later passes of either add and send nothing.
  for (Instance* instance : {&f.first(), &f.second()}) {
    CHECK(instance->notifier().EnqueueCurrentSlot(T("2021-10-20T09:05")).value().enqueued == 0);
    CHECK(instance->notifier().SendDue(T("2021-10-20T09:05")).value().sent == 0);
  }
  std::set<std::string> keys;
  for (const ReceivedRequest& request : f.receiver().Received("webhook"))
    keys.insert(request.headers.count("Idempotency-Key") ? request.headers.at("Idempotency-Key") : "");
  CHECK(f.receiver().Received("webhook").size() == 5);
  CHECK(keys.size() == 5);
}

TEMPLATE_TEST_CASE("A slot another instance claimed is skipped until it is enqueued or the claim lapses",
                   "[instances]", SqliteFile, Postgres) {
  TwoInstances<TestType> f;
  f.Problem("village_1", "2021-10-14");
  const Instant slot = T("2021-10-20T09:00");
  // The second instance began scanning the slot, then died.
  REQUIRE(f.second().stores().outbox().ClaimSlot(FormatInstant(slot), slot, slot + notifier::kSlotClaimLease).value());

  auto skipped = f.first().notifier().EnqueueCurrentSlot(slot + 60);
  REQUIRE(skipped.ok());
  CHECK(skipped->scanned_elsewhere);
  CHECK_FALSE(skipped->already_enqueued);
  CHECK(skipped->digests == 0);
  CHECK(skipped->enqueued == 0);

  auto taken_over = f.first().notifier().EnqueueCurrentSlot(slot + notifier::kSlotClaimLease);
  REQUIRE(taken_over.ok());
  CHECK_FALSE(taken_over->scanned_elsewhere);
  CHECK(taken_over->enqueued == 4);  // village_1 and the three supervisors'
  // Back, the second instance finds the slot done.
  auto done = f.second().notifier().EnqueueCurrentSlot(slot + notifier::kSlotClaimLease + 60);
  REQUIRE(done.ok());
  CHECK(done->already_enqueued);
  CHECK(done->enqueued == 0);
}

}  // namespace
}  // namespace rectify::testing
