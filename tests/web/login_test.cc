// Logging in over real HTTP, from several loopback addresses (127.0.0.2, ...): failures hold
// back one address and never the right password from another, only our own page's JSON logs
// in (no login CSRF), a username that names nobody is not written to the audit log, a password
// change ends every other session and token, and the cookie is Secure behind HTTPS.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "tests/web/api_fixture.h"
#include "web/auth.h"
#include "tests/web/raw_http.h"

namespace rectify::testing {
namespace {

// POST /api/login from `source` with `headers` (each ending in CR LF) and a JSON body.
std::string RawLogin(int port, const std::string& source, const json& body, const std::string& headers = {},
                     const std::string& content_type = "application/json") {
  const std::string text = body.dump();
  RawConnection connection(port, source);
  connection.Send("POST /api/login HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                  "\r\nContent-Type: " + content_type + "\r\nContent-Length: " + std::to_string(text.size()) +
                  "\r\n" + headers + "\r\n" + text);
  return connection.ReadAnswer();
}

json Credentials(const std::string& username, const std::string& password) {
  return {{"username", username}, {"password", password}, {"session", "bearer"}};
}


TEST_CASE("failed logins hold back their address and the right password still logs in from another") {
  ApiFixture api;
  api.As("office", "rural_office");
  const std::string owner = "t.o.rural_office";
  for (int i = 0; i < 5; ++i)
    REQUIRE(StatusOf(RawLogin(api.port(), "127.0.0.2", Credentials(owner, "a-wrong-guess-" + std::to_string(i)))) ==
            401);
  const std::string held = RawLogin(api.port(), "127.0.0.2", Credentials(owner, ApiFixture::kTestPassword));
  CHECK(StatusOf(held) == 429);
  CHECK(json::parse(BodyOf(held))["error"] == "too_many_requests");
  // The wait is in the answer for a program's retry: the lock's 15 minutes (the clock stands still).
  CHECK(held.find("\r\nRetry-After: 900\r\n") != std::string::npos);
  CHECK(StatusOf(RawLogin(api.port(), "127.0.0.3", Credentials(owner, ApiFixture::kTestPassword))) == 200);
  CHECK(StatusOf(RawLogin(api.port(), "127.0.0.1", Credentials(owner, ApiFixture::kTestPassword))) == 200);
}

TEST_CASE("a login is only JSON and only from this site's own page") {
  ApiFixture api;
  api.As("leader");
  const json body = Credentials("t.l", ApiFixture::kTestPassword);
  const std::string self = "http://127.0.0.1:" + std::to_string(api.port());
  // What another site's form can send without the browser asking first.
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded"}) {
    INFO(type);
    const std::string refused = RawLogin(api.port(), "127.0.0.1", body, "Origin: https://evil.example\r\n", type);
    CHECK(StatusOf(refused) == 415);
    CHECK(json::parse(BodyOf(refused))["error"] == "unsupported_media_type");
    CHECK(refused.find("Set-Cookie") == std::string::npos);
  }
  // A multipart body that is not multipart is refused before routing, as malformed.
  const std::string multipart = RawLogin(api.port(), "127.0.0.1", body, {}, "multipart/form-data; boundary=x");
  CHECK(StatusOf(multipart) == 400);
  CHECK(multipart.find("Set-Cookie") == std::string::npos);
  for (const std::string& foreign : std::vector<std::string>{"Origin: https://evil.example\r\n", "Origin: null\r\n",
                                                              "Origin: " + self + "\r\nSec-Fetch-Site: cross-site\r\n",
                                                              "Origin: http://127.0.0.1:1\r\n"}) {
    INFO(foreign);
    const std::string refused = RawLogin(api.port(), "127.0.0.1", body, foreign);
    CHECK(StatusOf(refused) == 403);
    CHECK(refused.find("Set-Cookie") == std::string::npos);
  }
  CHECK(StatusOf(RawLogin(api.port(), "127.0.0.1", body, "Origin: " + self + "\r\nSec-Fetch-Site: same-origin\r\n",
                          "application/json; charset=UTF-8")) == 200);
  CHECK(StatusOf(RawLogin(api.port(), "127.0.0.1", body)) == 200);  // curl and scripts send no Origin
}

TEST_CASE("a username that names nobody is not written to the audit log as typed") {
  ApiFixture api;
  api.As("supervisor", "discipline_commission");
  // A password typed into the username field, shaped like a username.
  REQUIRE(StatusOf(RawLogin(api.port(), "127.0.0.1", Credentials("mysecretpassword99", "whatever-it-was"))) == 401);
  REQUIRE(StatusOf(RawLogin(api.port(), "127.0.0.1", Credentials("t.s.discipline_commission", "a-wrong-one-1"))) == 401);
  const HttpReply audit = api.GetAs(api.As("supervisor", "discipline_commission"), "/api/audit?from=2021-10-01");
  REQUIRE(audit.status == 200);
  CHECK(audit.body.dump().find("mysecretpassword99") == std::string::npos);
  std::vector<std::string> subjects;
  for (const json& record : audit.body["records"])
    if (record["action"] == "login.failure") subjects.push_back(record["subject"]);
  CHECK(subjects == std::vector<std::string>{"user (an unknown username)", "user t.s.discipline_commission"});
}

TEST_CASE("a password change ends every other session and API token of the user") {
  ApiFixture api;
  const ApiFixture::Login& token = api.As("leader");  // an API token
  const ApiFixture::Login session = api.LoginSession(api.As("leader"));
  const HttpReply second = api.PostAs(session, "/api/tokens", {{"label", "report script"}});
  REQUIRE(second.status == 201);
  const ApiFixture::Login other_token{"t.l", second.body["token"]};
  REQUIRE(api.PostAs(session, "/api/me/password",
                     {{"current_password", ApiFixture::kTestPassword}, {"new_password", "new-password-2021"}})
              .status == 200);
  CHECK(api.GetAs(session, "/api/me").status == 200);
  CHECK(api.GetAs(token, "/api/me").status == 401);
  CHECK(api.GetAs(other_token, "/api/me").status == 401);
}

TEST_CASE("behind HTTPS the session cookie is Secure and a trusted proxy names the client's address") {
  web::ApiOptions options;
  options.secure_cookies = true;
  options.trusted_proxies = {"127.0.0.1"};
  ApiFixture api(options);
  api.As("leader");
  json cookie_login = Credentials("t.l", ApiFixture::kTestPassword);
  cookie_login.erase("session");
  const std::string login = RawLogin(api.port(), "127.0.0.2", cookie_login);
  REQUIRE(StatusOf(login) == 200);
  CHECK(login.find("HttpOnly; SameSite=Strict; Max-Age=43200; Secure\r\n") != std::string::npos);

  // Failures forwarded for 203.0.113.9 hold back that client, not the proxy's other clients.
  for (int i = 0; i < 5; ++i)
    REQUIRE(StatusOf(RawLogin(api.port(), "127.0.0.1", Credentials("t.l", "a-wrong-guess-1"),
                              "X-Forwarded-For: 203.0.113.9\r\n")) == 401);
  CHECK(StatusOf(RawLogin(api.port(), "127.0.0.1", Credentials("t.l", ApiFixture::kTestPassword),
                          "X-Forwarded-For: 203.0.113.9\r\n")) == 429);
  CHECK(StatusOf(RawLogin(api.port(), "127.0.0.1", Credentials("t.l", ApiFixture::kTestPassword),
                          "X-Forwarded-For: 198.51.100.7\r\n")) == 200);
  // From a peer that is not a trusted proxy, the header is the client's own claim and ignored.
  for (int i = 0; i < 5; ++i)
    REQUIRE(StatusOf(RawLogin(api.port(), "127.0.0.4", Credentials("t.l", "a-wrong-guess-1"),
                              "X-Forwarded-For: 192.0.2." + std::to_string(i) + "\r\n")) == 401);
  CHECK(StatusOf(RawLogin(api.port(), "127.0.0.4", Credentials("t.l", ApiFixture::kTestPassword),
                          "X-Forwarded-For: 192.0.2.77\r\n")) == 429);
}

TEST_CASE("behind chained trusted proxies the client is the rightmost forwarded address that is no proxy of ours") {
  const std::vector<std::string> proxies = {"127.0.0.1", "10.0.0.5"};
  // The edge proxy (10.0.0.5) saw 203.0.113.9 and the inner one (127.0.0.1) saw the edge; what
  // the client wrote itself (198.51.100.1) is further left and never taken.
  CHECK(web::ClientAddress("127.0.0.1", "198.51.100.1, 203.0.113.9, 10.0.0.5", proxies) == "203.0.113.9");
  CHECK(web::ClientAddress("127.0.0.1", "203.0.113.9", proxies) == "203.0.113.9");
  CHECK(web::ClientAddress("127.0.0.1", "10.0.0.5", proxies) == "127.0.0.1");  // only proxies: the peer
  CHECK(web::ClientAddress("127.0.0.1", "", proxies) == "127.0.0.1");
  CHECK(web::ClientAddress("127.0.0.1", "198.51.100.1, ,10.0.0.5", proxies) == "127.0.0.1");  // malformed
  CHECK(web::ClientAddress("127.0.0.4", "203.0.113.9, 10.0.0.5", proxies) == "127.0.0.4");     // untrusted peer

  web::ApiOptions options;
  options.trusted_proxies = proxies;
  ApiFixture api(options);
  api.As("leader");
  // Five failures from 203.0.113.9 through both proxies, each with a different claim of the
  // client's own in front: they all count against 203.0.113.9.
  for (int i = 0; i < 5; ++i)
    REQUIRE(StatusOf(RawLogin(api.port(), "127.0.0.1", Credentials("t.l", "a-wrong-guess-1"),
                              "X-Forwarded-For: 192.0.2." + std::to_string(i) + ", 203.0.113.9, 10.0.0.5\r\n")) ==
            401);
  CHECK(StatusOf(RawLogin(api.port(), "127.0.0.1", Credentials("t.l", ApiFixture::kTestPassword),
                          "X-Forwarded-For: 203.0.113.9\r\n")) == 429);
  CHECK(StatusOf(RawLogin(api.port(), "127.0.0.1", Credentials("t.l", ApiFixture::kTestPassword),
                          "X-Forwarded-For: 203.0.113.9, 198.51.100.7, 10.0.0.5\r\n")) == 200);
}


TEST_CASE("an API token lasts the days it was issued for and then answers 401 naming itself") {
  ApiFixture api;
  api.As("leader");
  const ApiFixture::Login leader = api.LoginSession(api.As("leader"));
  const HttpReply issued = api.PostAs(leader, "/api/tokens", {{"label", "county pull"}, {"expires_in_days", 30}});
  REQUIRE(issued.status == 201);
  CHECK(issued.body["expires_at"] == "2021-11-11T09:00:00+08:00");
  const ApiFixture::Login pull{"t.l", issued.body["token"]};
  const HttpReply defaulted = api.PostAs(leader, "/api/tokens", {{"label", "weekly report"}});
  REQUIRE(defaulted.status == 201);
  CHECK(defaulted.body["expires_at"] == "2022-01-10T09:00:00+08:00");  // 90 days

  // A label names the token: one that shows nothing, or shows reversed, is refused or cleaned.
  for (const char* blank : {"   ", "\u3000", "\u200b\u202e"}) {
    const HttpReply refused = api.PostAs(leader, "/api/tokens", {{"label", blank}});
    CHECK(refused.status == 400);
    CHECK(refused.body["field"] == "label");
  }
  const HttpReply bidi = api.PostAs(leader, "/api/tokens", {{"label", "a\u202eb"}, {"expires_in_days", 1}});
  REQUIRE(bidi.status == 201);
  CHECK(bidi.body["label"] == "ab");  // the answer says the label as kept
  for (const json& days : {json(0), json(367), json("30"), json(1.5)}) {
    const HttpReply refused = api.PostAs(leader, "/api/tokens", {{"label", "x"}, {"expires_in_days", days}});
    CHECK(refused.status == 400);
    CHECK(refused.body["field"] == "expires_in_days");
  }

  const HttpReply listed = api.GetAs(leader, "/api/tokens");
  REQUIRE(listed.status == 200);
  std::map<std::string, json> expiry;
  for (const json& token : listed.body["tokens"]) expiry[token["label"]] = token["expires_at"];
  CHECK(expiry["county pull"] == "2021-11-11T09:00:00+08:00");
  CHECK(expiry["weekly report"] == "2022-01-10T09:00:00+08:00");
  CHECK(expiry.count("ab") == 1);  // the override dropped

  api.clock().Advance(30 * kSecondsPerDay - 1);
  CHECK(api.GetAs(pull, "/api/me").status == 200);
  api.clock().Advance(1);
  const HttpReply expired = api.GetAs(pull, "/api/me");
  CHECK(expired.status == 401);
  CHECK(expired.body["message"] == "API token \"county pull\" expired at 2021-11-11T09:00:00+08:00: issue a new one");
  CHECK(api.GetAs(api.As("leader"), "/api/me").status == 200);
}

TEST_CASE("only a person's login issues API tokens, and a token that stopped working says why") {
  ApiFixture api;
  const ApiFixture::Login& token = api.As("leader");  // the fixture's API token
  // A token that made tokens would outlive its own revocation through them.
  const HttpReply child = api.PostAs(token, "/api/tokens", {{"label", "child"}});
  CHECK(child.status == 403);
  CHECK(child.body["error"] == "permission_denied");
  const ApiFixture::Login session = api.LoginSession(api.As("leader"));
  const HttpReply issued = api.PostAs(session, "/api/tokens", {{"label", "nightly pull"}});
  REQUIRE(issued.status == 201);
  // Its id, to revoke the very token just made (labels need not be unique).
  const std::int64_t id = issued.body["id"];
  bool listed = false;
  const HttpReply tokens = api.GetAs(session, "/api/tokens");
  for (const json& listed_token : tokens.body["tokens"])
    listed = listed || (listed_token["id"] == id && listed_token["label"] == "nightly pull");
  CHECK(listed);
  const ApiFixture::Login pull{"t.l", issued.body["token"]};
  // An API token does not log out (it would answer logged_out and go on working).
  const HttpReply logout = api.PostAs(pull, "/api/logout", json::object());
  CHECK(logout.status == 400);
  CHECK(api.GetAs(pull, "/api/me").status == 200);
  REQUIRE(api.DeleteAs(session, "/api/tokens/" + std::to_string(id)).status == 200);
  const HttpReply revoked = api.GetAs(pull, "/api/me");
  CHECK(revoked.status == 401);
  CHECK(revoked.body["message"] == "API token \"nightly pull\" was revoked at 2021-10-12T09:00:00+08:00: issue a new one");
  // The account disabled: its tokens say so.
  REQUIRE(api.services().accounts().Disable("test", "t.l", api.clock().Now()).ok());
  const HttpReply disabled = api.GetAs(token, "/api/me");
  CHECK(disabled.status == 401);
  CHECK(disabled.body["message"] == "API token \"test\" belongs to a disabled account");
}

TEST_CASE("a read_only API token reads everything its user may and writes nothing") {
  ApiFixture api;
  const ApiFixture::Login office = api.LoginSession(api.Office());
  const HttpReply issued = api.PostAs(office, "/api/tokens", {{"label", "county pull"}, {"read_only", true}});
  REQUIRE(issued.status == 201);
  CHECK(issued.body["read_only"] == true);
  const ApiFixture::Login pull{"demo.office", issued.body["token"]};
  const json problem = {{"title", "村道路灯损坏"}, {"area", 1}, {"source", "self_inspection"}};
  const HttpReply created = api.PostAs(office, "/api/problems", problem);
  REQUIRE(created.status == 201);
  const std::string path = "/api/problems/" + std::to_string(created.body["id"].get<std::int64_t>());
  CHECK(api.GetAs(pull, "/api/dashboard").status == 200);
  CHECK(api.GetAs(pull, path).status == 200);

  const HttpReply create = api.PostAs(pull, "/api/problems", problem);
  CHECK(create.status == 403);
  CHECK(create.body["error"] == "permission_denied");
  CHECK(create.body["message"] == "this API token may only read (GET): it was issued read_only");
  CHECK(api.GetAs(pull, "/api/problems").body["total"] == 1);
  CHECK(api.FireAs(pull, path, "assign", {{"unit", "village_1"}}).status == 403);
  CHECK(api.GetAs(pull, path + "/history").body["events"].size() == 1);
  CHECK(api.DeleteAs(pull, "/api/tokens/" + std::to_string(issued.body["id"].get<std::int64_t>())).status == 403);
  // The same user's login writes; the list says which token reads only.
  CHECK(api.FireAs(office, path, "assign", {{"unit", "village_1"}}).status == 200);
  bool listed_read_only = false;
  const HttpReply tokens = api.GetAs(office, "/api/tokens");
  for (const json& token : tokens.body["tokens"])
    if (token["label"] == "county pull") listed_read_only = token["read_only"] == true;
  CHECK(listed_read_only);
  // A token asked for without read_only writes; read_only must be true or false.
  const HttpReply writer = api.PostAs(office, "/api/tokens", {{"label", "import"}});
  CHECK(writer.body["read_only"] == false);
  const HttpReply wrong = api.PostAs(office, "/api/tokens", {{"label", "x"}, {"read_only", "yes"}});
  CHECK(wrong.status == 400);
  CHECK(wrong.body["field"] == "read_only");
}

}  // namespace
}  // namespace rectify::testing
