// What every browser test shares: the real `rectify` binary on a fresh database in a temp dir
// (port 0, a fixed clock), users made with `rectify user add --password-stdin`, items made
// through the real API, and Debian's headless Chromium driven by playwright-core.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.RECTIFY_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

export function equal(actual, expected, message) {
  if (JSON.stringify(actual) !== JSON.stringify(expected))
    throw new Error(`check failed: ${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

// fetch, sent again once when the connection it reused was closed before any answer came. rectify
// closes a kept-alive connection that idles 5 s, or at once when other connections wait for a
// worker (README, "Serving many clients"), and a request sent on it at that moment is never read:
// browsers send it again, Node's fetch fails with "other side closed". Any other failure, and
// every answer, is the caller's.
export async function fetchOnFreshConnection(url, init) {
  try {
    return await fetch(url, init);
  } catch (error) {
    const code = error?.cause?.code;
    if (code !== 'UND_ERR_SOCKET' && code !== 'ECONNRESET') throw error;
    return fetch(url, init);
  }
}

export class Rectify {
  // `campaign`: one campaign file; or `campaigns` (several) and `county` for a deployment of
  // several towns.
  constructor({ binary, campaign, campaigns, county, now = '2021-10-12T09:00' }) {
    this.binary = binary;
    this.campaigns = campaigns || [campaign];
    this.county = county;
    this.now = now;
    this.dir = mkdtempSync(path.join(tmpdir(), 'rectify-browser-'));
    this.db = path.join(this.dir, 'rectify.sqlite');
    this.url = null;
    this.process = null;
    this.output = '';
  }

  deploymentArgs() {
    return [...this.campaigns.flatMap((file) => ['--campaign', file]), ...(this.county ? ['--county', this.county] : [])];
  }

  // `rectify user add` with the password on stdin; before or while the server runs.
  // `town` (default gaoqiao), or `county: true` for a county-level leader or supervisor.
  addUser({ username, unit, roles, displayName, town = 'gaoqiao', county = false,
    password = `Campaign-2021-${Math.random().toString(36).slice(2, 10)}` }) {
    const args = ['user', 'add', '--db', this.db, '--username', username, '--password-stdin', '--now', this.now];
    args.push(...(county ? ['--county'] : ['--town', town]));
    if (unit) args.push('--unit', unit);
    if (displayName) args.push('--display-name', displayName);
    for (const role of roles) args.push('--role', role);
    const run = spawnSync(this.binary, args, { input: `${password}\n`, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`rectify user add ${username} failed: ${run.stderr}${run.stdout}`);
    return { username, password };
  }

  // `rectify demo --no-serve`: the campaign's sample items and demo users; returns the users'
  // passwords as the command printed them, by username.
  // `samples`: one file, or one per campaign.
  seedDemo(samples) {
    const run = spawnSync(this.binary, ['demo', '--no-serve', '--db', this.db, ...this.deploymentArgs(),
      ...[].concat(samples).flatMap((file) => ['--samples', file]), '--now', this.now], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`rectify demo failed: ${run.stderr}${run.stdout}`);
    const users = {};
    for (const m of run.stdout.matchAll(/^ {2}(\S+) {2}(\S+) {2}\(/gm)) users[m[1]] = { username: m[1], password: m[2] };
    if (!users['demo.office']) throw new Error(`no demo users in:\n${run.stdout}`);
    return users;
  }

  // Starts `rectify serve` and waits for its "serving ... on http://127.0.0.1:PORT/api/health";
  // on `port`, or one the kernel picks.
  async start(port = 0) {
    this.process = spawn(this.binary, ['serve', '--db', this.db, ...this.deploymentArgs(), '--port', String(port), '--now', this.now],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process.stderr.on('data', (chunk) => { this.output += chunk; });
    this.url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`rectify serve did not start:\n${this.output}`)), 15000);
      this.process.stdout.on('data', (chunk) => {
        this.output += chunk;
        const m = /on (http:\/\/127\.0\.0\.1:\d+)\/api\/health/.exec(this.output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      this.process.on('exit', (code) => reject(new Error(`rectify serve exited with ${code}:\n${this.output}`)));
    });
    return this.url;
  }

  // Stops the server and keeps its database: start() again serves it on a new port.
  async halt() {
    if (this.process && this.process.exitCode === null) {
      const exited = new Promise((resolve) => this.process.on('exit', resolve));
      this.process.kill('SIGTERM');
      await exited;
    }
  }

  // The same database served again with the clock at `now` (a later season); `samePort` keeps
  // the address, so that a page left open goes on talking to it.
  async restartAt(now, { samePort = false } = {}) {
    const port = samePort ? Number(new URL(this.url).port) : 0;
    await this.halt();
    this.now = now;
    this.output = '';
    return this.start(port);
  }

  async stop() {
    await this.halt();
    rmSync(this.dir, { recursive: true, force: true });
  }

  // A bearer session for setting up data through the API (not through the page under test).
  // A body is sent as JSON, or a FormData as multipart (an upload).
  async apiAs({ username, password }) {
    const login = await fetchOnFreshConnection(`${this.url}/api/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password, session: 'bearer' }),
    });
    const body = await login.json();
    if (login.status !== 200) throw new Error(`login ${username}: ${JSON.stringify(body)}`);
    const token = body.token;
    const call = async (method, url, data) => {
      const multipart = data instanceof FormData;
      const response = await fetchOnFreshConnection(`${this.url}${url}`, {
        method, headers: { Authorization: `Bearer ${token}`, ...(multipart ? {} : { 'Content-Type': 'application/json' }) },
        body: data === undefined || multipart ? data : JSON.stringify(data),
      });
      const isJson = (response.headers.get('content-type') || '').includes('json');
      const bytes = Buffer.from(await response.arrayBuffer());
      return { status: response.status, body: isJson && bytes.length ? JSON.parse(bytes.toString('utf8')) : null, bytes };
    };
    return { get: (url) => call('GET', url), post: (url, data) => call('POST', url, data) };
  }
}

// Whether the server has a route at all: "no route" 404 means a feature it was built without.
export async function hasRoute(api, url) {
  const answer = await api.get(url);
  return !(answer.status === 404 && /^no route /.test((answer.body && answer.body.message) || ''));
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

// A page whose uncaught errors and CSP violations fail the test. Chromium also logs every
// non-2xx fetch as a console error; those are the API's answers, checked where they matter.
export async function newPage(browser, viewport, artefacts) {
  const context = await browser.newContext({ viewport, acceptDownloads: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (/^Failed to load resource: the server responded with a status of (400|401|403|404|409|422)/.test(text)) return;
    page.problems.push(`console error: ${text}`);
  });
  page.setDefaultTimeout(10000);
  page.shot = async (name) => {
    mkdirSync(artefacts, { recursive: true });
    await page.screenshot({ path: path.join(artefacts, `${name}.png`), fullPage: true });
  };
  return page;
}

export function assertNoPageProblems(page) {
  if (page.problems.length) throw new Error(`the page reported problems:\n${page.problems.join('\n')}`);
}

export async function login(page, url, { username, password }) {
  await page.goto(`${url}/`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await page.waitForSelector('#tabs:not([hidden])');
}

export async function logout(page) {
  await page.click('#logout');
  await page.waitForSelector('#login-form');
}

// Opens an item's page and waits until it shows.
export async function openItem(page, kind, id) {
  await page.evaluate(([k, i]) => { location.hash = `#/item/${k}/${i}`; }, [kind, id]);
  await page.waitForSelector(`#item-title`);
  await page.waitForSelector('#history');
}

// Fires an event from the item page: clicks its button, fills the form, confirms, waits for
// the page to show `stateLabel`.
export async function fireFromPage(page, event, fields = {}, stateLabel, files) {
  await page.click(`#actions button[data-event="${event}"]`);
  await page.waitForSelector(`#form-${event}`);
  for (const [name, value] of Object.entries(fields)) {
    const selector = `#form-${event} [data-field="${name}"]`;
    if (await page.$eval(selector, (el) => el.tagName) === 'SELECT') await page.selectOption(selector, value);
    else await page.fill(selector, value);
  }
  if (files) await page.setInputFiles('#evidence-input', files);
  await page.click('#event-send');
  if (stateLabel) await page.waitForFunction((label) => {
    const el = document.querySelector('#item-state');
    return el && el.textContent === label && !document.querySelector('#event-send');
  }, stateLabel);
}
