// Every route's JSON body decoder (web/json_codec.h): the body is read once with ParseBody, as
// every POST route does, then given to each body parser, so each sees every shape the fuzzer
// finds. A refusal must be a 400 with a JSON answer; nothing may throw or crash.
#include <optional>
#include <string>

#include "tests/fuzz/fuzz_support.h"
#include "web/json_codec.h"

using namespace rectify;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto body = web::ParseBody(std::string(fuzz::AsText(data, size)));
  fuzz::RequireRefusal(body.status());
  if (!body.ok()) return 0;
  fuzz::Require(body->is_object(), "ParseBody accepts only an object");

  fuzz::RequireRefusal(web::ParseNewProblem(*body).status());
  fuzz::RequireRefusal(web::ParseNewEnrollment(*body).status());
  std::optional<std::int64_t> version;
  fuzz::RequireRefusal(web::ParseEventInput(*body, version).status());
  fuzz::RequireRefusal(web::ParseSilence(*body).status());
  fuzz::RequireRefusal(web::ParseLogin(*body).status());
  fuzz::RequireRefusal(web::ParsePasswordChange(*body).status());
  fuzz::RequireRefusal(web::ParseTokenLabel(*body).status());
  fuzz::RequireRefusal(web::ParseNewUser(*body, fuzz::TheCampaign()).status());
  return 0;
}
