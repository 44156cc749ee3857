#include "notifier/aliyun_signing.h"

#include <ctime>

#include "notifier/signing.h"

namespace rectify::notifier {
namespace {

constexpr const char* kAlgorithm = "ACS3-HMAC-SHA256";

std::string SignedHeaderNames(const AcsRequest& request) {
  std::string names;
  for (const auto& [name, value] : request.headers) names += (names.empty() ? "" : ";") + name;
  return names;
}

std::string CanonicalRequest(const AcsRequest& request) {
  std::string headers;
  for (const auto& [name, value] : request.headers) headers += name + ":" + value + "\n";
  return request.method + "\n" + request.path + "\n" + request.canonical_query + "\n" + headers + "\n" +
         SignedHeaderNames(request) + "\n" + Sha256Hex(request.body);
}

}  // namespace

std::string LowerHex(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    const unsigned char byte = static_cast<unsigned char>(c);
    out += kHex[byte >> 4];
    out += kHex[byte & 0x0F];
  }
  return out;
}

std::string FormatUtc(Instant at) {
  const std::time_t seconds = static_cast<std::time_t>(at);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[sizeof "2026-11-29T17:48:29Z"];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

void AddAcsHeaders(AcsRequest& request, const std::string& action, const std::string& version, Instant at,
                   const std::string& nonce) {
  request.headers["x-acs-action"] = action;
  request.headers["x-acs-version"] = version;
  request.headers["x-acs-date"] = FormatUtc(at);
  request.headers["x-acs-signature-nonce"] = nonce;
  request.headers["x-acs-content-sha256"] = Sha256Hex(request.body);
}

std::string AcsAuthorization(const AcsRequest& request, const std::string& access_key_id,
                             const std::string& access_key_secret) {
  const std::string string_to_sign = std::string(kAlgorithm) + "\n" + Sha256Hex(CanonicalRequest(request));
  return std::string(kAlgorithm) + " Credential=" + access_key_id + ",SignedHeaders=" + SignedHeaderNames(request) +
         ",Signature=" + LowerHex(HmacSha256(access_key_secret, string_to_sign));
}

}  // namespace rectify::notifier
