// The household survey (入户核查) on a phone (390×844), as a village cadre holds it at the
// household: the village's list, the visit sheet filled in (kept on the phone when the
// connection drops, sent again when it comes back), the photo of the signed sheet, and the
// enrollment request opened from the risk found, due two months from the risk date.
import { Rectify, launchBrowser, newPage, login, logout, check, equal, assertNoPageProblems, PHONE } from '../harness.mjs';

// A 1x1 PNG: the smallest real image.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

async function fitsTheScreen(page, what) {
  equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, `${what}: no sideways scrolling`);
  // A checkbox inside its label is tapped through the label, a full row high.
  const small = await page.$$eval('button:not([hidden]), .tabs a, label.check, input[type=checkbox]:not(label.check input)', (elements) => elements
    .filter((el) => el.offsetParent !== null)
    .map((el) => [el.textContent.trim() || el.id || el.type, el.getBoundingClientRect()])
    .filter(([, r]) => r.height < 24 || (r.height < 36 && r.width < 36))
    .map(([name, r]) => `${name} ${Math.round(r.width)}×${Math.round(r.height)}`));
  equal(small, [], `${what}: tap targets`);
}

export async function run({ binary, campaign, artefacts, cleanups }) {
  const rectify = new Rectify({ binary, campaign, now: '2021-10-12T09:00' });
  cleanups.push(() => rectify.stop());
  const office = rectify.addUser({ username: 'zhang.office', unit: 'rural_office', roles: ['office'] });
  const village = rectify.addUser({ username: 'li.village1', unit: 'village_1', roles: ['unit_member'], displayName: '李书记' });
  const inspector = rectify.addUser({ username: 'wang.inspector', unit: 'rural_office', roles: ['inspector'] });
  const url = await rectify.start();

  const api = await rectify.apiAs(office);
  const add = async (household) => {
    const answer = await api.post('/api/survey/households', household);
    equal(answer.status, 201, `add ${household.head_name}: ${JSON.stringify(answer.body)}`);
    return answer.body.id;
  };
  const zhang = await add({ village: 'village_1', group: '1组', head_name: '张三', household_type: 'marginal', priority: 'rigid_spending', phone: '13812345678' });
  await add({ village: 'village_1', group: '2组', head_name: '李四', household_type: 'lifted', priority: 'income_drop' });
  await add({ village: 'village_2', group: '1组', head_name: '王五', household_type: 'lifted', priority: 'income_drop' });

  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const page = await newPage(browser, PHONE, artefacts);
  await login(page, url, village);
  await page.click('#tabs a[data-route="survey"]');
  await page.waitForSelector('#survey-households');
  equal(await page.$$eval('#survey-households li', (li) => li.map((x) => x.dataset.id)), [String(zhang), String(zhang + 1)],
    'the village sees its own two households, not another village\'s');
  equal(await page.textContent('[data-count="unvisited"] b'), '2', 'two households to visit');
  await fitsTheScreen(page, 'survey list');
  await page.shot('phone-survey-list');

  await page.click(`#survey-households li[data-id="${zhang}"] a.card-title`);
  await page.waitForSelector('#visit-form');
  await fitsTheScreen(page, 'visit form');
  // Before the visit, the blank paper sheet to take along.
  equal(await page.textContent('#visit-download'), '下载空白附件2（入户时手填，A4 打印）', 'the blank sheet is offered');
  const blank = await page.evaluate(async () => {
    const answer = await fetch(document.getElementById('visit-download').href, { credentials: 'same-origin' });
    return [answer.status, answer.headers.get('Content-Type')];
  });
  equal(blank, [200, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], 'and downloads');
  const names = await page.$$('#visit-team .member-name');
  equal(names.length, 2, 'two team rows to begin with');
  await names[0].fill('刘联村');
  await page.selectOption('#visit-team .team-member:nth-child(1) .member-role', 'town_cadre');
  await names[1].fill('陈书记');
  await page.selectOption('#visit-team .team-member:nth-child(2) .member-role', 'first_secretary');
  await page.fill('#visit-members', '4');
  await page.fill('#visit-income_last_year', '9000');
  await page.fill('#visit-income_this_year', '5200');
  await page.fill('#visit-rigid_spending', '30000');
  await page.check('.cause[value="illness"]');
  await page.uncheck('#visit-medical_secured');
  await page.fill('#visit-findings', '户主9月住院，自付医疗费约3万元');
  await page.check('#visit-risk_found');
  await page.waitForSelector('#visit-risk:not([hidden])');
  await page.selectOption('#visit-risk_type', 'illness');
  await page.fill('#visit-risk_found_on', '2021-09-20');
  await page.selectOption('#visit-category', 'marginal');
  await page.shot('phone-visit-form');

  // A refusal is tied to the field it is about: a team member named twice is marked, described
  // by the error and focused, and correcting the name clears the mark.
  await names[1].fill('刘联村');
  await page.click('#visit-send');
  await page.waitForSelector('#visit-error:not([hidden])');
  equal(await page.textContent('#visit-error'), '“刘联村”重复填写：核查人员应为不同的人', 'the repeated name is said');
  equal(await page.evaluate(() => {
    const input = document.querySelectorAll('#visit-team .member-name')[1];
    return [input.getAttribute('aria-invalid'), input.getAttribute('aria-describedby'), document.activeElement === input];
  }), ['true', 'visit-error', true], 'the second name is marked, described by the error and focused');
  await names[1].fill('陈书记');
  equal(await page.evaluate(() => document.querySelectorAll('#visit-form [aria-invalid]').length), 0, 'correcting it clears the mark');

  // The connection drops as the sheet is sent: nothing is lost, and it goes once it is back.
  await page.route('**/api/campaigns/*/survey/households/*/visit', (route) => route.abort('internetdisconnected'));
  await page.click('#visit-send');
  await page.waitForSelector('#visit-error:not([hidden])');
  check((await page.textContent('#visit-error')).includes('网络不稳定'), 'a lost connection is said in words');
  // Chromium logs the aborted request; that one is the test's own doing.
  page.problems = page.problems.filter((problem) => !/ERR_INTERNET_DISCONNECTED/.test(problem));
  await page.reload();
  await page.waitForSelector('#visit-form');
  equal(await page.inputValue('#visit-findings'), '户主9月住院，自付医疗费约3万元', 'the draft survives a reload');
  equal(await page.$eval('#visit-risk_found', (el) => el.checked), true, 'the conclusion survives a reload');
  await page.unroute('**/api/campaigns/*/survey/households/*/visit');
  await page.click('#visit-send');
  await page.waitForSelector('#visit-sheet');
  equal(await page.textContent('#household-state'), '已走访', 'recorded');
  check((await page.textContent('#visit-sheet')).includes('刘联村（联村干部）、陈书记（第一书记）'), 'the team is on the sheet');
  const drafts = () => page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('rectify.visit-draft.'))
    .map((key) => [key, localStorage.getItem(key)]));
  equal(await drafts(), [], 'the draft is gone once sent');

  // The photo of the signed sheet.
  await page.setInputFiles('#visit-photo-input', { name: '签字页.png', mimeType: 'image/png', buffer: PNG });
  await page.waitForSelector('#visit-photos li');
  const photo = await page.$eval('#visit-photos li a[download]', (a) => a.getAttribute('href'));
  const bytes = await page.evaluate(async (href) => Array.from(new Uint8Array(await (await fetch(href)).arrayBuffer())), photo);
  equal(Buffer.from(bytes).equals(PNG), true, 'the photo downloads back byte for byte');
  await fitsTheScreen(page, 'recorded household');

  // The risk opens the enrollment request in one step; its deadline counts from the risk date.
  await page.click('#open-enrollment');
  await page.waitForSelector('#enrollment-link');
  await page.shot('phone-survey-household');
  await page.click('#enrollment-link');
  await page.waitForSelector('#history');
  check((await page.textContent('#item-title')).includes('张三'), 'the enrollment request is the household\'s');
  check((await page.textContent('.facts')).includes('11月22日 24:00'), 'due two months after 09-20, moved off the weekend');
  await fitsTheScreen(page, 'enrollment opened from the visit');

  // A sheet begun for the other household is kept as the village's own draft, and logging out
  // drops it: the next person on this phone is never offered another's health notes.
  await page.evaluate((id) => { location.hash = `#/survey/${id}`; }, zhang + 1);
  await page.waitForSelector('#visit-form');
  await page.fill('#visit-findings', '户主患慢性病，长期服药');
  await page.waitForFunction(() => Object.keys(localStorage).some((key) => key.startsWith('rectify.visit-draft.')));
  const kept = await drafts();
  equal(kept.length, 1, 'one draft kept');
  check(kept[0][0].includes(village.username) && kept[0][1].includes('长期服药'), 'kept under the village user\'s name');

  // The inspection group finds the recorded visit waiting for a spot check, and checks it.
  await logout(page);
  equal(await drafts(), [], 'logging out drops the drafts');
  await login(page, url, inspector);
  await page.evaluate(() => { location.hash = '#/survey'; });
  await page.waitForSelector('#survey-households');
  equal(await page.$$eval('#survey-households li', (li) => li.map((x) => x.dataset.id)), [String(zhang)], 'awaiting a spot check');
  await page.click('#survey-households a.card-title');
  await page.waitForSelector('#review-actions');
  check((await page.textContent('#main')).includes('138****5678'), 'the inspection group sees the phone masked');
  equal(await page.$$eval('#visit-photos li a', (a) => a.length), 0, 'and the signed sheet\'s photo listed, not linked');
  check((await page.textContent('#visit-photos')).includes('仅限有查看个人信息权限者查看'), 'saying why');
  // The opinion typed in the box is kept with the spot check, not dropped.
  await page.fill('#review-reason', '核查表填写完整，签字齐全');
  page.once('dialog', (dialog) => dialog.accept());  // 抽查通过 asks first
  await page.click('#review-actions button[data-event="spot_check"]');
  await page.waitForFunction(() => document.querySelector('#household-state')?.textContent === '已抽查');
  await page.waitForFunction(() => (document.querySelector('#survey-history')?.textContent || '').includes('意见：核查表填写完整，签字齐全'));

  // The office's dashboard has the survey beside the enrollment targets.
  await logout(page);
  await login(page, url, office);
  await page.evaluate(() => { location.hash = '#/dashboard'; });
  await page.waitForSelector('#survey-table');
  const first = await page.$$eval('#survey-table tbody tr:first-child td', (td) => td.map((x) => x.textContent));
  equal(first.slice(0, 6), ['示例村一', '2', '1', '1', '1', '1'], 'village 1: listed, visited, unvisited, risks, enrollments');
  await fitsTheScreen(page, 'dashboard');

  // The filters by keyboard: an arrow key on 村 redraws the list, and the focus stays on 村 for
  // the next one (it fell to the page's start, one village per round trip).
  await page.evaluate(() => { location.hash = '#/survey'; });
  await page.waitForSelector('#survey-village');
  await page.focus('#survey-village');
  // Each press waits for the list drawn anew (a new 村 holding the focus), not only for the new
  // address: a press while the old list is being replaced would race the redraw.
  const pressAndRedraw = async (village) => {
    await page.evaluate(() => { window.surveyFilterBefore = document.getElementById('survey-village'); });
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction((v) => location.hash.includes(`village=${v}`) && document.activeElement?.id === 'survey-village'
      && document.activeElement !== window.surveyFilterBefore, village);
  };
  await pressAndRedraw('village_1');
  await pressAndRedraw('village_2');

  // A household found on the way, added with a double tap on 加入名单: it is on the list once.
  await page.evaluate(() => { location.hash = '#/survey'; });
  await page.waitForSelector('#survey-add');
  await page.click('#survey-add summary');
  await page.selectOption('#survey-add-village', 'village_2');
  await page.fill('#survey-add-head', '赵六');
  await page.dblclick('#survey-add-send');
  await page.waitForFunction(() => document.querySelector('#household-state') && document.querySelector('#main').textContent.includes('赵六'));
  const village2 = await api.get('/api/survey/households?village=village_2');
  equal(village2.body.households.map((x) => x.head_name).sort(), ['王五', '赵六'], 'a double tap adds the household once');
  assertNoPageProblems(page);
}
