#include "notifier/smtp_client.h"

#include <algorithm>
#include <cstring>

#include "notifier/curl_easy.h"

namespace rectify::notifier {
namespace {

struct Upload {
  const std::string* data = nullptr;
  size_t sent = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* upload_ptr) {
  auto* upload = static_cast<Upload*>(upload_ptr);
  const size_t n = std::min(size * count, upload->data->size() - upload->sent);
  std::memcpy(buffer, upload->data->data() + upload->sent, n);
  upload->sent += n;
  return n;
}

}  // namespace

Status SmtpSend(const SmtpEnvelope& envelope, const std::string& mime, const std::string& target) {
  CurlEasy curl("smtp,smtps");
  CURL* handle = curl.get();
  const std::string from = "<" + envelope.from + ">";
  CurlSlist recipients;
  for (const std::string& to : envelope.to) Append(recipients, "<" + to + ">");
  Upload upload{&mime, 0};

  curl_easy_setopt(handle, CURLOPT_URL, envelope.url.c_str());
  curl_easy_setopt(handle, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(handle, CURLOPT_READFUNCTION, &ReadUpload);
  curl_easy_setopt(handle, CURLOPT_READDATA, &upload);
  if (!envelope.username.empty()) {
    curl_easy_setopt(handle, CURLOPT_USERNAME, envelope.username.c_str());
    curl_easy_setopt(handle, CURLOPT_PASSWORD, envelope.password.c_str());
    curl_easy_setopt(handle, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  } else {
    curl_easy_setopt(handle, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  }
  return curl.Perform(target);
}

}  // namespace rectify::notifier
