// A deployment of two towns' campaigns under the demo county (what `make demo` serves): a town's
// office sees only its town's campaign and goes straight in; the county leader picks a campaign
// from 选择行动, sees its name and phase in the header, finds the choice remembered after a
// reload, reads the roll-up (the figures GET /api/rollup gives) and drills down into a campaign's
// dashboard. At desktop and at phone width; every campaign call goes to /api/campaigns/{id}/...
import path from 'node:path';
import {
  Rectify, launchBrowser, newPage, login, logout, check, equal, assertNoPageProblems, DESKTOP, PHONE,
} from '../harness.mjs';

const GAOQIAO = 'gaoqiao-2021-autumn';
const SAMPLE_TOWN = 'shiyan-2021-autumn-sample';
// The deployment's own routes: everything else the page asks must name its campaign.
const DEPLOYMENT_ROUTE = /^\/api\/(login|logout|health|campaigns|rollup|me\/password|tokens)(\?|$)|^\/api\/campaigns\/[^/]+\//;

// The header shows the campaign's name and phase, inside the screen's width.
async function headerShows(page, summary, what) {
  await page.waitForFunction((name) => document.getElementById('campaign-name').textContent === name, summary.name);
  const phase = await page.$eval('#campaign-phase', (el) => {
    const r = el.getBoundingClientRect();
    return { text: el.textContent, visible: !el.hidden && r.width > 0 && r.height > 0, inside: r.left >= 0 && r.right <= window.innerWidth && r.top >= 0 };
  });
  check(phase.visible && phase.inside, `${what}: the phase is in view (${JSON.stringify(phase)})`);
  check(summary.phase && phase.text.includes(summary.phase.name), `${what}: the header names the phase ${summary.phase && summary.phase.name}, shows "${phase.text}"`);
}

async function noSidewaysScrolling(page, what) {
  equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, `${what}: no sideways scrolling`);
}

function figuresOf(summary) {
  return [summary.figures.problems, summary.figures.open, summary.figures.overdue].map(String);
}

function rollupCells(f) {
  return [f.open, f.overdue, f.closed_on_time, f.closed_late, f.send_backs].map(String).concat(`${f.ledgers_handed_in}/${f.ledgers_due}`);
}

async function townOffice(browser, viewport, tag, { url, users, artefacts, officeList }) {
  const page = await newPage(browser, viewport, artefacts);
  await login(page, url, users['demo.office']);
  equal(officeList.campaigns.map((c) => c.id), [GAOQIAO], 'Gaoqiao\'s office sees only Gaoqiao\'s campaign');
  await page.waitForSelector('#office-list, #main h1');
  check(!(await page.$('#campaign-list')), 'one campaign: no picker');
  await headerShows(page, officeList.campaigns[0], `${tag} office`);
  equal(await page.isHidden('#switch-campaign'), true, 'one campaign: nothing to switch to');
  await page.shot(`campaigns-${tag}-office`);
  assertNoPageProblems(page);
  await page.context().close();
}

async function countyLeader(browser, viewport, tag, { url, users, artefacts, list, rollup }) {
  const page = await newPage(browser, viewport, artefacts);
  const asked = [];
  page.on('request', (request) => {
    const { pathname, search } = new URL(request.url());
    if (pathname.startsWith('/api/')) asked.push(pathname + search);
  });

  // Two campaigns and nothing chosen yet on this browser: the picker, with the API's figures.
  await login(page, url, users['demo.county.leader']);
  await page.waitForSelector('#campaign-list');
  equal(await page.$$eval('#campaign-list li', (cards) => cards.map((li) => li.dataset.campaign)), list.campaigns.map((c) => c.id), 'a card per campaign');
  for (const summary of list.campaigns) {
    equal(await page.$$eval(`li[data-campaign="${summary.id}"] .campaign-figures b`, (b) => b.map((x) => x.textContent)),
      figuresOf(summary), `${summary.id}: 问题数, 未销号, 逾期`);
    check((await page.textContent(`li[data-campaign="${summary.id}"]`)).includes(summary.town_name), `${summary.id}: its town`);
  }
  await noSidewaysScrolling(page, `${tag} picker`);
  await page.shot(`campaigns-${tag}-picker`);

  // The sample town's campaign: its name and phase in the header, its dashboard.
  const sample = list.campaigns.find((c) => c.id === SAMPLE_TOWN);
  await page.click(`li[data-campaign="${SAMPLE_TOWN}"] button.campaign-choose`);
  await page.waitForSelector('#dashboard');
  await headerShows(page, sample, `${tag} chosen`);
  await noSidewaysScrolling(page, `${tag} dashboard`);
  await page.shot(`campaigns-${tag}-chosen`);

  // Remembered: a reload goes straight back into it.
  await page.reload();
  await page.waitForSelector('#dashboard');
  await headerShows(page, sample, `${tag} after a reload`);
  check(!(await page.$('#campaign-list')), 'the choice is remembered');

  // The roll-up: each campaign's row and the county's total as the API gives them.
  await page.click('#tabs a[data-route="rollup"]');
  await page.waitForSelector('#rollup-table');
  equal(await page.textContent('#tabs a[data-route="rollup"]'), '全县汇总', 'the county\'s tab');
  for (const town of rollup.towns) {
    for (const summary of town.campaigns) {
      equal(await page.$$eval(`#rollup-table tr[data-campaign="${summary.id}"] td.num`, (td) => td.map((x) => x.textContent)),
        rollupCells(summary.figures), `${summary.id}: the roll-up's figures`);
    }
  }
  equal(await page.$$eval('#rollup-total td.num', (td) => td.map((x) => x.textContent)), rollupCells(rollup.total), 'the county total');
  await noSidewaysScrolling(page, `${tag} roll-up`);
  await page.shot(`campaigns-${tag}-rollup`);

  // Drill-down: Gaoqiao's dashboard, and Gaoqiao is now the chosen campaign.
  await page.click(`#rollup-table tr[data-campaign="${GAOQIAO}"] a.drill`);
  await page.waitForSelector('#dashboard');
  await headerShows(page, list.campaigns.find((c) => c.id === GAOQIAO), `${tag} drill-down`);
  equal(await page.evaluate(() => location.hash), '#/dashboard', 'the dashboard after the drill-down');
  await page.shot(`campaigns-${tag}-drill-down`);

  // The header switches back to the picker, the current campaign marked.
  await page.click('#switch-campaign');
  await page.waitForSelector('#campaign-list li.chosen');
  equal(await page.$eval('#campaign-list li.chosen', (li) => li.dataset.campaign), GAOQIAO, 'the current campaign marked');

  const plain = asked.filter((p) => !DEPLOYMENT_ROUTE.test(p));
  equal(plain, [], 'every campaign call names its campaign');
  check(asked.some((p) => p.startsWith(`/api/campaigns/${SAMPLE_TOWN}/dashboard`)), 'the sample town\'s dashboard was asked for by its path');
  await logout(page);
  assertNoPageProblems(page);
  await page.context().close();
}

export async function run({ binary, campaign, samples, source, artefacts, cleanups }) {
  const demo = path.join(source, 'workflows/demo');
  const rectify = new Rectify({
    binary, campaigns: [campaign, path.join(demo, 'shiyan-2021-sample.json')], county: path.join(demo, 'county.json'), now: '2021-10-22T09:00',
  });
  cleanups.push(() => rectify.stop());
  const users = rectify.seedDemo([samples, path.join(demo, 'shiyan-2021-samples.json')]);
  const url = await rectify.start();

  const county = await rectify.apiAs(users['demo.county.leader']);
  const list = (await county.get('/api/campaigns')).body;
  equal(list.campaigns.map((c) => c.id).sort(), [GAOQIAO, SAMPLE_TOWN].sort(), 'the county leader sees both towns\' campaigns');
  const answer = await county.get('/api/rollup');
  equal(answer.status, 200, 'the county leader may read the roll-up');
  const rollup = answer.body;
  check(rollup.total.open > 0, 'the demo has open problems to count');
  const officeList = (await (await rectify.apiAs(users['demo.office'])).get('/api/campaigns')).body;

  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  for (const [viewport, tag] of [[DESKTOP, 'desktop'], [PHONE, 'phone']]) {
    await townOffice(browser, viewport, tag, { url, users, artefacts, officeList });
    await countyLeader(browser, viewport, tag, { url, users, artefacts, list, rollup });
  }
}
