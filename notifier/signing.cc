#include "notifier/signing.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

#include "engine/attachments.h"

namespace rectify::notifier {
namespace {

const unsigned char* Bytes(std::string_view text) { return reinterpret_cast<const unsigned char*>(text.data()); }

}  // namespace

std::string HmacSha256(std::string_view key, std::string_view message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), Bytes(message), message.size(), out, &length) ==
      nullptr)
    throw std::runtime_error("OpenSSL HMAC-SHA256 failed");
  return std::string(reinterpret_cast<const char*>(out), length);
}

std::string Sha256Hex(std::string_view data) { return ContentHash(data); }

std::string Base64(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3), '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), Bytes(data), static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if ((byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9') || byte == '-' ||
        byte == '_' || byte == '.' || byte == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

std::string DingTalkSignature(std::string_view secret, std::int64_t timestamp_ms) {
  const std::string message = std::to_string(timestamp_ms) + "\n" + std::string(secret);
  return Base64(HmacSha256(secret, message));
}

std::string FeishuSignature(std::string_view secret, std::int64_t timestamp_s) {
  const std::string key = std::to_string(timestamp_s) + "\n" + std::string(secret);
  return Base64(HmacSha256(key, ""));
}

}  // namespace rectify::notifier
