#include "web/upload.h"

#include <utility>

#include "web/http_reply.h"

namespace rectify::web {

std::optional<UploadedFile> TakeUpload(const httplib::Request& req, httplib::Response& res) {
  if (!req.is_multipart_form_data() || !req.has_file("file")) {
    ReplyError(res, Status::InvalidArgument("file", "send the file as multipart/form-data in the field \"file\""));
    return std::nullopt;
  }
  // One file a request, and nothing beside it: a second photo or a note sent in the same form
  // would otherwise be dropped while the answer says the upload succeeded.
  if (req.files.count("file") > 1) {
    ReplyError(res, Status::InvalidArgument("file", "one file a request: send each photo or PDF in a request of its own"));
    return std::nullopt;
  }
  for (const auto& [field, other] : req.files) {
    if (field == "file") continue;
    ReplyError(res, Status::InvalidArgument(field, "unknown form field \"" + field + "\": an upload takes only \"file\""));
    return std::nullopt;
  }
  httplib::MultipartFormData part = req.get_file_value("file");
  if (part.content.size() > kMaxAttachmentBytes) {
    ReplyTooLarge(res, kMaxAttachmentBytes);
    return std::nullopt;
  }
  if (part.content.empty()) {
    ReplyError(res, Status::InvalidArgument("file", "the file is empty"));
    return std::nullopt;
  }
  const std::optional<std::string> type = DetectAttachmentType(part.content);
  if (!type) {
    Reply(res, 415, {{"error", "unsupported_media_type"},
                     {"field", "file"},
                     {"message", "only JPEG, PNG, GIF and WebP images and PDF files are accepted"}});
    return std::nullopt;
  }
  auto name = CleanFileName(part.filename);
  if (!name.ok()) {
    ReplyError(res, name.status());
    return std::nullopt;
  }
  return UploadedFile{std::move(name).value(), *type, std::move(part.content)};
}

}  // namespace rectify::web
