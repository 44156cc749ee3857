// 全县汇总 (a town's office or leader: 汇总): per town and campaign, what is open, overdue, closed
// on time or late, sent back, and the ledgers handed in, from GET /api/rollup. A campaign's name
// drills down into its dashboard.
import { api, withQuery } from '../api.js';
import { h, show, formatDate } from '../dom.js';
import { session } from '../session.js';
import { phaseText } from './campaign_picker.js';

// A county-level user oversees every town; a town's user only their own.
export function rollupTitle() { return session.me && session.me.user.town ? '汇总' : '全县汇总'; }

const COLUMNS = [
  ['open', '未销号'], ['overdue', '逾期'], ['closed_on_time', '按时销号'], ['closed_late', '超期销号'], ['send_backs', '退回次数'],
];

function figureCells(f) {
  return [
    ...COLUMNS.map(([key]) => h('td', { class: 'num', 'data-figure': key }, String((f && f[key]) ?? 0))),
    h('td', { class: 'num', 'data-figure': 'ledgers' }, `${(f && f.ledgers_handed_in) ?? 0}/${(f && f.ledgers_due) ?? 0}`),
  ];
}

function campaignRow(town, summary, asOf, drill) {
  const open = (event) => { event.preventDefault(); drill(summary.id); };
  const classes = [summary.figures && summary.figures.overdue > 0 ? 'bad' : '', summary.ended ? 'ended' : ''].join(' ').trim();
  return h('tr', { 'data-campaign': summary.id, 'data-ended': summary.ended ? 'true' : null, class: classes || null },
    h('td', {}, town.name),
    h('td', {}, h('a', { href: '#/dashboard', class: 'drill', onclick: open }, summary.name)),
    h('td', {}, phaseText(summary, asOf)),
    figureCells(summary.figures));
}

function totalRow(name, figures, attrs) {
  return h('tr', { class: 'total', ...attrs }, h('th', { colspan: 3, scope: 'row' }, name), figureCells(figures));
}

// `drill(id)` switches to that campaign and opens its dashboard.
export async function renderRollup(main, drill) {
  const rollup = await api.get(withQuery('/api/rollup', { as_of: session.now }));
  const towns = rollup.towns || [];
  const rows = towns.flatMap((town) => [
    ...(town.campaigns || []).map((c) => campaignRow(town, c, rollup.as_of, drill)),
    (town.campaigns || []).length > 1 ? totalRow(`${town.name} 合计`, town.total, { 'data-town': town.id }) : null,
  ]);
  if (towns.length > 1) rows.push(totalRow(`${rollup.county_name || '全县'} 合计`, rollup.total, { id: 'rollup-total' }));
  const where = session.me.user.town ? session.me.user.town_name : rollup.county_name;
  show(main,
    h('h1', {}, `${rollupTitle()}${where ? ` · ${where}` : ''} · ${formatDate(rollup.as_of)}`),
    towns.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'rollup-table' },
      h('thead', {}, h('tr', {}, ['镇', '行动', '阶段'].map((t) => h('th', {}, t)),
        [...COLUMNS.map(([, name]) => name), '台账已报/应报'].map((t) => h('th', { class: 'num' }, t)))),
      h('tbody', {}, rows))) : h('p', { class: 'empty' }, '暂无可汇总的行动。'),
    towns.some((town) => (town.campaigns || []).some((c) => c.ended))
      ? h('p', { class: 'hint', id: 'rollup-ended-hint' }, '合计只计未结束的行动：已结束行动的未销号问题由回头看转入后续行动，在那里计数。')
      : null,
    h('p', { class: 'hint' }, '点击行动名称可查看该行动的工作看板。'));
}
