// How large a request body may be: one place for the limits that the routes check and that
// the 413 answer names, whether a route or httplib (before routing) refused the body.
// Internal to web/.
#pragma once

#include <httplib.h>

#include <cstddef>

#include "engine/attachments.h"

namespace rectify::web {

// A JSON body, or a file sent as the body itself (the import).
inline constexpr std::size_t kMaxJsonBodyBytes = 1 << 20;
// A login: a username, a password of at most kMaxPasswordLength bytes, and JSON around them;
// checked before anything is parsed or hashed, since no session exists yet.
inline constexpr std::size_t kMaxLoginBodyBytes = 4096;
// An uploaded file (kMaxAttachmentBytes) plus the multipart framing around it: what httplib
// reads at most before routing.
inline constexpr std::size_t kMaxRequestBytes = kMaxAttachmentBytes + (64 << 10);

// The limit that applies to `req`'s body, as its sender knows it: the file's for an upload
// (multipart/form-data), the login's for /api/login, else a JSON body's.
inline std::size_t BodyLimitFor(const httplib::Request& req) {
  if (req.is_multipart_form_data()) return kMaxAttachmentBytes;
  if (req.path == "/api/login") return kMaxLoginBodyBytes;
  return kMaxJsonBodyBytes;
}

}  // namespace rectify::web
