#include "web/http_reply.h"

#include <cstdio>

#include "web/api_server.h"

namespace rectify::web {
namespace {

constexpr const char* kJson = "application/json; charset=utf-8";

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
  res.set_content(body.dump(), kJson);
}

void ReplyError(httplib::Response& res, const Status& status) {
  json body = {{"error", StatusCodeName(status.code())}, {"message", status.message()}};
  if (status.code() == StatusCode::kInternal) {
    std::fprintf(stderr, "rectify: internal error: %s\n", status.message().c_str());
    body["message"] = "internal error; the server log has the details";
  }
  if (!status.field().empty()) body["field"] = status.field();
  if (status.lists_allowed())
    body["allowed_events"] = status.allowed();
  Reply(res, ErrorStatusFor(status.code()), body);
}

std::int64_t IdOf(const httplib::Request& req) { return std::stoll(req.matches[1].str()); }

}  // namespace rectify::web
