// Evidence files (整改佐证材料) of an item: upload, list, download. Whoever may see the item may
// list and download its files; uploading needs the add_evidence grant on that item, and an open
// item (a closed one is signed off: reopen it first). An item the caller may not see is 404,
// as are its files.
#include <algorithm>

#include "engine/permissions.h"
#include "web/api_server.h"
#include "web/auth.h"
#include "web/http_reply.h"
#include "web/report_json.h"
#include "web/upload.h"

namespace rectify::web {

void ApiServer::RouteEvidence() {
  for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
    const std::string base = std::string(kind == ItemKind::kProblem ? "/api/problems" : "/api/enrollments") +
                             R"(/(\d{1,18})/evidence)";

    Post(base, [this, kind](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
      auto view = service_.Get(kind, IdOf(req), caller.actor);
      if (!view.ok()) return ReplyError(res, view.status());
      const Status allowed =
          service_.Require("add_evidence", caller.actor, RelationsOf(view->item, caller.actor.unit));
      if (!allowed.ok()) return ReplyError(res, allowed);
      if (view->item.state.state == "closed")
        return ReplyError(res, Status::FailedPrecondition("the item is closed (销号): reopen it to add evidence",
                                                          view->allowed_events));
      std::optional<Upload> upload = TakeUpload(req, res);
      if (!upload) return;
      EvidenceFile file;
      file.kind = kind;
      file.item_id = view->item.id;
      file.file.name = upload->name;
      file.file.content_type = upload->content_type;
      file.uploaded_at = clock_.Now();
      file.uploaded_by = caller.actor.name;
      auto stored = stores_.attachments().AddEvidence(std::move(file), upload->bytes);
      if (!stored.ok()) return ReplyError(res, stored.status());
      res.set_header("Location", req.path + "/" + stored->file.sha256);
      Reply(res, 201, EvidenceToJson(*stored));
    });

    Get(base, [this, kind](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
      auto view = service_.Get(kind, IdOf(req), caller.actor);
      if (!view.ok()) return ReplyError(res, view.status());
      auto files = stores_.attachments().ListEvidence(kind, view->item.id);
      if (!files.ok()) return ReplyError(res, files.status());
      json out = {{"files", json::array()}};
      for (const EvidenceFile& file : *files) out["files"].push_back(EvidenceToJson(file));
      Reply(res, 200, out);
    });

    Get(base + "/([0-9a-f]{64})", [this, kind](const httplib::Request& req, httplib::Response& res,
                                                const Caller& caller) {
      auto view = service_.Get(kind, IdOf(req), caller.actor);
      if (!view.ok()) return ReplyError(res, view.status());
      auto files = stores_.attachments().ListEvidence(kind, view->item.id);
      if (!files.ok()) return ReplyError(res, files.status());
      const std::string sha256 = req.matches[2].str();
      const auto file = std::find_if(files->begin(), files->end(),
                                     [&](const EvidenceFile& f) { return f.file.sha256 == sha256; });
      if (file == files->end()) return ReplyError(res, Status::NotFound("no evidence file " + sha256 + " on this item"));
      auto bytes = stores_.attachments().ReadFileBytes(sha256);
      if (!bytes.ok()) return ReplyError(res, bytes.status());
      const std::string extension = file->file.name.substr(std::min(file->file.name.rfind('.'), file->file.name.size()));
      ReplyFile(res, std::move(bytes).value(), file->file.content_type, file->file.name,
                "evidence-" + sha256.substr(0, 12) + extension);
    });
  }
}

}  // namespace rectify::web
