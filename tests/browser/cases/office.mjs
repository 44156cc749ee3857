// The office's page: a new problem from the form, several assigned to one unit at once,
// filters, a CSV import previewed with its bad rows and then stored, and the outbox.
import { execFileSync } from 'node:child_process';
import { Rectify, launchBrowser, newPage, login, check, equal, assertNoPageProblems, DESKTOP, PHONE } from '../harness.mjs';

const BAD_CSV = '领域,问题来源,问题描述,责任单位\n2,self_inspection,示例：一村有学生辍学,village_1\n99,self_inspection,示例：领域写错,village_1\n';
const GOOD_CSV = '领域,问题来源,问题描述,责任单位,整改时限\n2,self_inspection,示例：一村有学生辍学,village_1,2021-10-25\n饮水安全,campaign_sweep,示例：三村水质未检测,,\n';

// The next POST to `pattern` reaches the server, which answers; the page never gets the answer
// (a weak mobile network), as if the connection broke on the way back.
async function loseFirstAnswer(page, pattern) {
  let lost = false;
  await page.route(pattern, async (route) => {
    if (lost || route.request().method() !== 'POST') return route.continue();
    lost = true;
    await route.fetch();
    await route.abort('connectionreset');
  });
}

// The console's report of the answer loseFirstAnswer dropped: expected, not a page problem.
function forgetLostAnswer(page) {
  page.problems = page.problems.filter((problem) => !/net::ERR_(CONNECTION_RESET|FAILED)/.test(problem));
}

export async function run({ binary, campaign, artefacts, cleanups }) {
  const rectify = new Rectify({ binary, campaign, now: '2021-10-12T09:00' });
  cleanups.push(() => rectify.stop());
  const office = rectify.addUser({ username: 'zhang.office', unit: 'rural_office', roles: ['office'], displayName: '张主任' });
  const village = rectify.addUser({ username: 'li.village6', unit: 'village_6', roles: ['unit_member'], displayName: '李村干' });
  const inspector = rectify.addUser({ username: 'wang.inspector', unit: 'rural_office', roles: ['inspector'], displayName: '王验收' });
  const url = await rectify.start();
  const api = await rectify.apiAs(office);
  const other = await api.post('/api/problems', { title: '示例：四村产业奖补资金未发放', area: 10, source: 'provincial_supervision' });
  equal(other.status, 201, 'a problem to assign');

  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const page = await newPage(browser, DESKTOP, artefacts);
  await login(page, url, office);
  await page.waitForSelector('#office-items');
  // Where am I, for a screen reader and the keyboard: the view's heading has the focus and names
  // the window; its tab says it is the current page; 跳到正文 goes past the header and tabs.
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
  equal(await page.evaluate(() => document.activeElement.textContent), '问题交办', 'focus on the heading');
  check((await page.title()).startsWith('问题交办 · '), `the window's title names the view: ${await page.title()}`);
  equal(await page.getAttribute('#tabs a[aria-current="page"]', 'data-route'), 'office', 'the current tab');
  await page.click('#tabs a[data-route="import"]');
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1' && document.title.startsWith('导入问题'));
  await page.click('#tabs a[data-route="office"]');
  await page.waitForSelector('#office-items');
  await page.keyboard.press('Shift+Tab');  // from the heading back toward the page's start
  await page.evaluate(() => document.getElementById('skip-link').focus());
  await page.keyboard.press('Enter');
  equal(await page.evaluate(() => document.activeElement.textContent), '问题交办', '跳到正文 lands on the heading');

  // A new problem, not yet assigned.
  await page.click('#new-problem');
  await page.fill('#new-title', '示例：五村驻村工作队考勤不实');
  await page.selectOption('#new-area', '12');
  await page.selectOption('#new-source', 'campaign_sweep');
  await page.fill('#new-measures', '核实考勤记录并通报');
  await page.dblclick('#create-submit');  // a double tap records it once
  await page.waitForFunction(() => document.querySelectorAll('#office-items li').length === 2);
  equal((await api.get('/api/problems')).body.items.length, 2, 'a double tap on 保存 records one problem');
  const ids = await page.$$eval('#office-items li', (items) => items.map((li) => li.dataset.item));

  // Both assigned to one village in one go: one assign event each.
  for (const id of ids) await page.check(`[data-item="${id}"] input[type=checkbox]`);
  await page.selectOption('#bulk-unit', 'village_5');
  await page.click('#bulk-assign');
  await page.waitForFunction(() => !document.querySelector('#bulk-result .loading') && document.querySelector('#bulk-result p'));
  equal(await page.textContent('#bulk-result'), '已交办或改派 2 项。', 'both assigned');
  for (const id of ids) {
    const item = await api.get(`/api/problems/${id.split('/')[1]}`);
    equal([item.body.state, item.body.unit], ['assigned', 'village_5'], `problem ${id} assigned`);
  }
  // Reassigned, again in one go.
  for (const id of ids) await page.check(`[data-item="${id}"] input[type=checkbox]`);
  await page.selectOption('#bulk-unit', 'village_6');
  await page.click('#bulk-assign');
  await page.waitForFunction(() => !document.querySelector('#bulk-result .loading') && document.querySelector('#bulk-result p'));
  equal(await page.textContent('#bulk-result'), '已交办或改派 2 项。', 'both reassigned');
  const moved = await api.get('/api/problems?unit=village_6');
  equal(moved.body.items.length, 2, 'both reassigned');

  // Filters go to the server: area 12 has one problem.
  await page.selectOption('#filter-area', '12');
  await page.waitForFunction(() => document.querySelectorAll('#office-items li').length === 1);
  await page.selectOption('#filter-area', '');
  await page.selectOption('#filter-state', 'closed');
  await page.waitForSelector('#office-list .empty');
  await page.selectOption('#filter-state', '');
  await page.waitForFunction(() => document.querySelectorAll('#office-items li').length === 2);
  // By phase: both are behind 组织实施's gate (to be submitted for inspection by 10-31).
  await page.selectOption('#filter-unit', 'village_6');
  await page.selectOption('#filter-phase', { label: await page.$eval('#filter-phase option:nth-child(2)', (o) => o.textContent) });
  check((await page.textContent('#filter-phase option:checked')).startsWith('组织实施'), 'the first gate is 组织实施\'s');
  await page.waitForFunction(() => document.querySelector('#office-summary').textContent === '共 2 项');
  await page.selectOption('#filter-phase', '');
  await page.selectOption('#filter-unit', '');
  await page.shot('desktop-office');

  // 销号 from the list is final but for a 回头看 reopening: it asks first. Dismissed, nothing is
  // closed; accepted, the verified problem is (the other, not yet verified, is left as it is).
  const villageApi = await rectify.apiAs(village);
  const inspectorApi = await rectify.apiAs(inspector);
  const verifiedId = ids[0].split('/')[1];
  for (const [who, event] of [[villageApi, 'sign_for'], [villageApi, 'start'], [villageApi, 'submit'], [inspectorApi, 'verify']]) {
    const fired = await who.post(`/api/problems/${verifiedId}/events`, { event });
    equal(fired.status, 200, `${event}: ${JSON.stringify(fired.body)}`);
  }
  await page.reload();
  await page.waitForSelector(`[data-item="${ids[0]}"] input[type=checkbox]`);
  for (const id of ids) await page.check(`[data-item="${id}"] input[type=checkbox]`);
  const asked = [];
  page.once('dialog', (dialog) => { asked.push(dialog.message()); dialog.dismiss(); });
  await page.click('#bulk-close');
  equal(asked, ['将 1 项已验收的问题销号？销号后只能经“回头看”重启。'], 'asked first, naming how many');
  equal((await api.get(`/api/problems/${verifiedId}`)).body.state, 'verified', 'dismissed: not closed');
  page.once('dialog', (dialog) => dialog.accept());
  await page.click('#bulk-close');
  await page.waitForFunction(() => !document.querySelector('#bulk-result .loading') && document.querySelector('#bulk-result p'));
  equal((await api.get(`/api/problems/${verifiedId}`)).body.state, 'closed', 'accepted: closed');
  equal((await api.get(`/api/problems/${ids[1].split('/')[1]}`)).body.state, 'assigned', 'the other as it was');


  // Import: a file with a bad row is previewed with the row's error and cannot be imported.
  await page.click('#tabs a[data-route="import"]');
  await page.waitForSelector('#import-file');
  await page.setInputFiles('#import-file', { name: 'problems.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD_CSV) });
  await page.waitForSelector('#import-preview');
  equal(await page.$$eval('#import-preview tr.bad', (rows) => rows.map((r) => r.dataset.line)), ['3'], 'the bad row');
  check(await page.isHidden('#import-confirm'), 'no import button for a bad file');
  await page.shot('desktop-import-errors');
  // Excel's plain "CSV" on a Chinese Windows is GBK: read as such.
  const gbk = execFileSync('/usr/bin/python3', ['-c', 'import sys; sys.stdout.buffer.write(sys.stdin.read().encode("gbk"))'], { input: GOOD_CSV });
  await page.setInputFiles('#import-file', { name: 'problems-gbk.csv', mimeType: 'text/csv', buffer: gbk });
  await page.waitForSelector('#import-confirm:not([hidden])');
  check((await page.textContent('#import-summary')).includes('GBK'), 'read as GBK');
  check((await page.textContent('#import-preview')).includes('示例：三村水质未检测'), 'the GBK text reads right');
  await page.setInputFiles('#import-file', { name: 'problems.csv', mimeType: 'text/csv', buffer: Buffer.from(GOOD_CSV) });
  await page.waitForFunction(() => document.querySelector('#import-summary')?.textContent.includes('UTF-8'));
  await page.waitForSelector('#import-confirm:not([hidden])');
  equal(await page.$$eval('#import-preview tbody tr', (rows) => rows.length), 2, 'two rows previewed');
  await page.click('#import-confirm');
  await page.waitForSelector('#import-done');
  const all = await api.get('/api/problems');
  equal(all.body.items.length, 4, 'two problems imported');
  check(all.body.items.some((i) => i.title === '示例：一村有学生辍学' && i.unit === 'village_1' && i.state === 'assigned'), 'imported and assigned');

  // A problem with the day the inspection found it and a cooperating unit (配合单位); the
  // responsible unit is not offered as its own cooperator.
  await page.click('#tabs a[data-route="office"]');
  await page.click('#new-problem');
  await page.fill('#new-title', '示例：一村饮水工程管护不到位');
  await page.selectOption('#new-area', '5');
  await page.selectOption('#new-source', 'provincial_supervision');
  await page.selectOption('#new-unit', 'village_1');
  await page.click('#new-cooperating summary');
  check(await page.isHidden('#new-cooperating label[data-unit="village_1"]'), 'the responsible unit is not its own cooperator');
  await page.check('#new-cooperating label[data-unit="village_2"] input');
  await page.fill('#new-found-on', '2021-10-08');
  // The answer to 保存 is lost on the way (the server made the problem); 保存 again.
  await loseFirstAnswer(page, '**/problems');
  await page.click('#create-submit');
  await page.waitForSelector('#create-form .error-box:not([hidden])');
  forgetLostAnswer(page);
  await page.click('#create-submit');
  await page.waitForSelector('#create-form', { state: 'detached' });
  const stored = (await api.get(`/api/problems?q=${encodeURIComponent('饮水工程管护不到位')}`)).body.items;
  equal(stored.length, 1, 'saved again after a lost answer, the problem is made once');
  const recorded = stored[0];
  check(recorded, 'the problem is stored');
  equal([recorded.found_on, recorded.cooperating_units], ['2021-10-08', ['village_2']], 'found on its day, with its cooperating unit');

  // A household's enrollment request from a department's alert (部门筛查预警), due two months
  // from the risk date.
  await page.click('#new-enrollment');
  await page.fill('#enroll-household', '示例户主');
  await page.selectOption('#enroll-village', 'village_3');
  await page.selectOption('#enroll-category', { index: 1 });
  await page.selectOption('#enroll-risk-type', { index: 1 });
  await page.fill('#enroll-risk-found-on', '2021-10-10');
  equal(await page.$$eval('#enroll-clue-source option', (o) => o.map((x) => x.textContent).slice(1)), ['农户自主申报', '基层干部排查', '部门筛查预警'], 'every clue source');
  await page.selectOption('#enroll-clue-source', 'department_alert');
  await page.fill('#enroll-members', '4');
  await loseFirstAnswer(page, '**/enrollments');
  await page.click('#enroll-submit');
  await page.waitForSelector('#enroll-form .error-box:not([hidden])');
  forgetLostAnswer(page);
  await page.click('#enroll-submit');
  await page.waitForSelector('#enroll-form', { state: 'detached' });
  const requests = (await api.get('/api/enrollments')).body.items.filter((i) => i.household === '示例户主');
  equal(requests.length, 1, 'saved again after a lost answer, the request is made once');
  const enrolled = requests[0];
  check(enrolled, 'the request is stored');
  equal([enrolled.village, enrolled.clue_source, enrolled.members, enrolled.deadline],
    ['village_3', 'department_alert', 4, '2021-12-11T00:00:00+08:00'], 'the request as entered, due two months from the risk');

  // The outbox opens (empty on a fresh database).
  await page.click('#tabs a[data-route="outbox"]');
  await page.waitForSelector('#outbox-list > *');

  // The office's list at phone width.
  await page.setViewportSize(PHONE);
  await page.click('#tabs a[data-route="office"]');
  await page.waitForSelector('#office-items');
  equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scrolling on a phone');
  await page.shot('phone-office');
  assertNoPageProblems(page);
}
