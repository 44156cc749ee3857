#include "exports/ledger.h"

#include "engine/history_facts.h"
#include "engine/item_facts.h"
#include "exports/form_text.h"

namespace rectify::exports {
namespace {

std::vector<Column> LedgerColumns() {
  return {{"序号", 5, Align::kCenter, true},     {"问题来源", 14},
          {"问题领域", 10},                {"问题描述", 28},
          {"整改措施", 24},                {"责任单位", 14},
          {"整改时限", 11, Align::kCenter}, {"整改状态", 8, Align::kCenter},
          {"整改进展", 22},                {"完成时间", 11, Align::kCenter},
          {"备注", 12}};
}

std::string LatestProgress(const ItemRecord& record) {
  const ProgressNote latest = LatestProgressOf(record);
  return latest.note.empty() ? "" : DateText(ShanghaiDate(latest.at)) + " " + latest.note;
}

std::string ClosedOn(const ItemRecord& record) {
  const std::optional<Instant> closed = ClosedAt(record);
  return closed ? DateText(ShanghaiDate(*closed)) : "";
}

std::string Remarks(const ItemRecord& record, Instant as_of) {
  const Item& item = record.item;
  std::vector<std::string> parts;
  if (const std::string late = OverdueRemark(item, as_of); !late.empty()) parts.push_back(late);
  if (ClosedLate(record)) parts.push_back("逾期办结");  // 完成时间 after 整改时限: the table says so in words
  if (item.send_back_count > 0) parts.push_back("退回整改" + std::to_string(item.send_back_count) + "次");
  if (item.reopen_count > 0) parts.push_back("回头看重启" + std::to_string(item.reopen_count) + "次");
  return Join(parts, "；");
}

Row LedgerRow(const Campaign& campaign, const ItemRecord& record, std::size_t number, Instant as_of) {
  const Item& item = record.item;
  const ProblemSource* source = campaign.FindSource(item.source);
  const Area* area = campaign.FindArea(item.area);
  return {std::to_string(number),
          source ? source->name : item.source,
          area ? area->name : "",
          item.title,
          item.measures,
          item.unit.empty() ? "（未交办）" : UnitName(campaign, item.unit),
          ItemDeadlineText(item),
          StateLabel(campaign, item),
          LatestProgress(record),
          ClosedOn(record),
          Remarks(record, as_of)};
}

}  // namespace

Status WriteLedger(const Campaign& campaign, const RecordWalk& problems, const std::optional<std::string>& unit,
                   Instant as_of, FormWriter& out) {
  const auto scope = ReportingUnit(campaign, unit);
  if (!scope.ok()) return scope.status();
  const Unit* owner = *scope;
  FormFrame frame;
  frame.sheet_name = "附件1 整改台账";
  frame.attachment = "附件1";
  // The plan's title when the campaign gives it: the unit is named below it (填报单位).
  frame.title = !campaign.form_titles.ledger.empty() ? campaign.form_titles.ledger
                                                     : (owner ? owner->name : std::string("全镇")) + "问题排查整改台账";
  frame.heading = FormHeading(campaign, owner, "范围：全镇各责任单位", as_of);
  frame.columns = LedgerColumns();
  frame.created = as_of;
  RECTIFY_RETURN_IF_ERROR(out.Begin(frame));
  std::size_t rows = 0;
  std::vector<DataError> errors;
  RECTIFY_RETURN_IF_ERROR(problems([&](const ItemRecord& record) {
    if (record.item.kind != ItemKind::kProblem || (owner && record.item.unit != owner->id)) return Status::Ok();
    if (auto error = StoredDataError(campaign, record.item)) errors.push_back(std::move(*error));
    return out.Add(LedgerRow(campaign, record, ++rows, as_of));
  }));
  return out.End(DataErrorNotes(campaign, errors, "已按原样列入本表"), {kSignatureLine});
}

}  // namespace rectify::exports
