// 待验收: the inspection group's queue, the problems units have submitted, oldest submission
// first. Verifying or sending back happens on the item's page, beside its evidence.
import { listAll, campaignPath } from '../api.js';
import { h, show } from '../dom.js';
import { itemCard } from './item_card.js';

export async function renderInspectQueue(main) {
  const items = await listAll(campaignPath('/problems'), { state: 'rectifying', step: 'submitted' });
  items.sort((a, b) => (a.state_since < b.state_since ? -1 : a.state_since > b.state_since ? 1 : a.id - b.id));
  const overdue = items.filter((i) => i.overdue).length;
  show(main,
    h('h1', {}, '检查验收 · 待验收问题'),
    h('div', { class: 'counts' },
      h('div', { class: 'count', 'data-count': 'queue' }, h('b', {}, String(items.length)), h('span', {}, '待验收')),
      h('div', { class: 'count overdue', 'data-count': 'overdue' }, h('b', {}, String(overdue)), h('span', {}, '其中已逾期'))),
    items.length
      ? h('ul', { class: 'cards wide', id: 'inspect-queue' }, items.map((item) => itemCard(item)))
      : h('p', { class: 'empty', id: 'inspect-empty' }, '暂无待验收的问题。'));
}
