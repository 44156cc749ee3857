// 新建问题: the office records a problem (POST /api/problems); with a unit it is assigned at
// once, without one it waits to be assigned. A unit member records a problem its own unit found
// (`ownUnit`): the unit is fixed, and the unit takes it on as it records it.
import { api, describeError, campaignPath } from '../api.js';
import { h, show, toast } from '../dom.js';
import { session } from '../session.js';
import { unitSelect } from './events.js';

export function renderCreateProblem(slot, onCreated, { ownUnit } = {}) {
  const c = session.campaign;
  const title = h('textarea', { id: 'new-title', required: true, maxlength: 2000, placeholder: '问题描述' });
  const area = h('select', { id: 'new-area', required: true }, h('option', { value: '' }, '请选择领域'),
    c.areas.map((a) => h('option', { value: a.number }, `${a.number}. ${a.name}`)));
  const source = h('select', { id: 'new-source', required: true }, h('option', { value: '' }, '请选择问题来源'),
    c.sources.map((s) => h('option', { value: s.id }, s.name)));
  const unit = ownUnit
    ? h('input', { type: 'text', id: 'new-unit', value: session.me.user.unit_name || ownUnit, readonly: true })
    : unitSelect({ id: 'new-unit' });
  if (!ownUnit) unit.options[0].textContent = '暂不交办';
  const measures = h('textarea', { id: 'new-measures', maxlength: 2000, placeholder: '整改措施（可选）' });
  const deadline = h('input', { type: 'date', id: 'new-deadline' });
  const error = h('p', { class: 'error-box', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'create-submit' }, '保存');
  const form = h('form', { class: 'panel', id: 'create-form' },
    h('h2', {}, ownUnit ? '登记本单位发现的问题' : '新建问题'),
    h('label', { for: 'new-title' }, '问题描述'), title,
    h('label', { for: 'new-area' }, '领域'), area,
    h('label', { for: 'new-source' }, '问题来源'), source,
    h('label', { for: 'new-unit' }, ownUnit ? '责任单位（本单位）' : '责任单位（选定即交办）'), unit,
    h('label', { for: 'new-measures' }, '整改措施'), measures,
    h('label', { for: 'new-deadline' }, '整改时限（不填则为 10月底前）'), deadline,
    error,
    h('div', { class: 'form-actions' },
      submit,
      h('button', { type: 'button', onclick: () => slot.replaceChildren() }, '取消')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    // A second tap while the first is on its way would record the problem twice.
    if (submit.disabled) return;
    error.hidden = true;
    const body = { title: title.value.trim(), area: Number(area.value), source: source.value };
    if (ownUnit) body.unit = ownUnit;
    else if (unit.value) body.unit = unit.value;
    if (measures.value.trim()) body.measures = measures.value.trim();
    if (deadline.value) body.deadline = deadline.value;
    if (!body.title || !body.area || !body.source) {
      error.textContent = '请填写问题描述、领域和问题来源';
      error.hidden = false;
      return;
    }
    submit.disabled = true;
    try {
      const created = await api.post(campaignPath('/problems'), body);
      toast(`已新建问题 #${created.id}`);
      slot.replaceChildren();
      onCreated(created);
    } catch (e) {
      error.textContent = describeError(e);
      error.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });
  show(slot, form);
  title.focus();
}
