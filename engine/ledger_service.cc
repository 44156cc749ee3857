#include "engine/ledger_service.h"

#include <algorithm>
#include <utility>

namespace rectify {

Result<std::vector<LedgerStatus>> LedgerService::Statuses(const Actor& actor, Instant as_of) {
  const bool sees_all = campaign_.permissions.SeesAll(actor);
  if (!sees_all && actor.unit.empty()) return Status::PermissionDenied(actor.name + " belongs to no unit");
  auto statuses = LoadLedgerStatuses(campaign_, items_, files_, as_of);
  if (!statuses.ok()) return statuses.status();
  if (!sees_all)
    statuses->erase(std::remove_if(statuses->begin(), statuses->end(),
                                   [&](const LedgerStatus& status) { return status.unit != actor.unit; }),
                    statuses->end());
  return statuses;
}

Result<LedgerStatus> LedgerService::Submit(UploadedFile scan, const Actor& actor, Instant now) {
  if (!campaign_.permissions.MayDo("submit_ledger", actor))
    return Status::PermissionDenied(actor.name + " may not submit_ledger here");
  const std::string& unit = actor.unit;
  // Owed as the lists and the dashboard count it: a hand-in nobody owes would be listed nowhere.
  auto with_problems = UnitsWithProblems(campaign_, items_, now);
  if (!with_problems.ok()) return with_problems.status();
  const std::vector<std::string> owing = UnitsOwingLedger(campaign_, *with_problems);
  if (std::find(owing.begin(), owing.end(), unit) == owing.end()) {
    const auto& listed = campaign_.ledgers ? campaign_.ledgers->owed_by_units : std::vector<std::string>{};
    const bool listed_unit = std::find(listed.begin(), listed.end(), unit) != listed.end();
    return Status::FailedPrecondition("unit \"" + unit + "\" owes the town no ledger" +
                                          (listed_unit ? ": it answers for no problem of this campaign" : ""),
                                      {});
  }
  // The same scan again (its answer was lost on the way, and the person sends it once more) is
  // the hand-in already made: handing it in anew would move its time, past the deadline perhaps.
  auto latest = files_.LatestLedgers(campaign_.id);
  if (!latest.ok()) return latest.status();
  const auto previous =
      std::find_if(latest->begin(), latest->end(), [&](const LedgerHandIn& h) { return h.unit == unit; });
  if (previous != latest->end() && !previous->confirmed_at && previous->file.sha256 == ContentHash(scan.bytes))
    return StatusAfter(*previous);
  LedgerHandIn handin;
  handin.campaign = campaign_.id;
  handin.unit = unit;
  handin.file.name = std::move(scan.name);
  handin.file.content_type = std::move(scan.content_type);
  handin.submitted_at = now;
  handin.submitted_by = actor.name;
  auto stored = files_.SubmitLedger(std::move(handin), scan.bytes);
  if (!stored.ok()) return stored.status();
  return StatusAfter(*stored);
}

Result<LedgerStatus> LedgerService::Confirm(const std::string& unit, const Actor& actor, Instant now) {
  if (!campaign_.permissions.MayDo("confirm_ledger", actor))
    return Status::PermissionDenied(actor.name + " may not confirm_ledger here");
  if (campaign_.FindUnit(unit) == nullptr) return Status::NotFound("no unit \"" + unit + "\"");
  auto confirmed = files_.ConfirmLedger(campaign_.id, unit, actor.name, now);
  if (!confirmed.ok()) return confirmed.status();
  return StatusAfter(*confirmed);
}

Result<FileDownload> LedgerService::Read(const std::string& unit, const Actor& actor) {
  const bool own = !actor.unit.empty() && actor.unit == unit;
  if (!own && !campaign_.permissions.MayDo("confirm_ledger", actor))
    return Status::NotFound("no ledger of unit \"" + unit + "\" for you");
  auto latest = files_.LatestLedgers(campaign_.id);
  if (!latest.ok()) return latest.status();
  const auto handin = std::find_if(latest->begin(), latest->end(), [&](const LedgerHandIn& h) { return h.unit == unit; });
  if (handin == latest->end()) return Status::NotFound("unit \"" + unit + "\" has handed in no ledger");
  auto bytes = files_.ReadFileBytes(handin->file.sha256);
  if (!bytes.ok()) return bytes.status();
  return FileDownload{handin->file, std::move(bytes).value()};
}

LedgerStatus LedgerService::StatusAfter(const LedgerHandIn& handin) const {
  LedgerStatus status;
  status.unit = handin.unit;
  status.due = LedgerDue(campaign_).value_or(handin.submitted_at);
  status.handin = handin;
  status.late = handin.submitted_at > status.due;
  return status;
}

}  // namespace rectify
