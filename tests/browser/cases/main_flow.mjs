// The campaign's main flow in the browser: a village's member sees only the village's items,
// what awaits its signature (签收) first, then the most urgent; signs for one and starts it, records progress with a photo and submits it; the inspection
// group sends it back with a reason; the village submits again; the inspection group verifies;
// the office closes it (销号). Meanwhile the village asks for an extension (延期) of another item
// and the office approves it: the page then says "延期至…（原时限…）".
import {
  Rectify, launchBrowser, newPage, login, logout, openItem, fireFromPage, hasRoute, check, equal,
  assertNoPageProblems, DESKTOP,
} from '../harness.mjs';

// A 1x1 PNG: the smallest real image.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

// The error a form shows once the server refused it.
async function formError(page, form) {
  await page.waitForSelector(`${form} .error-box:not([hidden])`);
  const text = await page.textContent(`${form} .error-box`);
  await page.$eval(`${form} .error-box`, (el) => { el.hidden = true; });
  return text;
}

export async function run({ binary, campaign, artefacts, cleanups }) {
  const rectify = new Rectify({ binary, campaign, now: '2021-10-12T09:00' });
  cleanups.push(() => rectify.stop());
  const office = rectify.addUser({ username: 'zhang.office', unit: 'rural_office', roles: ['office'], displayName: '张主任' });
  const village = rectify.addUser({ username: 'li.village1', unit: 'village_1', roles: ['unit_member'], displayName: '李书记' });
  const inspector = rectify.addUser({ username: 'wang.inspector', unit: 'rural_office', roles: ['inspector'], displayName: '王组长' });
  const url = await rectify.start();

  const api = await rectify.apiAs(office);
  const create = async (problem) => {
    const answer = await api.post('/api/problems', problem);
    equal(answer.status, 201, `create ${problem.title}: ${JSON.stringify(answer.body)}`);
    return answer.body.id;
  };
  const lamp = await create({ title: '示例：村主干道路灯损坏未修复', area: 11, source: 'campaign_sweep', unit: 'village_1', measures: '更换损坏路灯' });
  const water = await create({ title: '示例：二村饮水管网漏水', area: 5, source: 'self_inspection', unit: 'village_2' });
  const soon = await create({ title: '示例：一村危房改造资料不全', area: 4, source: 'self_inspection', unit: 'village_1', deadline: '2021-10-13' });
  const late = await create({ title: '示例：一村低保户信息未更新', area: 6, source: 'self_inspection', unit: 'village_1', deadline: '2021-10-11' });
  // The village has signed for two of its three problems already.
  const villageApi = await rectify.apiAs(village);
  for (const id of [soon, late]) {
    const signed = await villageApi.post(`/api/problems/${id}/events`, { event: 'sign_for' });
    equal(signed.status, 200, `sign for ${id}: ${JSON.stringify(signed.body)}`);
  }
  const evidence = await hasRoute(api, `/api/problems/${lamp}/evidence`);
  check(evidence, 'the server answers GET /api/problems/{id}/evidence');

  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const page = await newPage(browser, DESKTOP, artefacts);

  // The village's member: only the village's items, the unsigned first (due by close of business
  // tomorrow, so due soon), then overdue, then due soon.
  await login(page, url, village);
  await page.waitForSelector('#my-items');
  const cards = await page.$$eval('#my-items li', (items) => items.map((li) => [li.dataset.item, li.dataset.urgency]));
  equal(cards, [[`problem/${lamp}`, 'due-soon'], [`problem/${late}`, 'overdue'], [`problem/${soon}`, 'due-soon']], 'my work, unsigned first, then by urgency');
  check((await page.textContent(`[data-item="problem/${lamp}"]`)).includes('待签收'), 'the unsigned card says so');
  check((await page.textContent(`[data-item="problem/${lamp}"]`)).includes('签收时限：10月13日 17:30'), 'the card gives the sign-for limit');
  // 红黄蓝预警: to be signed for by tomorrow is blue; a working day overdue is yellow.
  check(await page.$(`[data-item="problem/${lamp}"] [data-tier="blue"]`), 'the unsigned card is blue');
  check(await page.$(`[data-item="problem/${late}"] [data-tier="yellow"]`), 'the overdue card is yellow');
  check(!(await page.textContent('#main')).includes('二村饮水管网漏水'), 'another village\'s problem is not listed');
  equal(await page.textContent('[data-count="sign-for"] b'), '1', 'awaiting signature count');
  equal(await page.textContent('[data-count="overdue"] b'), '1', 'overdue count');
  equal(await page.textContent('[data-count="due-soon"] b'), '2', 'due-soon count');
  await page.shot('desktop-my-work');

  // Another village's item cannot be opened either.
  await page.evaluate((id) => { location.hash = `#/item/problem/${id}`; }, water);
  await page.waitForSelector('#main .error-box');
  await page.click('#tabs a[data-route="my"]');
  await page.waitForSelector('#my-items');

  await page.click(`[data-item="problem/${lamp}"] a.card-title`);
  await page.waitForSelector('#actions');
  const buttons = async () => page.$$eval('#actions button', (b) => b.map((x) => x.dataset.event));
  equal(await buttons(), ['sign_for', 'start', 'request_extension'], 'only the allowed events are buttons');
  check(await page.$('#item-sign-for'), 'the item awaits its signature');
  await fireFromPage(page, 'sign_for', {}, '已交办');
  check(!(await page.$('#item-sign-for')), 'signed for');
  equal(await buttons(), ['start', 'request_extension'], 'nothing left to sign');
  await fireFromPage(page, 'start', {}, '整改中');
  // For the keyboard: after an action the focus is on the item's new state; 取消 in a form goes
  // back to the action that opened it.
  await page.waitForFunction(() => document.activeElement?.id === 'item-state');
  equal(await page.evaluate(() => document.activeElement.textContent), '整改中', 'the focus on the new state');
  await page.click('#actions button[data-event="request_extension"]');
  await page.click('#event-cancel');
  equal(await page.evaluate(() => document.activeElement?.dataset.event), 'request_extension', '取消: back on its action');
  await fireFromPage(page, 'progress', { note: '已更换 3 盏路灯，夜间照明恢复' }, '整改中',
    evidence ? [{ name: '路灯照片.png', mimeType: 'image/png', buffer: PNG }] : undefined);
  if (evidence) {
    await page.waitForSelector('#evidence-files li');
    const href = await page.getAttribute('#evidence-files li a[download]', 'href');
    const bytes = await page.evaluate(async (h) => (await fetch(h)).arrayBuffer().then((b) => b.byteLength), href);
    equal(bytes, PNG.length, 'the uploaded photo downloads byte for byte');
  }
  check((await page.textContent('#history')).includes('已更换 3 盏路灯'), 'the progress note is in the history');
  await fireFromPage(page, 'submit', {}, '待验收');
  await page.shot('desktop-item-submitted');
  await logout(page);

  // The inspection group: the queue holds it; sending back needs a reason.
  await login(page, url, inspector);
  await page.waitForSelector('#inspect-queue');
  equal(await page.$$eval('#inspect-queue li', (items) => items.map((li) => li.dataset.item)), [`problem/${lamp}`], 'the queue');
  await page.shot('desktop-inspect-queue');
  await page.click(`[data-item="problem/${lamp}"] a.card-title`);
  await page.waitForSelector('#actions');
  await page.click('#actions button[data-event="send_back"]');
  await page.click('#event-send');  // no reason: the form is not sent
  check(await page.$('#form-send_back [data-field="reason"]:invalid'), 'a send-back without a reason is held on the page');
  equal(await page.textContent('#item-state'), '待验收', 'nothing was sent');
  await page.fill('#form-send_back [data-field="reason"]', '缺少夜间照明照片，请补充');
  await page.click('#event-send');
  await page.waitForFunction(() => document.querySelector('#item-state')?.textContent === '整改中');
  check((await page.textContent('#history li[data-event="send_back"]')).includes('缺少夜间照明照片'), 'the reason is in the history');
  await logout(page);

  // The village sees it sent back, and submits again.
  await login(page, url, village);
  await page.waitForSelector(`[data-item="problem/${lamp}"]`);
  check((await page.textContent(`[data-item="problem/${lamp}"]`)).includes('退回 1 次'), 'the card shows the send-back');
  await openItem(page, 'problem', lamp);
  await fireFromPage(page, 'progress', { note: '已补充夜间照明照片' }, '整改中');
  await fireFromPage(page, 'submit', {}, '待验收');
  // Another problem cannot be done by tomorrow: the village asks for an extension, with a reason.
  await openItem(page, 'problem', soon);
  await page.click('#actions button[data-event="request_extension"]');
  await page.fill('#form-request_extension [data-field="reason"]', '危房户外出务工，需等其返乡签字');
  await page.click('#event-send');  // no date: the form is not sent
  check(await page.$('#form-request_extension [data-field="deadline"]:invalid'), 'an extension without a date is held on the page');
  // A date not after the deadline is refused, and the page says why, with the deadline.
  await page.fill('#form-request_extension [data-field="deadline"]', '2021-10-12');
  await page.click('#event-send');
  equal(await formError(page, '#form-request_extension'), '整改时限须晚于现有时限10月13日 24:00，所填为10月12日 24:00', 'the refused extension says why');
  await page.fill('#form-request_extension [data-field="deadline"]', '2021-10-20');
  await page.click('#event-send');
  await page.waitForFunction(() => document.querySelector('#main')?.textContent.includes('延期待批') && !document.querySelector('#event-send'));
  await logout(page);

  await login(page, url, inspector);
  await openItem(page, 'problem', lamp);
  await fireFromPage(page, 'verify', { note: '现场核实，整改到位' }, '已验收');
  await logout(page);

  // The office closes it: 销号.
  await login(page, url, office);
  await openItem(page, 'problem', lamp);
  await fireFromPage(page, 'close', {}, '已销号');
  const events = await page.$$eval('#history li', (items) => items.map((li) => li.dataset.event));
  equal(events, ['create', 'sign_for', 'start', 'progress', 'submit', 'send_back', 'progress', 'submit', 'verify', 'close'], 'the timeline');
  // People by their names, as the page greets them, not by their login names.
  const who = await page.$$eval('#history li .when', (rows) => rows.map((r) => r.textContent.split(' · ').pop()));
  equal(who, ['张主任', '李书记', '李书记', '李书记', '李书记', '王组长', '李书记', '李书记', '王组长', '张主任'], 'who did each step');
  if (evidence) check((await page.textContent('#evidence-files')).includes('李书记'), 'the photo\'s uploader by name');
  await page.shot('desktop-item-closed');

  // The office approves the extension: the deadline moves and the original one is kept.
  await openItem(page, 'problem', soon);
  check((await page.textContent('#main')).includes('申请延期至10月20日 24:00'), 'the request is shown with its date');
  // Granting a date not after the deadline is refused (422), saying why.
  await page.click('#actions button[data-event="approve_extension"]');
  await page.fill('#form-approve_extension [data-field="reason"]', '情况属实，同意延期');
  await page.fill('#form-approve_extension [data-field="deadline"]', '2021-10-13');
  await page.click('#event-send');
  equal(await formError(page, '#form-approve_extension'), '整改时限须晚于现有时限10月13日 24:00，所填为10月13日 24:00', 'the refused grant says why');
  await page.click('#form-approve_extension button[type="button"]');
  await fireFromPage(page, 'approve_extension', { reason: '情况属实，同意延期' }, '已交办');
  check((await page.textContent('#main')).includes('延期至10月20日 24:00（原时限10月13日 24:00）'), 'the deadline as the forms write it');
  check(!(await page.textContent('#main')).includes('延期待批'), 'nothing awaits a decision');
  await page.shot('desktop-item-extended');

  // A digest's link (/#/item/problem/N) opened logged out goes through the login page to the item.
  await logout(page);
  await page.goto(`${url}/#/item/problem/${soon}`);
  await page.fill('#login-username', village.username);
  await page.fill('#login-password', village.password);
  await page.click('#login-submit');
  await page.waitForSelector('#item-title');
  check((await page.textContent('#item-title')).includes('一村危房改造资料不全'), 'the link lands on its item after the login');

  // The village records a problem it found itself (附件1): led by the village, taken on at once.
  await page.click('#tabs a[data-route="my"]');
  await page.waitForSelector('#record-problem');
  await page.click('#record-problem');
  equal(await page.inputValue('#new-unit'), '示例村一', 'the unit is the member\'s own');
  check(await page.$('#new-unit[readonly]'), 'the unit cannot be changed');
  const unitBox = await page.$eval('#new-unit', (el) => el.getBoundingClientRect().toJSON());
  check(unitBox.height >= 44 && unitBox.width > 300, `the unit box is a form field like the others (${Math.round(unitBox.width)}×${Math.round(unitBox.height)})`);
  await page.fill('#new-title', '示例：一村自查发现公示栏信息未更新');
  await page.selectOption('#new-area', '1');
  await page.selectOption('#new-source', 'campaign_sweep');
  // Dates the calendar does not cover, or past the campaign's rule for a unit's own problem, are
  // refused with the reason and the dates in the page's words.
  await page.fill('#new-deadline', '2030-01-01');
  await page.click('#create-submit');
  equal(await formError(page, '#create-form'), '整改时限2030年1月1日超出了工作日历的年份（日历只有2021年至2026年）', 'a year without a calendar');
  // The refusal is tied to its field, for a screen reader and the eye: marked, described by the
  // error, focused; a change of the field takes the mark away.
  const deadlineMark = () => page.evaluate(() => {
    const input = document.getElementById('new-deadline');
    const describedBy = document.getElementById(input.getAttribute('aria-describedby') || '-');
    return [input.getAttribute('aria-invalid'), Boolean(describedBy?.textContent.startsWith('整改时限')), document.activeElement === input];
  });
  equal(await deadlineMark(), ['true', true, true], 'the refused deadline is marked, described by the error and focused');
  await page.fill('#new-deadline', '2021-11-15');
  equal(await page.getAttribute('#new-deadline', 'aria-invalid'), null, 'a change of the field takes the mark away');
  await page.click('#create-submit');
  const afterRule = await formError(page, '#create-form');
  check(/^自行登记时整改时限最迟为10月31日 24:00（.+）；更晚的时限须申请延期，由办公室批准$/.test(afterRule), `later than the unit's rule (${afterRule})`);
  await page.fill('#new-deadline', '');
  await page.click('#create-submit');
  await page.waitForFunction(() => document.querySelector('#my-items')?.textContent.includes('公示栏信息未更新'));
  const found = await villageApi.get('/api/problems?q=公示栏');
  equal(found.body.items.length, 1, 'the recorded problem is stored');
  equal(found.body.items[0].unit, 'village_1', 'led by the village');
  equal(found.body.items[0].state, 'assigned', 'taken on as it was recorded');
  equal(found.body.items[0].sign_for, null, 'nothing to sign for');
  await page.shot('desktop-my-work-recorded');

  const stored = await api.get(`/api/problems/${lamp}`);
  equal(stored.body.state, 'closed', 'the server has it closed');
  equal(stored.body.send_back_count, 1, 'one send-back counted');
  assertNoPageProblems(page);
}
