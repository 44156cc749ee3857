// 新建问题: the office records a problem (POST /api/problems); with a unit it is assigned at
// once, without one it waits to be assigned; units that cooperate (配合单位) see it and may record
// progress. A unit member records a problem its own unit found (`ownUnit`): the unit is fixed, and
// the unit takes it on as it records it. Either may say when the inspection found it (发现日期),
// which deadline rules may count from.
import { api, describeError, campaignPath, requestKeys } from '../api.js';
import { h, show, toast, showFormError, clearFormError } from '../dom.js';
import { session, defaultDeadlineText, campaignEndedOn } from '../session.js';
import { unitSelect } from './events.js';

// The units that cooperate, ticked from every unit but the responsible one (which the server
// refuses as its own cooperator).
function cooperatingPicker(responsible) {
  const boxes = session.campaign.units.map((u) => h('label', { class: 'check', 'data-unit': u.id },
    h('input', { type: 'checkbox', value: u.id, name: 'cooperating_units' }), u.name));
  const hideResponsible = () => boxes.forEach((box) => {
    const own = box.dataset.unit === responsible.value;
    box.hidden = own;
    if (own) box.querySelector('input').checked = false;
  });
  responsible.addEventListener('change', hideResponsible);
  hideResponsible();
  const element = h('details', { id: 'new-cooperating', 'data-field': 'cooperating_units' }, h('summary', {}, '配合单位（可选，可多选）'), h('div', { class: 'check-list' }, boxes));
  const read = () => boxes.map((box) => box.querySelector('input')).filter((input) => input.checked).map((input) => input.value);
  return { element, read };
}

export function renderCreateProblem(slot, onCreated, { ownUnit } = {}) {
  const c = session.campaign;
  const title = h('textarea', { id: 'new-title', 'data-field': 'title', required: true, maxlength: 2000, placeholder: '问题描述' });
  const area = h('select', { id: 'new-area', 'data-field': 'area', required: true }, h('option', { value: '' }, '请选择领域'),
    c.areas.map((a) => h('option', { value: a.number }, `${a.number}. ${a.name}`)));
  const source = h('select', { id: 'new-source', 'data-field': 'source', required: true }, h('option', { value: '' }, '请选择问题来源'),
    c.sources.map((s) => h('option', { value: s.id }, s.name)));
  const unit = ownUnit
    ? h('input', { type: 'text', id: 'new-unit', 'data-field': 'unit', value: session.me.user.unit_name || ownUnit, readonly: true })
    : unitSelect({ id: 'new-unit', 'data-field': 'unit' });
  if (!ownUnit) unit.options[0].textContent = '暂不交办';
  const measures = h('textarea', { id: 'new-measures', 'data-field': 'measures', maxlength: 2000, placeholder: '整改措施（可选）' });
  const deadline = h('input', { type: 'date', id: 'new-deadline', 'data-field': 'deadline' });
  const today = (session.now || '').slice(0, 10);
  // After its end the campaign takes only problems found by its last day: the date is needed then.
  const endedOn = campaignEndedOn();
  deadline.required = Boolean(endedOn);
  const foundOn = h('input', { type: 'date', id: 'new-found-on', 'data-field': 'found_on', max: endedOn || today, required: Boolean(endedOn) });
  const cooperating = ownUnit ? null : cooperatingPicker(unit);
  const error = h('p', { class: 'error-box', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'create-submit' }, '保存');
  const form = h('form', { class: 'panel', id: 'create-form' },
    h('h2', {}, ownUnit ? '登记本单位发现的问题' : '新建问题'),
    h('label', { for: 'new-title' }, '问题描述'), title,
    h('label', { for: 'new-area' }, '领域'), area,
    h('label', { for: 'new-source' }, '问题来源'), source,
    h('label', { for: 'new-unit' }, ownUnit ? '责任单位（本单位）' : '责任单位（选定即交办）'), unit,
    cooperating ? cooperating.element : null,
    h('label', { for: 'new-found-on' }, endedOn
      ? `发现日期（必填：本行动已于${endedOn}结束，只补录此前发现的问题；此后发现的请录入正在进行的行动）`
      : '发现日期（可选，检查发现问题之日）'), foundOn,
    h('label', { for: 'new-measures' }, '整改措施'), measures,
    h('label', { for: 'new-deadline' }, endedOn
      ? '整改时限（必填：本行动的时限均已过）'
      : `整改时限（不填则${defaultDeadlineText('problem') || '无时限'}）`), deadline,
    error,
    h('div', { class: 'form-actions' },
      submit,
      h('button', { type: 'button', onclick: () => slot.replaceChildren() }, '取消')));
  const keyFor = requestKeys();  // one per form: a second tap or a re-send makes no second item
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    // A second tap while the first is on its way would record the problem twice.
    if (submit.disabled) return;
    clearFormError(form, error);
    const body = { title: title.value.trim(), area: Number(area.value), source: source.value };
    if (ownUnit) body.unit = ownUnit;
    else if (unit.value) body.unit = unit.value;
    if (measures.value.trim()) body.measures = measures.value.trim();
    if (deadline.value) body.deadline = deadline.value;
    if (foundOn.value) body.found_on = foundOn.value;
    const cooperatingUnits = cooperating ? cooperating.read() : [];
    if (cooperatingUnits.length) body.cooperating_units = cooperatingUnits;
    const missing = [[title, '问题描述'], [area, '领域'], [source, '问题来源'], ...(endedOn ? [[foundOn, '发现日期'], [deadline, '整改时限']] : [])]
      .filter(([input]) => !input.value.trim());
    if (missing.length) return showFormError(form, error, `请填写${missing.map(([, name]) => name).join('、')}`, missing[0][0]);
    submit.disabled = true;
    try {
      const created = await api.post(campaignPath('/problems'), body, keyFor(body));
      toast(`已新建问题 #${created.id}`);
      slot.replaceChildren();
      onCreated(created);
    } catch (e) {
      showFormError(form, error, describeError(e), e.field);
    } finally {
      submit.disabled = false;
    }
  });
  show(slot, form);
  title.focus();
}
