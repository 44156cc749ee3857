// The whole notifier pipeline on the real Gaoqiao campaign and calendar: items in a real SQLite
// file, digests scanned per unit, enqueued in the outbox, delivered to a real webhook receiver
// on loopback, retried with backoff, dead-lettered, and never sent twice for one slot.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "config/calendar_loader.h"
#include "config/campaign_loader.h"
#include "engine/campaign_item_store.h"
#include "engine/deadlines.h"
#include "engine/item_service.h"
#include "notifier/scan_stages.h"
#include "notifier/notifier.h"
#include "storage/sqlite_stores.h"
#include "tests/notifier/loopback_listener.h"
#include "tests/notifier/robot_receiver.h"
#include "tests/notifier/sms_gateway.h"
#include "tests/temp_dir.h"

namespace rectify::testing {
namespace {

Instant T(const char* text) { return *ParseInstant(text); }

class PipelineFixture {
 public:
  // `robots_now`: the receiver's clock, against which it checks signed timestamps.
  explicit PipelineFixture(Instant robots_now = T("2021-10-20T09:00")) : receiver_(robots_now), gateway_(robots_now) {
    auto campaign = LoadCampaignFile(std::string(RECTIFY_SOURCE_DIR) + "/workflows/gaoqiao-2021-autumn.json");
    REQUIRE(campaign.ok());
    campaign_ = std::move(campaign.value());
    auto store = SqliteStores::Open(dir_.File("rectify.sqlite"));
    REQUIRE(store.ok());
    store_ = std::move(store.value());
    items_ = std::make_unique<CampaignItemStore>(store_->items(), campaign_.id);
    service_ = std::make_unique<ItemService>(campaign_, *items_);
    for (const char* unit : {"village_1", "village_2", "village_3", "discipline_commission", "party_building_office",
                             "rural_office"}) {
      notifier::ChannelConfig config;
      config.type = "webhook";
      config.url = receiver_.WebhookUrl();
      auto channel = notifier::MakeChannel(config);
      REQUIRE(channel.ok());
      channels_[unit].push_back(std::move(channel.value()));
    }
  }

  notifier::Notifier MakeNotifier(int max_attempts = 8, const Clock* signing_clock = nullptr) {
    notifier::NotifierOptions options;
    options.link_base = "http://rectify.example";
    options.max_attempts = max_attempts;
    options.signing_clock = signing_clock;
    notifier::CampaignSource source{
        &campaign_, {*items_, store_->attachments(), store_->silences(), store_->outbox(), &store_->survey()}};
    return notifier::Notifier({source}, store_->outbox(), channels_, options);
  }

  // A household on `village`'s survey list, visited (its sheet recorded) or not.
  void SurveyHousehold(const char* village, const char* head_name, bool visited) {
    rectify::SurveyHousehold h;
    h.village = village;
    h.head_name = head_name;
    h.household_type = "lifted";
    h.priority = "income_drop";
    h.state = visited ? "recorded" : "to_visit";
    SurveyEvent added;
    added.to = h.state;
    added.event = "add";
    REQUIRE(store_->survey().AddHouseholds({h}, {added}).ok());
  }

  std::int64_t Problem(const char* unit, const char* deadline) {
    NewProblem p;
    p.title = std::string("problem for ") + unit + " due " + deadline;
    p.area = 14;
    p.source = "campaign_sweep";
    p.unit = unit;
    p.deadline = ParseDeadline(deadline);
    auto created = service_->CreateProblem(p, Actor::System("office"), T("2021-10-12T09:00"));
    REQUIRE(created.ok());
    // The unit signs for it at once: these tests are about its deadline, not its signature.
    EventInput sign;
    sign.name = "sign_for";
    REQUIRE(service_->Fire(ItemKind::kProblem, created->item.id, sign, Actor::System(unit), std::nullopt,
                           T("2021-10-12T09:00")).ok());
    return created->item.id;
  }

  // The unit's channel becomes the receiver's signed DingTalk robot.
  void UseDingTalk(const char* unit) {
    notifier::ChannelConfig config;
    config.type = "dingtalk";
    config.url = receiver_.DingTalkUrl();
    config.secret = RobotReceiver::kDingTalkSecret;
    auto channel = notifier::MakeChannel(config);
    REQUIRE(channel.ok());
    channels_[unit].clear();
    channels_[unit].push_back(std::move(channel.value()));
  }

  // The unit's channel becomes an SMS to `numbers` through the loopback SMS gateway.
  void UseSms(const char* unit, std::vector<std::string> numbers) {
    notifier::ChannelConfig config;
    config.type = "sms";
    config.url = gateway_.Url();
    config.access_key_id = SmsGateway::kAccessKeyId;
    config.secret = SmsGateway::kAccessKeySecret;
    config.sign_name = SmsGateway::kSignName;
    config.template_code = SmsGateway::kTemplateCode;
    config.phone_numbers = std::move(numbers);
    auto channel = notifier::MakeChannel(config);
    REQUIRE(channel.ok());
    channels_[unit].clear();
    channels_[unit].push_back(std::move(channel.value()));
  }

  // Fires `event` on a problem as the system (every grant), with a reason when given.
  void Fire(std::int64_t id, const char* event, const char* at, std::string reason = "") {
    EventInput input;
    input.name = event;
    input.reason = std::move(reason);
    REQUIRE(service_->Fire(ItemKind::kProblem, id, input, Actor::System("test"), std::nullopt, T(at)).ok());
  }

  const Campaign& campaign() const { return campaign_; }

  // From now on the campaign's calendar ends with 2021, as a deployment's does in December
  // before next year's notice is loaded (the items already made keep their deadlines).
  void KeepOnlyTheCalendarOf2021() {
    const std::string dir = dir_.File("calendars-2021");
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file(std::string(RECTIFY_SOURCE_DIR) + "/workflows/calendars/cn-2021.json",
                               dir + "/cn-2021.json");
    auto calendar = LoadCalendarDir(dir);
    REQUIRE(calendar.ok());
    campaign_.calendar = std::make_shared<const WorkCalendar>(std::move(calendar.value()));
  }

  // A campaign that runs to the end of the year: its last phase ends on `last_day`.
  void EndCampaignOn(CivilDate last_day) { campaign_.phases.back().end = last_day; }

  // The unit's channels are listed in the channel file in the opposite order.
  void ReverseChannels(const char* unit) { std::reverse(channels_[unit].begin(), channels_[unit].end()); }

  // The unit's channel becomes a webhook and a signed DingTalk robot, in that order.
  void UseWebhookAndDingTalk(const char* unit) {
    notifier::ChannelConfig robot;
    robot.type = "dingtalk";
    robot.url = receiver_.DingTalkUrl();
    robot.secret = RobotReceiver::kDingTalkSecret;
    auto channel = notifier::MakeChannel(robot);
    REQUIRE(channel.ok());
    channels_[unit].push_back(std::move(channel.value()));
  }

  // The unit's channels are taken out of the channel file.
  void RemoveChannels(const char* unit) { channels_.erase(unit); }

  // Every problem stays at least `days` working days in `state` (the campaign's step_durations).
  void MinimumWorkingDays(const char* state, int days) {
    StepDuration duration;
    duration.applies_to = DeadlineSubject::kProblem;
    duration.state = state;
    duration.minimum_days = days;
    duration.working_days = true;
    campaign_.step_durations.push_back(duration);
  }

  // The supervisors' 督办 note on a problem.
  void Supervise(std::int64_t id, const char* note, const char* at) {
    EventInput input;
    input.name = "supervise";
    input.note = note;
    REQUIRE(service_->Fire(ItemKind::kProblem, id, input, Actor::System("test"), std::nullopt, T(at)).ok());
  }

  // The unit's signed ledger (附件1), as a scan handed in at `at`.
  void HandInLedger(const char* unit, Instant at) {
    LedgerHandIn handin;
    handin.campaign = campaign_.id;
    handin.unit = unit;
    handin.file.name = "台账.pdf";
    handin.file.content_type = "application/pdf";
    handin.submitted_at = at;
    handin.submitted_by = "user test";
    REQUIRE(store_->attachments().SubmitLedger(handin, "%PDF-1.4 signed ledger").ok());
  }

  // The digests the receiver accepted, by "audience:unit", the last one for each.
  std::map<std::string, json> Delivered() const {
    std::map<std::string, json> out;
    for (const ReceivedRequest& r : receiver_.Received("webhook"))
      out[r.message["audience"].get<std::string>() + ":" + r.message["unit"]["id"].get<std::string>()] = r.message;
    return out;
  }

  // `unit`'s one channel becomes a webhook to `url`; returns the channel's key, as its outbox
  // messages name it.
  std::string RouteWebhook(const std::string& unit, const std::string& url) {
    notifier::ChannelConfig config;
    config.type = "webhook";
    config.url = url;
    auto channel = notifier::MakeChannel(config);
    REQUIRE(channel.ok());
    channels_[unit].clear();
    channels_[unit].push_back(std::move(channel.value()));
    return unit + "#" + channels_[unit].front()->Id();
  }
  std::string DatabasePath() { return dir_.File("rectify.sqlite"); }
  std::string ChannelKey(const std::string& unit) { return unit + "#" + channels_.at(unit).front()->Id(); }

  RobotReceiver& receiver() { return receiver_; }
  SmsGateway& gateway() { return gateway_; }
  SqliteStores& store() { return *store_; }

 private:
  TempDir dir_;
  RobotReceiver receiver_;
  SmsGateway gateway_;
  Campaign campaign_;
  std::unique_ptr<SqliteStores> store_;
  std::unique_ptr<CampaignItemStore> items_;
  std::unique_ptr<ItemService> service_;
  notifier::ChannelDirectory channels_;
};

std::set<std::int64_t> Ids(const json& items) {
  std::set<std::int64_t> out;
  for (const json& item : items) out.insert(item["id"].get<std::int64_t>());
  return out;
}

}  // namespace

TEST_CASE("each unit gets one digest of its overdue and soon-due items and the supervisors get the long-overdue") {
  PipelineFixture f;
  const auto long_overdue = f.Problem("village_1", "2021-10-14");  // 4 working days late on 10-20
  const auto due_soon = f.Problem("village_1", "2021-10-21");
  const auto due_at_window_end = f.Problem("village_1", "2021-10-25");  // 24:00 of the 3rd working day on
  f.Problem("village_1", "2021-10-26");                                  // the 4th: not yet soon
  const auto just_late = f.Problem("village_2", "2021-10-19");     // 1 working day late
  const auto silenced = f.Problem("village_2", "2021-10-18");
  f.Problem("village_3", "2021-11-30");                              // nothing to say yet
  Silence extension;
  extension.item_id = silenced;
  extension.approved_by = "镇农业农村和乡村振兴办公室";
  extension.reason = "汛期道路中断，延期至10月25日";
  extension.until = T("2021-10-26T00:00");
  extension.created_at = T("2021-10-18T10:00");
  REQUIRE(f.store().silences().AddSilence(extension).ok());

  notifier::Notifier notifier = f.MakeNotifier();
  auto enqueued = notifier.EnqueueCurrentSlot(T("2021-10-20T10:30"));
  REQUIRE(enqueued.ok());
  CHECK(FormatInstant(*enqueued->slot) == "2021-10-20T09:00:00+08:00");
  CHECK(enqueued->enqueued == 5);  // village_1, village_2, and the 督办 list for three supervisors
  CHECK(enqueued->unrouted.empty());
  auto sent = notifier.SendDue(T("2021-10-20T10:30"));
  REQUIRE(sent.ok());
  CHECK(sent->sent == 5);

  const auto delivered = f.Delivered();
  REQUIRE(delivered.size() == 5);
  const json& v1 = delivered.at("unit:village_1");
  CHECK(Ids(v1["overdue"]) == std::set<std::int64_t>{long_overdue});
  CHECK(Ids(v1["due_soon"]) == std::set<std::int64_t>{due_soon, due_at_window_end});
  CHECK(v1["overdue"][0]["working_days_overdue"] == 4);
  CHECK(v1["overdue"][0]["link"] ==
        "http://rectify.example/?campaign=gaoqiao-2021-autumn#/item/problem/" + std::to_string(long_overdue));
  const json& v2 = delivered.at("unit:village_2");
  CHECK(Ids(v2["overdue"]) == std::set<std::int64_t>{just_late});  // the silenced one is left out
  CHECK(v2["due_soon"].empty());
  for (const char* supervisor : {"supervisors:discipline_commission", "supervisors:party_building_office",
                                     "supervisors:rural_office"}) {
    INFO(supervisor);
    CHECK(Ids(delivered.at(supervisor)["overdue"]) == std::set<std::int64_t>{long_overdue});
  }
}

TEST_CASE("each slot records the items' warning tiers and the digest names them") {
  PipelineFixture f;
  const auto red = f.Problem("village_1", "2021-10-14");   // 4 working days late on 10-20: more than 3
  const auto blue = f.Problem("village_1", "2021-10-21");  // due tomorrow
  notifier::Notifier notifier = f.MakeNotifier();
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-20T10:30")).ok());
  REQUIRE(notifier.SendDue(T("2021-10-20T10:30")).ok());
  const json v1 = f.Delivered().at("unit:village_1");
  CHECK(v1["overdue"][0]["tier"] == "红色预警");
  CHECK(v1["due_soon"][0]["tier"] == "蓝色预警");
  CHECK(v1["due_soon"][0]["awaits_sign_for"] == false);

  auto history = f.store().items().History(ItemKind::kProblem, red);
  REQUIRE(history.ok());
  CHECK(history->back().event == "warning_tier");
  CHECK(history->back().note == "tier: none -> red");
  CHECK(history->back().unit == "village_1");
  auto item = f.store().items().Get(ItemKind::kProblem, blue);
  REQUIRE(item.ok());
  CHECK(item->tier == "blue");
  CHECK(item->tier_entries == std::map<std::string, int>{{"blue", 1}});
  // The next slot, 10-22: the blue one is now overdue (yellow), and that change is recorded too.
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-22T09:30")).ok());
  item = f.store().items().Get(ItemKind::kProblem, blue);
  REQUIRE(item.ok());
  CHECK(item->tier == "yellow");
  history = f.store().items().History(ItemKind::kProblem, blue);
  REQUIRE(history.ok());
  CHECK(history->back().note == "tier: blue -> yellow");
  const std::size_t rows = history->size();
  // A slot with nothing changed records nothing.
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-25T09:30")).ok());  // 10-25: 2 working days late, still yellow
  CHECK(f.store().items().History(ItemKind::kProblem, blue)->size() == rows);
}

TEST_CASE("each line says where the item stands and what is asked, a send-back with its reason") {
  PipelineFixture f;
  const auto sent_back = f.Problem("village_1", "2021-10-21");
  for (const char* event : {"start", "submit"}) f.Fire(sent_back, event, "2021-10-13T09:00");
  f.Fire(sent_back, "send_back", "2021-10-14T09:00", "缺少整改前后对比照片");
  const auto waiting = f.Problem("village_1", "2021-10-20");
  notifier::Notifier notifier = f.MakeNotifier();
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-20T10:30")).ok());
  REQUIRE(notifier.SendDue(T("2021-10-20T10:30")).ok());
  const json v1 = f.Delivered().at("unit:village_1");
  std::map<std::int64_t, json> lines;
  for (const char* section : {"overdue", "due_soon"})
    for (const json& line : v1[section]) lines[line["id"].get<std::int64_t>()] = line;
  REQUIRE(lines.count(sent_back) == 1);
  CHECK(lines[sent_back]["ask"] == "退回重办：缺少整改前后对比照片");
  CHECK(lines[sent_back]["awaits_sign_for"] == true);  // a send-back asks the unit to sign again
  // Its deadline in force is the sign-for limit, not the problem's own: named for what it is.
  CHECK(lines[sent_back]["deadline"] == "2021-10-15T17:30:00+08:00");
  CHECK(lines[sent_back]["deadline_label"] == "本环节时限");
  REQUIRE(lines.count(waiting) == 1);
  CHECK(lines[waiting]["ask"] == "已交办");
  CHECK(lines[waiting]["deadline_label"] == "整改时限");
  const std::string text = v1["text"];
  INFO(text);
  CHECK(text.find("本环节时限：10月15日17:30") != std::string::npos);
  CHECK(text.find("整改时限：10月20日24:00") != std::string::npos);
}

TEST_CASE("a 督办 note written since the previous slot is on its item's line in the unit's next digest") {
  PipelineFixture f;
  const auto item = f.Problem("village_1", "2021-10-21");
  f.Supervise(item, "已通报，请于明日前整改到位", "2021-10-19T15:00");  // after the 10-19 slot
  f.Supervise(item, "请尽快整改", "2021-10-18T15:00");               // before it: already shown on 10-19
  notifier::Notifier notifier = f.MakeNotifier();
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-20T10:30")).ok());
  REQUIRE(notifier.SendDue(T("2021-10-20T10:30")).ok());
  json v1 = f.Delivered().at("unit:village_1");
  REQUIRE(v1["due_soon"].size() == 1);
  CHECK(v1["due_soon"][0]["supervision"] == "已通报，请于明日前整改到位");
  CHECK(v1["text"].get<std::string>().find("督办：已通报，请于明日前整改到位") != std::string::npos);
  CHECK(v1["text"].get<std::string>().find("请尽快整改") == std::string::npos);
  // The next slot has nothing new from the supervisors: the line carries no note.
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-21T09:30")).ok());
  REQUIRE(notifier.SendDue(T("2021-10-21T09:30")).ok());
  v1 = f.Delivered().at("unit:village_1");
  REQUIRE(v1["due_soon"].size() == 2);  // the item, and now the ledger (附件1) due 10-26
  CHECK(v1["due_soon"][0]["id"] == item);
  CHECK(v1["due_soon"][0]["supervision"].is_null());
  CHECK(v1["text"].get<std::string>().find("督办：") == std::string::npos);
}

TEST_CASE("a 督办 note written after the last slot sent is shown though the server missed the slots between") {
  PipelineFixture f;
  const auto item = f.Problem("village_1", "2021-10-25");
  notifier::Notifier notifier = f.MakeNotifier();
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-18T09:30")).ok());  // Monday's slot is sent
  f.Supervise(item, "请本周内整改到位", "2021-10-18T15:00");          // after it
  f.Supervise(item, "周二再次督办", "2021-10-19T15:00");              // the server is down Tuesday and Wednesday
  // Thursday's slot: its scheduled predecessor is Wednesday's, which never ran.
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-21T09:30")).ok());
  REQUIRE(notifier.SendDue(T("2021-10-21T09:30")).ok());
  const json v1 = f.Delivered().at("unit:village_1");
  REQUIRE_FALSE(v1["due_soon"].empty());
  CHECK(v1["due_soon"][0]["id"] == item);
  const std::string supervision = v1["due_soon"][0]["supervision"];
  CHECK(supervision.find("请本周内整改到位") != std::string::npos);
  CHECK(supervision.find("周二再次督办") != std::string::npos);
}

TEST_CASE("a slot missed on its day is not sent the next morning before that day's own slot") {
  PipelineFixture f;
  f.Problem("village_1", "2021-10-26");
  notifier::Notifier notifier = f.MakeNotifier();
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-22T09:30")).ok());
  REQUIRE(notifier.SendDue(T("2021-10-22T09:30")).ok());
  const json friday = f.Delivered().at("unit:village_1");
  // The server is down on Monday 10-25; it comes back at 08:30 on Tuesday.
  const auto early = notifier.EnqueueCurrentSlot(T("2021-10-26T08:30"));
  REQUIRE(early.ok());
  CHECK(early->missed);
  CHECK(*early->slot == T("2021-10-25T09:00"));
  CHECK(early->enqueued == 0);
  REQUIRE(notifier.SendDue(T("2021-10-26T08:30")).ok());
  CHECK(f.Delivered().at("unit:village_1") == friday);  // nothing as of Monday's 09:00
  // Tuesday's own slot goes out, as of Tuesday: the item is due today.
  const auto today = notifier.EnqueueCurrentSlot(T("2021-10-26T09:00"));
  REQUIRE(today.ok());
  CHECK_FALSE(today->missed);
  CHECK(today->enqueued > 0);
  REQUIRE(notifier.SendDue(T("2021-10-26T09:00")).ok());
  const json v1 = f.Delivered().at("unit:village_1");
  CHECK(v1["text"].get<std::string>().find("今日到期") != std::string::npos);
  // A slot missed in the morning is still sent later that day.
  PipelineFixture g;
  g.Problem("village_1", "2021-10-26");
  notifier::Notifier late_start = g.MakeNotifier();
  const auto afternoon = late_start.EnqueueCurrentSlot(T("2021-10-26T15:00"));
  REQUIRE(afternoon.ok());
  CHECK_FALSE(afternoon->missed);
  CHECK(afternoon->enqueued > 0);
}

TEST_CASE("an ended campaign is reminded of no more: its last day's slot goes out, the next day's does not") {
  PipelineFixture f;
  f.Problem("village_1", "2021-10-20");  // overdue from 10-21 on, never closed
  notifier::Notifier notifier = f.MakeNotifier();
  // 11-10, the last day of 检查验收: the overdue problem is in the unit's digest.
  const auto last_day = notifier.EnqueueCurrentSlot(T("2021-11-10T09:00"));
  REQUIRE(last_day.ok());
  CHECK(last_day->enqueued > 0);
  REQUIRE(notifier.SendDue(T("2021-11-10T09:00")).ok());
  const json sent = f.Delivered().at("unit:village_1");
  CHECK_FALSE(sent["overdue"].empty());
  // 11-11: the campaign has ended; nothing is scanned for it, nothing is sent.
  const auto after = notifier.EnqueueCurrentSlot(T("2021-11-11T09:00"));
  REQUIRE(after.ok());
  CHECK(after->digests == 0);
  CHECK(after->enqueued == 0);
  REQUIRE(notifier.SendDue(T("2021-11-11T09:00")).ok());
  CHECK(f.Delivered().at("unit:village_1") == sent);
}

TEST_CASE("a 督办 note on an item neither overdue nor due soon reaches its unit at the next slot, once") {
  PipelineFixture f;
  const auto item = f.Problem("village_1", "2021-10-31");  // 8 working days off on 10-20
  notifier::Notifier notifier = f.MakeNotifier();
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-19T09:30")).ok());
  f.Supervise(item, "饮水工程请尽快明确管护", "2021-10-19T15:00");
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-20T09:30")).ok());
  REQUIRE(notifier.SendDue(T("2021-10-20T09:30")).ok());
  json v1 = f.Delivered().at("unit:village_1");
  INFO(v1.dump());
  REQUIRE(v1["due_soon"].size() == 1);
  CHECK(v1["due_soon"][0]["id"] == item);
  CHECK(v1["due_soon"][0]["supervision"] == "饮水工程请尽快明确管护");
  CHECK(v1["text"].get<std::string>().find("督办：饮水工程请尽快明确管护") != std::string::npos);
  // Told once: the next slot, with nothing new, lists it no more until it is due soon.
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-21T09:30")).ok());
  REQUIRE(notifier.SendDue(T("2021-10-21T09:30")).ok());
  v1 = f.Delivered().at("unit:village_1");
  for (const char* section : {"overdue", "due_soon"})
    for (const json& line : v1[section]) CHECK(line["id"] != item);
}

TEST_CASE("a long list shows its most urgent lines and counts the rest, a 督办 note shown wherever it is") {
  PipelineFixture f;
  // Five more than a list shows, all long overdue on 10-20 (5 working days), in id order.
  std::vector<std::int64_t> overdue;
  for (std::size_t i = 0; i < notifier::kMostLinesPerList + 5; ++i) overdue.push_back(f.Problem("village_1", "2021-10-13"));
  const auto due_soon = f.Problem("village_1", "2021-10-21");
  f.Supervise(overdue.back(), "请本周内整改到位", "2021-10-19T15:00");  // the last, after the 10-19 slot
  // Another beyond the first lines, written after that slot but with no 督办 note (its work
  // started; a recorded warning tier writes every overdue item so): counted, not listed.
  f.Fire(overdue[notifier::kMostLinesPerList + 1], "start", "2021-10-19T16:00");
  notifier::Notifier notifier = f.MakeNotifier();
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-20T10:30")).ok());
  REQUIRE(notifier.SendDue(T("2021-10-20T10:30")).ok());
  const auto delivered = f.Delivered();

  const json& v1 = delivered.at("unit:village_1");
  std::set<std::int64_t> shown(overdue.begin(), overdue.begin() + notifier::kMostLinesPerList);
  shown.insert(overdue.back());
  CHECK(Ids(v1["overdue"]) == shown);
  CHECK(v1["overdue"].back()["supervision"] == "请本周内整改到位");
  CHECK(v1["overdue_unlisted"] == 4);
  CHECK(v1["due_soon_unlisted"] == 0);
  CHECK(Ids(v1["due_soon"]) == std::set<std::int64_t>{due_soon});
  REQUIRE(v1["full_lists"].size() == 1);
  CHECK(v1["full_lists"][0]["link"] == "http://rectify.example/?campaign=gaoqiao-2021-autumn");
  CHECK(v1["full_lists"][0]["campaign"] == "高桥镇巩固脱贫攻坚成果秋季攻势行动");
  const std::string text = v1["text"];
  INFO(text);
  CHECK(text.find("逾期 25 项，即将到期 1 项") != std::string::npos);  // the headline counts them all
  CHECK(text.find("另有逾期4项未列出，全部请登录查看：http://rectify.example/?campaign=gaoqiao-2021-autumn") !=
        std::string::npos);

  // The supervisors' 督办 list: its first lines, the noted one, and the rest counted by unit.
  for (const char* supervisor : {"supervisors:discipline_commission", "supervisors:party_building_office",
                                     "supervisors:rural_office"}) {
    INFO(supervisor);
    const json& list = delivered.at(supervisor);
    CHECK(Ids(list["overdue"]) == shown);
    CHECK(list["overdue_unlisted"] == 4);
    REQUIRE(list["unlisted_by_unit"].size() == 1);
    CHECK(list["unlisted_by_unit"].begin().value() == 4);
    const std::string said = list["text"];
    CHECK(said.find("逾期 25 项，涉及 1 个单位") != std::string::npos);
    CHECK(said.find("另有逾期4项未列出（" + list["unlisted_by_unit"].begin().key() + "4项）") != std::string::npos);
  }
}

TEST_CASE("what can no longer finish in time is flagged first in the unit's digest, even when due later") {
  PipelineFixture f;
  f.MinimumWorkingDays("rectifying.working", 8);  // from 10-20, nothing still to be worked on closes before 10-29
  const auto ready = f.Problem("village_1", "2021-10-21");
  for (const char* event : {"start", "submit"}) f.Fire(ready, event, "2021-10-13T09:00");  // past the long step
  const auto late = f.Problem("village_1", "2021-10-22");
  const auto due_later = f.Problem("village_1", "2021-10-27");  // beyond the due-soon window (10-25)
  f.Problem("village_1", "2021-11-30");                          // can still make it: not listed
  notifier::Notifier notifier = f.MakeNotifier();
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-20T10:30")).ok());
  REQUIRE(notifier.SendDue(T("2021-10-20T10:30")).ok());
  const json v1 = f.Delivered().at("unit:village_1");
  REQUIRE(v1["due_soon"].size() == 3);
  CHECK(v1["due_soon"][0]["id"] == late);
  CHECK(v1["due_soon"][0]["cannot_finish_since"].is_string());
  CHECK(v1["due_soon"][1]["id"] == due_later);
  CHECK(v1["due_soon"][1]["cannot_finish_since"].is_string());
  CHECK(v1["due_soon"][2]["id"] == ready);
  CHECK(v1["due_soon"][2]["cannot_finish_since"].is_null());
  const std::string text = v1["text"];
  INFO(text);
  const std::string flag = "已无法按期完成，请及时申请延期";
  const auto first_flag = text.find(flag);
  REQUIRE(first_flag != std::string::npos);
  CHECK(first_flag < text.find("due 2021-10-27"));  // on the first line, before the second's title
  CHECK(text.find(flag, text.find("due 2021-10-21")) == std::string::npos);  // not on the one in time
}

TEST_CASE("in the calendar's last days the pass goes on: the year's deadlines due soon, next year's data errors") {
  PipelineFixture f;
  const std::int64_t last_day = f.Problem("village_1", "2021-12-31");
  const std::int64_t next_year = f.Problem("village_2", "2022-01-05");
  f.KeepOnlyTheCalendarOf2021();
  f.EndCampaignOn(CivilDate{2021, 12, 31});  // a campaign still running in the year's last days
  notifier::Notifier notifier = f.MakeNotifier();
  // 12-29: three working days run into 2022, which the calendar lacks.
  auto enqueued = notifier.EnqueueCurrentSlot(T("2021-12-29T10:30"));
  INFO((enqueued.ok() ? std::string() : enqueued.status().ToString()));
  REQUIRE(enqueued.ok());
  REQUIRE(enqueued->data_errors.size() == 1);
  CHECK(enqueued->data_errors[0].item_id == next_year);
  CHECK(enqueued->data_errors[0].message.find("2022") != std::string::npos);
  REQUIRE(notifier.SendDue(T("2021-12-29T10:30")).ok());
  const auto delivered = f.Delivered();
  REQUIRE(delivered.count("unit:village_1") == 1);
  const json& v1 = delivered.at("unit:village_1");
  REQUIRE(v1["due_soon"].size() == 1);
  CHECK(v1["due_soon"][0]["id"] == last_day);
}

TEST_CASE("an office with no channel is named once as unrouted, though both its digests are undelivered") {
  PipelineFixture f;
  f.RemoveChannels("rural_office");
  f.Problem("rural_office", "2021-10-12");  // 6 working days overdue on 10-20: escalated to the supervisors
  notifier::Notifier notifier = f.MakeNotifier();
  auto enqueued = notifier.EnqueueCurrentSlot(T("2021-10-20T10:30"));
  REQUIRE(enqueued.ok());
  CHECK(enqueued->digests >= 2);  // the office's own and the supervisors'
  CHECK(enqueued->unrouted == std::vector<std::string>{"rural_office"});
}

TEST_CASE("a unit with no channel is named to the office as undeliverable, in a digest of its own if need be") {
  PipelineFixture f;
  f.RemoveChannels("village_2");
  f.Problem("village_2", "2021-10-19");
  notifier::Notifier notifier = f.MakeNotifier();
  auto enqueued = notifier.EnqueueCurrentSlot(T("2021-10-20T10:30"));
  REQUIRE(enqueued.ok());
  CHECK(enqueued->unrouted == std::vector<std::string>{"village_2"});
  REQUIRE(notifier.SendDue(T("2021-10-20T10:30")).ok());
  const auto delivered = f.Delivered();
  CHECK(delivered.count("unit:village_2") == 0);
  REQUIRE(delivered.count("unit:rural_office") == 1);  // the office had nothing of its own to report
  const json& office = delivered.at("unit:rural_office");
  REQUIRE(office["undeliverable_units"].size() == 1);
  const std::string village = office["undeliverable_units"][0];
  CHECK(office["text"].get<std::string>().find("未配置消息渠道：" + village) != std::string::npos);
  CHECK(office["overdue"].empty());
}

TEST_CASE("what waits for the office to close is asked of it as 待销号 in a section of its own") {
  PipelineFixture f;
  const auto done = f.Problem("village_1", "2021-10-21");
  for (const char* event : {"start", "submit", "verify"}) f.Fire(done, event, "2021-10-13T09:00");
  notifier::Notifier notifier = f.MakeNotifier();
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-20T10:30")).ok());
  REQUIRE(notifier.SendDue(T("2021-10-20T10:30")).ok());
  const auto delivered = f.Delivered();
  CHECK(delivered.count("unit:village_1") == 0);
  const json& office = delivered.at("unit:rural_office");
  REQUIRE(office["due_soon"].size() == 1);
  CHECK(office["due_soon"][0]["id"] == done);
  CHECK(office["due_soon"][0]["ask"] == "待销号");
  CHECK(office["text"].get<std::string>().find("待销号（1项）") != std::string::npos);
}

TEST_CASE("on the 督办 list a long-overdue item that waits for the office to close is the office's, not the unit's") {
  PipelineFixture f;
  const auto verified = f.Problem("village_1", "2021-10-14");  // 4 working days late on 10-20
  for (const char* event : {"start", "submit", "verify"}) f.Fire(verified, event, "2021-10-13T09:00");
  const auto working = f.Problem("village_2", "2021-10-14");
  f.Fire(working, "start", "2021-10-13T09:00");
  notifier::Notifier notifier = f.MakeNotifier();
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-20T10:30")).ok());
  REQUIRE(notifier.SendDue(T("2021-10-20T10:30")).ok());
  const auto delivered = f.Delivered();
  const json& list = delivered.at("supervisors:discipline_commission");
  REQUIRE(Ids(list["overdue"]) == std::set<std::int64_t>{verified, working});
  const std::string text = list["text"];
  INFO(text);
  const std::string office = f.campaign().FindUnit("rural_office")->name + "（1项）";
  const std::string village_2 = f.campaign().FindUnit("village_2")->name + "（1项）";
  CHECK(text.find(office) != std::string::npos);
  CHECK(text.find(village_2) != std::string::npos);
  CHECK(text.find(f.campaign().FindUnit("village_1")->name + "（") == std::string::npos);
  // Its line still names its unit for whoever reads the JSON.
  for (const json& line : list["overdue"])
    if (line["id"] == verified) CHECK(line["unit"] == f.campaign().FindUnit("village_1")->name);
}

TEST_CASE("a signed robot gets the real time in its signature while the business clock is set back") {
  const Instant today = T("2026-11-29T12:00");
  PipelineFixture f(today);  // the robot's clock is today's; the campaign's is 2021's
  f.UseDingTalk("village_1");
  f.Problem("village_1", "2021-10-14");
  ManualClock wall(today + 5);
  notifier::Notifier notifier = f.MakeNotifier(8, &wall);
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-20T10:30")).ok());
  auto sent = notifier.SendDue(T("2021-10-20T10:30"));
  REQUIRE(sent.ok());
  CHECK(sent->sent >= 1);
  CHECK(sent->failed == 0);
  const auto received = f.receiver().Received("dingtalk");
  REQUIRE(received.size() == 1);
  CHECK(received[0].params.at("timestamp") == std::to_string((today + 5) * 1000));
  // Signed with the business time instead, the robot refuses it as stale.
  PipelineFixture stale(today);
  stale.UseDingTalk("village_1");
  stale.Problem("village_1", "2021-10-14");
  notifier::Notifier business_signed = stale.MakeNotifier();
  REQUIRE(business_signed.EnqueueCurrentSlot(T("2021-10-20T10:30")).ok());
  auto refused = business_signed.SendDue(T("2021-10-20T10:30"));
  REQUIRE(refused.ok());
  CHECK(refused->failed + refused->dead == 1);  // village_1's digest; the webhooks still go out
}

TEST_CASE("a robot that answers it is rate limited gets nothing more for the time it is locked") {
  PipelineFixture f;
  f.UseDingTalk("village_1");
  f.Problem("village_1", "2021-10-14");
  const ManualClock wall(T("2021-10-20T09:00"));  // the robot's clock
  notifier::Notifier notifier = f.MakeNotifier(8, &wall);
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-20T10:30")).ok());
  f.receiver().AnswerEverythingWith(200, R"({"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"})");
  auto limited = notifier.SendDue(T("2021-10-20T10:30"));
  REQUIRE(limited.ok());
  CHECK(limited->deferred == 1);  // the DingTalk digest waits: no failure, no attempt counted
  CHECK(limited->failed == 0);
  CHECK(limited->dead == 0);
  auto listed = f.store().outbox().ListOutbox(notifier::OutboxState::kPending, 0, 50);
  REQUIRE(listed.ok());
  bool seen = false;
  for (const notifier::OutboxMessage& m : *listed) {
    if (m.channel != f.ChannelKey("village_1")) continue;
    seen = true;
    CHECK(m.attempts == 0);
    CHECK(m.next_attempt_at == T("2021-10-20T10:40"));
  }
  CHECK(seen);
  const std::size_t tried = f.receiver().Received("dingtalk").size();
  REQUIRE(tried == 1);
  f.receiver().AnswerNormally();
  // DingTalk locks the robot for 10 minutes: nothing goes to it before 10:40, from this notifier
  // or from another process's (notify --once a few minutes later), which knows nothing of the lock.
  auto waiting = notifier.SendDue(T("2021-10-20T10:35"));
  REQUIRE(waiting.ok());
  CHECK(f.receiver().Received("dingtalk").size() == tried);
  notifier::Notifier another = f.MakeNotifier(8, &wall);
  REQUIRE(another.SendDue(T("2021-10-20T10:36")).ok());
  CHECK(f.receiver().Received("dingtalk").size() == tried);
  auto after = notifier.SendDue(T("2021-10-20T10:41"));
  REQUIRE(after.ok());
  CHECK(f.receiver().Received("dingtalk").size() == tried + 1);
}

TEST_CASE("SMS digests go out through the outbox within each number's limits, a shared number counted once") {
  PipelineFixture f(T("2021-10-20T10:30"));
  f.UseSms("village_1", {"13800000001", "13900000002"});
  f.UseSms("village_2", {"13900000002"});
  f.Problem("village_1", "2021-10-14");
  f.Problem("village_2", "2021-10-14");
  notifier::Notifier notifier = f.MakeNotifier();
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-20T10:30")).ok());
  auto first = notifier.SendDue(T("2021-10-20T10:30"));
  REQUIRE(first.ok());
  // 13900000002 may have one SMS a minute: one of the two units' waits.
  CHECK(first->deferred == 1);
  REQUIRE(f.gateway().Received().size() == 1);
  CHECK(f.gateway().Refused() == 0);
  f.gateway().SetNow(T("2021-10-20T10:31"));
  auto second = notifier.SendDue(T("2021-10-20T10:31"));
  REQUIRE(second.ok());
  CHECK(second->deferred == 0);
  const auto received = f.gateway().Received();
  REQUIRE(received.size() == 2);
  std::set<std::string> units;
  for (const SmsSent& sms : received) {
    units.insert(sms.template_param["unit"].get<std::string>());
    CHECK(sms.template_param["overdue"] == "1");
    CHECK_THAT(sms.template_param["link"].get<std::string>(), Catch::Contains("#/item/problem/"));
  }
  CHECK(units.size() == 2);
  CHECK(f.gateway().Refused() == 0);
}

TEST_CASE("a number the SMS gateway refuses under its flow control waits the period the gateway names") {
  PipelineFixture f(T("2021-10-20T10:30"));
  f.UseSms("village_1", {"13800000001"});
  f.Problem("village_1", "2021-10-14");
  notifier::Notifier notifier = f.MakeNotifier();
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-20T10:30")).ok());
  f.gateway().AnswerEverythingWith(200, R"({"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发小时级流控Permits:5"})");
  auto limited = notifier.SendDue(T("2021-10-20T10:30"));
  REQUIRE(limited.ok());
  CHECK(limited->dead == 0);
  CHECK(f.gateway().Refused() == 1);
  f.gateway().AnswerNormally();
  // Locked for the hour the gateway named, not the minute a robot's lockout lasts: nothing goes
  // to the number before 11:30.
  f.gateway().SetNow(T("2021-10-20T11:00"));
  REQUIRE(notifier.SendDue(T("2021-10-20T11:00")).ok());
  CHECK(f.gateway().Refused() == 1);
  CHECK(f.gateway().Received().empty());
  f.gateway().SetNow(T("2021-10-20T11:31"));
  REQUIRE(notifier.SendDue(T("2021-10-20T11:31")).ok());
  CHECK(f.gateway().Received().size() == 1);
}

TEST_CASE("a pending message goes to its own channel after the channel file is reordered") {
  PipelineFixture f;
  f.UseWebhookAndDingTalk("village_1");
  f.Problem("village_1", "2021-10-14");
  const ManualClock wall(T("2021-10-20T09:00"));  // the robot's clock
  {
    notifier::Notifier before = f.MakeNotifier(8, &wall);
    REQUIRE(before.EnqueueCurrentSlot(T("2021-10-20T10:30")).ok());
  }
  f.ReverseChannels("village_1");  // the operator reorders the file and restarts
  notifier::Notifier after = f.MakeNotifier(8, &wall);
  auto sent = after.SendDue(T("2021-10-20T10:30"));
  REQUIRE(sent.ok());
  CHECK(sent->dead == 0);
  CHECK(sent->failed == 0);
  // The webhook got its JSON digest and the robot its markdown, each from its own row.
  CHECK(f.Delivered().count("unit:village_1") == 1);
  const auto robot = f.receiver().Received("dingtalk");
  REQUIRE(robot.size() == 1);
  CHECK(robot[0].message["msgtype"] == "markdown");
}

TEST_CASE("a message enqueued before channels had ids still goes to the channel at its position") {
  PipelineFixture f;
  notifier::OutboxMessage legacy;
  legacy.idempotency_key = "2021-10-20T09:00:00+08:00|unit|village_1#0|1";
  legacy.slot = "2021-10-20T09:00:00+08:00";
  legacy.audience = "unit";
  legacy.unit = "village_1";
  legacy.channel = "village_1#position:0";  // as migration 11 marks it
  legacy.message = "{\"text\": \"written by an older rectify\"}";
  legacy.created_at = T("2021-10-20T09:00");
  legacy.next_attempt_at = T("2021-10-20T09:00");
  REQUIRE(f.store().outbox().Enqueue({legacy}).ok());
  notifier::Notifier notifier = f.MakeNotifier();
  auto sent = notifier.SendDue(T("2021-10-20T09:00"));
  REQUIRE(sent.ok());
  CHECK(sent->sent == 1);
  CHECK(f.receiver().Received("webhook").size() == 1);
}

TEST_CASE("after a phase ends the items behind its gate go to the supervisors") {
  PipelineFixture f;
  const auto working = f.Problem("village_3", "2021-11-30");  // not due, but not submitted by 10-31
  f.HandInLedger("village_3", T("2021-10-25T10:00"));         // so only the gate is left to report
  notifier::Notifier notifier = f.MakeNotifier();
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-29T09:00")).ok());
  REQUIRE(notifier.SendDue(T("2021-10-29T09:00")).ok());
  CHECK(f.Delivered().empty());  // 组织实施 runs to 10-31: nothing to escalate yet
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-11-01T09:00")).ok());
  REQUIRE(notifier.SendDue(T("2021-11-01T09:00")).ok());
  const auto delivered = f.Delivered();
  REQUIRE(delivered.count("supervisors:discipline_commission") == 1);
  const json& list = delivered.at("supervisors:discipline_commission")["overdue"];
  REQUIRE(list.size() == 1);
  CHECK(list[0]["id"] == working);
  CHECK(list[0]["title"].get<std::string>().find("组织实施") != std::string::npos);
  CHECK(delivered.count("unit:village_3") == 0);  // its own deadline is still ahead
}

TEST_CASE("a unit gets one digest per slot however often the notifier runs") {
  PipelineFixture f;
  f.Problem("village_1", "2021-10-14");
  notifier::Notifier notifier = f.MakeNotifier();
  for (const char* now : {"2021-10-20T09:00", "2021-10-20T09:01", "2021-10-20T16:00"}) {
    INFO(now);
    REQUIRE(notifier.EnqueueCurrentSlot(T(now)).ok());
    REQUIRE(notifier.SendDue(T(now)).ok());
  }
  CHECK(f.receiver().Received("webhook").size() == 4);  // village_1 and three supervisors, once each

  // Friday's slot, then nothing new over the weekend: the next slot is Monday 09:00.
  auto friday = notifier.EnqueueCurrentSlot(T("2021-10-22T09:30"));
  REQUIRE(friday.ok());
  CHECK(friday->enqueued == 4);
  auto saturday = notifier.EnqueueCurrentSlot(T("2021-10-23T10:00"));
  REQUIRE(saturday.ok());
  CHECK(FormatInstant(*saturday->slot) == "2021-10-22T09:00:00+08:00");
  CHECK(saturday->already_enqueued);
  CHECK(saturday->enqueued == 0);
  // A restarted notifier knows Friday's slot is done without scanning it again.
  notifier::Notifier restarted = f.MakeNotifier();
  auto sunday = restarted.EnqueueCurrentSlot(T("2021-10-24T10:00"));
  REQUIRE(sunday.ok());
  CHECK(sunday->already_enqueued);
  auto monday = notifier.EnqueueCurrentSlot(T("2021-10-25T09:00"));
  REQUIRE(monday.ok());
  CHECK(monday->enqueued == 4);
}

TEST_CASE("before the first slot of a working day the previous working day's slot is current") {
  PipelineFixture f;
  f.Problem("village_1", "2021-10-14");
  notifier::Notifier notifier = f.MakeNotifier();
  // National Day: 10-08 (Friday) is the first working day after the holiday.
  auto early = notifier.EnqueueCurrentSlot(T("2021-10-08T08:59"));
  REQUIRE(early.ok());
  CHECK(FormatInstant(*early->slot) == "2021-09-30T09:00:00+08:00");
  CHECK(early->missed);  // never sent: not the 8th's
  CHECK(early->enqueued == 0);
}

TEST_CASE("a receiver that fails is retried with backoff and then recovers") {
  PipelineFixture f;
  f.Problem("village_2", "2021-10-19");
  notifier::Notifier notifier = f.MakeNotifier();
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-20T09:00")).ok());
  f.receiver().AnswerEverythingWith(500, "maintenance");
  auto first = notifier.SendDue(T("2021-10-20T09:00"));
  REQUIRE(first.ok());
  CHECK(first->failed == 1);
  auto failed = f.store().outbox().ListOutbox(notifier::OutboxState::kFailed, 0, 10);
  REQUIRE(failed.ok());
  REQUIRE(failed->size() == 1);
  CHECK(failed->front().last_error.find("500") != std::string::npos);
  CHECK(failed->front().next_attempt_at == T("2021-10-20T09:01"));

  auto too_early = notifier.SendDue(T("2021-10-20T09:00:30"));
  REQUIRE(too_early.ok());
  CHECK(too_early->sent + too_early->failed == 0);

  f.receiver().AnswerNormally();
  auto retried = notifier.SendDue(T("2021-10-20T09:01"));
  REQUIRE(retried.ok());
  CHECK(retried->sent == 1);
  auto log = f.store().outbox().NotificationLog("2021-10-20T09:00:00+08:00");
  REQUIRE(log.ok());
  CHECK(log->size() == 1);
  // The receiver saw the same idempotency key on both attempts.
  const auto requests = f.receiver().Received("webhook");
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].headers.at("Idempotency-Key") == requests[1].headers.at("Idempotency-Key"));
}

TEST_CASE("a receiver that stays down ends in the dead letters with its last error") {
  PipelineFixture f;
  f.Problem("village_2", "2021-10-19");
  notifier::Notifier notifier = f.MakeNotifier(/*max_attempts=*/3);
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-20T09:00")).ok());
  f.receiver().AnswerEverythingWith(503, "down");
  Instant now = T("2021-10-20T09:00");
  int dead = 0;
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto report = notifier.SendDue(now);
    REQUIRE(report.ok());
    dead += report->dead;
    now += 3600;  // past any backoff
  }
  CHECK(dead == 1);
  auto letters = f.store().outbox().ListOutbox(notifier::OutboxState::kDead, 0, 10);
  REQUIRE(letters.ok());
  REQUIRE(letters->size() == 1);
  CHECK(letters->front().attempts == 3);
  CHECK(letters->front().last_error.find("503") != std::string::npos);
  auto more = notifier.SendDue(now + 86400);
  REQUIRE(more.ok());
  CHECK(more->sent + more->failed + more->dead == 0);
}

TEST_CASE("a receiver that refuses the message for good is dead-lettered at once") {
  PipelineFixture f;
  f.Problem("village_2", "2021-10-19");
  notifier::Notifier notifier = f.MakeNotifier();
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-20T09:00")).ok());
  f.receiver().AnswerEverythingWith(404, "no such hook");  // a wrong URL will not heal itself
  auto report = notifier.SendDue(T("2021-10-20T09:00"));
  REQUIRE(report.ok());
  CHECK(report->dead == 1);
  CHECK(report->failed == 0);
  auto letters = f.store().outbox().ListOutbox(notifier::OutboxState::kDead, 0, 10);
  REQUIRE(letters.ok());
  REQUIRE(letters->size() == 1);
  CHECK(letters->front().attempts == 1);
  CHECK(letters->front().last_error.find("HTTP 404") != std::string::npos);
}

}  // namespace rectify::testing

namespace rectify::testing {

TEST_CASE("a unit that has not handed in its ledger is reminded before 10-26 and told it is overdue after") {
  PipelineFixture f;
  f.Problem("village_1", "2021-11-30");  // owes a ledger; its problem is not due soon
  f.Problem("village_2", "2021-11-30");  // owes one too, and has handed it in
  f.HandInLedger("village_2", T("2021-10-21T17:00"));
  notifier::Notifier notifier = f.MakeNotifier();

  // Friday 10-22: the ledger is due within 3 working days (Mon 25, Tue 26 17:30).
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-22T09:00")).ok());
  REQUIRE(notifier.SendDue(T("2021-10-22T09:00")).ok());
  auto delivered = f.Delivered();
  REQUIRE(delivered.count("unit:village_1") == 1);
  const json soon = delivered.at("unit:village_1")["due_soon"];
  REQUIRE(soon.size() == 1);
  CHECK(soon[0]["kind"] == "ledger");
  CHECK(soon[0]["deadline"] == "2021-10-26T17:30:00+08:00");
  CHECK(soon[0]["deadline_label"] == "报送时限");
  CHECK(soon[0]["working_days_left"] == 2);
  CHECK(soon[0]["link"] == "http://rectify.example/?campaign=gaoqiao-2021-autumn#/exports");
  CHECK(delivered.at("unit:village_1")["text"].get<std::string>().find("问题排查整改台账") != std::string::npos);
  CHECK(delivered.count("unit:village_2") == 0);  // handed in
  CHECK(delivered.count("unit:village_3") == 0);  // no problem, no ledger owed

  // Wednesday 10-27: one working day overdue, in the unit's digest only.
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-27T09:00")).ok());
  REQUIRE(notifier.SendDue(T("2021-10-27T09:00")).ok());
  delivered = f.Delivered();
  const json overdue = delivered.at("unit:village_1")["overdue"];
  REQUIRE(overdue.size() == 1);
  CHECK(overdue[0]["kind"] == "ledger");
  CHECK(overdue[0]["working_days_overdue"] == 1);
  CHECK(delivered.at("unit:village_1")["due_soon"].empty());
  CHECK(delivered.count("supervisors:discipline_commission") == 0);

  // Monday 11-01: four working days overdue, past the threshold of 3: on the 督办 list too.
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-11-01T09:00")).ok());
  REQUIRE(notifier.SendDue(T("2021-11-01T09:00")).ok());
  delivered = f.Delivered();
  REQUIRE(delivered.count("supervisors:discipline_commission") == 1);
  int ledgers = 0;
  for (const json& row : delivered.at("supervisors:discipline_commission")["overdue"])
    if (row["kind"] == "ledger") {
      ++ledgers;
      CHECK(row["unit"] == "示例村一");
      CHECK(row["working_days_overdue"] == 4);
    }
  CHECK(ledgers == 1);
}

TEST_CASE("a ledger handed in late stops the reminders from the next slot on") {
  PipelineFixture f;
  f.Problem("village_1", "2021-11-30");
  notifier::Notifier notifier = f.MakeNotifier();
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-27T09:00")).ok());
  REQUIRE(notifier.SendDue(T("2021-10-27T09:00")).ok());
  REQUIRE(f.receiver().Received("webhook").size() == 1);
  f.HandInLedger("village_1", T("2021-10-27T15:00"));
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-28T09:00")).ok());
  REQUIRE(notifier.SendDue(T("2021-10-28T09:00")).ok());
  CHECK(f.receiver().Received("webhook").size() == 1);  // nothing else to tell village_1
}

TEST_CASE("a village with households not yet visited is reminded before the survey deadline and escalated after") {
  PipelineFixture f;
  f.SurveyHousehold("village_2", "张三", false);
  f.SurveyHousehold("village_2", "李四", false);
  f.SurveyHousehold("village_2", "王五", true);
  f.SurveyHousehold("village_3", "赵六", true);  // all visited: nothing to say
  notifier::Notifier notifier = f.MakeNotifier();
  // Monday 10-25: the end of 组织实施 (10-31 24:00) is more than 3 working days away.
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-25T09:00")).ok());
  REQUIRE(notifier.SendDue(T("2021-10-25T09:00")).ok());
  CHECK(f.Delivered().empty());
  // Thursday 10-28: due within 3 working days.
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-10-28T09:00")).ok());
  REQUIRE(notifier.SendDue(T("2021-10-28T09:00")).ok());
  auto delivered = f.Delivered();
  REQUIRE(delivered.size() == 1);
  const json& soon = delivered.at("unit:village_2")["due_soon"];
  REQUIRE(soon.size() == 1);
  CHECK(soon[0]["kind"] == "survey");
  CHECK(soon[0]["title"] == "入户核查（附件2）尚有2户未完成（名单共3户）");
  CHECK(soon[0]["link"] == "http://rectify.example/?campaign=gaoqiao-2021-autumn#/survey");
  // Monday 11-01: late, in the village's digest and on the 督办 list at once.
  REQUIRE(notifier.EnqueueCurrentSlot(T("2021-11-01T09:00")).ok());
  REQUIRE(notifier.SendDue(T("2021-11-01T09:00")).ok());
  delivered = f.Delivered();
  const json& late = delivered.at("unit:village_2")["overdue"];
  REQUIRE(late.size() == 1);
  CHECK(late[0]["kind"] == "survey");
  CHECK(late[0]["working_days_overdue"] == 1);
  CHECK(delivered.count("unit:village_3") == 0);
  for (const char* supervisor : {"supervisors:discipline_commission", "supervisors:party_building_office",
                                     "supervisors:rural_office"}) {
    INFO(supervisor);
    const json& listed = delivered.at(supervisor)["overdue"];
    CHECK(std::count_if(listed.begin(), listed.end(), [](const json& row) { return row["kind"] == "survey"; }) == 1);
  }
}

namespace {

// A message for `channel` whose JSON names its `part`, due at `at`; Parts reads them back, as JSON.
notifier::OutboxMessage QueuedMessage(const std::string& unit, const std::string& channel, const std::string& part,
                                      Instant at) {
  notifier::OutboxMessage message;
  message.idempotency_key = "test:" + channel + ":" + part;
  message.slot = "2021-10-20T09:00:00+08:00";
  message.audience = "unit";
  message.unit = unit;
  message.channel = channel;
  message.message = json{{"part", part}}.dump();
  message.created_at = at;
  message.next_attempt_at = at;
  return message;
}

std::vector<std::string> Parts(const std::vector<ReceivedRequest>& received) {
  std::vector<std::string> parts;
  for (const ReceivedRequest& r : received) parts.push_back(r.message["part"].dump());
  return parts;
}

}  // namespace

TEST_CASE("a receiver that hangs holds up only its own channel, not the other units' digests") {
  PipelineFixture f;
  // village_1's webhook takes the request and answers only when the test lets it (or after 10 s).
  std::mutex mutex;
  std::condition_variable changed;
  bool released = false;
  std::size_t others_when_released = 0;
  LoopbackListener hanging([&](int socket) {
    std::string buffer, line;
    while (ReadLine(socket, buffer, line) && !line.empty()) {
    }
    std::unique_lock<std::mutex> lock(mutex);
    changed.wait_for(lock, std::chrono::seconds(10), [&] { return released; });
    others_when_released = f.receiver().Received("webhook").size();
    WriteAll(socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
  });
  const Instant at = T("2021-10-20T09:05");
  const std::string hung = f.RouteWebhook("village_1", "http://127.0.0.1:" + std::to_string(hanging.port()) + "/hook");
  // village_1's is written first: delivered one after another, it would hold up the others.
  REQUIRE(f.store().outbox().Enqueue({QueuedMessage("village_1", hung, "v1", at),
                                      QueuedMessage("village_2", f.ChannelKey("village_2"), "v2", at),
                                      QueuedMessage("village_3", f.ChannelKey("village_3"), "v3", at)})
              .ok());
  notifier::Notifier notifier = f.MakeNotifier();
  Result<notifier::SendReport> sent = Status::Internal("not run");
  std::thread sending([&] { sent = notifier.SendDue(at); });
  for (int waited = 0; waited < 1000 && f.receiver().Received("webhook").size() < 2; ++waited)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  {
    std::lock_guard<std::mutex> lock(mutex);
    released = true;
  }
  changed.notify_all();
  sending.join();
  REQUIRE(sent.ok());
  CHECK(sent->sent == 3);
  CHECK(others_when_released == 2);  // both other units had theirs while village_1's receiver hung
}

TEST_CASE("behind a message waiting for its retry the channel's later parts wait too, unattempted, and go out in order") {
  PipelineFixture f;
  RobotReceiver failing(T("2021-10-20T09:00"));
  failing.AnswerEverythingWith(503, "{}");
  const std::string channel = f.RouteWebhook("village_2", failing.WebhookUrl());
  const Instant at = T("2021-10-20T09:05");
  REQUIRE(f.store().outbox().Enqueue({QueuedMessage("village_2", channel, "1/2", at),
                                      QueuedMessage("village_2", channel, "2/2", at),
                                      QueuedMessage("village_3", f.ChannelKey("village_3"), "v3", at)})
              .ok());
  notifier::Notifier notifier = f.MakeNotifier();
  auto first = notifier.SendDue(at);
  REQUIRE(first.ok());
  CHECK(first->sent == 1);      // village_3's
  CHECK(first->failed == 1);    // part 1, to be retried in a minute
  CHECK(first->deferred == 1);  // part 2, behind it
  CHECK(Parts(failing.Received("webhook")) == std::vector<std::string>{"\"1/2\""});
  auto listed = f.store().outbox().ListOutbox(std::nullopt, 0, 10);
  REQUIRE(listed.ok());
  std::map<std::string, notifier::OutboxMessage> by_key;
  for (const notifier::OutboxMessage& m : *listed) by_key[m.idempotency_key] = m;
  const notifier::OutboxMessage& one = by_key.at("test:" + channel + ":1/2");
  const notifier::OutboxMessage& two = by_key.at("test:" + channel + ":2/2");
  CHECK(one.attempts == 1);
  CHECK(two.attempts == 0);  // not attempted: nothing counts against it
  CHECK(two.next_attempt_at == one.next_attempt_at);

  // Half a minute later, another pass (or another process): part 2 is not due yet either.
  failing.AnswerNormally();
  auto early = notifier.SendDue(at + 30);
  REQUIRE(early.ok());
  CHECK(early->sent == 0);
  CHECK(failing.Received("webhook").size() == 1);
  // At the retry, both, in order.
  auto retried = notifier.SendDue(one.next_attempt_at);
  REQUIRE(retried.ok());
  CHECK(retried->sent == 2);
  CHECK(Parts(failing.Received("webhook")) == std::vector<std::string>{"\"1/2\"", "\"1/2\"", "\"2/2\""});
}

TEST_CASE("an attempt that outlasted its claim, the message sent meanwhile by another process, ends the pass no sooner") {
  PipelineFixture f;
  const Instant at = T("2021-10-20T09:05");
  // village_1's receiver answers 503, but only after another process (a second opening of the
  // database) delivered the same message, as it may once this attempt outlasted its claim.
  std::unique_ptr<SqliteStores> other;
  {
    auto opened = SqliteStores::Open(f.DatabasePath());
    REQUIRE(opened.ok());
    other = std::move(opened.value());
  }
  std::int64_t slow_id = 0;
  Status marked_elsewhere = Status::Internal("not asked");
  int requests = 0;  // the listener takes one connection at a time
  LoopbackListener slow([&](int socket) {
    std::string buffer, line;
    while (ReadLine(socket, buffer, line) && !line.empty()) {
    }
    ++requests;
    if (requests > 1) {  // part 2: accepted
      WriteAll(socket, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
      return;
    }
    marked_elsewhere = other->outbox().MarkSent(slow_id, at + 20 * 60);
    WriteAll(socket, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
  });
  const std::string channel = f.RouteWebhook("village_1", "http://127.0.0.1:" + std::to_string(slow.port()) + "/hook");
  REQUIRE(f.store().outbox().Enqueue({QueuedMessage("village_1", channel, "1/2", at),
                                      QueuedMessage("village_1", channel, "2/2", at),
                                      QueuedMessage("village_2", f.ChannelKey("village_2"), "v2", at)})
              .ok());
  auto listed = f.store().outbox().ListOutbox(std::nullopt, 0, 10);
  REQUIRE(listed.ok());
  for (const notifier::OutboxMessage& m : *listed)
    if (m.idempotency_key == "test:" + channel + ":1/2") slow_id = m.id;
  REQUIRE(slow_id > 0);

  notifier::Notifier notifier = f.MakeNotifier();
  auto sent = notifier.SendDue(at);
  INFO(sent.status().ToString());
  REQUIRE(sent.ok());  // not event_not_allowed: "already sent"
  CHECK(marked_elsewhere.ok());
  CHECK(sent->failed == 0);
  CHECK(sent->sent == 2);  // village_1's part 2, after it, and village_2's
  CHECK(requests == 2);
  CHECK(f.receiver().Received("webhook").size() == 1);
}

}  // namespace rectify::testing
