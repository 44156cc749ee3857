// The JSON API, as the page calls it: the session cookie rides along by itself; writes carry
// the X-CSRF-Token header that the login answer (or GET /api/me) gave. A 401 anywhere means the
// session is gone: the page shows the login form.

let csrfToken = '';
let campaignId = '';

export function setCsrfToken(token) { csrfToken = token || ''; }

// The campaign every campaign route goes to (GET /api/campaigns lists those the user may see).
export function setCampaign(id) { campaignId = id || ''; }

// The one place a campaign's route is spelled: campaignPath('/problems') is
// "/api/campaigns/{chosen}/problems", campaignPath('/problems', other) another campaign's (回头看
// reads an ended one). The deployment's own routes (login, logout, /api/campaigns,
// /api/rollup, /api/health, tokens) are written plain where they are called.
export function campaignPath(route, id = campaignId) {
  if (!id) throw new Error(`no campaign chosen for ${route}`);
  return `/api/campaigns/${encodeURIComponent(id)}${route}`;
}

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.code = (body && body.error) || 'http_error';
    this.field = body && body.field;
    this.body = body || {};
  }
  // Whether the server has no such route at all (a feature not built into this server).
  get noRoute() { return this.status === 404 && /^no route /.test(this.message); }
}

// What a person should read for a failed call: the one table of Chinese messages (errors.js).
export { describeError } from './errors.js';

let requestTimeoutMs = 30000;
// How long a request waits for its answer (the page keeps 30 s; tests shorten it).
export function setRequestTimeout(ms) { requestTimeoutMs = ms; }
// No answer in time: read as a network failure (status undefined).
export class TimeoutError extends Error {
  constructor() {
    super('请求超时：网络没有应答，请检查网络后重试');
    this.name = 'TimeoutError';
  }
}

const listeners = new Set();
// `callback(error)` runs when any call answers 401.
export function onLoggedOut(callback) { listeners.add(callback); }

// The Idempotency-Key of a create sent from a form: the same while the same body is sent again
// (its answer lost on a weak network, the person taps 保存 again, or the browser re-sends it on
// its own), so the server answers with the item the first one made instead of making another.
export function requestKeys() {
  let body = null;
  let key = '';
  return (sent) => {
    const text = JSON.stringify(sent);
    if (text !== body) {
      body = text;
      key = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
    }
    return { 'Idempotency-Key': key };
  };
}

// When this page, or another tab of this browser on the same server, last asked the server anything:
// the server ends a session idle too long, and a tab left on a list while the user works in
// another is not idle.
const kLastRequestKey = 'rectify.lastRequestAt';
let lastRequestAt = Date.now();
function noteRequest() {
  noteRequest();
  try { localStorage.setItem(kLastRequestKey, String(lastRequestAt)); } catch { /* private mode: this tab only */ }
}
export function msSinceLastRequest() {
  let shared = 0;
  try { shared = Number(localStorage.getItem(kLastRequestKey)) || 0; } catch { /* this tab only */ }
  return Date.now() - Math.max(lastRequestAt, shared);
}

// `signal`: the caller's AbortSignal; an abort fails the call with an AbortError.
async function send(method, path, { body, headers = {}, signal } = {}) {
  const init = { method, headers: { ...headers }, credentials: 'same-origin' };
  if (method !== 'GET') init.headers['X-CSRF-Token'] = csrfToken;
  if (body instanceof FormData || typeof body === 'string' || body instanceof Blob) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  lastRequestAt = Date.now();
  // A request whose answer never comes (a link that died without closing) must not leave a form
  // greyed out for good: after requestTimeoutMs it fails as a network error, and the person can
  // send it again (creates and events are safe to repeat). Uploads take their time on a slow link.
  const upload = init.body instanceof FormData || init.body instanceof Blob;
  const controller = new AbortController();
  const timer = upload ? null : setTimeout(() => controller.abort(), requestTimeoutMs);
  init.signal = controller.signal;
  if (signal) signal.addEventListener('abort', () => controller.abort(), { once: true });
  let response, text;
  try {
    response = await fetch(path, init);
    text = await response.text();
  } catch (error) {
    if (signal && signal.aborted) throw new DOMException('cancelled', 'AbortError');
    if (controller.signal.aborted) throw new TimeoutError();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = { message: text.slice(0, 200) }; }
  if (!response.ok) {
    const error = new ApiError(response.status, json);
    if (response.status === 401 && path !== '/api/login') listeners.forEach((f) => f(error));
    throw error;
  }
  return json;
}

export const api = {
  get: (path) => send('GET', path),
  post: (path, body, headers, signal) => send('POST', path, { body, headers, signal }),
};

// "…/problems?unit=x&state=y" from a base and the non-empty values of `params`.
export function withQuery(base, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== '' && value !== null && value !== undefined) query.set(key, value);
  // URLSearchParams writes a space as "+", which the server reads as a plus sign (a search of
  // two words would become one): spaces go as %20 (a real "+" is already %2B).
  const text = query.toString().replace(/\+/g, '%20');
  return text ? `${base}?${text}` : base;
}

// Every page of a keyset-paged list (a campaign's problems and enrollments), up to `max` items.
export async function listAll(base, params = {}, max = 2000) {
  const items = [];
  let after = null;
  for (;;) {
    const page = await api.get(withQuery(base, { ...params, limit: 500, after }));
    items.push(...page.items);
    if (page.next_after === null || page.next_after === undefined || items.length >= max) return items;
    after = page.next_after;
  }
}
