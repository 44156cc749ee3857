// Users and sessions (accounts/account.h) on every backend (backends.h): users by id and by name,
// the fields an update may change, sessions found by their hash whatever their state, revocation
// with the user update that calls for it, API tokens newest first, and each write's audit record
// appended with it (a failed write records nothing). The store only keeps what it is given: the
// hashing and the rules are AccountService's (tests/accounts/).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "accounts/account.h"
#include "tests/storage/contract/contract.h"

namespace rectify::testing {
namespace {

using accounts::AccountStore;
using accounts::Role;
using accounts::Session;
using accounts::SessionRevocation;
using accounts::User;

User NewUser(const std::string& username, std::vector<Role> roles = {Role::kOffice}, const std::string& unit = "") {
  User user;
  user.username = username;
  user.display_name = "张伟";
  user.unit = unit;
  user.roles = std::move(roles);
  user.password_hash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$" + username;  // stored as given
  user.created_at = kStart;
  user.password_changed_at = kStart;
  return user;
}

// A token hash as accounts/passwords.h makes them: 64 lowercase hex digits.
std::string HashOf(char digit) { return std::string(64, digit); }

Session NewSession(const User& user, char hash_digit, const char* kind = accounts::kSessionKindLogin,
                   Instant at = kStart) {
  Session session;
  session.token_hash = HashOf(hash_digit);
  session.user_id = user.id;
  session.kind = kind;
  session.label = kind == std::string(accounts::kSessionKindApiToken) ? "report script" : "";
  session.created_at = at;
  session.expires_at = kind == std::string(accounts::kSessionKindApiToken) ? 0 : at + 12 * 3600;
  return session;
}

AuditRecord Record(const std::string& action, const std::string& subject) {
  return MakeAuditRecord("os:root", action, subject, "");
}

User Add(AccountStore& store, User user) {
  Result<User> added = store.AddUser(std::move(user), Record("user.add", "user"));
  INFO(added.status().ToString());
  REQUIRE(added.ok());
  return std::move(added).value();
}

Session AddSession(AccountStore& store, Session session) {
  Result<Session> added = store.AddSession(std::move(session), Record("login.success", "session"));
  INFO(added.status().ToString());
  REQUIRE(added.ok());
  return std::move(added).value();
}

void CheckSameUser(const User& actual, const User& expected) {
  CHECK(actual.id == expected.id);
  CHECK(actual.username == expected.username);
  CHECK(actual.display_name == expected.display_name);
  CHECK(actual.unit == expected.unit);
  CHECK(actual.town == expected.town);
  CHECK(actual.roles == expected.roles);
  CHECK(actual.disabled == expected.disabled);
  CHECK(actual.password_hash == expected.password_hash);
  CHECK(actual.created_at == expected.created_at);
  CHECK(actual.password_changed_at == expected.password_changed_at);
}

std::vector<std::string> Usernames(const std::vector<User>& users) {
  std::vector<std::string> names;
  for (const User& user : users) names.push_back(user.username);
  return names;
}

TEMPLATE_TEST_CASE("A stored user reads back by id and by name with every field", "[account_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  AccountStore& store = backend.stores().accounts();
  User user = NewUser("li.na", {Role::kUnitMember, Role::kInspector}, "城管中队");
  user.disabled = true;
  user.password_changed_at = kStart + 60;

  const User added = Add(store, user);

  CHECK(added.id > 0);
  user.id = added.id;
  CheckSameUser(added, user);
  CheckSameUser(store.GetUser(added.id).value(), user);
  CheckSameUser(store.FindUserByName("li.na").value(), user);
  CHECK(store.GetUser(added.id + 1).status().code() == StatusCode::kNotFound);
  CHECK(store.FindUserByName("li.n").status().code() == StatusCode::kNotFound);
  CHECK(store.FindUserByName("LI.NA").status().code() == StatusCode::kNotFound);
}

TEMPLATE_TEST_CASE("A taken username is refused naming the field, and the refusal records nothing", "[account_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  AccountStore& store = backend.stores().accounts();
  const User first = Add(store, NewUser("zhangwei"));

  Result<User> again = store.AddUser(NewUser("zhangwei", {Role::kLeader}), Record("user.add", "user zhangwei"));

  CHECK(again.status().code() == StatusCode::kInvalidArgument);
  CHECK(again.status().field() == "username");
  CHECK(store.ListUsers().value().size() == 1);
  CHECK(store.FindUserByName("zhangwei")->roles == first.roles);
  CHECK(AuditActions(backend.stores().audit()) == std::vector<std::string>{"user.add"});
}

TEMPLATE_TEST_CASE("Users are listed by username", "[account_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  AccountStore& store = backend.stores().accounts();
  CHECK(store.ListUsers().value().empty());
  for (const char* name : {"wang.fang", "demo.office", "zhang.wei", "li.na"}) Add(store, NewUser(name));
  CHECK(Usernames(store.ListUsers().value()) ==
        std::vector<std::string>{"demo.office", "li.na", "wang.fang", "zhang.wei"});
}

TEMPLATE_TEST_CASE("An update replaces what may change and keeps the name and the creation time", "[account_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  AccountStore& store = backend.stores().accounts();
  const User added = Add(store, NewUser("zhangwei"));
  User changed = added;
  changed.display_name = "张伟（已调离）";
  changed.unit = "village_1";
  changed.town = "wutan";  // moved to another town (rectify user move)
  changed.roles = {Role::kUnitMember};
  changed.disabled = true;
  changed.password_hash = "$argon2id$new";
  changed.password_changed_at = kStart + 600;
  changed.username = "renamed";  // not among the fields an update replaces
  changed.created_at = kStart + 1;

  REQUIRE(store.UpdateUser(changed, std::nullopt, Record("user.update", "user zhangwei")).ok());

  User expected = changed;
  expected.username = "zhangwei";
  expected.created_at = kStart;
  CheckSameUser(store.GetUser(added.id).value(), expected);
  CHECK(store.FindUserByName("renamed").status().code() == StatusCode::kNotFound);

  User missing = changed;
  missing.id = added.id + 100;
  CHECK(store.UpdateUser(missing, std::nullopt, Record("user.update", "user nobody")).code() == StatusCode::kNotFound);
  CHECK(AuditActions(backend.stores().audit()) == std::vector<std::string>{"user.add", "user.update"});
}

TEMPLATE_TEST_CASE("An update with a revocation ends the user's other sessions in the same write", "[account_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  AccountStore& store = backend.stores().accounts();
  const User user = Add(store, NewUser("zhangwei"));
  const User other = Add(store, NewUser("wangfang"));
  AddSession(store, NewSession(user, 'a'));                                  // the one changing the password
  AddSession(store, NewSession(user, 'b'));                                  // another login
  AddSession(store, NewSession(user, 'c', accounts::kSessionKindApiToken));  // an API token
  AddSession(store, NewSession(other, 'd'));                                 // someone else's
  User changed = user;
  changed.password_hash = "$argon2id$new";

  SessionRevocation logins_only;
  logins_only.at = kStart + 10;
  logins_only.keep_token_hash = HashOf('a');
  REQUIRE(store.UpdateUser(changed, logins_only, Record("password.change", "user zhangwei")).ok());

  CHECK_FALSE(store.FindSession(HashOf('a'))->session.revoked_at.has_value());
  CHECK(store.FindSession(HashOf('b'))->session.revoked_at == std::optional<Instant>(kStart + 10));
  CHECK_FALSE(store.FindSession(HashOf('c'))->session.revoked_at.has_value());
  CHECK_FALSE(store.FindSession(HashOf('d'))->session.revoked_at.has_value());
  CHECK(store.GetUser(user.id)->password_hash == "$argon2id$new");

  SessionRevocation everything;
  everything.at = kStart + 20;
  everything.api_tokens_too = true;
  REQUIRE(store.UpdateUser(changed, everything, Record("password.reset", "user zhangwei")).ok());

  CHECK(store.FindSession(HashOf('a'))->session.revoked_at == std::optional<Instant>(kStart + 20));
  CHECK(store.FindSession(HashOf('b'))->session.revoked_at == std::optional<Instant>(kStart + 10));  // revoked once
  CHECK(store.FindSession(HashOf('c'))->session.revoked_at == std::optional<Instant>(kStart + 20));
  CHECK_FALSE(store.FindSession(HashOf('d'))->session.revoked_at.has_value());
}

TEMPLATE_TEST_CASE("A session is found by its token hash, revoked or expired, and needs an existing user",
                   "[account_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  AccountStore& store = backend.stores().accounts();
  const User user = Add(store, NewUser("zhangwei"));
  Session login = NewSession(user, 'a', accounts::kSessionKindLogin, kStart - 24 * 3600);  // expired long ago
  const Session added = AddSession(store, login);
  CHECK(added.id > 0);

  Result<accounts::SessionOfUser> found = store.FindSession(HashOf('a'));
  REQUIRE(found.ok());
  CHECK(found->session.id == added.id);
  CHECK(found->session.token_hash == HashOf('a'));
  CHECK(found->session.user_id == user.id);
  CHECK(found->session.kind == accounts::kSessionKindLogin);
  CHECK(found->session.label.empty());
  CHECK(found->session.created_at == kStart - 24 * 3600);
  CHECK(found->session.expires_at == kStart - 12 * 3600);
  CHECK_FALSE(found->session.revoked_at.has_value());
  // Its user comes with it, every column as stored.
  CHECK(found->user.id == user.id);
  CHECK(found->user.username == "zhangwei");
  CHECK(found->user.display_name == "张伟");
  CHECK(found->user.unit == user.unit);
  CHECK(found->user.roles == std::vector<Role>{Role::kOffice});
  CHECK_FALSE(found->user.disabled);
  CHECK(found->user.password_hash == user.password_hash);
  CHECK(found->user.created_at == kStart);
  CHECK(found->user.password_changed_at == kStart);
  CHECK(found->user.town == user.town);
  REQUIRE(store.RevokeSession(HashOf('a'), kStart, Record("logout", "session")).ok());
  CHECK(store.FindSession(HashOf('a'))->session.revoked_at == std::optional<Instant>(kStart));
  CHECK(store.FindSession(HashOf('b')).status().code() == StatusCode::kNotFound);

  User ghost = user;
  ghost.id = user.id + 100;
  CHECK(store.AddSession(NewSession(ghost, 'e'), Record("login.success", "session")).status().code() ==
        StatusCode::kNotFound);
  CHECK(store.FindSession(HashOf('e')).status().code() == StatusCode::kNotFound);
  CHECK(AuditActions(backend.stores().audit()) == std::vector<std::string>{"user.add", "login.success", "logout"});
}

TEMPLATE_TEST_CASE("A session is revoked once: again, or an unknown hash, is not found and records nothing",
                   "[account_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  AccountStore& store = backend.stores().accounts();
  const User user = Add(store, NewUser("zhangwei"));
  AddSession(store, NewSession(user, 'a'));
  REQUIRE(store.RevokeSession(HashOf('a'), kStart + 5, Record("logout", "session")).ok());

  CHECK(store.RevokeSession(HashOf('a'), kStart + 7, Record("logout", "session")).code() == StatusCode::kNotFound);
  CHECK(store.RevokeSession(HashOf('f'), kStart + 7, Record("logout", "session")).code() == StatusCode::kNotFound);

  CHECK(store.FindSession(HashOf('a'))->session.revoked_at == std::optional<Instant>(kStart + 5));
  CHECK(AuditActions(backend.stores().audit()) == std::vector<std::string>{"user.add", "login.success", "logout"});
}

TEMPLATE_TEST_CASE("A user's API tokens are listed newest first, revoked ones too, without login sessions",
                   "[account_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  AccountStore& store = backend.stores().accounts();
  const User user = Add(store, NewUser("zhangwei"));
  const User other = Add(store, NewUser("wangfang"));
  const Session first = AddSession(store, NewSession(user, 'a', accounts::kSessionKindApiToken));
  AddSession(store, NewSession(user, 'b'));
  Session labelled = NewSession(user, 'c', accounts::kSessionKindApiToken, kStart + 60);
  labelled.label = "dashboard";
  labelled.read_only = true;
  const Session second = AddSession(store, labelled);
  AddSession(store, NewSession(other, 'd', accounts::kSessionKindApiToken));
  REQUIRE(store.RevokeSession(HashOf('a'), kStart + 90, Record("token.revoke", "token")).ok());

  Result<std::vector<Session>> tokens = store.ListTokens(user.id);

  REQUIRE(tokens.ok());
  REQUIRE(tokens->size() == 2);
  CHECK((*tokens)[0].id == second.id);
  CHECK((*tokens)[0].label == "dashboard");
  CHECK((*tokens)[0].read_only);
  CHECK((*tokens)[0].expires_at == 0);
  CHECK_FALSE((*tokens)[0].revoked_at.has_value());
  CHECK((*tokens)[1].id == first.id);
  CHECK_FALSE((*tokens)[1].read_only);
  CHECK(store.FindSession(HashOf('c')).value().session.read_only);
  CHECK_FALSE(store.FindSession(HashOf('b')).value().session.read_only);
  CHECK((*tokens)[1].revoked_at == std::optional<Instant>(kStart + 90));
  CHECK(second.id > first.id);
  CHECK(store.ListTokens(other.id + 100).value().empty());
}

TEMPLATE_TEST_CASE("Touching a session notes when its bearer was seen, and nothing else",
                   "[account_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  AccountStore& store = backend.stores().accounts();
  const User user = Add(store, NewUser("zhangwei"));
  AddSession(store, NewSession(user, 'a'));
  AddSession(store, NewSession(user, 'b', accounts::kSessionKindApiToken));
  CHECK(store.FindSession(HashOf('a')).value().session.last_seen_at == 0);
  const std::size_t records_before = AuditActions(backend.stores().audit()).size();

  REQUIRE(store.TouchSession(HashOf('a'), kStart + 120).ok());
  REQUIRE(store.TouchSession(HashOf('b'), kStart + 180).ok());
  REQUIRE(store.TouchSession(HashOf('a'), kStart + 240).ok());
  CHECK(store.TouchSession(HashOf('z'), kStart + 240).ok());  // no such session: nothing to note

  const Session touched = store.FindSession(HashOf('a')).value().session;
  CHECK(touched.last_seen_at == kStart + 240);
  CHECK(touched.created_at == kStart);
  CHECK_FALSE(touched.revoked_at.has_value());
  CHECK(store.ListTokens(user.id).value().at(0).last_seen_at == kStart + 180);
  CHECK(AuditActions(backend.stores().audit()).size() == records_before);
}

TEMPLATE_TEST_CASE("Each account write appends the record it is given, sealed and stamped by the store",
                   "[account_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  AccountStore& store = backend.stores().accounts();
  AuditRecord add = MakeAuditRecord("os:root", "user.add", "user zhangwei", "roles office");
  add.seq = 42;         // ignored: the store assigns it
  add.at = 1;           // ignored: the store's clock stamps it
  add.prev_hash = "x";  // ignored
  const User user = store.AddUser(NewUser("zhangwei"), add).value();
  REQUIRE(store
              .AddSession(NewSession(user, 'a'),
                          MakeAuditRecord("user zhangwei", "login.success", "user zhangwei", "from 10.0.0.7"))
              .ok());
  backend.clock().Advance(60);
  REQUIRE(store.AppendAudit(MakeAuditRecord("nobody", "login.failure", "user (an unknown username)", "")).ok());

  const std::vector<AuditRecord> all = AllAudit(backend.stores().audit());
  REQUIRE(all.size() == 3);
  CHECK(all[0].seq == 1);
  CHECK(all[0].at == kStart + 3600);
  CHECK(all[0].actor == "os:root");
  CHECK(all[0].subject == "user zhangwei");
  CHECK(all[0].detail == "roles office");
  CHECK(all[1].action == "login.success");
  CHECK(all[1].detail == "from 10.0.0.7");
  CHECK(all[2].at == kStart + 3600 + 60);
  CHECK(all[2].subject == "user (an unknown username)");
  CHECK(VerifyChain(all).intact);
}

}  // namespace
}  // namespace rectify::testing
