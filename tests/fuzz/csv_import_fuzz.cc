// The problem list import from CSV (engine/problem_import.h), against the Gaoqiao campaign, as
// `rectify import` and POST /api/problems/import read it. Every row is either a problem or an
// error naming its line; nothing may throw or crash.
#include <httplib.h>

#include "engine/problem_import.h"
#include "tests/fuzz/fuzz_support.h"
#include "web/http_reply.h"

using namespace rectify;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ProblemImport parsed = ParseProblemCsv(fuzz::AsText(data, size), fuzz::TheService(), fuzz::TheNow());
  fuzz::Require(parsed.problems.size() == parsed.lines.size(), "every imported row has its line");
  int previous = 1;
  for (const int line : parsed.lines) {
    fuzz::Require(line > previous, "rows come after the header, in file order");
    previous = line;
  }
  web::json errors = web::json::array();
  for (const ImportError& e : parsed.errors) {
    fuzz::Require(e.line >= 1, "an error names a line of the file");
    errors.push_back({{"line", e.line}, {"column", e.column}, {"message", e.message}});
  }
  httplib::Response res;
  web::Reply(res, 422, {{"error", "unprocessable"}, {"errors", errors}});
  return 0;
}
