// The bench's generated data set (not the campaign's data, and marked so): `count` problems of
// the campaign written straight into the store by ItemStore::Insert, 10k per transaction, each
// with its create event and audit record. Every title starts with "[generated]" and the meta
// key "dataset" says how the file was made.
//
// The spread is fixed, so figures compare between runs: a third of the problems open and
// overdue on 2021-10-25 (deadlines 2021-10-02 to 10-21), a third open and due 2021-11-10, a
// third closed; consecutive triples go to the campaign's units in turn (each unit gets all
// three kinds), with the campaign's areas and sources in turn.
#pragma once

#include "engine/campaign.h"
#include "engine/item_store.h"

namespace rectify::bench {

// The date the overdue figures ask about: every open problem of the first kind is late then.
inline constexpr const char* kGeneratedAsOf = "2021-10-25T09:00:00+08:00";

// Loads the problems; returns the milliseconds it took. Throws std::runtime_error when the
// store refuses. With `recorded_over_days` > 1 each problem is recorded (and enters its state) on
// one of that many days, by a hash of its number, the last 2021-10-01, where by default all are
// recorded that day:
// items alike but for their day fall into that many times more figure groups
// (engine/figure_items.h), as a campaign's problems recorded over its first weeks do.
double LoadGeneratedProblems(ItemStore& items, const Campaign& campaign, int count, int recorded_over_days = 1);

}  // namespace rectify::bench
