// What the dashboard, the scores and the forms are built from, narrowed to what the asking
// person may see: the town's figures for those who see every item, their own unit's for a unit
// member; the scores for view_scores; the ledger (附件1) of the town or of a unit; the roster
// (附件3) in full, masked or public by who asks; the bulletin (督查通报) for export_bulletin.
// The forms themselves are laid out in exports/; this service decides what goes into them.
//
// Thread-safe if the store is.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/campaign.h"
#include "engine/dashboard.h"
#include "engine/form_order.h"
#include "engine/item_service.h"
#include "engine/item_store.h"
#include "engine/personal_data.h"
#include "engine/status.h"
#include "engine/village_scores.h"

namespace rectify {

struct DashboardReport {
  Dashboard dashboard;
  std::optional<std::string> unit;  // the unit whose figures these are; unset for the town's
};

// The forms' items come as walks (engine/form_order.h) in the form's order, read from the store
// a page at a time while the form is written; they live as long as the service.
struct LedgerRecords {
  std::optional<std::string> unit;  // the unit whose ledger this is; unset for the town's
  RecordWalk problems;              // LedgerWalk
};

struct RosterItems {
  // The village whose roster this is: the one asked for, or a village member's own when they
  // asked for none; unset for the town's.
  std::optional<std::string> village;
  ItemWalk households;  // the enrollment requests the roster lists (RosterWalk)
  // kFull when every row may be shown in full, kOmitted for the public notice, else kMasked: then
  // `in_full` says which rows are shown in full all the same (a village's own households, on a
  // roster that also lists one it leads for another village).
  Disclosure disclosure = Disclosure::kMasked;
  std::function<bool(const Item&)> in_full;
};

struct BulletinItems {
  ItemWalk with_deadline;        // DeadlineWalk: what the bulletin counts and checks for data errors
  ItemWalk overdue;              // OverdueWalk at as_of: its rows
  std::vector<UnitRates> rates;  // Dashboard::rates over every item
};

// The forms that list items as they stand (the ledger, the roster, the survey's lists, the
// bulletin) cannot rebuild an earlier state: an `as_of` on an earlier day than `now` is
// kInvalidArgument (field "as_of"), never silently ignored. Today or later judges "overdue" then.
Status CheckFormAsOf(Instant as_of, Instant now);

class ReportService {
 public:
  // Everything must outlive the service.
  ReportService(const Campaign& campaign, ItemService& items, ItemStore& store)
      : campaign_(campaign), items_(items), store_(store) {}

  // kPermissionDenied for someone who sees neither every item nor a unit of their own.
  Result<DashboardReport> Dashboard(const Actor& actor, Instant as_of);

  // kPermissionDenied without view_scores.
  Result<VillageScores> Scores(const Actor& actor, Instant as_of);

  // The problems of `unit` (every unit's when unset) with their histories, to be walked. A unit
  // member gets their own unit's whatever they ask (another unit is kPermissionDenied);
  // kInvalidArgument (field "unit") for an unknown unit.
  Result<LedgerRecords> Ledger(const Actor& actor, std::optional<std::string> unit);

  // The households of `village` (every village's when unset) that the actor may see. A public
  // notice lists those that have reached the village's notice (公示), with no personal data;
  // otherwise in full for those who may see every listed household's data, masked for others.
  // kInvalidArgument (field "village") for an unknown village; kPermissionDenied for another
  // unit's village.
  Result<RosterItems> Roster(const Actor& actor, const std::optional<std::string>& village, bool public_notice);

  // The problems and enrollment requests with a deadline in force, and those overdue at `as_of`,
  // for the supervision bulletin, with the units' rates as the dashboard computes them at
  // `as_of` (tallied over every item a page at a time); kPermissionDenied without export_bulletin.
  Result<BulletinItems> Bulletin(const Actor& actor, Instant as_of);

 private:
  Status Require(const char* action, const Actor& actor) const;
  // Every unit's rates over all the campaign's items at `as_of`, as the dashboard computes them.
  Result<std::vector<UnitRates>> TownRates(Instant as_of);

  const Campaign& campaign_;
  ItemService& items_;
  ItemStore& store_;
};

}  // namespace rectify
