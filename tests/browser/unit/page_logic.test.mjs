// The page's logic that needs no browser: how times read, which item comes first, and the
// dashboard's answer read defensively. Run by node's own test runner (CTest: page_logic_test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTime, formatDate, dayNumber, setHomeYear } from '../../../web/static/dom.js';
import { describeError, describeRowError } from '../../../web/static/errors.js';
import { session, setServerClock, defaultDeadlineText, campaignEndedOn } from '../../../web/static/session.js';
import { byUrgency, urgencyOf, campaignItemHref } from '../../../web/static/views/item_card.js';
import { normalizeDashboard } from '../../../web/static/views/dashboard.js';
import { phaseText } from '../../../web/static/views/campaign_picker.js';
import { api, campaignPath, setCampaign, setRequestTimeout, withQuery } from '../../../web/static/api.js';
import { createServer } from 'node:http';
import { endedCampaigns } from '../../../web/static/views/carry_over.js';
import { fieldsFor } from '../../../web/static/views/events.js';

test('times read as written in Shanghai, and midnight as 24:00 of the day before', () => {
  assert.equal(formatTime('2021-10-26T17:30:00+08:00'), '10月26日 17:30');
  assert.equal(formatTime('2021-11-01T00:00:00+08:00'), '10月31日 24:00');
  assert.equal(formatTime('2021-10-01T00:00:00+08:00'), '9月30日 24:00');
  assert.equal(formatTime(null), '—');
  assert.equal(formatDate('2021-10-05'), '10月5日');
});

test('a date outside the campaign year says its year; one inside does not', () => {
  setHomeYear(2021);
  try {
    assert.equal(formatTime('2030-01-01T00:00:00+08:00'), '2029年12月31日 24:00');
    assert.equal(formatTime('2030-01-02T00:00:00+08:00'), '2030年1月1日 24:00');
    assert.equal(formatDate('2030-01-01'), '2030年1月1日');
    assert.equal(formatTime('2022-01-01T00:00:00+08:00'), '12月31日 24:00');
    assert.equal(formatDate('2021-10-05'), '10月5日');
  } finally {
    setHomeYear(0);
  }
});

test('every error code the server answers reads in Chinese, and an unknown one names its code', () => {
  const codes = ['invalid_argument', 'unauthenticated', 'permission_denied', 'not_found', 'event_not_allowed', 'conflict',
    'request_timeout', 'payload_too_large', 'unsupported_media_type', 'unprocessable', 'too_many_requests',
    'headers_too_large', 'internal'];
  for (const code of codes) {
    const text = describeError({ status: 400, code, field: 'deadline', message: 'an English detail' });
    assert.match(text, /[\u4e00-\u9fff]/, code);
    assert.doesNotMatch(text, /English|operation failed|错误代码/, code);
  }
  assert.equal(describeError({ status: 400, code: 'invalid_argument', field: 'deadline', message: 'x' }), '填写有误：整改时限');
  assert.equal(describeError({ status: 418, code: 'brand_new', message: 'x' }), '操作失败（错误代码 brand_new）');
  assert.equal(describeError(new TypeError('Failed to fetch')), '网络错误，请检查网络后重试');
});

test('a refused date or step says why in Chinese, with its dates as the page writes them', () => {
  setHomeYear(2021);
  const refusal = (code, field, reason, params) => describeError({ status: code === 'unprocessable' ? 422 : 400, code, field, body: { reason, params } });
  try {
    assert.equal(refusal('invalid_argument', '[0].deadline', 'no_holiday_calendar', { date: '2030-01-01', year: '2030', first_year: '2021', last_year: '2026' }),
      '整改时限2030年1月1日超出了工作日历的年份（日历只有2021年至2026年）');
    // A rule that counts into a year no one typed: the rule named, and what the deployment lacks.
    assert.equal(refusal('invalid_argument', '', 'no_holiday_calendar', { date: '2027-01-01', year: '2027', first_year: '2021', last_year: '2026', rule: '发现问题后3个工作日内交办' }),
      '“发现问题后3个工作日内交办”要计算到2027年，但工作日历只有2021年至2026年：请系统管理员添加2027年的节假日安排');
    assert.equal(refusal('unprocessable', 'deadline', 'not_after_deadline', { deadline: '2021-10-30T00:00:00+08:00', current: '2021-11-05T00:00:00+08:00' }),
      '整改时限须晚于现有时限11月4日 24:00，所填为10月29日 24:00');
    assert.equal(refusal('invalid_argument', 'deadline', 'not_in_future', { deadline: '2021-10-21T00:00:00+08:00', now: '2021-10-22T09:00:00+08:00' }),
      '整改时限须晚于现在，所填的10月20日 24:00已过');
    assert.equal(refusal('invalid_argument', 'deadline', 'before_start_date', { deadline: '2021-09-21T00:00:00+08:00', start: '2021-09-28', start_field: 'found_on' }),
      '整改时限不能早于发现日期（9月28日），所填为9月20日 24:00');
    assert.equal(refusal('invalid_argument', '[0].deadline', 'later_than_unit_rule', { deadline: '2021-11-16T00:00:00+08:00', latest: '2021-11-01T00:00:00+08:00', rule: '10月底前整改到位' }),
      '自行登记时整改时限最迟为10月31日 24:00（10月底前整改到位）；更晚的时限须申请延期，由办公室批准');
    assert.equal(refusal('invalid_argument', 'entered_on', 'before_county_decision', { date: '2021-10-15', decided_on: '2021-10-18' }),
      '录入系统日期不能早于县级审定（10月18日），所填为10月15日');
    assert.equal(refusal('invalid_argument', 'entered_on', 'date_in_future', { date: '2021-10-25', today: '2021-10-22' }),
      '录入系统日期不能晚于今天（10月22日），所填为10月25日');
    assert.equal(refusal('invalid_argument', 'entered_on', 'before_risk_found', { date: '2021-09-01', risk_found_on: '2021-09-20' }),
      '录入系统日期不能早于风险出现日期（9月20日），所填为9月1日');
    assert.equal(refusal('unprocessable', 'event', 'minimum_dwell', { name: '村级公示不少于5天', possible_from: '2021-10-28T00:00:00+08:00' }),
      '村级公示不少于5天：10月28日起方可办理');
    assert.equal(refusal('invalid_argument', 'id_number', 'invalid_personal_data', { problem: 'id_not_digit', position: '11' }),
      '身份证号码第11位应为数字');
    assert.equal(refusal('invalid_argument', 'health_condition', 'invalid_personal_data', { problem: 'health_length', count: '201', max: '200' }),
      '健康状况最多200个字，现为201个字');
    assert.equal(refusal('invalid_argument', 'phone', 'invalid_personal_data', { problem: 'brand_new' }), '联系电话填写有误');
    assert.equal(refusal('unprocessable', 'team', 'invalid_survey_entry', { problem: 'team_too_small', minimum: '2', count: '1' }),
      '入户核查至少需要2人，现为1人');
    assert.equal(refusal('invalid_argument', 'risk_found_on', 'invalid_survey_entry', { problem: 'after_visit', date: '2021-10-20', visited_on: '2021-10-18' }),
      '发现风险日期不能晚于走访日期（10月18日），所填为10月20日');
    assert.equal(refusal('invalid_argument', 'team[1].role', 'invalid_survey_entry', { problem: 'choice_unknown', value: '书记', choices: '村干部、驻村工作队员' }),
      '“书记”不是可选的核查人员身份（可选：村干部、驻村工作队员）');
    // A reason this page does not know yet: the code's sentence, as before.
    assert.equal(refusal('invalid_argument', 'deadline', 'brand_new', {}), '填写有误：整改时限');
  } finally {
    setHomeYear(0);
  }
});

test('the bad rows of an import read in Chinese with the value at fault', () => {
  assert.equal(describeRowError({ code: 'unknown_area', params: { value: '99' } }), '没有领域「99」（填写领域编号或名称）');
  assert.equal(describeRowError({ code: 'wrong_width', params: { fields: '3', header_fields: '5' } }), '本行有 3 列，表头有 5 列');
  assert.equal(describeRowError({ code: 'from_the_future', message: 'x' }), '此行有误（错误代码 from_the_future）');
  assert.equal(describeRowError({ code: 'invalid_survey_entry', column: '户类型', params: { problem: 'choice_unknown', value: '五保户', choices: '一般脱贫户、脱贫不稳定户' } }),
    '“五保户”不是可选的户类型（可选：一般脱贫户、脱贫不稳定户）');
  assert.equal(describeRowError({ code: 'invalid_personal_data', params: { problem: 'id_checksum', value: '1101**********1234' } }),
    '「1101**********1234」：身份证号码校验不通过，可能有一位输错了，请对照身份证逐位核对');
  assert.equal(describeRowError({ code: 'invalid_personal_data', params: { problem: 'mobile_length', count: '10', value: '138****567' } }),
    '「138****567」：手机号码应为11位，现为10位');
});

test('day numbers count days, with the time of day as a fraction', () => {
  assert.equal(dayNumber('2021-10-02') - dayNumber('2021-10-01'), 1);
  assert.equal(dayNumber('2021-10-01T12:00:00+08:00') - dayNumber('2021-10-01'), 0.5);
  assert.ok(Number.isNaN(dayNumber('not a date')));
});

test('overdue items come first, then due soon, then by deadline; done ones last', () => {
  const item = (id, extra) => ({ kind: 'problem', id, state: 'rectifying', overdue: false, due_at: '2021-10-31T00:00:00+08:00', ...extra });
  const items = [
    item(1, { state: 'closed', due_at: '2021-10-01T00:00:00+08:00' }),
    item(2, { due_at: '2021-10-20T00:00:00+08:00' }),
    item(3, { overdue: true, due_at: '2021-10-11T00:00:00+08:00' }),
    item(4, { due_at: '2021-10-14T00:00:00+08:00' }),
    item(5, { overdue: true, due_at: '2021-10-09T00:00:00+08:00' }),
  ];
  const dueSoon = new Set(['problem/2']);
  assert.deepEqual(items.sort(byUrgency(dueSoon)).map((i) => i.id), [5, 3, 2, 4, 1]);
  assert.equal(urgencyOf(items[0], dueSoon), 'overdue');
  assert.equal(urgencyOf({ kind: 'problem', id: 9, state: 'verified', overdue: true }, dueSoon), 'done');
});

test('the dashboard is read in the server\'s nested shape', () => {
  session.campaign = { phases: [{ id: 'p' }] };
  const d = normalizeDashboard({
    as_of: '2021-10-22T09:00:00+08:00',
    timeline: { today: '2021-10-22', phases: [{ id: 'a' }, { id: 'b' }], deadlines: [{ id: 'x', at: '2021-10-26T17:30:00+08:00' }] },
    burn_down: { clear_by: '2021-11-01T00:00:00+08:00', points: [{ date: '2021-10-21', open: 4 }] },
    units: [{ unit: 'u', on_time: 1 }],
    enrollment: { proposed: 6, enrolled: 3, share_within_limit: 0.5, share_with_measures: null },
    ledgers: { due: '2021-10-26T17:30:00+08:00', units: [{ unit: 'u' }] },
  });
  assert.equal(d.today, '2021-10-22');
  assert.deepEqual(d.phases.map((p) => p.id), ['a', 'b']);
  assert.equal(d.burndown.length, 1);
  assert.equal(d.clearBy, '2021-11-01T00:00:00+08:00');
  assert.equal(d.enrollment.within, 0.5);
  assert.equal(d.enrollment.measures, undefined);  // null: nothing to divide by yet
  assert.equal(d.enrollment.total, 6);
  assert.equal(d.ledgers.units.length, 1);
});

test('the dashboard is read in the flat shape, and an empty answer draws nothing but the campaign\'s phases', () => {
  session.campaign = { phases: [{ id: 'p' }] };
  const flat = normalizeDashboard({ phases: [], burndown: [{ date: '2021-10-21', open: 1 }], ledgers: [{ unit: 'u' }],
    enrollment: { total: 2, within_two_months_share: 1, help_measures_share: 0.5 } });
  assert.equal(flat.burndown.length, 1);
  assert.equal(flat.ledgers.units.length, 1);
  assert.equal(flat.enrollment.measures, 0.5);
  const empty = normalizeDashboard({});
  assert.deepEqual(empty.phases, [{ id: 'p' }]);
  assert.deepEqual([empty.burndown, empty.units, empty.areas, empty.ledgers.units], [[], [], [], []]);
  assert.equal(normalizeDashboard({ units: 'nonsense', areas: null }).units.length, 0);
});

test('a campaign route names the chosen campaign, and none is built before one is chosen', () => {
  setCampaign('');
  assert.throws(() => campaignPath('/problems'), /no campaign chosen/);
  setCampaign('gaoqiao-2021-autumn');
  assert.equal(campaignPath('/problems/3/events'), '/api/campaigns/gaoqiao-2021-autumn/problems/3/events');
  assert.equal(campaignPath('/problems', 'gaoqiao-2020-spring'), '/api/campaigns/gaoqiao-2020-spring/problems');
  setCampaign('');
});

test('回头看 offers the town\'s ended campaigns, latest first, and nothing to a campaign that has ended', () => {
  const saved = { campaigns: session.campaigns, summary: session.summary };
  const next = { id: 'gaoqiao-2022-autumn', town: 'gaoqiao', ended: false, end: '2022-11-10' };
  session.campaigns = [
    { id: 'gaoqiao-2021-spring', town: 'gaoqiao', ended: true, end: '2021-05-31' },
    { id: 'gaoqiao-2021-autumn', town: 'gaoqiao', ended: true, end: '2021-11-10' },
    { id: 'shiyan-2021-autumn', town: 'shiyan', ended: true, end: '2021-11-10' },
    next,
  ];
  session.summary = next;
  assert.deepEqual(endedCampaigns().map((c) => c.id), ['gaoqiao-2021-autumn', 'gaoqiao-2021-spring']);
  session.summary = session.campaigns[1];
  assert.deepEqual(endedCampaigns(), []);
  session.summary = null;
  assert.deepEqual(endedCampaigns(), []);
  Object.assign(session, saved);
});

test('a carried problem links to its other end: a route in the chosen campaign, an entering link in another', () => {
  const saved = { summary: session.summary, campaigns: session.campaigns };
  session.campaigns = [{ id: 'gaoqiao-2021-autumn', name: '高桥镇2021年' }, { id: 'gaoqiao-2022-autumn', name: '高桥镇2022年' }];
  session.summary = session.campaigns[1];
  assert.equal(campaignItemHref('gaoqiao-2022-autumn', 31), '#/item/problem/31');
  assert.equal(campaignItemHref('gaoqiao-2021-autumn', 7), '/?campaign=gaoqiao-2021-autumn#/item/problem/7');
  assert.equal(describeError({ status: 409, body: { error: 'failed_precondition', reason: 'carried_over',
    params: { campaign: 'gaoqiao-2022-autumn', id: '31' }, message: 'problem 7 was carried over' } }),
  '此问题已回头看转入「高桥镇2022年」（第31号问题），请到那里继续办理');
  assert.equal(describeError({ status: 422, body: { error: 'unprocessable', reason: 'unit_not_in_campaign', field: 'unit',
    params: { unit: 'village_6', unit_name: '示例村六', campaign: 'gaoqiao-2022-autumn' }, message: 'campaign has no unit' } }),
  '原责任单位「示例村六」已不是「高桥镇2022年」的单位（已合并或撤销）：请选择在本行动中接手的单位');
  Object.assign(session, saved);
});

test('an ended campaign asks for the finding date and words its refusal', () => {
  const saved = { campaign: session.campaign, campaigns: session.campaigns, serverClock: session.serverClock };
  session.campaigns = [{ id: 'gaoqiao-2021-autumn', name: '高桥镇2021年' }];
  session.campaign = { phases: [{ end: '2021-10-31' }, { end: '2021-11-10' }, { end: '2021-09-30' }] };
  setServerClock('2021-11-10T23:00:00+08:00');
  assert.equal(campaignEndedOn(), '');
  setServerClock('2021-11-11T00:30:00+08:00');
  assert.equal(campaignEndedOn(), '2021-11-10');
  assert.equal(describeError({ status: 400, field: 'found_on', body: { error: 'invalid_argument', reason: 'campaign_ended', field: 'found_on',
    params: { campaign: 'gaoqiao-2021-autumn', last_day: '2021-11-10', date: '' }, message: 'campaign ended' } }),
  '「高桥镇2021年」已于11月10日结束，只能补录此前发现的：请填写发现日期；此后发现的请录入正在进行的行动');
  assert.equal(describeError({ status: 400, field: 'risk_found_on', body: { error: 'invalid_argument', reason: 'campaign_ended', field: 'risk_found_on',
    params: { campaign: 'gaoqiao-2021-autumn', last_day: '2021-11-10', date: '2021-11-12' }, message: 'campaign ended' } }),
  '「高桥镇2021年」已于11月10日结束，只能补录此前发现的：所填发现风险日期为11月12日；此后发现的请录入正在进行的行动');
  assert.equal(describeError({ status: 400, field: 'deadline', body: { error: 'invalid_argument', reason: 'deadline_needed', field: 'deadline',
    params: { campaign: 'gaoqiao-2021-autumn', last_day: '2021-11-10' }, message: 'needs its own deadline' } }),
  '「高桥镇2021年」已于11月10日结束，本行动的时限均已过：补录的问题须填写整改时限');
  Object.assign(session, saved);
});

test('a campaign\'s phase reads with its dates, or where the campaign stands outside them', () => {
  const summary = { start: '2021-09-21', ended: false, phase: { id: 'implement', name: '组织实施', start: '2021-10-01', end: '2021-10-31' } };
  assert.equal(phaseText(summary, '2021-10-22T09:00:00+08:00'), '组织实施（10月1日—10月31日）');
  assert.equal(phaseText(summary, '2021-10-22T09:00:00+08:00', true), '组织实施（至10月31日）');
  assert.equal(phaseText({ ...summary, phase: null }, '2021-09-01T09:00:00+08:00'), '未开始（9月21日起）');
  assert.equal(phaseText({ ...summary, phase: null }, '2021-10-05T09:00:00+08:00'), '—');
  assert.equal(phaseText({ ...summary, phase: null, ended: true }, '2021-12-01T09:00:00+08:00'), '已结束');
  // Phases overlap on purpose: a day in two names both.
  const overlapping = { ...summary, phases_in_force: [summary.phase, { id: 'inspect', name: '检查验收', start: '2021-10-21', end: '2021-11-10' }] };
  assert.equal(phaseText(overlapping, '2021-10-22T09:00:00+08:00', true), '组织实施（至10月31日）·检查验收（至11月10日）');
});

test('a query string sends the spaces of a search as %20, a plus sign as %2B, and leaves out empty values', () => {
  assert.equal(withQuery('/api/problems', { q: '道路 辍学', sort: '', after: null, limit: 20 }),
    '/api/problems?q=%E9%81%93%E8%B7%AF%20%E8%BE%8D%E5%AD%A6&limit=20');
  assert.equal(withQuery('/api/problems', { q: 'C++' }), '/api/problems?q=C%2B%2B');
  assert.equal(withQuery('/api/problems', { q: '' }), '/api/problems');
});

test('a household\'s forms ask in the words of its procedure: the county decides (审定), the close records the entry date', () => {
  assert.deepEqual(fieldsFor('enrollment', 'verify').map((f) => f.label), ['审定意见（可选）']);
  assert.deepEqual(fieldsFor('problem', 'verify').map((f) => f.label), ['验收意见（可选）']);
  assert.deepEqual(fieldsFor('enrollment', 'close').map((f) => f.name), ['entered_on']);
  assert.deepEqual(fieldsFor('problem', 'close').map((f) => f.name), ['note']);
});

test('a form asks only the fields its event takes, required as its machine requires them', () => {
  const saved = session.campaign;
  try {
    session.campaign = { event_fields: { problem: {
      reopen: { takes: ['note', 'reason'], required: ['reason'] },
      close: { takes: ['note'], required: ['note'] },
    } } };
    // The machine takes no deadline with reopen here: the form does not ask it.
    assert.deepEqual(fieldsFor('problem', 'reopen').map((f) => f.name), ['reason']);
    assert.equal(fieldsFor('problem', 'reopen')[0].required, true);
    assert.equal(fieldsFor('problem', 'close')[0].required, true);
    // An event the campaign does not describe keeps the page's own form.
    assert.deepEqual(fieldsFor('problem', 'request_extension').map((f) => f.name), ['deadline', 'reason']);
  } finally {
    session.campaign = saved;
  }
  assert.equal(describeError({ status: 400, code: 'invalid_argument', field: 'deadline',
    body: { reason: 'field_not_taken', params: { event: 'start', takes: 'note, reason' } } }),
  '本操作不填写整改时限（只填：备注、理由），请刷新页面后重试');
});

test('a request whose answer never comes fails after the timeout, as a network error the person can act on', async () => {
  const hanging = createServer(() => { /* never answers */ });
  await new Promise((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  const { port } = hanging.address();
  setRequestTimeout(200);
  try {
    const started = Date.now();
    const error = await api.get(`http://127.0.0.1:${port}/api/campaigns`).then(() => null, (e) => e);
    assert.ok(error, 'the request fails');
    assert.equal(error.name, 'TimeoutError');
    assert.equal(describeError(error), '请求超时：网络没有应答，请检查网络后重试');
    assert.ok(Date.now() - started < 5000, 'it does not wait for ever');
  } finally {
    setRequestTimeout(30000);
    hanging.closeAllConnections();
    hanging.close();
  }
});

test("the page's today runs on from the server's clock: a page left open past midnight has the new day", (t) => {
  let wall = 1_000_000;
  t.mock.method(Date, 'now', () => wall);
  setServerClock('2021-10-25T23:59:20+08:00');
  assert.equal(session.now, '2021-10-25T23:59:20+08:00');
  wall += 60_000;
  assert.equal(session.now, '2021-10-26T00:00:20+08:00');
  assert.equal(session.now.slice(0, 10), '2021-10-26');
});

test("what an item is due by when no date is given comes from the campaign's rules, not from Gaoqiao's words", () => {
  const saved = session.campaign;
  try {
    session.campaign = { deadlines: [
      { id: 'ledger_due', name: '台账4月15日下班前报送', applies_to: 'ledger', kind: 'fixed' },
      { id: 'cleared', name: '5月20日前清零', applies_to: 'problem', kind: 'fixed', item_default: true, if_past: 'inspect_end' },
      { id: 'inspect_end', name: '验收结束前销号', applies_to: 'problem', kind: 'phase_end', item_default: false },
    ] };
    assert.equal(defaultDeadlineText('problem'), '按“5月20日前清零”（已过时按“验收结束前销号”）');
    assert.equal(defaultDeadlineText('ledger'), '按“台账4月15日下班前报送”');
    assert.equal(defaultDeadlineText('enrollment'), '');
  } finally {
    session.campaign = saved;
  }
});
