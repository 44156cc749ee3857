// 入户核查: the households a village must visit (附件2), how far it has come against the deadline,
// and, for those who may plan the survey, the list imported from a file or a household added.
//   GET  /api/survey                                  the form's choices, labels and deadline
//   GET  /api/survey/coverage                         per village and town-wide
//   GET  /api/survey/households?village=&state=      the list (the server narrows it to the caller)
//   POST /api/survey/households/import?dry_run=1      a CSV or XLSX list
//   POST /api/survey/households                       one household found on the way
import { api, describeError, withQuery, campaignPath } from '../api.js';
import { describeRowError } from '../errors.js';
import { h, show, toast, formatTime, showFormError, clearFormError } from '../dom.js';
import { session, hasRole, mayDo, unitName } from '../session.js';

const kMaxListBytes = 1024 * 1024;
// Households that need the village first: sent back, then not yet visited, then the rest.
const ORDER = { sent_back: 0, to_visit: 1, recorded: 2, spot_checked: 3 };

// By campaign: the settings are the campaign's, and the user may switch campaigns.
const settingsCache = new Map();
export async function surveySettings() {
  const path = campaignPath('/survey');
  if (!settingsCache.has(path)) settingsCache.set(path, await api.get(path));
  return settingsCache.get(path);
}

function isVillageMember() {
  const unit = session.me.user.unit;
  return hasRole('unit_member') && session.campaign.units.some((u) => u.id === unit && u.kind === 'village');
}

// Whether the survey tab is for this user: the villages, and those who see every village.
export function surveyTabShown() { return isVillageMember() || session.me.sees_all; }

function householdCard(household) {
  const urgent = household.state === 'sent_back' ? 'overdue' : household.state === 'to_visit' ? 'due-soon' : 'done';
  return h('li', { class: `card ${urgent}`, 'data-state': household.state, 'data-id': household.id },
    h('div', { class: 'card-body' },
      h('a', { class: 'card-title', href: `#/survey/${household.id}` },
        `${household.head_name}${household.group ? `（${household.group}）` : ''}`),
      h('div', { class: 'meta' },
        h('span', { class: 'badge state' }, household.state_label),
        h('span', {}, household.household_type_name),
        h('span', {}, household.priority_name),
        session.me.sees_all ? h('span', {}, household.village_name) : null,
        household.visit && household.visit.conclusion === 'risk_found' ? h('span', { class: 'badge overdue' }, '发现风险') : null)));
}

function coverageCounts(coverage) {
  const t = coverage.total;
  const counts = [
    ['households', '名单户数', t.households],
    ['visited', '已走访', t.visited],
    ['unvisited', '未完成', t.unvisited],
    ['risks', '发现风险', t.risks_found],
    ['enrollments', '已启动纳入', t.enrollments_opened],
  ];
  return h('div', { class: 'counts', id: 'survey-counts' }, counts.map(([key, name, n]) =>
    h('div', { class: `count ${key === 'unvisited' && n > 0 ? (coverage.late ? 'overdue' : 'due-soon') : ''}`, 'data-count': key },
      h('b', {}, String(n)), h('span', {}, name))));
}

// The import panel: a dry run shows every row and every error; only a clean file is stored.
function importPanel(onDone) {
  const file = h('input', { type: 'file', id: 'survey-import-file', accept: '.csv,text/csv,.xlsx' });
  const result = h('div', { id: 'survey-import-result' });
  let payload = '';
  let contentType = 'text/csv; charset=utf-8';
  const confirm = h('button', { type: 'button', class: 'primary', id: 'survey-import-confirm', hidden: true, onclick: async () => {
    confirm.disabled = true;
    try {
      const answer = await api.post(campaignPath('/survey/households/import'), payload, { 'Content-Type': contentType });
      toast(`已导入 ${answer.stored} 户`);
      onDone();
    } catch (error) {
      show(result, h('p', { class: 'error-box' }, describeError(error)));
      confirm.disabled = false;
    }
  } }, '确认导入');
  file.addEventListener('change', async () => {
    confirm.hidden = true;
    const chosen = file.files[0];
    if (!chosen) return;
    if (chosen.size > kMaxListBytes) return show(result, h('p', { class: 'error-box' }, '文件超过 1 MB，请分批导入。'));
    if (/\.xlsx$/i.test(chosen.name)) {
      payload = chosen;
      contentType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    } else {
      const bytes = await chosen.arrayBuffer();
      try { payload = new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch { payload = new TextDecoder('gbk').decode(bytes); }
      contentType = 'text/csv; charset=utf-8';
    }
    show(result, h('p', { class: 'loading' }, '正在检查…'));
    try {
      const answer = await api.post(campaignPath('/survey/households/import?dry_run=1'), payload, { 'Content-Type': contentType });
      const listed = answer.already_listed.length ? `另有 ${answer.already_listed.length} 户已在名单中，将跳过。` : '';
      show(result,
        answer.valid
          ? h('p', { class: 'meta', id: 'survey-import-summary' }, `共 ${answer.rows.length} 户通过检查。${listed}`)
          : h('p', { class: 'error-box', id: 'survey-import-summary' }, `${answer.errors.length} 行有错误，整个文件都不会导入，请修改后重新选择。`),
        answer.errors.length ? h('ul', { id: 'survey-import-errors' }, answer.errors.map((e) =>
          h('li', { 'data-line': e.line }, `第${e.line}行${e.column ? `「${e.column}」` : ''}：${describeRowError(e)}`))) : null);
      confirm.textContent = `确认导入 ${answer.rows.length} 户`;
      confirm.hidden = !answer.valid || answer.rows.length === 0;
    } catch (error) {
      show(result, h('p', { class: 'error-box' }, describeError(error)));
    }
  });
  return h('details', { class: 'panel', id: 'survey-import' }, h('summary', {}, '导入走访名单'),
    h('p', { class: 'meta' }, '第一行为列名：户主姓名、户类型、核查原因（必填），组、联系电话、身份证号码、备注（可选）；',
      session.me.sees_all ? '全镇导入时须有「村」列。' : '不填「村」列即为本村。', '已在名单中的农户不会重复导入。'),
    h('label', { for: 'survey-import-file' }, 'Excel（.xlsx）或 CSV 文件'), file, result,
    h('div', { class: 'form-actions' }, confirm));
}

// A household found on the way (not on the imported list).
function addPanel(settings, onDone) {
  const village = h('select', { id: 'survey-add-village', 'data-field': 'village' }, session.campaign.units
    .filter((u) => u.kind === 'village' && (session.me.sees_all || u.id === session.me.user.unit))
    .map((u) => h('option', { value: u.id }, u.name)));
  const head = h('input', { type: 'text', id: 'survey-add-head', 'data-field': 'head_name', maxlength: 50 });
  const group = h('input', { type: 'text', id: 'survey-add-group', 'data-field': 'group', maxlength: 50, placeholder: '如：3组' });
  const type = h('select', { id: 'survey-add-type', 'data-field': 'household_type' }, settings.household_types.map((c) => h('option', { value: c.id }, c.name)));
  const priority = h('select', { id: 'survey-add-priority', 'data-field': 'priority' }, settings.priorities.map((c) => h('option', { value: c.id }, c.name)));
  const phone = h('input', { type: 'tel', id: 'survey-add-phone', 'data-field': 'phone', inputmode: 'tel' });
  const error = h('p', { class: 'error-box', hidden: true });
  const send = h('button', { type: 'submit', class: 'primary', id: 'survey-add-send' }, '加入名单');
  const form = h('form', { id: 'survey-add-form' },
    village.options.length > 1 ? [h('label', { for: 'survey-add-village' }, '所在村'), village] : null,
    h('label', { for: 'survey-add-head' }, '户主姓名'), head,
    h('label', { for: 'survey-add-group' }, '村民小组'), group,
    h('label', { for: 'survey-add-type' }, '户类型'), type,
    h('label', { for: 'survey-add-priority' }, '核查原因'), priority,
    h('label', { for: 'survey-add-phone' }, '联系电话（可选）'), phone,
    error, h('div', { class: 'form-actions' }, send));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    // A second tap while the first is on its way would put the household on the list twice.
    if (send.disabled) return;
    clearFormError(form, error);
    send.disabled = true;
    try {
      const body = { village: village.value, head_name: head.value.trim(), group: group.value.trim(),
        household_type: type.value, priority: priority.value };
      if (phone.value.trim()) body.phone = phone.value.trim();
      const added = await api.post(campaignPath('/survey/households'), body);
      toast('已加入走访名单');
      onDone(added);
    } catch (err) {
      showFormError(form, error, describeError(err), err.field);
    } finally {
      send.disabled = false;
    }
  });
  return h('details', { class: 'panel', id: 'survey-add' }, h('summary', {}, '新增农户（走访中发现）'), form);
}

export async function renderSurvey(main) {
  const settings = await surveySettings();
  const villages = session.campaign.units.filter((u) => u.kind === 'village');
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const village = session.me.sees_all ? params.get('village') || '' : session.me.user.unit;
  // The inspection group starts from what awaits a spot check.
  const state = params.get('state') || (hasRole('inspector') && !params.has('state') ? 'recorded' : '');
  const [coverage, list] = await Promise.all([
    api.get(campaignPath('/survey/coverage')),
    api.get(withQuery(campaignPath('/survey/households'), { village: session.me.sees_all ? village : '', state, limit: 500 })),
  ]);
  const households = list.households.sort((a, b) => (ORDER[a.state] ?? 9) - (ORDER[b.state] ?? 9) || a.id - b.id);
  const reload = () => renderSurvey(main);
  const filters = session.me.sees_all ? h('div', { class: 'filters' },
    h('div', {}, h('label', { for: 'survey-village' }, '村'), h('select', { id: 'survey-village', onchange: (e) => {
      location.hash = `#/survey?${new URLSearchParams({ village: e.target.value, state }).toString()}`;
    } }, h('option', { value: '' }, '全镇'), villages.map((u) => h('option', { value: u.id, selected: u.id === village }, u.name)))),
    h('div', {}, h('label', { for: 'survey-state' }, '状态'), h('select', { id: 'survey-state', onchange: (e) => {
      location.hash = `#/survey?${new URLSearchParams({ village, state: e.target.value }).toString()}`;
    } }, h('option', { value: '' }, '全部'), settings.states.map((s) => h('option', { value: s, selected: s === state }, settings.labels[s] || s))))) : null;
  const lineOf = (v) => h('tr', { 'data-village': v.village },
    h('td', {}, v.village_name), h('td', {}, String(v.households)), h('td', {}, String(v.visited)),
    h('td', {}, String(v.unvisited)), h('td', {}, String(v.risks_found)), h('td', {}, String(v.enrollments_opened)));
  show(main,
    h('h1', {}, `入户核查${session.me.sees_all ? '' : ` · ${unitName(session.me.user.unit)}`}`),
    h('p', { class: coverage.late ? 'error-box' : 'meta', id: 'survey-due' },
      `${formatTime(coverage.due)}前完成全部入户核查（附件2）${coverage.late ? '：已逾期，尚有农户未完成' : ''}`),
    coverageCounts(coverage),
    session.me.sees_all ? h('details', { class: 'panel' }, h('summary', {}, '各村进度'), h('div', { class: 'table-wrap' },
      h('table', { id: 'survey-coverage' }, h('thead', {}, h('tr', {}, ['村', '名单', '已走访', '未完成', '发现风险', '启动纳入'].map((t) => h('th', {}, t)))),
        h('tbody', {}, coverage.villages.map(lineOf))))) : null,
    mayDo('plan_survey') ? [importPanel(reload), addPanel(settings, (added) => { location.hash = `#/survey/${added.id}`; })] : null,
    filters,
    households.length
      ? h('ul', { class: 'cards wide', id: 'survey-households' }, households.map(householdCard))
      : h('p', { class: 'empty', id: 'survey-empty' }, '暂无需要走访的农户。'),
    h('p', { class: 'row' }, h('a', { id: 'survey-export', href: withQuery(campaignPath('/exports/visits.xlsx'), { village: session.me.sees_all ? village : session.me.user.unit }), download: '' },
      '下载附件2 入户核查汇总表（Excel）'),
    h('a', { id: 'survey-export-csv', href: withQuery(campaignPath('/exports/visits.csv'), { village: session.me.sees_all ? village : session.me.user.unit }), download: '' }, 'CSV')));
}
