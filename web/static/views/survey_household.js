// One household of the survey: its facts, the visit sheet (附件2) to fill in at the household on
// a phone, the photo of the signed paper sheet, the inspection group's spot check, and the
// enrollment request a risk opens.
//   POST /api/survey/households/{id}/visit        the sheet
//   POST /api/survey/households/{id}/events       spot_check | send_back {reason}
//   POST /api/survey/households/{id}/enrollment   opens the request from the visit
//   POST /api/survey/households/{id}/photos       the signed sheet's photo (multipart "file")
// Made for a slow connection: the sheet is kept on the phone as it is typed and sent in one
// request; a photo is shrunk on the phone before it is sent.
import { api, ApiError, describeError, campaignPath } from '../api.js';
import { h, show, toast, formatTime, formatDate, showFormError, clearFormError } from '../dom.js';
import { session, VISIT_DRAFT_PREFIX, defaultDeadlineText } from '../session.js';
import { surveySettings } from './survey.js';

const kPhotoEdge = 1600;        // pixels: a signed sheet stays legible
const kShrinkAbove = 600 * 1024; // bytes: smaller photos go as they are

// Per user and campaign: a draft holds a household's health note and phone, so on a shared
// computer the next person to log in must never be offered it (and logging out drops them all:
// forgetVisitDrafts, session.js).
function draftKey(id) {
  return `${VISIT_DRAFT_PREFIX}${session.me.user.username}.${session.campaign.id}.${id}`;
}

function readDraft(id) {
  try { return JSON.parse(localStorage.getItem(draftKey(id)) || 'null'); } catch { return null; }
}

// A JPEG of at most kPhotoEdge pixels on its long side, or the file itself when small or not an image.
export async function shrinkPhoto(file) {
  if (file.size <= kShrinkAbove || !/^image\/(jpeg|png|webp)$/.test(file.type) || typeof createImageBitmap !== 'function') return file;
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, kPhotoEdge / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.8));
  if (!blob || blob.size >= file.size) return file;
  return new File([blob], file.name.replace(/\.\w+$/, '') + '.jpg', { type: 'image/jpeg' });
}

function facts(household) {
  const rows = [
    ['编号', `#${household.id}`],
    ['所在村', `${household.village_name}${household.group ? ` ${household.group}` : ''}`],
    ['户类型', household.household_type_name],
    ['核查原因', household.priority_name + (household.note ? `；${household.note}` : '')],
    ['联系电话', household.phone || '—'],
    ['身份证号码', household.id_number || '—'],
  ];
  if (household.found_on_the_way) rows.push(['来源', '走访中发现']);
  return h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function sheetSummary(settings, visit) {
  const yuan = (v) => (v === null || v === undefined ? '—' : `${v}元`);
  const secured = (v) => (v ? '有保障' : '未保障');
  const rows = [
    ['走访日期', formatDate(visit.visited_on)],
    ['核查人员', visit.team.map((m) => `${m.name}（${m.role_name}）`).join('、')],
    ['家庭人口', `${visit.members}人`],
    ['人均纯收入', `上年 ${yuan(visit.income_last_year)} / 今年 ${yuan(visit.income_this_year)}${visit.income_change !== null ? `（${Math.round(visit.income_change * 100)}%）` : ''}`],
    ['刚性支出', `${yuan(visit.rigid_spending)}${visit.spending_cause_names.length ? `（${visit.spending_cause_names.join('、')}）` : ''}`],
    ['两不愁三保障', `义务教育${secured(visit.education_secured)}，基本医疗${secured(visit.medical_secured)}，住房安全${secured(visit.housing_secured)}，饮水安全${secured(visit.water_secured)}`],
    ['健康状况', visit.health_condition || '—'],
    ['帮扶措施', visit.assistance || '—'],
    ['核查发现', visit.findings || '—'],
    ['结论', visit.conclusion === 'risk_found'
      ? `发现风险：${visit.risk_type_name}，${formatDate(visit.risk_found_on)}出现，拟纳入${visit.category_name}` : '无返贫致贫风险'],
    ['登记', `${formatTime(visit.recorded_at)} · ${visit.recorded_by.replace(/^user /, '')}`],
  ];
  return h('dl', { class: 'facts', id: 'visit-sheet' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

// The sheet's form. Every change is kept on the phone, so a lost connection loses nothing.
function visitForm(settings, household, onSaved) {
  const c = session.campaign;
  const id = household.id;
  const saved = readDraft(id) || {};
  const previous = household.visit || {};
  const value = (name, fallback) => (saved[name] !== undefined ? saved[name] : fallback);
  const input = (name, attrs) => h('input', { id: `visit-${name}`, name, 'data-field': name, ...attrs });
  const teamRows = h('div', { id: 'visit-team', 'data-field': 'team' });
  const memberRow = (member = {}) => h('div', { class: 'row team-member' },
    h('input', { type: 'text', class: 'member-name', placeholder: '姓名', value: member.name || '', 'aria-label': '核查人员姓名', maxlength: 50 }),
    h('select', { class: 'member-role', 'aria-label': '身份' }, settings.team_roles.map((r) => h('option', { value: r.id, selected: r.id === member.role }, r.name))));
  const team = value('team', previous.team || []);
  for (let i = 0; i < Math.max(settings.minimum_team, team.length); ++i) teamRows.append(memberRow(team[i]));
  const checks = [['education_secured', '义务教育有保障'], ['medical_secured', '基本医疗有保障'], ['housing_secured', '住房安全有保障'], ['water_secured', '饮水安全有保障']]
    .map(([name, text]) => h('label', { class: 'check' }, input(name, { type: 'checkbox', checked: value(name, previous[name] ?? true) }), text));
  const causes = c.risk_types.map((r) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', class: 'cause', value: r.id, checked: (value('spending_causes', previous.spending_causes || [])).includes(r.id) }), r.name));
  const conclusion = value('conclusion', previous.conclusion || 'no_risk');
  const riskRadio = (v, text) => h('label', { class: 'check' }, h('input', { type: 'radio', name: 'conclusion', value: v, id: `visit-${v}`, checked: conclusion === v }), text);
  const riskFields = h('div', { id: 'visit-risk', hidden: conclusion !== 'risk_found' },
    h('label', { for: 'visit-risk_type' }, '风险类型'),
    h('select', { id: 'visit-risk_type', 'data-field': 'risk_type' }, c.risk_types.map((r) => h('option', { value: r.id, selected: r.id === value('risk_type', previous.risk_type) }, r.name))),
    h('label', { for: 'visit-risk_found_on' }, '风险出现日期（纳入时限从此日起算）'),
    input('risk_found_on', { type: 'date', value: value('risk_found_on', previous.risk_found_on || '') }),
    h('label', { for: 'visit-category' }, '拟纳入监测对象类别'),
    h('select', { id: 'visit-category', 'data-field': 'category' }, c.household_categories.map((x) =>
      h('option', { value: x.id, selected: x.id === value('category', previous.category || household.household_type) }, x.name))));
  const text = (name, label, attrs = {}) => [h('label', { for: `visit-${name}` }, label),
    h('textarea', { id: `visit-${name}`, name, 'data-field': name, maxlength: 2000, ...attrs }, value(name, previous[name] || ''))];
  const number = (name, label) => [h('label', { for: `visit-${name}` }, label),
    input(name, { type: 'number', inputmode: 'numeric', min: 0, step: 1, value: value(name, previous[name] ?? '') })];
  const error = h('p', { class: 'error-box', id: 'visit-error', hidden: true });
  const send = h('button', { type: 'submit', class: 'primary', id: 'visit-send' }, '保存核查表');
  const form = h('form', { class: 'panel', id: 'visit-form' },
    h('h2', {}, '入户核查表（附件2）'),
    h('label', { for: 'visit-visited_on' }, '走访日期'),
    input('visited_on', { type: 'date', value: value('visited_on', (session.now || '').slice(0, 10)), max: (session.now || '').slice(0, 10) }),
    h('label', {}, `核查人员（至少${settings.minimum_team}人）`), teamRows,
    h('button', { type: 'button', id: 'visit-add-member', onclick: () => { teamRows.append(memberRow()); keep(); } }, '＋ 添加人员'),
    number('members', '家庭人口（人）'),
    number('income_last_year', '上年家庭人均纯收入（元）'),
    number('income_this_year', '今年预计家庭人均纯收入（元）'),
    number('rigid_spending', '今年刚性支出（元）'),
    h('fieldset', {}, h('legend', {}, '刚性支出原因'), causes),
    h('fieldset', {}, h('legend', {}, '两不愁三保障及饮水安全'), checks),
    text('health_condition', '健康状况（仅本村和镇办可见）'),
    text('assistance', '已落实的帮扶措施'),
    text('findings', '核查发现的问题'),
    h('fieldset', { id: 'visit-conclusion' }, h('legend', {}, '核查结论'), riskRadio('no_risk', '无返贫致贫风险'), riskRadio('risk_found', '存在返贫致贫风险')),
    riskFields, error,
    h('div', { class: 'form-actions' }, send));

  const read = () => {
    const field = (name) => form.querySelector(`[data-field="${name}"]`);
    const members = [...teamRows.querySelectorAll('.team-member')].map((row) => ({
      name: row.querySelector('.member-name').value.trim(), role: row.querySelector('.member-role').value }));
    const draft = {
      visited_on: field('visited_on').value,
      team: members,
      members: field('members').value,
      income_last_year: field('income_last_year').value,
      income_this_year: field('income_this_year').value,
      rigid_spending: field('rigid_spending').value,
      spending_causes: [...form.querySelectorAll('.cause:checked')].map((x) => x.value),
      health_condition: field('health_condition').value,
      assistance: field('assistance').value,
      findings: field('findings').value,
      conclusion: form.querySelector('input[name="conclusion"]:checked').value,
      risk_type: field('risk_type').value,
      risk_found_on: field('risk_found_on').value,
      category: field('category').value,
    };
    for (const name of ['education_secured', 'medical_secured', 'housing_secured', 'water_secured']) draft[name] = field(name).checked;
    return draft;
  };
  const keep = () => { try { localStorage.setItem(draftKey(id), JSON.stringify(read())); } catch { /* private mode: no draft */ } };
  form.addEventListener('input', keep);
  form.addEventListener('change', () => {
    riskFields.hidden = form.querySelector('input[name="conclusion"]:checked').value !== 'risk_found';
    keep();
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormError(form, error);
    const d = read();
    // The server names a team member by their place among the named ones (team[1].name).
    [...teamRows.querySelectorAll('.member-name')].filter((input) => input.value.trim())
      .forEach((input, i) => { input.dataset.field = `team[${i}].name`; });
    const body = {
      visited_on: d.visited_on,
      team: d.team.filter((m) => m.name),
      members: Number(d.members) || 0,
      spending_causes: d.spending_causes,
      education_secured: d.education_secured, medical_secured: d.medical_secured,
      housing_secured: d.housing_secured, water_secured: d.water_secured,
      assistance: d.assistance.trim(), findings: d.findings.trim(), health_condition: d.health_condition.trim(),
      conclusion: d.conclusion,
      version: household.version,
    };
    for (const name of ['income_last_year', 'income_this_year', 'rigid_spending']) if (d[name] !== '') body[name] = Number(d[name]);
    if (d.conclusion === 'risk_found') {
      body.risk_type = d.risk_type;
      if (d.risk_found_on) body.risk_found_on = d.risk_found_on;
      body.category = d.category;
    }
    send.disabled = true;
    send.textContent = '正在保存…';
    try {
      await api.post(campaignPath(`/survey/households/${id}/visit`), body);
      try { localStorage.removeItem(draftKey(id)); } catch { /* nothing kept */ }
      toast('核查表已保存');
      onSaved();
    } catch (err) {
      if (err instanceof ApiError) showFormError(form, error, describeError(err), err.field);
      else showFormError(form, error, '网络不稳定，未能保存：填写内容已保留在本机，请在信号好时再点「保存核查表」。');
      send.disabled = false;
      send.textContent = '保存核查表';
    }
  });
  return form;
}

function photoPanel(household, photos, onDone) {
  const base = campaignPath(`/survey/households/${household.id}/photos`);
  // The signed sheet shows the ID number, phone and health note in full: those who see them
  // masked see that a photo is there, not the photo (the server refuses its bytes to them).
  const viewable = household.personal_data === 'full';
  const list = photos.length ? h('ul', { class: 'files', id: 'visit-photos' }, photos.map((p) => h('li', { 'data-sha256': p.sha256 },
    viewable && /^image\//.test(p.content_type) ? h('a', { href: `${base}/${p.sha256}`, target: '_blank', rel: 'noopener' }, h('img', { src: `${base}/${p.sha256}`, alt: p.name })) : null,
    viewable ? h('a', { href: `${base}/${p.sha256}`, download: p.name }, p.name) : h('span', {}, p.name),
    h('span', { class: 'meta' }, formatTime(p.uploaded_at)),
    viewable ? null : h('span', { class: 'meta' }, '（含个人信息，仅限有查看个人信息权限者查看）')))) : h('p', { class: 'empty', id: 'visit-photos-empty' }, '尚未上传签字页照片。');
  if (!household.visit || !household.may_record_photo) return h('section', { class: 'panel' }, h('h2', {}, '签字页照片'), list);
  const file = h('input', { type: 'file', id: 'visit-photo-input', accept: 'image/*,application/pdf', capture: 'environment' });
  const status = h('p', { class: 'meta', id: 'visit-photo-status' });
  file.addEventListener('change', async () => {
    const chosen = file.files[0];
    if (!chosen) return;
    status.textContent = '正在上传…';
    try {
      const shrunk = await shrinkPhoto(chosen);
      const form = new FormData();
      form.append('file', shrunk, shrunk.name);
      await api.post(base, form);
      toast('签字页照片已上传');
      onDone();
    } catch (err) {
      status.textContent = err instanceof ApiError ? describeError(err) : '网络不稳定，上传未完成，请重新选择照片。';
    }
  });
  return h('section', { class: 'panel' }, h('h2', {}, '签字页照片'), list,
    h('label', { for: 'visit-photo-input' }, '拍照上传签字后的纸质核查表'), file, status);
}

function reviewPanel(settings, household, onDone) {
  const events = household.allowed_events.filter((e) => e !== 'record');
  if (!events.length) return null;
  // One box for both: a send-back's reason (required), a spot check's opinion (kept as its note).
  const reason = h('textarea', { id: 'review-reason', 'data-field': 'reason', maxlength: 2000, placeholder: '退回时必填：需补充或更正的内容' });
  const error = h('p', { class: 'error-box', hidden: true });
  const fire = async (event) => {
    clearFormError(panel, error);
    if (event === 'spot_check' && !window.confirm(`确认 ${household.head_name}户 的核查表抽查通过？`)) return;
    try {
      const body = { event, version: household.version };
      const text = reason.value.trim();
      if (event === 'send_back') body.reason = text;
      else if (text) body.note = text;
      await api.post(campaignPath(`/survey/households/${household.id}/events`), body);
      toast(`已${settings.labels[event] || event}`);
      onDone();
    } catch (err) {
      showFormError(panel, error, describeError(err), err.field);
    }
  };
  const panel = h('section', { class: 'panel', id: 'review-panel' }, h('h2', {}, '抽查'),
    h('label', { for: 'review-reason' }, '抽查意见'), reason, error,
    h('div', { class: 'actions', id: 'review-actions' }, events.map((event) =>
      h('button', { type: 'button', class: event === 'send_back' ? 'danger' : 'primary', 'data-event': event, onclick: () => fire(event) },
        settings.labels[event] || event))));
  return panel;
}

function enrollmentPanel(household, onDone) {
  if (household.enrollment_id) {
    return h('section', { class: 'panel', id: 'enrollment-panel' }, h('h2', {}, '识别纳入'),
      h('p', {}, h('a', { id: 'enrollment-link', href: `#/item/enrollment/${household.enrollment_id}` }, `识别纳入申请 #${household.enrollment_id}`)));
  }
  if (!household.may_open_enrollment) return null;
  const error = h('p', { class: 'error-box', hidden: true });
  const open = h('button', { type: 'button', class: 'primary', id: 'open-enrollment', onclick: async () => {
    open.disabled = true;
    try {
      const answer = await api.post(campaignPath(`/survey/households/${household.id}/enrollment`), {});
      toast(`已启动识别纳入申请 #${answer.enrollment.id}`);
      onDone();
    } catch (err) {
      showFormError(panel, error, describeError(err));
      open.disabled = false;
    }
  } }, '启动识别纳入程序');
  const panel = h('section', { class: 'panel', id: 'enrollment-panel' }, h('h2', {}, '识别纳入'),
    h('p', { class: 'meta' }, `按核查表的风险类型和风险出现日期建立识别纳入申请（线索来源：基层干部排查），纳入时限${defaultDeadlineText('enrollment') || '从风险出现之日起算'}。`),
    error, open);
  return panel;
}

export async function renderSurveyHousehold(main, id) {
  show(main, h('p', { class: 'loading' }, '正在加载…'));
  let settings, household, photos, history;
  try {
    settings = await surveySettings();
    [household, photos, history] = await Promise.all([
      api.get(campaignPath(`/survey/households/${id}`)),
      api.get(campaignPath(`/survey/households/${id}/photos`)),
      api.get(campaignPath(`/survey/households/${id}/history`)),
    ]);
  } catch (error) {
    show(main, h('p', { class: 'error-box' }, describeError(error)));
    return;
  }
  // Who records the visit may add its photo: the one who could record it (the household's village).
  household.may_record_photo = session.me.user.unit === household.village && session.me.user.roles.includes('unit_member');
  const reload = () => renderSurveyHousehold(main, id);
  const mayRecord = household.allowed_events.includes('record');
  show(main,
    h('p', {}, h('a', { href: '#/survey', id: 'back' }, '‹ 走访名单')),
    h('h1', { id: 'household-title' }, `${household.head_name}户`),
    h('div', { class: 'meta' }, h('span', { class: 'badge state', id: 'household-state' }, household.state_label),
      household.visit && household.visit.conclusion === 'risk_found' ? h('span', { class: 'badge overdue' }, '发现风险') : null),
    h('section', { class: 'panel' }, facts(household)),
    mayRecord ? visitForm(settings, household, reload) : null,
    // The paper sheet to take to the household: blank before the visit, to fill in by hand.
    mayRecord ? h('p', { class: 'row' }, h('a', { href: campaignPath(`/exports/visits/${household.id}.xlsx`), download: '', id: 'visit-download' },
      household.visit ? '下载附件2（已填内容，A4 打印签字）' : '下载空白附件2（入户时手填，A4 打印）')) : null,
    household.visit && !mayRecord ? h('section', { class: 'panel' }, h('h2', {}, '核查表'), sheetSummary(settings, household.visit),
      h('p', { class: 'row' }, h('a', { href: campaignPath(`/exports/visits/${household.id}.xlsx`), download: '', id: 'visit-download' }, '下载附件2（Excel，A4 打印签字）'),
        h('a', { href: campaignPath(`/exports/visits/${household.id}.csv`), download: '', id: 'visit-download-csv' }, 'CSV'))) : null,
    photoPanel(household, photos.files || [], reload),
    reviewPanel(settings, household, reload),
    enrollmentPanel(household, reload),
    h('section', { class: 'panel' }, h('h2', {}, '记录'), h('ol', { class: 'timeline', id: 'survey-history' }, (history.events || []).map((e) =>
      h('li', { class: e.event }, h('div', { class: 'when' }, `${formatTime(e.at)} · ${e.actor_name || e.actor.replace(/^user /, '')}`),
        h('div', { class: 'what' }, settings.labels[e.event] || { add: '列入名单', found_on_the_way: '走访中发现', open_enrollment: '启动识别纳入' }[e.event] || e.event),
        e.note && e.event === 'send_back' ? h('div', { class: 'note' }, `原因：${e.note}`) : null,
        e.note && e.event === 'spot_check' ? h('div', { class: 'note' }, `意见：${e.note}`) : null)))));
}
