// 识别纳入申请: a household at risk of returning to poverty, registered by the office (any village)
// or by a village for its own households (POST /api/enrollments). Every clue source the campaign
// names may be chosen (农户自主申报, 部门筛查预警, 干部排查发现 …); the deadline is two months from the
// day the risk appeared unless one is given.
import { api, describeError, campaignPath, requestKeys } from '../api.js';
import { h, show, toast, showFormError, clearFormError } from '../dom.js';
import { session, defaultDeadlineText, campaignEndedOn } from '../session.js';

function choiceSelect(id, field, placeholder, choices) {
  return h('select', { id, 'data-field': field, required: true }, h('option', { value: '' }, placeholder),
    (choices || []).map((c) => h('option', { value: c.id }, c.name)));
}

// `ownVillage`: the village member's own village, fixed; else every village may be chosen.
export function renderCreateEnrollment(slot, onCreated, { ownVillage } = {}) {
  const c = session.campaign;
  const today = (session.now || '').slice(0, 10);
  const household = h('input', { type: 'text', id: 'enroll-household', 'data-field': 'household', required: true, maxlength: 50 });
  const village = ownVillage
    ? h('input', { type: 'text', id: 'enroll-village', 'data-field': 'village', value: session.me.user.unit_name || ownVillage, readonly: true })
    : h('select', { id: 'enroll-village', 'data-field': 'village', required: true }, h('option', { value: '' }, '请选择村'),
      c.units.filter((u) => u.kind === 'village').map((u) => h('option', { value: u.id }, u.name)));
  const category = choiceSelect('enroll-category', 'category', '请选择监测对象类别', c.household_categories);
  const riskType = choiceSelect('enroll-risk-type', 'risk_type', '请选择风险类型', c.risk_types);
  // After its end the campaign takes only households whose risk appeared by its last day.
  const endedOn = campaignEndedOn();
  const riskFoundOn = h('input', { type: 'date', id: 'enroll-risk-found-on', 'data-field': 'risk_found_on', required: true, max: endedOn || today });
  const clueSource = choiceSelect('enroll-clue-source', 'clue_source', '请选择线索来源', c.clue_sources);
  const members = h('input', { type: 'number', id: 'enroll-members', 'data-field': 'members', min: 1, max: 100, inputmode: 'numeric' });
  // 18 characters, and room for the spaces of a pasted 430922 19800101 0045 (the server drops them).
  const idNumber = h('input', { type: 'text', id: 'enroll-id-number', 'data-field': 'id_number', maxlength: 30, autocomplete: 'off' });
  const phone = h('input', { type: 'tel', id: 'enroll-phone', 'data-field': 'phone', maxlength: 20, autocomplete: 'off' });
  const deadline = h('input', { type: 'date', id: 'enroll-deadline', 'data-field': 'deadline' });
  const error = h('p', { class: 'error-box', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'enroll-submit' }, '保存');
  const form = h('form', { class: 'panel', id: 'enroll-form' },
    h('h2', {}, '登记识别纳入申请'),
    h('label', { for: 'enroll-household' }, '户主姓名'), household,
    h('label', { for: 'enroll-village' }, ownVillage ? '所在村（本村）' : '所在村'), village,
    h('label', { for: 'enroll-category' }, '监测对象类别'), category,
    h('label', { for: 'enroll-risk-type' }, '风险类型'), riskType,
    h('label', { for: 'enroll-risk-found-on' }, endedOn
      ? `风险出现日期（本行动已于${endedOn}结束，只补录此前出现风险的农户；此后的请在正在进行的行动中登记）`
      : '风险出现日期'), riskFoundOn,
    h('label', { for: 'enroll-clue-source' }, '线索来源'), clueSource,
    h('label', { for: 'enroll-members' }, '家庭人口（可选，不详可先不填）'), members,
    h('label', { for: 'enroll-id-number' }, '户主身份证号码（可选）'), idNumber,
    h('label', { for: 'enroll-phone' }, '联系电话（可选）'), phone,
    h('label', { for: 'enroll-deadline' }, `纳入时限（不填则${defaultDeadlineText('enrollment') || '无时限'}）`), deadline,
    error,
    h('div', { class: 'form-actions' }, submit, h('button', { type: 'button', onclick: () => slot.replaceChildren() }, '取消')));
  const keyFor = requestKeys();  // one per form: a second tap or a re-send makes no second item
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    // A second tap while the first is on its way would register the household twice.
    if (submit.disabled) return;
    clearFormError(form, error);
    const body = {
      household: household.value.trim(), village: ownVillage || village.value, category: category.value,
      risk_type: riskType.value, risk_found_on: riskFoundOn.value, clue_source: clueSource.value,
    };
    if (members.value !== '') body.members = Number(members.value);
    if (idNumber.value.trim()) body.id_number = idNumber.value.trim();
    if (phone.value.trim()) body.phone = phone.value.trim();
    if (deadline.value) body.deadline = deadline.value;
    const missing = [[household, '户主姓名'], [village, '所在村'], [category, '监测对象类别'], [riskType, '风险类型'],
      [riskFoundOn, '风险出现日期'], [clueSource, '线索来源']].filter(([input]) => !input.value.trim());
    if (missing.length) return showFormError(form, error, `请填写${missing.map(([, name]) => name).join('、')}`, missing[0][0]);
    submit.disabled = true;
    try {
      const created = await api.post(campaignPath('/enrollments'), body, keyFor(body));
      toast(`已登记识别纳入申请 #${created.id}`);
      slot.replaceChildren();
      onCreated(created);
    } catch (e) {
      showFormError(form, error, describeError(e), e.field);
    } finally {
      submit.disabled = false;
    }
  });
  show(slot, form);
  household.focus();
}
