#include "web/http_reply.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string_view>
#include <utility>

#include "engine/text.h"
#include "web/api_server.h"
#include "web/request_log.h"

namespace rectify::web {
namespace {

// JSON is UTF-8 by definition (RFC 8259 §8.1), so no charset parameter; and cpp-httplib compresses
// an answer (gzip or brotli, when the client accepts it) only when its type is exactly this.
constexpr const char* kJson = "application/json";

}  // namespace

std::optional<std::string> HttplibParams::Get(const std::string& name) const {
  if (!req_.has_param(name.c_str())) return std::nullopt;
  return req_.get_param_value(name.c_str());
}

std::vector<std::string> HttplibParams::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, value] : req_.params) names.push_back(name);
  return names;
}

void Reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  // Text that reaches an answer was checked at the edge, but an answer must never be the thing
  // that fails: a byte that is not UTF-8 is written as U+FFFD rather than thrown.
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), kJson);
}

void ReplyError(httplib::Response& res, const Status& status) {
  json body = {{"error", StatusCodeName(status.code())}, {"message", status.message()}};
  // Neither a bug nor a database out of reach is the client's to read about (the SQL, the
  // socket's path): the request's log line carries it.
  if (status.code() == StatusCode::kInternal) {
    CurrentRequest().error = status.message();
    body["message"] = "internal error; the server log has the details";
  } else if (status.code() == StatusCode::kUnavailable) {
    CurrentRequest().error = status.message();
    body["message"] = status.reason() == "disk_full"
                          ? "the server's disk is full: nothing was saved; the administrator must free space, then "
                            "try again"
                          : "the database cannot be reached now; try again shortly";
  }
  if (!status.field().empty()) body["field"] = status.field();
  if (status.lists_allowed())
    body["allowed_events"] = status.allowed();
  if (!status.reason().empty()) {
    body["reason"] = status.reason();
    body["params"] = status.params();
  }
  // How long a refused login waits, for a program's retry (RFC 9110 §10.2.3).
  if (const auto wait = status.params().find("retry_after_seconds"); wait != status.params().end())
    res.set_header("Retry-After", wait->second);
  Reply(res, ErrorStatusFor(status.code()), body);
}

Result<bool> DryRunOf(const httplib::Request& req) {
  // The query string itself: httplib also reads a body sent as a form (curl --data-binary sends
  // application/x-www-form-urlencoded unless told otherwise) into req.params, and the body here
  // is a file, not a form.
  httplib::Params params;
  const std::size_t question = req.target.find('?');
  if (question != std::string::npos) httplib::detail::parse_query_text(req.target.substr(question + 1), params);
  for (const auto& [name, value] : params)
    if (name != "dry_run") return Status::InvalidArgument(name, "unknown query parameter");
  const auto found = params.find("dry_run");
  if (found == params.end()) return false;
  const std::string value = found->second;
  if (value == "1" || value == "true") return true;
  if (value == "0" || value == "false") return false;
  return Status::InvalidArgument("dry_run", "\"" + value + "\" is not 1, 0, true or false");
}

std::int64_t IdOf(const httplib::Request& req) { return std::stoll(req.matches[1].str()); }

std::string AttachmentDisposition(const std::string& name, const std::string& fallback_name) {
  // A name is saved as it is sent: characters Windows refuses in a file name (a household head
  // typed as 王五:六?, a photo's name) become _, so the browser need not guess a replacement.
  std::string saved;
  for (const char c : name)
    saved += (static_cast<unsigned char>(c) < 0x20 || std::string_view("\\/:*?\"<>|").find(c) != std::string_view::npos) ? '_' : c;
  // RFC 5987 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~"; every other byte percent-encoded.
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (const char c : saved) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos) {
      encoded += c;
    } else {
      encoded += '%';
      encoded += kHex[byte >> 4];
      encoded += kHex[byte & 0x0F];
    }
  }
  std::string ascii;
  for (const char c : fallback_name)
    ascii += (c >= 0x20 && c < 0x7F && std::string_view("\\/:*?\"<>|").find(c) == std::string_view::npos) ? c : '_';
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

void ReplyFile(httplib::Response& res, std::string bytes, const std::string& content_type, const std::string& name,
               const std::string& fallback_name) {
  res.status = 200;
  res.set_header("Content-Disposition", AttachmentDisposition(name, fallback_name));
  res.body = std::move(bytes);
  res.set_header("Content-Type", content_type);
}

void ReplyFile(httplib::Response& res, std::shared_ptr<exports::SpooledFile> file, const std::string& content_type,
               const std::string& name, const std::string& fallback_name) {
  res.status = 200;
  res.set_header("Content-Disposition", AttachmentDisposition(name, fallback_name));
  const std::size_t size = file->size();
  res.set_content_provider(size, content_type,
                           [file = std::move(file)](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                             char buffer[64 * 1024];
                             const long read = file->Read(offset, buffer, std::min(length, sizeof buffer));
                             // A file shorter than it was when opened: end the answer, the client sees it cut.
                             if (read <= 0) return false;
                             return sink.write(buffer, static_cast<std::size_t>(read));
                           });
}

Status CheckRequestText(const httplib::Request& req) {
  RECTIFY_RETURN_IF_ERROR(CheckText("path", req.path, kAnyLength));
  for (const auto& [name, value] : req.params) {
    RECTIFY_RETURN_IF_ERROR(CheckText("query", name, kAnyLength));
    RECTIFY_RETURN_IF_ERROR(CheckText(name, value, kAnyLength));
  }
  for (const char* header : {"Authorization", "Cookie", "Content-Type", "Origin", "Host", "X-CSRF-Token"}) {
    if (!req.has_header(header)) continue;
    RECTIFY_RETURN_IF_ERROR(CheckText(std::string("header ") + header, req.get_header_value(header), kAnyLength));
  }
  return Status::Ok();
}

void ReplyTooLarge(httplib::Response& res, std::size_t limit) {
  Reply(res, 413, {{"error", "payload_too_large"}, {"message", "request body over " + std::to_string(limit) + " bytes"}});
}

}  // namespace rectify::web
