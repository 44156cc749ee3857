// The ledger hand-in (附件1) over HTTP: where each unit stands, a unit's upload of its signed
// scan, the office's receipt and the scan itself (engine/ledger_service.h has who may do what).
#include "engine/ledger_service.h"
#include "web/api_server.h"
#include "web/auth.h"
#include "web/http_reply.h"
#include "web/report_json.h"
#include "web/upload.h"

namespace rectify::web {

void ApiServer::RouteLedgers() {
  Get("/api/ledgers",
      RouteDoc("Where each unit stands with its signed ledger (附件1); a unit member sees its own line")
          .AsOf("at this instant: a hand-in or receipt after it is not counted (default: now)")
          .Answer(200, schema::Object({{"as_of", schema::DateTime()},
                                       {"due", schema::DateTime()},
                                       {"units", schema::ArrayOf(schema::Ref("LedgerStatus"))}})),
      [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    const Result<Instant> as_of = ParseAsOf(HttplibParams(req), clock_.Now());
    if (!as_of.ok()) return ReplyError(res, as_of.status());
    auto statuses = caller.services().ledgers.Statuses(caller.actor, *as_of);
    if (!statuses.ok()) return ReplyError(res, statuses.status());
    const std::optional<Instant> due = LedgerDue(caller.campaign());
    json out = {{"as_of", FormatInstant(*as_of)},
                {"due", due ? json(FormatInstant(*due)) : json(nullptr)},
                {"units", json::array()}};
    for (const LedgerStatus& status : *statuses) out["units"].push_back(LedgerStatusToJson(caller.campaign(), status));
    Reply(res, 200, out);
  });

  Post("/api/ledgers",
       RouteDoc("Hand in the unit's signed and stamped ledger scan (submit_ledger)")
           .UploadBody("the scan: an image or a PDF, at most 10 MiB")
           .Answer(201, schema::Ref("LedgerStatus"))
           .Errors({409, 413, 415}),
       [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    std::optional<UploadedFile> upload = TakeUpload(req, res);
    if (!upload) return;
    auto stored = caller.services().ledgers.Submit(std::move(*upload), caller.actor, clock_.Now());
    if (!stored.ok()) return ReplyError(res, stored.status());
    Reply(res, 201, LedgerStatusToJson(caller.campaign(), *stored));
  });

  Post("/api/ledgers/{unit}/confirm",
       RouteDoc("Confirm receipt of a unit's ledger (confirm_ledger)")
           .JsonBody(schema::Object({}), true)
           .Answer(200, schema::Ref("LedgerStatus"))
           .Errors({404, 409}),
       [this](const httplib::Request& req, httplib::Response& res,
                                                          const Caller& caller) {
    auto confirmed = caller.services().ledgers.Confirm(req.matches[1].str(), caller.actor, clock_.Now());
    if (!confirmed.ok()) return ReplyError(res, confirmed.status());
    Reply(res, 200, LedgerStatusToJson(caller.campaign(), *confirmed));
  });

  Get("/api/ledgers/{unit}/file",
      RouteDoc("A unit's handed-in scan (the office and the unit)")
          .FileAnswer({"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"}, "the scan")
          .Errors({404}),
      [](const httplib::Request& req, httplib::Response& res,
                                                       const Caller& caller) {
    const std::string unit = req.matches[1].str();
    auto scan = caller.services().ledgers.Read(unit, caller.actor);
    if (!scan.ok()) return ReplyError(res, scan.status());
    ReplyFile(res, std::move(scan->bytes), scan->file.content_type, DownloadName(scan->file.name, scan->file.content_type),
              "ledger-" + unit + ExtensionOfType(scan->file.content_type));
  });
}

}  // namespace rectify::web
