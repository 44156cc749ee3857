// 回头看转入: the office of a campaign lists the open problems of its town's ended campaigns and
// carries one into the chosen campaign (POST …/problems/{id}/carry_over). It begins there as a new
// problem, linked to the old one, which stays on the ended campaign's record as it stood; its
// deadline is the one given or, empty, the chosen campaign's rule.
import { api, describeError, listAll, campaignPath } from '../api.js';
import { h, show, toast, showFormError, clearFormError } from '../dom.js';
import { session } from '../session.js';
import { itemCard, campaignItemHref } from './item_card.js';
import { unitSelect } from './events.js';

// The town's ended campaigns other than the chosen one, latest first; none if the chosen one
// has ended itself (nothing can be carried into it).
export function endedCampaigns() {
  const chosen = session.summary;
  if (!chosen || chosen.ended) return [];
  return session.campaigns
    .filter((c) => c.id !== chosen.id && c.town === chosen.town && c.ended)
    .sort((a, b) => String(b.end).localeCompare(String(a.end)));
}

// The tab is shown only where there is something to carry from.
export function carryOverTabShown() { return endedCampaigns().length > 0; }

// One problem's 转入本行动 form: a deadline (optional), the unit that answers for it here (for an
// assigned problem: optional, required when this campaign no longer has its unit, a village merged
// since) and the button.
function carryForm(item, from, onCarried) {
  const inputId = `carry-deadline-${item.id}`;
  const deadline = h('input', { type: 'date', id: inputId, class: 'carry-deadline', 'data-field': 'deadline' });
  const error = h('p', { class: 'error-box', hidden: true });
  const send = h('button', { type: 'submit', class: 'primary carry-submit' }, '转入本行动');
  const unitKnown = !item.unit || session.campaign.units.some((u) => u.id === item.unit);
  const unitId = `carry-unit-${item.id}`;
  const unit = item.unit ? unitSelect({ id: unitId, class: 'carry-unit', 'data-field': 'unit', required: unitKnown ? null : true }) : null;
  if (unit) unit.options[0].textContent = unitKnown ? '（不变）' : '请选择接手的单位';
  const form = h('form', { class: 'carry-form', 'data-carry': item.id },
    h('label', { for: inputId }, '整改时限（不填则按本行动的规定）'),
    h('div', { class: 'row' }, deadline),
    unit ? h('label', { for: unitId }, unitKnown ? '责任单位（不选则不变）'
      : `原责任单位「${item.unit_name || item.unit}」已不在本行动（已合并或撤销），请选择接手的单位`) : null,
    unit ? h('div', { class: 'row' }, unit) : null,
    h('div', { class: 'row' }, send),
    error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormError(form, error);
    send.disabled = true;
    const body = { from: from.id };
    if (deadline.value) body.deadline = deadline.value;
    if (unit && unit.value) body.unit = unit.value;
    try {
      const carried = await api.post(campaignPath(`/problems/${item.id}/carry_over`), body);
      toast(`已将问题 #${item.id} 转入本行动，新编号 #${carried.id}`);
      onCarried(carried);
    } catch (e) {
      showFormError(form, error, describeError(e), e.field);
      send.disabled = false;
    }
  });
  return form;
}

// The card of an old problem carried already: a link to the problem it became.
function carriedCard(old, campaign, newId) {
  return h('li', { class: 'card done', 'data-item': `problem/${old.id}`, 'data-carried': 'true', 'data-carried-to': newId },
    h('div', { class: 'card-body' },
      h('a', { class: 'card-title', href: campaignItemHref(campaign, newId) }, `#${newId} ${old.title}`),
      h('div', { class: 'meta' }, h('span', { class: 'badge carried' }, '回头看'),
        h('span', {}, campaign === session.summary.id ? `已转入本行动（原第${old.id}号）` : `已转入其他行动（原第${old.id}号）`))));
}

async function campaignSection(from) {
  const problems = (await listAll(campaignPath('/problems', from.id))).filter((item) => item.state !== 'closed');
  const carried = problems.filter((item) => item.carried_to).length;
  const list = problems.length
    ? h('ul', { class: 'cards', id: `carry-list-${from.id}` }, problems.map((item) => {
      if (item.carried_to) return carriedCard(item, item.carried_to, item.carried_to_id);
      const card = itemCard(item, { linked: false,
        footer: carryForm(item, from, (arrived) => card.replaceWith(carriedCard(item, arrived.campaign, arrived.id))) });
      return card;
    }))
    : h('p', { class: 'empty' }, '没有未销号的问题。');
  return h('section', { class: 'panel', 'data-from': from.id },
    h('h2', {}, from.name),
    h('p', { class: 'meta' }, `已结束，未销号问题 ${problems.length} 项，其中已转入 ${carried} 项`),
    list);
}

export async function renderCarryOver(main) {
  const ended = endedCampaigns();
  const sections = await Promise.all(ended.map(campaignSection));
  show(main,
    h('h1', {}, '回头看转入'),
    h('p', { class: 'meta' }, `往期行动中尚未销号的问题，可转入「${session.summary.name}」继续整改；转入后是本行动的新问题，往期行动中的原问题及其办理记录、佐证材料保持转出时的样子，可从新问题链接查看。`),
    ended.length ? h('div', { id: 'carry-over' }, sections) : h('p', { class: 'empty', id: 'carry-over' }, '本镇没有已结束的往期行动。'));
}
