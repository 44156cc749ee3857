// One item as a card in a list: the same on a phone and a desktop. Overdue is red, due within
// the campaign's due-soon window (3 working days) amber, done green.
import { h, formatTime, formatDate } from '../dom.js';
import { isNew } from '../news.js';
import { label, statePath, unitName, areaName, KIND_NAMES, session } from '../session.js';

export function itemKey(item) { return `${item.kind}/${item.id}`; }

const DONE = new Set(['verified', 'closed']);

// 'overdue', 'due-soon', 'done' or ''.
export function urgencyOf(item, dueSoonKeys) {
  // Carried on (回头看): nothing more is done with it here, as with a closed one.
  if (DONE.has(item.state) || item.carried_to) return 'done';
  if (item.overdue) return 'overdue';
  if (dueSoonKeys && dueSoonKeys.has(itemKey(item))) return 'due-soon';
  return '';
}

// The overall deadline as the forms write it: "延期至…（原时限…）" once an extension was approved.
export function deadlineText(item) {
  if (!item.original_deadline) return formatTime(item.deadline);
  return `延期至${formatTime(item.deadline)}（原时限${formatTime(item.original_deadline)}）`;
}

// The overall deadline's name: a problem is rectified by it (整改时限), a household enrolled by
// it (纳入时限, as the notifier's digest says).
export function deadlineLabel(item) { return item.kind === 'enrollment' ? '纳入时限' : '整改时限'; }

// How a closed enrollment ended: enrolled (纳入监测, with the day it was entered in the national
// system) or not eligible (with what the household was told); null before it is closed.
const OUTCOME_NAMES = { enrolled: '纳入监测', not_eligible: '不符合条件' };
export function outcomeName(item) { return item.outcome ? OUTCOME_NAMES[item.outcome.result] || item.outcome.result : null; }
export function outcomeText(item) {
  const o = item.outcome;
  if (!o) return null;
  if (o.result === 'enrolled') return `${outcomeName(item)}（${formatDate(o.entered_on)}录入全国防返贫监测信息系统）`;
  return o.explanation ? `${outcomeName(item)}：${o.explanation}` : outcomeName(item);
}

// What the deadline in force is when it is not the overall one: the sign-for limit (签收时限)
// or a step's limit (本环节时限).
export function dueLabel(item) {
  const rule = (session.campaign.deadlines || []).find((d) => d.id === item.due_rule);
  return rule && rule.from === 'sign_for_requested' ? '签收时限' : '本环节时限';
}

// Whether the item can no longer make its deadline (feasibility, engine/feasibility.h).
export function cannotFinish(item) { return Boolean(item.feasibility && item.feasibility.in_time === false); }

// Overdue first, then due soon, then by the deadline in force; done items last. A unit's own
// list puts what awaits its signature (待签收) before everything else, then what can no longer
// finish in time (while an extension may still be asked for).
export function byUrgency(dueSoonKeys, { unsignedFirst = false } = {}) {
  const rank = { overdue: 0, 'due-soon': 1, '': 2, done: 3 };
  return (a, b) => {
    if (unsignedFirst && !a.sign_for !== !b.sign_for) return a.sign_for ? -1 : 1;
    if (unsignedFirst && cannotFinish(a) !== cannotFinish(b)) return cannotFinish(a) ? -1 : 1;
    const d = rank[urgencyOf(a, dueSoonKeys)] - rank[urgencyOf(b, dueSoonKeys)];
    if (d) return d;
    const da = a.due_at || a.deadline || '9999';
    const db = b.due_at || b.deadline || '9999';
    return da < db ? -1 : da > db ? 1 : a.id - b.id;
  };
}

// `footer`: controls under the facts; `linked: false` for an item of another campaign, whose
// page the chosen campaign does not serve.
export function itemCard(item, { dueSoonKeys, checkbox, footer, linked = true } = {}) {
  const urgency = urgencyOf(item, dueSoonKeys);
  const badges = [h('span', { class: 'badge state' }, label(item.kind, statePath(item)))];
  if (item.outcome) badges.push(h('span', { class: 'badge outcome', 'data-outcome': item.outcome.result }, outcomeName(item)));
  if (session.campaign && isNew(item, session.campaign.id)) badges.unshift(h('span', { class: 'badge new' }, '新'));
  if (urgency === 'overdue') badges.push(h('span', { class: 'badge overdue' }, '已逾期'));
  if (urgency === 'due-soon') badges.push(h('span', { class: 'badge due-soon' }, '即将到期'));
  // A problem carried on (回头看) goes on elsewhere: its warnings here are no call to act.
  const carriedOn = Boolean(item.carried_to);
  if (item.tier && !carriedOn) badges.push(h('span', { class: `badge tier tier-${item.tier.id}`, 'data-tier': item.tier.id }, item.tier.name));
  if (item.sign_for) badges.push(h('span', { class: 'badge sign-for' }, '待签收'));
  if (item.extension) badges.push(h('span', { class: 'badge due-soon' }, '延期待批'));
  if (cannotFinish(item) && !carriedOn) {
    badges.push(h('span', { class: 'badge overdue', 'data-cannot-finish': item.feasibility.impossible_since },
      `${formatDate(item.feasibility.impossible_since)}起已无法按期完成`));
  }
  if (item.send_back_count) badges.push(h('span', { class: 'badge overdue' }, `退回 ${item.send_back_count} 次`));
  if (item.carried_from) badges.push(h('span', { class: 'badge carried', title: '由往期行动转入（回头看）' }, '回头看'));
  if (item.carried_to) badges.push(h('span', { class: 'badge carried', title: '已转入后续行动继续整改（回头看）' }, '已转入后续行动'));
  const title = item.kind === 'enrollment' ? `${item.household || '农户'}（${item.village ? unitName(item.village) : ''}）` : item.title;
  return h('li', { class: `card ${urgency}`, 'data-item': itemKey(item), 'data-urgency': urgency || 'none', 'data-sign-for': item.sign_for ? 'awaited' : null },
    checkbox ? h('label', { class: 'select-box' }, checkbox) : null,
    h('div', { class: 'card-body' },
      linked ? h('a', { class: 'card-title', href: `#/item/${item.kind}/${item.id}` }, `#${item.id} ${title}`)
        : h('span', { class: 'card-title' }, `#${item.id} ${title}`),
      h('div', { class: 'meta' }, badges),
      h('div', { class: 'meta' },
        // Its own campaign's name of the unit: an ended campaign's list may name a village merged since.
        h('span', {}, `责任单位：${item.unit_name || unitName(item.unit)}`),
        item.kind === 'problem' ? h('span', {}, `领域：${areaName(item.area)}`) : h('span', {}, KIND_NAMES.enrollment),
        h('span', {}, `${deadlineLabel(item)}：${deadlineText(item)}`),
        item.due_at && item.due_at !== item.deadline ? h('span', {}, `${dueLabel(item)}：${formatTime(item.due_at)}`) : null),
      footer || null));
}

// A problem's page in any campaign the user sees: in the chosen one a route, in another a link
// that enters it (as a message's link does).
export function campaignItemHref(campaign, id) {
  return session.summary && campaign === session.summary.id
    ? `#/item/problem/${id}`
    : `/?campaign=${encodeURIComponent(campaign)}#/item/problem/${id}`;
}
