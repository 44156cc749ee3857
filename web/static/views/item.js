// One item: its facts, the actions the server allows this person now (allowed_events) as
// buttons, its evidence files, and its history as a timeline.
import { api, describeError, campaignPath } from '../api.js';
import { h, show, toast, formatTime, formatDate, dayNumber, showFormError, clearFormError } from '../dom.js';
import { label, statePath, unitName, areaName, sourceName, kindPath, KIND_NAMES, session, actorText } from '../session.js';
import { eventInputs } from './events.js';
import { deadlineText, deadlineLabel, cannotFinish, dueLabel, outcomeName, outcomeText, campaignItemHref } from './item_card.js';
import { evidenceList, uploadEvidence, checkEvidenceFile, kEvidenceAccept } from './evidence.js';
import { itemPrintHref } from './print.js';

function choiceName(list, id) {
  const found = (list || []).find((c) => c.id === id);
  return found ? found.name : id;
}

// What asked for the awaited signature, as a verb ("交办", "退回整改", "回头看重启"): the last
// history row that set a sign-for limit at the time the signature has been awaited since.
function signForAskedBy(item, events) {
  const asking = (events || []).filter((e) => e.sign_for_due && e.at <= item.sign_for.since).pop();
  if (!asking || asking.event === 'create') return label(item.kind, 'assign');
  return label(item.kind, asking.event);
}

// `events`: the item's history, which says what asked for a signature awaited.
export function facts(item, events) {
  const rows = [
    ['编号', `#${item.id}`],
    ['类型', KIND_NAMES[item.kind]],
    ['状态', label(item.kind, statePath(item))],
    ['责任单位', unitName(item.unit)],
  ];
  if (item.cooperating_units && item.cooperating_units.length) rows.push(['配合单位', item.cooperating_units.map(unitName).join('、')]);
  if (item.kind === 'problem') {
    rows.push(['领域', areaName(item.area)], ['问题来源', item.source_name || sourceName(item.source)]);
    if (item.found_on) rows.push(['发现日期', formatDate(item.found_on)]);
    rows.push(['整改措施', item.measures || '—']);
  } else {
    const c = session.campaign;
    rows.push(['户主', item.household], ['所在村', unitName(item.village)],
      ['监测对象类别', choiceName(c.household_categories, item.category)], ['风险类型', choiceName(c.risk_types, item.risk_type)],
      ['风险出现日期', formatDate(item.risk_found_on)], ['线索来源', choiceName(c.clue_sources, item.clue_source)],
      ['家庭人口', item.members], ['身份证号码', item.id_number || '—'], ['联系电话', item.phone || '—']);
  }
  rows.push([deadlineLabel(item), deadlineText(item)]);
  if (item.outcome) rows.push(['办结结果', outcomeText(item)]);
  // A problem carried on (回头看) has no more work here: when it could be finished is asked there.
  if (item.feasibility && !item.carried_to) {
    const f = item.feasibility;
    rows.push(['最早可完成', `${formatDate(f.earliest_finish)}（一般需至${formatDate(f.typical_finish)}）` +
      (cannotFinish(item) ? `；自${formatDate(f.impossible_since)}起已无法按期完成，可申请延期` : '')]);
  }
  // A step that lasts a minimum time (村级公示): when it may be left, before anyone tries earlier.
  const dwell = item.minimum_dwell;
  if (dwell && dayNumber(dwell.until) > dayNumber(session.now)) rows.push(['本步最短时间', `${dwell.name}，${formatDate(dwell.until)}起方可办理下一步`]);
  if (item.sign_for) rows.push(['待签收', `${unitName(item.sign_for.unit)}，${formatTime(item.sign_for.since)}${signForAskedBy(item, events)}`]);
  if (item.extension) {
    const e = item.extension;
    rows.push(['延期申请', `申请延期至${formatTime(e.proposed)}；理由：${e.reason}（${String(e.requested_by).replace(/^user /, '')}，${formatTime(e.requested_at)}）`]);
  }
  if (item.due_at && item.due_at !== item.deadline) {
    const rule = (session.campaign.deadlines || []).find((d) => d.id === item.due_rule);
    rows.push([dueLabel(item), `${formatTime(item.due_at)}${rule ? `（${rule.name}）` : ''}`]);
  }
  rows.push(['进入当前状态', formatTime(item.state_since)]);
  if (item.send_back_count) rows.push(['退回整改次数', String(item.send_back_count)]);
  return h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v === undefined || v === null ? '—' : String(v))]));
}

function campaignName(id) {
  const found = session.campaigns.find((c) => c.id === id);
  return found ? found.name : id;
}

// 回头看, both ends. A problem carried in: "回头看：由「高桥镇…」第7号问题于9月26日转入", linked to
// the old one (its history and evidence stay there). A problem carried out: where it went, linked;
// it takes no more events here and stays on this campaign's record as it stood. Else null.
export function carriedNotice(item) {
  if (item.carried_to) {
    return h('p', { class: 'notice carried', id: 'carried-to' },
      `回头看：已转入「${campaignName(item.carried_to)}」`,
      h('a', { href: campaignItemHref(item.carried_to, item.carried_to_id), id: 'carried-to-link' }, `第${item.carried_to_id}号问题`),
      '继续整改；本行动的记录保持转出时的样子。');
  }
  if (!item.carried_from) return null;
  // A problem carried before 2026-12 moved whole and kept its id: there is no old one to link.
  const old = item.carried_from_id
    ? ['', h('a', { href: campaignItemHref(item.carried_from, item.carried_from_id), id: 'carried-from-link' }, `第${item.carried_from_id}号问题`)]
    : [];
  return h('p', { class: 'notice carried', id: 'carried-from' },
    `回头看：由「${campaignName(item.carried_from)}」`, ...old, `于${formatDate(item.carried_at)}转入`);
}

// The history's notes are written for the record ("unit: a -> b; reason: ..."): shown in words.
function readableNote(note) {
  return (note || '')
    .replace(/unit: ([\w-]+) -> ([\w-]+)/g, (_, a, b) => `责任单位：${unitName(a)} → ${unitName(b)}`)
    .replace(/unit: ([\w-]+)/g, (_, a) => `责任单位：${unitName(a)}`)
    .replace(/reason: /g, '原因：')
    .replace(/explanation: /g, '说明：')
    .replace(/entered national system on (\d{4}-\d{2}-\d{2})/g, (_, d) => `录入全国系统日期：${formatDate(d)}`)
    .replace(/extended to (\S+) \(was (\S+)\)/g, (_, to, was) => `延期至${formatTime(to)}（原时限${formatTime(was)}）`)
    .replace(/extended to (\S+)/g, (_, to) => `延期至${formatTime(to)}`)
    .replace(/deadline asked: (\S+)/g, (_, d) => `申请延期至${formatTime(d)}`)
    .replace(/deadline by rule ([\w-]+)/g, (_, id) => `按规则：${((session.campaign.deadlines || []).find((r) => r.id === id) || { name: id }).name}`)
    .replace(/new deadline: (\S+)/g, (_, d) => `新的整改时限：${formatTime(d)}`)
    .replace(/tier: (\w+) -> (\w+)/g, (_, a, b) => `${tierName(a)} → ${tierName(b)}`);
}

function tierName(id) {
  const tier = (session.campaign.warning_tiers || []).find((t) => t.id === id);
  return tier ? tier.name : '无预警';
}

// An event that keeps the state (记录进展, 督办, 回头看转入) names the state once.
export function timeline(kind, events) {
  if (!events.length) return h('p', { class: 'empty' }, '暂无记录。');
  return h('ol', { class: 'timeline', id: 'history' }, events.map((e) =>
    h('li', { class: e.event, 'data-event': e.event },
      h('div', { class: 'when' }, `${formatTime(e.at)} · ${actorText(e.actor, e.actor_name)}`),
      h('div', { class: 'what' }, e.from && e.from !== e.to ? `${label(kind, e.event)}：${label(kind, e.from)} → ${label(kind, e.to)}` : `${label(kind, e.event)}：${label(kind, e.to)}`),
      e.note ? h('div', { class: 'note' }, readableNote(e.note)) : null)));
}

// The form of one event, opened under the buttons. Progress also takes evidence files, which
// are uploaded first so the note can name them.
function eventForm(item, event, base, evidenceEnabled, onDone) {
  const { elements, read } = eventInputs(item.kind, event, `event-${event}`);
  const withFiles = event === 'progress' && evidenceEnabled;
  const fileInput = withFiles ? h('input', { type: 'file', id: 'evidence-input', name: 'file', accept: kEvidenceAccept, multiple: true }) : null;
  const error = h('p', { class: 'error-box', hidden: true });
  const send = h('button', { type: 'submit', class: event === 'send_back' ? 'danger' : 'primary', id: 'event-send' }, `确认${label(item.kind, event)}`);
  // While the files go up, 取消 stops them and nothing is recorded; once the note itself is on
  // its way it cannot be called back, so 取消 waits. The other actions wait for it too: a
  // submit fired while a slow photo is uploading would leave the note behind, refused.
  let uploads = null;
  const cancel = h('button', { type: 'button', id: 'event-cancel', onclick: () => {
    if (uploads) uploads.abort();
    otherActions(false);
    form.remove();
    // Back on the action that opened the form, not at the page's start.
    document.querySelector(`#actions button[data-event="${event}"]`)?.focus();
  } }, '取消');
  const otherActions = (busy) => document.querySelectorAll('#actions button').forEach((b) => { b.disabled = busy; });
  const progress = h('p', { class: 'hint', id: 'event-progress', hidden: true });
  const form = h('form', { class: 'panel', id: `form-${event}`, 'data-event': event },
    h('h3', {}, label(item.kind, event)),
    elements,
    withFiles ? [h('label', { for: 'evidence-input' }, '佐证材料（照片或 PDF，每个不超过 10 MB，可多选）'), fileInput] : null,
    error,
    progress,
    h('div', { class: 'form-actions' }, send, cancel));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormError(form, error);
    const { body, missing, input } = read();
    if (missing) return showFormError(form, error, `请填写：${missing}`, input);
    const files = fileInput ? [...fileInput.files] : [];
    const bad = files.map(checkEvidenceFile).find(Boolean);
    if (bad) return showFormError(form, error, bad, fileInput);
    send.disabled = true;
    otherActions(true);
    try {
      uploads = new AbortController();
      for (const [i, file] of files.entries()) {
        progress.textContent = `正在上传佐证材料 ${i + 1}/${files.length}：${file.name}（可点“取消”停止）`;
        progress.hidden = false;
        await uploadEvidence(base, file, uploads.signal);
      }
      uploads = null;
      progress.hidden = true;
      cancel.disabled = true;
      if (files.length) body.note = `${body.note || ''}${body.note ? '\n' : ''}佐证材料：${files.map((f) => f.name).join('、')}`;
      body.version = item.version;
      await api.post(`${base}/events`, body);
      toast(`已${label(item.kind, event)}`);
      onDone();
    } catch (err) {
      if (err.name === 'AbortError') return;  // 取消: the form is gone
      uploads = null;
      progress.hidden = true;
      cancel.disabled = false;
      otherActions(false);
      if (err.status === 409 && err.code === 'conflict') {
        const told = await settleConflict(item, event, body, base);
        if (told === null) {
          toast(`已${label(item.kind, event)}`);
          onDone();
          return;
        }
        showFormError(form, error, told);
      } else {
        showFormError(form, error, describeError(err), err.field);
      }
      send.disabled = false;
    }
  });
  return form;
}

// The item changed since the page read it (409 conflict). Either the change is this very
// request, saved before its answer was lost on a weak network and sent again: then it is done
// (null). Or someone else wrote (a note, the 09:00 warning tier): the page takes the item's new
// version and keeps what was typed, to be sent again on purpose once read; what to tell the user
// is returned.
async function settleConflict(item, event, body, base) {
  let fresh, history;
  try {
    [fresh, history] = await Promise.all([api.get(base), api.get(`${base}/history`)]);
  } catch {
    return describeError({ status: 409, code: 'conflict' });
  }
  const me = session.me.user.username;
  const last = (history.events || [])[history.events.length - 1];
  if (last && last.event === event && (last.actor === `user ${me}` || last.actor === me) &&
      (body.note === undefined || last.note === body.note)) return null;
  item.version = fresh.version;
  const who = last ? `${last.actor_name || last.actor}（${label(item.kind, last.event)}）` : '他人';
  return `该事项刚被更新：${who}。页面已取最新情况，填写的内容仍在，确认无误后请再次提交。`;
}

export async function renderItem(main, kind, id) {
  if (kind !== 'problem' && kind !== 'enrollment') {
    show(main, h('p', { class: 'notice' }, '没有这个页面。'));
    return;
  }
  const base = campaignPath(`/${kindPath(kind)}/${id}`);
  show(main, h('p', { class: 'loading' }, '正在加载…'));
  // window.history: `history` below is the item's.
  const goBack = (e) => {
    e.preventDefault();
    if (session.views > 1) window.history.back();
    else location.hash = '#/';  // opened on this item (a message's link): nothing of ours to go back to
  };
  let item, history, evidence;
  try {
    [item, history] = await Promise.all([api.get(base), api.get(`${base}/history`)]);
    evidence = await evidenceList(base);
  } catch (error) {
    show(main, h('p', { class: 'error-box' }, describeError(error)));
    return;
  }
  // After an action the item is drawn again; the focus goes to its new state (待验收, 已销号…), which
  // a screen reader then reads: the result of what the user did.
  const reload = async () => {
    await renderItem(main, kind, id);
    const state = document.getElementById('item-state');
    if (state) {
      state.tabIndex = -1;
      state.focus();
    }
  };
  const formSlot = h('div', { id: 'event-form' });
  const buttons = (item.allowed_events || []).map((event) =>
    h('button', { type: 'button', class: event === 'send_back' ? 'danger' : 'primary', 'data-event': event,
      onclick: () => {
        show(formSlot, eventForm(item, event, base, evidence.enabled, reload));
        const first = formSlot.querySelector('textarea, select, input');
        if (first) first.focus();
      } }, label(kind, event)));
  const title = kind === 'problem' ? item.title : `${item.household}（${unitName(item.village)}）`;
  show(main,
    h('p', { class: 'row' }, h('a', { href: '#/', id: 'back', onclick: goBack }, '‹ 返回'),
      h('a', { href: itemPrintHref(kind, id), id: 'print-item-link', class: 'print-link' }, '打印')),
    h('h1', { id: 'item-title', 'data-state': statePath(item) }, title),
    h('div', { class: 'meta' },
      h('span', { class: 'badge state', id: 'item-state' }, label(kind, statePath(item))),
      item.outcome ? h('span', { class: 'badge outcome', id: 'item-outcome', 'data-outcome': item.outcome.result }, outcomeName(item)) : null,
      item.overdue && item.state !== 'closed' && !item.carried_to ? h('span', { class: 'badge overdue' }, '已逾期') : null,
      item.sign_for ? h('span', { class: 'badge sign-for', id: 'item-sign-for' }, '待签收') : null,
      item.tier && !item.carried_to ? h('span', { class: `badge tier tier-${item.tier.id}`, id: 'item-tier', 'data-tier': item.tier.id }, item.tier.name) : null,
      item.extension ? h('span', { class: 'badge due-soon' }, '延期待批') : null,
      item.carried_from ? h('span', { class: 'badge carried' }, '回头看') : null,
      item.carried_to ? h('span', { class: 'badge carried', id: 'item-carried-to' }, '已转入后续行动') : null),
    carriedNotice(item),
    h('div', { class: 'detail' },
      h('div', {},
        h('section', { class: 'panel' }, facts(item, history.events)),
        h('section', { class: 'panel', id: 'actions-panel' },
          h('h2', {}, '办理'),
          buttons.length ? h('div', { class: 'actions', id: 'actions' }, buttons) : h('p', { class: 'empty', id: 'no-actions' }, '当前无需您办理。'),
          formSlot),
        h('section', { class: 'panel' }, h('h2', {}, '佐证材料'), evidence.element)),
      h('section', { class: 'panel' }, h('h2', {}, '办理记录'), timeline(kind, history.events || []))));
}
