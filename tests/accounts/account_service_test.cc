// AccountService (accounts/account_service.h) against a real SqliteStores in a temporary
// directory, with time passed in. Passwords are hashed at the test-only minimum cost.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "accounts/account_service.h"
#include "engine/clock.h"
#include "storage/sqlite_stores.h"
#include "tests/temp_dir.h"

namespace rectify::accounts {
namespace {

const Instant kStart = ShanghaiInstant(CivilDate{2021, 10, 22}, 9 * 3600);
constexpr char kPassword[] = "autumn-campaign-2021";
constexpr char kAddress[] = "10.0.0.7";

AccountPolicy TestPolicy() {
  AccountPolicy policy;
  policy.cost = PasswordCost::TestOnlyMinimum();
  return policy;
}

struct Fixture {
  testing::TempDir dir;
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(kStart);
  std::unique_ptr<SqliteStores> store = SqliteStores::Open(dir.File("rectify.sqlite"), clock).value();
  AccountService service{store->accounts(), TestPolicy()};

  User Add(const std::string& username, std::vector<Role> roles = {Role::kOffice}, const std::string& unit = "") {
    Result<User> user = service.AddUser("os:root", username, "张伟", unit, "gaoqiao", roles, kPassword, kStart);
    REQUIRE(user.ok());
    return *user;
  }

  std::string LoginOk(const std::string& username, const std::string& password = kPassword, Instant at = kStart) {
    Result<LoginResult> login = service.Login(username, password, kAddress, at);
    REQUIRE(login.ok());
    return login->token;
  }

  std::vector<AuditRecord> Audit() {
    std::vector<AuditRecord> records;
    REQUIRE(store->audit()
                .ForEachAudit([&](const AuditRecord& record) {
                  records.push_back(record);
                  return Status::Ok();
                })
                .ok());
    return records;
  }

  std::vector<std::string> Actions() {
    std::vector<std::string> actions;
    for (const AuditRecord& record : Audit()) actions.push_back(record.action);
    return actions;
  }
};

TEST_CASE("Adding a user checks the username and the roles and the unit and the password") {
  Fixture f;
  struct Case {
    const char* username;
    std::vector<Role> roles;
    const char* unit;
    const char* password;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"ab", {Role::kOffice}, "", kPassword, "username"},
      {"张伟", {Role::kOffice}, "", kPassword, "username"},
      {"zhang wei", {Role::kOffice}, "", kPassword, "username"},
      {"zhangwei", {}, "", kPassword, "role"},
      {"zhangwei", {Role::kUnitMember}, "", kPassword, "unit"},
      {"zhangwei", {Role::kOffice}, "", "too short", "password"},
      {"zhangwei", {Role::kOffice}, "", "zhangwei-is-me", "password"},
  };
  for (const Case& c : cases) {
    INFO(c.username << " " << c.field);
    Result<User> user = f.service.AddUser("os:root", c.username, "", c.unit, "gaoqiao", c.roles, c.password, kStart);
    REQUIRE_FALSE(user.ok());
    CHECK(user.status().code() == StatusCode::kInvalidArgument);
    CHECK(user.status().field() == c.field);
  }
  CHECK(f.store->accounts().ListUsers().value().empty());
  CHECK(f.Audit().empty());
}

TEST_CASE("A username is what it is however it is typed: case, full-width forms and spaces at the ends") {
  Fixture f;
  // Added as typed in an IME's full-width mode with a capital: kept as zhang.san, its display
  // name without the zero-width space a paste brought.
  Result<User> added = f.service.AddUser("os:root", "Ｚｈａｎｇ．San ", "张\u200b三\n", "", "gaoqiao", {Role::kOffice},
                                         kPassword, kStart);
  REQUIRE(added.ok());
  CHECK(added->username == "zhang.san");
  CHECK(added->display_name == "张三");
  for (const char* typed : {"zhang.san", "Zhang.San", "ZHANG.SAN", "ｚｈａｎｇ．ｓａｎ", " zhang.san\u3000"}) {
    INFO(typed);
    Result<LoginResult> login = f.service.Login(typed, kPassword, kAddress, kStart);
    REQUIRE(login.ok());
    CHECK(login->user.username == "zhang.san");
  }
  // Still the same name for the throttle: five wrong passwords, however spelled, hold it back.
  for (const char* typed : {"Zhang.San", "ZHANG.SAN", "zhang.san", "ｚｈａｎｇ．ｓａｎ", "zhang.san "})
    CHECK_FALSE(f.service.Login(typed, "wrong password!", kAddress, kStart).ok());
  Result<LoginResult> held = f.service.Login("zhang.san", kPassword, kAddress, kStart);
  REQUIRE_FALSE(held.ok());
  CHECK(held.status().code() == StatusCode::kResourceExhausted);
  // Another name is another name.
  CHECK(f.service.Login("zhang.san2", kPassword, "10.0.0.8", kStart).status().code() == StatusCode::kUnauthenticated);
}

TEST_CASE("A taken username is refused") {
  Fixture f;
  f.Add("zhangwei");
  Result<User> again = f.service.AddUser("os:root", "zhangwei", "", "", "gaoqiao", {Role::kLeader}, kPassword, kStart);
  REQUIRE_FALSE(again.ok());
  CHECK(again.status().field() == "username");
  CHECK(f.Actions() == std::vector<std::string>{"user.add"});
}

TEST_CASE("A stored user keeps a hash and not the password") {
  Fixture f;
  const User added = f.Add("li.na", {Role::kUnitMember, Role::kInspector}, "城管中队");
  const User stored = f.store->accounts().FindUserByName("li.na").value();
  CHECK(stored.id == added.id);
  CHECK(stored.roles == std::vector<Role>{Role::kUnitMember, Role::kInspector});
  CHECK(stored.unit == "城管中队");
  CHECK(stored.created_at == kStart);
  CHECK(stored.password_hash.rfind("$argon2id$", 0) == 0);
  CHECK(stored.password_hash.find(kPassword) == std::string::npos);
}

TEST_CASE("A login returns a token that authenticates the user until the session expires") {
  Fixture f;
  const User user = f.Add("zhangwei");
  Result<LoginResult> login = f.service.Login("zhangwei", kPassword, kAddress, kStart);
  REQUIRE(login.ok());
  CHECK(login->user.id == user.id);
  CHECK(login->expires_at == kStart + 12 * 3600);
  for (Instant at = kStart + 60; at < kStart + 12 * 3600; at += 50 * 60)  // in use all day
    CHECK(f.service.Authenticate(login->token, at).value().username == "zhangwei");
  CHECK(f.service.Authenticate(login->token, kStart + 12 * 3600 - 1).ok());
  const Status expired = f.service.Authenticate(login->token, kStart + 12 * 3600).status();
  CHECK(expired.code() == StatusCode::kUnauthenticated);
  CHECK(f.service.Authenticate("made-up-token", kStart).status().code() == StatusCode::kUnauthenticated);
  CHECK(f.store->accounts().FindSession(login->token).status().code() == StatusCode::kNotFound);  // only hashes are stored
  CHECK(f.Actions() == std::vector<std::string>{"user.add", "login.success"});
}

TEST_CASE("A wrong password and an unknown user and a disabled user get the identical error") {
  Fixture f;
  f.Add("zhangwei");
  f.Add("wangfang");
  REQUIRE(f.service.Disable("os:root", "wangfang", kStart).ok());
  const Status wrong = f.service.Login("zhangwei", "wrong-password-1", kAddress, kStart).status();
  const Status unknown = f.service.Login("nobody", kPassword, kAddress, kStart).status();
  const Status disabled = f.service.Login("wangfang", kPassword, kAddress, kStart).status();
  CHECK(wrong.code() == StatusCode::kUnauthenticated);
  CHECK(wrong.message() == "wrong username or password");
  for (const Status& other : {unknown, disabled}) {
    CHECK(other.code() == wrong.code());
    CHECK(other.message() == wrong.message());
    CHECK(other.field() == wrong.field());
  }
  CHECK(f.Actions() == std::vector<std::string>{"user.add", "user.add", "user.disable", "login.failure",
                                                "login.failure", "login.failure"});
}

TEST_CASE("Disabling a user ends their sessions and API tokens") {
  Fixture f;
  const User user = f.Add("zhangwei");
  const std::string session = f.LoginOk("zhangwei");
  const std::string api = f.service.IssueApiToken(user.id, "dashboard", std::nullopt, kStart).value().token;
  REQUIRE(f.service.Authenticate(api, kStart).ok());
  REQUIRE(f.service.Disable("os:root", "zhangwei", kStart + 10).ok());
  CHECK(f.service.Authenticate(session, kStart + 20).status().code() == StatusCode::kUnauthenticated);
  CHECK(f.service.Authenticate(api, kStart + 20).status().code() == StatusCode::kUnauthenticated);
  CHECK(f.store->accounts().FindSession(TokenHash(session)).value().session.revoked_at == kStart + 10);
  CHECK(f.store->accounts().GetUser(user.id).value().disabled);
  CHECK(f.service.Login("zhangwei", kPassword, kAddress, kStart + 30).status().message() == kWrongCredentials);
  CHECK(f.service.Disable("os:root", "nobody", kStart).code() == StatusCode::kNotFound);
}

TEST_CASE("Enabling a disabled user lets them log in again with their password but not revive old sessions") {
  Fixture f;
  f.Add("zhangwei");
  const std::string old_session = f.LoginOk("zhangwei");
  REQUIRE(f.service.Disable("os:root", "zhangwei", kStart + 10).ok());
  REQUIRE(f.service.Enable("os:root", "zhangwei").ok());
  CHECK_FALSE(f.store->accounts().FindUserByName("zhangwei").value().disabled);
  CHECK(f.service.Authenticate(old_session, kStart + 20).status().code() == StatusCode::kUnauthenticated);
  f.LoginOk("zhangwei", kPassword, kStart + 30);
  REQUIRE(f.service.Enable("os:root", "zhangwei").ok());  // already enabled: nothing to record
  CHECK(f.service.Enable("os:root", "nobody").code() == StatusCode::kNotFound);
  CHECK(f.service.Enable("os:root", "zhangwei", UserScope{std::string("shiyan")}).code() == StatusCode::kNotFound);
  CHECK(f.Actions() ==
        std::vector<std::string>{"user.add", "login.success", "user.disable", "user.enable", "login.success"});
}

TEST_CASE("Purging sessions deletes expired and revoked login sessions and keeps live ones and API tokens") {
  Fixture f;
  const User user = f.Add("zhangwei");
  const std::string expired = f.LoginOk("zhangwei", kPassword, kStart);
  const std::string revoked = f.LoginOk("zhangwei", kPassword, kStart + 13 * 3600);
  REQUIRE(f.service.Logout(revoked, kStart + 13 * 3600 + 60).ok());
  const std::string live = f.LoginOk("zhangwei", kPassword, kStart + 14 * 3600);
  const std::string api = f.service.IssueApiToken(user.id, "dashboard", std::nullopt, kStart).value().token;
  const Instant now = kStart + 14 * 3600 + 60;
  REQUIRE(f.service.Authenticate(live, now).ok());

  const Result<int> purged = f.service.PurgeSessions("rectify serve", now);
  REQUIRE(purged.ok());
  CHECK(*purged == 2);
  CHECK(f.store->accounts().FindSession(TokenHash(expired)).status().code() == StatusCode::kNotFound);
  CHECK(f.store->accounts().FindSession(TokenHash(revoked)).status().code() == StatusCode::kNotFound);
  CHECK(f.service.Authenticate(live, now).ok());
  CHECK(f.service.Authenticate(api, now).ok());
  const std::vector<AuditRecord> audit = f.Audit();
  CHECK(audit.back().action == "sessions.purge");
  CHECK(audit.back().actor == "rectify serve");
  CHECK(audit.back().detail.find(": 2") != std::string::npos);

  const std::size_t records = audit.size();
  CHECK(f.service.PurgeSessions("rectify serve", now).value() == 0);
  CHECK(f.Audit().size() == records);  // a purge that finds nothing leaves no trace
}

TEST_CASE("Five failures from one address hold that address back and the right password works from another") {
  Fixture f;
  f.Add("zhangwei");
  for (int i = 0; i < 5; ++i)
    CHECK(f.service.Login("zhangwei", "wrong-password-1", "203.0.113.9", kStart + i).status().message() ==
          kWrongCredentials);
  const Status held = f.service.Login("zhangwei", kPassword, "203.0.113.9", kStart + 60).status();
  CHECK(held.code() == StatusCode::kResourceExhausted);
  // Held until the lock's end (the fifth failure at +4, for 15 minutes): the answer says how long.
  CHECK(held.message() == "too many failed logins: try again in 844 s");
  CHECK(held.params().at("retry_after_seconds") == "844");
  CHECK(f.service.Login("zhangwei", kPassword, kAddress, kStart + 61).ok());
  CHECK_FALSE(f.service.Login("zhangwei", kPassword, "203.0.113.9", kStart + 4 + 15 * 60 - 1).ok());
  CHECK(f.service.Login("zhangwei", kPassword, "203.0.113.9", kStart + 4 + 15 * 60).ok());
  const std::vector<AuditRecord> audit = f.Audit();
  CHECK(audit.back().action == "login.success");
  CHECK(audit[audit.size() - 2].detail == "from 203.0.113.9: held back by the login throttle");
}

TEST_CASE("A username guessed from many addresses is slowed down and never shut to an address its owner used") {
  Fixture f;
  f.Add("zhangwei");
  f.LoginOk("zhangwei");  // from kAddress: a familiar address from now on
  // Ten guesses, two from each of five addresses: no pair and no address is locked.
  for (int i = 0; i < 10; ++i)
    REQUIRE(f.service.Login("zhangwei", "wrong-password-1", "198.51.100." + std::to_string(i / 2), kStart + i)
                .status()
                .code() == StatusCode::kUnauthenticated);
  // From an address it has not logged in from, the username now gets one check every 30 s.
  const Instant t = kStart + 100;
  CHECK(f.service.Login("zhangwei", "wrong-password-1", "192.0.2.1", t).status().code() ==
        StatusCode::kUnauthenticated);
  const Status slowed = f.service.Login("zhangwei", kPassword, "192.0.2.2", t + 1).status();
  CHECK(slowed.code() == StatusCode::kResourceExhausted);
  CHECK(slowed.params().at("retry_after_seconds") == "30");
  CHECK(f.service.Login("zhangwei", kPassword, "192.0.2.2", t + 30).ok());
  // The owner's familiar address is never held back by the guesses from elsewhere.
  for (int i = 0; i < 3; ++i) CHECK(f.service.Login("zhangwei", kPassword, kAddress, t + 31 + i).ok());
  // A username that names nobody is slowed alike, so the answer tells nothing.
  for (int i = 0; i < 11; ++i)
    REQUIRE_FALSE(f.service.Login("nobody.here", kPassword, "198.51.100." + std::to_string(i / 2), kStart + i).ok());
  CHECK(f.service.Login("nobody.here", kPassword, "192.0.2.3", kStart + 12).status().code() ==
        StatusCode::kResourceExhausted);
  // Once the window passes without failures, the username is no longer slowed.
  CHECK(f.service.Login("zhangwei", kPassword, "192.0.2.4", t + 15 * 60).ok());
}

TEST_CASE("Failures that leave the window do not count toward a lock") {
  Fixture f;
  f.Add("zhangwei");
  for (int i = 0; i < 4; ++i) REQUIRE_FALSE(f.service.Login("zhangwei", "wrong-password-1", kAddress, kStart).ok());
  REQUIRE_FALSE(f.service.Login("zhangwei", "wrong-password-1", kAddress, kStart + 15 * 60).ok());
  CHECK(f.service.Login("zhangwei", kPassword, kAddress, kStart + 15 * 60 + 1).ok());
}

TEST_CASE("Twenty failures from one address lock that address out for every username") {
  Fixture f;
  f.Add("zhangwei");
  for (int i = 0; i < 20; ++i) {
    REQUIRE_FALSE(f.service.Login("guess" + std::to_string(i), kPassword, "203.0.113.9", kStart + i).ok());
  }
  CHECK(f.service.Login("zhangwei", kPassword, "203.0.113.9", kStart + 30).status().message() ==
        "too many failed logins: try again in 889 s");
  CHECK(f.service.Login("zhangwei", kPassword, kAddress, kStart + 30).ok());
  CHECK(f.service.Login("zhangwei", kPassword, "203.0.113.9", kStart + 19 + 15 * 60).ok());
}

TEST_CASE("Logging out ends the session and a second logout is not an error") {
  Fixture f;
  f.Add("zhangwei");
  const std::string token = f.LoginOk("zhangwei");
  REQUIRE(f.service.Logout(token, kStart + 5).ok());
  CHECK(f.service.Authenticate(token, kStart + 6).status().code() == StatusCode::kUnauthenticated);
  CHECK(f.service.Logout(token, kStart + 7).ok());
  CHECK(f.service.Logout("never-issued", kStart + 7).ok());
  CHECK(f.Actions() == std::vector<std::string>{"user.add", "login.success", "logout"});
}

TEST_CASE("Changing the password keeps the current session and revokes the other sessions and API tokens") {
  Fixture f;
  const User user = f.Add("zhangwei");
  const std::string current = f.LoginOk("zhangwei");
  const std::string other = f.LoginOk("zhangwei");
  const std::string api = f.service.IssueApiToken(user.id, "report script", std::nullopt, kStart).value().token;
  CHECK(f.service.ChangePassword(user.id, "not-the-password", "new-password-2021", kAddress, kStart, current)
            .message() == kWrongCredentials);
  CHECK(f.service.ChangePassword(user.id, kPassword, "short", kAddress, kStart, current).field() == "password");
  REQUIRE(f.service.ChangePassword(user.id, kPassword, "new-password-2021", kAddress, kStart + 10, current).ok());
  CHECK(f.service.Authenticate(current, kStart + 20).ok());
  CHECK_FALSE(f.service.Authenticate(other, kStart + 20).ok());
  CHECK_FALSE(f.service.Authenticate(api, kStart + 20).ok());
  CHECK_FALSE(f.service.Login("zhangwei", kPassword, kAddress, kStart + 30).ok());
  CHECK(f.service.Login("zhangwei", "new-password-2021", kAddress, kStart + 30).ok());
  CHECK(f.store->accounts().GetUser(user.id).value().password_changed_at == kStart + 10);
  // The wrong current password is recorded as a failed login; the policy refusal is not.
  CHECK(f.Actions() == std::vector<std::string>{"user.add", "login.success", "login.success", "token.issue",
                                                "login.failure", "password.change", "login.failure",
                                                "login.success"});
}

TEST_CASE("A password change sent again just after it was made is Ok and changes nothing more") {
  Fixture f;
  const User user = f.Add("zhangwei");
  const std::string current = f.LoginOk("zhangwei");
  REQUIRE(f.service.ChangePassword(user.id, kPassword, "new-password-2021", kAddress, kStart + 10, current).ok());
  const std::size_t records = f.Audit().size();
  // Its answer was lost on the way; the same change is sent again.
  CHECK(f.service.ChangePassword(user.id, kPassword, "new-password-2021", kAddress, kStart + 70, current).ok());
  CHECK(f.Audit().size() == records);
  CHECK(f.service.Authenticate(current, kStart + 80).ok());
  CHECK(f.store->accounts().GetUser(user.id).value().password_changed_at == kStart + 10);
  CHECK(f.service.Login("zhangwei", "new-password-2021", kAddress, kStart + 90).ok());
  // Later it is what it looks like: a wrong current password.
  CHECK(f.service.ChangePassword(user.id, kPassword, "new-password-2021", kAddress, kStart + 10 + 600, current)
            .message() == kWrongCredentials);
  // And a wrong current password with another new one is refused as ever.
  CHECK(f.service.ChangePassword(user.id, kPassword, "another-password-2021", kAddress, kStart + 100, current)
            .message() == kWrongCredentials);
}

TEST_CASE("Wrong current passwords in a password change are throttled like failed logins from that address") {
  Fixture f;
  const User user = f.Add("zhangwei");
  const std::string session = f.LoginOk("zhangwei");
  const std::string api = f.service.IssueApiToken(user.id, "report script", std::nullopt, kStart).value().token;
  for (int i = 0; i < 5; ++i)
    REQUIRE(f.service.ChangePassword(user.id, "guess-number-" + std::to_string(i), "new-password-2021",
                                     "203.0.113.9", kStart + i, api)
                .code() == StatusCode::kPermissionDenied);
  CHECK(f.service.ChangePassword(user.id, kPassword, "new-password-2021", "203.0.113.9", kStart + 10, api).code() ==
        StatusCode::kResourceExhausted);
  CHECK(f.service.Login("zhangwei", kPassword, "203.0.113.9", kStart + 10).status().code() ==
        StatusCode::kResourceExhausted);
  CHECK(f.service.Login("zhangwei", kPassword, kAddress, kStart + 10).ok());
  // Changed through an API token, the password keeps that token and ends the login session.
  REQUIRE(f.service.ChangePassword(user.id, kPassword, "new-password-2021", kAddress, kStart + 20, api).ok());
  CHECK(f.service.Authenticate(api, kStart + 30).ok());
  CHECK_FALSE(f.service.Authenticate(session, kStart + 30).ok());
}

TEST_CASE("Resetting a password gives a new one and revokes every session and token") {
  Fixture f;
  const User user = f.Add("zhangwei");
  const std::string session = f.LoginOk("zhangwei");
  const std::string api = f.service.IssueApiToken(user.id, "report script", std::nullopt, kStart).value().token;
  Result<std::string> password = f.service.ResetPassword("os:root", "zhangwei", kStart + 10);
  REQUIRE(password.ok());
  CHECK(CheckPasswordPolicy(*password, "zhangwei").ok());
  CHECK_FALSE(f.service.Authenticate(session, kStart + 20).ok());
  CHECK_FALSE(f.service.Authenticate(api, kStart + 20).ok());
  CHECK_FALSE(f.service.Login("zhangwei", kPassword, kAddress, kStart + 30).ok());
  CHECK(f.service.Login("zhangwei", *password, kAddress, kStart + 30).ok());
  CHECK(f.service.ResetPassword("os:root", "nobody", kStart).status().code() == StatusCode::kNotFound);
}

TEST_CASE("API tokens last the days asked for, 90 by default, and stop working when revoked") {
  Fixture f;
  const User user = f.Add("zhangwei");
  const User other = f.Add("wangfang");
  const IssuedApiToken issued = f.service.IssueApiToken(user.id, "dashboard", std::nullopt, kStart).value();
  const std::string& token = issued.token;
  CHECK(issued.expires_at == kStart + 90 * kSecondsPerDay);
  CHECK(f.service.IssueApiToken(user.id, "", std::nullopt, kStart).status().field() == "label");
  CHECK(f.service.Authenticate(token, kStart + 90 * kSecondsPerDay - 1).value().id == user.id);
  const std::vector<Session> tokens = f.store->accounts().ListTokens(user.id).value();
  REQUIRE(tokens.size() == 1);
  CHECK(tokens[0].label == "dashboard");
  CHECK(tokens[0].expires_at == kStart + 90 * kSecondsPerDay);
  CHECK(f.service.RevokeApiToken(other.id, tokens[0].id, kStart).code() == StatusCode::kNotFound);
  REQUIRE(f.service.RevokeApiToken(user.id, tokens[0].id, kStart + 5).ok());
  // Its holder, who has the secret, is told why it stopped working.
  CHECK(f.service.Authenticate(token, kStart + 6).status().message() ==
        "API token \"dashboard\" was revoked at 2021-10-22T09:00:05+08:00: issue a new one");
  CHECK(f.service.RevokeApiToken(user.id, tokens[0].id, kStart + 7).code() == StatusCode::kNotFound);
  CHECK(f.store->accounts().ListTokens(user.id).value()[0].revoked_at == kStart + 5);
  CHECK(f.Actions() == std::vector<std::string>{"user.add", "user.add", "token.issue", "token.revoke"});
  CHECK(f.Audit()[2].detail == "API token \"dashboard\", until 2022-01-20T09:00:00+08:00");
}

TEST_CASE("A read-only API token authenticates as its user and says it may only read") {
  Fixture f;
  const User user = f.Add("zhangwei");
  const IssuedApiToken reader =
      f.service.IssueApiToken(user.id, "county pull", std::nullopt, kStart, TokenAccess::kReadOnly).value();
  const IssuedApiToken writer = f.service.IssueApiToken(user.id, "import", std::nullopt, kStart).value();
  Bearer bearer;
  CHECK(f.service.Authenticate(reader.token, kStart + 1, bearer).value().id == user.id);
  CHECK(bearer.api_token);
  CHECK(bearer.read_only);
  Bearer other;
  REQUIRE(f.service.Authenticate(writer.token, kStart + 1, other).ok());
  CHECK(other.api_token);
  CHECK_FALSE(other.read_only);
  Bearer login;
  REQUIRE(f.service.Authenticate(f.LoginOk("zhangwei"), kStart + 1, login).ok());
  CHECK_FALSE(login.api_token);
  CHECK_FALSE(login.read_only);
  CHECK(f.Audit()[1].detail == "API token \"county pull\", read only, until 2022-01-20T09:00:00+08:00");
}

TEST_CASE("An expired API token is refused, naming the token and when it expired") {
  Fixture f;
  const User user = f.Add("zhangwei");
  const IssuedApiToken week = f.service.IssueApiToken(user.id, "county pull", 7, kStart).value();
  CHECK(week.expires_at == kStart + 7 * kSecondsPerDay);
  CHECK(f.service.Authenticate(week.token, week.expires_at - 1).ok());
  const Status expired = f.service.Authenticate(week.token, week.expires_at).status();
  CHECK(expired.code() == StatusCode::kUnauthenticated);
  CHECK(expired.message() == "API token \"county pull\" expired at 2021-10-29T09:00:00+08:00: issue a new one");
  // A year and a day at most; nothing below a day.
  CHECK(f.service.IssueApiToken(user.id, "long", 366, kStart).ok());
  for (int days : {0, -1, 367, 100000}) {
    const Status refused = f.service.IssueApiToken(user.id, "bad", days, kStart).status();
    CHECK(refused.field() == "expires_in_days");
    CHECK(refused.message().find("1 to 366 days") != std::string::npos);
  }
  // A token revoked and then expired says it was revoked: that came first.
  const IssuedApiToken day = f.service.IssueApiToken(user.id, "one day", 1, kStart).value();
  const Session stored = f.store->accounts().ListTokens(user.id).value()[0];
  REQUIRE(stored.label == "one day");
  REQUIRE(f.service.RevokeApiToken(user.id, stored.id, kStart + 60).ok());
  CHECK(f.service.Authenticate(day.token, day.expires_at + 1).status().message() ==
        "API token \"one day\" was revoked at 2021-10-22T09:01:00+08:00: issue a new one");
  // A login session past its end stays a plain "not logged in".
  const std::string session = f.LoginOk("zhangwei");
  CHECK(f.service.Authenticate(session, kStart + 12 * 3600).status().message() == "not logged in");
}

TEST_CASE("A login session ends after an hour without a request, and each request keeps it alive") {
  Fixture f;
  const User user = f.Add("zhangwei");
  const std::string session = f.LoginOk("zhangwei");
  // Used every 50 minutes the session lives on, to its 12 hours.
  for (Instant at = kStart + 50 * 60; at < kStart + 12 * 3600; at += 50 * 60) {
    INFO(FormatInstant(at));
    REQUIRE(f.service.Authenticate(session, at).value().id == user.id);
  }
  CHECK(f.service.Authenticate(session, kStart + 12 * 3600).status().message() == "not logged in");

  // Left an hour, it ends, and says why.
  const std::string left = f.LoginOk("zhangwei");
  REQUIRE(f.service.Authenticate(left, kStart + 59 * 60).ok());
  CHECK(f.service.Authenticate(left, kStart + 59 * 60 + 3599).ok());
  const Status idle = f.service.Authenticate(left, kStart + 59 * 60 + 3600 + 3600).status();
  CHECK(idle.code() == StatusCode::kUnauthenticated);
  CHECK(idle.message() == "the session ended after 60 minutes without use: log in again");

  // Requests within a minute of the last note write nothing; the next one after it does.
  const std::string busy = f.LoginOk("zhangwei");
  const std::string hash = TokenHash(busy);
  REQUIRE(f.service.Authenticate(busy, kStart + 30).ok());
  CHECK(f.store->accounts().FindSession(hash).value().session.last_seen_at == 0);
  REQUIRE(f.service.Authenticate(busy, kStart + 60).ok());
  CHECK(f.store->accounts().FindSession(hash).value().session.last_seen_at == kStart + 60);
  REQUIRE(f.service.Authenticate(busy, kStart + 100).ok());
  CHECK(f.store->accounts().FindSession(hash).value().session.last_seen_at == kStart + 60);

  // An API token has no idle end (a weekly script); its last use is noted all the same.
  const IssuedApiToken weekly = f.service.IssueApiToken(user.id, "weekly", std::nullopt, kStart).value();
  REQUIRE(f.service.Authenticate(weekly.token, kStart + 7 * kSecondsPerDay).ok());
  CHECK(f.store->accounts().ListTokens(user.id).value().at(0).last_seen_at == kStart + 7 * kSecondsPerDay);
  CHECK(f.service.Authenticate(weekly.token, kStart + 14 * kSecondsPerDay).ok());
}

TEST_CASE("No audit record holds a password or a token") {
  Fixture f;
  const User user = f.Add("zhangwei");
  // A password typed into the username field names no account, so it is not logged as typed,
  // even when it would make a valid username.
  std::vector<std::string> secrets = {kPassword, "new-password-2021", "Typed Into Username!", "wrong-password-1",
                                      "mysecretpassword99"};
  const std::string session = f.LoginOk("zhangwei");
  secrets.push_back(session);
  REQUIRE_FALSE(f.service.Login("zhangwei", "wrong-password-1", kAddress, kStart).ok());
  REQUIRE_FALSE(f.service.Login("Typed Into Username!", kPassword, kAddress, kStart).ok());
  REQUIRE_FALSE(f.service.Login("mysecretpassword99", kPassword, kAddress, kStart).ok());
  REQUIRE(f.service.ChangePassword(user.id, kPassword, "new-password-2021", kAddress, kStart, session).ok());
  const std::string api = f.service.IssueApiToken(user.id, "dashboard", std::nullopt, kStart).value().token;
  secrets.push_back(api);
  secrets.push_back(TokenHash(api));
  secrets.push_back(f.service.ResetPassword("os:root", "zhangwei", kStart).value());
  REQUIRE(f.service.Disable("os:root", "zhangwei", kStart).ok());
  const std::vector<AuditRecord> audit = f.Audit();
  CHECK(audit.size() == 9);
  CHECK(audit[4].subject == "user (an unknown username)");
  for (const AuditRecord& record : audit) {
    for (const std::string& secret : secrets) {
      INFO(record.action << ": " << record.subject << ": " << record.detail);
      CHECK(record.subject.find(secret) == std::string::npos);
      CHECK(record.detail.find(secret) == std::string::npos);
      CHECK(record.actor.find(secret) == std::string::npos);
    }
  }
  CHECK(VerifyChain(audit).intact);
}

}  // namespace
}  // namespace rectify::accounts
