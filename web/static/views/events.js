// What each event asks of the person who fires it: the fields of its form. Which events a
// person may fire is the server's answer (an item's allowed_events), and which fields an event
// takes and requires is its machine's (the campaign's event_fields); this says how to ask them.
import { h } from '../dom.js';
import { session } from '../session.js';

// field: {name, label, kind: 'text'|'unit'|'date'|'deadline', required, placeholder}; a 'date'
// starts at today, a 'deadline' (a day to be chosen) empty.
const FIELDS = {
  progress: [{ name: 'note', label: '整改进展', kind: 'text', required: true, placeholder: '已采取的整改措施、完成情况' }],
  submit: [{ name: 'note', label: '提交说明（可选）', kind: 'text' }],
  start: [{ name: 'note', label: '说明（可选）', kind: 'text' }],
  verify: [{ name: 'note', label: '验收意见（可选）', kind: 'text' }],
  send_back: [{ name: 'reason', label: '退回原因', kind: 'text', required: true, placeholder: '需补充的材料或未整改到位之处' }],
  assign: [{ name: 'unit', label: '责任单位', kind: 'unit', required: true }],
  reassign: [{ name: 'unit', label: '改派至责任单位', kind: 'unit', required: true }, { name: 'note', label: '改派理由（可选）', kind: 'text' }],
  close: [{ name: 'note', label: '销号说明（可选）', kind: 'text' }],
  reopen: [{ name: 'reason', label: '重启原因', kind: 'text', required: true },
    { name: 'deadline', label: '新的整改时限（不填则按本镇规则）', kind: 'deadline' }],
  sign_for: [{ name: 'note', label: '签收说明（可选）', kind: 'text' }],
  request_extension: [{ name: 'deadline', label: '申请延期至', kind: 'deadline', required: true },
    { name: 'reason', label: '延期理由', kind: 'text', required: true, placeholder: '不能按期完成的原因' }],
  approve_extension: [{ name: 'reason', label: '批准意见', kind: 'text', required: true },
    { name: 'deadline', label: '延期至（不填则按申请的日期）', kind: 'deadline' }],
  refuse_extension: [{ name: 'reason', label: '不予延期的理由', kind: 'text', required: true }],
  supervise: [{ name: 'note', label: '督办意见', kind: 'text', required: true, placeholder: '督办要求与时限' }],
  complete_step: [{ name: 'note', label: '本步情况（可选）', kind: 'text' }],
  close_ineligible: [{ name: 'explanation', label: '不符合条件的解释说明', kind: 'text', required: true }],
  follow_up: [{ name: 'note', label: '帮扶措施及落实情况', kind: 'text', required: true, placeholder: '针对性帮扶措施、落实进展' }],
};
// Where a household's procedure asks otherwise than a problem's: its close records the date of
// entry in the national monitoring system, its verification is the county's decision (审定), not
// an inspection (验收).
const ENROLLMENT_FIELDS = {
  close: [{ name: 'entered_on', label: '录入全国防返贫监测信息系统日期', kind: 'date', required: true }],
  verify: [{ name: 'note', label: '审定意见（可选）', kind: 'text' }],
};

export function fieldsFor(kind, event) {
  const asked = (kind === 'enrollment' && ENROLLMENT_FIELDS[event]) || FIELDS[event] || [{ name: 'note', label: '说明（可选）', kind: 'text' }];
  const machine = ((session.campaign && session.campaign.event_fields) || {})[kind];
  const fields = machine && machine[event];
  if (!fields) return asked;
  // A field the event does not take would be refused (field_not_taken): not asked.
  return asked.filter((field) => fields.takes.includes(field.name))
    .map((field) => ({ ...field, required: fields.required.includes(field.name) }));
}

export function unitSelect(attrs = {}) {
  const groups = { department: '镇直单位', bank: '金融机构', village: '村' };
  const select = h('select', attrs, h('option', { value: '' }, '请选择责任单位'));
  for (const [kind, name] of Object.entries(groups)) {
    const units = session.campaign.units.filter((u) => u.kind === kind);
    if (units.length) select.append(h('optgroup', { label: name }, units.map((u) => h('option', { value: u.id }, u.name))));
  }
  return select;
}

// The inputs of one event's form, and a function that reads them into the request body (or
// returns the label of the first required field left empty).
export function eventInputs(kind, event, idPrefix) {
  const fields = fieldsFor(kind, event);
  const inputs = fields.map((field) => {
    const id = `${idPrefix}-${field.name}`;
    const attrs = { id, name: field.name, required: field.required || null, 'data-field': field.name };
    let input;
    if (field.kind === 'unit') input = unitSelect(attrs);
    else if (field.kind === 'date') input = h('input', { ...attrs, type: 'date', value: (session.now || '').slice(0, 10) });
    else if (field.kind === 'deadline') input = h('input', { ...attrs, type: 'date' });
    else input = h('textarea', { ...attrs, placeholder: field.placeholder || null, maxlength: 2000 });
    return { field, input, element: [h('label', { for: id }, field.label), input] };
  });
  const read = () => {
    const body = { event };
    for (const { field, input } of inputs) {
      const value = input.value.trim();
      if (!value && field.required) return { missing: field.label, input };
      if (value) body[field.name] = value;
    }
    return { body };
  };
  return { elements: inputs.map((i) => i.element), read };
}
