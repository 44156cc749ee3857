// The API's JSON shapes, in one place: items, history, the campaign, and the request bodies.
// Parsing is strict (config/strict_json.h, the same reader as the campaign file): a field of the
// wrong type, an unknown or repeated field (a typo would otherwise be dropped silently) or a
// missing required field is a kInvalidArgument naming the field.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "accounts/account.h"
#include "config/strict_json.h"
#include "engine/campaign.h"
#include "engine/csv_records.h"
#include "engine/deployment.h"
#include "engine/deployment_service.h"
#include "engine/item.h"
#include "engine/item_service.h"
#include "engine/audit_service.h"
#include "engine/item_store.h"
#include "engine/silence_service.h"
#include "engine/status.h"
#include "engine/workflow.h"
#include "notifier/outbox.h"

namespace rectify::web {

// Keys keep their insertion order, so responses read in a stable, deliberate order.
using json = Json;

// `now` decides the "overdue" flag; `personal` how the household's personal data shows.
json ItemToJson(const Campaign& campaign, const ItemView& view, Instant now);
json ItemToJson(const Campaign& campaign, const Item& item, Instant now, Disclosure personal);
// `display_names`: actor name -> the person's display name (actor_name; null when unknown: the
// system, a sample's actor, a deleted account).
json EventToJson(const EventRecord& event, const std::map<std::string, std::string>& display_names);
json CampaignToJson(const Campaign& campaign);
// What each event of `workflow` (engine/workflow.h, engine/visit_workflow.h) takes, as its form
// asks it: {"assign": {"takes": ["note", "unit"], "required": ["unit"]}, ...}.
template <class W>
json EventFieldsToJson(const W& workflow) {
  json out = json::object();
  for (const std::string& event : workflow.Events()) {
    const EventFields fields = workflow.FieldsOf(event);
    out[event] = {{"takes", EventFieldNames(fields.takes)}, {"required", EventFieldNames(fields.required)}};
  }
  return out;
}
// An import's bad rows: [{"line", "column", "message", "code", "params": {...}}], the code and
// params for the page to say in Chinese (engine/csv_records.h lists them).
json ImportErrorsToJson(const std::vector<ImportError>& errors);

// Request bodies. `body` is the raw text; malformed JSON, or JSON nested deeper than
// kMaxBodyDepth, is kInvalidArgument with field "body". Bodies never name the actor: that is
// the logged-in user.
inline constexpr int kMaxBodyDepth = 32;
Result<json> ParseBody(const std::string& body);
Result<NewProblem> ParseNewProblem(const json& body);
Result<NewEnrollment> ParseNewEnrollment(const json& body);
// The event request: {"event": ..., "note", "unit", "reason", "entered_on", "explanation",
// "deadline", "version"}; `version`, when given, must match the stored one. Which of them an
// event takes is the machine's to say (ItemService refuses the rest).
Result<EventInput> ParseEventInput(const json& body, std::optional<std::int64_t>& expected_version);

// Query strings. `get` returns the parameter's value, or nullopt when absent.
struct QueryParams {
  virtual ~QueryParams() = default;
  virtual std::optional<std::string> Get(const std::string& name) const = 0;
  virtual std::vector<std::string> Names() const = 0;
};
// ?state=&step=&unit=&area=&source=&village=&overdue_as_of=&q=&sort=&after=&limit=. sort is
// id (default), deadline, overdue (the deadline in force: most overdue first), unit, area or
// state, with a leading "-" for descending; after is the previous page's next_after.
Result<ItemQuery> ParseItemQuery(ItemKind kind, const QueryParams& params);
// A page's next_after (ItemPage::next): null on the last page, the id in the default order,
// "<value>_<id>" in another, which ParseItemQuery reads back as query.after.
json NextAfterToJson(const ItemQuery& query, const std::optional<ItemCursor>& next);
Result<OverdueQuery> ParseOverdueQuery(const QueryParams& params, Instant now);
// ?as_of=&unit=&working_days= (default: the campaign's due_soon_working_days): as an
// OverdueQuery with due_from = as_of and as_of = the end of the Nth working day.
Result<OverdueQuery> ParseDueSoonQuery(const Campaign& campaign, const QueryParams& params, Instant now);
// ?as_of= alone (default now).
Result<Instant> ParseAsOf(const QueryParams& params, Instant now);

// The phase gates' query: ?as_of= (default now) &limit= (default 50: the items listed per gate)
// and, for one gate's further pages, &after= (the last id of the page before).
struct GatePageQuery {
  Instant as_of = 0;
  std::int64_t after_id = 0;
  int limit = 50;
};
Result<GatePageQuery> ParseGatePageQuery(const QueryParams& params, Instant now, bool paged);

// The exports' and the dashboard's query: ?as_of= (default now) and, where `known` lists them,
// unit=, village= (unit ids, not checked here) and public=1|0|true|false. Others are refused.
struct ReportQuery {
  Instant as_of = 0;
  std::optional<std::string> unit;
  std::optional<std::string> village;
  bool public_notice = false;
};
Result<ReportQuery> ParseReportQuery(const QueryParams& params, Instant now, const std::set<std::string>& known);

struct OutboxQuery {
  std::optional<notifier::OutboxState> state;
  std::int64_t before_id = 0;
  int limit = 50;
};
Result<OutboxQuery> ParseOutboxQuery(const QueryParams& params);
json OutboxMessageToJson(const notifier::OutboxMessage& message);
// {"item_id", "approved_by", "until", "reason"}: all required.
Result<NewSilence> ParseSilence(const json& body);
json SilenceToJson(const Silence& silence);

// Accounts. Secrets are read from bodies and never written back, but for a new API token's
// or a reset password's one showing (account_routes.cc).
struct LoginRequest {
  std::string username;
  std::string password;
  bool bearer = false;  // {"session": "bearer"}: the token in the answer instead of a cookie
};
Result<LoginRequest> ParseLogin(const json& body);
struct PasswordChange {
  std::string current_password;
  std::string new_password;
};
Result<PasswordChange> ParsePasswordChange(const json& body);
// The Idempotency-Key header of a request that creates ("" when absent): 1 to 128 visible ASCII
// characters (a UUID, say), else kInvalidArgument naming the header.
Result<std::string> ParseIdempotencyKey(const std::string& header);

// {"label": ..., "expires_in_days"?: n, "read_only"?: bool}
struct NewApiToken {
  std::string label;
  std::optional<int> expires_in_days;  // the policy's default when absent
  bool read_only = false;
};
Result<NewApiToken> ParseNewApiToken(const json& body);
struct NewUser {
  std::string username;
  std::string display_name;
  std::string unit;  // a unit of the campaign, or empty
  std::vector<accounts::Role> roles;
  std::string password;
};
Result<NewUser> ParseNewUser(const json& body, const Campaign& campaign);
// POST /api/users/{username}/move: another unit of the campaign's town (empty: none) and, when
// given, other roles.
struct UserMove {
  std::string unit;
  std::optional<std::vector<accounts::Role>> roles;
};
Result<UserMove> ParseUserMove(const json& body, const Campaign& campaign);
json UserToJson(const Deployment& deployment, const accounts::User& user);

// The deployment's campaigns and the county roll-up (web/campaign_routes.cc).
json CampaignSummaryToJson(const Deployment& deployment, const CampaignSummary& summary);
json RollupToJson(const Deployment& deployment, const Rollup& rollup);
// {"from": campaign, "deadline"?, "area"?}
struct CarryOverRequest {
  std::string from;
  CarryOverInput input;
};
Result<CarryOverRequest> ParseCarryOver(const json& body);
json ApiTokenToJson(const accounts::Session& token);

// ?from=&to= (required, ISO times) &after=&limit=
Result<AuditQuery> ParseAuditQuery(const QueryParams& params, Instant now);
json AuditRecordToJson(const AuditRecord& record);

}  // namespace rectify::web
