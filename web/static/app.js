// The page's entry: who is logged in, which campaign they work in, which tabs their roles get,
// and the hash router (#/campaigns, #/rollup, and in the chosen campaign #/my,
// #/item/problem/12, #/print/item/problem/12, #/print/unit/village_1, #/survey, #/survey/3, #/inspect, #/office, #/import, #/carry, #/outbox, #/dashboard,
// #/exports, #/admin).
import { api, onLoggedOut, msSinceLastRequest, setCsrfToken, setCampaign, campaignPath, describeError } from './api.js';
import { h, show, setHomeYear, setFullDates } from './dom.js';
import { session, hasRole, rememberedCampaign, rememberCampaign, forgetVisitDrafts, setServerClock } from './session.js';
import { renderLogin } from './views/login.js';
import { renderMyWork } from './views/my_work.js';
import { renderItem } from './views/item.js';
import { renderInspectQueue } from './views/inspect.js';
import { renderOffice } from './views/office.js';
import { renderImport } from './views/import.js';
import { renderOutbox } from './views/outbox.js';
import { renderDashboard } from './views/dashboard.js';
import { renderExports } from './views/exports.js';
import { renderSurvey, surveyTabShown } from './views/survey.js';
import { renderSurveyHousehold } from './views/survey_household.js';
import { renderCampaignPicker, phaseText } from './views/campaign_picker.js';
import { renderRollup, rollupTitle } from './views/rollup.js';
import { renderCarryOver, carryOverTabShown } from './views/carry_over.js';
import { renderPrint } from './views/print.js';
import { renderAdmin } from './views/admin.js';
import { renderPassword } from './views/password.js';
import { startVisit } from './news.js';

const main = document.getElementById('main');
// The roles that may be granted the roll-up (the server decides; others are not asked).
const ROLLUP_ROLES = ['leader', 'supervisor', 'office'];

// Tabs in the order a role uses them; a user with several roles gets the union. A campaign's tabs
// show once a campaign is chosen; the deployment's (the roll-up) before that too.
const TABS = [
  { route: 'my', name: '我的任务', roles: ['unit_member'], render: renderMyWork },
  { route: 'inspect', name: '待验收', roles: ['inspector'], render: renderInspectQueue },
  { route: 'office', name: '问题交办', roles: ['office'], render: renderOffice },
  { route: 'import', name: '导入问题', roles: ['office'], render: renderImport },
  { route: 'carry', name: '回头看转入', roles: ['office'], render: renderCarryOver, shown: carryOverTabShown },
  { route: 'dashboard', name: '工作看板', roles: ['leader', 'supervisor', 'office'], render: renderDashboard },
  { route: 'rollup', name: rollupTitle, roles: ROLLUP_ROLES, deployment: true, shown: () => session.rollup, render: (m) => renderRollup(m, drillDown) },
  { route: 'survey', name: '入户核查', roles: ['unit_member', 'office', 'inspector', 'leader', 'supervisor'], render: renderSurvey, shown: surveyTabShown },
  { route: 'outbox', name: '消息推送', roles: ['office'], render: renderOutbox },
  { route: 'admin', name: '账号与提醒', roles: ['office'], render: renderAdmin },
  { route: 'exports', name: '台账与导出', roles: ['office', 'leader', 'supervisor', 'unit_member', 'inspector'], render: renderExports },
];

function tabsForUser() {
  return TABS.filter((tab) => (tab.deployment || session.campaign) && tab.roles.some(hasRole) && (!tab.shown || tab.shown()));
}

function showTabs(current) {
  const nav = document.getElementById('tabs');
  const tabs = tabsForUser();
  show(nav, tabs.map((tab) => h('a', { href: `#/${tab.route}`, class: tab.route === current ? 'active' : null, 'data-route': tab.route,
    'aria-current': tab.route === current ? 'page' : null },
    typeof tab.name === 'function' ? tab.name() : tab.name)));
  nav.hidden = tabs.length === 0;
  const who = document.getElementById('who');
  const name = document.getElementById('who-name');
  name.textContent = session.me.user.display_name || session.me.user.username;
  name.title = [session.me.user.display_name, session.me.user.unit_name, session.me.user.username].filter(Boolean).join(' · ');
  who.hidden = false;
}

// The header names the chosen campaign and its current phase; with several campaigns, a button
// switches to another.
function showCampaign() {
  const summary = session.summary;
  const several = session.campaigns.length > 1;
  document.getElementById('campaign-name').textContent = summary ? summary.name : several ? '请选择行动' : '';
  const phase = document.getElementById('campaign-phase');
  phase.textContent = summary ? `阶段：${phaseText(summary, session.now, true)}` : '';
  phase.hidden = !summary;
  document.getElementById('switch-campaign').hidden = !several;
  document.title = summary ? `整改督办 · ${summary.name}` : '整改督办';
}

// Chooses the campaign every campaign route goes to: who the user is in it and its rules.
async function enterCampaign(id) {
  setCampaign(id);
  try {
    const [me, campaign] = await Promise.all([api.get(campaignPath('/me')), api.get(campaignPath('/campaign'))]);
    session.me = me;
    session.campaign = campaign;
    session.summary = session.campaigns.find((c) => c.id === id) || { id, name: campaign.name, phase: null };
    setHomeYear((session.summary.start || session.now).slice(0, 4));
  } catch (error) {
    setCampaign('');
    session.campaign = null;
    session.summary = null;
    throw error;
  } finally {
    showCampaign();
  }
  rememberCampaign(session.me.user.username, id);
  startVisit(session.me.user.username, id, session.now);
}

function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

async function chooseCampaign(id) {
  await enterCampaign(id);
  const tabs = tabsForUser();
  navigate(`#/${tabs.length ? tabs[0].route : 'exports'}`);
}

async function drillDown(id) {
  await enterCampaign(id);
  navigate('#/dashboard');
}

// The campaigns list again (its figures move), then the picker.
async function showPicker() {
  const list = await api.get('/api/campaigns');
  session.campaigns = list.campaigns || [];
  if (session.summary) session.summary = session.campaigns.find((c) => c.id === session.summary.id) || session.summary;
  showCampaign();
  renderCampaignPicker(main, list, async (id) => {
    try {
      await chooseCampaign(id);
    } catch (error) {
      show(main, h('p', { class: 'error-box' }, describeError(error)));
    }
  });
}

// After a view is drawn: its name in the window's title (what a screen reader announces first,
// and what the taskbar shows), and the keyboard focus where the user was (a filter that redrew
// the same view) or else on the view's heading, so Tab goes on from the top of the new content
// instead of from the page's start.
function settleView(focusedId) {
  const heading = main.querySelector('h1');
  document.title = [heading && heading.textContent.trim(), session.summary ? session.summary.name : '', '整改督办']
    .filter(Boolean).join(' · ');
  if (main.contains(document.activeElement) && document.activeElement !== main) return;  // focused while drawing
  const same = focusedId && document.getElementById(focusedId);
  if (same && main.contains(same)) return same.focus();
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}

async function route() {
  if (!session.me) return;
  const focusedId = main.contains(document.activeElement) ? document.activeElement.id : '';
  await drawRoute();
  if (location.hash === routedHash) settleView(focusedId);
}

let routedHash = '';

async function drawRoute() {
  routedHash = location.hash;
  session.views += 1;
  setFullDates(false);  // the print views set it
  const parts = (location.hash.replace(/^#\/?/, '').split('?')[0] || '').split('/').filter(Boolean);
  const tabs = tabsForUser();
  if (parts.length === 0 || (!session.campaign && !['campaigns', 'password'].includes(parts[0]) && !tabs.some((t) => t.route === parts[0]))) {
    location.replace(session.campaign ? `#/${tabs.length ? tabs[0].route : 'exports'}` : '#/campaigns');
    return;
  }
  const [name, ...rest] = parts;
  if (name === 'campaigns') {
    showTabs(null);
    return guarded(showPicker);
  }
  if (name === 'item' && rest.length === 2) {
    showTabs(null);
    return renderItem(main, rest[0], Number(rest[1]));
  }
  if (name === 'password') {
    showTabs(null);
    return renderPassword(main);
  }
  if (name === 'print') {
    showTabs(null);
    return renderPrint(main, rest);
  }
  if (name === 'survey' && rest.length === 1) {
    showTabs('survey');
    return renderSurveyHousehold(main, Number(rest[0]));
  }
  const tab = tabs.find((t) => t.route === name);
  if (!tab) {
    showTabs(null);
    show(main, h('p', { class: 'notice' }, '没有这个页面，或您的角色无权查看。'));
    return;
  }
  showTabs(name);
  return guarded(() => tab.render(main));
}

async function guarded(render) {
  show(main, h('p', { class: 'loading' }, '正在加载…'));
  try {
    await render();
  } catch (error) {
    show(main, h('p', { class: 'error-box' }, describeError(error)));
  }
}

async function rollupAllowed() {
  if (!ROLLUP_ROLES.some(hasRole)) return false;
  try {
    await api.get(`/api/rollup?as_of=${encodeURIComponent(session.now)}`);
    return true;
  } catch {
    return false;  // 403: this user sees no campaign whole; anything else: no roll-up either
  }
}

// `list`: GET /api/campaigns. One campaign is entered at once; of several, the one chosen last
// on this browser, or none until the user picks one.
async function loggedIn(list) {
  setCsrfToken(list.csrf_token);
  session.idleSeconds = Number(list.idle_timeout_seconds) || 0;
  setCampaign('');
  session.me = { user: list.user, actions: [], sees_all: false };
  session.campaigns = list.campaigns || [];
  session.campaign = null;
  session.summary = null;
  setServerClock((await api.get('/api/health')).now);
  setHomeYear(session.now.slice(0, 4));
  session.rollup = await rollupAllowed();
  // A message's link names its campaign (/?campaign=…#/item/problem/7): that one, if the user
  // may see it; else the one chosen last on this browser.
  const linked = new URLSearchParams(location.search).get('campaign');
  const remembered = rememberedCampaign(list.user.username);
  const first = session.campaigns.length === 1 ? session.campaigns[0]
    : session.campaigns.find((c) => c.id === linked) || session.campaigns.find((c) => c.id === remembered);
  if (first) {
    try {
      await enterCampaign(first.id);
    } catch (error) {
      if (session.campaigns.length === 1) throw error;  // several: the picker offers the others
    }
  }
  showCampaign();
  await route();
}

// The server ended the session (an hour without a request, its 12 hours, a password changed
// elsewhere) while a view was open: the login is asked for over the view, so that a note being
// typed survives. The same user logging in again goes on where they were; another starts anew.
// What the user last put the focus on: a send button that waits for its answer is disabled and
// loses the focus before the answer says the session has ended.
let lastFocused = null;
document.addEventListener('focusin', (event) => { if (!event.target.closest?.('#relogin')) lastFocused = event.target; });

function sessionEnded(error) {
  if (!session.me) return loggedOut();
  if (document.getElementById('relogin')) return;
  const username = session.me.user.username;
  const idle = /without use/.test(error && error.message ? error.message : '');
  const idleMinutes = Math.round((session.idleSeconds || 3600) / 60);
  document.getElementById('idle-warning')?.remove();
  const panel = h('div', { class: 'relogin-panel' });
  const overlay = h('div', { id: 'relogin', class: 'relogin', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'relogin-reason' },
    h('p', { class: 'relogin-reason', id: 'relogin-reason' }, idle ? `已超过${idleMinutes}分钟未操作，登录已结束。` : '登录已失效。',
      '请重新登录；页面上正在填写的内容会保留，登录后再提交即可。'),
    panel);
  // The page behind waits, out of the keyboard's and the screen reader's reach, until the login;
  // then the focus goes back to what the user last pressed (the send button of their note).
  const interrupted = lastFocused;
  const behind = [...document.body.children];
  for (const element of behind) element.inert = true;
  const release = () => { for (const element of behind) element.inert = false; };
  // Tab goes round the dialog's own fields and buttons.
  overlay.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return;
    const stops = [...overlay.querySelectorAll('input, button, select, textarea, a[href]')].filter((el) => !el.disabled && el.offsetParent);
    if (!stops.length) return;
    const [first, last] = [stops[0], stops[stops.length - 1]];
    if (event.shiftKey ? document.activeElement === first : document.activeElement === last) {
      event.preventDefault();
      (event.shiftKey ? last : first).focus();
    }
  });
  document.body.appendChild(overlay);
  renderLogin(panel, async () => {
    const list = await api.get('/api/campaigns');
    overlay.remove();
    release();
    if (list.user.username === username) {
      setCsrfToken(list.csrf_token);
      if (interrupted && document.contains(interrupted)) interrupted.focus();
      return;
    }
    await loggedIn(list);
  }, username);
  overlay.querySelector('input[type=password]')?.focus();
}

// Reading a long list asks the server nothing, and the server ends a session an hour without a
// request. Five minutes before, the page says so and offers to go on (WCAG 2.2.1: a time limit
// is told and can be extended); once the hour is over it asks for the login at once, rather than
// at the next press, which would lose that press.
const IDLE_WARNING_MS = 5 * 60 * 1000;
function watchIdle() {
  const warning = () => document.getElementById('idle-warning');
  setInterval(() => {
    const limit = (session.idleSeconds || 0) * 1000;
    if (!session.me || !limit || document.getElementById('relogin')) return warning()?.remove();
    const quiet = msSinceLastRequest();
    if (quiet < limit - IDLE_WARNING_MS) return warning()?.remove();
    if (quiet >= limit) return sessionEnded({ message: 'ended after an hour without use' });
    if (warning()) return;
    const minutes = Math.max(1, Math.ceil((limit - quiet) / 60000));
    const goOn = h('button', { type: 'button', class: 'primary', id: 'idle-continue', onclick: async () => {
      goOn.disabled = true;
      try { await api.get('/api/campaigns'); } catch { /* a 401 asks for the login */ }
      warning()?.remove();
    } }, '继续使用');
    document.body.append(h('div', { id: 'idle-warning', class: 'idle-warning', role: 'alert' },
      h('p', {}, `您已较长时间未操作，约${minutes}分钟后将退出登录，未提交的内容需重新登录后再提交。`), goOn));
  }, 15 * 1000);
}

function loggedOut() {
  document.getElementById('idle-warning')?.remove();
  document.getElementById('relogin')?.remove();
  for (const element of document.body.children) element.inert = false;
  session.me = null;
  session.campaign = null;
  session.summary = null;
  session.campaigns = [];
  setCampaign('');
  setCsrfToken('');
  showCampaign();
  document.getElementById('tabs').hidden = true;
  document.getElementById('who').hidden = true;
  renderLogin(main, async () => loggedIn(await api.get('/api/campaigns')));
}

async function start() {
  document.documentElement.dataset.started = '1';  // boot.js: the modules all came
  onLoggedOut(sessionEnded);
  watchIdle();
  // Typing is use: the server ends a session after an hour without a request, and a long visit
  // record or verification note typed with none in between must not lose its session.
  const KEEP_ALIVE_MS = 5 * 60 * 1000;
  document.addEventListener('input', () => {
    if (session.me && !document.getElementById('relogin') && msSinceLastRequest() > KEEP_ALIVE_MS) {
      api.get('/api/campaigns').catch(() => { /* a 401 asks for the login; anything else waits for the next */ });
    }
  });
  window.addEventListener('hashchange', route);
  // 跳到正文: past the header and the tabs, for the keyboard (no #fragment: the hash is the route's).
  document.getElementById('skip-link').addEventListener('click', () => {
    const target = main.querySelector('h1') || main;
    target.tabIndex = -1;
    target.focus();
  });
  // An error stays on screen until it is read: a tap (or Enter on it) puts it away.
  document.getElementById('toast').addEventListener('click', (event) => { event.currentTarget.hidden = true; });
  document.getElementById('switch-campaign').addEventListener('click', () => navigate('#/campaigns'));
  document.getElementById('logout').addEventListener('click', async () => {
    try { await api.post('/api/logout', {}); } catch { /* the session may be gone already */ }
    forgetVisitDrafts();
    loggedOut();
  });
  try {
    await loggedIn(await api.get('/api/campaigns'));
  } catch (error) {
    if (error.status !== 401) show(main, h('p', { class: 'error-box' }, describeError(error)));
  }
}

start();
