// Evidence files (整改佐证材料) of an item over HTTP: upload, list, download
// (engine/evidence_service.h has who may do what).
#include "web/api_server.h"
#include "web/auth.h"
#include "web/http_reply.h"
#include "web/report_json.h"
#include "web/upload.h"

namespace rectify::web {

void ApiServer::RouteEvidence() {
  for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
    const std::string base =
        std::string(kind == ItemKind::kProblem ? "/api/problems" : "/api/enrollments") + "/{id}/evidence";

    Post(base,
         RouteDoc("Add an evidence file (整改佐证材料) to an open item (add_evidence)")
             .UploadBody("a JPEG, PNG, GIF, WebP image or a PDF, recognised by its bytes; at most 10 MiB")
             .Answer(201, schema::Ref("File"))
             .Errors({404, 409, 413, 415}),
         [this, kind](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
      std::optional<UploadedFile> upload = TakeUpload(req, res);
      if (!upload) return;
      auto stored = caller.services().evidence.Add(kind, IdOf(req), std::move(*upload), caller.actor, clock_.Now());
      if (!stored.ok()) return ReplyError(res, stored.status());
      res.set_header("Location", req.path + "/" + stored->file.sha256);
      Reply(res, 201, EvidenceToJson(*stored, DisplayNamesOfActors()));
    });

    Get(base, RouteDoc("The item's evidence files").Answer(200, schema::Object({{"files", schema::ArrayOf(schema::Ref("File"))}})).Errors({404}),
        [this, kind](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
      auto files = caller.services().evidence.List(kind, IdOf(req), caller.actor);
      if (!files.ok()) return ReplyError(res, files.status());
      const std::map<std::string, std::string> names = DisplayNamesOfActors();
      json out = {{"files", json::array()}};
      for (const EvidenceFile& file : *files) out["files"].push_back(EvidenceToJson(file, names));
      Reply(res, 200, out);
    });

    Get(base + "/{sha256}",
        RouteDoc("One evidence file's bytes, named in Content-Disposition")
            .FileAnswer({"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"}, "the file")
            .Errors({404}),
        [kind](const httplib::Request& req, httplib::Response& res,
                                                const Caller& caller) {
      const std::string sha256 = req.matches[2].str();
      auto file = caller.services().evidence.Read(kind, IdOf(req), sha256, caller.actor);
      if (!file.ok()) return ReplyError(res, file.status());
      // Named for the type the bytes are, whatever the uploaded name's extension said.
      const std::string& type = file->file.content_type;
      ReplyFile(res, std::move(file->bytes), type, DownloadName(file->file.name, type),
                "evidence-" + sha256.substr(0, 12) + ExtensionOfType(type));
    });
  }
}

}  // namespace rectify::web
