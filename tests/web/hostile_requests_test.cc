// Hostile and careless requests against a real server: each gets the status it must, the server
// keeps answering after every one, and none of them changes what the database holds.
#include <catch2/catch.hpp>
#include <sqlite3.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/item_service.h"
#include "engine/text.h"
#include "tests/exports/read_back.h"
#include "tests/web/file_requests.h"

namespace rectify::testing {
namespace {

// Everything the database holds that a refused request must leave as it was: items and their
// history, households, files, ledgers, silences, users (not the audit log, which records
// refused logins and reads, nor sessions).
std::string DatabaseContent(const std::string& db_path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  std::string content;
  for (const char* table : {"items", "households", "enrollment_outcomes", "events", "silences", "item_cooperators",
                            "evidence_files", "ledger_handins", "ledger_receipts", "users", "outbox"}) {
    sqlite3_stmt* stmt = nullptr;
    const std::string sql = std::string("SELECT * FROM ") + table;
    INFO(sql);
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    std::vector<std::string> rows;  // sorted: a table without rowid has no order of its own
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::string row;
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        const auto* bytes = sqlite3_column_blob(stmt, c);
        row += "|" + std::string(bytes == nullptr ? "" : static_cast<const char*>(bytes),
                                 static_cast<std::size_t>(sqlite3_column_bytes(stmt, c)));
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    std::sort(rows.begin(), rows.end());
    content += table;
    for (const std::string& row : rows) content += row + "\n";
  }
  sqlite3_close(db);
  return content;
}

// Sends `request` as it is on a new connection and returns the status of the answer (0 when
// the server closed without one).
int RawStatus(int port, const std::string& request) {
  const int sock = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(sock >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(sock, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(::send(sock, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
  std::string answer;
  char buffer[4096];
  for (ssize_t n; (n = ::recv(sock, buffer, sizeof buffer, 0)) > 0;) {
    answer.append(buffer, static_cast<std::size_t>(n));
    if (answer.find("\r\n") != std::string::npos) break;
  }
  ::close(sock);
  if (answer.rfind("HTTP/1.1 ", 0) != 0) return 0;
  return std::stoi(answer.substr(9, 3));
}

struct Hostile {
  const char* what;
  std::string method;  // GET, POST, RAW (the request bytes as they are), UPLOAD (multipart, `body` is the file name)
  std::string path;
  std::string body;
  int status;
  const char* field;  // the field the error must name, or nullptr
};

}  // namespace

TEST_CASE("hostile requests get the status they must, the server lives on, and the database is unchanged") {
  ApiFixture api;
  json assigned = SampleProblem();
  assigned["unit"] = "central_school";
  const std::string problem = api.Post("/api/problems", assigned).location;
  REQUIRE(api.Fire(problem, "start").status == 200);
  REQUIRE(api.Fire(problem, "submit").status == 200);
  const auto& school = api.As("unit_member", "central_school");
  const auto& inspector = api.As("inspector");
  (void)school;
  const std::string before = DatabaseContent(api.db_path());
  const std::string big(2 << 20, 'x');
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "[";

  const std::vector<Hostile> table = {
      {"a path that is not UTF-8", "GET", "/%FF", "", 400, "path"},
      {"an API path that is not UTF-8", "GET", "/api/%FF", "", 400, "path"},
      {"a half character in a path", "GET", "/api/problems/%E9%AB", "", 400, "path"},
      {"a raw 0xFF in the request line", "RAW", "GET /\xFF HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "", 400, nullptr},
      {"a query value that is not UTF-8", "GET", "/api/problems?state=%FF", "", 400, "state"},
      {"a query name that is not UTF-8", "GET", "/api/problems?%FF=1", "", 400, "query"},
      {"a control character in a query value", "GET", "/api/problems?unit=a%01b", "", 400, "unit"},
      {"a body that is not UTF-8", "POST", "/api/problems", "{\"title\":\"\xD5\xFB\xB8\xC4\",\"area\":2,\"source\":\"self_inspection\"}", 400, "body"},
      {"a full-width comma between fields", "POST", "/api/problems", "{\"title\":\"问题\"，\"area\":2}", 400, "body"},
      {"Chinese text outside quotes", "POST", "/api/problems", "{\"title\":问题}", 400, "body"},
      {"a NUL in a title", "POST", "/api/problems", R"({"title":"a\u0000b","area":2,"source":"self_inspection"})", 400, "title"},
      {"U+FFFE in a title", "POST", "/api/problems", R"({"title":"a\ufffeb","area":2,"source":"self_inspection"})", 400, "title"},
      {"an escape character in measures", "POST", "/api/problems", R"({"title":"a","measures":"\u001b[31m","area":2,"source":"self_inspection"})", 400, "measures"},
      {"a C1 control in a title", "POST", "/api/problems", "{\"title\":\"a\xC2\x85\",\"area\":2,\"source\":\"self_inspection\"}", 400, "title"},
      {"a title of white space", "POST", "/api/problems", R"({"title":" \t ","area":2,"source":"self_inspection"})", 400, "title"},
      {"a title of ideographic spaces", "POST", "/api/problems", "{\"title\":\"\xE3\x80\x80\xE3\x80\x80\",\"area\":2,\"source\":\"self_inspection\"}", 400, "title"},
      {"a send-back whose reason is white space", "POST", problem + "/events", R"({"event":"send_back","reason":"   "})", 422, "reason"},
      {"a note with a NUL", "POST", problem + "/events", R"({"event":"send_back","reason":"缺\u0000证明"})", 400, "reason"},
      {"JSON nested 100 deep", "POST", "/api/problems", deep, 400, "body"},
      {"a body over 1 MiB", "POST", "/api/problems", big, 413, nullptr},
      {"an evidence file named in GBK", "UPLOAD", problem + "/evidence", "\xD5\xFB\xB8\xC4.png", 400, "file"},
      {"a CSV neither UTF-8 nor GBK", "POST", "/api/problems/import", "领域,问题来源,问题描述\n2,self_inspection,\xFF\xFF\xFF\n", 400, "file"},
      {"an unknown route", "GET", "/api/nothing", "", 404, nullptr},
  };

  for (const Hostile& hostile : table) {
    INFO(hostile.what);
    int status = 0;
    json body;
    if (hostile.method == "RAW") {
      status = RawStatus(api.port(), hostile.path);
    } else if (hostile.method == "UPLOAD") {
      const FileReply reply = Upload(api, school, hostile.path, PngBytes(), hostile.body, "image/png");
      status = reply.status;
      body = reply.error;
    } else if (hostile.method == "GET") {
      const HttpReply reply = api.GetAs(inspector, hostile.path);
      status = reply.status;
      body = reply.body;
    } else {
      const HttpReply reply = hostile.path.find("/events") != std::string::npos
                                  ? api.PostRawAs(inspector, hostile.path, hostile.body)
                                  : api.PostRaw(hostile.path, hostile.body);
      status = reply.status;
      body = reply.body;
    }
    CHECK(status == hostile.status);
    if (hostile.method != "RAW") {
      REQUIRE(body.is_object());
      CHECK(body.contains("message"));
      const std::string field = body.contains("field") ? body.at("field").get<std::string>() : "";
      if (hostile.field != nullptr) CHECK(field == hostile.field);
    }
    CHECK(api.GetAnonymous("/api/health").status == 200);
    CHECK(DatabaseContent(api.db_path()) == before);
  }
}

TEST_CASE("a JSON syntax error at a Chinese character quotes the whole character") {
  ApiFixture api;
  const HttpReply reply = api.PostRaw("/api/problems", "{\"title\":\"问题\"，\"area\":2}");
  REQUIRE(reply.status == 400);
  const std::string message = reply.body["message"].get<std::string>();
  CHECK(message.find("\"，\"") != std::string::npos);
  CHECK(message.find("\xEF\xBF\xBD") == std::string::npos);  // no U+FFFD: nothing was cut
}

TEST_CASE("a GBK CSV is stored as UTF-8, whichever way it is imported") {
  ApiFixture api;
  // 领域,问题来源,问题描述 / 2,self_inspection,整改 in GBK
  const std::string gbk =
      "\xC1\xEC\xD3\xF2,\xCE\xCA\xCC\xE2\xC0\xB4\xD4\xB4,\xCE\xCA\xCC\xE2\xC3\xE8\xCA\xF6\r\n"
      "2,self_inspection,\xD5\xFB\xB8\xC4\r\n";
  const auto result = api.client().Post("/api/problems/import", {{"Authorization", "Bearer " + api.Office().token}},
                                        gbk, "text/csv");
  REQUIRE(result);
  REQUIRE(result->status == 201);
  const json stored = json::parse(result->body);
  const HttpReply item = api.Get("/api/problems/" + std::to_string(stored["ids"][0].get<int>()));
  CHECK(item.body["title"] == "整改");
}

TEST_CASE("text stored before the checks can no longer break an answer or a form") {
  ApiFixture api;
  // What an older release let in: a GBK title, a NUL and U+FFFE.
  Item old;
  old.kind = ItemKind::kProblem;
  old.state = StatePath{"assigned", {}};
  old.title = std::string("\xD5\xFB\xB8\xC4 a\0b \xEF\xBF\xBE", 11);
  old.area = 2;
  old.source = "self_inspection";
  old.unit = "central_school";
  old.created_at = old.updated_at = old.state_since = api.clock().Now();
  EventRecord created;
  created.to = "assigned";
  created.event = "create";
  created.actor = "old release";
  created.at = api.clock().Now();
  REQUIRE(api.campaign_items().Insert({old}, {created}).ok());

  const HttpReply list = api.Get("/api/problems");
  REQUIRE(list.status == 200);
  CHECK(list.body["items"].size() == 1);
  CHECK(api.Get("/api/gates").status == 200);
  CHECK(api.Get("/api/audit?from=2000-01-01&to=2100-01-01").status == 200);
  const FileReply csv = Download(api, api.Office(), "/api/exports/ledger.csv");
  REQUIRE(csv.status == 200);
  CHECK(IsValidUtf8(csv.body));
  CHECK(csv.body.find('\0') == std::string::npos);
  const FileReply xlsx = Download(api, api.Office(), "/api/exports/ledger.xlsx");
  REQUIRE(xlsx.status == 200);
  CHECK(AllText(ReadXlsx(xlsx.body)).find("ab") != std::string::npos);  // opens; NUL and U+FFFE dropped
}

}  // namespace rectify::testing
