// Reading one uploaded file: a multipart/form-data request with the file in the field "file".
// The limits and the allowed types are engine/attachments.h's; the type is recognised from the
// bytes, never taken from the name or the Content-Type the client sent. Internal to web/.
#pragma once

#include <optional>
#include <string>

#include <httplib.h>

#include "engine/attachments.h"

namespace rectify::web {

// The upload, or nullopt after answering the request with the error:
//   400 invalid_argument (field "file")   not multipart/form-data, or no field "file", or empty,
//                                         or a file name that is not UTF-8
//   413 payload_too_large                 over kMaxAttachmentBytes
//   415 unsupported_media_type            not a JPEG, PNG, GIF, WebP image or a PDF
std::optional<UploadedFile> TakeUpload(const httplib::Request& req, httplib::Response& res);

}  // namespace rectify::web
