// The few pieces every route file shares: how an answer and an error are written, and the
// query string as json_codec.h reads it. Internal to web/.
#pragma once

#include <httplib.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "engine/status.h"
#include "exports/temp_file.h"
#include "web/json_codec.h"

namespace rectify::web {

class HttplibParams final : public QueryParams {
 public:
  explicit HttplibParams(const httplib::Request& req) : req_(req) {}
  std::optional<std::string> Get(const std::string& name) const override;
  std::vector<std::string> Names() const override;

 private:
  const httplib::Request& req_;
};

void Reply(httplib::Response& res, int status, const json& body);
// {"error", "message", "field"?, "allowed_events"?} with ErrorStatusFor's status. An internal
// error's cause goes to the server log, never to the client.
void ReplyError(httplib::Response& res, const Status& status);
// ?dry_run=1 (or true) asks for a preview, ?dry_run=0 (false) or none for the real thing; any
// other value, or any other parameter, is kInvalidArgument naming it. For the imports.
Result<bool> DryRunOf(const httplib::Request& req);
// The number captured by a route pattern's first group.
std::int64_t IdOf(const httplib::Request& req);

// A file to download: the bytes with their type, and a Content-Disposition "attachment" naming
// it both in ASCII (`fallback_name`, for old clients) and, per RFC 5987/6266, in UTF-8
// (filename*=UTF-8''%E5%8F%B0...), so a Chinese name arrives intact.
void ReplyFile(httplib::Response& res, std::string bytes, const std::string& content_type, const std::string& name,
               const std::string& fallback_name);
// The same for a file on disk, sent a piece at a time as the client reads it (a county's forms
// run to tens of megabytes): the answer holds the file open until it is sent.
void ReplyFile(httplib::Response& res, std::shared_ptr<exports::SpooledFile> file, const std::string& content_type,
               const std::string& name, const std::string& fallback_name);
// The Content-Disposition value ReplyFile sends.
std::string AttachmentDisposition(const std::string& name, const std::string& fallback_name);

// Ok when the request's path, every query parameter (name and value) and the headers rectify
// reads are text CheckText accepts (engine/text.h); otherwise kInvalidArgument naming the part
// ("path", the parameter, "header Origin"). Checked once, before routing, for every request.
Status CheckRequestText(const httplib::Request& req);

// 413 payload_too_large, worded with the limit in bytes.
void ReplyTooLarge(httplib::Response& res, std::size_t limit);

}  // namespace rectify::web
