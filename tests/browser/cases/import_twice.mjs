// The same file imported twice: the preview marks the rows that are already problems
// (已存在（#N），将跳过) and the import stores only the new one; a file imported whole again
// offers nothing to import. At 1280x800, then the warning at 390x844.
import { Rectify, launchBrowser, newPage, login, check, equal, assertNoPageProblems, DESKTOP, PHONE } from '../harness.mjs';

const FIRST = '领域,问题来源,问题描述,责任单位\n2,self_inspection,示例：一村有学生辍学,village_1\n饮水安全,campaign_sweep,示例：三村水质未检测,\n';
const SECOND = `${FIRST}4,self_inspection,示例：五村危房改造资料不全,village_5\n`;

export async function run({ binary, campaign, artefacts, cleanups }) {
  const rectify = new Rectify({ binary, campaign, now: '2021-10-12T09:00' });
  cleanups.push(() => rectify.stop());
  const office = rectify.addUser({ username: 'zhang.office', unit: 'rural_office', roles: ['office'], displayName: '张主任' });
  const url = await rectify.start();
  const api = await rectify.apiAs(office);

  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const page = await newPage(browser, DESKTOP, artefacts);
  await login(page, url, office);
  const choose = async (name, text) => {
    await page.click('#tabs a[data-route="import"]');
    await page.waitForSelector('#import-file');
    await page.setInputFiles('#import-file', { name, mimeType: 'text/csv', buffer: Buffer.from(text) });
    await page.waitForSelector('#import-preview');
  };

  // The first time: nothing exists, both rows are imported.
  await choose('problems.csv', FIRST);
  check(!(await page.$('#import-existing')), 'no warning the first time');
  await page.click('#import-confirm');
  await page.waitForSelector('#import-done');
  const first = (await api.get('/api/problems')).body.items;
  equal(first.length, 2, 'two imported');

  // The same rows again, with one new: the two are marked and skipped.
  await choose('problems.csv', SECOND);
  await page.waitForSelector('#import-existing');
  check((await page.textContent('#import-existing')).includes('2 行已导入过'), 'the preview says two rows exist');
  equal(await page.$$eval('#import-preview tr.exists', (rows) => rows.map((r) => [r.dataset.line, r.dataset.existing])),
    [['2', String(first[0].id)], ['3', String(first[1].id)]], 'the rows that exist, with their problems');
  check((await page.textContent('#import-preview tr.exists')).includes(`已存在（#${first[0].id}），将跳过`), 'each says so');
  equal(await page.textContent('#import-confirm'), '确认导入 1 个问题', 'only the new row is offered');
  await page.shot('desktop-import-twice');
  await page.click('#import-confirm');
  await page.waitForSelector('#import-done');
  check((await page.textContent('#import-done')).includes('跳过已存在的 2 行'), 'the import says what it skipped');
  equal((await api.get('/api/problems')).body.items.length, 3, 'one more, none twice');

  // The whole file a third time, on a phone: nothing to import, and the page says why.
  await page.setViewportSize(PHONE);
  await choose('problems.csv', SECOND);
  await page.waitForSelector('#import-existing');
  check((await page.textContent('#import-existing')).includes('都已导入过'), 'every row exists');
  check(await page.isHidden('#import-confirm'), 'nothing to import');
  equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scrolling on a phone');
  await page.shot('phone-import-twice');
  equal((await api.get('/api/problems')).body.items.length, 3, 'still three');
  assertNoPageProblems(page);
}
