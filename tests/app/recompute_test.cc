// Changing a deadline rule in the campaign file recomputes open items' deadlines at the next
// start, once, and leaves deadlines that were given explicitly alone.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "config/campaign_loader.h"
#include "engine/deadlines.h"
#include "engine/item_service.h"
#include "storage/sqlite_stores.h"
#include "tests/temp_dir.h"

namespace rectify::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void Replace(std::string& text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
}

// The Gaoqiao campaign as it is, and again with every `changes` (from, to) made to its text.
std::pair<Campaign, Campaign> CampaignBeforeAndAfter(const TempDir& dir,
                                                     const std::vector<std::pair<std::string, std::string>>& changes) {
  const std::string source = std::string(RECTIFY_SOURCE_DIR) + "/workflows";
  std::string text = ReadFile(source + "/gaoqiao-2021-autumn.json");
  Replace(text, "\"calendar\": \"calendars\"", "\"calendar\": \"" + source + "/calendars\"");
  Replace(text, "\"town\": \"towns/", "\"town\": \"" + source + "/towns/");
  auto original = ParseCampaign(text, dir.File("campaign.json"));
  REQUIRE(original.ok());
  for (const auto& [from, to] : changes) Replace(text, from, to);
  auto changed = ParseCampaign(text, dir.File("campaign.json"));
  REQUIRE(changed.ok());
  return {std::move(original.value()), std::move(changed.value())};
}

const std::pair<std::string, std::string> kProblemsClearedEarlier = {
    "\"date\": \"2021-10-31\", \"at\": \"end_of_day\"", "\"date\": \"2021-10-29\", \"at\": \"end_of_day\""};

}  // namespace

TEST_CASE("a changed rule recomputes open items once at start and keeps explicit deadlines") {
  TempDir dir;
  const auto [original, changed] = CampaignBeforeAndAfter(dir, {kProblemsClearedEarlier});

  auto store = SqliteStores::Open(dir.File("rectify.sqlite"));
  REQUIRE(store.ok());
  std::int64_t by_rule = 0, given = 0, closed = 0;
  {
    ItemService service(original, (*store)->items());
    auto first = service.RecomputeDeadlines();
    REQUIRE(first.ok());
    CHECK(first->changed == 0);  // an empty database: only the fingerprint is recorded
    const Instant now = *ParseInstant("2021-10-12T09:00");
    NewProblem p;
    p.title = "by the campaign's rule";
    p.area = 14;
    p.source = "campaign_sweep";
    p.unit = "village_1";
    by_rule = service.CreateProblem(p, Actor::System("office"), now)->item.id;
    EventInput sign;  // signed for: its deadline in force is then the rule's, not the sign-for limit
    sign.name = "sign_for";
    REQUIRE(service.Fire(ItemKind::kProblem, by_rule, sign, Actor::System("village_1"), std::nullopt, now).ok());
    p.title = "with its own deadline";
    p.deadline = ParseDeadline("2021-10-20");
    given = service.CreateProblem(p, Actor::System("office"), now)->item.id;
    p.title = "closed";
    p.deadline.reset();
    closed = service.CreateProblem(p, Actor::System("office"), now)->item.id;
    for (const char* event : {"start", "submit", "verify", "close"}) {
      EventInput input;
      input.name = event;
      REQUIRE(service.Fire(ItemKind::kProblem, closed, input, Actor::System("tester"), std::nullopt, now).ok());
    }
    auto again = service.RecomputeDeadlines();
    REQUIRE(again.ok());
    CHECK(again->changed == 0);  // same rules: nothing to do
  }
  ItemService restarted(changed, (*store)->items());
  auto recomputed = restarted.RecomputeDeadlines();
  REQUIRE(recomputed.ok());
  CHECK(recomputed->changed == 1);
  CHECK(recomputed->data_errors.empty());
  auto item = (*store)->items().Get(ItemKind::kProblem, by_rule);
  REQUIRE(item.ok());
  CHECK(FormatInstant(*item->deadline) == "2021-10-30T00:00:00+08:00");
  CHECK(FormatInstant(*item->due_at) == "2021-10-30T00:00:00+08:00");
  CHECK(item->version == 2);  // computed fields change no version and write no history
  auto explicit_item = (*store)->items().Get(ItemKind::kProblem, given);
  REQUIRE(explicit_item.ok());
  CHECK(FormatInstant(*explicit_item->deadline) == "2021-10-21T00:00:00+08:00");
  auto closed_item = (*store)->items().Get(ItemKind::kProblem, closed);
  REQUIRE(closed_item.ok());
  CHECK(FormatInstant(*closed_item->deadline) == "2021-11-01T00:00:00+08:00");  // closed items keep theirs
  auto once_more = restarted.RecomputeDeadlines();
  REQUIRE(once_more.ok());
  CHECK(once_more->changed == 0);
}


TEST_CASE("an item the rules cannot compute keeps its deadlines and is reported while the others are recomputed") {
  TempDir dir;
  const auto [original, changed] = CampaignBeforeAndAfter(dir, {kProblemsClearedEarlier, {"\"months\": 2", "\"months\": 3"}});
  auto store = SqliteStores::Open(dir.File("rectify.sqlite"));
  REQUIRE(store.ok());
  const Instant now = *ParseInstant("2021-10-12T09:00");
  std::int64_t good = 0, bad = 0;
  {
    ItemService service(original, (*store)->items());
    REQUIRE(service.RecomputeDeadlines().ok());
    NewProblem p;
    p.title = "by the campaign's rule";
    p.area = 14;
    p.source = "campaign_sweep";
    p.unit = "village_1";
    good = service.CreateProblem(p, Actor::System("office"), now)->item.id;
    // As an older version stored it: a household whose risk appeared in 2019, limit and all.
    Item item;
    item.kind = ItemKind::kEnrollment;
    item.state = StatePath{"found", ""};
    item.title = "王五户";
    item.deadline = ParseDeadline("2019-05-01");
    item.deadline_rule = "enrollment_within_two_months";
    item.due_at = item.deadline;
    item.created_at = item.updated_at = item.state_since = now;
    item.household = Household{"王五", "village_1", "marginal", "illness", CivilDate{2019, 3, 1}, "cadre_found", 0, {}};
    EventRecord created;
    created.to = "found";
    created.event = "create";
    created.actor = "user old.version";
    created.at = now;
    auto stored = (*store)->items().Insert({item}, {created});
    REQUIRE(stored.ok());
    bad = stored->front().id;
  }
  ItemService restarted(changed, (*store)->items());
  auto recomputed = restarted.RecomputeDeadlines();
  INFO(recomputed.status().ToString());
  REQUIRE(recomputed.ok());
  CHECK(recomputed->changed == 1);
  REQUIRE(recomputed->data_errors.size() == 1);
  CHECK(recomputed->data_errors[0].item_id == bad);
  CHECK(recomputed->data_errors[0].field == "deadline");
  CHECK(FormatInstant(*(*store)->items().Get(ItemKind::kProblem, good)->deadline) == "2021-10-30T00:00:00+08:00");
  CHECK(FormatInstant(*(*store)->items().Get(ItemKind::kEnrollment, bad)->deadline) == "2019-05-02T00:00:00+08:00");
}

}  // namespace rectify::testing
