#include "web/form_reply.h"

#include <cstdio>
#include <utility>

#include "exports/csv_writer.h"
#include "exports/pipelined_writer.h"
#include "exports/xlsx_writer.h"
#include "web/http_reply.h"

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

// Passes everything on to the real writer and remembers what the audit detail and the file name say.
class CountingWriter final : public exports::FormWriter {
 public:
  explicit CountingWriter(exports::FormWriter& out) : out_(out) {}

  Status Begin(const exports::FormFrame& frame) override {
    created_ = frame.created;
    return out_.Begin(frame);
  }
  Status Add(const exports::Row& row) override {
    ++rows_;
    return out_.Add(row);
  }
  Status End(const std::vector<std::string>& notes, const std::vector<std::string>& closing) override {
    return out_.End(notes, closing);
  }

  std::size_t rows() const { return rows_; }
  Instant created() const { return created_; }

 private:
  exports::FormWriter& out_;
  std::size_t rows_ = 0;
  Instant created_ = 0;
};

}  // namespace

RouteDoc FormDoc(std::string summary) {
  return RouteDoc(std::move(summary))
      .FileAnswer({kXlsxType, kCsvType},
                  "the form, named in Content-Disposition; recorded in the audit log first")
      .Tag("exports");
}

FormName OfTown(const Campaign& campaign, FormName name) {
  // The campaign's year too: a county keeps every download, and a town's forms of 2021 and of
  // 2022 fetched on one day must not take each other's names.
  const std::string year = campaign.phases.empty() ? std::string() : std::to_string(campaign.phases.front().start.year);
  if (!campaign.town_name.empty()) name.chinese = campaign.town_name + year + (year.empty() ? "" : "年") + "-" + name.chinese;
  if (!campaign.town.empty()) name.ascii = campaign.town + (year.empty() ? "" : "-" + year) + "-" + name.ascii;
  return name;
}

Result<RenderedForm> RenderForm(const FormContent& write, const std::string& format, const FormName& name,
                                const std::string& detail) {
  RenderedForm form;
  exports::XlsxWriter xlsx;
  exports::CsvWriter csv;
  const bool is_xlsx = format == "xlsx";
  // The form is printed on a thread of its own while `write` reads the rows (exports/pipelined_writer.h).
  exports::PipelinedWriter printer(is_xlsx ? static_cast<exports::FormWriter&>(xlsx) : csv);
  CountingWriter out(printer);
  RECTIFY_RETURN_IF_ERROR(write(out));
  if (is_xlsx) {
    auto file = xlsx.File();
    if (!file.ok()) return file.status();
    form.file_on_disk = std::move(file).value();
    form.content_type = kXlsxType;
  } else {
    form.bytes = std::move(csv.bytes());
    form.content_type = kCsvType;
  }
  form.file = name.chinese + "-" + CompactDate(out.created()) + "." + format;
  form.fallback = name.ascii + "-" + CompactDate(out.created()) + "." + format;
  form.audit_detail = form.file + ": " + std::to_string(out.rows()) + " rows as of " + FormatInstant(out.created()) +
                      (detail.empty() ? "" : "; " + detail);
  return form;
}

Result<RenderedForm> RenderForm(const exports::Table& table, const std::string& format, const FormName& name,
                                const std::string& detail) {
  return RenderForm([&table](exports::FormWriter& out) { return exports::WriteTable(table, out); }, format, name,
                    detail);
}

void ReplyForm(httplib::Response& res, RenderedForm form) {
  if (form.file_on_disk)
    ReplyFile(res, std::move(form.file_on_disk), form.content_type, form.file, form.fallback);
  else
    ReplyFile(res, std::move(form.bytes), form.content_type, form.file, form.fallback);
}

}  // namespace rectify::web
