// 待验收: the inspection group's queue, the problems units have submitted, the most overdue
// first unless another order is chosen; searched and paged (list_controls.js). Verifying or
// sending back happens on the item's page, beside its evidence.
import { api, campaignPath, describeError, withQuery } from '../api.js';
import { h, show } from '../dom.js';
import { itemCard } from './item_card.js';
import { listControls } from './list_controls.js';

const QUEUE = { state: 'rectifying', step: 'submitted' };

export async function renderInspectQueue(main) {
  const path = campaignPath('/problems');
  const counts = h('div', { class: 'counts' });
  const list = h('div', { id: 'inspect-list' });
  const controls = listControls('inspect', () => load().catch(showError), { sort: 'overdue' });
  function showError(error) { show(list, h('p', { class: 'error-box' }, describeError(error))); }

  async function load() {
    const current = controls.begin();
    const params = controls.params();
    const { now } = await api.get('/api/health');  // the server's clock decides what is overdue
    const [page, overdue] = await Promise.all([
      api.get(withQuery(path, { ...QUEUE, ...params })),
      api.get(withQuery(path, { ...QUEUE, q: params.q, overdue_as_of: now, limit: 1 })),
    ]);
    if (!current()) return;
    controls.showPage(page);
    show(counts,
      h('div', { class: 'count', 'data-count': 'queue' }, h('b', {}, String(page.total)), h('span', {}, '待验收')),
      h('div', { class: 'count overdue', 'data-count': 'overdue' }, h('b', {}, String(overdue.total)), h('span', {}, '其中已逾期')));
    show(list, page.items.length
      ? h('ul', { class: 'cards wide', id: 'inspect-queue' }, page.items.map((item) => itemCard(item)))
      : h('p', { class: 'empty', id: 'inspect-empty' }, params.q ? '没有符合搜索的待验收问题。' : '暂无待验收的问题。'));
  }

  show(main, h('h1', {}, '检查验收 · 待验收问题'), counts, controls.tools, list, controls.pager);
  await load();
}
