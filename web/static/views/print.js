// 打印: an A4 sheet the browser prints (style.css's @media print hides the rest of the page).
//   #/print/item/problem/12   one item: its facts, its whole timeline, its evidence photos and a
//                             signature block (经办人 / 审核人 / 日期)
//   #/print/unit/village_1    a unit's items as one table, with the same signature block
// The sheet is built from the same calls as the screens (the item, its history, its evidence;
// the lists narrowed to the unit), so it shows exactly what the user may see.
import { api, describeError, listAll, campaignPath } from '../api.js';
import { h, show, formatTime, setFullDates } from '../dom.js';
import { session, label, statePath, unitName, areaName, kindPath, KIND_NAMES } from '../session.js';
import { facts, timeline } from './item.js';
import { deadlineText } from './item_card.js';

export function itemPrintHref(kind, id) { return `#/print/item/${kind}/${id}`; }
export function unitPrintHref(unit) { return `#/print/unit/${encodeURIComponent(unit)}`; }

function toolbar() {
  return h('div', { class: 'print-toolbar no-print' },
    h('button', { type: 'button', class: 'primary', id: 'print-now', onclick: () => window.print() }, '打印'),
    h('button', { type: 'button', onclick: () => history.back() }, '返回'),
    h('span', { class: 'meta' }, '用浏览器打印为 A4 纸，或另存为 PDF。'));
}

function signatures() {
  return h('table', { class: 'signatures', id: 'print-signatures' },
    h('tbody', {}, h('tr', {}, ['经办人', '审核人', '日期'].map((who) => [h('th', {}, `${who}：`), h('td', {}, '')]))));
}

function heading(title) {
  return [h('p', { class: 'print-campaign' }, session.campaign ? session.campaign.name : ''), h('h1', { id: 'print-title' }, title)];
}

// The evidence photos as printed images; other files by name.
async function evidenceSection(base) {
  let files = [];
  try {
    files = (await api.get(`${base}/evidence`)).files || [];
  } catch (error) {
    if (!error.noRoute) throw error;
  }
  if (!files.length) return h('p', { class: 'empty' }, '无佐证材料。');
  const images = files.filter((f) => /^image\//.test(f.content_type || ''));
  const others = files.filter((f) => !images.includes(f));
  return h('div', { id: 'print-evidence' },
    images.length ? h('div', { class: 'print-photos' }, images.map((f) => h('figure', {},
      h('img', { src: `${base}/evidence/${f.sha256}`, alt: f.name }),
      h('figcaption', {}, `${f.name} · ${formatTime(f.uploaded_at)}`)))) : null,
    others.length ? h('ul', {}, others.map((f) => h('li', {}, `${f.name}（${formatTime(f.uploaded_at)}）`))) : null);
}

async function printItem(main, kind, id) {
  const base = campaignPath(`/${kindPath(kind)}/${id}`);
  const [item, history] = await Promise.all([api.get(base), api.get(`${base}/history`)]);
  const evidence = await evidenceSection(base);
  const title = kind === 'problem' ? item.title : `${item.household}（${unitName(item.village)}）`;
  show(main, h('article', { class: 'print-sheet', id: 'print-item', 'data-kind': kind, 'data-id': id },
    toolbar(),
    heading(`${KIND_NAMES[kind]}办理单（编号 #${id}）`),
    h('h2', {}, title),
    facts(item, history.events),
    h('h2', {}, '办理记录'), timeline(kind, history.events || []),
    h('h2', {}, '佐证材料'), evidence,
    signatures(),
    h('p', { class: 'print-footer' }, `打印时间：${formatTime(session.now)}`)));
}

async function printUnit(main, unit) {
  const [problems, enrollments] = await Promise.all([
    listAll(campaignPath('/problems'), { unit }),
    listAll(campaignPath('/enrollments'), { unit }),
  ]);
  const items = [...problems, ...enrollments];
  const row = (item, i) => h('tr', { 'data-id': item.id },
    h('td', {}, String(i + 1)), h('td', {}, `#${item.id}`), h('td', {}, KIND_NAMES[item.kind]),
    h('td', {}, item.kind === 'problem' ? item.title : item.household),
    h('td', {}, item.kind === 'problem' ? areaName(item.area) : '—'),
    h('td', {}, label(item.kind, statePath(item))),
    h('td', {}, deadlineText(item)),
    h('td', {}, item.overdue && item.state !== 'closed' ? '已逾期' : ''));
  show(main, h('article', { class: 'print-sheet', id: 'print-unit', 'data-unit': unit },
    toolbar(),
    heading(`${unitName(unit)}整改事项清单`),
    h('p', { class: 'meta' }, `共 ${items.length} 项，截至${formatTime(session.now)}`),
    items.length
      ? h('table', { class: 'print-table', id: 'print-items' },
        h('thead', {}, h('tr', {}, ['序号', '编号', '类型', '事项', '领域', '状态', '整改时限', '逾期'].map((t) => h('th', {}, t)))),
        h('tbody', {}, items.map(row)))
      : h('p', { class: 'empty' }, '本单位暂无事项。'),
    signatures()));
}

// `parts`: the hash's parts after "print".
export async function renderPrint(main, parts) {
  show(main, h('p', { class: 'loading' }, '正在准备打印…'));
  setFullDates(true);  // until the next view (app.js drawRoute)
  try {
    if (parts[0] === 'item' && parts.length === 3) return await printItem(main, parts[1], Number(parts[2]));
    if (parts[0] === 'unit' && parts.length === 2) return await printUnit(main, decodeURIComponent(parts[1]));
    show(main, h('p', { class: 'notice' }, '没有这个打印页面。'));
  } catch (error) {
    show(main, h('p', { class: 'error-box' }, describeError(error)));
  }
}
