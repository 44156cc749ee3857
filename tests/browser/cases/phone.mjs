// At phone width (390×844), as a village cadre holds it: the login form, 我的任务 and an
// item's page fit the screen without sideways scrolling, and every button is a finger's size.
import { Rectify, launchBrowser, newPage, login, check, equal, assertNoPageProblems, PHONE } from '../harness.mjs';

async function fitsTheScreen(page, what) {
  equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, `${what}: no sideways scrolling`);
  const small = await page.$$eval('button:not([hidden]), .tabs a, input[type=checkbox]', (elements) => elements
    .filter((el) => el.offsetParent !== null)
    .map((el) => [el.textContent.trim() || el.id || el.type, el.getBoundingClientRect()])
    .filter(([, r]) => r.height < 24 || (r.height < 36 && r.width < 36))
    .map(([name, r]) => `${name} ${Math.round(r.width)}×${Math.round(r.height)}`));
  equal(small, [], `${what}: tap targets`);
  // The links into an item and back out of it: as tall as a finger (44 px), however short their text.
  const shortLinks = await page.$$eval('a.card-title, #back, .print-link', (elements) => elements
    .filter((el) => el.offsetParent !== null && el.getBoundingClientRect().height < 44)
    .map((el) => `${el.textContent.trim().slice(0, 12)} ${Math.round(el.getBoundingClientRect().height)}`));
  equal(shortLinks, [], `${what}: links a finger's height`);
}

export async function run({ binary, campaign, samples, artefacts, cleanups }) {
  const rectify = new Rectify({ binary, campaign, now: '2021-10-22T09:00' });
  cleanups.push(() => rectify.stop());
  const users = rectify.seedDemo(samples);
  const url = await rectify.start();

  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const page = await newPage(browser, PHONE, artefacts);
  await page.goto(`${url}/`);
  await page.waitForSelector('#login-form');
  await fitsTheScreen(page, 'login');
  await page.shot('phone-login');

  await login(page, url, users['demo.village1']);
  await page.waitForSelector('#my-items');
  await fitsTheScreen(page, 'my work');
  const urgencies = await page.$$eval('#my-items li', (items) => items.map((li) => li.dataset.urgency));
  check(urgencies.length > 0, 'the village has items');
  const rank = { overdue: 0, 'due-soon': 1, none: 2, done: 3 };
  equal(urgencies, [...urgencies].sort((a, b) => rank[a] - rank[b]), 'most urgent first');
  await page.shot('phone-my-work');

  // A title with no place to break, as a pasted link or account number makes one: it wraps in
  // its card and on its page instead of widening every card of the list.
  const office = await rectify.apiAs(users['demo.office']);
  const unbroken = `核对账号${'6217000012345678901'.repeat(6)}https://example.org/${'a'.repeat(120)}`;
  const created = await office.post('/api/problems',
    { title: unbroken, area: 1, source: 'self_inspection', unit: 'village_1' });
  equal(created.status, 201, `the long title: ${JSON.stringify(created.body)}`);
  await page.reload();
  await page.waitForSelector(`#my-items li[data-item="problem/${created.body.id}"]`);
  await fitsTheScreen(page, 'my work with a long title');
  const overflowing = await page.$$eval('#my-items li', (items) => items
    .filter((li) => li.scrollWidth > li.clientWidth || li.getBoundingClientRect().right > window.innerWidth)
    .map((li) => li.dataset.item));
  equal(overflowing, [], 'every card within the screen, the long title\'s and the others');
  const longItem = await page.$(`#my-items li[data-item="problem/${created.body.id}"] a.card-title`);
  check(longItem, 'the long title is listed');
  await longItem.click();
  await page.waitForSelector('#history');
  await fitsTheScreen(page, 'the long title\'s item');
  await page.click('#back');
  await page.waitForSelector('#my-items');

  await page.click('#my-items li a.card-title');
  await page.waitForSelector('#history');
  await fitsTheScreen(page, 'item');
  await page.shot('phone-item');
  await page.click('#back');  // ‹ 返回: where the item was opened from
  await page.waitForSelector('#my-items');
  // Opened straight from a message's link, in a tab of its own: 返回 goes to 我的任务.
  const href = await page.$eval('#my-items li a.card-title', (a) => a.getAttribute('href'));
  const linked = await page.context().newPage();
  await linked.goto(`${url}/${href}`);
  await linked.waitForSelector('#history');
  await linked.click('#back');
  await linked.waitForSelector('#my-items');
  await linked.close();

  // One module of the page lost on a weak network: after a while the page says so and offers to
  // load again, instead of 正在加载… for good; loading again works.
  const broken = await page.context().newPage();
  await broken.route('**/static/views/charts.js', (route) => route.abort('connectionreset'));
  await broken.goto(`${url}/`);
  await broken.waitForSelector('#reload-page', { timeout: 30000 });
  check((await broken.textContent('#boot-failed')).includes('页面没有加载完整'), 'the page says it did not load');
  await broken.unroute('**/static/views/charts.js');
  await broken.click('#reload-page');
  await broken.waitForSelector('#my-items');
  await broken.close();
  assertNoPageProblems(page);
}
