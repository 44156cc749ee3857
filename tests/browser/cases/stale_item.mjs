// An item page left open while the item changes: another person's write makes the page take the
// new version and keep the typed note; a note saved whose answer was lost is recognised as saved
// when sent again, not reported as someone else's change nor recorded twice.
import { Rectify, launchBrowser, newPage, login, openItem, check, equal, assertNoPageProblems, PHONE } from '../harness.mjs';

export async function run({ binary, campaign, samples, artefacts, cleanups }) {
  const rectify = new Rectify({ binary, campaign, now: '2021-10-22T09:00' });
  cleanups.push(() => rectify.stop());
  const users = rectify.seedDemo(samples);
  const url = await rectify.start();
  const cadre = users['demo.village1'];
  const api = await rectify.apiAs(cadre);
  const item = (await api.get('/api/problems?unit=village_1&state=rectifying')).body.items[0];
  check(item, 'village_1 has a problem being rectified');
  const supervisor = await rectify.apiAs(users['demo.supervisor']);

  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const page = await newPage(browser, PHONE, artefacts);
  await login(page, url, cadre);
  await openItem(page, 'problem', item.id);
  const notesOf = async () => (await api.get(`/api/problems/${item.id}/history`)).body.events.map((e) => e.note);

  // Someone else writes while the note is typed.
  await page.click('#actions button[data-event="progress"]');
  const first = '已联系施工队，明日进场维修';
  await page.fill('#form-progress [data-field="note"]', first);
  equal((await supervisor.post(`/api/problems/${item.id}/events`, { event: 'supervise', note: '请加快进度' })).status, 200, 'a 督办 note');
  await page.click('#event-send');
  await page.waitForSelector('#form-progress .error-box:not([hidden])');
  check((await page.textContent('#form-progress .error-box')).includes('该事项刚被更新'), 'says the item changed');
  equal(await page.inputValue('#form-progress [data-field="note"]'), first, 'the note is kept');
  await page.click('#event-send');
  await page.waitForFunction(() => !document.querySelector('#form-progress'));
  check((await notesOf()).includes(first), 'sent again, the note is saved');

  // The answer to a saved note is lost on the way; 确认 again.
  await page.click('#actions button[data-event="progress"]');
  const second = '施工队已进场，更换路灯3盏';
  await page.fill('#form-progress [data-field="note"]', second);
  let lost = false;
  await page.route('**/events', async (route) => {
    if (lost || route.request().method() !== 'POST') return route.continue();
    lost = true;
    await route.fetch();
    await route.abort('connectionreset');
  });
  await page.click('#event-send');
  await page.waitForSelector('#form-progress .error-box:not([hidden])');
  page.problems = page.problems.filter((problem) => !/net::ERR_(CONNECTION_RESET|FAILED)/.test(problem));
  await page.click('#event-send');
  await page.waitForFunction(() => !document.querySelector('#form-progress'));
  equal((await notesOf()).filter((note) => note === second).length, 1, 'the note is recorded once');

  // A photo on a slow link: the other actions wait, the form says what it is doing, and 取消
  // stops the upload with nothing recorded.
  const evidenceBefore = (await api.get(`/api/problems/${item.id}/evidence`)).body.files.length;
  const notesBefore = (await notesOf()).length;
  await page.route('**/evidence', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    await new Promise((resolve) => setTimeout(resolve, 4000));
    await route.continue().catch(() => { /* the page gave up on it */ });
  });
  await page.click('#actions button[data-event="progress"]');
  await page.fill('#form-progress [data-field="note"]', '补拍照片');
  await page.setInputFiles('#evidence-input', { name: '现场.png', mimeType: 'image/png',
    buffer: Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d605a30000000049454e44ae426082', 'hex') });
  await page.click('#event-send');
  await page.waitForSelector('#event-progress:not([hidden])');
  check((await page.textContent('#event-progress')).includes('正在上传佐证材料 1/1'), 'says the upload is on its way');
  equal(await page.$$eval('#actions button', (buttons) => buttons.every((b) => b.disabled)), true, 'the other actions wait');
  await page.click('#event-cancel');
  await page.waitForSelector('#form-progress', { state: 'detached' });
  equal(await page.$$eval('#actions button', (buttons) => buttons.some((b) => b.disabled)), false, 'the actions are back');
  await new Promise((resolve) => setTimeout(resolve, 4500));  // past the held upload
  await page.unroute('**/evidence');
  equal((await api.get(`/api/problems/${item.id}/evidence`)).body.files.length, evidenceBefore, 'no file stored');
  equal((await notesOf()).length, notesBefore, 'no note recorded');
  page.problems = page.problems.filter((problem) => !/net::ERR_(ABORTED|FAILED)/.test(problem));
  assertNoPageProblems(page);
}
