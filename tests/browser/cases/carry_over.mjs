// 回头看: Gaoqiao's 2021 autumn campaign and the same plan a year later (a file the test writes).
// Problems are recorded in 2021 through the API and left open; the server is started again with
// its clock in the 2022 campaign. The office picks the 2022 campaign, opens 回头看转入, carries a
// problem in from the page and finds the new problem it became in 问题交办 with the 回头看 mark,
// and on its page where it came from (a link) and its carry_over row. The link leads to the old
// problem in 2021, which says where it went and offers nothing more to do. A problem carried
// meanwhile by someone else shows the server's refusal in Chinese. At desktop and at phone width.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  Rectify, launchBrowser, newPage, login, logout, openItem, check, equal, assertNoPageProblems, DESKTOP, PHONE,
} from '../harness.mjs';

const AUTUMN = 'gaoqiao-2021-autumn';
const NEXT = 'gaoqiao-2022-autumn';
const NEXT_NAME = '高桥镇2022年秋季攻势行动（测试）';

// The 2021 plan with every date a year later, its own id and name, and absolute paths to the
// calendars and the town file (it lives in the harness's temp dir).
function writeNextSeason(source, dir) {
  const workflows = path.join(source, 'workflows');
  const text = readFileSync(path.join(workflows, `${AUTUMN}.json`), 'utf8').replaceAll('"2021-', '"2022-');
  const plan = JSON.parse(text);
  plan.id = NEXT;
  plan.name = NEXT_NAME;
  plan.calendar = path.join(workflows, plan.calendar);
  plan.town = path.join(workflows, plan.town);
  const file = path.join(dir, `${NEXT}.json`);
  writeFileSync(file, JSON.stringify(plan, null, 2));
  return file;
}

async function noSidewaysScrolling(page, what) {
  equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, `${what}: no sideways scrolling`);
}

async function carryInThePage(browser, viewport, tag, { url, office, carried, taken, autumnName, api, artefacts }) {
  const page = await newPage(browser, viewport, artefacts);
  await login(page, url, office);

  // Two campaigns of the town: the picker; the 2022 one is chosen.
  await page.waitForSelector('#campaign-list');
  await page.click(`li[data-campaign="${NEXT}"] button.campaign-choose`);
  await page.waitForFunction((name) => document.getElementById('campaign-name').textContent === name, NEXT_NAME);

  // 回头看转入 lists the 2021 campaign's open problems.
  await page.click('#tabs a[data-route="carry"]');
  await page.waitForSelector(`#carry-over section[data-from="${AUTUMN}"]`);
  equal(await page.textContent(`section[data-from="${AUTUMN}"] h2`), autumnName, 'the ended campaign by its name');
  for (const id of [carried, taken]) check(await page.$(`#carry-list-${AUTUMN} li[data-item="problem/${id}"]`), `problem #${id} is offered`);
  await noSidewaysScrolling(page, `${tag} 回头看转入`);
  await page.shot(`carry-over-${tag}-offered`);

  // Carried by someone else meanwhile: the page says so in Chinese and keeps the card.
  const elsewhere = await api.post(`/api/campaigns/${NEXT}/problems/${taken}/carry_over`, { from: AUTUMN });
  equal(elsewhere.status, 200, 'the API carries the other problem first');
  await page.click(`li[data-item="problem/${taken}"] button.carry-submit`);
  await page.waitForSelector(`li[data-item="problem/${taken}"] .error-box:not([hidden])`);
  const refusal = await page.textContent(`li[data-item="problem/${taken}"] .error-box`);
  check(refusal.startsWith('此问题已回头看转入'), `the refusal in Chinese: "${refusal}"`);

  // An assigned problem may be given another unit there; left as it is, it keeps its own.
  equal(await page.inputValue(`li[data-item="problem/${carried}"] select.carry-unit`), '', 'the unit is kept unless chosen');
  // Carried from the page, the deadline left to the 2022 campaign's rule.
  await page.click(`li[data-item="problem/${carried}"] button.carry-submit`);
  await page.waitForSelector(`li[data-item="problem/${carried}"][data-carried="true"]`);
  const arrived = Number(await page.getAttribute(`li[data-item="problem/${carried}"]`, 'data-carried-to'));
  check(arrived > 0 && arrived !== carried, `the problem begins in 2022 under a number of its own: ${arrived}`);
  await page.shot(`carry-over-${tag}-carried`);

  // In 问题交办 of the 2022 campaign, marked 回头看.
  await page.click('#tabs a[data-route="office"]');
  const card = `#office-items li[data-item="problem/${arrived}"]`;
  await page.waitForSelector(card);
  equal(await page.textContent(`${card} .badge.carried`), '回头看', 'the list marks it 回头看');
  await noSidewaysScrolling(page, `${tag} 问题交办`);

  // Its page: where it came from and when, and the carry_over row that begins its history.
  await openItem(page, 'problem', arrived);
  equal(await page.textContent('#carried-from'), `回头看：由「${autumnName}」第${carried}号问题于9月26日转入`,
    'the item names where it came from');
  const row = await page.textContent('#history li[data-event="carry_over"] .what');
  check(row.startsWith('回头看转入'), `the history row has its Chinese label: "${row}"`);
  // The notifier's slots record warning tiers (warning_tier rows) as the days pass.
  const events = (await page.$$eval('#history li', (rows) => rows.map((li) => li.dataset.event)))
    .filter((event) => event !== 'warning_tier');
  equal(events, ['carry_over'], 'its history begins with its arrival');
  await noSidewaysScrolling(page, `${tag} item`);
  await page.shot(`carry-over-${tag}-item`);

  // The link leads to the old problem, in 2021: it says where it went and offers nothing to do.
  await Promise.all([page.waitForNavigation(), page.click('#carried-from-link')]);
  await page.waitForSelector('#carried-to');
  const left = await page.textContent('#carried-to');
  check(left.includes(NEXT_NAME) && left.includes(`第${arrived}号问题`), `the old problem names where it went: "${left}"`);
  check(await page.$('#no-actions'), 'the old problem offers nothing more to do');
  const oldEvents = (await page.$$eval('#history li', (rows) => rows.map((li) => li.dataset.event)))
    .filter((event) => event !== 'warning_tier');
  equal(oldEvents, ['create', 'carried_out'], 'the old problem keeps its history, its carrying out last');
  await page.shot(`carry-over-${tag}-left`);

  await logout(page);
  assertNoPageProblems(page);
  await page.context().close();
}

export async function run({ binary, campaign, source, artefacts, cleanups }) {
  const rectify = new Rectify({ binary, campaign, now: '2021-10-20T09:00' });
  cleanups.push(() => rectify.stop());
  rectify.campaigns.push(writeNextSeason(source, rectify.dir));
  const office = rectify.addUser({ username: 'zhang.office', unit: 'rural_office', roles: ['office'], displayName: '张主任' });
  await rectify.start();

  // 2021: four problems assigned to 村1 and left open.
  let api = await rectify.apiAs(office);
  const ids = [];
  for (let i = 1; i <= 4; i += 1) {
    const created = await api.post(`/api/campaigns/${AUTUMN}/problems`,
      { title: `2021年遗留问题${i}：危房改造未完成`, area: 1, source: 'national_assessment_2020', unit: 'village_1' });
    equal(created.status, 201, `problem ${i} recorded in 2021`);
    ids.push(created.body.id);
  }

  // A year on, inside the 2022 campaign.
  const url = await rectify.restartAt('2022-09-26T09:00');
  api = await rectify.apiAs(office);
  const list = (await api.get('/api/campaigns')).body;
  const autumn = list.campaigns.find((c) => c.id === AUTUMN);
  const next = list.campaigns.find((c) => c.id === NEXT);
  check(autumn && autumn.ended && next && !next.ended, `2021 has ended and 2022 has not: ${JSON.stringify(list.campaigns.map((c) => [c.id, c.ended]))}`);

  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const [desktopCarried, desktopTaken, phoneCarried, phoneTaken] = ids;
  await carryInThePage(browser, DESKTOP, 'desktop', { url, office, carried: desktopCarried, taken: desktopTaken, autumnName: autumn.name, api, artefacts });
  await carryInThePage(browser, PHONE, 'phone', { url, office, carried: phoneCarried, taken: phoneTaken, autumnName: autumn.name, api, artefacts });

  // The page's carry-over is the API's: the 2022 campaign counts the four, and the 2021 one keeps
  // them on its record as they stood.
  const after = (await api.get('/api/campaigns')).body.campaigns;
  equal(after.find((c) => c.id === NEXT).figures.carried_in, 4, 'the 2022 campaign counts four carried in');
  equal(after.find((c) => c.id === AUTUMN).figures.problems, 4, 'the 2021 campaign keeps all four on its record');
  equal(after.find((c) => c.id === AUTUMN).figures.open, 4, 'open as they were at its end');
}
