#include "web/form_reply.h"

#include <cstdio>
#include <utility>

#include "exports/csv_writer.h"
#include "exports/xlsx_writer.h"

namespace rectify::web {
namespace {

constexpr const char* kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
constexpr const char* kCsvType = "text/csv; charset=utf-8";

// "20211022", for file names.
std::string CompactDate(Instant as_of) {
  const CivilDate date = ShanghaiDate(as_of);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d%02d%02d", date.year, date.month, date.day);
  return buffer;
}

}  // namespace

RouteDoc FormDoc(std::string summary) {
  return RouteDoc(std::move(summary))
      .FileAnswer({kXlsxType, kCsvType},
                  "the form, named in Content-Disposition; recorded in the audit log first")
      .Tag("exports");
}

Result<RenderedForm> RenderForm(const exports::Table& table, const std::string& format, const FormName& name,
                                const std::string& detail) {
  RenderedForm form;
  if (format == "xlsx") {
    auto xlsx = exports::WriteXlsx(table);
    if (!xlsx.ok()) return xlsx.status();
    form.bytes = std::move(xlsx).value();
    form.content_type = kXlsxType;
  } else {
    form.bytes = exports::WriteCsv(table);
    form.content_type = kCsvType;
  }
  form.file = name.chinese + "-" + CompactDate(table.created) + "." + format;
  form.fallback = name.ascii + "-" + CompactDate(table.created) + "." + format;
  form.audit_detail = form.file + ": " + std::to_string(table.rows.size()) + " rows as of " +
                      FormatInstant(table.created) + (detail.empty() ? "" : "; " + detail);
  return form;
}

}  // namespace rectify::web
