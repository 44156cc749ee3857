// Base64 and HMAC for the tests, with OpenSSL called directly: the receivers check the
// notifier's signatures and encodings with code that is not the notifier's.
#pragma once

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>
#include <string>

namespace rectify::testing {

// base64(HMAC-SHA256(key, message)).
inline std::string Base64HmacSha256(const std::string& key, const std::string& message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), mac, &mac_length);
  std::string out(4 * ((mac_length + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), mac, static_cast<int>(mac_length));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

inline std::string LowerHexOf(const unsigned char* bytes, unsigned int length) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0x0F];
  }
  return out;
}

// Lower-case hex of HMAC-SHA256(key, message): Aliyun's V3 signature.
inline std::string HexHmacSha256(const std::string& key, const std::string& message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), mac, &mac_length);
  return LowerHexOf(mac, mac_length);
}

// Lower-case hex of SHA-256(data).
inline std::string HexSha256(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  return LowerHexOf(digest, length);
}

// Standard base64 decoding, line breaks ignored; throws on malformed input.
inline std::string DecodeBase64(const std::string& text) {
  std::string clean;
  for (const char c : text)
    if (c != '\r' && c != '\n') clean += c;
  if (clean.size() % 4 != 0) throw std::runtime_error("base64 length is not a multiple of 4");
  std::string out(clean.size() / 4 * 3 + 1, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(clean.data()), static_cast<int>(clean.size()));
  if (n < 0) throw std::runtime_error("malformed base64");
  std::size_t length = static_cast<std::size_t>(n);
  for (std::size_t i = clean.size(); i > 0 && clean[i - 1] == '='; --i) --length;
  out.resize(length);
  return out;
}

}  // namespace rectify::testing
