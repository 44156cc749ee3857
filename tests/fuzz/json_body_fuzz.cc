// Every route's JSON body decoder (web/json_codec.h): the body is read once with ParseBody, as
// every POST route does, then given to each body parser, so each sees every shape the fuzzer
// finds. A refusal must be a 400 with a JSON answer; nothing may throw or crash.
#include <optional>
#include <string>

#include "engine/text.h"
#include "tests/fuzz/fuzz_support.h"
#include "web/json_codec.h"

using namespace rectify;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto body = web::ParseBody(std::string(fuzz::AsText(data, size)));
  fuzz::RequireRefusal(body.status());
  if (!body.ok()) return 0;
  fuzz::Require(body->is_object(), "ParseBody accepts only an object");

  // What a parser accepts is text that may be stored (engine/text.h): checked once, at the edge.
  auto text_ok = [](const std::string& text) { return CheckText("", text).ok(); };
  const auto problem = web::ParseNewProblem(*body);
  fuzz::RequireRefusal(problem.status());
  if (problem.ok())
    fuzz::Require(text_ok(problem->title) && text_ok(problem->measures), "an accepted problem holds only clean text");
  fuzz::RequireRefusal(web::ParseNewEnrollment(*body).status());
  std::optional<std::int64_t> version;
  const auto event = web::ParseEventInput(*body, version);
  fuzz::RequireRefusal(event.status());
  if (event.ok())
    fuzz::Require(text_ok(event->note) && text_ok(event->reason) && text_ok(event->explanation),
                  "an accepted event holds only clean text");
  fuzz::RequireRefusal(web::ParseSilence(*body).status());
  fuzz::RequireRefusal(web::ParseLogin(*body).status());
  fuzz::RequireRefusal(web::ParsePasswordChange(*body).status());
  fuzz::RequireRefusal(web::ParseNewApiToken(*body).status());
  fuzz::RequireRefusal(web::ParseNewUser(*body, fuzz::TheCampaign()).status());
  return 0;
}
