#include "storage/pg_blobs.h"

namespace rectify::pg {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

std::string ToHex(std::string_view bytes) {
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    hex += kHexDigits[byte >> 4];
    hex += kHexDigits[byte & 0x0f];
  }
  return hex;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> FromHex(const std::string& hex) {
  if (hex.size() % 2 != 0) return Status::Internal("postgresql: a stored file's hex has an odd length");
  std::string bytes;
  bytes.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = HexValue(hex[i]);
    const int low = HexValue(hex[i + 1]);
    if (high < 0 || low < 0) return Status::Internal("postgresql: a stored file's hex holds a non-hex digit");
    bytes += static_cast<char>((high << 4) | low);
  }
  return bytes;
}

}  // namespace

Status WriteBlob(Conn& conn, const std::string& sha256, std::string_view bytes) {
  return conn
      .Prepare("INSERT INTO blobs (sha256, content) VALUES (?, decode(?, 'hex')) ON CONFLICT (sha256) DO NOTHING")
      .BindAll(sha256, ToHex(bytes))
      .Run();
}

Result<std::string> ReadBlob(Conn& conn, const std::string& sha256) {
  Query query = conn.Prepare("SELECT encode(content, 'hex') FROM blobs WHERE sha256 = ?");
  query.BindAll(sha256);
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("no stored file " + sha256);
  return FromHex(query.Text(0));
}

}  // namespace rectify::pg
