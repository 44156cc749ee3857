#include "notifier/http_client.h"

#include "notifier/curl_easy.h"

namespace rectify::notifier {

Result<HttpReply> HttpPostJson(const std::string& url, const std::string& body, const std::vector<std::string>& headers,
                               const std::string& target) {
  return HttpPost(url, "application/json; charset=utf-8", body, headers, target);
}

Result<HttpReply> HttpPost(const std::string& url, const std::string& content_type, const std::string& body,
                           const std::vector<std::string>& headers, const std::string& target) {
  CurlEasy curl("http,https");
  CurlSlist header_list;
  // "Expect:" stops libcurl from waiting on "100 Continue" before sending a large body.
  Append(header_list, "Content-Type: " + content_type);
  Append(header_list, "Expect:");
  for (const std::string& header : headers) Append(header_list, header);

  HttpReply reply;
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_POST, 1L);
  curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, header_list.get());
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &AppendToString);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &reply.body);
  RECTIFY_RETURN_IF_ERROR(curl.Perform(target));
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

}  // namespace rectify::notifier
