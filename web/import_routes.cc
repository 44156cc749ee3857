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

json PreviewRow(const Campaign& campaign, const NewProblem& problem, int line, std::int64_t existing) {
  json row = {{"line", line},
              {"existing_id", existing != 0 ? json(existing) : json(nullptr)},
              {"title", problem.title},
              {"area", problem.area},
              {"source", problem.source},
              {"unit", problem.unit.empty() ? json(nullptr) : json(problem.unit)},
              {"measures", problem.measures},
              {"deadline", problem.deadline ? json(FormatInstant(*problem.deadline)) : json(nullptr)},
              {"found_on", problem.found_on ? json(FormatDate(*problem.found_on)) : json(nullptr)}};
  if (const Area* area = campaign.FindArea(problem.area)) row["area_name"] = area->name;
  if (const ProblemSource* source = campaign.FindSource(problem.source)) row["source_name"] = source->name;
  if (const Unit* unit = campaign.FindUnit(problem.unit)) row["unit_name"] = unit->name;
  return row;
}

}  // namespace

void ApiServer::RouteImport() {
  // The body is the file itself (CSV, or an XLSX workbook whose first sheet is read), not a
  // multipart form: one file, no form fields, and the same 1 MiB limit as every body.
  Post("/api/problems/import",
       RouteDoc("Import problems from a CSV or XLSX file: a preview, or all rows stored, or none")
           .Describe("The body is the file itself, with or without a Content-Type: an XLSX workbook is known by its "
                     "zip signature, anything else is read as CSV in UTF-8 or GBK. dry_run=1 answers {dry_run, valid, "
                     "rows, errors, existing} and stores nothing; a row that is already a problem of the campaign (the "
                     "same source, area and title) has its existing_id and is skipped when importing. Otherwise 201 "
                     "{stored, ids, skipped} (200 when every row existed), or 422 with every bad row's line, column "
                     "and error.")
           .Query("dry_run", schema::Enum({"1", "0", "true", "false"}), "1: preview only")
           .FileBody("the CSV (UTF-8 or GBK) or XLSX file (its first sheet)")
           .Answer(201, schema::Object({{"dry_run", schema::Boolean()},
                                        {"stored", schema::Integer()},
                                        {"ids", schema::ArrayOf(schema::Integer())},
                                        {"skipped", schema::ArrayOf(schema::AnyObject("line, existing_id: rows already imported"))},
                                        {"existing", schema::Integer("dry run: rows that are already problems")},
                                        {"valid", schema::Boolean("dry run")},
                                        {"rows", schema::ArrayOf(schema::AnyObject("a row as it would be stored"))},
                                        {"errors", schema::ArrayOf(schema::AnyObject("line, column, message"))}}),
                   "rows stored")
           .AlsoAnswers(200, "a dry run's preview, or a file whose every row was imported before (nothing stored)")
           .Errors({413, 422}),
       [this](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
    if (auto denied = caller.items().Require("create_problem", caller.actor); !denied.ok()) return ReplyError(res, denied);
    auto dry_run = DryRunOf(req);
    if (!dry_run.ok()) return ReplyError(res, dry_run.status());
    if (req.is_multipart_form_data())
      return ReplyError(res, Status::InvalidArgument("body", "send the CSV or XLSX file itself as the body"));
    auto text = exports::ProblemListAsCsv(req.body);
    if (!text.ok()) return ReplyError(res, text.status());
    const Instant now = clock_.Now();
    ProblemImport parsed = ParseProblemCsv(*text, caller.items(), now);
    if (!parsed.refused.ok()) return ReplyError(res, parsed.refused);
    if (const Status existing = FindExisting(parsed, caller.items(), caller.actor); !existing.ok())
      return ReplyError(res, existing);
    if (parsed.problems.empty() && parsed.errors.empty())
      return ReplyError(res, Status::Unprocessable("body", "the file has a header but no rows"));

    json rows = json::array();
    json skipped = json::array();
    for (std::size_t i = 0; i < parsed.problems.size(); ++i) {
      rows.push_back(PreviewRow(caller.campaign(), parsed.problems[i], parsed.lines[i], parsed.existing[i]));
      if (parsed.existing[i] != 0) skipped.push_back({{"line", parsed.lines[i]}, {"existing_id", parsed.existing[i]}});
    }
    const json errors = ImportErrorsToJson(parsed.errors);

    if (*dry_run)
      return Reply(res, 200, {{"dry_run", true}, {"valid", errors.empty()}, {"rows", rows}, {"errors", errors},
                              {"existing", skipped.size()}});
    if (!errors.empty())
      return Reply(res, 422, {{"error", "unprocessable"},
                              {"message", std::to_string(errors.size()) + " bad row(s): nothing was imported"},
                              {"field", "body"},
                              {"errors", errors}});
    const std::vector<NewProblem> fresh = RowsToStore(parsed);
    json ids = json::array();
    if (!fresh.empty()) {
      auto stored = caller.items().CreateProblems(fresh, caller.actor, now);
      if (!stored.ok()) return ReplyError(res, stored.status());
      for (const Item& item : *stored) ids.push_back(item.id);
    }
    Reply(res, fresh.empty() ? 200 : 201, {{"dry_run", false}, {"stored", ids.size()}, {"ids", ids}, {"skipped", skipped}});
  });
}

}  // namespace rectify::web
