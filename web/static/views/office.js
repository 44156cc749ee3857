// 问题交办: the office's list of every item, filtered by kind, area, unit, source, state and
// phase (the items behind a phase's gate, GET /api/gates), searched, ordered and paged
// (list_controls.js; with a phase chosen, every item behind the gate on one page);
// several selected at once are assigned (交办) or reassigned (改派) to one unit, one event per
// item, or closed (销号); and a form for a new problem.
import { api, describeError, listAll, campaignPath, withQuery } from '../api.js';
import { h, show, toast, formatTime } from '../dom.js';
import { session, label, kindPath, unitName, mayDo } from '../session.js';
import { itemCard, itemKey } from './item_card.js';
import { unitSelect } from './events.js';
import { renderCreateProblem } from './create_problem.js';
import { renderCreateEnrollment } from './create_enrollment.js';
import { listControls } from './list_controls.js';
import { unitPrintHref } from './print.js';
import { newBadge } from '../news.js';

const STATE_PATHS = {
  problem: ['found', 'assigned', 'rectifying.working', 'rectifying.submitted', 'verified', 'closed'],
  enrollment: ['found', 'assigned', 'rectifying.home_visit', 'rectifying.data_check', 'rectifying.village_review',
    'rectifying.public_notice', 'rectifying.town_review', 'rectifying.county_decision', 'verified', 'closed'],
};

function select(id, first, options) {
  return h('select', { id }, h('option', { value: '' }, first), options.map(([value, text]) => h('option', { value }, text)));
}

// Fires `eventFor(item)` on each item in turn; returns {done, failed: [text]}.
async function fireEach(items, eventFor) {
  const result = { done: 0, failed: [] };
  for (const item of items) {
    const body = eventFor(item);
    if (!body) {
      result.failed.push(`#${item.id}：当前状态（${label(item.kind, item.step ? `${item.state}.${item.step}` : item.state)}）不能进行此操作`);
      continue;
    }
    try {
      await api.post(campaignPath(`/${kindPath(item.kind)}/${item.id}/events`), { ...body, version: item.version });
      result.done += 1;
    } catch (error) {
      result.failed.push(`#${item.id}：${describeError(error)}`);
    }
  }
  return result;
}

export async function renderOffice(main) {
  const c = session.campaign;
  const kind = select('filter-kind', '问题整改', [['enrollment', '识别纳入']]);
  const area = select('filter-area', '全部领域', c.areas.map((a) => [a.number, `${a.number}. ${a.name}`]));
  const unit = unitSelect({ id: 'filter-unit' });
  unit.options[0].textContent = '全部责任单位';
  const source = select('filter-source', '全部来源', c.sources.map((s) => [s.id, s.name]));
  const phase = h('select', { id: 'filter-phase' }, h('option', { value: '' }, '全部阶段'));
  let gates = [];
  const fillPhases = () => show(phase, h('option', { value: '' }, '全部阶段'),
    gates.map((g, i) => [g, i]).filter(([g]) => g.applies_to === (kind.value || 'problem')).map(([g, i]) =>
      h('option', { value: i }, `${g.phase_name}：${formatTime(g.closes_at)}前应达「${label(g.applies_to, g.at_least)}」而未达的`)));
  const state = h('select', { id: 'filter-state' });
  const fillStates = () => show(state, h('option', { value: '' }, '全部状态'),
    STATE_PATHS[kind.value || 'problem'].map((p) => h('option', { value: p }, label(kind.value || 'problem', p))));
  fillStates();

  const list = h('div', { id: 'office-list' });
  const controls = listControls('office', () => load().catch(showError));
  const summary = h('p', { class: 'meta', id: 'office-summary' });
  const bulkUnit = unitSelect({ id: 'bulk-unit', 'aria-label': '交办或改派给的责任单位' });
  const bulkResult = h('div', { id: 'bulk-result' });
  let items = [];
  const printSlot = h('p', { class: 'row no-print' });

  const selected = () => {
    const keys = new Set([...list.querySelectorAll('input[type=checkbox]:checked')].map((box) => box.value));
    return items.filter((item) => keys.has(itemKey(item)));
  };
  const report = (what, result) => {
    show(bulkResult, h('p', { class: result.failed.length ? 'notice' : 'meta' }, `${what} ${result.done} 项${result.failed.length ? `，${result.failed.length} 项未成功：` : '。'}`),
      result.failed.length ? h('ul', {}, result.failed.map((f) => h('li', {}, f))) : null);
  };

  async function load() {
    const k = kind.value || 'problem';
    const [st, step] = state.value.split('.');
    const params = { state: st, step, unit: unit.value, source: k === 'problem' ? source.value : '', area: k === 'problem' ? area.value : '' };
    const current = controls.begin();
    show(list, h('p', { class: 'loading' }, '正在加载…'));
    const path = campaignPath(`/${kindPath(k)}`);
    if (phase.value !== '') {
      const { q, sort } = controls.params();
      const all = await listAll(path, { ...params, q, sort });
      // As of now (items move between loads), every page of the gate's items.
      const behind = new Set();
      let after = 0;
      do {
        const page = await api.get(campaignPath(`/gates/${Number(phase.value)}/items?limit=500&after=${after}`));
        page.items.forEach((x) => behind.add(x.id));
        after = page.next_after;
      } while (after !== null);
      if (!current()) return;
      items = all.filter((item) => behind.has(item.id));
      controls.showPage({ items, total: items.length, next_after: null });
      summary.textContent = `共 ${items.length} 项`;
    } else {
      const page = await api.get(withQuery(path, { ...params, ...controls.params() }));
      if (!current()) return;
      items = page.items;
      controls.showPage(page);
      summary.textContent = `共 ${page.total} 项`;
    }
    controls.pager.hidden = phase.value !== '';
    show(printSlot, newBadge(items, session.campaign.id, 'office'), unit.value ? h('a', { href: unitPrintHref(unit.value), id: 'print-unit-link', class: 'print-link' }, `打印${unitName(unit.value)}清单`) : null);
    if (!items.length) {
      show(list, h('p', { class: 'empty' }, '没有符合条件的事项。'));
      return;
    }
    show(list, h('ul', { class: 'cards', id: 'office-items' }, items.map((item) =>
      itemCard(item, { checkbox: h('input', { type: 'checkbox', value: itemKey(item), 'aria-label': `选择 #${item.id}` }) }))));
  }

  const assignButton = h('button', { type: 'button', class: 'primary', id: 'bulk-assign', onclick: async () => {
    const chosen = selected();
    if (!chosen.length) return toast('请先勾选事项', true);
    if (!bulkUnit.value) return toast('请选择责任单位', true);
    assignButton.disabled = true;
    show(bulkResult, h('p', { class: 'loading' }, `正在办理 ${chosen.length} 项…`));
    const result = await fireEach(chosen, (item) => {
      if (item.state === 'found') return { event: 'assign', unit: bulkUnit.value };
      if (item.state === 'assigned' || item.state === 'rectifying') return { event: 'reassign', unit: bulkUnit.value };
      return null;
    });
    assignButton.disabled = false;
    await load();
    report('已交办或改派', result);
  } }, '交办 / 改派');
  const closeButton = h('button', { type: 'button', id: 'bulk-close', onclick: async () => {
    const chosen = selected();
    if (!chosen.length) return toast('请先勾选事项', true);
    // Final but for a 回头看 reopening: asked first, as the item's own page asks.
    const closable = chosen.filter((item) => item.state === 'verified' && item.kind === 'problem').length;
    if (!closable) return toast('所选事项中没有已验收的问题', true);
    if (!window.confirm(`将 ${closable} 项已验收的问题销号？销号后只能经“回头看”重启。`)) return;
    closeButton.disabled = true;
    show(bulkResult, h('p', { class: 'loading' }, `正在办理 ${chosen.length} 项…`));
    const result = await fireEach(chosen, (item) => (item.state === 'verified' && item.kind === 'problem' ? { event: 'close' } : null));
    closeButton.disabled = false;
    await load();
    report('已销号', result);
  } }, '销号（已验收的问题）');

  for (const control of [area, unit, source, state, phase]) control.addEventListener('change', () => { controls.reset(); load().catch(showError); });
  kind.addEventListener('change', () => {
    controls.reset();
    fillStates();
    fillPhases();
    area.disabled = source.disabled = Boolean(kind.value);
    load().catch(showError);
  });
  function showError(error) { show(list, h('p', { class: 'error-box' }, describeError(error))); }

  const createSlot = h('div');
  show(main,
    h('div', { class: 'row' }, h('h1', {}, '问题交办'), h('button', { type: 'button', id: 'new-problem',
      onclick: () => renderCreateProblem(createSlot, () => load().catch(showError)) }, '＋ 新建问题'),
      mayDo('create_enrollment') ? h('button', { type: 'button', id: 'new-enrollment',
        onclick: () => renderCreateEnrollment(createSlot, () => load().catch(showError)) }, '＋ 识别纳入申请') : null),
    createSlot,
    h('div', { class: 'filters', id: 'filters' },
      h('div', {}, h('label', { for: 'filter-kind' }, '类型'), kind),
      h('div', {}, h('label', { for: 'filter-state' }, '状态'), state),
      h('div', {}, h('label', { for: 'filter-unit' }, '责任单位'), unit),
      h('div', {}, h('label', { for: 'filter-area' }, '领域'), area),
      h('div', {}, h('label', { for: 'filter-source' }, '问题来源'), source),
      h('div', {}, h('label', { for: 'filter-phase' }, '阶段节点'), phase)),
    controls.tools,
    summary, printSlot,
    list,
    controls.pager,
    h('div', { class: 'bulk', id: 'bulk' },
      h('div', { class: 'row' }, bulkUnit, assignButton, closeButton),
      bulkResult));
  gates = (await api.get(campaignPath('/gates?limit=1'))).gates || [];
  fillPhases();
  await load();
}
