// The page's entry: who is logged in, which tabs their roles get, and the hash router
// (#/my, #/item/problem/12, #/survey, #/survey/3, #/inspect, #/office, #/import, #/outbox, #/dashboard, #/exports).
import { api, onLoggedOut, setCsrfToken, describeError } from './api.js';
import { h, show } from './dom.js';
import { session, hasRole } from './session.js';
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

const main = document.getElementById('main');

// Tabs in the order a role uses them; a user with several roles gets the union.
const TABS = [
  { route: 'my', name: '我的任务', roles: ['unit_member'], render: renderMyWork },
  { route: 'inspect', name: '待验收', roles: ['inspector'], render: renderInspectQueue },
  { route: 'office', name: '问题交办', roles: ['office'], render: renderOffice },
  { route: 'import', name: '导入问题', roles: ['office'], render: renderImport },
  { route: 'dashboard', name: '工作看板', roles: ['leader', 'supervisor', 'office'], render: renderDashboard },
  { route: 'survey', name: '入户核查', roles: ['unit_member', 'office', 'inspector', 'leader', 'supervisor'], render: renderSurvey, shown: surveyTabShown },
  { route: 'outbox', name: '消息推送', roles: ['office'], render: renderOutbox },
  { route: 'exports', name: '台账与导出', roles: ['office', 'leader', 'supervisor', 'unit_member', 'inspector'], render: renderExports },
];

function tabsForUser() { return TABS.filter((tab) => tab.roles.some(hasRole) && (!tab.shown || tab.shown())); }

function showTabs(current) {
  const nav = document.getElementById('tabs');
  show(nav, tabsForUser().map((tab) =>
    h('a', { href: `#/${tab.route}`, class: tab.route === current ? 'active' : null, 'data-route': tab.route }, tab.name)));
  nav.hidden = false;
  const who = document.getElementById('who');
  const name = document.getElementById('who-name');
  name.textContent = session.me.user.display_name || session.me.user.username;
  name.title = [session.me.user.display_name, session.me.user.unit_name, session.me.user.username].filter(Boolean).join(' · ');
  who.hidden = false;
}

async function route() {
  if (!session.me) return;
  const parts = (location.hash.replace(/^#\/?/, '').split('?')[0] || '').split('/').filter(Boolean);
  const tabs = tabsForUser();
  if (parts.length === 0) {
    location.replace(`#/${tabs.length ? tabs[0].route : 'exports'}`);
    return;
  }
  const [name, ...rest] = parts;
  if (name === 'item' && rest.length === 2) {
    showTabs(null);
    return renderItem(main, rest[0], Number(rest[1]));
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
  show(main, h('p', { class: 'loading' }, '正在加载…'));
  try {
    await tab.render(main);
  } catch (error) {
    show(main, h('p', { class: 'error-box' }, describeError(error)));
  }
}

async function loggedIn(me) {
  session.me = me;
  setCsrfToken(me.csrf_token);
  const [campaign, health] = await Promise.all([api.get('/api/campaign'), api.get('/api/health')]);
  session.campaign = campaign;
  session.now = health.now;
  document.getElementById('campaign-name').textContent = campaign.name;
  document.title = `整改督办 · ${campaign.name}`;
  await route();
}

function loggedOut() {
  session.me = null;
  setCsrfToken('');
  document.getElementById('tabs').hidden = true;
  document.getElementById('who').hidden = true;
  renderLogin(main, async () => loggedIn(await api.get('/api/me')));
}

async function start() {
  onLoggedOut(loggedOut);
  window.addEventListener('hashchange', route);
  document.getElementById('logout').addEventListener('click', async () => {
    try { await api.post('/api/logout', {}); } catch { /* the session may be gone already */ }
    loggedOut();
  });
  try {
    await loggedIn(await api.get('/api/me'));
  } catch (error) {
    if (error.status !== 401) show(main, h('p', { class: 'error-box' }, describeError(error)));
  }
}

start();
