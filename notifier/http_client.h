// The one HTTP client of the notifier: a JSON POST over libcurl, for robots and webhooks.
#pragma once

#include <string>
#include <vector>

#include "engine/status.h"

namespace rectify::notifier {

struct HttpReply {
  long status = 0;   // the HTTP status code
  std::string body;  // at most the first 64 KiB
};

// POSTs `body` as application/json (UTF-8) with the extra `headers` ("Name: value"). Any HTTP
// answer is a reply, whatever its status; no answer (refused, timed out after 5 s to connect
// or 15 s in all, connection closed) is kInternal naming `target`, never `url`.
Result<HttpReply> HttpPostJson(const std::string& url, const std::string& body, const std::vector<std::string>& headers,
                               const std::string& target);

}  // namespace rectify::notifier
