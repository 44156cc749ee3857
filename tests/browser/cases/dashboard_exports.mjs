// The dashboard for the leading group and the supervisors, a 督办 note from the supervisor,
// and a ledger export that downloads and opens as a real XLSX with the unit's problems; the
// exports each role is granted (the inspector's bulletin and scores, the office's town-wide
// roster, today's bulletin counting what fell overdue this morning); items as they read after a
// send-back, a reopening and an enrollment's close; a ledger handed in late and confirmed; refused
// dates and a notice left too early, each saying why in Chinese.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  Rectify, launchBrowser, newPage, login, logout, openItem, fireFromPage, hasRoute, check, equal, assertNoPageProblems, DESKTOP, PHONE,
} from '../harness.mjs';

export async function run({ binary, campaign, samples, artefacts, cleanups }) {
  const rectify = new Rectify({ binary, campaign, now: '2021-10-22T09:00' });
  cleanups.push(() => rectify.stop());
  const users = rectify.seedDemo(samples);
  // As a database written before dates were checked may hold it: one household whose risk
  // appeared in 2019, outside the calendar, and (being that old) not counted in a figure group
  // until the server's start counts it. The dashboard lists it and shows everything else.
  execFileSync('/usr/bin/python3', ['-c', `import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
item = "(SELECT min(item_id) FROM households)"
db.execute("UPDATE households SET risk_found_on = '2019-03-01' WHERE item_id = " + item)
db.execute("UPDATE figure_groups SET items = items - 1 WHERE id = (SELECT figure_group FROM items WHERE id = " + item + ")")
db.execute("UPDATE items SET figure_group = NULL WHERE id = " + item)
db.commit()`, rectify.db]);
  const url = await rectify.start();
  const api = await rectify.apiAs(users['demo.office']);
  // A submitted problem sent back: its unit's signature is asked again, by the send-back.
  const inspectorApi = await rectify.apiAs(users['demo.inspector']);
  const submitted = (await api.get('/api/problems?step=submitted')).body.items[0];
  check(submitted, 'the demo has a submitted problem');
  const sentBack = await inspectorApi.post(`/api/problems/${submitted.id}/events`, { event: 'send_back', reason: '缺少现场照片' });
  equal(sentBack.status, 200, `send back: ${JSON.stringify(sentBack.body)}`);
  const dashboard = await hasRoute(api, '/api/dashboard');
  check(dashboard, 'the server answers GET /api/dashboard');
  const exports = await hasRoute(api, '/api/exports/ledger.xlsx?unit=village_1');
  check(exports, 'the server answers GET /api/exports/ledger.xlsx');

  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const page = await newPage(browser, DESKTOP, artefacts);

  // The leading group: the dashboard is its first page.
  await login(page, url, users['demo.leader']);
  await page.waitForSelector('#chart-timeline');
  equal(await page.textContent('#main h1'), '工作看板 · 10月22日', 'the heading\'s date reads as every other date');
  equal(await page.$$eval('#chart-timeline rect.phase', (r) => r.map((x) => x.dataset.phase)), ['mobilise', 'implement', 'inspect'], 'three phases');
  check(await page.$('#chart-timeline #today-line'), 'today on the timeline');
  check((await page.$$('#chart-timeline line.deadline')).length >= 2, 'the named deadlines on the timeline');
  if (dashboard) {
    const points = Number(await page.getAttribute('#burndown-line', 'data-points'));
    check(points > 1, `the burn-down has points (${points})`);
    check((await page.$$('#chart-units rect.bar')).length > 0, 'per-unit bars');
    // Overdue said in words beside its red bar, and every figure in the chart's accessible name
    // (a screen reader reads that, not the colours).
    const overdueUnits = await page.$$eval('#chart-units rect.bar.overdue', (bars) => bars.map((b) => [b.dataset.unit, b.dataset.value]));
    check(overdueUnits.length > 0, 'the demo has a unit with overdue problems');
    const [overdueUnit, overdueCount] = overdueUnits[0];
    check((await page.textContent(`#chart-units text[data-figures="${overdueUnit}"]`)).includes(`逾期${overdueCount}`), 'its overdue count is written');
    const unitsLabel = await page.getAttribute('#chart-units', 'aria-label');
    check(unitsLabel.startsWith('各单位按期、逾期、退回情况。') && unitsLabel.includes(`逾期${overdueCount}`), `the figures in words: ${unitsLabel.slice(0, 80)}`);
    const cut = await page.$$eval('#chart-units text[data-figures]', (texts) => texts
      .filter((t) => { const box = t.getBBox(); return box.x + box.width > t.ownerSVGElement.viewBox.baseVal.width; })
      .map((t) => t.textContent));
    equal(cut, [], 'every bar\'s figures inside the chart');
    check((await page.getAttribute('#chart-areas', 'aria-label')).includes('已销号'), 'the areas\' figures in words');
    check((await page.getAttribute('#chart-burndown', 'aria-label')).includes('未销号'), 'the burn-down in words');
    check((await page.$$('#chart-areas rect.track')).length === 16, 'a progress bar per area');
    check((await page.$$('#chart-enrollment path.gauge-track')).length === 2, 'two enrollment gauges');
    check((await page.$$('#scores-table tbody tr')).length > 0, 'the villages\' scores');
    // The demo's party-building office signed for its problem late, the others in time.
    const rate = await page.textContent('#rates-table tr[data-unit="party_building_office"] td:nth-child(2)');
    equal(rate, '0%（0/1）', 'the party-building office signed late');
    check((await page.$$('#rates-table tbody tr')).length > 5, 'the units\' three rates');
    check((await page.$$('#rates-table td[data-cannot-finish]')).length > 5, 'each unit\'s items that cannot finish in time');
    equal(await page.textContent('#sources-table tr[data-source="national_assessment_2020"] td:nth-child(2)'), '13', 'the plan\'s 13 nationally fed-back problems');
    const errors = await page.$$eval('#data-errors li', (li) => li.map((x) => x.textContent));
    equal(errors.length, 1, 'one data error listed');
    check(errors[0].includes('风险发现时间 2019-03-01'), `the data error names the date (${errors[0]})`);
  }
  await page.shot('desktop-dashboard');
  await page.setViewportSize(PHONE);
  await page.reload();  // charts are drawn for the width the page opens at
  await page.waitForSelector('#chart-timeline');
  if (dashboard) await page.waitForSelector('#chart-units');
  equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scrolling on a phone');
  await page.shot('phone-dashboard');
  await page.setViewportSize(DESKTOP);
  await logout(page);

  // The supervisor: the overdue items, and a 督办 note on one.
  await login(page, url, users['demo.supervisor']);
  await page.waitForSelector('#supervise-list li a.card-title');
  await page.click('#supervise-list li a.card-title');
  await page.waitForSelector('#actions button[data-event="supervise"]');
  const state = await page.textContent('#item-state');
  await fireFromPage(page, 'supervise', { note: '请于10月25日前整改到位并报告' }, state);
  await page.waitForSelector('#history li[data-event="supervise"]');
  check((await page.textContent('#history li[data-event="supervise"]')).includes('10月25日前整改到位'), 'the 督办 note in the history');
  await logout(page);

  // The office downloads a village's ledger (附件1) as XLSX.
  await login(page, url, users['demo.office']);
  await page.click('#tabs a[data-route="exports"]');
  await page.selectOption('#export-unit', 'village_1');
  if (exports) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-ledger-xlsx')]);
    const file = path.join(artefacts, 'ledger-village_1.xlsx');
    await download.saveAs(file);
    const source = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
    const workbook = JSON.parse(execFileSync('/usr/bin/python3', [path.join(source, 'tests/exports/read_xlsx.py'), file], { encoding: 'utf8' }));
    const cells = workbook.rows.flat().map((c) => c.value).join('\n');
    const own = (await api.get('/api/problems?unit=village_1')).body.items;
    const others = (await api.get('/api/problems?unit=village_2')).body.items;
    check(own.length > 0, 'the demo has problems of village_1');
    for (const item of own) check(cells.includes(item.title), `the ledger lists "${item.title}"`);
    for (const item of others) check(!cells.includes(item.title), `the ledger leaves out village_2's "${item.title}"`);
  }
  // The town's whole roster (附件3), for one who sees every household.
  equal(await page.$eval('#export-village option:checked', (o) => [o.value, o.textContent]), ['', '全镇'], 'the roster of the whole town first');
  const roster = new URL(await page.getAttribute('#export-roster-csv', 'href'), url);
  check(!roster.searchParams.has('village'), `the town's roster names no village (${roster})`);
  // Today's bulletin counts every item overdue now, also those that fell overdue this morning.
  const bulletin = new URL(await page.getAttribute('#export-bulletin-csv', 'href'), url);
  check(!bulletin.searchParams.has('as_of'), `today's bulletin is as of now, not 00:00 (${bulletin})`);
  const bulletinText = await page.evaluate(async (href) => (await fetch(href)).text(), bulletin.href);
  const overdue = (await api.get('/api/overdue?limit=500')).body.items;
  check(overdue.length > 0, 'the demo has overdue items');
  for (const item of overdue.filter((i) => i.title)) check(bulletinText.includes(item.title), `the bulletin lists overdue "${item.title}"`);

  // The send-back asked for the signature: the item says so, not 交办.
  await openItem(page, 'problem', submitted.id);
  const awaited = await page.$$eval('.facts dt', (dt) => dt.find((x) => x.textContent === '待签收')?.nextElementSibling.textContent);
  check(awaited && awaited.endsWith('退回整改') && !awaited.includes('交办'), `the signature was asked by the send-back (${awaited})`);
  // A reopened problem's deadline rule reads by its name.
  const reopened = (await api.get('/api/problems?limit=500')).body.items.find((i) => i.reopen_count > 0);
  check(reopened, 'the demo has a reopened problem');
  await openItem(page, 'problem', reopened.id);
  const reopenNote = await page.textContent('#history li[data-event="reopen"]');
  check(reopenNote.includes('按规则：回头看重启后10个工作日内') && !/reopened_within/.test(reopenNote), `the rule by its name (${reopenNote})`);
  // A closed enrollment says how it ended, its deadline is 纳入时限.
  const closed = (await api.get('/api/enrollments?state=closed')).body.items;
  const enrolled = closed.find((i) => i.outcome && i.outcome.result === 'enrolled');
  const ineligible = closed.find((i) => i.outcome && i.outcome.result === 'not_eligible');
  check(enrolled && ineligible, 'the demo closed one household enrolled and one not eligible');
  await openItem(page, 'enrollment', enrolled.id);
  equal(await page.textContent('#item-outcome'), '纳入监测', 'the enrolled badge');
  const enrolledFacts = await page.textContent('.facts');
  check(enrolledFacts.includes(`纳入监测（${enrolled.outcome.entered_on.slice(5, 7).replace(/^0/, '')}月${enrolled.outcome.entered_on.slice(8).replace(/^0/, '')}日录入`),
    `the day it was entered in the national system (${enrolledFacts})`);
  check(enrolledFacts.includes('纳入时限') && !enrolledFacts.includes('整改时限'), 'a household\'s deadline is 纳入时限');
  await openItem(page, 'enrollment', ineligible.id);
  equal(await page.textContent('#item-outcome'), '不符合条件', 'the not-eligible badge');
  check((await page.textContent('.facts')).includes(`不符合条件：${ineligible.outcome.explanation}`), 'with what the household was told');
  // Closing a household entered in the national system tomorrow is refused, saying why.
  const verified = (await api.get('/api/enrollments?state=verified')).body.items[0];
  check(verified, 'the demo has a household the county approved');
  await openItem(page, 'enrollment', verified.id);
  await page.click('#actions button[data-event="close"]');
  await page.fill('#form-close [data-field="entered_on"]', '2021-10-25');
  await page.click('#event-send');
  await page.waitForSelector('#form-close .error-box:not([hidden])');
  equal(await page.textContent('#form-close .error-box'), '录入系统日期不能晚于今天（10月22日），所填为10月25日', 'a future entry date says why');
  assertNoPageProblems(page);
  await logout(page);

  // The inspector is granted the bulletin and the scores (export_bulletin, view_scores).
  await login(page, url, users['demo.inspector']);
  await page.click('#tabs a[data-route="exports"]');
  await page.waitForSelector('#export-links li');
  for (const id of ['export-bulletin', 'export-bulletin-csv', 'export-scores', 'export-scores-csv']) {
    check(await page.$(`#${id}`), `the inspector's ${id}`);
  }
  await logout(page);

  // A ledger handed in late and confirmed: the village is not offered to hand it in again, and
  // it stays marked late.
  await rectify.restartAt('2021-10-27T09:00');
  const form = new FormData();
  form.append('file', new Blob([Buffer.from('%PDF-1.4\n%%EOF\n')], { type: 'application/pdf' }), '台账.pdf');
  const village = await rectify.apiAs(users['demo.village1']);
  const handedIn = await village.post('/api/ledgers', form);
  equal(handedIn.status, 201, `the ledger handed in: ${JSON.stringify(handedIn.body)}`);
  const office = await rectify.apiAs(users['demo.office']);
  const confirmed = await office.post('/api/ledgers/village_1/confirm', {});
  equal(confirmed.status, 200, `confirmed: ${JSON.stringify(confirmed.body)}`);
  await login(page, rectify.url, users['demo.village1']);
  await page.click('#tabs a[data-route="exports"]');
  await page.waitForSelector('#ledger-confirmed');
  check(!(await page.$('#ledger-send')), 'no 重新报送 once confirmed');
  const status = await page.textContent('#ledger-units li[data-unit="village_1"] .ledger-status');
  check(status.startsWith('逾期报送，办公室已确认'), `late and confirmed (${status})`);
  check(!(await page.$('#export-as-of')), 'no bulletin date for one without the bulletin');

  // A household in its village's notice (公示): the page says when the notice's five days end,
  // and completing the step earlier is refused with that day.
  const household = await office.post('/api/enrollments', { household: '示例户', village: 'village_1', category: 'marginal',
    risk_type: 'illness', risk_found_on: '2021-10-20', clue_source: 'cadre_found', members: 3 });
  equal(household.status, 201, `a household: ${JSON.stringify(household.body)}`);
  const householdPath = `/api/enrollments/${household.body.id}`;
  equal((await office.post(`${householdPath}/events`, { event: 'assign' })).status, 200, 'to its village');
  for (const event of ['start', 'complete_step', 'complete_step', 'complete_step']) {
    equal((await village.post(`${householdPath}/events`, { event })).status, 200, `the village's ${event}`);
  }
  await openItem(page, 'enrollment', household.body.id);
  equal(await page.textContent('#item-state'), '村级公示', 'in its notice');
  check((await page.textContent('.facts')).includes('村级公示不少于5天，11月2日起方可办理下一步'), 'the day the notice may end');
  await page.click('#actions button[data-event="complete_step"]');
  await page.click('#event-send');
  await page.waitForSelector('#form-complete_step .error-box:not([hidden])');
  equal(await page.textContent('#form-complete_step .error-box'), '村级公示不少于5天：11月2日起方可办理', 'too early, and from when');
  assertNoPageProblems(page);
}
