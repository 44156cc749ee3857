// The few pieces every route file shares: how an answer and an error are written, and the
// query string as json_codec.h reads it. Internal to web/.
#pragma once

#include <httplib.h>

#include <cstdint>

#include "engine/status.h"
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
// The number captured by a route pattern's first group.
std::int64_t IdOf(const httplib::Request& req);

}  // namespace rectify::web
