// 工作看板 for the leading group, the supervisors and the office: the campaign timeline, the
// burn-down toward clearing by 10-31, each unit's on time / overdue / sent back and its three
// 督办 rates, each area's
// progress, the two enrollment targets, the household survey and the ledger hand-in, from GET /api/dashboard.
// A supervisor also gets the overdue items, each a tap away from its 督办 button.
import { api, ApiError, describeError, withQuery, campaignPath } from '../api.js';
import { h, show, formatTime, formatDate } from '../dom.js';
import { session, hasRole } from '../session.js';
import { timelineChart, burndownChart, unitBarsChart, areaProgressChart, enrollmentGauges } from './charts.js';
import { itemCard } from './item_card.js';
import { ledgerStatusText } from './ledgers.js';

function chart(title, svg, extra, full) {
  return h('section', { class: `chart${full ? ' full' : ''}` }, h('h2', {}, title), svg, extra || null);
}

function legend(entries) {
  return h('div', { class: 'legend' }, entries.map(([cls, name]) => h('span', {}, h('i', { class: cls }), name)));
}

// The campaign's fixed deadlines, when the dashboard does not list them.
function campaignDeadlines() {
  return (session.campaign.deadlines || []).filter((d) => d.kind === 'fixed' && d.at).map((d) => ({ id: d.id, name: d.name, at: d.at }));
}

function ledgerTable(ledgers) {
  if (!ledgers.length) return h('p', { class: 'empty' }, '暂无台账报送记录。');
  return h('div', { class: 'table-wrap' }, h('table', { id: 'ledger-table' },
    h('thead', {}, h('tr', {}, ['单位', '报送时间', '办公室确认', '状态'].map((t) => h('th', {}, t)))),
    h('tbody', {}, ledgers.map((l) => h('tr', { class: l.overdue ? 'bad' : null },
      h('td', {}, l.unit_name || l.unit || ''), h('td', {}, formatTime(l.submitted_at)), h('td', {}, formatTime(l.confirmed_at)),
      h('td', {}, ledgerStatusText(l)))))));
}

// 督办三率 per unit: 按时签收率, 按时办结率, 发回重办率, each charged to the unit that held the
// item at the time ("—" where nothing is judged yet), and its open items per warning tier.
function ratesTable(rates) {
  if (!rates.length) return h('p', { class: 'empty' }, '暂无承办事项。');
  const tiers = session.campaign.warning_tiers || [];
  const pct = (v) => (v === null || v === undefined ? '—' : `${Math.round(Number(v) * 1000) / 10}%`);
  const cell = (rate, good, judged) => h('td', {}, `${pct(rate)}（${good}/${judged}）`);
  return h('div', { class: 'table-wrap' }, h('table', { id: 'rates-table' },
    h('thead', {}, h('tr', {}, ['单位', '按时签收率', '按时办结率', '发回重办率', ...tiers.map((t) => t.name), '无法按期完成'].map((t) => h('th', {}, t)))),
    h('tbody', {}, rates.map((r) => h('tr', { 'data-unit': r.unit },
      h('td', {}, r.unit_name || r.unit),
      cell(r.on_time_sign_for_rate, r.signed_on_time, r.sign_for_judged),
      cell(r.on_time_close_rate, r.closed_on_time, r.close_judged),
      cell(r.sent_back_rate, r.sent_back, r.held),
      tiers.map((t) => h('td', { 'data-tier': t.id }, String((r.tiers || {})[t.id] ?? 0))),
      h('td', { class: r.cannot_finish ? 'bad' : null, 'data-cannot-finish': '' }, String(r.cannot_finish ?? 0)))))));
}

// Problems per source: the plan names how many each feedback gave (13, 11, 5).
function sourcesTable(sources) {
  return h('div', { class: 'table-wrap' }, h('table', { id: 'sources-table' },
    h('thead', {}, h('tr', {}, ['问题来源', '应录入', '已录入', '已销号', '逾期'].map((t) => h('th', {}, t)))),
    h('tbody', {}, sources.map((s) => h('tr', { 'data-source': s.source, class: s.expected !== null && s.expected !== undefined && s.total < s.expected ? 'bad' : null },
      [s.name, s.expected ?? '—', s.total, s.closed, s.overdue].map((x) => h('td', {}, String(x))))))));
}

async function supervisionList() {
  const answer = await api.get(campaignPath('/overdue?limit=100'));
  const items = answer.items || [];
  return h('section', { class: 'chart full', id: 'supervise-list' },
    h('h2', {}, `逾期事项（${items.length}）· 点开可督办`),
    items.length ? h('ul', { class: 'cards wide' }, items.map((item) => itemCard(item))) : h('p', { class: 'empty' }, '暂无逾期事项。'));
}

// The dashboard's answer in one shape. The server nests the timeline and the burn-down
// ({timeline: {today, phases, deadlines}, burn_down: {clear_by, points}}, enrollment shares as
// share_within_limit / share_with_measures, ledgers as {units: [...]}); flatter spellings are
// read too, and anything missing falls back to the campaign or to nothing.
export function normalizeDashboard(data) {
  const arr = (v) => (Array.isArray(v) ? v : []);
  const timeline = data.timeline || {};
  const burn = data.burn_down || {};
  const e = data.enrollment || {};
  const pick = (...values) => values.find((v) => v !== undefined && v !== null);
  const ledgers = Array.isArray(data.ledgers) ? { units: data.ledgers } : data.ledgers || {};
  return {
    today: pick(timeline.today, data.as_of, session.now),
    phases: arr(pick(timeline.phases, data.phases, session.campaign.phases)),
    deadlines: arr(pick(timeline.deadlines, data.deadlines)),
    burndown: arr(pick(burn.points, data.burndown)),
    clearBy: pick(burn.clear_by, data.clear_by),
    units: arr(data.units),
    areas: arr(data.areas),
    enrollment: {
      total: pick(e.proposed, e.total, 0),
      enrolled: e.enrolled,
      within: pick(e.share_within_limit, e.within_two_months_share),
      measures: pick(e.share_with_measures, e.help_measures_share),
    },
    ledgers: { due: ledgers.due, units: arr(ledgers.units) },
  };
}

// The items the server left out of the figures because a date of theirs cannot be computed
// (a database written before dates were checked): listed, so the office corrects them.
const FIELD_NAMES = { deadline: '办理时限', due_at: '当前办理时限', risk_found_on: '风险发现时间', entered_on: '纳入监测时间' };
function dataErrorList(errors) {
  return h('section', { class: 'chart full', id: 'data-errors' },
    h('h2', {}, `数据错误（${errors.length}项，未计入统计）`),
    h('ul', { class: 'notice' }, errors.map((e) => h('li', {},
      `${e.kind === 'problem' ? '问题' : '监测纳入申请'} ${e.id}「${e.title || ''}」：` +
      (e.value ? `${FIELD_NAMES[e.field] || e.field} ${e.value} 超出节假日日历的年份` : '无法计算')))));
}

// The household survey beside the enrollment targets: each village's list against the deadline.
function surveyTable(survey) {
  const pct = (v) => (v === null || v === undefined ? '—' : `${Math.round(Number(v) * 100)}%`);
  const t = survey.total || {};
  return chart(`入户核查（附件2，${formatTime(survey.due)}前完成）`, h('div', {},
    h('p', { class: survey.late ? 'error-box' : 'meta', id: 'survey-summary' },
      `已走访 ${t.visited ?? 0} / ${t.households ?? 0} 户（${pct(t.share_visited)}），发现风险 ${t.risks_found ?? 0} 户，已启动纳入 ${t.enrollments_opened ?? 0} 户，已纳入 ${t.enrolled ?? 0} 户，帮扶措施到位 ${t.with_measures ?? 0} 户${survey.late ? '；已逾期，尚有农户未完成核查' : ''}`),
    h('div', { class: 'table-wrap' }, h('table', { id: 'survey-table' },
      h('thead', {}, h('tr', {}, ['村', '名单', '已走访', '未完成', '发现风险', '启动纳入', '已纳入', '措施到位'].map((x) => h('th', {}, x)))),
      h('tbody', {}, (survey.villages || []).map((v) => h('tr', { class: survey.late && v.unvisited ? 'bad' : null },
        [v.village_name, v.households, v.visited, v.unvisited, v.risks_found, v.enrollments_opened, v.enrolled, v.with_measures]
          .map((x) => h('td', {}, String(x ?? ''))))))))), null, true);
}

// The dashboard and the scores of an ended campaign are its record at its end, which the server
// gives when no as_of is asked for; a running campaign's are as of the server's now.
function recordAsOf() {
  return session.summary && session.summary.ended ? undefined : session.now;
}

async function scoresTable() {
  let answer;
  try {
    answer = await api.get(withQuery(campaignPath('/scores'), { as_of: recordAsOf() }));
  } catch (error) {
    if (error instanceof ApiError && (error.noRoute || error.status === 403)) return null;
    // The scores failing is no reason to lose the rest of the dashboard.
    return chart('各村实效考核得分', h('p', { class: 'notice' }, `得分暂无法计算：${describeError(error)}`), null, true);
  }
  const villages = Array.isArray(answer.villages) ? answer.villages : [];
  const pct = (v) => (v === null || v === undefined ? '—' : `${Math.round(Number(v) * 100)}%`);
  return chart('各村实效考核得分', villages.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'scores-table' },
    h('thead', {}, h('tr', {}, ['名次', '村', '得分', '按期整改率', '退回次数', '逾期工作日', '2个月内纳入率'].map((t) => h('th', {}, t)))),
    h('tbody', {}, villages.map((v) => h('tr', {},
      h('td', {}, String(v.rank ?? '')), h('td', {}, v.village_name || v.village || ''), h('td', {}, String(v.score ?? '—')),
      h('td', {}, pct(v.on_time_rate)), h('td', {}, String(v.send_backs ?? 0)), h('td', {}, String(v.overdue_working_days ?? 0)),
      h('td', {}, pct(v.enrollment_rate))))))) : h('p', { class: 'empty' }, '暂无得分。'), null, true);
}

export async function renderDashboard(main) {
  let data;
  try {
    data = await api.get(withQuery(campaignPath('/dashboard'), { as_of: recordAsOf() }));
  } catch (error) {
    if (!(error instanceof ApiError && error.noRoute)) throw error;
    data = null;
  }
  const d = normalizeDashboard(data || {});
  // Charts are drawn at the width they are shown at, so their text is the page's size.
  const padding = parseFloat(getComputedStyle(main).paddingLeft) || 0;
  const full = Math.max(280, main.clientWidth - 2 * padding - 30);
  const half = window.matchMedia('(min-width: 760px)').matches ? Math.max(280, (full - 43) / 2) : full;
  if (!d.deadlines.length) d.deadlines = campaignDeadlines();
  const charts = [];
  charts.push(chart('行动时间轴', timelineChart({ phases: d.phases, deadlines: d.deadlines, today: d.today, width: full }),
    h('ul', { class: 'deadline-list', id: 'deadline-list' }, d.deadlines.map((x, i) =>
      h('li', {}, `${'①②③④⑤⑥⑦⑧⑨'[i] || i + 1} ${formatTime(x.at)} ${x.name}`))), true));
  if (!data) {
    charts.push(h('p', { class: 'notice full' }, '本服务器尚未提供统计数据（/api/dashboard），暂只显示时间轴。'));
  } else {
    // The problems' default deadline is the instant they must all be cleared by.
    const cleared = (session.campaign.deadlines || []).find((x) => x.applies_to === 'problem' && x.item_default && x.at);
    charts.push(chart('未销号问题燃尽图', burndownChart({ points: d.burndown, target: d.clearBy || (cleared && cleared.at), today: d.today, width: half }),
      legend([['line-key', '未销号问题数'], ['ideal-key', '虚线：按期清零的理想进度']])));
    charts.push(chart('各单位办理情况', unitBarsChart(d.units, half),
      legend([['on-time', '按期'], ['overdue', '逾期未销号'], ['closed-late', '逾期销号'], ['sent-back', '细条：曾退回整改']])));
    charts.push(chart('各领域整改进度', areaProgressChart(d.areas, half)));
    if (Array.isArray(data.sources) && data.sources.length) {
      charts.push(chart('各来源问题整改情况', sourcesTable(data.sources), null, true));
    }
    if (Array.isArray(data.rates)) {
      charts.push(chart('督办三率与预警（按时签收率、按时办结率、发回重办率；各级预警事项数）', ratesTable(data.rates),
        h('p', { class: 'meta' }, '签收、退回均计入当时的承办单位；括号内为达标数/评判数。'), true));
    }
    charts.push(chart('识别纳入（目标均为 100%）', enrollmentGauges({ within_two_months_share: d.enrollment.within, help_measures_share: d.enrollment.measures }, half),
      h('p', { class: 'meta' }, `拟纳入 ${Number(d.enrollment.total) || 0} 户${d.enrollment.enrolled !== undefined ? `，已纳入 ${d.enrollment.enrolled} 户` : ''}`)));
    if (data.survey) charts.push(surveyTable(data.survey));
    charts.push(chart(`问题排查整改台账报送${d.ledgers.due ? `（${formatTime(d.ledgers.due)}）` : ''}`, ledgerTable(d.ledgers.units), null, true));
    const scores = await scoresTable();
    if (scores) charts.push(scores);
    if (Array.isArray(data.data_errors) && data.data_errors.length) charts.push(dataErrorList(data.data_errors));
  }
  if (hasRole('supervisor')) charts.push(await supervisionList());
  show(main, h('h1', {}, `工作看板 · ${formatDate(d.today)}`), h('div', { class: 'charts', id: 'dashboard' }, charts));
}
