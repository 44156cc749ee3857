#include "notifier/curl_easy.h"

#include <algorithm>
#include <mutex>
#include <new>
#include <stdexcept>

namespace rectify::notifier {
namespace {

// A reply larger than this is an error page at best; what is kept is enough to report it.
constexpr size_t kMaxReplyBytes = 64 * 1024;

void InitializeCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("curl_global_init failed");
  });
}

}  // namespace

CurlEasy::CurlEasy(const char* protocols) {
  InitializeCurlOnce();
  handle_ = curl_easy_init();
  if (handle_ == nullptr) throw std::runtime_error("curl_easy_init failed");
  curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle_, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
  curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, kTotalTimeoutMs);
  curl_easy_setopt(handle_, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(handle_, CURLOPT_PROTOCOLS_STR, protocols);
}

CurlEasy::~CurlEasy() { curl_easy_cleanup(handle_); }

Status CurlEasy::Perform(const std::string& target) {
  const CURLcode code = curl_easy_perform(handle_);
  if (code == CURLE_OK) return Status::Ok();
  std::string message = target + ": " + curl_easy_strerror(code);
  long response = 0;
  if (curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &response) == CURLE_OK && response != 0)
    message += " (server answered " + std::to_string(response) + ")";
  // A refused login or a malformed URL is configuration: it fails the same way every time, and
  // so does a 5xx an SMTP server answered (550 no such mailbox): HTTP replies are not curl errors,
  // so a response code here is a mail server's. Everything else (refused connection, timeout,
  // reset, SMTP 4xx "try later") may pass later.
  if (response >= 500 && response <= 599) return Status::Internal(message);
  switch (code) {
    case CURLE_LOGIN_DENIED:
    case CURLE_REMOTE_ACCESS_DENIED:
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_USE_SSL_FAILED:
      return Status::Internal(message);
    default:
      return Status::Unavailable(message);
  }
}

void Append(CurlSlist& list, const std::string& line) {
  curl_slist* head = curl_slist_append(list.get(), line.c_str());
  if (head == nullptr) throw std::bad_alloc();
  if (!list) list.reset(head);
}

size_t AppendToString(char* data, size_t size, size_t count, void* string) {
  auto* out = static_cast<std::string*>(string);
  const size_t bytes = size * count;
  if (out->size() < kMaxReplyBytes) out->append(data, std::min(bytes, kMaxReplyBytes - out->size()));
  return bytes;
}

}  // namespace rectify::notifier
