// A form (exports/table.h) as the file a download answers with: XLSX or CSV bytes, the Chinese
// file name and its ASCII fallback, and what the audit log records about the export. Every
// export route renders through here, records the export, then replies. Internal to web/.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <httplib.h>

#include "engine/campaign.h"
#include "engine/status.h"
#include "exports/table.h"
#include "exports/temp_file.h"
#include "web/route_doc.h"

namespace rectify::web {

// What to call the file: a Chinese stem for people and an ASCII one for old clients.
struct FormName {
  std::string chinese;
  std::string ascii;
};

struct RenderedForm {
  std::string bytes;                           // CSV
  std::shared_ptr<exports::SpooledFile> file_on_disk;  // XLSX: sent from its temporary file
  std::string content_type;
  std::string file;      // "<chinese>-20211022.xlsx"
  std::string fallback;  // "<ascii>-20211022.xlsx"
  std::string audit_detail;  // "<file>: 12 rows as of <instant>[; detail]"
};

// How an export route describes itself (web/route_doc.h): a file answer, XLSX or CSV.
RouteDoc FormDoc(std::string summary);

// `name` with the campaign's town and year first (高桥镇2021年-督查通报): a county's user who
// downloads the same form of two towns, or of two years, on one day gets two files, not one saved
// over the other.
FormName OfTown(const Campaign& campaign, FormName name);

// Writes a form, a row at a time, into the writer it is given (exports/table.h).
using FormContent = std::function<Status(exports::FormWriter& out)>;

// `format` is "xlsx" or "csv"; `detail` is added to the audit detail when not empty. The file is
// dated by the form's created instant. The failure of `write`, as it returned it.
Result<RenderedForm> RenderForm(const FormContent& write, const std::string& format, const FormName& name,
                                const std::string& detail);
// A whole table.
Result<RenderedForm> RenderForm(const exports::Table& table, const std::string& format, const FormName& name,
                                const std::string& detail);

// Sends the rendered form as the download (web/http_reply.h ReplyFile).
void ReplyForm(httplib::Response& res, RenderedForm form);

}  // namespace rectify::web
