// The pipelined writer hands a form on unchanged and in order, through a queue of bounded length,
// reports the printing side's first failure to the reading side, and lets a form be abandoned.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "exports/csv_writer.h"
#include "exports/pipelined_writer.h"

namespace rectify::exports {
namespace {

FormFrame SmallFrame() {
  FormFrame frame;
  frame.sheet_name = "表";
  frame.title = "标题";
  frame.heading = {"填报单位：示例村一"};
  frame.columns = {{"序号", 5, Align::kCenter, true}, {"问题描述", 28}};
  frame.created = 1634000000;
  return frame;
}

Row NumberedRow(std::size_t n) { return {std::to_string(n), "问题 " + std::to_string(n)}; }

// A writer that refuses the row numbered `refuse_at` (from 1) and counts what reached it.
class RefusingWriter final : public FormWriter {
 public:
  explicit RefusingWriter(std::size_t refuse_at, bool refuse_end = false)
      : refuse_at_(refuse_at), refuse_end_(refuse_end) {}
  Status Begin(const FormFrame&) override { return Status::Ok(); }
  Status Add(const Row&) override {
    if (++rows_ == refuse_at_) return Status::Internal("xlsx: disk full (row " + std::to_string(rows_) + ")");
    return Status::Ok();
  }
  Status End(const std::vector<std::string>&, const std::vector<std::string>&) override {
    ended_ = true;
    return refuse_end_ ? Status::Internal("xlsx: cannot close") : Status::Ok();
  }
  std::size_t rows() const { return rows_; }
  bool ended() const { return ended_; }

 private:
  std::size_t refuse_at_;
  bool refuse_end_;
  std::size_t rows_ = 0;
  bool ended_ = false;
};

TEST_CASE("A pipelined form is the same form, row for row and byte for byte") {
  const std::size_t rows = 10 * PipelinedWriter::kQueuedRows + 7;  // many times the queue
  TableWriter direct_table;
  CsvWriter direct_csv;
  TableWriter piped_table;
  CsvWriter piped_csv;
  {
    PipelinedWriter table_printer(piped_table);
    PipelinedWriter csv_printer(piped_csv);
    for (FormWriter* out : std::vector<FormWriter*>{&direct_table, &direct_csv, &table_printer, &csv_printer}) {
      REQUIRE(out->Begin(SmallFrame()).ok());
      for (std::size_t n = 1; n <= rows; ++n) REQUIRE(out->Add(NumberedRow(n)).ok());
      REQUIRE(out->End({"注：1 项问题的数据有误"}, {"填报人：        审核人："}).ok());
    }
  }
  const Table expected = direct_table.Take();
  const Table piped = piped_table.Take();
  REQUIRE(piped.rows.size() == rows);
  CHECK(piped.rows == expected.rows);
  CHECK(piped.rows.back() == NumberedRow(rows));
  CHECK(piped.title == expected.title);
  CHECK(piped.heading == expected.heading);
  CHECK(piped.notes == expected.notes);
  CHECK(piped.closing == expected.closing);
  CHECK(piped_csv.bytes() == direct_csv.bytes());
}

TEST_CASE("The printing side's first failure reaches the reading side, and nothing after it is printed") {
  RefusingWriter refusing(/*refuse_at=*/3);
  PipelinedWriter out(refusing);
  REQUIRE(out.Begin(SmallFrame()).ok());
  // The reader learns of the failure on a later Add, at the latest on End; then it stops.
  Status failed;
  std::size_t added = 0;
  while (failed.ok() && added < 100 * PipelinedWriter::kQueuedRows) failed = out.Add(NumberedRow(++added));
  if (failed.ok()) failed = out.End({}, {});
  CHECK(failed.code() == StatusCode::kInternal);
  CHECK(failed.message() == "xlsx: disk full (row 3)");
  CHECK(added < 100 * PipelinedWriter::kQueuedRows);  // the reader was stopped, not left to read everything
  CHECK(refusing.rows() == 3);
  CHECK_FALSE(refusing.ended());
  // Once failed, the form stays failed.
  CHECK(out.Add(NumberedRow(1)).message() == "xlsx: disk full (row 3)");
  CHECK(out.End({}, {}).message() == "xlsx: disk full (row 3)");
}

TEST_CASE("A failure to finish the form is End's answer") {
  RefusingWriter refusing(/*refuse_at=*/0, /*refuse_end=*/true);
  PipelinedWriter out(refusing);
  REQUIRE(out.Begin(SmallFrame()).ok());
  for (std::size_t n = 1; n <= 5; ++n) REQUIRE(out.Add(NumberedRow(n)).ok());
  const Status ended = out.End({}, {});
  CHECK(ended.message() == "xlsx: cannot close");
  CHECK(refusing.rows() == 5);
}

TEST_CASE("A pipelined form refuses rows before its Begin and after its End") {
  TableWriter table;
  PipelinedWriter out(table);
  CHECK(out.Add(NumberedRow(1)).code() == StatusCode::kInternal);
  CHECK(out.End({}, {}).code() == StatusCode::kInternal);
  REQUIRE(out.Begin(SmallFrame()).ok());
  CHECK(out.Begin(SmallFrame()).code() == StatusCode::kInternal);
  REQUIRE(out.Add(NumberedRow(1)).ok());
  REQUIRE(out.End({}, {}).ok());
  CHECK(out.Add(NumberedRow(2)).code() == StatusCode::kInternal);
  CHECK(out.End({}, {}).code() == StatusCode::kInternal);
  CHECK(table.Take().rows.size() == 1);
}

TEST_CASE("A form abandoned half way (its reader failed) stops its printer without finishing it") {
  RefusingWriter never_refusing(/*refuse_at=*/0);
  {
    PipelinedWriter out(never_refusing);
    REQUIRE(out.Begin(SmallFrame()).ok());
    for (std::size_t n = 1; n <= 3 * PipelinedWriter::kQueuedRows; ++n) REQUIRE(out.Add(NumberedRow(n)).ok());
  }  // no End: the destructor returns, the printer has stopped
  CHECK(never_refusing.rows() <= 3 * PipelinedWriter::kQueuedRows);
  CHECK_FALSE(never_refusing.ended());
}

}  // namespace
}  // namespace rectify::exports
