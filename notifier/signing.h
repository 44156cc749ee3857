// The robots' signatures and the few digests and encodings they are made of (OpenSSL).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rectify::notifier {

// Raw 32-byte HMAC-SHA256 of `message` under `key`.
std::string HmacSha256(std::string_view key, std::string_view message);
// Lower-case hex of SHA-256 (engine's ContentHash): for Target() and Message-IDs, which must
// name a secret-bearing URL or key without revealing it.
std::string Sha256Hex(std::string_view data);
// Standard base64 with padding, no line breaks.
std::string Base64(std::string_view data);
// Percent-encodes everything but RFC 3986's unreserved characters.
std::string UrlEncode(std::string_view text);

// DingTalk: base64(HMAC-SHA256(key = secret, msg = timestamp_ms + "\n" + secret)), not yet
// URL-encoded; sent as the URL parameters timestamp=…&sign=….
std::string DingTalkSignature(std::string_view secret, std::int64_t timestamp_ms);
// Feishu: base64(HMAC-SHA256(key = timestamp_s + "\n" + secret, msg = "")); sent in the body
// with "timestamp".
std::string FeishuSignature(std::string_view secret, std::int64_t timestamp_s);

}  // namespace rectify::notifier
