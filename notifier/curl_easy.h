// One libcurl transfer with the settings every channel shares: bounded connect and total
// times (a robot that is down or hangs costs seconds, not the notifier loop), no signals (the
// sender may run on any thread), no redirects, and only the protocols the caller names.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>

#include "engine/status.h"

namespace rectify::notifier {

inline constexpr long kConnectTimeoutMs = 5'000;
inline constexpr long kTotalTimeoutMs = 15'000;

class CurlEasy {
 public:
  // `protocols` as for CURLOPT_PROTOCOLS_STR ("http,https"). Throws std::runtime_error when
  // libcurl cannot make a handle at all (out of memory): the notifier cannot continue.
  explicit CurlEasy(const char* protocols);
  ~CurlEasy();
  CurlEasy(const CurlEasy&) = delete;
  CurlEasy& operator=(const CurlEasy&) = delete;

  CURL* get() const { return handle_; }

  // Runs the transfer. Ok when libcurl completed it; otherwise kInternal naming `target` and
  // libcurl's generic description of the error (never the URL, which may hold a key).
  Status Perform(const std::string& target);

 private:
  CURL* handle_ = nullptr;
};

struct CurlSlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;
// Appends `line` to `list` (headers, recipients); throws std::bad_alloc when libcurl cannot.
void Append(CurlSlist& list, const std::string& line);

// CURLOPT_WRITEFUNCTION collecting a reply body into the std::string at `string`; keeps the
// first 64 KiB, which is enough to report any reply.
size_t AppendToString(char* data, size_t size, size_t count, void* string);

}  // namespace rectify::notifier
