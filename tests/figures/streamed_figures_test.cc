// The dashboard and the scores as the report service computes them now (a page of items at a
// time, each with the history facts the store kept as it wrote) against the old computation
// (tests/figures/reference_figures.h: every item with its whole history), on campaigns moved
// at random through the item service on a real SQLite store: assignments, reassignments,
// signing, progress, send-backs, closing, reopening, extensions, enrollments, the notifier's
// tier records, items the calendar cannot compute, and items written before the store kept
// facts. Compared at several instants, also before the latest writes.
#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "accounts/account_service.h"
#include "app/demo_data.h"
#include "config/campaign_loader.h"
#include "engine/as_it_stood.h"
#include "engine/history_facts.h"
#include "engine/item_service.h"
#include "engine/report_service.h"
#include "engine/warning_tiers.h"
#include "engine/data_error.h"
#include "engine/feasibility.h"
#include "engine/item_facts.h"
#include "engine/phase_gates.h"
#include "notifier/scan.h"
#include "notifier/scan_stages.h"
#include "storage/sqlite_stores.h"
#include "tests/engine/event_inputs.h"
#include "tests/figures/reference_figures.h"
#include "tests/sqlite_file.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

Instant At(int month, int day, int seconds = 9 * 3600) { return ShanghaiInstant(CivilDate{2021, month, day}, seconds); }

// Every figure as text, so that a difference shows where it is.
std::string Describe(const Dashboard& d) {
  std::ostringstream out;
  for (const BurnDownPoint& p : d.burn_down) out << "burn " << FormatDate(p.date) << " " << p.open << "\n";
  for (const UnitProblemCounts& u : d.units)
    out << "unit " << u.unit << " total " << u.total << " on_time " << u.on_time << " overdue " << u.overdue
        << " closed_late " << u.closed_late << " sent_back " << u.sent_back << " send_backs " << u.send_backs << "\n";
  for (const UnitRates& r : d.rates) {
    out << "rates " << r.unit << " sign " << r.signed_on_time << "/" << r.sign_for_judged << " close "
        << r.closed_on_time << "/" << r.close_judged << " sent_back " << r.sent_back << "/" << r.held << " tiers";
    for (int n : r.tiers) out << " " << n;
    out << " cannot_finish " << r.cannot_finish << "\n";
  }
  for (const AreaProgress& a : d.areas) out << "area " << a.area << " " << a.closed << "/" << a.total << "\n";
  for (const SourceProgress& s : d.sources)
    out << "source " << s.source << " " << s.closed << "/" << s.total << " overdue " << s.overdue << "\n";
  const EnrollmentProgress& e = d.enrollment;
  out << "enrollment " << e.proposed << " " << e.enrolled << " " << e.within_limit << " " << e.with_measures << " "
      << e.overdue << "\n";
  for (const DataError& error : d.data_errors) out << "error " << DescribeDataError(error) << "\n";
  return out.str();
}

std::string Describe(const VillageScores& s) {
  std::ostringstream out;
  for (const VillageScore& v : s.villages)
    out << v.village << " #" << v.rank << " " << v.score << " problems " << v.problems_on_time << "/"
        << v.problems_judged << "/" << v.problems << " send_backs " << v.send_backs << " overdue_days "
        << v.overdue_working_days << " households " << v.households_in_time << "/" << v.households_judged << "/"
        << v.households << "\n";
  for (const DataError& error : s.data_errors) out << "error " << DescribeDataError(error) << "\n";
  return out.str();
}

// How many of the lines carry no 督办 note.
std::size_t Unnoted(const std::vector<notifier::DigestItem>& lines) {
  return static_cast<std::size_t>(std::count_if(lines.begin(), lines.end(),
                                                [](const notifier::DigestItem& line) { return line.supervision.empty(); }));
}

// Every field of every digest line as text, so that a difference shows where it is.
std::string Describe(const std::vector<notifier::Digest>& digests) {
  std::ostringstream out;
  for (const notifier::Digest& d : digests) {
    out << "digest " << d.unit_id << " " << d.unit_name << " " << d.campaign_name << " unlisted " << d.overdue_unlisted
        << "/" << d.due_soon_unlisted;
    for (const auto& [unit, count] : d.unlisted_by_unit) out << " " << unit << ":" << count;
    for (const notifier::CampaignLink& link : d.full_lists) out << " full " << link.link;
    out << "\n";
    for (const auto* lines : {&d.overdue, &d.due_soon})
      for (const notifier::DigestItem& line : *lines)
        out << "  " << line.kind << " " << line.id << " " << line.title << " " << line.area_name << " "
            << line.unit_name << " " << line.deadline << " overdue " << line.overdue << " "
            << line.working_days_overdue << "/" << line.working_days_left << " cannot_finish "
            << (line.cannot_finish_since ? FormatDate(*line.cannot_finish_since) : std::string("-")) << " "
            << line.link << " tier '" << line.tier_name << "' sign_for " << line.awaits_sign_for << " ask "
            << line.ask << " close " << line.awaits_close << " note " << line.supervision << "\n";
  }
  return out.str();
}

class RandomCampaign {
 public:
  // `tiers`, when given, replaces Gaoqiao's warning tiers.
  explicit RandomCampaign(unsigned seed, const std::optional<std::vector<WarningTier>>& tiers = std::nullopt)
      : random_(seed), campaign_(Load(tiers)), stores_(Open(dir_.File("figures.sqlite"))),
        service_(campaign_, stores_->items()), reports_(campaign_, service_, stores_->items()) {
    for (const Unit& unit : campaign_.units) units_.push_back(unit.id);
    for (const Unit& unit : campaign_.units)
      if (unit.kind == UnitKind::kVillage) villages_.push_back(unit.id);
  }

  // Creates items and moves them `steps` times at random from 2021-09-25 on, a few minutes to a
  // day apart, recording the warning tiers each morning as the notifier does.
  void Run(int problems, int enrollments, int steps) {
    now_ = At(9, 25);
    for (int i = 0; i < problems; ++i) CreateProblem(i);
    for (int i = 0; i < enrollments; ++i) CreateEnrollment(i);
    Continue(steps);
  }

  void Continue(int steps) {
    for (int step = 0; step < steps; ++step) {
      const CivilDate day = ShanghaiDate(now_);
      now_ += Pick(20) < 19 ? 60 * (1 + Pick(240)) : 86400;
      if (day < ShanghaiDate(now_)) RecordAndCheckTiers(now_);
      MoveOne();
    }
  }

  // The demo's samples (workflows/demo/), as `rectify demo` seeds them.
  void SeedDemo() {
    accounts::AccountService accounts(stores_->accounts());
    std::ostringstream passwords;
    const Status seeded = app::SeedSamples(service_, accounts,
                                           std::string(RECTIFY_SOURCE_DIR) + "/workflows/demo/gaoqiao-2021-samples.json",
                                           campaign_.town, At(11, 1), passwords);
    INFO(seeded.ToString());
    REQUIRE(seeded.ok());
  }

  // An item of each kind with a deadline in a year the calendar does not cover, written past
  // the item service as an old database may hold it (so not counted in a figure group yet).
  void Spoil(std::int64_t id) {
    const std::string where = "id = " + std::to_string(id);
    Uncount(where);
    Exec("UPDATE items SET deadline = 1556726400, due_at = 1556726400 WHERE " + where);
  }
  // Items as written before the store kept history facts (nor counted figure groups).
  void ForgetFacts(const std::string& where) {
    Uncount(where);
    Exec("UPDATE items SET history_facts = NULL WHERE " + where);
  }
  // Counts the figures of the items written before the store counted them, as the start-up does.
  std::int64_t CountEarlierItems() {
    auto counted = CountUncountedFigures(stores_->items(), 7);
    REQUIRE(counted.ok());
    return *counted;
  }

  // Whether the store's figure groups stand for the items at `as_of`, so that the report
  // service's figures came from them (else it tallied the items one by one).
  bool Grouped(Instant as_of) {
    for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
      FigureGroupsQuery query;
      query.kind = kind;
      query.as_of = as_of;
      auto stood = stores_->items().FigureGroups(query, [](const FigureGroup&) {});
      REQUIRE(stood.ok());
      if (!*stood) return false;
    }
    return true;
  }

  std::vector<ItemRecord> Records(ItemKind kind) {
    ItemQuery query;
    query.kind = kind;
    auto records = LoadRecords(stores_->items(), query);
    REQUIRE(records.ok());
    // The oracle reads the histories only.
    for (ItemRecord& record : *records) record.item.facts.reset();
    return std::move(records).value();
  }

  // The records as they stood at `as_of`: each written after it cut to its rows up to then
  // (engine/as_it_stood.h), so that the oracle judges at as_of what was known at as_of.
  std::vector<ItemRecord> StoodAt(const std::vector<ItemRecord>& records, Instant as_of) {
    std::vector<ItemRecord> out;
    for (const ItemRecord& record : records) {
      if (record.item.updated_at <= as_of) {
        out.push_back(record);
        continue;
      }
      auto stood = AsItStood(campaign_, record.item, record.history, as_of);
      if (!stood) continue;
      ItemRecord then{stood->item, {}};
      for (const EventRecord& row : record.history)
        if (row.at <= as_of) then.history.push_back(row);
      out.push_back(std::move(then));
    }
    return out;
  }

  void CheckFigures(Instant as_of) {
    const std::vector<ItemRecord> problems = StoodAt(Records(ItemKind::kProblem), as_of);
    const std::vector<ItemRecord> enrollments = StoodAt(Records(ItemKind::kEnrollment), as_of);
    INFO("as of " << FormatInstant(as_of));
    auto dashboard = reports_.Dashboard(Actor::System("office"), as_of);
    REQUIRE(dashboard.ok());
    const Dashboard town = reference::BuildDashboard(campaign_, problems, enrollments, as_of);
    CHECK(Describe(dashboard->dashboard) == Describe(town));
    auto scores = reports_.Scores(Actor::System("office"), as_of);
    auto old_scores = reference::ScoreVillages(campaign_, problems, enrollments, as_of);
    REQUIRE(scores.ok() == old_scores.ok());
    if (scores.ok()) CHECK(Describe(*scores) == Describe(*old_scores));
    // A village's own dashboard: its problems and the households it may see.
    Actor member;
    member.name = "村干部";
    member.roles = {"unit_member"};
    member.unit = villages_.front();
    auto own = reports_.Dashboard(member, as_of);
    REQUIRE(own.ok());
    // Its items are those it had at as_of; its rates are the town's row for it.
    std::vector<ItemRecord> own_problems;
    for (const ItemRecord& record : problems)
      if (record.item.unit == member.unit) own_problems.push_back(record);
    std::vector<ItemRecord> own_enrollments;
    for (const ItemRecord& record : enrollments)
      if (record.item.unit == member.unit || (record.item.household && record.item.household->village == member.unit) ||
          std::count(record.item.cooperating_units.begin(), record.item.cooperating_units.end(), member.unit) > 0)
        own_enrollments.push_back(record);
    Dashboard expected_own = reference::BuildDashboard(campaign_, own_problems, own_enrollments, as_of);
    expected_own.rates.clear();
    for (const UnitRates& row : town.rates)
      if (row.unit == member.unit) expected_own.rates.push_back(row);
    CHECK(Describe(own->dashboard) == Describe(expected_own));
    // The gates' counts (from the groups where they stand) against the store's count.
    auto gates = service_.Gates(as_of, Actor::System("office"), 3);
    REQUIRE(gates.ok());
    for (const GateReport& gate : *gates) {
      if (gate.check.behind.state_paths.empty()) continue;
      auto counted = stores_->items().CountByUnit(gate.check.behind);
      REQUIRE(counted.ok());
      std::map<std::string, int> expected;
      int behind = 0;
      for (const auto& [unit, count] : *counted) {
        expected[unit.empty() ? campaign_.notifier.office : unit] += count;
        behind += count;
      }
      INFO("gate " << gate.check.gate->at_least);
      CHECK(gate.behind_by_unit == expected);
      CHECK(gate.behind == behind);
    }
  }

  // How many moves the service took: the walk must have moved the items, not only tried.
  int moves() const { return moves_; }
  Instant now() const { return now_; }

  // Records the warning tiers at `as_of` by `rules` (the campaign's own tiers when null), then
  // checks that every open item's recorded tier is its tier then, as a pass over every open item
  // leaves them (RecordTiers reads only those whose deadline says their tier may have moved);
  // returns how many items changed tier.
  int RecordAndCheckTiers(Instant as_of, const Campaign* rules = nullptr) {
    const Campaign& campaign = rules != nullptr ? *rules : campaign_;
    auto changed = RecordTiers(campaign, stores_->items(), as_of);
    INFO(changed.status().ToString());
    REQUIRE(changed.ok());
    for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
      ItemQuery open;
      open.kind = kind;
      open.open_only = true;
      REQUIRE(ForEachItem(stores_->items(), open, [&](const Item& item) {
                auto decided = DecideTier(campaign, item, as_of);
                if (!decided.ok()) return Status::Ok();  // a data error: left alone
                INFO(ItemKindName(kind) << " " << item.id << " at " << FormatInstant(as_of));
                CHECK(item.tier == (decided->tier != nullptr ? decided->tier->id : std::string()));
                return Status::Ok();
              }).ok());
    }
    // A recorded tier is a new version of the item, so it counts as a change (updated_at) for
    // a program that pulls what changed since an instant.
    int changed_since = 0;
    for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
      ItemQuery since;
      since.kind = kind;
      since.changed_since = as_of;
      REQUIRE(ForEachItem(stores_->items(), since, [&](const Item&) {
                ++changed_since;
                return Status::Ok();
              }).ok());
    }
    CHECK(changed_since >= *changed);
    return *changed;
  }

  const Campaign& campaign() const { return campaign_; }

  // How many items have entered the tier `id` at least `times` times, as recorded.
  int EnteredAtLeast(const std::string& id, int times) {
    int count = 0;
    for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
      ItemQuery all;
      all.kind = kind;
      REQUIRE(ForEachItem(stores_->items(), all, [&](const Item& item) {
                const auto found = item.tier_entries.find(id);
                if (found != item.tier_entries.end() && found->second >= times) ++count;
                return Status::Ok();
              }).ok());
    }
    return count;
  }

  // The notifier's digests at `as_of` (notes since the day before) against a count of the store's
  // open items: each recipient's overdue and due-soon items (those due later that cannot finish
  // among them), and the supervisors' list (the long overdue, and those behind a closed gate),
  // listed or counted, so the digests stand for every item however they summarise. Returns how
  // many lines the digests left out.
  // The notifier's digests at `as_of` (every unit's, then the supervisors'), as text.
  std::string DigestsText(Instant as_of) {
    auto scanned = notifier::Scan(campaign_, stores_->items(), {}, {}, as_of, std::max(as_of, now_), as_of - 86400,
                                  "http://rectify.test");
    INFO(scanned.status().ToString());
    REQUIRE(scanned.ok());
    std::ostringstream out;
    for (const DataError& error : scanned->data_errors) out << "error " << DescribeDataError(error) << "\n";
    return out.str() + Describe(scanned->units) + Describe(scanned->supervisors);
  }

  int CheckDigestCounts(Instant as_of) {
    // Scanned once the walk is done: items were written until now_, also after an earlier as_of.
    auto scanned = notifier::Scan(campaign_, stores_->items(), {}, {}, as_of, std::max(as_of, now_), as_of - 86400,
                                  "http://rectify.test");
    INFO(scanned.status().ToString());
    REQUIRE(scanned.ok());
    const CivilDate today = ShanghaiDate(as_of);
    auto soon_day = campaign_.calendar->AddWorkingDays(today, campaign_.notifier.due_soon_working_days);
    REQUIRE(soon_day.ok());
    const Instant soon_end = ShanghaiInstant(*soon_day, kSecondsPerDay);
    std::map<std::string, std::size_t> overdue, due_soon;  // by recipient
    std::set<std::int64_t> escalated;
    for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
      ItemQuery open;
      open.kind = kind;
      open.open_only = true;
      REQUIRE(ForEachItem(stores_->items(), open, [&](const Item& item) {
                if (!item.due_at || StoredDataError(campaign_, item)) return Status::Ok();
                const std::string& recipient =
                    AwaitsOffice(campaign_.permissions, item) ? campaign_.notifier.office : item.unit;
                if (*item.due_at < as_of) {
                  ++overdue[recipient];
                  auto days = campaign_.calendar->WorkingDaysBetween(DeadlineDay(*item.due_at), today);
                  REQUIRE(days.ok());
                  if (*days > campaign_.notifier.escalate_after_working_days) escalated.insert(item.id);
                } else if (*item.due_at < soon_end) {
                  ++due_soon[recipient];
                } else {
                  auto feasible = CheckFeasibility(campaign_, item, as_of);
                  if (feasible.ok() && *feasible && !(*feasible)->in_time) ++due_soon[recipient];
                }
                return Status::Ok();
              }).ok());
    }
    std::set<std::int64_t> behind_gates;
    for (GateCheck& gate : PhaseGates(campaign_, as_of)) {
      if (!gate.passed || gate.behind.state_paths.empty()) continue;
      REQUIRE(ForEachItem(stores_->items(), gate.behind, [&](const Item& item) {
                if (!StoredDataError(campaign_, item) && !escalated.count(item.id)) behind_gates.insert(item.id);
                return Status::Ok();
              }).ok());
    }
    int unlisted = 0;
    std::set<std::string> told;
    for (const notifier::Digest& digest : scanned->units) {
      INFO("recipient " << digest.unit_id << " at " << FormatInstant(as_of));
      CHECK(notifier::OverdueCount(digest) == overdue[digest.unit_id]);
      CHECK(notifier::DueSoonCount(digest) == due_soon[digest.unit_id]);
      // Beyond its first lines, a list shows only those with a new 督办 note.
      CHECK(Unnoted(digest.overdue) <= notifier::kMostLinesPerList);
      CHECK(Unnoted(digest.due_soon) <= notifier::kMostLinesPerList);
      unlisted += digest.overdue_unlisted + digest.due_soon_unlisted;
      told.insert(digest.unit_id);
    }
    for (const auto* counts : {&overdue, &due_soon})
      for (const auto& [recipient, count] : *counts) {
        INFO("recipient " << recipient << " at " << FormatInstant(as_of));
        CHECK((count == 0 || told.count(recipient) == 1));
      }
    const std::size_t supervised = escalated.size() + behind_gates.size();
    CHECK(scanned->supervisors.size() == (supervised > 0 ? campaign_.notifier.supervisors.size() : 0));
    for (const notifier::Digest& list : scanned->supervisors) {
      INFO("supervisor " << list.unit_id << " at " << FormatInstant(as_of));
      CHECK(notifier::OverdueCount(list) == supervised);
      CHECK(Unnoted(list.overdue) <= notifier::kMostLinesPerList);
      int by_unit = 0;
      for (const auto& [unit, count] : list.unlisted_by_unit) by_unit += count;
      CHECK(by_unit == list.overdue_unlisted);
      unlisted += list.overdue_unlisted;
    }
    return unlisted;
  }

  // Every stored item's kept facts are those of its history; returns how many items keep none.
  int CheckKeptFacts() {
    int without = 0;
    for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
      ItemQuery query;
      query.kind = kind;
      auto records = LoadRecords(stores_->items(), query);
      REQUIRE(records.ok());
      for (const ItemRecord& record : *records) {
        INFO(ItemKindName(kind) << " " << record.item.id);
        if (!record.item.facts) ++without;
        else CHECK(*record.item.facts == HistoryFactsOf(kind, record.history));
      }
    }
    return without;
  }

 private:
  static Campaign Load(const std::optional<std::vector<WarningTier>>& tiers) {
    auto campaign = LoadCampaignFile(std::string(RECTIFY_SOURCE_DIR) + "/workflows/gaoqiao-2021-autumn.json");
    INFO(campaign.status().ToString());
    REQUIRE(campaign.ok());
    Campaign loaded = std::move(campaign).value();
    if (tiers) loaded.warning_tiers = *tiers;
    return loaded;
  }
  static std::unique_ptr<SqliteStores> Open(const std::string& path) {
    auto stores = SqliteStores::Open(path);
    REQUIRE(stores.ok());
    return std::move(stores).value();
  }

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(random_); }
  const std::string& AnyOf(const std::vector<std::string>& values) { return values[static_cast<std::size_t>(Pick(static_cast<int>(values.size())))]; }

  void CreateProblem(int i) {
    NewProblem problem;
    problem.title = "问题" + std::to_string(i);
    problem.area = 1 + Pick(static_cast<int>(campaign_.areas.size()));
    problem.source = campaign_.sources[static_cast<std::size_t>(Pick(static_cast<int>(campaign_.sources.size())))].id;
    if (Pick(3) > 0) problem.unit = AnyOf(units_);
    if (Pick(4) == 0) problem.deadline = At(10, 1 + Pick(30), 17 * 3600);
    auto created = service_.CreateProblem(problem, Actor::System("office"), now_);
    INFO(created.status().ToString());
    REQUIRE(created.ok());
    items_.push_back({ItemKind::kProblem, created->item.id});
  }

  void CreateEnrollment(int i) {
    NewEnrollment enrollment;
    Household& h = enrollment.household;
    h.head_name = "户主" + std::to_string(i);
    h.village = AnyOf(villages_);
    h.category = "marginal";
    h.risk_type = "illness";
    h.risk_found_on = CivilDate{2021, 8, 1 + Pick(28)};
    h.clue_source = "cadre_found";
    h.members = 3;
    auto created = service_.CreateEnrollment(enrollment, Actor::System("office"), now_);
    INFO(created.status().ToString());
    REQUIRE(created.ok());
    items_.push_back({ItemKind::kEnrollment, created->item.id});
  }

  void MoveOne() {
    const auto [kind, id] = items_[static_cast<std::size_t>(Pick(static_cast<int>(items_.size())))];
    auto view = service_.Get(kind, id, Actor::System("office"));
    REQUIRE(view.ok());
    if (view->allowed_events.empty()) return;
    EventInput input;
    input.name = AnyOf(view->allowed_events);
    input.note = Pick(2) ? "进展" + std::to_string(moves_) : "";
    input.unit = kind == ItemKind::kEnrollment && Pick(2) && view->item.household ? view->item.household->village : AnyOf(units_);
    input.reason = "原因";
    const bool enrolled = Pick(3) != 0;
    if (enrolled && Pick(2)) input.entered_on = ShanghaiDate(now_);
    input.explanation = "不符合";
    if (Pick(2)) input.deadline = now_ + 86400 * (1 + Pick(20));
    input = testing::TakenOnly(std::move(input), WorkflowFor(kind).FieldsOf(input.name));
    if (service_.Fire(kind, id, input, Actor::System("office"), std::nullopt, now_).ok()) ++moves_;
  }

  // Takes items out of their figure groups, as if written before the store counted them.
  void Uncount(const std::string& where) {
    Exec("UPDATE figure_groups SET items = items - (SELECT count(*) FROM items i WHERE i.figure_group = figure_groups.id "
         "AND (" + where + "))");
    Exec("UPDATE items SET figure_group = NULL WHERE " + where);
  }

  void Exec(const std::string& sql) { testing::ExecOnFile(dir_.File("figures.sqlite"), sql); }

  std::mt19937 random_;
  testing::TempDir dir_;
  Campaign campaign_;
  std::unique_ptr<SqliteStores> stores_;
  ItemService service_;
  ReportService reports_;
  std::vector<std::string> units_;
  std::vector<std::string> villages_;
  std::vector<std::pair<ItemKind, std::int64_t>> items_;
  Instant now_ = 0;
  int moves_ = 0;
};

TEST_CASE("The streamed dashboard and scores equal the old computation over whole histories on random campaigns") {
  for (const unsigned seed : {1u, 2u, 3u, 4u}) {
    INFO("seed " << seed);
    RandomCampaign campaign(seed);
    campaign.Run(/*problems=*/40, /*enrollments=*/20, /*steps=*/500);
    CHECK(campaign.moves() > 200);
    CHECK(campaign.CheckKeptFacts() == 0);
    // Mid-campaign (many rows after it: the items are tallied), at the inspection's end, and
    // after the last move (the figure groups stand for the items).
    CHECK_FALSE(campaign.Grouped(At(10, 12, 15 * 3600)));
    CHECK(campaign.Grouped(campaign.now() + 3600));
    for (const Instant as_of : {At(10, 12, 15 * 3600), At(11, 10, 23 * 3600), campaign.now() + 3600})
      campaign.CheckFigures(as_of);
  }
}

TEST_CASE("The figures from figure groups equal the old computation at any later instant") {
  for (const unsigned seed : {11u, 12u, 13u, 14u, 15u, 16u}) {
    INFO("seed " << seed);
    RandomCampaign campaign(seed);
    campaign.Run(/*problems=*/30, /*enrollments=*/30, /*steps=*/400);
    // The instant of the last move, the next working morning, weeks later as overdue days,
    // tiers and feasibility move on without a write, and past every deadline.
    for (const Instant as_of : {campaign.now(), campaign.now() + 16 * 3600, campaign.now() + 20 * 86400,
                                campaign.now() + 70 * 86400}) {
      CHECK(campaign.Grouped(as_of));
      campaign.CheckFigures(as_of);
    }
  }
}

TEST_CASE("Recording the tiers reads the items whose deadline moved them, and all of them after the tiers change") {
  for (const unsigned seed : {21u, 22u, 23u}) {
    INFO("seed " << seed);
    RandomCampaign campaign(seed);
    // Each morning's pass is checked against every open item's tier as it goes.
    campaign.Run(/*problems=*/40, /*enrollments=*/20, /*steps=*/120);
    INFO("now " << FormatInstant(campaign.now()));
    // The tiers change: an item's first entry into yellow makes it red, where it took two. Whatever
    // their deadlines say, the yellow items are red now: the pass reads every open item.
    Campaign stricter = campaign.campaign();
    for (WarningTier& tier : stricter.warning_tiers)
      if (tier.id == "red") tier.entered_times = 1;
    const Instant later = campaign.now() + 3600;
    CHECK(campaign.RecordAndCheckTiers(later, &stricter) > 0);
    // The next pass by the same rules has nothing left to move; days on without a write,
    // deadlines pass and items move into blue, yellow and red.
    CHECK(campaign.RecordAndCheckTiers(later + 3600, &stricter) == 0);
    int moved = 0;
    for (int day = 1; day <= 12; ++day) moved += campaign.RecordAndCheckTiers(later + day * 86400, &stricter);
    CHECK(moved > 0);
  }
}

// Blue and yellow as Gaoqiao's; orange: overdue by more than 2 working days, or entered yellow
// twice; red: entered orange twice. Recording orange counts an entry no decision counted
// (RecordTiers then reads every open item each pass).
std::vector<WarningTier> ChainedTiers() {
  std::vector<WarningTier> tiers(4);
  tiers[0].id = "blue";
  tiers[0].name = "蓝色预警";
  tiers[0].due_within_working_days = 3;
  tiers[1].id = "yellow";
  tiers[1].name = "黄色预警";
  tiers[1].overdue = true;
  tiers[2].id = "orange";
  tiers[2].name = "橙色预警";
  tiers[2].overdue_more_than_working_days = 2;
  tiers[2].entered = "yellow";
  tiers[2].entered_times = 2;
  tiers[3].id = "red";
  tiers[3].name = "红色预警";
  tiers[3].entered = "orange";
  tiers[3].entered_times = 2;
  return tiers;
}

TEST_CASE("Recorded tiers stay right each morning when a tier counts entries into a tier itself entered by counting") {
  for (const unsigned seed : {24u, 25u, 26u}) {
    INFO("seed " << seed);
    RandomCampaign campaign(seed, ChainedTiers());
    // Each morning's pass is checked against every open item's tier as it goes, through
    // send-backs and new deadlines that take items out of the tiers and back in.
    campaign.Run(/*problems=*/40, /*enrollments=*/20, /*steps=*/160);
    int moved = 0;
    for (int day = 1; day <= 10; ++day) moved += campaign.RecordAndCheckTiers(campaign.now() + day * 86400);
    CHECK(moved > 0);
    // The chain was walked: items entered orange twice, and red.
    CHECK(campaign.EnteredAtLeast("orange", 2) > 0);
    CHECK(campaign.EnteredAtLeast("red", 1) > 0);
  }
}

TEST_CASE("The notifier's digests stand for every open item they concern, listed or counted, on random campaigns") {
  int unlisted = 0;
  for (const unsigned seed : {31u, 32u}) {
    INFO("seed " << seed);
    RandomCampaign campaign(seed);
    campaign.Run(/*problems=*/220, /*enrollments=*/60, /*steps=*/400);
    // Mid-way, the next morning, and weeks on as deadlines and phases pass.
    for (const Instant as_of : {At(10, 12), campaign.now() + 16 * 3600, campaign.now() + 10 * 86400,
                                campaign.now() + 40 * 86400})
      unlisted += campaign.CheckDigestCounts(as_of);
  }
  CHECK(unlisted > 0);  // the lists were summarised, not only short enough
}

// The notifier scans while it records the slot's tiers (Notifier::ScanCampaign): what it tells
// must not depend on how far the recording has come.
TEST_CASE("The notifier's digests are the same before and after the slot's tiers are recorded") {
  int moved = 0;
  std::size_t tiered_lines = 0;
  for (const auto& [seed, chained] : {std::pair{41u, false}, std::pair{42u, false}, std::pair{43u, true}}) {
    INFO("seed " << seed);
    RandomCampaign campaign(seed, chained ? std::optional<std::vector<WarningTier>>(ChainedTiers()) : std::nullopt);
    campaign.Run(/*problems=*/120, /*enrollments=*/40, /*steps=*/300);
    for (const Instant as_of : {campaign.now() + 16 * 3600, campaign.now() + 3 * 86400, campaign.now() + 9 * 86400,
                                campaign.now() + 30 * 86400}) {
      INFO("at " << FormatInstant(as_of));
      const std::string before = campaign.DigestsText(as_of);
      moved += campaign.RecordAndCheckTiers(as_of);
      const std::string after = campaign.DigestsText(as_of);
      CHECK(before == after);
      for (std::size_t at = after.find(" tier '"); at != std::string::npos; at = after.find(" tier '", at + 1))
        if (after.compare(at + 7, 1, "'") != 0) ++tiered_lines;
    }
  }
  // Tiers were recorded between the scans, and lines showed them.
  CHECK(moved > 0);
  CHECK(tiered_lines > 0);
}

TEST_CASE("The streamed dashboard and scores equal the old computation on the demo's samples") {
  RandomCampaign demo(0);
  demo.SeedDemo();
  CHECK(demo.Records(ItemKind::kProblem).size() >= 10);
  CHECK(demo.Records(ItemKind::kEnrollment).size() >= 3);
  CHECK(demo.CheckKeptFacts() == 0);
  for (const Instant as_of : {At(10, 8), At(10, 26, 17 * 3600), At(11, 1), At(11, 30)}) demo.CheckFigures(as_of);
}

TEST_CASE("Items written before the store kept history facts, and items the calendar cannot compute, count the same") {
  RandomCampaign campaign(7);
  campaign.Run(30, 15, 300);
  campaign.ForgetFacts("id % 3 = 0");
  const int forgotten = campaign.CheckKeptFacts();
  CHECK(forgotten == 15);
  // Not counted yet: the items are tallied, at any instant.
  CHECK_FALSE(campaign.Grouped(campaign.now() + 3600));
  campaign.CheckFigures(campaign.now() + 3600);
  // Counted from their histories, as the start-up does: the groups stand for them.
  CHECK(campaign.CountEarlierItems() == 15);
  CHECK(campaign.CountEarlierItems() == 0);
  CHECK(campaign.Grouped(campaign.now() + 3600));
  campaign.CheckFigures(campaign.now() + 3600);
  // Items the calendar cannot compute: the groups hold data errors, so the items are tallied
  // and the errors name them.
  campaign.Spoil(3);
  campaign.Spoil(35);
  CHECK(campaign.CountEarlierItems() == 2);
  CHECK(campaign.Grouped(campaign.now() + 3600));
  campaign.CheckFigures(campaign.now() + 3600);
  campaign.CheckFigures(At(11, 10, 23 * 3600));
  campaign.CheckFigures(At(10, 20));
  // Their next write gives them facts read off their history (and those of the rest go on).
  const int moves = campaign.moves();
  campaign.Continue(300);
  CHECK(campaign.moves() > moves + 100);
  CHECK(campaign.CheckKeptFacts() < forgotten);
  campaign.CheckFigures(campaign.now() + 3600);
}

}  // namespace
}  // namespace rectify
