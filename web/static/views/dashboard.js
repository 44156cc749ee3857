// 工作看板 for the leading group, the supervisors and the office: the campaign timeline, the
// burn-down toward clearing by 10-31, each unit's on time / overdue / sent back, each area's
// progress, the two enrollment targets and the ledger hand-in, from GET /api/dashboard.
// A supervisor also gets the overdue items, each a tap away from its 督办 button.
import { api, ApiError, withQuery } from '../api.js';
import { h, show, formatTime } from '../dom.js';
import { session, hasRole } from '../session.js';
import { timelineChart, burndownChart, unitBarsChart, areaProgressChart, enrollmentGauges } from './charts.js';
import { itemCard } from './item_card.js';

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
      h('td', {}, l.overdue ? '逾期未报' : l.confirmed_at ? '已确认' : l.submitted_at ? '待确认' : '未报送'))))));
}

async function supervisionList() {
  const answer = await api.get('/api/overdue?limit=100');
  const items = answer.items || [];
  return h('section', { class: 'chart full', id: 'supervise-list' },
    h('h2', {}, `逾期事项（${items.length}）· 点开可督办`),
    items.length ? h('ul', { class: 'cards wide' }, items.map((item) => itemCard(item))) : h('p', { class: 'empty' }, '暂无逾期事项。'));
}

export async function renderDashboard(main) {
  const today = (session.now || '').slice(0, 10);
  let data;
  try {
    data = await api.get(withQuery('/api/dashboard', { as_of: session.now }));
  } catch (error) {
    if (!(error instanceof ApiError && error.noRoute)) throw error;
    data = null;
  }
  const charts = [];
  const deadlines = data && Array.isArray(data.deadlines) ? data.deadlines : campaignDeadlines();
  const phases = data && Array.isArray(data.phases) ? data.phases : session.campaign.phases;
  charts.push(chart('行动时间轴', timelineChart({ phases, deadlines, today: (data && data.as_of) || session.now }),
    h('ol', { class: 'legend', id: 'deadline-list' }, deadlines.map((d) => h('li', {}, `${formatTime(d.at)} ${d.name}`))), true));
  if (!data) {
    charts.push(h('p', { class: 'notice full' }, '本服务器尚未提供统计数据（/api/dashboard），暂只显示时间轴。'));
  } else {
    const points = Array.isArray(data.burndown) ? data.burndown : [];
    // The problems' default deadline is the date they must all be cleared by.
    const cleared = (session.campaign.deadlines || []).find((d) => d.applies_to === 'problem' && d.item_default && d.at);
    charts.push(chart('未销号问题燃尽图', burndownChart({ points, target: cleared ? cleared.at : null, today: data.as_of || session.now }),
      legend([['line-key', '未销号问题数'], ['ideal-key', '虚线：按期清零的理想进度']])));
    charts.push(chart('各单位办理情况', unitBarsChart(Array.isArray(data.units) ? data.units : []),
      legend([['on-time', '按期'], ['overdue', '逾期'], ['sent-back', '退回整改']])));
    charts.push(chart('各领域整改进度', areaProgressChart(Array.isArray(data.areas) ? data.areas : [])));
    const e = data.enrollment || {};
    charts.push(chart('识别纳入（目标均为 100%）', enrollmentGauges(e),
      h('p', { class: 'meta' }, `识别纳入申请共 ${Number(e.total) || 0} 户`)));
    charts.push(chart('问题排查整改台账报送（10月26日下班前）', ledgerTable(Array.isArray(data.ledgers) ? data.ledgers : []), null, true));
  }
  if (hasRole('supervisor')) charts.push(await supervisionList());
  show(main, h('h1', {}, `工作看板 · ${today}`), h('div', { class: 'charts', id: 'dashboard' }, charts));
}
