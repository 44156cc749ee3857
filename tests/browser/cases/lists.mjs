// Finding and ordering in the lists: the office's list searched as one types (Chinese, by any
// part, a two-character word too), ordered by deadline and unit, and paged with its total; the
// inspection queue and 我的任务 searched on a phone, 我的任务 paged; the outbox paged. At 1280x800 and 390x844.
import { Rectify, launchBrowser, newPage, login, logout, check, equal, assertNoPageProblems, DESKTOP, PHONE } from '../harness.mjs';

const LAMPS = 21;

export async function run({ binary, campaign, artefacts, cleanups }) {
  const rectify = new Rectify({ binary, campaign, now: '2021-10-12T09:00' });
  cleanups.push(() => rectify.stop());
  const office = rectify.addUser({ username: 'zhang.office', unit: 'rural_office', roles: ['office'], displayName: '张主任' });
  const village = rectify.addUser({ username: 'li.village1', unit: 'village_1', roles: ['unit_member'], displayName: '李书记' });
  const inspector = rectify.addUser({ username: 'wang.inspector', unit: 'rural_office', roles: ['inspector'], displayName: '王组长' });
  const url = await rectify.start();

  const api = await rectify.apiAs(office);
  const create = async (problem) => {
    const answer = await api.post('/api/problems', { source: 'self_inspection', ...problem });
    equal(answer.status, 201, `create ${problem.title}: ${JSON.stringify(answer.body)}`);
    return answer.body.id;
  };
  const lamps = [];
  for (let n = 1; n <= LAMPS; n += 1) {
    lamps.push(await create({ title: `示例：一村主干道路灯损坏第${n}处`, area: 11, unit: 'village_1',
      deadline: `2021-10-${15 + (n % 10)}` }));
  }
  const water = await create({ title: '示例：二村饮水管网漏水', area: 5, unit: 'village_2', deadline: '2021-10-14' });
  const house = await create({ title: '示例：三村危房改造资料不全', area: 4 });
  const total = LAMPS + 2;
  // Three lamps submitted for inspection, one with a note that names the bulb.
  const villageApi = await rectify.apiAs(village);
  for (const [i, id] of lamps.slice(0, 3).entries()) {
    for (const event of ['sign_for', 'start', 'submit']) {
      const body = { event, ...(event === 'start' && i === 0 ? { note: '已更换灯泡，待验收' } : {}) };
      const fired = await villageApi.post(`/api/problems/${id}/events`, body);
      equal(fired.status, 200, `${event} ${id}: ${JSON.stringify(fired.body)}`);
    }
  }

  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const page = await newPage(browser, DESKTOP, artefacts);
  const cards = () => page.$$eval('#office-items li', (items) => items.map((li) => li.dataset.item));
  const waitForCards = (n) => page.waitForFunction((k) => document.querySelectorAll('#office-items li').length === k, n);
  // Until the list is exactly this one item (the previous search may have found one too).
  const waitForOnly = (item) => page.waitForFunction((key) => {
    const cards = [...document.querySelectorAll('#office-items li')];
    return cards.length === 1 && cards[0].dataset.item === key && document.querySelector('#office-summary').textContent === '共 1 项';
  }, item);

  // The office's list: a page of 20 and the total; the next page holds the rest.
  await login(page, url, office);
  await waitForCards(20);  // a page of 20
  await page.waitForFunction((t) => document.querySelector('#office-range').textContent === `第 1–20 项，共 ${t} 项`, total);
  await page.click('#office-next');
  await page.waitForFunction((t) => document.querySelector('#office-range').textContent === `第 21–${t} 项，共 ${t} 项`, total);
  equal((await cards()).length, total - 20, 'the rest on page 2');
  check(await page.isDisabled('#office-next'), 'no page 3');
  await page.click('#office-prev');
  await waitForCards(20);

  // Searched as one types, in Chinese, by any part of the title.
  await page.type('#office-search', '饮水管网', { delay: 40 });
  await waitForOnly(`problem/${water}`);  // found by part of its title
  // Two characters are below the trigram index: still found, and the page says it compares one by one.
  await page.fill('#office-search', '危房');
  await waitForOnly(`problem/${house}`);  // a two-character word
  check((await page.textContent('#office-search-hint')).includes('少于3个字'), 'the page says short words are compared one by one');
  // Typed with a pinyin input method: no search for the letters of a composition on its way
  // (w, we, wei, … found nothing and said 共 0 项), one for the characters chosen.
  await page.fill('#office-search', '');
  await page.waitForFunction((t) => document.querySelector('#office-summary').textContent === `共 ${t} 项`, total);
  const searched = [];
  const recordSearch = (request) => {
    const q = new URL(request.url()).searchParams.get('q');
    if (q) searched.push(q);
  };
  page.on('request', recordSearch);
  const ime = await page.context().newCDPSession(page);
  await page.focus('#office-search');
  for (const letters of ['w', 'we', 'wei', 'weif', 'weifa', 'weifan', 'weifang']) {
    await ime.send('Input.imeSetComposition', { text: letters, selectionStart: letters.length, selectionEnd: letters.length });
    await page.waitForTimeout(120);
  }
  await page.waitForTimeout(800);  // longer than the typing pause: a search would have gone
  equal(searched, [], 'no search while composing');
  await ime.send('Input.insertText', { text: '危房' });
  await waitForOnly(`problem/${house}`);
  equal(searched, ['危房'], 'one search, for the characters chosen');
  page.off('request', recordSearch);
  await ime.detach();
  // A note in the history is searched too.
  await page.fill('#office-search', '更换灯泡');
  await waitForOnly(`problem/${lamps[0]}`);  // found by a note of its history
  await page.fill('#office-search', '不存在的问题');
  await page.waitForSelector('#office-list .empty');
  await page.fill('#office-search', '');
  await page.waitForFunction((t) => document.querySelector('#office-summary').textContent === `共 ${t} 项`, total);

  // Ordered by deadline either way, and by unit (the unassigned first).
  await page.selectOption('#office-sort', 'deadline');
  await page.waitForFunction((w) => document.querySelector('#office-items li')?.dataset.item === `problem/${w}`, water);
  await page.selectOption('#office-sort', '-deadline');
  // A first card that is not the earliest: while the page is between lists there is none.
  await page.waitForFunction((w) => {
    const first = document.querySelector('#office-items li');
    return first !== null && first.dataset.item !== `problem/${w}`;
  }, water);
  const latest = (await cards())[0];
  const latestItem = await api.get(`/api/problems/${latest.split('/')[1]}`);
  const everyDeadline = (await api.get('/api/problems?limit=100')).body.items.map((i) => i.deadline).filter(Boolean).sort();
  equal(latestItem.body.deadline, everyDeadline.at(-1), 'the latest deadline first');
  await page.selectOption('#office-sort', 'unit');
  await page.waitForFunction((h) => document.querySelector('#office-items li')?.dataset.item === `problem/${h}`, house);
  // Paging keeps the order: page 2 of the unit order ends with 二村 (village_2 after village_1).
  await page.click('#office-next');
  await page.waitForFunction((t) => document.querySelector('#office-range').textContent.startsWith('第 21–'), total);
  // Page 2 in the same order; its cards may come a moment after its range.
  await page.waitForFunction((w) => [...document.querySelectorAll('#office-items li')].at(-1)?.dataset.item === `problem/${w}`
    && document.querySelectorAll('#office-items li').length === 3, water);
  await page.shot('desktop-lists-office');

  // The same list on a phone: the tools fit, nothing scrolls sideways.
  await page.setViewportSize(PHONE);
  await page.click('#tabs a[data-route="office"]');
  await page.waitForSelector('#office-items');
  await page.type('#office-search', '路灯损坏', { delay: 40 });
  await page.waitForFunction((n) => document.querySelector('#office-summary').textContent === `共 ${n} 项`, LAMPS);
  equal(await page.textContent('#office-range'), `第 1–20 项，共 ${LAMPS} 项`, 'a search is paged too');
  equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scrolling on a phone');
  await page.shot('phone-lists-office');

  // The outbox is paged with its total (empty on a fresh database).
  await page.click('#tabs a[data-route="outbox"]');
  await page.waitForFunction(() => document.querySelector('#outbox-range')?.textContent === '共 0 项');
  await page.setViewportSize(DESKTOP);
  await logout(page);

  // The inspection queue: searched, the most overdue first.
  await login(page, url, inspector);
  await page.waitForSelector('#inspect-queue');
  equal(await page.textContent('[data-count="queue"] b'), '3', 'three await inspection');
  await page.type('#inspect-search', '灯泡', { delay: 40 });
  await page.waitForFunction(() => document.querySelectorAll('#inspect-queue li').length === 1);
  equal(await page.$$eval('#inspect-queue li', (items) => items.map((li) => li.dataset.item)), [`problem/${lamps[0]}`], 'the bulb');
  equal(await page.textContent('[data-count="queue"] b'), '1', 'the count follows the search');
  await page.setViewportSize(PHONE);
  await page.fill('#inspect-search', '');
  await page.waitForFunction(() => document.querySelectorAll('#inspect-queue li').length === 3);
  equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'the queue fits a phone');
  await page.shot('phone-lists-inspect');
  await logout(page);

  // 我的任务 on a phone: the village's own items only, searched and ordered.
  await login(page, url, village);
  await page.waitForSelector('#my-items');
  await page.type('#my-search', '饮水', { delay: 40 });
  await page.waitForSelector('#my-work .empty');
  check((await page.textContent('#my-work .empty')).includes('没有符合搜索'), 'another village\'s problem is not found');
  await page.fill('#my-search', '第7处');
  await page.waitForFunction(() => document.querySelectorAll('#my-items li').length === 1);
  equal(await page.$$eval('#my-items li', (items) => items.map((li) => li.dataset.item)), [`problem/${lamps[6]}`], 'found among my own');
  await page.fill('#my-search', '');
  await page.waitForFunction(() => document.querySelectorAll('#my-items li').length === 20);  // the search's own load
  await page.selectOption('#my-sort', 'deadline');
  // 20 to a page, the counts on top still of all of them.
  await page.waitForSelector('#my-pager[data-sort="deadline"][data-q=""]');
  equal(await page.$$eval('#my-items li', (items) => items.length), 20, 'a page of 20 in deadline order');
  equal(await page.textContent('#my-range'), `第 1–20 项，共 ${LAMPS} 项`, 'my first page says where it is');
  const firstPage = await page.$$eval('#my-items li', (items) => items.map((li) => li.dataset.item));
  await page.shot('phone-lists-my-work');
  await page.click('#my-next');
  await page.waitForFunction(() => document.querySelectorAll('#my-items li').length === 1);
  equal(await page.textContent('#my-range'), `第 21–21 项，共 ${LAMPS} 项`, 'my second page says where it is');
  const secondPage = await page.$$eval('#my-items li', (items) => items.map((li) => li.dataset.item));
  const deadlines = [...firstPage, ...secondPage];
  check(new Set(deadlines).size === LAMPS && lamps.every((id) => deadlines.includes(`problem/${id}`)), 'every lamp listed once');
  await page.click('#my-prev');
  await page.waitForFunction(() => document.querySelectorAll('#my-items li').length === 20);
  await page.setViewportSize(DESKTOP);
  await page.shot('desktop-lists-my-work');
  assertNoPageProblems(page);
}
