// The ledger hand-in (附件1) as an obligation: a unit uploads the scan of its signed and stamped
// ledger, the office confirms receipt, and everyone sees where each unit stands
// (engine/ledger_obligations.h). Those who see every item see every unit; a unit member sees
// its own unit.
#include <algorithm>

#include "engine/ledger_obligations.h"
#include "web/api_server.h"
#include "web/auth.h"
#include "web/http_reply.h"
#include "web/report_json.h"
#include "web/upload.h"

namespace rectify::web {
namespace {

// Where the unit stands right after its hand-in was stored or confirmed.
LedgerStatus StatusAfter(const Campaign& campaign, const LedgerHandIn& handin) {
  LedgerStatus status;
  status.unit = handin.unit;
  status.due = LedgerDue(campaign).value_or(handin.submitted_at);
  status.handin = handin;
  status.late = handin.submitted_at > status.due;
  return status;
}

}  // namespace

void ApiServer::RouteLedgers() {
  Get("/api/ledgers", [this](const httplib::Request&, httplib::Response& res, const Caller& caller) {
    const Instant now = clock_.Now();
    auto statuses = LoadLedgerStatuses(campaign_, stores_.items(), stores_.attachments(), now);
    if (!statuses.ok()) return ReplyError(res, statuses.status());
    const bool sees_all = campaign_.permissions.SeesAll(caller.actor);
    const std::optional<Instant> due = LedgerDue(campaign_);
    json out = {{"as_of", FormatInstant(now)},
                {"due", due ? json(FormatInstant(*due)) : json(nullptr)},
                {"units", json::array()}};
    for (const LedgerStatus& status : *statuses)
      if (sees_all || status.unit == caller.actor.unit) out["units"].push_back(LedgerStatusToJson(campaign_, status));
    Reply(res, 200, out);
  });

  Post("/api/ledgers", [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    if (auto denied = service_.Require("submit_ledger", caller.actor); !denied.ok()) return ReplyError(res, denied);
    const std::string& unit = caller.actor.unit;
    const auto& owed = campaign_.ledgers ? campaign_.ledgers->owed_by_units : std::vector<std::string>{};
    if (std::find(owed.begin(), owed.end(), unit) == owed.end())
      return ReplyError(res, Status::FailedPrecondition("unit \"" + unit + "\" owes the town no ledger", {}));
    std::optional<Upload> upload = TakeUpload(req, res);
    if (!upload) return;
    LedgerHandIn handin;
    handin.unit = unit;
    handin.file.name = upload->name;
    handin.file.content_type = upload->content_type;
    handin.submitted_at = clock_.Now();
    handin.submitted_by = caller.actor.name;
    auto stored = stores_.attachments().SubmitLedger(std::move(handin), upload->bytes);
    if (!stored.ok()) return ReplyError(res, stored.status());
    Reply(res, 201, LedgerStatusToJson(campaign_, StatusAfter(campaign_, *stored)));
  });

  Post(R"(/api/ledgers/([a-z0-9_-]{1,64})/confirm)", [this](const httplib::Request& req, httplib::Response& res,
                                                          const Caller& caller) {
    if (auto denied = service_.Require("confirm_ledger", caller.actor); !denied.ok()) return ReplyError(res, denied);
    const std::string unit = req.matches[1].str();
    if (campaign_.FindUnit(unit) == nullptr) return ReplyError(res, Status::NotFound("no unit \"" + unit + "\""));
    auto confirmed = stores_.attachments().ConfirmLedger(unit, caller.actor.name, clock_.Now());
    if (!confirmed.ok()) return ReplyError(res, confirmed.status());
    Reply(res, 200, LedgerStatusToJson(campaign_, StatusAfter(campaign_, *confirmed)));
  });

  // The scan itself: for the office that receives it and for the unit that handed it in.
  Get(R"(/api/ledgers/([a-z0-9_-]{1,64})/file)", [this](const httplib::Request& req, httplib::Response& res,
                                                       const Caller& caller) {
    const std::string unit = req.matches[1].str();
    const bool own = !caller.actor.unit.empty() && caller.actor.unit == unit;
    if (!own && !campaign_.permissions.MayDo("confirm_ledger", caller.actor))
      return ReplyError(res, Status::NotFound("no ledger of unit \"" + unit + "\" for you"));
    auto latest = stores_.attachments().LatestLedgers();
    if (!latest.ok()) return ReplyError(res, latest.status());
    const auto handin = std::find_if(latest->begin(), latest->end(), [&](const LedgerHandIn& h) { return h.unit == unit; });
    if (handin == latest->end()) return ReplyError(res, Status::NotFound("unit \"" + unit + "\" has handed in no ledger"));
    auto bytes = stores_.attachments().ReadFileBytes(handin->file.sha256);
    if (!bytes.ok()) return ReplyError(res, bytes.status());
    ReplyFile(res, std::move(bytes).value(), handin->file.content_type, handin->file.name, "ledger-" + unit);
  });
}

}  // namespace rectify::web
