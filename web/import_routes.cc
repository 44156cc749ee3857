// The import route of ApiServer: problems from a CSV file (engine/problem_import.h), as the
// `rectify import` command takes them, for the office's page. A dry run answers a preview of
// every row and every row's error; a real run stores all rows or, when any row is bad, none.
#include "engine/problem_import.h"
#include "exports/xlsx_reader.h"
#include "web/api_server.h"
#include "web/auth.h"
#include "web/http_reply.h"

namespace rectify::web {
namespace {

json PreviewRow(const Campaign& campaign, const NewProblem& problem, int line) {
  json row = {{"line", line},
              {"title", problem.title},
              {"area", problem.area},
              {"source", problem.source},
              {"unit", problem.unit.empty() ? json(nullptr) : json(problem.unit)},
              {"measures", problem.measures},
              {"deadline", problem.deadline ? json(FormatInstant(*problem.deadline)) : json(nullptr)}};
  if (const Area* area = campaign.FindArea(problem.area)) row["area_name"] = area->name;
  if (const ProblemSource* source = campaign.FindSource(problem.source)) row["source_name"] = source->name;
  if (const Unit* unit = campaign.FindUnit(problem.unit)) row["unit_name"] = unit->name;
  return row;
}

}  // namespace

void ApiServer::RouteImport() {
  // The body is the file itself (CSV, or an XLSX workbook whose first sheet is read), not a
  // multipart form: one file, no form fields, and the same 1 MiB limit as every body.
  Post("/api/problems/import", [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    if (auto denied = caller.items().Require("create_problem", caller.actor); !denied.ok()) return ReplyError(res, denied);
    auto dry_run = DryRunOf(req);
    if (!dry_run.ok()) return ReplyError(res, dry_run.status());
    if (req.is_multipart_form_data())
      return ReplyError(res, Status::InvalidArgument("body", "send the CSV or XLSX file itself as the body"));
    auto text = exports::ProblemListAsCsv(req.body);
    if (!text.ok()) return ReplyError(res, text.status());
    const Instant now = clock_.Now();
    const ProblemImport parsed = ParseProblemCsv(*text, caller.items(), now);
    if (!parsed.refused.ok()) return ReplyError(res, parsed.refused);
    if (parsed.problems.empty() && parsed.errors.empty())
      return ReplyError(res, Status::Unprocessable("body", "the file has a header but no rows"));

    json rows = json::array();
    for (std::size_t i = 0; i < parsed.problems.size(); ++i)
      rows.push_back(PreviewRow(caller.campaign(), parsed.problems[i], parsed.lines[i]));
    const json errors = ImportErrorsToJson(parsed.errors);

    if (*dry_run) return Reply(res, 200, {{"dry_run", true}, {"valid", errors.empty()}, {"rows", rows}, {"errors", errors}});
    if (!errors.empty())
      return Reply(res, 422, {{"error", "unprocessable"},
                              {"message", std::to_string(errors.size()) + " bad row(s): nothing was imported"},
                              {"field", "body"},
                              {"errors", errors}});
    auto stored = caller.items().CreateProblems(parsed.problems, caller.actor, now);
    if (!stored.ok()) return ReplyError(res, stored.status());
    json ids = json::array();
    for (const Item& item : *stored) ids.push_back(item.id);
    Reply(res, 201, {{"dry_run", false}, {"stored", stored->size()}, {"ids", ids}});
  });
}

}  // namespace rectify::web
