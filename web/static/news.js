// Work that is new since the user's last visit: the items that entered their current state
// (交办, 退回, 转入 …) after the user last opened this campaign on this browser. The visit is
// remembered per user and campaign in localStorage; "last visit" is the one before this page
// load, so the count stays put while the user works through the list.
import { h } from './dom.js';

const VISIT_KEY = 'rectify.visit.';
const previous = new Map();  // campaign id -> ISO time of the visit before this page load (or null)

// Records this visit (at the server's `now`) once per page load and campaign.
export function startVisit(username, campaignId, now) {
  if (previous.has(campaignId)) return;
  const key = `${VISIT_KEY}${username}.${campaignId}`;
  let before = null;
  try {
    before = localStorage.getItem(key);
    localStorage.setItem(key, now);
  } catch { /* private mode: nothing is new */ }
  previous.set(campaignId, before);
}

// Whether `item` changed state since the last visit to `campaignId`; never on a first visit.
export function isNew(item, campaignId) {
  const before = previous.get(campaignId);
  return Boolean(before && item.state_since && Date.parse(item.state_since) > Date.parse(before));
}

// "新 3" beside a list's heading (and on its tab), or null when nothing is new.
export function newBadge(items, campaignId, route) {
  const count = items.filter((item) => isNew(item, campaignId)).length;
  const tab = document.querySelector(`#tabs a[data-route="${route}"]`);
  if (tab) {
    tab.querySelector('.tab-new')?.remove();
    if (count) tab.append(h('span', { class: 'tab-new', title: '上次访问以来的新事项' }, String(count)));
  }
  return count ? h('span', { class: 'badge new', id: `${route}-new`, title: '上次访问以来新交办、退回或转入的事项' }, `新 ${count}`) : null;
}
