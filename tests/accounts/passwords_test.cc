// Password hashes, tokens and the password policy (accounts/passwords.h).
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "accounts/account.h"
#include "accounts/passwords.h"

namespace rectify::accounts {
namespace {

TEST_CASE("A password hash verifies the password and nothing else") {
  const Result<std::string> hash = HashPassword("correct horse battery", PasswordCost::TestOnlyMinimum());
  REQUIRE(hash.ok());
  CHECK(hash->rfind("$argon2id$", 0) == 0);
  CHECK(hash->find("correct horse") == std::string::npos);
  CHECK(VerifyPassword("correct horse battery", *hash));
  CHECK_FALSE(VerifyPassword("correct horse batterY", *hash));
  CHECK_FALSE(VerifyPassword("correct horse battery", "not a hash"));
}

TEST_CASE("The interactive cost hashes with argon2id and its parameters are kept in the hash") {
  const Result<std::string> hash = HashPassword("a long enough passphrase", PasswordCost::Interactive());
  REQUIRE(hash.ok());
  CHECK(hash->find("$m=65536,t=2,") != std::string::npos);
  CHECK(VerifyPassword("a long enough passphrase", *hash));
}

TEST_CASE("Two hashes of one password differ by their salt") {
  const auto a = HashPassword("same password here", PasswordCost::TestOnlyMinimum());
  const auto b = HashPassword("same password here", PasswordCost::TestOnlyMinimum());
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(*a != *b);
}

TEST_CASE("Tokens are 43 base64url characters and never repeat") {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string token = NewToken();
    CHECK(token.size() == 43);
    CHECK(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
          std::string::npos);
    seen.insert(token);
  }
  CHECK(seen.size() == 100);
}

TEST_CASE("A token hash is the BLAKE2b-256 of the token in hex") {
  // BLAKE2b-256 of the empty string and of "abc", from the BLAKE2 reference vectors.
  CHECK(TokenHash("") == "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  CHECK(TokenHash("abc") == "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  const std::string token = NewToken();
  CHECK(TokenHash(token) == TokenHash(token));
  CHECK(TokenHash(token).find(token) == std::string::npos);
}

TEST_CASE("The password policy refuses short passwords and the username and one repeated character") {
  struct Case {
    const char* password;
    bool ok;
  };
  const Case cases[] = {
      {"short", false},
      {"nine char", false},
      {"ten chars!", true},
      {"我的密码很长很长很长的", true},  // 11 characters, 33 bytes
      {"密码太短了", false},            // 5 characters, 15 bytes
      {"zhangwei2021!", false},       // contains the username
      {"ZhangWei-secret", false},     // ignoring ASCII case
      {"aaaaaaaaaaaaaa", false},
      {"aaaaaaaaaaaaab", true},
      // The first guesses: runs up or down, and the common passwords of leaked lists.
      {"1234567890", false},
      {"abcdefghij", false},
      {"9876543210", false},
      {"ABCDEFGHIJK", false},
      {"WoAiNi1314", false},
      {"1qaz2wsx3edc", false},
      {"1234567891", true},
      {"abcdefghik", true},
  };
  for (const Case& c : cases) {
    INFO(c.password);
    const Status status = CheckPasswordPolicy(c.password, "zhangwei");
    CHECK(status.ok() == c.ok);
    if (!status.ok()) CHECK(status.field() == "password");
  }
  CHECK_FALSE(CheckPasswordPolicy(std::string(257, 'x') + "y", "zhangwei").ok());
}

TEST_CASE("Generated passwords pass the policy and avoid look-alike characters") {
  for (int i = 0; i < 50; ++i) {
    const std::string password = GeneratePassword();
    CHECK(password.size() == 23);
    CHECK(password.find_first_of("0O1lI") == std::string::npos);
    CHECK(CheckPasswordPolicy(password, "no_such_name").ok());
  }
}

TEST_CASE("Role names read back as the roles they name") {
  for (const Role role : {Role::kOffice, Role::kUnitMember, Role::kInspector, Role::kSupervisor, Role::kLeader}) {
    CHECK(ParseRole(RoleName(role)).value() == role);
  }
  CHECK(ParseRole("admin").status().field() == "role");
  CHECK(JoinRoles({Role::kOffice, Role::kLeader}) == "office,leader");
  CHECK(ParseRoles("office,leader").value() == std::vector<Role>{Role::kOffice, Role::kLeader});
  CHECK_FALSE(ParseRoles("").ok());
}

}  // namespace
}  // namespace rectify::accounts
