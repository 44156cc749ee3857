// The scan's stages one by one (notifier/scan_stages.h), on hand-made items of the Gaoqiao
// campaign: each pure stage from its inputs alone, no store.
#include <catch2/catch.hpp>

#include "config/campaign_loader.h"
#include "notifier/scan_stages.h"
#include "tests/notifier/sample_digests.h"

namespace rectify::testing {
namespace {

using notifier::Collected;
using notifier::Due;
using notifier::Line;
using notifier::LineSource;

const Campaign& Gaoqiao() {
  static const Result<Campaign> campaign =
      LoadCampaignFile(std::string(RECTIFY_SOURCE_DIR) + "/workflows/gaoqiao-2021-autumn.json");
  REQUIRE(campaign.ok());
  return *campaign;
}

const Instant kAsOf = At("2021-10-27T09:00:00+08:00");  // a Wednesday

rectify::Item Problem(std::int64_t id, const std::string& unit, const char* due_at, const char* state = "assigned") {
  rectify::Item item;
  item.id = id;
  item.kind = ItemKind::kProblem;
  item.title = "problem " + std::to_string(id);
  item.area = 2;
  item.unit = unit;
  item.state = StatePath{state, ""};
  item.state_since = At("2021-10-12T09:00:00+08:00");
  item.deadline = At(due_at);
  item.due_at = At(due_at);
  return item;
}

Line ItemLineOf(const rectify::Item& item, bool overdue, int working_days_overdue) {
  Line line;
  line.source = LineSource::kItem;
  line.item = &item;
  line.row.id = item.id;
  line.row.overdue = overdue;
  line.row.working_days_overdue = working_days_overdue;
  line.row.unit_name = item.unit;
  return line;
}

}  // namespace

TEST_CASE("inhibit drops the silenced, those whose dates cannot be computed, and those due later that can finish") {
  Collected collected;
  collected.items = {{Problem(1, "village_1", "2021-10-22T17:30"), Due::kOverdue, std::nullopt, {}},
                     {Problem(2, "village_1", "2021-10-28T17:30"), Due::kSoon, std::nullopt, {}},
                     {Problem(3, "village_2", "2035-10-28T17:30"), Due::kLater, std::nullopt, {}},
                     {Problem(4, "village_2", "2021-12-20T17:30"), Due::kLater, std::nullopt, {}}};
  Silence silence;
  silence.item_id = 2;
  silence.until = kAsOf + 86400;
  std::vector<DataError> errors;
  notifier::Admission admission({silence}, kAsOf);
  const Collected kept = notifier::Inhibit(Gaoqiao(), collected, admission, kAsOf, errors);
  REQUIRE(kept.items.size() == 1);
  CHECK(kept.items[0].item.id == 1);
  REQUIRE(errors.size() == 1);  // problem 3: the calendar does not cover 2035
  // A silence that has ended silences nothing.
  silence.until = kAsOf;
  errors.clear();
  notifier::Admission ended({silence}, kAsOf);
  CHECK(notifier::Inhibit(Gaoqiao(), collected, ended, kAsOf, errors).items.size() == 2);
  // Told once: an item asked about again, as a gate's or by a second stage, adds no second error.
  CHECK(errors.size() == 1);
  CHECK(notifier::Inhibit(Gaoqiao(), collected, ended, kAsOf, errors).items.size() == 2);
  CHECK(errors.size() == 1);
}

TEST_CASE("every line counts its working days from its deadline's day, or from the day it is given") {
  notifier::LineFacts facts;
  facts.kind = "ledger";
  facts.title = "台账";
  facts.unit = "village_1";
  facts.deadline = At("2021-10-22T17:30:00+08:00");  // Friday
  facts.overdue = true;
  auto row = notifier::MakeLine(Gaoqiao(), facts, kAsOf);
  REQUIRE(row.ok());
  CHECK(row->working_days_overdue == 3);  // Monday, Tuesday, Wednesday
  CHECK(row->campaign_name == Gaoqiao().name);
  CHECK(row->unit_name == Gaoqiao().FindUnit("village_1")->name);
  facts.counted_from = CivilDate{2021, 10, 25};
  CHECK(notifier::MakeLine(Gaoqiao(), facts, kAsOf)->working_days_overdue == 2);
  // Without a unit the line is the office's.
  facts.unit.clear();
  CHECK(notifier::MakeLine(Gaoqiao(), facts, kAsOf)->unit_name == Gaoqiao().FindUnit("rural_office")->name);
  facts.overdue = false;
  facts.counted_from.reset();
  facts.deadline = At("2021-10-29T17:30:00+08:00");
  CHECK(notifier::MakeLine(Gaoqiao(), facts, kAsOf)->working_days_left == 2);
}

TEST_CASE("tier makes a line per item, ledger owed and gate missed, with what is asked and the 督办 notes since the last slot") {
  Collected collected;
  collected.soon_end = At("2021-11-01T00:00:00+08:00");
  rectify::Item sent_back = Problem(1, "village_1", "2021-10-22T17:30");
  sent_back.send_back_count = 1;
  EventRecord back;
  back.event = "send_back";
  back.at = At("2021-10-26T09:00:00+08:00");
  back.note = "reason: 照片不清晰";
  back.sent_back = true;
  EventRecord old_note;
  old_note.event = "supervise";
  old_note.at = At("2021-10-25T10:00:00+08:00");
  old_note.note = "已督办过";
  EventRecord new_note = old_note;
  new_note.at = At("2021-10-26T10:00:00+08:00");
  new_note.note = "请于本周内整改到位";
  // The 督办 note comes after the send-back and must not hide its reason.
  collected.items = {{sent_back, Due::kOverdue, std::nullopt, {old_note, back, new_note}}};
  Phase phase;
  phase.name = "自查自纠";
  phase.end = CivilDate{2021, 10, 22};
  collected.gates = {{&phase, At("2021-10-23T00:00:00+08:00"), {Problem(2, "village_2", "2021-11-30T17:30", "found")}, {}}};
  LedgerStatus owed;
  owed.unit = "village_3";
  owed.due = At("2021-10-26T00:00:00+08:00");
  owed.overdue = true;
  LedgerStatus handed_in = owed;
  handed_in.unit = "village_2";
  handed_in.handin = LedgerHandIn{};
  const std::vector<LedgerStatus> ledgers = {owed, handed_in};
  std::vector<DataError> errors;
  auto lines = notifier::Tier(Gaoqiao(), collected,
                              notifier::TierInputs{ledgers, nullptr, At("2021-10-25T12:00:00+08:00"), "http://r"},
                              kAsOf, errors);
  REQUIRE(lines.ok());
  REQUIRE(lines->size() == 3);
  const DigestItem& item = (*lines)[0].row;
  CHECK(item.ask == "退回重办：照片不清晰");
  CHECK(item.supervision == "请于本周内整改到位");  // the older note was shown at the slot before
  CHECK(item.working_days_overdue == 3);
  CHECK(item.link == "http://r/?campaign=" + Gaoqiao().id + "#/item/problem/1");
  CHECK((*lines)[1].source == LineSource::kLedger);
  CHECK((*lines)[1].owner == "village_3");
  CHECK((*lines)[1].row.kind == "ledger");
  CHECK((*lines)[2].source == LineSource::kGate);
  CHECK((*lines)[2].row.title == "problem 2（自查自纠阶段结束未达到要求）");
  CHECK((*lines)[2].row.working_days_overdue == 3);  // counted from the phase's last day
  CHECK(errors.empty());
}

TEST_CASE("a send-back's reason is asked until the unit hands its work in again, a signature alone changes nothing") {
  Collected collected;
  collected.soon_end = At("2021-11-01T00:00:00+08:00");
  EventRecord back;
  back.event = "send_back";
  back.from = "rectifying.submitted";
  back.to = "rectifying.working";
  back.at = At("2021-10-25T09:00:00+08:00");
  back.note = "reason: 缺少佐证照片";
  back.sent_back = true;
  EventRecord signed_only;
  signed_only.event = "sign_for";
  signed_only.from = signed_only.to = "rectifying.working";
  signed_only.at = At("2021-10-25T10:00:00+08:00");
  signed_only.signed_for = true;
  // Submitted again without signing first: the submission signs too (record_signing).
  EventRecord resubmitted;
  resubmitted.event = "submit";
  resubmitted.from = "rectifying.working";
  resubmitted.to = "rectifying.submitted";
  resubmitted.at = At("2021-10-25T11:00:00+08:00");
  resubmitted.signed_for = true;

  rectify::Item working = Problem(1, "village_1", "2021-10-22T17:30");
  working.state = StatePath{"rectifying", "working"};
  working.send_back_count = 1;
  rectify::Item submitted = working;
  submitted.id = 2;
  submitted.state = StatePath{"rectifying", "submitted"};
  collected.items = {{working, Due::kOverdue, std::nullopt, {back, signed_only}},
                     {submitted, Due::kOverdue, std::nullopt, {back, resubmitted}}};
  std::vector<DataError> errors;
  auto lines = notifier::Tier(Gaoqiao(), collected,
                              notifier::TierInputs{{}, nullptr, At("2021-10-25T12:00:00+08:00"), "http://r"}, kAsOf,
                              errors);
  REQUIRE(lines.ok());
  REQUIRE(lines->size() == 2);
  CHECK((*lines)[0].row.ask == "退回重办：缺少佐证照片");
  CHECK((*lines)[1].row.ask == "待验收");
}

TEST_CASE("routing sends each line to the unit that must act next and escalates the long overdue") {
  const rectify::Item unit_work = Problem(1, "village_1", "2021-10-22T17:30");
  const rectify::Item unassigned = Problem(2, "", "2021-10-22T17:30", "found");
  std::vector<Line> lines = {ItemLineOf(unit_work, true, 4), ItemLineOf(unassigned, true, 3)};
  Line survey;
  survey.source = LineSource::kSurvey;
  survey.owner = "village_2";
  survey.row.overdue = true;
  lines.push_back(survey);
  Line gate = ItemLineOf(unit_work, true, 0);
  gate.source = LineSource::kGate;
  lines.push_back(gate);
  const std::vector<Line> routed = notifier::Route(Gaoqiao(), lines);
  CHECK(routed[0].recipient == "village_1");
  CHECK(routed[0].escalated);  // 4 working days > 3
  CHECK(routed[1].recipient == "rural_office");  // waiting to be assigned: the office's
  CHECK_FALSE(routed[1].escalated);
  CHECK(routed[2].recipient == "village_2");
  CHECK(routed[2].escalated);  // the survey is escalated as soon as it is late
  CHECK(routed[3].recipient.empty());  // a gate's line is the supervisors' alone
  CHECK(routed[3].escalated);
}

TEST_CASE("grouping makes one digest per recipient, what cannot finish first, and one 督办 list per supervisor") {
  const rectify::Item a = Problem(1, "village_1", "2021-10-22T17:30");
  const rectify::Item b = Problem(2, "village_1", "2021-10-28T17:30");
  const rectify::Item c = Problem(3, "village_1", "2021-10-29T17:30");
  std::vector<Line> lines = {ItemLineOf(a, true, 4), ItemLineOf(b, false, 0), ItemLineOf(c, false, 0)};
  lines[2].row.cannot_finish_since = CivilDate{2021, 10, 26};
  Line gate_of_a = ItemLineOf(a, true, 0);  // already escalated: not listed twice
  gate_of_a.source = LineSource::kGate;
  lines.push_back(gate_of_a);
  for (Line& line : lines) line.recipient = line.source == LineSource::kGate ? "" : "village_1";
  lines[0].escalated = true;
  lines[3].escalated = true;
  const notifier::Grouped grouped = notifier::Group(Gaoqiao(), lines, {}, kAsOf);
  REQUIRE(grouped.units.size() == 1);
  const Digest& digest = grouped.units[0];
  CHECK(digest.unit_id == "village_1");
  REQUIRE(digest.overdue.size() == 1);
  REQUIRE(digest.due_soon.size() == 2);
  CHECK(digest.due_soon[0].id == 3);  // cannot finish: first
  REQUIRE(grouped.supervisors.size() == 3);
  CHECK(grouped.supervisors[0].unit_id == "discipline_commission");
  CHECK(grouped.supervisors[1].unit_id == "party_building_office");
  CHECK(grouped.supervisors[2].unit_id == "rural_office");
  REQUIRE(grouped.supervisors[0].overdue.size() == 1);
  CHECK(grouped.supervisors[0].overdue[0].id == 1);
}

TEST_CASE("rendering makes one outbox row per part per channel, keyed by slot, audience, channel and part") {
  std::vector<std::unique_ptr<notifier::Channel>> channels;
  for (const char* url : {"https://hooks.gaoqiao.example/a", "https://hooks.gaoqiao.example/b"}) {
    notifier::ChannelConfig config;
    config.type = "webhook";
    config.url = url;
    channels.push_back(std::move(notifier::MakeChannel(config).value()));
  }
  const Digest digest = SchoolDigest();
  const auto rows = notifier::Render(digest, "unit", channels, "2021-10-27T09:00:00+08:00", kAsOf);
  REQUIRE(rows.size() == 2);
  const std::string first = "town_central_school#" + channels[0]->Id();
  CHECK(rows[0].channel == first);
  CHECK(rows[0].idempotency_key == "2021-10-27T09:00:00+08:00|unit|" + first + "|1");
  CHECK(rows[1].channel == "town_central_school#" + channels[1]->Id());
  CHECK(channels[0]->Id() != channels[1]->Id());
  CHECK(rows[0].item_count == 5);
  CHECK(rows[0].next_attempt_at == kAsOf);
}

}  // namespace rectify::testing
