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

namespace {

// Passwords of ten characters or more that lists of leaked passwords put near the top (Chinese
// sites' leaks included), compared ignoring ASCII case. Not a dictionary: the first guesses.
constexpr std::string_view kCommonPasswords[] = {
    "1qaz2wsx3edc", "1q2w3e4r5t",   "1q2w3e4r5t6y", "password123",  "password1234", "abcd123456",
    "a123456789",   "woaini1314",   "woaini1314520", "qwerty123456", "zxcvbnm123",  "iloveyou123",
    "admin12345",   "admin123456",  "abc1234567",   "p@ssw0rd123",  "asdfghjkl123", "1234567890a",
    "aa12345678",   "qq123456789",  "5201314520",   "1234567890q",  "qwertyuiop",   "asdfghjkl;",
    "1234qwerasdf", "qazwsxedcrfv", "123456789a",   "a1234567890",  "11223344556",  "1122334455"};

// Every character one after the other in the code table, up or down: 1234567890's digits
// (0 after 9 as on a keyboard), abcdefghij, 9876543210.
bool IsRun(std::string_view password) {
  const std::string lower = AsciiLower(password);
  auto step = [](char a, char b) {
    if (a == '9' && b == '0') return 1;
    if (a == '0' && b == '9') return -1;
    return static_cast<int>(static_cast<unsigned char>(b)) - static_cast<int>(static_cast<unsigned char>(a));
  };
  const int first = step(lower[0], lower[1]);
  if (first != 1 && first != -1) return false;
  for (std::size_t i = 1; i + 1 < lower.size(); ++i)
    if (step(lower[i], lower[i + 1]) != first) return false;
  return true;
}

}  // namespace

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
  if (IsRun(password)) return refuse("must not be a run of characters one after the other (1234567890, abcdefghij)");
  const std::string lower = AsciiLower(password);
  for (const std::string_view common : kCommonPasswords)
    if (lower == common) return refuse("is among the first passwords anyone tries: choose another");
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
