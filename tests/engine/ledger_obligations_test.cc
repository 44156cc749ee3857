// Who owes a ledger (附件1) and where each unit stands, as of several instants around the
// deadline of 10-26 17:30.
#include <catch2/catch.hpp>

#include "engine/ledger_obligations.h"
#include "tests/engine/record_builder.h"

namespace rectify::testing {
namespace {

LedgerHandIn HandIn(const std::string& unit, Instant submitted, std::optional<Instant> confirmed = std::nullopt) {
  LedgerHandIn handin;
  handin.unit = unit;
  handin.file = {std::string(64, 'a'), "台账.pdf", 1000, "application/pdf"};
  handin.submitted_at = submitted;
  handin.submitted_by = "user test";
  handin.confirmed_at = confirmed;
  if (confirmed) handin.confirmed_by = "user office";
  return handin;
}

}  // namespace

TEST_CASE("units owe a ledger when the campaign lists them and they have problems") {
  const Campaign campaign = Gaoqiao();
  REQUIRE(LedgerDue(campaign));
  CHECK(FormatInstant(*LedgerDue(campaign)) == "2021-10-26T17:30:00+08:00");
  const std::vector<std::string> owing =
      UnitsOwingLedger(campaign, {"village_2", "central_school", "taojiang_rcb_gaoqiao"});
  CHECK(owing == std::vector<std::string>{"central_school", "taojiang_rcb_gaoqiao", "village_2"});  // campaign order
  Campaign everyone = campaign;
  everyone.ledgers->only_units_with_problems = false;
  CHECK(UnitsOwingLedger(everyone, {}).size() == everyone.units.size());
}

TEST_CASE("a unit is overdue once the deadline passes without a hand-in and late when it hands in after") {
  const Campaign campaign = Gaoqiao();
  const std::set<std::string> with_problems = {"rural_office", "central_school", "village_1", "village_2"};
  const std::vector<LedgerHandIn> latest = {HandIn("village_2", At(10, 26, 17), At(10, 27, 10)),
                                            HandIn("central_school", At(10, 27, 9))};

  const auto before = LedgerStatuses(campaign, with_problems, latest, At(10, 26, 12));
  REQUIRE(before.size() == 4);
  for (const LedgerStatus& s : before) {
    INFO(s.unit);
    CHECK_FALSE(s.overdue);
    CHECK_FALSE(s.late);
  }
  CHECK_FALSE(before[1].handin);  // central_school's hand-in had not happened yet

  const auto after = LedgerStatuses(campaign, with_problems, latest, At(10, 27, 12));
  REQUIRE(after.size() == 4);
  CHECK(after[0].unit == "rural_office");
  CHECK(after[0].overdue);
  CHECK(after[1].unit == "central_school");
  CHECK_FALSE(after[1].overdue);
  CHECK(after[1].late);
  CHECK(after[2].unit == "village_1");
  CHECK(after[2].overdue);
  CHECK(after[3].unit == "village_2");
  CHECK_FALSE(after[3].overdue);
  CHECK_FALSE(after[3].late);
  REQUIRE(after[3].handin);
  CHECK(after[3].handin->confirmed_at == At(10, 27, 10));

  // At 17:31 on the day, a unit with nothing handed in is overdue; the office's receipt on
  // 10-27 does not make village_2 late.
  const auto just_after = LedgerStatuses(campaign, with_problems, latest, At(10, 26, 17, 31));
  CHECK(just_after[2].overdue);
  CHECK_FALSE(just_after[3].overdue);
  REQUIRE(just_after[3].handin);
  CHECK_FALSE(just_after[3].handin->confirmed_at);  // not confirmed yet at that instant
}

TEST_CASE("a campaign that asks for no ledgers has no obligations") {
  Campaign campaign = Gaoqiao();
  campaign.ledgers.reset();
  CHECK_FALSE(LedgerDue(campaign));
  CHECK(LedgerStatuses(campaign, {"village_1"}, {}, At(11, 1)).empty());
}

}  // namespace rectify::testing
