// A session that ends while a note is being typed (an hour without a request, so the server
// ends it): the login is asked for over the open item with the user filled in, the note stays
// in its field, and once the same user has logged in again the note is sent as typed.
import { Rectify, launchBrowser, newPage, login, openItem, check, equal, assertNoPageProblems, PHONE, DESKTOP } from '../harness.mjs';

export async function run({ binary, campaign, samples, artefacts, cleanups }) {
  const rectify = new Rectify({ binary, campaign, now: '2021-10-22T09:00' });
  cleanups.push(() => rectify.stop());
  const users = rectify.seedDemo(samples);
  const url = await rectify.start();
  const cadre = users['demo.village1'];
  const api = await rectify.apiAs(cadre);
  const rectifying = (await api.get('/api/problems?unit=village_1&state=rectifying')).body.items[0];
  check(rectifying, 'village_1 has a problem being rectified');

  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const page = await newPage(browser, PHONE, artefacts);
  await login(page, url, cadre);
  await openItem(page, 'problem', rectifying.id);
  await page.click('#actions button[data-event="progress"]');
  await page.waitForSelector('#form-progress');
  const note = '已入户核实，危房改造材料已备齐，等待施工队进场（下午补拍照片）';
  await page.fill('#form-progress [data-field="note"]', note);

  // Two hours on, with no request in between: the server's clock moves, the page stays open.
  equal(await rectify.restartAt('2021-10-22T11:00', { samePort: true }), url, 'the same address');
  await page.click('#event-send');
  await page.waitForSelector('#relogin');
  await page.shot('session-end-relogin');
  check((await page.textContent('#relogin')).includes('60分钟未操作'), 'the page says why the login is asked for');
  equal(await page.inputValue('#relogin #login-username'), cadre.username, 'the user is filled in');
  equal(await page.inputValue('#form-progress [data-field="note"]'), note, 'the note is kept under the login');
  // A dialog for the keyboard and a screen reader too: named by its reason, the password field
  // focused, the page behind out of Tab's reach until the login.
  equal(await page.getAttribute('#relogin', 'aria-labelledby'), 'relogin-reason', 'the dialog is named');
  equal(await page.evaluate(() => document.activeElement?.id), 'login-password', 'the password is asked for');
  equal(await page.evaluate(() => [document.querySelector('main').inert, document.querySelector('#tabs').inert]), [true, true], 'the page behind waits');
  for (let i = 0; i < 6; i += 1) await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.getElementById('relogin').contains(document.activeElement)), 'Tab stays in the dialog');

  await page.fill('#relogin #login-password', 'a-wrong-password-1');
  await page.click('#relogin #login-submit');
  await page.waitForSelector('#relogin #login-error:not([hidden])');
  await page.fill('#relogin #login-password', cadre.password);
  await page.click('#relogin #login-submit');
  await page.waitForSelector('#relogin', { state: 'detached' });
  equal(await page.inputValue('#form-progress [data-field="note"]'), note, 'the note survived the login');
  equal(await page.evaluate(() => document.activeElement?.id), 'event-send', 'back on the button the user had pressed');
  equal(await page.evaluate(() => document.querySelector('main').inert), false, 'the page is back');

  await page.click('#event-send');
  await page.waitForFunction(() => !document.querySelector('#event-send'));
  check((await page.textContent('#history')).includes(note), 'the note is in the history, sent once');
  const events = (await api.get(`/api/problems/${rectifying.id}`)).body;
  check(events, 'the problem reads back');

  // Another person logging in over an ended session starts anew, on their own page.
  await rectify.restartAt('2021-10-22T13:00', { samePort: true });
  await page.click('#tabs a[href="#/my"]').catch(() => {});
  await page.evaluate(() => { location.hash = '#/my'; });
  await page.waitForSelector('#relogin');
  const other = users['demo.school'];
  await page.fill('#relogin #login-username', other.username);
  await page.fill('#relogin #login-password', other.password);
  await page.click('#relogin #login-submit');
  await page.waitForSelector('#relogin', { state: 'detached' });
  await page.waitForSelector('#my-items');
  check(!(await page.textContent('#main')).includes(note), 'nothing of the first user is left on the page');
  assertNoPageProblems(page);

  // Reading a list asks the server nothing. Five minutes before the hour the page says the login
  // will end and offers to go on; going on is a request, so the hour starts again. Left alone,
  // the page asks for the login when the hour is over, before any press is lost to it.
  const reader = await newPage(browser, DESKTOP, artefacts);
  await reader.clock.install();
  await login(reader, url, cadre);
  await reader.waitForSelector('#my-items');
  await reader.clock.fastForward('50:00');
  equal(await reader.$('#idle-warning'), null, 'no warning at 50 minutes');
  await reader.clock.fastForward('06:00');
  await reader.waitForSelector('#idle-warning');
  await reader.shot('session-end-idle-warning');
  equal(await reader.getAttribute('#idle-warning', 'role'), 'alert', 'the warning is said at once');
  check((await reader.textContent('#idle-warning')).includes('分钟后将退出登录'), 'it says the login will end');
  await reader.click('#idle-continue');
  await reader.waitForSelector('#idle-warning', { state: 'detached' });
  await reader.clock.fastForward('50:00');
  equal(await reader.$('#idle-warning'), null, 'going on started the hour again');
  await reader.clock.fastForward('11:00');
  await reader.waitForSelector('#relogin');
  check((await reader.textContent('#relogin')).includes('60分钟未操作'), 'after the hour the login is asked for, saying why');
  equal(await reader.$('#idle-warning'), null, 'the warning gives way to the login');
  await reader.fill('#relogin #login-password', cadre.password);
  await reader.click('#relogin #login-submit');
  await reader.waitForSelector('#relogin', { state: 'detached' });
  await reader.waitForSelector('#my-items');
  assertNoPageProblems(reader);
}
