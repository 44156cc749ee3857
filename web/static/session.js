// What every view reads: the campaigns the user may see (GET /api/campaigns), the chosen one's
// summary, who the user is in it (GET /api/campaigns/{id}/me), the campaign itself
// (…/campaign: units, areas, sources, the state and event labels) and the server's clock
// (GET /api/health: a demo runs on a clock of its own, and "today" on the dashboard is the server's today).

export const session = {
  me: null,        // {user: {username, display_name, town, town_name, unit, unit_name, roles}, actions, sees_all}
  campaigns: [],   // GET /api/campaigns: [{id, name, town, town_name, phase, ended, figures}]
  county: null,    // {id, name} of the deployment's county, if it has one
  summary: null,   // the chosen campaign's entry in `campaigns`
  campaign: null,  // the chosen campaign (null until one is chosen)
  rollup: false,   // whether GET /api/rollup answers this user
  // The server's clock (GET /api/health) and when the page read it: `now` runs on from there, so
  // a page left open past midnight has the new day's date (a form's default, a date's max).
  serverClock: null,  // {at: milliseconds of the server's clock, seen: Date.now() then}
  // ISO time of the server's clock now, in +08:00 (Asia/Shanghai, the business time zone).
  get now() {
    if (!this.serverClock) return null;
    const ms = this.serverClock.at + (Date.now() - this.serverClock.seen);
    return `${new Date(ms + 8 * 3600e3).toISOString().slice(0, 19)}+08:00`;
  },
  views: 0,        // the views shown since the page loaded: 1 means it opened on this one (a link)
  idleSeconds: 0,  // how long without a request ends this login (GET /api/campaigns); 0: no idle end
};

// The campaign a user chose last on this browser, remembered across reloads and logins.
const CHOICE_KEY = 'rectify.campaign.';
export function rememberedCampaign(username) {
  try { return localStorage.getItem(CHOICE_KEY + username); } catch { return null; }
}
export function rememberCampaign(username, id) {
  try { localStorage.setItem(CHOICE_KEY + username, id); } catch { /* private mode: chosen again next time */ }
}

// Visit sheets (附件2) typed but not yet sent, kept in localStorage under this prefix until the
// server has them (views/survey_household.js). They hold personal data: logging out drops every
// one on this browser.
export const VISIT_DRAFT_PREFIX = 'rectify.visit-draft.';
export function forgetVisitDrafts() {
  try {
    const keys = [];
    for (let i = 0; i < localStorage.length; ++i) {
      const key = localStorage.key(i);
      if (key && key.startsWith(VISIT_DRAFT_PREFIX)) keys.push(key);
    }
    keys.forEach((key) => localStorage.removeItem(key));
  } catch { /* private mode: nothing was kept */ }
}

// Notes the server's clock as GET /api/health gave it (an ISO time).
export function setServerClock(iso) {
  session.serverClock = { at: Date.parse(iso), seen: Date.now() };
}

// What an item of `subject` ('problem', 'enrollment', 'ledger') is due by when no date is given,
// as the campaign's rules say it ("按“10月底前各类问题动态清零”"), with the rule that takes over
// once a fixed date has passed; '' when the campaign sets none.
export function defaultDeadlineText(subject) {
  const rules = (session.campaign && session.campaign.deadlines) || [];
  const rule = rules.find((r) => r.applies_to === subject && (r.item_default || subject === 'ledger'));
  if (!rule) return '';
  const after = rule.if_past && rules.find((r) => r.id === rule.if_past);
  return `按“${rule.name}”${after ? `（已过时按“${after.name}”）` : ''}`;
}

// The campaign's last day once it has ended (the server's today is past its last phase), else ''.
// An ended campaign takes only what was found by that day, recorded late (campaign_ended).
export function campaignEndedOn() {
  const phases = (session.campaign && session.campaign.phases) || [];
  const last = phases.map((p) => p.end).filter(Boolean).sort().pop() || '';
  return last && session.now.slice(0, 10) > last ? last : '';
}

export function hasRole(role) {
  return Boolean(session.me && session.me.user.roles.includes(role));
}

export function mayDo(action) {
  return Boolean(session.me && session.me.actions.includes(action));
}

// "problem" or "enrollment" to the path segment of the API.
export function kindPath(kind) { return kind === 'enrollment' ? 'enrollments' : 'problems'; }

export function statePath(item) { return item.step ? `${item.state}.${item.step}` : item.state; }

// Events the history holds that no one fires, so the campaign file does not label them.
// carry_over (回头看) is the deployment's, not a workflow event: the loader takes no label for it.
const BUILT_IN_LABELS = { create: '登记', warning_tier: '预警等级变化', carry_over: '回头看转入', carried_out: '回头看转出' };

// The campaign's Chinese label of a state path or an event, or the key itself.
export function label(kind, key) {
  const labels = session.campaign && session.campaign.labels && session.campaign.labels[kind];
  return (labels && labels[key]) || BUILT_IN_LABELS[key] || key;
}

export function unitName(id) {
  if (!id) return '未交办';
  const unit = session.campaign && session.campaign.units.find((u) => u.id === id);
  return unit ? unit.name : id;
}

export function areaName(number) {
  const area = session.campaign && session.campaign.areas.find((a) => a.number === Number(number));
  return area ? `${area.number}. ${area.name}` : String(number);
}

export function sourceName(id) {
  const source = session.campaign && session.campaign.sources.find((x) => x.id === id);
  return source ? source.name : id;
}

// Who did something, as a person reads it: the display name the server gives with the actor
// (actor_name, uploaded_by_name), else the login name without "user ", and the server's own
// doings (the notifier's, a command's) as 系统.
export function actorText(actor, displayName) {
  if (displayName) return displayName;
  return String(actor || '').replace(/^user /, '').replace(/^rectify\b.*/, '系统');
}

// Item kinds by their Chinese name.
export const KIND_NAMES = { problem: '问题整改', enrollment: '识别纳入' };
