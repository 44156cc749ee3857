// The hand-in forms as whole Tables, written from an ExportFixture's store the way the routes
// write them: walked in the form's order (engine/form_order.h) and written row by row, here into
// a TableWriter so that tests can look at the rows.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/form_order.h"
#include "exports/bulletin.h"
#include "exports/ledger.h"
#include "exports/roster.h"
#include "exports/table.h"
#include "tests/exports/export_fixture.h"

namespace rectify::testing {

template <typename Write>
Result<exports::Table> Collected(const Write& write) {
  exports::TableWriter out;
  RECTIFY_RETURN_IF_ERROR(write(out));
  return out.Take();
}

inline Result<exports::Table> LedgerTable(ExportFixture& f, const std::optional<std::string>& unit, Instant as_of) {
  const RecordWalk problems = LedgerWalk(f.store(), f.campaign(), unit);
  return Collected([&](exports::FormWriter& out) { return exports::WriteLedger(f.campaign(), problems, unit, as_of, out); });
}

inline Result<exports::Table> RosterTable(ExportFixture& f, const std::optional<std::string>& village,
                                          Disclosure disclosure, Instant as_of) {
  ItemQuery query;
  query.kind = ItemKind::kEnrollment;
  query.village = village;
  const ItemWalk households = RosterWalk(f.store(), f.campaign(), query);
  return Collected([&](exports::FormWriter& out) {
    return exports::WriteRoster(f.campaign(), households, village, disclosure, as_of, out);
  });
}

// `campaign`: another campaign than the fixture's for the same items (nullptr: the fixture's).
inline Result<exports::Table> BulletinTable(ExportFixture& f, const std::vector<UnitRates>& rates, Instant as_of,
                                            const Campaign* campaign = nullptr) {
  const Campaign& of = campaign ? *campaign : f.campaign();
  const ItemWalk with_deadline = DeadlineWalk(f.store(), of);
  const ItemWalk overdue = OverdueWalk(f.store(), of, as_of);
  return Collected([&](exports::FormWriter& out) {
    return exports::WriteBulletin(of, with_deadline, overdue, rates, as_of, out);
  });
}

}  // namespace rectify::testing
