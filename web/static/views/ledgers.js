// 台账报送: the ledger hand-in (附件1) as each unit's obligation. A unit uploads the scan of its
// signed and stamped ledger; the office confirms receipt; late or missing ones show red.
//   GET  /api/ledgers                      -> {due, units: [{unit, unit_name, submitted_at, file, confirmed_at, overdue, late}]}
//   POST /api/ledgers  (multipart "file")  the caller's unit hands in (submit_ledger)
//   POST /api/ledgers/{unit}/confirm       the office confirms (confirm_ledger)
//   GET  /api/ledgers/{unit}/file          the scan
import { api, ApiError, describeError, campaignPath } from '../api.js';
import { h, show, toast, formatTime } from '../dom.js';
import { session, mayDo } from '../session.js';
import { checkEvidenceFile, kEvidenceAccept } from './evidence.js';

// One unit's hand-in in words; a late one stays marked late once confirmed.
export function ledgerStatusText(u) {
  const handedIn = u.late ? '逾期报送' : '已报送';
  if (u.confirmed_at) return `${handedIn}，办公室已确认（${formatTime(u.confirmed_at)}）`;
  if (u.submitted_at) return `${handedIn}，待办公室确认`;
  return u.overdue ? '逾期未报' : '未报送';
}

// The panel, or null on a server without the ledger routes.
export async function ledgerPanel(onChange) {
  let answer;
  try {
    answer = await api.get(campaignPath('/ledgers'));
  } catch (error) {
    if (error instanceof ApiError && error.noRoute) return null;
    throw error;
  }
  const panel = h('section', { class: 'panel', id: 'ledger-panel' });
  const units = Array.isArray(answer.units) ? answer.units : [];
  const own = units.find((u) => u.unit === session.me.user.unit);
  const rows = units.map((u) => h('li', { class: `card ${u.overdue ? 'overdue' : u.confirmed_at ? 'done' : ''}`, 'data-unit': u.unit },
    h('div', { class: 'card-body' },
      h('div', { class: 'card-title' }, u.unit_name || u.unit),
      h('div', { class: 'meta' }, h('span', { class: 'ledger-status' }, ledgerStatusText(u)),
        u.submitted_at ? h('span', {}, `报送于 ${formatTime(u.submitted_at)}`) : null,
        u.file ? h('a', { href: campaignPath(`/ledgers/${encodeURIComponent(u.unit)}/file`), download: (u.file && u.file.name) || '' }, '查看扫描件') : null),
      mayDo('confirm_ledger') && u.submitted_at && !u.confirmed_at
        ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', 'data-confirm': u.unit, 'aria-label': `确认收到 ${u.unit_name || u.unit} 的台账`, onclick: async (e) => {
          if (!window.confirm(`确认已收到 ${u.unit_name || u.unit} 签字盖章的台账？确认后该单位不能再重新报送。`)) return;
          e.target.disabled = true;
          try {
            await api.post(campaignPath(`/ledgers/${encodeURIComponent(u.unit)}/confirm`), {});
            toast(`已确认收到 ${u.unit_name || u.unit} 的台账`);
            onChange();
          } catch (error) {
            toast(describeError(error), true);
            e.target.disabled = false;
          }
        } }, '确认收到')) : null)));

  let upload = null;
  // A confirmed hand-in is final (the server refuses another): nothing more to send.
  if (mayDo('submit_ledger') && own && own.confirmed_at) {
    upload = h('p', { class: 'notice', id: 'ledger-confirmed' },
      `本单位台账已于${formatTime(own.submitted_at)}报送，办公室已于${formatTime(own.confirmed_at)}确认收到，无需再报送。`);
  } else if (mayDo('submit_ledger') && own) {
    const file = h('input', { type: 'file', id: 'ledger-file', accept: kEvidenceAccept });
    const send = h('button', { type: 'button', class: 'primary', id: 'ledger-send', onclick: async () => {
      const chosen = file.files[0];
      if (!chosen) return toast('请先选择扫描件', true);
      const bad = checkEvidenceFile(chosen);
      if (bad) return toast(bad, true);
      send.disabled = true;
      const form = new FormData();
      form.append('file', chosen, chosen.name);
      try {
        await api.post(campaignPath('/ledgers'), form);
        toast('台账扫描件已报送');
        onChange();
      } catch (error) {
        toast(describeError(error), true);
        send.disabled = false;
      }
    } }, own.submitted_at ? '重新报送' : '报送');
    upload = h('div', {},
      h('label', { for: 'ledger-file' }, '本单位台账扫描件（负责人签字并加盖公章后拍照或扫描，图片或 PDF，不超过 10 MB）'),
      file, h('div', { class: 'form-actions' }, send));
  }
  show(panel,
    h('h2', {}, `台账报送 · ${answer.due ? `${formatTime(answer.due)}前` : ''}报镇农业农村和乡村振兴办公室`),
    upload,
    units.length ? h('ul', { class: 'cards wide', id: 'ledger-units' }, rows) : h('p', { class: 'empty' }, '没有需要报送台账的单位。'));
  return panel;
}
