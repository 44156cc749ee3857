// Evidence files and the ledger hand-in over real HTTP: who may upload, list and download,
// the size and type rules, the storage by content hash, and the office's receipt.
#include <catch2/catch.hpp>

#include <filesystem>

#include "engine/attachments.h"
#include "tests/web/file_requests.h"
#include "web/http_reply.h"

namespace rectify::testing {
namespace {

// A problem of the central school's, started, as the school works on it.
std::string StartedProblem(ApiFixture& api) {
  json body = SampleProblem();
  body["unit"] = "central_school";
  const HttpReply created = api.Post("/api/problems", body);
  REQUIRE(created.status == 201);
  REQUIRE(api.Fire(created.location, "start").status == 200);
  return created.location;
}

bool AuditHas(ApiFixture& api, const std::string& action, const std::string& subject) {
  const HttpReply audit = api.Get("/api/audit?from=2000-01-01&to=2100-01-01&limit=500");
  REQUIRE(audit.status == 200);
  for (const json& record : audit.body["records"])
    if (record["action"] == action && record["subject"] == subject) return true;
  return false;
}

}  // namespace

TEST_CASE("the responsible unit uploads evidence and those who see the item download it") {
  ApiFixture api;
  const std::string problem = StartedProblem(api);
  const auto& school = api.As("unit_member", "central_school");
  const std::string png = PngBytes();

  // Named and typed wrongly by the client: the bytes decide.
  const FileReply uploaded = Upload(api, school, problem + "/evidence", png, "复学证明.jpg", "application/pdf");
  INFO(uploaded.body);
  REQUIRE(uploaded.status == 201);
  CHECK(uploaded.error["sha256"] == ContentHash(png));
  CHECK(uploaded.error["name"] == "复学证明.jpg");
  CHECK(uploaded.error["size"] == png.size());
  CHECK(uploaded.error["content_type"] == "image/png");
  CHECK(uploaded.error["uploaded_at"] == "2021-10-12T09:00:00+08:00");
  CHECK(uploaded.error["uploaded_by"] == "user " + school.username);

  // On disk beside the database, under its hash.
  const std::string sha = ContentHash(png);
  CHECK(std::filesystem::file_size(api.db_path() + ".files/" + sha.substr(0, 2) + "/" + sha) == png.size());

  const HttpReply listed = api.GetAs(api.As("inspector"), problem + "/evidence");
  REQUIRE(listed.status == 200);
  REQUIRE(listed.body["files"].size() == 1);
  CHECK(listed.body["files"][0]["sha256"] == sha);

  const FileReply download = Download(api, api.As("leader"), problem + "/evidence/" + sha);
  REQUIRE(download.status == 200);
  CHECK(download.body == png);
  CHECK(download.content_type == "image/png");
  // httplib's client percent-decodes header values: the encoding itself is checked below. A PNG
  // named .jpg saves as a .png: what opens from the disk opens as what it is.
  CHECK(download.disposition ==
        "attachment; filename=\"evidence-" + sha.substr(0, 12) + ".png\"; filename*=UTF-8''复学证明.jpg.png");
  CHECK(AuditHas(api, "evidence.add", "problem " + problem.substr(problem.rfind('/') + 1)));

  // The same photo sent again (its answer lost on the way) is the file already there: listed
  // once, recorded once, answered with its first upload.
  api.clock().Advance(60);
  const FileReply again = Upload(api, school, problem + "/evidence", png, "复学证明.jpg", "application/pdf");
  REQUIRE(again.status == 201);
  CHECK(again.error["uploaded_at"] == "2021-10-12T09:00:00+08:00");
  CHECK(api.GetAs(api.As("inspector"), problem + "/evidence").body["files"].size() == 1);
  const HttpReply audit = api.Get("/api/audit?from=2000-01-01&to=2100-01-01&limit=500");  // kept: the loop reads it
  int added = 0;
  for (const json& record : audit.body["records"]) added += record["action"] == "evidence.add" ? 1 : 0;
  CHECK(added == 1);
}

TEST_CASE("a download is named in ASCII and in percent-encoded UTF-8 per RFC 5987") {
  CHECK(web::AttachmentDisposition("复学证明.jpg", "evidence.jpg") ==
        "attachment; filename=\"evidence.jpg\"; filename*=UTF-8''%E5%A4%8D%E5%AD%A6%E8%AF%81%E6%98%8E.jpg");
  // Quotes, spaces, separators and non-ASCII never reach the plain filename unescaped.
  CHECK(web::AttachmentDisposition("a \"b\";c.pdf", "a \"b\";c-照.pdf") ==
        "attachment; filename=\"a _b_;c-___.pdf\"; filename*=UTF-8''a%20_b_%3Bc.pdf");
  // What Windows refuses in a file name is sent as _, so the file saves as named.
  CHECK(web::AttachmentDisposition("王五:六?*|<>/\\.xlsx", "visit-5:?.xlsx") ==
        "attachment; filename=\"visit-5__.xlsx\"; filename*=UTF-8''%E7%8E%8B%E4%BA%94_%E5%85%AD_______.xlsx");
}

TEST_CASE("evidence of an item is hidden from those who may not see the item") {
  ApiFixture api;
  const std::string problem = StartedProblem(api);
  const std::string png = PngBytes();
  const std::string sha = ContentHash(png);
  REQUIRE(Upload(api, api.As("unit_member", "central_school"), problem + "/evidence", png, "a.png").status == 201);
  const auto& village = api.As("unit_member", "village_1");
  CHECK(Download(api, village, problem + "/evidence/" + sha).status == 404);
  CHECK(Download(api, village, problem + "/evidence").status == 404);
  const FileReply upload = Upload(api, village, problem + "/evidence", png, "a.png");
  CHECK(upload.status == 404);
  CHECK(upload.error["error"] == "not_found");
  // A hash that is stored, but not on this item, is not found either.
  const HttpReply other = api.Post("/api/problems", SampleProblem());
  CHECK(Download(api, api.Office(), other.location + "/evidence/" + sha).status == 404);
}

TEST_CASE("uploading needs the add_evidence grant and an open item") {
  ApiFixture api;
  const std::string problem = StartedProblem(api);
  const FileReply leader = Upload(api, api.As("leader"), problem + "/evidence", PngBytes(), "a.png");
  CHECK(leader.status == 403);
  CHECK(leader.error["error"] == "permission_denied");
  CHECK(Upload(api, api.As("inspector"), problem + "/evidence", PngBytes(), "inspection.png").status == 201);
}

TEST_CASE("a file that is not an image or a PDF is refused with 415 whatever it claims") {
  ApiFixture api;
  const std::string problem = StartedProblem(api);
  const auto& school = api.As("unit_member", "central_school");
  const FileReply html = Upload(api, school, problem + "/evidence", "<html><script>alert(1)</script>", "photo.jpg",
                                "image/jpeg");
  CHECK(html.status == 415);
  CHECK(html.error["error"] == "unsupported_media_type");
  CHECK(html.error["field"] == "file");
  const FileReply empty = Upload(api, school, problem + "/evidence", "", "empty.pdf");
  CHECK(empty.status == 400);
  // Without a file field at all.
  const FileReply none = ReadFile(api.client().Post((problem + "/evidence").c_str(), BearerOf(school),
                                                   httplib::MultipartFormDataItems{{"note", "x", "", ""}}));
  CHECK(none.status == 400);
  CHECK(none.error["field"] == "file");
  CHECK(api.GetAs(school, problem + "/evidence").body["files"].empty());
}

TEST_CASE("an upload of two files, or of a file and a note, is refused whole rather than cut short") {
  ApiFixture api;
  const std::string problem = StartedProblem(api);
  const auto& school = api.As("unit_member", "central_school");
  const FileReply two = ReadFile(api.client().Post(
      (problem + "/evidence").c_str(), BearerOf(school),
      httplib::MultipartFormDataItems{{"file", PngBytes(), "a1.png", "image/png"}, {"file", PdfBytes(), "b2.pdf", "application/pdf"}}));
  CHECK(two.status == 400);
  CHECK(two.error["field"] == "file");
  CHECK(two.error["message"].get<std::string>().find("one file a request") != std::string::npos);
  const FileReply noted = ReadFile(api.client().Post(
      (problem + "/evidence").c_str(), BearerOf(school),
      httplib::MultipartFormDataItems{{"file", PngBytes(), "a1.png", "image/png"}, {"note", "hello", "", ""}}));
  CHECK(noted.status == 400);
  CHECK(noted.error["field"] == "note");
  CHECK(api.GetAs(school, problem + "/evidence").body["files"].empty());
  CHECK(Upload(api, school, problem + "/evidence", PngBytes(), "a1.png", "image/png").status == 201);
}

TEST_CASE("a file over 10 MiB is refused with 413 and a JSON error") {
  ApiFixture api;
  const std::string problem = StartedProblem(api);
  const auto& school = api.As("unit_member", "central_school");
  const FileReply big = Upload(api, school, problem + "/evidence", "%PDF-" + std::string(kMaxAttachmentBytes - 4, 'x'),
                               "scan.pdf");
  CHECK(big.status == 413);
  CHECK(big.error["error"] == "payload_too_large");
  CHECK(big.error["message"] == "request body over 10485760 bytes");
  // Over what httplib reads at all, refused before routing: the same limit named.
  const FileReply huge = Upload(api, school, problem + "/evidence", "%PDF-" + std::string(kMaxAttachmentBytes + (1 << 20), 'x'),
                                "scan.pdf");
  CHECK(huge.status == 413);
  CHECK(huge.error["message"] == "request body over 10485760 bytes");
  const FileReply fits = Upload(api, school, problem + "/evidence", "%PDF-" + std::string(kMaxAttachmentBytes - 5, 'x'),
                                "scan.pdf");
  CHECK(fits.status == 201);
  // A JSON body keeps its own limit of 1 MiB.
  const HttpReply json_body = api.PostRaw("/api/problems", std::string((1 << 20) + 1, 'x'));
  CHECK(json_body.status == 413);
}

TEST_CASE("a unit hands in its signed ledger and the office confirms receipt") {
  ApiFixture api;
  json body = SampleProblem();
  body["unit"] = "central_school";
  REQUIRE(api.Post("/api/problems", body).status == 201);  // so the school owes a ledger
  const auto& school = api.As("unit_member", "central_school");

  HttpReply before = api.Get("/api/ledgers");
  REQUIRE(before.status == 200);
  CHECK(before.body["due"] == "2021-10-26T17:30:00+08:00");
  REQUIRE(before.body["units"].size() == 1);
  CHECK(before.body["units"][0]["unit"] == "central_school");
  CHECK(before.body["units"][0]["submitted_at"].is_null());
  CHECK(before.body["units"][0]["overdue"] == false);

  CHECK(Upload(api, school, "/api/ledgers", "not a scan", "台账.docx").status == 415);
  // A unit that answers for no problem owes none: its scan would be listed nowhere.
  const FileReply unowed = Upload(api, api.As("unit_member", "village_2"), "/api/ledgers", PdfBytes(), "台账.pdf");
  CHECK(unowed.status == 409);
  CHECK(unowed.error["message"].get<std::string>().find("answers for no problem") != std::string::npos);
  CHECK(api.Get("/api/ledgers").body["units"].size() == 1);
  const FileReply handed = Upload(api, school, "/api/ledgers", PdfBytes(), "镇中心校台账.pdf");
  REQUIRE(handed.status == 201);
  CHECK(handed.error["unit"] == "central_school");
  CHECK(handed.error["file"]["content_type"] == "application/pdf");
  CHECK(handed.error["confirmed_at"].is_null());

  CHECK(api.PostAs(school, "/api/ledgers/central_school/confirm", json::object()).status == 403);
  CHECK(api.Post("/api/ledgers/village_9/confirm", json::object()).status == 404);
  api.clock().Advance(3600);
  const HttpReply confirmed = api.Post("/api/ledgers/central_school/confirm", json::object());
  REQUIRE(confirmed.status == 200);
  CHECK(confirmed.body["confirmed_at"] == "2021-10-12T10:00:00+08:00");
  CHECK(confirmed.body["confirmed_by"] == "user " + api.Office().username);
  CHECK(api.Post("/api/ledgers/central_school/confirm", json::object()).status == 409);
  // The office holds the signed copy: the unit cannot replace it now.
  CHECK(Upload(api, school, "/api/ledgers", PdfBytes(), "again.pdf").status == 409);

  const FileReply scan = Download(api, api.Office(), "/api/ledgers/central_school/file");
  CHECK(scan.status == 200);
  CHECK(scan.body == PdfBytes());
  CHECK(Download(api, api.As("unit_member", "village_1"), "/api/ledgers/central_school/file").status == 404);
  CHECK(AuditHas(api, "ledger.submit", "ledger central_school"));
  CHECK(AuditHas(api, "ledger.confirm", "ledger central_school"));
}

TEST_CASE("the same scan handed in again after a lost answer is the hand-in made: on time stays on time") {
  ApiFixture api;
  json body = SampleProblem();
  body["unit"] = "village_1";
  REQUIRE(api.Post("/api/problems", body).status == 201);
  const auto& village = api.As("unit_member", "village_1");
  api.clock().Set(*ParseInstant("2021-10-26T17:29:40+08:00"));
  REQUIRE(Upload(api, village, "/api/ledgers", PdfBytes(), "台账.pdf").status == 201);
  // Its answer never arrived; the same file is sent again after the deadline.
  api.clock().Set(*ParseInstant("2021-10-26T17:30:51+08:00"));
  const FileReply again = Upload(api, village, "/api/ledgers", PdfBytes(), "台账.pdf");
  REQUIRE(again.status == 201);
  CHECK(again.error["submitted_at"] == "2021-10-26T17:29:40+08:00");
  const HttpReply ledgers = api.Get("/api/ledgers");
  REQUIRE(ledgers.body["units"].size() == 1);
  CHECK(ledgers.body["units"][0]["submitted_at"] == "2021-10-26T17:29:40+08:00");
  CHECK(ledgers.body["units"][0]["overdue"] == false);
  const HttpReply audit = api.Get("/api/audit?from=2000-01-01&to=2100-01-01&limit=500");
  INFO(audit.body.dump());
  REQUIRE(audit.status == 200);
  int submits = 0;
  for (const json& record : audit.body["records"]) submits += record["action"] == "ledger.submit" ? 1 : 0;
  CHECK(submits == 1);

  // Another file replaces it, at its own time.
  const FileReply other = Upload(api, village, "/api/ledgers", PdfBytes() + "% page 2\n", "台账（补页）.pdf");
  REQUIRE(other.status == 201);
  CHECK(other.error["submitted_at"] == "2021-10-26T17:30:51+08:00");
}

TEST_CASE("units without a ledger by 10-26 close of business are overdue on the ledger list and the dashboard") {
  ApiFixture api;
  for (const char* unit : {"central_school", "village_1"}) {
    json body = SampleProblem();
    body["unit"] = unit;
    REQUIRE(api.Post("/api/problems", body).status == 201);
  }
  api.clock().Set(*ParseInstant("2021-10-26T17:00:00+08:00"));
  REQUIRE(Upload(api, api.As("unit_member", "village_1"), "/api/ledgers", PdfBytes(), "台账.pdf").status == 201);
  api.clock().Set(*ParseInstant("2021-10-26T17:31:00+08:00"));
  const HttpReply ledgers = api.Get("/api/ledgers");
  REQUIRE(ledgers.body["units"].size() == 2);
  CHECK(ledgers.body["units"][0]["unit"] == "central_school");
  CHECK(ledgers.body["units"][0]["overdue"] == true);
  CHECK(ledgers.body["units"][1]["overdue"] == false);
  const HttpReply dashboard = api.Get("/api/dashboard");
  REQUIRE(dashboard.status == 200);
  CHECK(dashboard.body["ledgers"]["owed"] == 2);
  CHECK(dashboard.body["ledgers"]["handed_in"] == 1);
  CHECK(dashboard.body["ledgers"]["overdue"] == 1);
  // A unit member sees its own unit's line only.
  const HttpReply own = api.GetAs(api.As("unit_member", "village_1"), "/api/ledgers");
  REQUIRE(own.body["units"].size() == 1);
  CHECK(own.body["units"][0]["unit"] == "village_1");

  // As it stood at an earlier instant: before the hand-in, before close of business, nobody late.
  const HttpReply earlier = api.Get("/api/ledgers?as_of=2021-10-26T16:00");
  REQUIRE(earlier.status == 200);
  CHECK(earlier.body["as_of"] == "2021-10-26T16:00:00+08:00");
  REQUIRE(earlier.body["units"].size() == 2);
  for (const json& unit : earlier.body["units"]) {
    INFO(unit.dump());
    CHECK(unit["overdue"] == false);
    CHECK(unit["submitted_at"].is_null());
  }
  const HttpReply just_after = api.Get("/api/ledgers?as_of=2021-10-26T17:30:01");
  CHECK(just_after.body["units"][0]["overdue"] == true);
  CHECK(just_after.body["units"][1]["submitted_at"] == "2021-10-26T17:00:00+08:00");
  const HttpReply unknown = api.Get("/api/ledgers?asof=2021-10-26");
  CHECK(unknown.status == 400);
  CHECK(unknown.body["field"] == "asof");
  CHECK(api.Get("/api/ledgers?as_of=yesterday").status == 400);
}

}  // namespace rectify::testing
