// Aliyun's V3 request signature, ACS3-HMAC-SHA256, for the SMS gateway (dysmsapi SendSms).
// Chosen over the older RPC signature (HMAC-SHA1 over the sorted query): V3 is what Aliyun
// documents for new callers, it reuses the SHA-256 and HMAC-SHA256 the robots already need, and
// it signs the body's hash and the headers, so a request cannot be altered on the way without
// the signature failing.
//
//   CanonicalRequest = POST \n / \n <query> \n <name:value\n for each signed header> \n
//                      <signed header names joined by ;> \n hex(sha256(body))
//   StringToSign     = "ACS3-HMAC-SHA256\n" + hex(sha256(CanonicalRequest))
//   Authorization    = "ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<names>,
//                       Signature=" + hex(HMAC-SHA256(AccessKeySecret, StringToSign))
#pragma once

#include <map>
#include <string>

#include "engine/time.h"

namespace rectify::notifier {

struct AcsRequest {
  std::string method = "POST";
  std::string path = "/";
  std::string canonical_query;  // sorted, RFC 3986-encoded "a=1&b=2"; "" when parameters are in the body
  // Lower-case names to values: host, content-type and every x-acs-* header, all signed.
  std::map<std::string, std::string> headers;
  std::string body;
};

// The x-acs-* headers of a SendSms request at `at` (UTC in x-acs-date), its body's hash, and
// `nonce` (unique per request: Aliyun refuses a nonce it has seen), added to `request.headers`.
void AddAcsHeaders(AcsRequest& request, const std::string& action, const std::string& version, Instant at,
                   const std::string& nonce);

// The Authorization header's value for `request` (its headers as AddAcsHeaders left them).
std::string AcsAuthorization(const AcsRequest& request, const std::string& access_key_id,
                             const std::string& access_key_secret);

// "2026-11-29T17:48:29Z".
std::string FormatUtc(Instant at);

// Lower-case hex of `bytes`.
std::string LowerHex(const std::string& bytes);

}  // namespace rectify::notifier
