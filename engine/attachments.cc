#include "engine/attachments.h"

#include <openssl/evp.h>

#include <algorithm>
#include <stdexcept>

#include "engine/text.h"

namespace rectify {
namespace {

constexpr std::size_t kMaxFileNameBytes = 200;

bool StartsWith(std::string_view bytes, std::string_view prefix) {
  return bytes.size() >= prefix.size() && bytes.compare(0, prefix.size(), prefix) == 0;
}

// Unicode's bidirectional formatting characters, in UTF-8: LRE, RLE, PDF, LRO, RLO; LRI, RLI,
// FSI, PDI; LRM, RLM; the Arabic letter mark.
constexpr std::string_view kTextReorderingCharacters[] = {
    "\xE2\x80\xAA", "\xE2\x80\xAB", "\xE2\x80\xAC", "\xE2\x80\xAD", "\xE2\x80\xAE", "\xE2\x81\xA6",
    "\xE2\x81\xA7", "\xE2\x81\xA8", "\xE2\x81\xA9", "\xE2\x80\x8E", "\xE2\x80\x8F", "\xD8\x9C"};

std::string Lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

std::optional<std::string> DetectAttachmentType(std::string_view bytes) {
  using namespace std::string_view_literals;
  if (StartsWith(bytes, "\xFF\xD8\xFF"sv)) return "image/jpeg";
  if (StartsWith(bytes, "\x89PNG\r\n\x1A\n"sv)) return "image/png";
  if (StartsWith(bytes, "GIF87a"sv) || StartsWith(bytes, "GIF89a"sv)) return "image/gif";
  if (bytes.size() >= 12 && StartsWith(bytes, "RIFF"sv) && bytes.compare(8, 4, "WEBP"sv) == 0) return "image/webp";
  if (StartsWith(bytes, "%PDF-"sv)) return "application/pdf";
  return std::nullopt;
}

std::string ContentHash(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // SHA-256 of a memory buffer fails only when OpenSSL itself is broken: nothing to recover.
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("OpenSSL: SHA-256 failed");
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    hex += kDigits[digest[i] >> 4];
    hex += kDigits[digest[i] & 0x0f];
  }
  return hex;
}

bool IsContentHash(std::string_view text) {
  if (text.size() != 64) return false;
  for (const char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

Result<std::string> CleanFileName(std::string_view name) {
  if (!IsValidUtf8(name))
    return Status::InvalidArgument("file", "the file name is not UTF-8: rename the file or upload it from the page");
  const std::size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out = XmlSafeText(name);
  out.erase(std::remove_if(out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }),
            out.end());
  for (const std::string_view reorder : kTextReorderingCharacters) {
    for (std::size_t at = out.find(reorder); at != std::string::npos; at = out.find(reorder, at))
      out.erase(at, reorder.size());
  }
  out = TrimSpace(out);
  if (out.size() > kMaxFileNameBytes) {
    // Cut from the name, not its extension: 签字页….png stays a .png.
    constexpr std::size_t kLongestExtension = 8;
    const std::size_t dot = out.find_last_of('.');
    const std::string extension =
        dot != std::string::npos && dot > 0 && out.size() - dot <= kLongestExtension ? out.substr(dot) : std::string();
    const std::string_view stem(out.data(), out.size() - extension.size());
    out = std::string(Utf8Prefix(stem, kMaxFileNameBytes - extension.size())) + extension;
  }
  if (out.empty() || out == "." || out == "..") return std::string("file");
  return out;
}

std::string ExtensionOfType(std::string_view content_type) {
  if (content_type == "image/jpeg") return ".jpg";
  if (content_type == "image/png") return ".png";
  if (content_type == "image/gif") return ".gif";
  if (content_type == "image/webp") return ".webp";
  if (content_type == "application/pdf") return ".pdf";
  return "";
}

std::string DownloadName(std::string_view name, std::string_view content_type) {
  const std::string wanted = ExtensionOfType(content_type);
  const std::size_t dot = name.rfind('.');
  const std::string has = dot == std::string_view::npos ? std::string() : Lowercase(name.substr(dot));
  if (wanted.empty() || has == wanted || (wanted == ".jpg" && has == ".jpeg")) return std::string(name);
  return std::string(name) + wanted;
}

}  // namespace rectify
