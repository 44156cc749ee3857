// The one HTTP client of the notifier: a POST over libcurl, JSON for robots and webhooks, a
// form for the SMS gateway.
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

// The same with another Content-Type ("application/x-www-form-urlencoded").
Result<HttpReply> HttpPost(const std::string& url, const std::string& content_type, const std::string& body,
                           const std::vector<std::string>& headers, const std::string& target);

}  // namespace rectify::notifier
