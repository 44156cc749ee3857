// What every list of the page shares: pages of a fixed size with the total, forward by the
// server's cursor (next_after, next_before) and back by the cursors remembered; for the item
// lists, a search box answered as one types (q=, after a pause) and an order (sort=). The
// server does the searching, ordering and counting (GET /api/{problems|enrollments}, /api/outbox).
import { h } from '../dom.js';

export const SORTS = [
  ['', '默认（编号）'],
  ['deadline', '整改时限（早→晚）'],
  ['-deadline', '整改时限（晚→早）'],
  ['overdue', '逾期天数（多→少）'],
  ['unit', '责任单位'],
  ['area', '领域'],
  ['state', '状态'],
];
export const PAGE_SIZE = 20;
const TYPING_PAUSE_MS = 250;

// #<prefix>-pager with #<prefix>-prev, -next and -range; `onChange()` loads the page at cursor().
export function pager(prefix, onChange) {
  let cursors = [null];  // cursors[i]: the cursor of page i
  let next = null;
  let loads = 0;
  const prev = h('button', { type: 'button', id: `${prefix}-prev`, disabled: true }, '上一页');
  const nextButton = h('button', { type: 'button', id: `${prefix}-next`, disabled: true }, '下一页');
  const range = h('span', { class: 'meta', id: `${prefix}-range` });
  prev.addEventListener('click', () => { if (cursors.length > 1) { cursors.pop(); onChange(); } });
  nextButton.addEventListener('click', () => { if (next !== null) { cursors.push(next); onChange(); } });
  return {
    element: h('div', { class: 'pager', id: `${prefix}-pager` }, prev, range, nextButton),
    // Back to the first page (a filter changed).
    reset() { cursors = [null]; },
    cursor() { return cursors[cursors.length - 1]; },
    // Marks a load as begun; what it returns says whether that load is still the latest, so an
    // answer to an earlier keystroke that arrives late is dropped.
    begin() { const mine = ++loads; return () => mine === loads; },
    // Shows where a page of `shown` items sits among `total`; `nextCursor` null on the last.
    showPage(shown, total, nextCursor) {
      next = nextCursor ?? null;
      const first = (cursors.length - 1) * PAGE_SIZE;
      range.textContent = total ? `第 ${first + 1}–${first + shown} 项，共 ${total} 项` : '共 0 项';
      prev.disabled = cursors.length <= 1;
      nextButton.disabled = next === null;
    },
  };
}

// `prefix` names the elements (#<prefix>-search, -sort and the pager's); `onChange()` runs when
// the search, the order or the page changes.
export function listControls(prefix, onChange, { sorts = SORTS, sort = '' } = {}) {
  const pages = pager(prefix, onChange);
  const search = h('input', { type: 'search', id: `${prefix}-search`, placeholder: '搜索标题、措施、户主、备注（输入即查）',
    'aria-label': '搜索', autocomplete: 'off', enterkeyhint: 'search' });
  const order = h('select', { id: `${prefix}-sort`, 'aria-label': '排序' },
    sorts.map(([value, text]) => h('option', { value, selected: value === sort }, text)));
  const hint = h('span', { class: 'meta', id: `${prefix}-search-hint` });
  let timer = null;
  let asked = { q: '', sort };  // what the latest load asked for
  const searchAfterPause = () => {
    clearTimeout(timer);
    timer = setTimeout(() => { pages.reset(); onChange(); }, TYPING_PAUSE_MS);
  };
  // While an input method composes (pinyin "weifang" on its way to 危房), the box holds letters
  // that are not the search: it waits for the characters chosen.
  search.addEventListener('input', (event) => {
    if (event.isComposing) clearTimeout(timer);
    else searchAfterPause();
  });
  search.addEventListener('compositionend', searchAfterPause);
  // A search still waiting for its pause is read by this load: it must not reset the page later.
  order.addEventListener('change', () => { clearTimeout(timer); pages.reset(); onChange(); });

  return {
    tools: h('div', { class: 'list-tools' }, h('div', { class: 'search-box' }, search, hint),
      h('div', { class: 'sort-box' }, h('label', { for: `${prefix}-sort` }, '排序'), order)),
    pager: pages.element,
    reset: pages.reset,
    begin: pages.begin,
    // The query of the current page: q, sort, limit and after.
    params() {
      const q = search.value.trim();
      // The trigram index needs three characters; shorter words are compared item by item.
      hint.textContent = q && q.split(/\s+/).some((word) => [...word].length < 3) ? '少于3个字的词逐条比对，可能稍慢' : '';
      asked = { q, sort: order.value, limit: PAGE_SIZE, after: pages.cursor() };
      return asked;
    },
    // Shows where `page` (an answer of the list) sits among all; the pager's data-q and data-sort
    // say which search and order the page shown answers (the select changes before its answer).
    showPage(page) {
      pages.showPage(page.items.length, page.total, page.next_after);
      pages.element.dataset.q = asked.q;
      pages.element.dataset.sort = asked.sort;
    },
  };
}
