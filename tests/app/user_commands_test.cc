// `rectify user add|list|disable|reset-password` through their command functions, on a real
// SQLite file. Passwords are hashed at the test-only minimum cost.
#include <catch2/catch.hpp>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "accounts/account_service.h"
#include "app/user_commands.h"
#include "storage/sqlite_stores.h"
#include "tests/temp_dir.h"

namespace rectify::testing {
namespace {

const Instant kNow = ShanghaiInstant(CivilDate{2021, 10, 22}, 9 * 3600);

app::UserCommandOptions Common(const TempDir& dir) {
  app::UserCommandOptions common;
  common.db_path = dir.File("rectify.sqlite");
  common.actor = "os:root";
  common.now = kNow;
  common.cost = accounts::PasswordCost::TestOnlyMinimum();
  return common;
}

int Add(const TempDir& dir, const std::string& username, const std::string& stdin_text, std::string& out,
        std::string& err, std::vector<std::string> roles = {"office", "leader"}, std::string town = "gaoqiao",
        bool county = false) {
  app::UserAddOptions options;
  options.common = Common(dir);
  options.username = username;
  options.display_name = "张伟";
  options.unit = county ? "" : "党政办";
  options.roles = std::move(roles);
  options.town = std::move(town);
  options.county = county;
  options.password_stdin = !stdin_text.empty();
  std::istringstream in(stdin_text);
  std::ostringstream o, e;
  const int code = app::UserAdd(options, in, o, e);
  out = o.str();
  err = e.str();
  return code;
}

bool CanLogin(const TempDir& dir, const std::string& username, const std::string& password) {
  auto store = SqliteStores::Open(dir.File("rectify.sqlite"));
  REQUIRE(store.ok());
  accounts::AccountPolicy policy;
  policy.cost = accounts::PasswordCost::TestOnlyMinimum();
  accounts::AccountService service((*store)->accounts(), policy);
  return service.Login(username, password, "127.0.0.1", kNow).ok();
}

TEST_CASE("User add reads the password from stdin and prints no password") {
  TempDir dir;
  std::string out, err;
  REQUIRE(Add(dir, "zhangwei", "first-admin-pass\n", out, err) == 0);
  CHECK(out == "added user zhangwei (office,leader)\n");
  CHECK(out.find("first-admin-pass") == std::string::npos);
  CHECK(CanLogin(dir, "zhangwei", "first-admin-pass"));
}

TEST_CASE("User add without a password generates one and prints it once") {
  TempDir dir;
  std::string out, err;
  REQUIRE(Add(dir, "zhangwei", "", out, err) == 0);
  const std::string marker = "password (shown once): ";
  const std::size_t at = out.find(marker);
  REQUIRE(at != std::string::npos);
  const std::string password = out.substr(at + marker.size(), 23);
  CHECK(CanLogin(dir, "zhangwei", password));
}

TEST_CASE("User add refuses a weak password and an unknown role") {
  TempDir dir;
  std::string out, err;
  CHECK(Add(dir, "zhangwei", "short\n", out, err) == 1);
  CHECK(err.find("password") != std::string::npos);
  app::UserAddOptions options;
  options.common = Common(dir);
  options.username = "lina";
  options.roles = {"admin"};
  std::istringstream in;
  std::ostringstream o, e;
  CHECK(app::UserAdd(options, in, o, e) == 1);
  CHECK(e.str().find("role") != std::string::npos);
}

TEST_CASE("User add needs the user's town, or --county for a county-level leader or supervisor only") {
  TempDir dir;
  std::string out, err;
  CHECK(Add(dir, "notown", "first-admin-pass\n", out, err, {"office"}, "") != 0);
  CHECK(err.find("--town") != std::string::npos);
  CHECK(Add(dir, "both", "first-admin-pass\n", out, err, {"leader"}, "gaoqiao", true) != 0);
  CHECK(Add(dir, "county.office", "first-admin-pass\n", out, err, {"office"}, "", true) != 0);
  CHECK(err.find("county-level") != std::string::npos);
  REQUIRE(Add(dir, "county.leader", "first-admin-pass\n", out, err, {"leader", "supervisor"}, "", true) == 0);
  CHECK(CanLogin(dir, "county.leader", "first-admin-pass"));
  CHECK_FALSE(CanLogin(dir, "county.office", "first-admin-pass"));
  // The list tells a county-level user from a town's.
  REQUIRE(Add(dir, "zhangwei", "first-admin-pass\n", out, err) == 0);
  std::ostringstream list, list_err;
  REQUIRE(app::UserList(Common(dir), list, list_err) == 0);
  std::istringstream rows(list.str());
  std::map<std::string, std::string> row_of;
  for (std::string row; std::getline(rows, row);) row_of[row.substr(0, row.find(' '))] = row;
  CHECK(row_of["username"].find("town") != std::string::npos);
  CHECK(row_of["county.leader"].find("(county)") != std::string::npos);
  REQUIRE(row_of.count("zhangwei") == 1);
  CHECK(row_of["zhangwei"].find("gaoqiao") != std::string::npos);
  CHECK(row_of["zhangwei"].find("(county)") == std::string::npos);
}

TEST_CASE("User list shows the users and never a password hash") {
  TempDir dir;
  std::string out, err;
  REQUIRE(Add(dir, "zhangwei", "first-admin-pass\n", out, err) == 0);
  std::ostringstream o, e;
  REQUIRE(app::UserList(Common(dir), o, e) == 0);
  const std::string table = o.str();
  CHECK(table.find("username") != std::string::npos);
  CHECK(table.find("zhangwei") != std::string::npos);
  CHECK(table.find("张伟") != std::string::npos);
  CHECK(table.find("office,leader") != std::string::npos);
  CHECK(table.find("argon2") == std::string::npos);
  CHECK(table.find('$') == std::string::npos);
}

TEST_CASE("User disable and reset-password act on the named user") {
  TempDir dir;
  std::string out, err;
  REQUIRE(Add(dir, "zhangwei", "first-admin-pass\n", out, err) == 0);
  std::ostringstream reset_out, reset_err;
  REQUIRE(app::UserResetPassword(Common(dir), "zhangwei", reset_out, reset_err) == 0);
  const std::string text = reset_out.str();
  const std::string password = text.substr(text.size() - 24, 23);
  CHECK_FALSE(CanLogin(dir, "zhangwei", "first-admin-pass"));
  CHECK(CanLogin(dir, "zhangwei", password));
  std::ostringstream disable_out, disable_err;
  REQUIRE(app::UserDisable(Common(dir), "zhangwei", disable_out, disable_err) == 0);
  CHECK_FALSE(CanLogin(dir, "zhangwei", password));
  std::ostringstream list;
  REQUIRE(app::UserList(Common(dir), list, disable_err) == 0);
  CHECK(list.str().find("yes") != std::string::npos);
}

TEST_CASE("User enable lets a disabled user log in again with their password") {
  TempDir dir;
  std::string out, err;
  REQUIRE(Add(dir, "zhangwei", "first-admin-pass\n", out, err) == 0);
  std::ostringstream o, e;
  REQUIRE(app::UserDisable(Common(dir), "zhangwei", o, e) == 0);
  REQUIRE_FALSE(CanLogin(dir, "zhangwei", "first-admin-pass"));
  REQUIRE(app::UserEnable(Common(dir), "zhangwei", o, e) == 0);
  CHECK(o.str().find("enabled user zhangwei") != std::string::npos);
  CHECK(CanLogin(dir, "zhangwei", "first-admin-pass"));
  CHECK(app::UserEnable(Common(dir), "nobody", o, e) == 1);
}

TEST_CASE("User move gives the same login another unit and town, revokes its sessions, and refuses what add refuses") {
  TempDir dir;
  std::string out, err;
  REQUIRE(Add(dir, "xiushan.v1", "first-admin-pass\n", out, err, {"unit_member"}, "xiushan") == 0);
  std::string token;
  {
    auto store = SqliteStores::Open(dir.File("rectify.sqlite"));
    REQUIRE(store.ok());
    accounts::AccountPolicy policy;
    policy.cost = accounts::PasswordCost::TestOnlyMinimum();
    accounts::AccountService service((*store)->accounts(), policy);
    auto login = service.Login("xiushan.v1", "first-admin-pass", "127.0.0.1", kNow);
    REQUIRE(login.ok());
    token = login->token;
    REQUIRE(service.Authenticate(token, kNow).ok());
  }
  auto move = [&](const std::string& unit, const std::string& town, bool county, std::vector<std::string> roles,
                  std::string& said) {
    app::UserMoveOptions options;
    options.common = Common(dir);
    options.username = "Xiushan.V1";  // as typed: the login name is found as add stored it
    options.unit = unit;
    options.town = town;
    options.county = county;
    options.roles = std::move(roles);
    std::ostringstream o, e;
    const int code = app::UserMove(options, o, e);
    said = o.str() + e.str();
    return code;
  };
  std::string said;
  // 修山镇's 示例村二 merged into 武潭镇's 武潭村: the cadre keeps the login.
  REQUIRE(move("wt_village_1", "wutan", false, {}, said) == 0);
  CHECK(said == "user xiushan.v1 is now of unit wt_village_1, town wutan (unit_member); their sessions and API tokens "
                "are revoked\n");
  auto store = SqliteStores::Open(dir.File("rectify.sqlite"));
  REQUIRE(store.ok());
  auto moved = (*store)->accounts().FindUserByName("xiushan.v1");
  REQUIRE(moved.ok());
  CHECK(moved->unit == "wt_village_1");
  CHECK(moved->town == "wutan");
  accounts::AccountPolicy policy;
  policy.cost = accounts::PasswordCost::TestOnlyMinimum();
  accounts::AccountService service((*store)->accounts(), policy);
  CHECK_FALSE(service.Authenticate(token, kNow + 60).ok());  // what it may see changed
  CHECK(CanLogin(dir, "xiushan.v1", "first-admin-pass"));

  CHECK(move("", "wutan", false, {}, said) == 1);  // a unit member needs a unit
  CHECK(said.find("unit") != std::string::npos);
  CHECK(move("wt_village_1", "", true, {}, said) == 1);  // a county-level user leads or supervises only
  CHECK(said.find("county-level") != std::string::npos);
  CHECK(move("wt_village_1", "wutan", true, {}, said) == 1);
  CHECK(move("", "", true, {"supervisor"}, said) == 0);  // to the county's 督办
  CHECK(said.find("county-level (supervisor)") != std::string::npos);
  CHECK(move("x", "", false, {"dictator"}, said) == 1);
  app::UserMoveOptions nobody;
  nobody.common = Common(dir);
  nobody.username = "nobody";
  std::ostringstream o, e;
  CHECK(app::UserMove(nobody, o, e) == 1);
}

TEST_CASE("User purge-sessions deletes the expired login sessions and says how many") {
  TempDir dir;
  std::string out, err;
  REQUIRE(Add(dir, "zhangwei", "first-admin-pass\n", out, err) == 0);
  REQUIRE(CanLogin(dir, "zhangwei", "first-admin-pass"));  // a session from kNow, for 12 hours
  app::UserCommandOptions later = Common(dir);
  std::ostringstream early_out, e;
  REQUIRE(app::UserPurgeSessions(Common(dir), early_out, e) == 0);
  CHECK(early_out.str() == "deleted 0 expired or revoked login session(s)\n");
  later.now = kNow + 13 * 3600;
  std::ostringstream later_out;
  REQUIRE(app::UserPurgeSessions(later, later_out, e) == 0);
  CHECK(later_out.str() == "deleted 1 expired or revoked login session(s)\n");
}

TEST_CASE("User commands other than add refuse a missing database") {
  TempDir dir;
  std::ostringstream out, err;
  CHECK(app::UserList(Common(dir), out, err) == 1);
  CHECK(app::UserDisable(Common(dir), "zhangwei", out, err) == 1);
  CHECK(err.str().find("no database file") != std::string::npos);
}

}  // namespace
}  // namespace rectify::testing
