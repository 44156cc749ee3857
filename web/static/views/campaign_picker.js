// 选择行动: the campaigns the user may see (GET /api/campaigns), each with its town, current
// phase and headline figures; a tap chooses it. Shown after login when there are several, and
// whenever the user switches from the header.
import { h, show, formatDate } from '../dom.js';
import { session } from '../session.js';

// "排查整改（10月12日—10月31日）" (`short`: "排查整改（至10月31日）"), every phase of the day when
// they overlap ("组织实施（至10月31日）·检查验收（至11月10日）"), or where the campaign stands when
// no phase is current.
export function phaseText(summary, asOf, short = false) {
  const inForce = summary && summary.phases_in_force && summary.phases_in_force.length
    ? summary.phases_in_force : [summary && summary.phase].filter(Boolean);
  if (inForce.length) {
    return inForce.map((phase) => `${phase.name}（${short ? '至' : `${formatDate(phase.start)}—`}${formatDate(phase.end)}）`).join('·');
  }
  if (!summary) return '';
  if (summary.ended) return '已结束';
  if (summary.start && asOf && String(asOf).slice(0, 10) < summary.start) return `未开始（${formatDate(summary.start)}起）`;
  return '—';
}

function figure(key, name, value, alarm) {
  return h('div', { class: `count${alarm && value > 0 ? ' overdue' : ''}`, 'data-figure': key }, h('b', {}, String(value ?? 0)), h('span', {}, name));
}

function campaignCard(summary, asOf, choose) {
  const f = summary.figures || {};
  const chosen = session.summary && session.summary.id === summary.id;
  return h('li', { class: `card campaign-card${chosen ? ' chosen' : ''}`, 'data-campaign': summary.id },
    h('div', { class: 'card-body' },
      h('button', { type: 'button', class: 'card-title campaign-choose', onclick: () => choose(summary.id) }, summary.name),
      h('div', { class: 'meta' },
        h('span', { class: 'campaign-town' }, summary.town_name || summary.town),
        h('span', { class: 'campaign-phase' }, `阶段：${phaseText(summary, asOf)}`),
        chosen ? h('span', { class: 'badge state' }, '当前') : null),
      h('div', { class: 'counts campaign-figures' },
        figure('problems', '问题数', f.problems),
        figure('open', '未销号', f.open),
        figure('overdue', '逾期', f.overdue, true))));
}

// `list` is the answer of GET /api/campaigns; `choose(id)` enters a campaign.
export function renderCampaignPicker(main, list, choose) {
  const campaigns = list.campaigns || [];
  show(main,
    h('h1', {}, '选择行动'),
    campaigns.length
      ? h('ul', { class: 'cards wide', id: 'campaign-list' }, campaigns.map((c) => campaignCard(c, list.as_of, choose)))
      : h('p', { class: 'notice', id: 'no-campaigns' }, '您的账号暂无可查看的行动，请联系办公室。'));
}
