// A working day's page beyond the main flow, at 1280×800 and 390×844: the office's tab bar fits
// the screen; errors and an import's bad rows read in Chinese; an item and a unit's list print
// as A4 sheets (the print stylesheet, a PDF rendered by Chromium); the administration page
// enables an account again and names the units without a channel; a badge counts the work new
// since the last visit.
import path from 'node:path';
import { Rectify, fetchOnFreshConnection, launchBrowser, newPage, login, logout, check, equal, assertNoPageProblems, DESKTOP, PHONE } from '../harness.mjs';

// A 1x1 PNG: the smallest real image.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const BAD_CSV = '领域,问题来源,问题描述,责任单位,整改时限\n99,self_inspection,示例：领域写错,village_1,\n2,no_such_source,示例：来源写错,village_1,\n2,self_inspection,示例：日期写错,village_1,十月底\n';
// Latin words on the page's own text would be English slipping through (ids and codes aside).
const ENGLISH = /\b[A-Za-z]{3,}\b/;

async function tabBarFits(page, what) {
  const tabs = await page.$$eval('#tabs a', (links) => links.map((a) => {
    const r = a.getBoundingClientRect();
    return { route: a.dataset.route, left: r.left, right: r.right, visible: r.width > 0 && r.height > 0 };
  }));
  const width = await page.evaluate(() => window.innerWidth);
  check(tabs.some((t) => t.route === 'exports'), `${what}: the office has 台账与导出`);
  for (const tab of tabs) check(tab.visible && tab.left >= 0 && tab.right <= width, `${what}: tab ${tab.route} is on screen (${tab.left}..${tab.right} of ${width})`);
  equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, `${what}: no sideways scrolling`);
}

async function uploadPhoto(url, office, id) {
  const login = await fetchOnFreshConnection(`${url}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...office, session: 'bearer' }) });
  const { token } = await login.json();
  const form = new FormData();
  form.append('file', new Blob([PNG], { type: 'image/png' }), '现场照片.png');
  const answer = await fetchOnFreshConnection(`${url}/api/problems/${id}/evidence`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
  equal(answer.status, 201, 'a photo uploaded');
}

export async function run({ binary, campaign, samples, artefacts, cleanups }) {
  const rectify = new Rectify({ binary, campaign, now: '2021-10-22T09:00' });
  cleanups.push(() => rectify.stop());
  const users = rectify.seedDemo(samples);
  const url = await rectify.start();
  const api = await rectify.apiAs(users['demo.office']);
  const problems = (await api.get('/api/problems?unit=village_1')).body.items;
  check(problems.length > 0, 'village_1 has sample problems');
  const item = problems[0];
  await uploadPhoto(url, users['demo.office'], item.id);
  const history = (await api.get(`/api/problems/${item.id}/history`)).body.events;
  const newcomer = { username: 'zhao.village2', password: 'First-password-8841' };

  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const page = await newPage(browser, viewport, artefacts);
    await login(page, url, users['demo.office']);
    await page.waitForSelector('#office-items');
    await tabBarFits(page, name);
    await page.shot(`${name}-day-tabs`);

    // An error from the server reads in Chinese, whatever its English message.
    await page.evaluate(() => { location.hash = '#/item/problem/987654'; });
    await page.waitForSelector('.error-box');
    const missing = await page.textContent('.error-box');
    equal(missing, '未找到该内容，或您无权查看', `${name}: a missing item`);
    // An import's bad rows too.
    await page.click('#tabs a[data-route="import"]');
    await page.setInputFiles('#import-file', { name: 'problems.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD_CSV) });
    await page.waitForSelector('#import-preview tr.bad');
    const rowErrors = await page.$$eval('#import-preview tr.bad td:last-child', (cells) => cells.map((c) => c.textContent));
    equal(rowErrors, ['没有领域「99」（填写领域编号或名称）', '没有问题来源「no_such_source」', '「十月底」不是日期（请写成 2021-10-31、2021/10/31 或 2021年10月31日，有时间的写在日期后，如 2021-10-31 17:30）'], `${name}: row errors`);
    await page.shot(`${name}-day-import-errors`);

    // One item as an A4 sheet: facts, the whole timeline, the photo, the signature block.
    await page.evaluate((id) => { location.hash = `#/item/problem/${id}`; }, item.id);
    await page.waitForSelector('#print-item-link');
    // The item's own page printed with Ctrl+P carries no buttons and no 办理 panel.
    await page.emulateMedia({ media: 'print' });
    equal(await page.evaluate(() => [...document.querySelectorAll('#main button, #actions-panel, #back, #print-item-link')]
      .filter((el) => getComputedStyle(el).display !== 'none' && el.getClientRects().length).length), 0, `${name}: no control is printed`);
    await page.emulateMedia({ media: 'screen' });
    await page.click('#print-item-link');
    await page.waitForSelector('#print-item #print-signatures');
    equal(await page.$$eval('#print-item #history li', (li) => li.length), history.length, `${name}: the whole timeline`);
    const signatures = await page.textContent('#print-signatures');
    for (const who of ['经办人', '审核人', '日期']) check(signatures.includes(who), `${name}: ${who} on the sheet`);
    await page.waitForFunction(() => [...document.querySelectorAll('#print-evidence img')].some((img) => img.complete && img.naturalWidth > 0));
    check(!ENGLISH.test(await page.textContent('#print-item .facts')), `${name}: the facts read in Chinese`);
    // Paper is kept past the campaign: its dates say their year.
    check(/^\d{4}年\d+月\d+日/.test(await page.textContent('#print-item #history li .when')), `${name}: a printed date says its year`);
    check((await page.textContent('#print-title')).includes(`#${item.id}`), `${name}: the sheet names the item's number`);
    await page.emulateMedia({ media: 'print' });
    for (const hidden of ['.topbar', '#tabs', '.print-toolbar']) {
      equal(await page.$eval(hidden, (el) => getComputedStyle(el).display), 'none', `${name}: ${hidden} is not printed`);
    }
    if (name === 'desktop') await page.pdf({ path: path.join(artefacts, 'print-item.pdf'), format: 'A4' });
    await page.emulateMedia({ media: 'screen' });
    await page.shot(`${name}-print-item`);

    // A unit's list, from the office's list filtered by the unit.
    await page.click('#tabs a[data-route="office"]');
    await page.waitForSelector('#office-items');
    await page.selectOption('#filter-unit', 'village_1');
    await page.waitForSelector('#print-unit-link');
    await page.click('#print-unit-link');
    await page.waitForSelector('#print-unit #print-items');
    const rows = await page.$$eval('#print-items tbody tr', (tr) => tr.length);
    check(rows >= problems.length, `${name}: the unit's items listed (${rows})`);
    check((await page.textContent('#print-title')).startsWith('示例村一'), `${name}: the sheet names the unit`);
    // One very long 事项 wraps in its column: the short columns keep their width on paper.
    await page.emulateMedia({ media: 'print' });
    const stateWidth = await page.evaluate(() => {
      document.querySelector('#print-items tbody tr td:nth-child(4)').textContent = '很长的问题描述'.repeat(270);
      return document.querySelector('#print-items thead th:nth-child(6)').getBoundingClientRect().width;
    });
    check(stateWidth >= 60, `${name}: 状态 keeps its width beside a very long 事项 (${Math.round(stateWidth)} px)`);
    await page.emulateMedia({ media: 'screen' });
    if (name === 'desktop') {
      await page.emulateMedia({ media: 'print' });
      await page.pdf({ path: path.join(artefacts, 'print-unit.pdf'), format: 'A4' });
      await page.emulateMedia({ media: 'screen' });
    }
    await page.shot(`${name}-print-unit`);

    // Administration: the units without a channel (this server has no channel file), and an
    // account disabled and enabled again.
    await page.click('#tabs a[data-route="admin"]');
    await page.waitForSelector('#units-without-channel li[data-unit="village_1"]');
    // Disabling asks first (its sessions end at once); dismissed, nothing changes.
    page.once('dialog', (dialog) => dialog.dismiss());
    await page.click('#admin-users tr[data-user="demo.health"] button[data-action="disable"]');
    check(await page.$('#admin-users tr[data-user="demo.health"] button[data-action="disable"]'), 'dismissed: still enabled');
    page.once('dialog', (dialog) => dialog.accept());
    await page.click('#admin-users tr[data-user="demo.health"] button[data-action="disable"]');
    await page.waitForSelector('#admin-users tr[data-user="demo.health"] button[data-action="enable"]');
    await page.click('#admin-users tr[data-user="demo.health"] button[data-action="enable"]');
    await page.waitForSelector('#admin-users tr[data-user="demo.health"] button[data-action="disable"]');
    if (name === 'desktop') {
      // A forgotten password reset: the new one is shown once, and logs in.
      page.once('dialog', (dialog) => dialog.accept());
      await page.click('#admin-users tr[data-user="demo.school"] button[data-action="reset_password"]');
      const reset = await page.getAttribute('#admin-users tr[data-user="demo.school"] [data-password]', 'data-password');
      users['demo.school'].password = reset;
      await rectify.apiAs(users['demo.school']);  // throws unless the new password logs in
      // A new account, which logs in with the password the office gave.
      await page.click('#add-user summary');
      await page.fill('#user-username', newcomer.username);
      await page.fill('#user-display-name', '赵文书');
      await page.selectOption('#user-unit', 'village_2');
      await page.check('#add-user-form input[value="unit_member"]');
      await page.fill('#user-password', newcomer.password);
      await page.click('#user-submit');
      await page.waitForSelector(`#admin-users tr[data-user="${newcomer.username}"]`);
      const added = (await api.get('/api/users')).body.users.find((u) => u.username === newcomer.username);
      equal([added.display_name, added.unit, added.roles], ['赵文书', 'village_2', ['unit_member']], 'the account as entered');
      // 调整单位: 示例村二 merged into 示例村三; the same login goes with it.
      const row = `#admin-users tr[data-user="${newcomer.username}"]`;
      await page.click(`${row} button[data-action="move"]`);
      await page.selectOption(`${row} form.move-user-form select`, 'village_3');
      await page.click(`${row} button[data-action="move-submit"]`);
      await page.waitForFunction((selector) => document.querySelector(`${selector} td:nth-child(3)`)?.textContent === '示例村三', row);
      const moved = (await api.get('/api/users')).body.users.find((u) => u.username === newcomer.username);
      equal([moved.id, moved.unit], [added.id, 'village_3'], 'the same account, under its new unit');
    }
    await page.shot(`${name}-admin`);
    assertNoPageProblems(page);
    await logout(page);
    await page.context().close();
  }

  // The new account changes its own password (修改密码 in the header) and logs in with the new one.
  {
    const page = await newPage(browser, PHONE, artefacts);
    await login(page, url, newcomer);
    await page.click('#change-password');
    await page.fill('#password-current', 'wrong-password-0000');
    await page.fill('#password-new', 'Autumn-campaign-2021');
    await page.fill('#password-again', 'Autumn-campaign-2021');
    await page.click('#password-submit');
    await page.waitForSelector('#password-error:not([hidden])');
    equal(await page.textContent('#password-error'), '当前密码不正确', 'a wrong current password');
    await page.fill('#password-current', newcomer.password);
    await page.click('#password-submit');
    await page.waitForSelector('#password-error', { state: 'hidden' });
    await page.waitForFunction(() => document.querySelector('#toast')?.textContent === '密码已修改');
    await logout(page);
    await login(page, url, { username: newcomer.username, password: 'Autumn-campaign-2021' });
    assertNoPageProblems(page);
    await page.context().close();
  }

  // New since the last visit: the village's cadre opens the campaign once (nothing is new on a
  // first visit); their last visit is then set to the newest change of their items, the office
  // assigns one more problem, and on the next load 我的任务 counts exactly that one.
  const page = await newPage(browser, PHONE, artefacts);
  await login(page, url, users['demo.village1']);
  await page.waitForSelector('#my-items');
  check(!(await page.$('#my-new')), 'nothing is new on a first visit');
  const village = await rectify.apiAs(users['demo.village1']);
  const own = [...(await village.get('/api/problems')).body.items, ...(await village.get('/api/enrollments')).body.items];
  const newest = own.map((i) => i.state_since).sort((a, b) => Date.parse(a) - Date.parse(b)).pop();
  const key = await page.evaluate(() => Object.keys(localStorage).find((k) => k.startsWith('rectify.visit.demo.village1.')));
  check(key, 'the visit is remembered per user and campaign');
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [key, newest]);
  const created = await api.post('/api/problems', { title: '示例：新交办的问题', area: 2, source: 'self_inspection', unit: 'village_1' });
  equal(created.status, 201, 'a new problem for the village');
  check(Date.parse(created.body.state_since) > Date.parse(newest), 'assigned after the last change');
  await page.reload();
  await page.waitForSelector('#my-new');
  equal(await page.textContent('#my-new'), '新 1', 'one new item');
  equal(await page.textContent('#tabs a[data-route="my"] .tab-new'), '1', 'the count on the tab');
  check(await page.$(`#my-items li[data-item="problem/${created.body.id}"] .badge.new`), 'the new item is marked');
  await page.shot('phone-new-badge');
  assertNoPageProblems(page);
}
