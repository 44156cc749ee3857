// The history_facts column's text (storage/item_codec.h, the same on both backends): what is
// written reads back the same, whatever the unit ids hold, and a text it cannot read is none,
// never a wrong fact.
#include <catch2/catch.hpp>

#include "storage/sqlite_item_reads.h"

namespace rectify {
namespace {

HistoryFacts Awkward() {
  HistoryFacts facts;
  facts.open_changes = {{1632704400, true}, {1633000000, false}, {1634000000, true}};
  facts.holders = {{1632704400, ""}, {1632800000, "village_1"}, {1632900000, "含空格 与:冒号\n和%号"}};
  facts.send_backs = {{"village_1", 2}, {"a:b c", 1}};
  facts.sign_for_requests = {{"village_1", 1632800000, 1632886400, 1632850000, std::nullopt},
                             {"含空格 与:冒号", 1632900000, 1632986400, std::nullopt, 1632950000},
                             {"", 1633000000, 1633086400, std::nullopt, std::nullopt}};
  facts.last_closed_at = 1633000000;
  facts.progress_noted = true;
  return facts;
}

TEST_CASE("History facts read back as written, unit ids with separators and all") {
  const HistoryFacts facts = Awkward();
  const std::optional<HistoryFacts> read = sqlite::ParseHistoryFacts(sqlite::FormatHistoryFacts(facts));
  REQUIRE(read.has_value());
  CHECK(*read == facts);
  const HistoryFacts none;
  const std::optional<HistoryFacts> empty = sqlite::ParseHistoryFacts(sqlite::FormatHistoryFacts(none));
  REQUIRE(empty.has_value());
  CHECK(*empty == none);
  CHECK_FALSE(empty->last_closed_at.has_value());
}

TEST_CASE("A history facts text that cannot be read is none") {
  const std::string good = sqlite::FormatHistoryFacts(Awkward());
  CHECK_FALSE(sqlite::ParseHistoryFacts("").has_value());
  CHECK_FALSE(sqlite::ParseHistoryFacts("{\"open\": []}").has_value());
  CHECK_FALSE(sqlite::ParseHistoryFacts(good.substr(0, good.size() - 4)).has_value());  // a line short
  std::string bad_number = good;
  bad_number.replace(bad_number.find("1633000000"), 1, "x");
  CHECK_FALSE(sqlite::ParseHistoryFacts(bad_number).has_value());
  std::string bad_escape = good;
  bad_escape.replace(bad_escape.find('%'), 3, "%G");
  CHECK_FALSE(sqlite::ParseHistoryFacts(bad_escape).has_value());
  CHECK_FALSE(sqlite::ParseHistoryFacts("o\nh\ns\nr\nc -\np 2").has_value());
  CHECK(sqlite::ParseHistoryFacts("o\nh\ns\nr\nc -\np 0").has_value());
  // Each entry has its pieces, each line its tag as a word, and the last two one entry each.
  for (const char* text : {"o 1:1:1\nh\ns\nr\nc -\np 0", "o 1\nh\ns\nr\nc -\np 0", "o \nh\ns\nr\nc -\np 0",
                           "o 1:1  2:0\nh\ns\nr\nc -\np 0", "ox\nh\ns\nr\nc -\np 0", "o\nh 5\ns\nr\nc -\np 0",
                           "o\nh\ns u:1:2\nr\nc -\np 0", "o\nh\ns\nr u:1:2:-\nc -\np 0",
                           "o\nh\ns\nr u:1:2:-:-:-\nc -\np 0", "o\nh\ns\nr\nc\np 0", "o\nh\ns\nr\nc - -\np 0",
                           "o\nh\ns\nr\nc -\np", "o\nh\ns\nr\nc -\np 0 1", "o\nh\ns\nr\nc -\np 0\n",
                           "h\no\ns\nr\nc -\np 0"}) {
    INFO(text);
    CHECK_FALSE(sqlite::ParseHistoryFacts(text).has_value());
  }
  const std::optional<HistoryFacts> two = sqlite::ParseHistoryFacts("o 1:1 2:0\nh 1:\ns\nr u:1:2:-:3\nc 9\np 1");
  REQUIRE(two.has_value());
  CHECK(two->open_changes.size() == 2);
  CHECK(two->holders.size() == 1);
  CHECK(two->sign_for_requests.size() == 1);
  CHECK(two->last_closed_at == std::optional<Instant>(9));
}

}  // namespace
}  // namespace rectify
