// 消息推送: the notifier's outbox, newest first, a page at a time with the total: every digest
// to a unit, its channel, state (pending, sent, failed, dead) and last error.
import { api, withQuery, campaignPath } from '../api.js';
import { h, show, formatTime } from '../dom.js';
import { unitName } from '../session.js';
import { pager, PAGE_SIZE } from './list_controls.js';
import { channelNotice } from './admin.js';

const STATES = { pending: '待发送', sent: '已发送', failed: '发送失败（将重试）', dead: '放弃发送' };

export async function renderOutbox(main) {
  const state = h('select', { id: 'outbox-state' }, h('option', { value: '' }, '全部'),
    Object.entries(STATES).map(([value, name]) => h('option', { value }, name)));
  const list = h('div', { id: 'outbox-list' });
  const pages = pager('outbox', () => load());
  async function load() {
    const current = pages.begin();
    const answer = await api.get(withQuery(campaignPath('/outbox'), { state: state.value, limit: PAGE_SIZE, before: pages.cursor() }));
    if (!current()) return;
    const messages = answer.messages || [];
    pages.showPage(messages.length, answer.total, answer.next_before);
    if (!messages.length) {
      show(list, h('p', { class: 'empty' }, '暂无消息。消息在工作日早上按时生成。'));
      return;
    }
    show(list, h('ul', { class: 'cards', id: 'outbox-messages' }, messages.map((m) =>
      h('li', { class: `card ${m.state === 'dead' || m.state === 'failed' ? 'overdue' : m.state === 'sent' ? 'done' : ''}`, 'data-message': m.id },
        h('div', { class: 'card-body' },
          h('div', { class: 'card-title' }, `${unitName(m.unit)} · ${m.channel} · ${STATES[m.state] || m.state}`),
          h('div', { class: 'meta' },
            h('span', {}, `事项 ${m.item_count} 项`), h('span', {}, `生成 ${formatTime(m.created_at)}`),
            m.sent_at ? h('span', {}, `送达 ${formatTime(m.sent_at)}`) : h('span', {}, `下次尝试 ${formatTime(m.next_attempt_at)}`),
            h('span', {}, `尝试 ${m.attempts} 次`)),
          m.last_error ? h('p', { class: 'error-box' }, `发送出错（技术信息，供系统管理员排查）：${m.last_error}`) : null,
          h('details', {}, h('summary', {}, '消息内容'), h('div', { class: 'pre' }, m.message)))))));
  }
  state.addEventListener('change', () => { pages.reset(); load(); });
  show(main, h('h1', {}, '消息推送记录'), await channelNotice(),
    h('div', { class: 'filters' }, h('div', {}, h('label', { for: 'outbox-state' }, '状态'), state)), list, pages.element);
  await load();
}
