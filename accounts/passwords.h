// Password hashing, secret tokens and the password policy, on libsodium.
//
// Passwords are hashed with argon2id (crypto_pwhash_str): the result carries its own salt and
// cost parameters, so hashes made at one cost still verify after the cost is changed. Tokens
// are 32 random bytes; only their BLAKE2b-256 hash is stored, so a copy of the database does
// not let anyone act as a user. libsodium is initialised on first use; if it cannot be, the
// program cannot continue (std::runtime_error).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace rectify::accounts {

// argon2id's work per hash.
struct PasswordCost {
  unsigned long long opslimit = 0;
  std::size_t memlimit = 0;

  // libsodium's INTERACTIVE limits: 2 passes over 64 MiB, about 0.1 s on this machine. The
  // cost of every login and of every guess an attacker with the database makes; and, since a
  // hash holds 64 MiB while it runs, also the server's memory per concurrent login.
  static PasswordCost Interactive();
  // libsodium's minimum (1 pass, 8 KiB): for tests only, where hundreds of hashes must be
  // cheap. Never for stored passwords.
  static PasswordCost TestOnlyMinimum();
};

// kInternal when libsodium cannot allocate the memory the cost asks for.
Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost);
// True when `password` matches `hash` (any cost). False for a malformed hash.
bool VerifyPassword(std::string_view password, const std::string& hash);

// A new secret: 32 random bytes as 43 characters of unpadded base64url.
std::string NewToken();
// BLAKE2b-256 of the token, as 64 lowercase hex digits: what the store keeps.
std::string TokenHash(std::string_view token);

inline constexpr std::size_t kMinPasswordLength = 10;   // in characters (UTF-8 code points)
inline constexpr std::size_t kMaxPasswordLength = 256;  // in bytes; bounds the hashing input

// kInvalidArgument (field "password") with a short English reason when the password is shorter
// than kMinPasswordLength characters or longer than kMaxPasswordLength bytes, equals or
// contains the username (ignoring ASCII case), or repeats one character.
Status CheckPasswordPolicy(std::string_view password, std::string_view username);

// A password to hand to a person: 20 random characters from an alphabet without look-alikes
// (no 0/O, 1/l/I), in four groups of five joined by '-' ("k7Qmx-9dWfa-..."): about 116 bits.
std::string GeneratePassword();

}  // namespace rectify::accounts
