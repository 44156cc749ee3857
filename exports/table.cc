#include "exports/table.h"

namespace rectify::exports {

Status WriteTable(const Table& table, FormWriter& out) {
  RECTIFY_RETURN_IF_ERROR(out.Begin(table));
  for (const Row& row : table.rows) RECTIFY_RETURN_IF_ERROR(out.Add(row));
  return out.End(table.notes, table.closing);
}

Status TableWriter::Begin(const FormFrame& frame) {
  table_ = Table();
  static_cast<FormFrame&>(table_) = frame;
  return Status::Ok();
}

Status TableWriter::Add(const Row& row) {
  table_.rows.push_back(row);
  return Status::Ok();
}

Status TableWriter::End(const std::vector<std::string>& notes, const std::vector<std::string>& closing) {
  table_.notes = notes;
  table_.closing = closing;
  return Status::Ok();
}

}  // namespace rectify::exports
