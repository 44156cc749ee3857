#include "accounts/passwords.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>
#include <stdexcept>

namespace rectify::accounts {
namespace {

constexpr std::size_t kTokenBytes = 32;
constexpr char kPasswordAlphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
constexpr int kPasswordGroups = 4;
constexpr int kPasswordGroupLength = 5;

void EnsureSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  });
}

std::string AsciiLower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

std::size_t CodePoints(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // not a UTF-8 continuation byte
  }));
}

}  // namespace

PasswordCost PasswordCost::Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordCost PasswordCost::TestOnlyMinimum() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost) {
  EnsureSodium();
  std::array<char, crypto_pwhash_STRBYTES> hash{};
  if (crypto_pwhash_str(hash.data(), password.data(), password.size(), cost.opslimit, cost.memlimit) != 0) {
    return Status::Internal("password hashing failed: out of memory");
  }
  return std::string(hash.data());
}

bool VerifyPassword(std::string_view password, const std::string& hash) {
  EnsureSodium();
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string NewToken() {
  EnsureSodium();
  std::array<unsigned char, kTokenBytes> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::array<char, sodium_base64_ENCODED_LEN(kTokenBytes, kVariant)> text{};
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(), kVariant);
  sodium_memzero(bytes.data(), bytes.size());
  return std::string(text.data());
}

std::string TokenHash(std::string_view token) {
  EnsureSodium();
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  std::array<char, crypto_generichash_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data());
}

Status CheckPasswordPolicy(std::string_view password, std::string_view username) {
  auto refuse = [](const char* why) { return Status::InvalidArgument("password", why); };
  if (CodePoints(password) < kMinPasswordLength) return refuse("must be at least 10 characters long");
  if (password.size() > kMaxPasswordLength) return refuse("must be at most 256 bytes long");
  if (!username.empty() && AsciiLower(password).find(AsciiLower(username)) != std::string::npos) {
    return refuse("must not contain the username");
  }
  if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password.front(); })) {
    return refuse("must not repeat a single character");
  }
  return Status::Ok();
}

std::string GeneratePassword() {
  EnsureSodium();
  constexpr auto kAlphabetSize = static_cast<std::uint32_t>(sizeof(kPasswordAlphabet) - 1);
  std::string password;
  for (int group = 0; group < kPasswordGroups; ++group) {
    if (group > 0) password += '-';
    for (int i = 0; i < kPasswordGroupLength; ++i) password += kPasswordAlphabet[randombytes_uniform(kAlphabetSize)];
  }
  return password;
}

}  // namespace rectify::accounts
