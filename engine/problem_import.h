// Problems from a spreadsheet exported as CSV (UTF-8, comma-separated, RFC 4180 quoting).
// The first row names the columns, in English or as the ledger prints them:
//   area     | 领域 / 方面       number (1..16) or the area's name            required
//   source   | 问题来源          source id or name                            required
//   description | 问题描述 / 问题 the problem                                 required
//   unit     | 责任单位          unit id or name                              optional
//   cooperating_units | 配合单位 unit ids or names, separated by 、 , or ;      optional
//   deadline | 整改时限          YYYY-MM-DD (end of that day) or a full time  optional
//                               (or Excel's day number, from a date cell of an XLSX sheet)
//   measures | 整改措施          free text                                    optional
// Every row is checked; the caller stores all of them or, if any row is bad, none (so a file
// fixed and imported again never leaves duplicates behind). A row that is already a problem of
// the campaign (FindExisting: imported before, from this file or another, or entered by hand)
// is skipped, never stored twice.
//
// A file over one of the limits of engine/import_limits.h is refused as a whole before its rows
// are checked: what an import may expand to is bounded, whatever its bytes are.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/csv_records.h"
#include "engine/item_service.h"

namespace rectify {

struct ProblemImport {
  // kInvalidArgument (field "file") naming the limit when the file is over one; then nothing
  // else is filled in.
  Status refused;
  std::vector<NewProblem> problems;  // valid rows, in file order
  std::vector<int> lines;            // the line of each valid row
  std::vector<ImportError> errors;   // every bad row's first fault, in file order
  // For each valid row, the id of the problem it already is (FindExisting), or 0 for a new one.
  std::vector<std::int64_t> existing;
};

// Reads and checks every row against the service's campaign; stores nothing.
ProblemImport ParseProblemCsv(std::string_view csv, const ItemService& service, Instant now);

// Fills import.existing: a row is a problem already stored when one of the campaign's problems
// has the same source, area and title (spaces at either end aside; two such rows in one file
// are a bad row, duplicate_problem). Its unit, deadline and
// state may have changed since, so they are not compared. Reads with the actor's view (the
// office sees every problem); the store's failure is returned.
Status FindExisting(ProblemImport& import, ItemService& service, const Actor& actor);

// The valid rows FindExisting found no problem for, in file order: what an import stores.
std::vector<NewProblem> RowsToStore(const ProblemImport& import);

}  // namespace rectify
