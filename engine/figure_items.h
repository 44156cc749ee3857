// The figures (the dashboard, the village scores, the bulletin's rates) read only a few things
// of an item and its history facts, and most of those only as far as they fall before or after
// a deadline or a day. Two items that agree on those things count alike, whoever they are. So
// the stores keep, as they write each item, how many items stand behind each such "figure item",
// and the figures tally one figure item per group, weighted by its count: a county's million
// problems fall into a few thousand groups (ItemStore::FigureGroups).
//
// FigureItemOf keeps of an item exactly what DashboardTally and VillageScoreTally read, with every
// time coarsened as far as those tallies cannot tell at any `as_of` at or after the item's last
// change: a closing only as "in time" or the day it was late on, a change of holder by its day
// (and not before the deadline's day), a signed request by whether it was in time, the burn-down's
// changes by day. An earlier `as_of` needs the items themselves: the stores refuse the groups
// then, and the figures are tallied item by item. The test that the two agree is
// tests/figures/streamed_figures_test.cc.
#pragma once

#include <cstdint>

#include "engine/item.h"

namespace rectify {

struct FigureItem {
  Item item;
  HistoryFacts facts;
};

// `item`'s figure item: equal for items the figures count alike. `facts` are the item's own.
FigureItem FigureItemOf(const Item& item, const HistoryFacts& facts);

// One figure item standing for `count` items (ItemStore::FigureGroups).
struct FigureGroup {
  Item item;
  HistoryFacts facts;
  std::int64_t count = 0;
};

}  // namespace rectify
