// GET /api/openapi.json against the server that serves it: the document is valid OpenAPI 3 (by
// a validator from npm, @apidevtools/swagger-parser, in tests/browser/node_modules), it lists
// every route the server answers and nothing it does not, its bodies and query parameters are
// those the handlers read, and its error codes are the README's.
//
// Why "every route the server registers is documented" holds: a handler reaches httplib only
// through GuardedServer::Handle (httplib::Server is its private base), which ApiServer calls
// only with the path it has just entered, with its RouteDoc, in its RouteTable. A route without
// a description does not compile; the document is built from that table. These tests check the
// other direction and the document's content.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "tests/web/api_fixture.h"
#include "tests/web/raw_http.h"

namespace rectify::testing {
namespace {

// A path of the document with each {parameter} given a value that matches its pattern.
std::string Example(std::string path) {
  static const std::vector<std::pair<std::string, std::string>> kValues = {
      {"{id}", "1"},           {"{sha256}", std::string(64, 'a')}, {"{unit}", "central_school"},
      {"{username}", "nobody"}, {"{format}", "csv"},                {"{file}", "app.js"},
      {"{campaign}", "gaoqiao-2021-autumn"}, {"{to}", "gaoqiao-2021-autumn"}, {"{gate}", "0"}};
  for (const auto& [name, value] : kValues)
    for (std::size_t at = path.find(name); at != std::string::npos; at = path.find(name))
      path.replace(at, name.size(), value);
  return path;
}

std::set<std::string> Split(const std::string& list) {
  std::set<std::string> out;
  std::stringstream in(list);
  for (std::string item; std::getline(in, item, ',');) {
    item.erase(0, item.find_first_not_of(' '));
    out.insert(item);
  }
  return out;
}

// A string member of an answer, or "" (json::value trips g++'s null-dereference warning here).
std::string Text(const json& body, const char* key) {
  if (!body.is_object() || !body.contains(key) || !body.at(key).is_string()) return "";
  return body.at(key).get_ref<const std::string&>();
}

json Document(ApiFixture& api) {
  const HttpReply reply = api.GetAnonymous("/api/openapi.json");
  REQUIRE(reply.status == 200);
  return reply.body;
}

std::string ReadSource(const std::string& relative) {
  std::ifstream in(std::string(RECTIFY_SOURCE_DIR) + "/" + relative);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("GET /api/openapi.json is an OpenAPI 3 document that a validator accepts") {
  ApiFixture api;
  const json document = Document(api);
  CHECK(document["openapi"] == "3.0.3");
  const std::string file = api.db_path() + ".openapi.json";
  std::ofstream(file) << document.dump(2);
  const std::string command = std::string(RECTIFY_NODE) + " " + RECTIFY_SOURCE_DIR +
                              "/tests/web/validate_openapi.mjs " + file + " 2>&1";
  CHECK(std::system(command.c_str()) == 0);
}

TEST_CASE("the server's answers are what the document says they are, field by field") {
  ApiFixture api;
  json answers = json::array();
  const auto record = [&answers](const char* method, const std::string& path, const HttpReply& reply) {
    answers.push_back({{"method", method}, {"path", path}, {"status", reply.status}, {"body", reply.body}});
    return reply;
  };
  // A campaign's worth of answers: problems made, assigned, worked on and refused, a household's
  // request, and every read the office makes.
  json assigned = SampleProblem();
  assigned["unit"] = "village_1";
  const HttpReply created = record("post", "/api/problems", api.Post("/api/problems", assigned));
  REQUIRE(created.status == 201);
  const std::string problem = std::to_string(created.body["id"].get<std::int64_t>());
  record("post", "/api/problems", api.Post("/api/problems", SampleProblem()));
  const ApiFixture::Login& village = api.As("unit_member", "village_1");
  record("post", "/api/problems/{id}/events",
         api.FireAs(village, "/api/problems/" + problem, "sign_for"));
  record("post", "/api/problems/{id}/events",
         api.FireAs(village, "/api/problems/" + problem, "progress", {{"note", "已入户核实"}}));
  record("post", "/api/problems/{id}/events", api.Fire("/api/problems/" + problem, "close"));  // not allowed now
  record("post", "/api/problems/{id}/events",
         api.Post("/api/problems/" + problem + "/events", {{"event", "progress"}, {"note", "x"}, {"version", 1}}));
  record("post", "/api/problems", api.Post("/api/problems", {{"title", ""}}));
  const json household = {{"household", "王五"},         {"village", "village_2"},
                          {"category", "marginal"},     {"risk_type", "因病"},
                          {"risk_found_on", "2021-09-20"}, {"clue_source", "cadre_found"}};
  const HttpReply enrolled = record("post", "/api/enrollments", api.Post("/api/enrollments", household));
  REQUIRE(enrolled.status == 201);
  const std::string enrollment = std::to_string(enrolled.body["id"].get<std::int64_t>());

  // Every GET of the document without a file answer, its {id} an item of its kind.
  const json document = Document(api);
  for (const auto& [path, methods] : document["paths"].items()) {
    if (!methods.contains("get") || path.rfind("/api/campaigns/{campaign}/", 0) == 0) continue;
    if (path.find("{format}") != std::string::npos || path.find("{sha256}") != std::string::npos) continue;
    std::string concrete = path;
    const std::size_t id = concrete.find("{id}");
    if (id != std::string::npos) {
      const bool of_problem = path.rfind("/api/problems/", 0) == 0;
      const bool of_enrollment = path.rfind("/api/enrollments/", 0) == 0;
      if (!of_problem && !of_enrollment) continue;
      concrete.replace(id, 4, of_problem ? problem : enrollment);
    }
    concrete = Example(concrete);
    INFO(concrete);
    const httplib::Result answer = api.client().Get(concrete.c_str(), {{"Authorization", "Bearer " + api.Office().token}});
    REQUIRE(answer);
    if (answer->get_header_value("Content-Type") != "application/json") continue;
    answers.push_back({{"method", "get"}, {"path", path}, {"status", answer->status},
                       {"body", json::parse(answer->body, nullptr, false)}});
  }
  // The village's own view of an item and its lists (what it may do, what it sees masked).
  record("get", "/api/problems/{id}", api.GetAs(village, "/api/problems/" + problem));
  record("get", "/api/problems", api.GetAs(village, "/api/problems?sort=deadline&limit=1"));
  record("get", "/api/me", api.GetAs(village, "/api/me"));
  CHECK(answers.size() > 40);

  const std::string answers_file = api.db_path() + ".answers.json";
  const std::string document_file = api.db_path() + ".openapi.json";
  std::ofstream(answers_file) << answers.dump(1);
  std::ofstream(document_file) << document.dump(1);
  const std::string command = std::string(RECTIFY_NODE) + " " + RECTIFY_SOURCE_DIR + "/tests/web/validate_answers.mjs " +
                              document_file + " " + answers_file + " 2>&1";
  CHECK(std::system(command.c_str()) == 0);
}

TEST_CASE("every route of the document is served, and no other") {
  ApiFixture api;
  const json document = Document(api);
  int operations = 0;
  for (const auto& [path, methods] : document["paths"].items()) {
    for (const auto& [method, operation] : methods.items()) {
      ++operations;
      const std::string example = Example(path);
      INFO(method << " " << example);
      httplib::Request request;
      request.method = method == "get" ? "GET" : method == "post" ? "POST" : "DELETE";
      request.path = example;
      if (request.method == "POST") request.body = "{}";
      const httplib::Result answer = api.client().send(request);
      REQUIRE(answer);
      const json body = json::parse(answer->body, nullptr, false);
      const bool no_route = answer->status == 404 && body.is_object() &&
                            Text(body, "message").rfind("no route ", 0) == 0;
      CHECK_FALSE(no_route);
      CHECK(answer->status != 405);
      // Anonymous: a route that needs a session says so before anything else.
      if (operation.contains("security") && operation["security"].empty()) continue;
      CHECK(answer->status == 401);
    }
  }
  CHECK(operations > 60);
  CHECK(document["paths"].contains("/api/problems/{id}/events"));
  CHECK(document["paths"].contains("/api/exports/ledger.{format}"));
  // A campaign's routes under /api/campaigns/{campaign}/ as well as at their plain path.
  CHECK(document["paths"].contains("/api/campaigns/{campaign}/problems/{id}/events"));
  CHECK(document["paths"].contains("/api/campaigns/{campaign}/exports/ledger.{format}"));
  CHECK(document["paths"].contains("/api/campaigns/{to}/problems/{id}/carry_over"));
  for (const auto& [path, methods] : document["paths"].items()) {
    const bool campaign_route = path.rfind("/api/campaigns/{campaign}/", 0) == 0;
    if (!campaign_route) continue;
    INFO(path);
    CHECK(document["paths"].contains("/api/" + path.substr(std::string("/api/campaigns/{campaign}/").size())));
  }

  const HttpReply unknown = api.Get("/api/no_such_thing");
  CHECK(unknown.status == 404);
  CHECK(unknown.body["error"] == "not_found");
}

TEST_CASE("a wrong method is 405 with the methods the path has in Allow") {
  ApiFixture api;
  const auto put = api.client().Put("/api/problems", "{}", "application/json");
  REQUIRE(put);
  CHECK(put->status == 405);
  CHECK(put->get_header_value("Allow") == "POST, GET, HEAD");
  CHECK(json::parse(put->body)["error"] == "method_not_allowed");
  const auto del = api.client().Delete("/api/problems/12");
  REQUIRE(del);
  CHECK(del->status == 405);
  CHECK(del->get_header_value("Allow") == "GET, HEAD");
  const auto campaign_put = api.client().Put("/api/campaigns/gaoqiao-2021-autumn/problems/12/events", "{}", "application/json");
  REQUIRE(campaign_put);
  CHECK(campaign_put->status == 405);
  CHECK(campaign_put->get_header_value("Allow") == "POST");
  const auto get = api.client().Get("/api/login");
  REQUIRE(get);
  CHECK(get->status == 405);
  CHECK(get->get_header_value("Allow") == "POST");
}

TEST_CASE("a documented JSON body has exactly the fields its route reads") {
  ApiFixture api;
  const json document = Document(api);
  int checked = 0;
  for (const auto& [path, methods] : document["paths"].items()) {
    if (!methods.contains("post")) continue;
    const json& operation = methods["post"];
    if (!operation.contains("requestBody") || !operation["requestBody"]["content"].contains("application/json")) continue;
    const json& schema = operation["requestBody"]["content"]["application/json"]["schema"];
    if (schema["properties"].empty()) continue;  // a route that reads no body
    INFO(path);
    // The strict reader names every key it knows when it meets one it does not.
    // Tokens are issued by a person's login, not by the API token the fixture gives.
    const HttpReply reply = path == "/api/tokens" ? api.PostAs(api.LoginSession(api.Office()), path, {{"zz_probe", 1}})
                                                  : api.Post(Example(path), {{"zz_probe", 1}});
    REQUIRE(reply.status == 400);
    const std::string message = Text(reply.body, "message");
    const std::size_t list = message.find("expected one of: ");
    REQUIRE(list != std::string::npos);
    std::set<std::string> documented;
    for (const auto& [name, property] : schema["properties"].items()) documented.insert(name);
    CHECK(Split(message.substr(list + 17)) == documented);
    ++checked;
  }
  CHECK(checked >= 12);
}

TEST_CASE("every documented query parameter is one its route reads") {
  ApiFixture api;
  const json document = Document(api);
  for (const auto& [path, methods] : document["paths"].items()) {
    if (!methods.contains("get") || !methods["get"].contains("parameters")) continue;
    for (const json& parameter : methods["get"]["parameters"]) {
      if (parameter["in"] != "query") continue;
      const std::string name = parameter["name"];
      INFO(path << "?" << name);
      const HttpReply reply = api.Get(Example(path) + "?" + name + "=1");
      const bool unknown = reply.status == 400 && Text(reply.body, "field") == name &&
                           Text(reply.body, "message") == "unknown query parameter";
      CHECK_FALSE(unknown);
    }
  }
}

TEST_CASE("every API route refuses a query parameter it does not document and names it, and the page takes any") {
  ApiFixture api;
  const json document = Document(api);
  int checked = 0;
  for (const auto& [path, methods] : document["paths"].items()) {
    if (path.rfind("/api/", 0) != 0) continue;
    for (const auto& [method, operation] : methods.items()) {
      INFO(method << " " << path);
      httplib::Request request;
      request.method = method == "get" ? "GET" : method == "post" ? "POST" : "DELETE";
      request.path = Example(path) + "?zz_probe=1";
      request.set_header("Authorization", "Bearer " + api.Office().token);
      if (request.method == "POST") request.set_header("Content-Type", "application/json");
      const httplib::Result answer = api.client().send(request);
      REQUIRE(answer);
      CHECK(answer->status == 400);
      const json body = json::parse(answer->body, nullptr, false);
      CHECK(Text(body, "field") == "zz_probe");
      CHECK(Text(body, "message") == "unknown query parameter");
      ++checked;
    }
  }
  CHECK(checked > 60);
  // A percent-encoded name is named decoded; a form body's fields are no query parameters.
  CHECK(api.Get("/api/me?as%5Fof=1").body["field"] == "as_of");
  const auto page = api.client().Get("/?v=3&campaign=gaoqiao-2021-autumn");
  REQUIRE(page);
  CHECK(page->status == 200);
}

TEST_CASE("the error codes of the document are those of the README's table") {
  ApiFixture api;
  const json document = Document(api);
  std::set<std::string> documented;
  for (const json& code : document["components"]["schemas"]["Error"]["properties"]["error"]["enum"])
    documented.insert(code.get<std::string>());
  const std::string readme = ReadSource("README.md");
  const std::string table = readme.substr(readme.find("### Errors"));
  std::set<std::string> listed;
  const std::regex row(R"(\n\| (\d{3}) \| `([a-z_]+)` \|)");
  for (auto it = std::sregex_iterator(table.begin(), table.end(), row); it != std::sregex_iterator(); ++it)
    listed.insert((*it)[2].str());
  CHECK(documented == listed);
}

TEST_CASE("a POST with no body at all to a route that reads none is accepted") {
  ApiFixture api;
  const std::string token = api.Office().token;
  // As curl -X POST sends it: no Content-Length, no Transfer-Encoding; and as some clients do,
  // an empty form.
  for (const std::string framing : {"", "Content-Length: 0\r\nContent-Type: application/x-www-form-urlencoded\r\n"}) {
    INFO(framing);
    RawConnection connection(api.port());
    REQUIRE(connection.Send("POST /api/users/nobody/disable HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                            token + "\r\n" + framing + "\r\n"));
    const std::string answer = connection.ReadAnswer();
    CHECK(StatusOf(answer) == 404);  // no such user: the route ran, it did not refuse the body
    CHECK(json::parse(BodyOf(answer))["error"] == "not_found");
  }
  // The README's own example: the office confirms a ledger nobody handed in yet, with curl -X POST.
  // The route runs and answers with a code of the README's table, not a refusal of the body.
  for (const std::string path : {"/api/ledgers/central_school/confirm",
                                 "/api/campaigns/gaoqiao-2021-autumn/ledgers/central_school/confirm"}) {
    INFO(path);
    RawConnection connection(api.port());
    REQUIRE(connection.Send("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
                            "\r\n\r\n"));
    const std::string answer = connection.ReadAnswer();
    INFO(answer);
    CHECK(StatusOf(answer) != 400);
    const std::string code = json::parse(BodyOf(answer))["error"];
    CHECK((code == "event_not_allowed" || code == "not_found" || code == "conflict"));
  }
}

}  // namespace rectify::testing
