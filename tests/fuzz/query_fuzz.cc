// The query-string decoders of web/json_codec.h. The fuzzed text is the part of a request's
// target after "?", split and percent-decoded by cpp-httplib exactly as the server does, then
// read by every Parse*Query. A refusal must be a 400 with a JSON answer; what is accepted must
// keep the decoders' own bounds.
#include <httplib.h>

#include <string>

#include "tests/fuzz/fuzz_support.h"
#include "web/http_reply.h"
#include "web/json_codec.h"

using namespace rectify;

namespace {

constexpr int kMaxPageSize = 500;

void RequirePageSize(int limit) {
  fuzz::Require(limit >= 1 && limit <= kMaxPageSize, "a page size is within 1..500");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  httplib::Request req;
  httplib::detail::parse_query_text(std::string(fuzz::AsText(data, size)), req.params);
  const web::HttplibParams params(req);
  const Campaign& campaign = fuzz::TheCampaign();
  const Instant now = fuzz::TheNow();

  for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
    const auto items = web::ParseItemQuery(kind, params);
    fuzz::RequireRefusal(items.status());
    if (items.ok()) RequirePageSize(items->limit);
  }
  const auto overdue = web::ParseOverdueQuery(params, now);
  fuzz::RequireRefusal(overdue.status());
  if (overdue.ok()) RequirePageSize(overdue->limit);
  const auto due_soon = web::ParseDueSoonQuery(campaign, params, now);
  fuzz::RequireRefusal(due_soon.status());
  if (due_soon.ok()) {
    RequirePageSize(due_soon->limit);
    fuzz::Require(due_soon->due_from && *due_soon->due_from <= due_soon->as_of, "due soon ends after it starts");
  }
  fuzz::RequireRefusal(web::ParseAsOf(params, now).status());
  fuzz::RequireRefusal(web::ParseReportQuery(params, now, {}).status());
  fuzz::RequireRefusal(web::ParseReportQuery(params, now, {"unit", "village", "public"}).status());
  const auto outbox = web::ParseOutboxQuery(params);
  fuzz::RequireRefusal(outbox.status());
  if (outbox.ok()) RequirePageSize(outbox->limit);
  const auto audit = web::ParseAuditQuery(params, now);
  fuzz::RequireRefusal(audit.status());
  if (audit.ok()) RequirePageSize(audit->limit);
  return 0;
}
