#include "app/audit_commands.h"

#include <pwd.h>
#include <unistd.h>

#include <memory>
#include <ostream>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/clocks.h"
#include "engine/audit.h"
#include "exports/csv_writer.h"
#include "storage/stores.h"

namespace rectify::app {
namespace {

constexpr int kExportPage = 500;
constexpr const char* kCsvHeader = "seq,at,actor,action,subject,detail,prev_hash,hash";

std::string LoginName() {
  const passwd* user = getpwuid(geteuid());
  return user != nullptr ? user->pw_name : std::to_string(geteuid());
}

// As the forms' CSV (exports/csv_writer.h), for the auditor's Excel: a BOM, CRLF, RFC 4180
// quoting, and a detail or name a spreadsheet would run as a formula kept as text. JSON is the
// exact record, for programs.
void WriteCsv(std::ostream& out, const AuditRecord& r) {
  using exports::CsvField;
  out << r.seq << ',' << FormatInstant(r.at) << ',' << CsvField(r.actor) << ',' << CsvField(r.action) << ','
      << CsvField(r.subject) << ',' << CsvField(r.detail) << ',' << r.prev_hash << ',' << r.hash << "\r\n";
}

void WriteJson(std::ostream& out, const AuditRecord& r, bool first) {
  const nlohmann::json object = {{"seq", r.seq},         {"at", FormatInstant(r.at)}, {"actor", r.actor},
                                 {"action", r.action},   {"subject", r.subject},      {"detail", r.detail},
                                 {"prev_hash", r.prev_hash}, {"hash", r.hash}};
  // Text that is not valid UTF-8 is replaced rather than failing the export halfway.
  out << (first ? "\n  " : ",\n  ") << object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

int AuditVerify(const AuditVerifyOptions& options, std::ostream& out, std::ostream& err) {
  auto store = OpenExistingStoresToRead(options.db_path, nullptr);
  if (!store.ok()) {
    err << "rectify audit verify: " << store.status().ToString() << "\n";
    return 2;
  }
  ChainVerifier verifier;
  // Stops reading at the first break: nothing after it is checked.
  const Status read = (*store)->audit().ForEachAudit([&verifier](const AuditRecord& record) {
    return verifier.Feed(record) ? Status::Ok() : Status::Aborted("chain broken");
  });
  const ChainCheck& check = verifier.check();
  if (!check.intact) {
    out << "audit chain broken at record " << *check.first_bad_seq << ": " << check.problem << "\n";
    return 1;
  }
  if (!read.ok()) {
    err << "rectify audit verify: " << read.ToString() << "\n";
    return 2;
  }
  out << "audit chain intact: " << check.records << " records\n";
  if (check.records > 0) out << "head hash: " << verifier.head_hash() << " (keep it to detect a later rewrite)\n";
  return 0;
}

int AuditExport(const AuditExportOptions& options, std::ostream& out, std::ostream& err) {
  auto fail = [&err](const Status& status) {
    err << "rectify audit export: " << status.ToString() << "\n";
    return 1;
  };
  const std::optional<CivilDate> from = ParseDate(options.from);
  if (!from) return fail(Status::InvalidArgument("--from", "\"" + options.from + "\" is not a date (YYYY-MM-DD)"));
  const std::optional<CivilDate> to = ParseDate(options.to);
  if (!to) return fail(Status::InvalidArgument("--to", "\"" + options.to + "\" is not a date (YYYY-MM-DD)"));
  if (*to < *from) return fail(Status::InvalidArgument("--to", "is before --from"));
  const bool csv = options.format == "csv";
  if (!csv && options.format != "json") {
    return fail(Status::InvalidArgument("--format", "\"" + options.format + "\" is neither csv nor json"));
  }

  auto store = OpenExistingStores(options.db_path, MakeClock(options.now));
  if (!store.ok()) return fail(store.status());

  AuditRecord exported;
  exported.actor = options.actor.empty() ? "os:" + LoginName() : options.actor;
  exported.action = kAuditExport;
  exported.subject = "audit_log";
  exported.detail = options.from + " to " + options.to + " as " + options.format;
  const Status recorded = (*store)->audit().AppendAudit(exported);
  if (!recorded.ok()) return fail(recorded);

  const Instant begin = ShanghaiInstant(*from);
  const Instant end = ShanghaiInstant(AddDays(*to, 1));
  out << (csv ? std::string(exports::kUtf8Bom) + kCsvHeader + "\r\n" : std::string("["));
  std::int64_t after = 0;
  bool first = true;
  while (true) {
    auto page = (*store)->audit().AuditRange(begin, end, after, kExportPage);
    if (!page.ok()) return fail(page.status());
    for (const AuditRecord& record : *page) {
      if (csv) {
        WriteCsv(out, record);
      } else {
        WriteJson(out, record, first);
      }
      first = false;
    }
    if (static_cast<int>(page->size()) < kExportPage) break;
    after = page->back().seq;
  }
  if (!csv) out << (first ? "]\n" : "\n]\n");
  out.flush();
  if (!out) return fail(Status::Internal("writing the export failed"));
  return 0;
}

}  // namespace rectify::app
