// The streamed forms (written row by row from the store's walks, engine/form_order.h) equal the
// forms as they were built before (every item loaded, sorted in memory, a whole Table:
// reference_forms.h): the same frame, rows, notes and closing lines, the same CSV bytes, and
// XLSX sheets that read back the same, cell for cell, with the same heights, merges and print
// setup. On the demo data and on random campaigns with mixed states, units, histories and
// data errors (units and villages the campaign does not have, dates outside the calendar).
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "accounts/account_service.h"
#include "app/demo_data.h"
#include "engine/dashboard.h"
#include "engine/history_facts.h"
#include "engine/workflow.h"
#include "exports/csv_writer.h"
#include "exports/xlsx_writer.h"
#include "tests/engine/event_inputs.h"
#include "tests/exports/form_tables.h"
#include "tests/exports/read_back.h"
#include "tests/exports/reference_forms.h"
#include "tests/exports/sample_problems.h"

namespace rectify::exports {
namespace {

using namespace rectify::testing;  // NOLINT: fixture vocabulary

// What openpyxl reads of a sheet, without the raw XML (row by row, libxlsxwriter writes strings
// inline instead of into the shared string table).
nlohmann::json SheetAsRead(const std::string& xlsx) {
  nlohmann::json sheet = ReadXlsx(xlsx);
  sheet.erase("parts");
  return sheet;
}

// The form written by `write` equals `reference` as a Table, as CSV bytes and, when asked, as
// an XLSX sheet read back (openpyxl takes a moment, so not for every form).
template <typename Write>
void CheckSame(const Result<Table>& reference, const Write& write, bool xlsx) {
  INFO(reference.status().ToString());
  REQUIRE(reference.ok());
  const Result<Table> streamed = Collected(write);
  INFO(streamed.status().ToString());
  REQUIRE(streamed.ok());
  CHECK(streamed->sheet_name == reference->sheet_name);
  CHECK(streamed->attachment == reference->attachment);
  CHECK(streamed->title == reference->title);
  CHECK(streamed->heading == reference->heading);
  CHECK(Headers(*streamed) == Headers(*reference));
  CHECK(streamed->created == reference->created);
  REQUIRE(streamed->rows.size() == reference->rows.size());
  for (std::size_t i = 0; i < reference->rows.size(); ++i) {
    INFO("row " << i + 1);
    CHECK(streamed->rows[i] == reference->rows[i]);
  }
  CHECK(streamed->notes == reference->notes);
  CHECK(streamed->closing == reference->closing);

  CsvWriter csv;
  REQUIRE(write(csv).ok());
  CHECK(csv.bytes() == WriteCsv(*reference));
  if (!xlsx) return;
  XlsxWriter sheet;
  REQUIRE(write(sheet).ok());
  const auto bytes = sheet.Bytes();
  REQUIRE(bytes.ok());
  const auto before = WriteXlsx(*reference, XlsxMemory::kWhole);
  REQUIRE(before.ok());
  CHECK(SheetAsRead(*bytes) == SheetAsRead(*before));
}

std::vector<Item> EveryItem(ExportFixture& f) {
  std::vector<Item> items = f.Items(ItemKind::kProblem);
  for (Item& item : f.Items(ItemKind::kEnrollment)) items.push_back(std::move(item));
  return items;
}

// The enrollments a public notice lists, as ReportService::Roster asks for them.
std::vector<std::string> PublicNoticeStates() {
  const std::vector<std::string> states = EnrollmentWorkflow().States();
  for (std::size_t i = 0; i < states.size(); ++i)
    if (StatePath::Parse(states[i]).step == "public_notice") return {states.begin() + static_cast<long>(i), states.end()};
  FAIL("no public_notice step");
  return {};
}

// Every form of the campaign both ways: the town's ledger and each unit's, the roster in full,
// masked and public for the town and each village, and the bulletin with the dashboard's rates.
void CheckEveryForm(ExportFixture& f, Instant as_of) {
  const Campaign& campaign = f.campaign();
  const std::vector<ItemRecord> problems = f.Records(ItemKind::kProblem);
  std::vector<std::optional<std::string>> units = {std::nullopt};
  for (const Unit& unit : campaign.units) units.push_back(unit.id);
  for (const auto& unit : units) {
    INFO("ledger of " << unit.value_or("the town"));
    CheckSame(reference::LedgerTable(campaign, problems, unit, as_of),
              [&](FormWriter& out) {
                return WriteLedger(campaign, LedgerWalk(f.store(), campaign, unit), unit, as_of, out);
              },
              !unit || *unit == "village_1");
  }

  const std::vector<Item> enrollments = f.Items(ItemKind::kEnrollment);
  ItemQuery notice;
  notice.kind = ItemKind::kEnrollment;
  notice.state_paths = PublicNoticeStates();
  auto noticed = LoadItems(f.store(), notice);
  REQUIRE(noticed.ok());
  for (const auto& village : units) {
    for (const Disclosure disclosure : {Disclosure::kFull, Disclosure::kMasked, Disclosure::kOmitted}) {
      INFO("roster of " << village.value_or("the town") << ", disclosure " << static_cast<int>(disclosure));
      ItemQuery query = disclosure == Disclosure::kOmitted ? notice : ItemQuery();
      query.kind = ItemKind::kEnrollment;
      query.village = village;
      CheckSame(reference::RosterTable(campaign, disclosure == Disclosure::kOmitted ? *noticed : enrollments, village,
                                       disclosure, as_of),
                [&](FormWriter& out) {
                  return WriteRoster(campaign, RosterWalk(f.store(), campaign, query), village, disclosure, as_of, out);
                },
                !village && disclosure == Disclosure::kFull);
    }
  }

  const std::vector<ItemRecord> enrollment_records = f.Records(ItemKind::kEnrollment);
  const std::vector<UnitRates> rates = BuildDashboard(campaign, problems, enrollment_records, as_of).rates;
  INFO("bulletin");
  CheckSame(reference::BulletinTable(campaign, EveryItem(f), rates, as_of),
            [&](FormWriter& out) {
              return WriteBulletin(campaign, DeadlineWalk(f.store(), campaign), OverdueWalk(f.store(), campaign, as_of), rates,
                                   as_of, out);
            },
            true);
}

// A random campaign: problems and enrollments in random units and villages (some unassigned),
// moved by random allowed events with every input an event may want, then a few items stored
// as an old database may hold them: in units and villages the campaign does not have, with
// deadlines outside the calendar.
class RandomCampaign {
 public:
  RandomCampaign(ExportFixture& f, unsigned seed) : f_(f), random_(seed) {}

  void Fill(int problems, int enrollments) {
    const Campaign& campaign = f_.campaign();
    std::vector<std::string> units = {""};
    std::vector<std::string> villages;
    for (const Unit& unit : campaign.units) {
      units.push_back(unit.id);
      if (unit.kind == UnitKind::kVillage) villages.push_back(unit.id);
    }
    for (int i = 0; i < problems; ++i) {
      NewProblem problem;
      problem.title = "问题" + std::to_string(i) + (Chance(5) ? "，标题较长需要在表格中换行显示以检查行高" : "");
      problem.area = campaign.areas[Pick(campaign.areas.size())].number;
      problem.source = campaign.sources[Pick(campaign.sources.size())].id;
      problem.unit = units[Pick(units.size())];
      problem.measures = Chance(2) ? "整改措施" + std::to_string(i) : "";
      if (Chance(2)) problem.deadline = At(10, 10 + static_cast<int>(Pick(20)), 17, 30);
      auto created = f_.service().CreateProblem(problem, Actor::System("测试"), Moment());
      if (created.ok()) Move(created->item);
    }
    for (int i = 0; i < enrollments; ++i) {
      NewEnrollment enrollment;
      enrollment.household = MakeHousehold("户主" + std::to_string(i), villages[Pick(villages.size())],
                                           CivilDate{2021, 8, 1 + static_cast<int>(Pick(28))});
      enrollment.household.members = static_cast<int>(Pick(6));
      enrollment.household.personal.id_number = "43010219800101" + std::to_string(1000 + i);
      enrollment.household.personal.phone = "1380000" + std::to_string(1000 + i);
      auto created = f_.service().CreateEnrollment(enrollment, Actor::System("测试"), Moment());
      if (created.ok()) Move(created->item);
    }
  }

  // Copies of a few stored items as an old database may hold them.
  void AddDataErrors() {
    std::vector<Item> odd;
    for (Item item : f_.Items(ItemKind::kProblem)) {
      if (odd.size() >= 4) break;
      item.id = 0;
      item.title += "（旧数据）";
      item.unit = odd.size() % 2 == 0 ? "retired_unit" : "merged_village";
      // Two dates outside the calendar, the later item due first: notes do not follow due dates.
      if (odd.size() == 1) item.deadline = item.due_at = ShanghaiInstant(CivilDate{2019, 5, 1}, 0);
      if (odd.size() == 3) item.deadline = item.due_at = ShanghaiInstant(CivilDate{2019, 1, 1}, 0);
      odd.push_back(item);
    }
    for (Item item : f_.Items(ItemKind::kEnrollment)) {
      if (odd.size() >= 7) break;
      item.id = 0;
      if (item.household) item.household->village = odd.size() == 5 ? "old_village" : "";
      if (odd.size() == 6 && item.household) item.household->risk_found_on = CivilDate{2019, 6, 1};
      odd.push_back(item);
    }
    std::vector<EventRecord> created(odd.size());
    for (std::size_t i = 0; i < odd.size(); ++i) {
      created[i].to = odd[i].state.ToString();
      created[i].event = "create";
      created[i].actor = "旧系统";
      created[i].at = At(10, 1, 9);
    }
    auto inserted = f_.store().Insert(odd, created);
    INFO(inserted.status().ToString());
    REQUIRE(inserted.ok());
  }

 private:
  std::size_t Pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_); }
  bool Chance(int one_in) { return Pick(static_cast<std::size_t>(one_in)) == 0; }
  // Items are made and moved over three weeks of October, in order.
  Instant Moment() {
    now_ += 3600 * static_cast<Instant>(1 + Pick(6));
    return now_;
  }

  void Move(Item item) {
    const Workflow& workflow = WorkflowFor(item.kind);
    const int steps = static_cast<int>(Pick(8));
    for (int step = 0; step < steps; ++step) {
      auto allowed = workflow.AllowedEvents(item.state, PendingOf(item));
      if (!allowed.ok() || allowed->empty()) return;
      EventInput input;
      input.name = (*allowed)[Pick(allowed->size())];
      input.note = "进展" + std::to_string(step);
      input.reason = "原因" + std::to_string(step);
      input.unit = f_.campaign().units[Pick(f_.campaign().units.size())].id;
      input.entered_on = CivilDate{2021, 10, 20};
      input.explanation = "不符合纳入条件";
      input.deadline = At(10, 25 + static_cast<int>(Pick(5)), 17, 30);
      input = TakenOnly(std::move(input), workflow.FieldsOf(input.name));
      auto fired = f_.service().Fire(item.kind, item.id, input, Actor::System("测试"), std::nullopt, Moment());
      if (fired.ok()) item = fired->item;
    }
  }

  ExportFixture& f_;
  std::mt19937 random_;

 public:
  // Moves a few more items at random (their next writes keep what an older store did not).
  void MoveSome(int count) {
    for (ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
      std::vector<Item> items = f_.Items(kind);
      for (int i = 0; i < count && !items.empty(); ++i) Move(items[Pick(items.size())]);
    }
  }

 private:
  Instant now_ = At(10, 8, 9);
};

TEST_CASE("The streamed forms equal the forms built whole on the demo data") {
  ExportFixture f;
  accounts::AccountService accounts(f.stores().accounts());
  std::ostringstream out;
  const Status seeded = app::SeedSamples(f.service(), accounts,
                                         std::string(RECTIFY_SOURCE_DIR) + "/workflows/demo/gaoqiao-2021-samples.json",
                                         f.campaign().town, At(10, 22, 9), out);
  INFO(seeded.ToString());
  REQUIRE(seeded.ok());
  REQUIRE(f.Items(ItemKind::kProblem).size() > 5);
  CheckEveryForm(f, At(10, 22, 9));
  CheckEveryForm(f, kAsOf);
}

TEST_CASE("The streamed forms equal the forms built whole on random campaigns with data errors") {
  // Seed 4 has no data errors: the unassigned are then the only items outside the campaign's
  // units, read by a query of their own instead of a pass over all.
  for (const unsigned seed : {1u, 2u, 3u, 4u}) {
    INFO("seed " << seed);
    ExportFixture f;
    RandomCampaign campaign(f, seed);
    campaign.Fill(120, 40);
    if (seed != 4) campaign.AddDataErrors();
    CheckEveryForm(f, kAsOf);
  }
}

TEST_CASE("The streamed forms equal the forms built whole when a unit has more than a page of items") {
  // The walks read a unit's items 500 at a time, each next page while the last is written
  // (PageReading::kAhead): 1,550 problems of one unit, 1,150 of them overdue, cross pages in
  // the ledger's walk, the bulletin's overdue walk and its walk of every deadline.
  ExportFixture f;
  RandomCampaign campaign(f, 7);
  campaign.Fill(60, 0);
  std::vector<Item> overdue, others;
  for (const Item& item : f.Items(ItemKind::kProblem))
    (item.state.state != "closed" && item.due_at && *item.due_at < kAsOf ? overdue : others).push_back(item);
  REQUIRE_FALSE(overdue.empty());
  REQUIRE_FALSE(others.empty());
  std::vector<Item> copies;
  for (int i = 0; i < 1550; ++i) {
    Item copy = i < 1150 ? overdue[i % overdue.size()] : others[i % others.size()];
    copy.id = 0;
    copy.unit = "village_1";
    copy.title += "（副本" + std::to_string(i) + "）";
    copies.push_back(std::move(copy));
  }
  std::vector<EventRecord> created(copies.size());
  for (std::size_t i = 0; i < copies.size(); ++i) {
    created[i].to = copies[i].state.ToString();
    created[i].event = "create";
    created[i].actor = "测试";
    created[i].at = At(10, 9, 9);
  }
  const auto inserted = f.store().Insert(copies, created);
  INFO(inserted.status().ToString());
  REQUIRE(inserted.ok());

  const Campaign& c = f.campaign();
  const std::vector<ItemRecord> problems = f.Records(ItemKind::kProblem);
  for (const std::optional<std::string>& unit : {std::optional<std::string>("village_1"), std::optional<std::string>()}) {
    INFO("ledger of " << unit.value_or("the town"));
    const Result<Table> reference = reference::LedgerTable(c, problems, unit, kAsOf);
    REQUIRE(reference.ok());
    CHECK(reference->rows.size() > 1550);
    CheckSame(reference, [&](FormWriter& out) { return WriteLedger(c, LedgerWalk(f.store(), c, unit), unit, kAsOf, out); },
              false);
  }
  const std::vector<ItemRecord> enrollments = f.Records(ItemKind::kEnrollment);
  const std::vector<UnitRates> rates = BuildDashboard(c, problems, enrollments, kAsOf).rates;
  INFO("bulletin");
  const Result<Table> bulletin = reference::BulletinTable(c, EveryItem(f), rates, kAsOf);
  REQUIRE(bulletin.ok());
  CHECK(bulletin->rows.size() > 1150);
  CheckSame(bulletin,
            [&](FormWriter& out) {
              return WriteBulletin(c, DeadlineWalk(f.store(), c), OverdueWalk(f.store(), c, kAsOf), rates, kAsOf, out);
            },
            false);
}

TEST_CASE("The ledger reads the history of an item written before the store kept its latest progress and facts") {
  for (const unsigned seed : {5u, 6u}) {
    INFO("seed " << seed);
    ExportFixture f;
    RandomCampaign campaign(f, seed);
    campaign.Fill(80, 20);
    // A third of the items as an older rectify left them; some of those then written again.
    f.Exec("UPDATE items SET progress_at = NULL, progress_note = NULL WHERE id % 3 = 0");
    f.Exec("UPDATE items SET history_facts = NULL WHERE id % 6 = 0");
    std::size_t forgotten = 0;
    for (const Item& item : f.Items(ItemKind::kProblem)) forgotten += item.latest_progress ? 0 : 1;
    REQUIRE(forgotten > 0);
    campaign.MoveSome(15);
    CheckEveryForm(f, kAsOf);
    // Each problem's kept note, where kept, is its history's.
    for (const ItemRecord& record : f.Records(ItemKind::kProblem)) {
      if (!record.item.latest_progress) continue;
      INFO("problem " << record.item.id);
      CHECK(*record.item.latest_progress == LatestProgressOf(record.history));
    }
  }
}

}  // namespace
}  // namespace rectify::exports
