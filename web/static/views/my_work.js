// 我的任务: a unit member's items (the server narrows every list to the caller's unit), most
// urgent first, with the counts on top; searched as one types (q=), or in an order the server
// gives (sort=), then problems and enrollment requests each in their own list.
import { api, describeError, listAll, campaignPath } from '../api.js';
import { h, show } from '../dom.js';
import { session, mayDo } from '../session.js';
import { renderCreateProblem } from './create_problem.js';
import { renderCreateEnrollment } from './create_enrollment.js';
import { itemCard, itemKey, byUrgency, urgencyOf, cannotFinish } from './item_card.js';
import { listControls, PAGE_SIZE, SORTS } from './list_controls.js';
import { unitPrintHref } from './print.js';
import { newBadge } from '../news.js';

// A unit member's items are its own unit's: ordering by unit would say nothing.
const MY_SORTS = [['', '紧急程度'], ...SORTS.filter(([value]) => value && value !== 'unit')];

export async function renderMyWork(main) {
  const body = h('div', { id: 'my-work' });
  const controls = listControls('my', () => load(), { sorts: MY_SORTS });
  const unit = session.me.user.unit;
  // A unit records the problems it finds itself (附件1) when the campaign grants it.
  const createSlot = h('div');
  const record = unit && mayDo('create_problem')
    ? h('button', { type: 'button', id: 'record-problem',
      onclick: () => renderCreateProblem(createSlot, () => load(), { ownUnit: unit }) }, '＋ 登记发现的问题')
    : null;
  // A village registers its own households at risk (识别纳入).
  const ownVillage = session.campaign.units.some((u) => u.id === unit && u.kind === 'village');
  const enroll = ownVillage && mayDo('create_enrollment')
    ? h('button', { type: 'button', id: 'record-enrollment',
      onclick: () => renderCreateEnrollment(createSlot, () => load(), { ownVillage: unit }) }, '＋ 识别纳入申请')
    : null;
  show(main, h('div', { class: 'row' }, h('h1', {}, `我的任务${unit ? ` · ${session.me.user.unit_name || unit}` : ''}`), record, enroll),
    createSlot, controls.tools, body, controls.pager);
  async function load() {
    const { q, sort, after } = controls.params();
    await renderMyItems(body, { q, sort, from: after ?? 0, controls }, controls.begin())
      .catch((error) => show(body, h('p', { class: 'error-box' }, describeError(error))));
  }
  await load();
}

// The open items are paged here, PAGE_SIZE from `from`: the most urgent first needs all of them,
// and the counts on top are of all of them.
async function renderMyItems(main, { q, sort, from, controls }, current) {
  const unit = session.me.user.unit;
  const [problems, enrollments, dueSoon] = await Promise.all([
    listAll(campaignPath('/problems'), { q, sort }),
    listAll(campaignPath('/enrollments'), { q, sort }),
    api.get(campaignPath('/due_soon')),
  ]);
  if (!current()) return;
  const dueSoonKeys = new Set(dueSoon.items.map(itemKey));
  const items = sort ? [...problems, ...enrollments] : [...problems, ...enrollments].sort(byUrgency(dueSoonKeys, { unsignedFirst: true }));
  const open = items.filter((item) => item.state !== 'closed');
  const count = (predicate) => open.filter(predicate).length;
  const counts = [
    ['sign-for', '待签收', count((i) => Boolean(i.sign_for))],
    ['cannot-finish', '已无法按期完成', count(cannotFinish)],
    ['overdue', '已逾期', count((i) => urgencyOf(i, dueSoonKeys) === 'overdue')],
    ['due-soon', '3个工作日内到期', count((i) => urgencyOf(i, dueSoonKeys) === 'due-soon')],
    ['working', '整改中', count((i) => i.state === 'rectifying' && i.step !== 'submitted')],
    ['submitted', '待验收', count((i) => i.step === 'submitted')],
    ['open', '未销号合计', open.length],
  ];
  const closed = items.filter((item) => item.state === 'closed');
  const shown = open.slice(from, from + PAGE_SIZE);
  controls.showPage({ items: shown, total: open.length, next_after: from + PAGE_SIZE < open.length ? from + PAGE_SIZE : null });
  show(main,
    h('div', { class: 'row' }, newBadge(open, session.campaign.id, 'my'),
      unit ? h('a', { href: unitPrintHref(unit), id: 'print-unit-link', class: 'print-link' }, '打印本单位清单') : null),
    h('div', { class: 'counts', id: 'my-counts' }, counts.map(([key, name, n]) =>
      h('div', { class: `count ${key}`, 'data-count': key }, h('b', {}, String(n)), h('span', {}, name)))),
    open.length
      ? h('ul', { class: 'cards wide', id: 'my-items' }, shown.map((item) => itemCard(item, { dueSoonKeys })))
      : h('p', { class: 'empty' }, q ? '没有符合搜索的待办事项。' : '本单位暂无待办事项。'),
    closed.length ? h('details', {}, h('summary', {}, `已销号 ${closed.length} 项`),
      h('ul', { class: 'cards wide' }, closed.map((item) => itemCard(item, { dueSoonKeys })))) : null);
}
