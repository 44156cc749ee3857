// 台账报送与导出: the ledger hand-in (ledgers.js), and the campaign's forms as files, plain
// download links (the browser sends the session cookie; the server checks the role). A unit
// member gets its own unit's ledger.
import { h, show } from '../dom.js';
import { session, mayDo, defaultDeadlineText } from '../session.js';
import { withQuery, campaignPath } from '../api.js';
import { ledgerPanel } from './ledgers.js';

function link(id, href, text, note) {
  return h('li', { class: 'card' }, h('div', { class: 'card-body' },
    h('a', { class: 'card-title', id, href, download: '' }, text), note ? h('div', { class: 'meta' }, note) : null));
}

export async function renderExports(main) {
  const c = session.campaign;
  const ownUnit = session.me.user.unit;
  const sees = session.me.sees_all;
  const unit = h('select', { id: 'export-unit' }, sees ? h('option', { value: '' }, '全镇') : null,
    c.units.filter((u) => sees || u.id === ownUnit).map((u) => h('option', { value: u.id }, u.name)));
  // One seeing every item may take the town's whole roster (the server's default without a village).
  const village = h('select', { id: 'export-village' }, sees ? h('option', { value: '' }, '全镇') : null,
    c.units.filter((u) => u.kind === 'village' && (sees || u.id === ownUnit)).map((u) => h('option', { value: u.id }, u.name)));
  const rosterShown = village.options.length > 0;
  // The bulletin lists the items as they stand: from today on (an earlier day is refused).
  const today = (session.now || '').slice(0, 10);
  const asOf = h('input', { type: 'date', id: 'export-as-of', value: today, min: today });
  const bulletin = mayDo('export_bulletin');
  // Today's bulletin is the items overdue now: a bare date would be 00:00 and leave out those
  // that fell overdue since, so today sends no as_of (the server's default is now).
  const bulletinAsOf = () => (asOf.value === today ? '' : asOf.value);
  const links = h('ul', { class: 'cards', id: 'export-links' });

  function fill() {
    const items = [
      link('export-ledger-xlsx', withQuery(campaignPath('/exports/ledger.xlsx'), { unit: unit.value }), '附件1 问题排查整改台账（Excel，A4 横向打印）',
        `打印后由单位负责人签字并加盖公章${defaultDeadlineText('ledger') ? `，${defaultDeadlineText('ledger')}报送` : ''}`),
      link('export-ledger-csv', withQuery(campaignPath('/exports/ledger.csv'), { unit: unit.value }), '附件1 问题排查整改台账（CSV）'),
    ];
    if (rosterShown) {
      items.push(link('export-roster-xlsx', withQuery(campaignPath('/exports/roster.xlsx'), { village: village.value }), '附件3 拟纳入监测对象花名册（Excel）'));
      items.push(link('export-roster-csv', withQuery(campaignPath('/exports/roster.csv'), { village: village.value }), '附件3 拟纳入监测对象花名册（CSV）'));
      items.push(link('export-roster-public', withQuery(campaignPath('/exports/roster.xlsx'), { village: village.value, public: 1 }),
        '附件3 花名册（公示版，不含身份证号、电话、银行账号和健康状况）'));
      items.push(link('export-roster-public-csv', withQuery(campaignPath('/exports/roster.csv'), { village: village.value, public: 1 }),
        '附件3 花名册（公示版，CSV）'));
    }
    if (bulletin) {
      items.push(link('export-bulletin', withQuery(campaignPath('/exports/bulletin.xlsx'), { as_of: bulletinAsOf() }), '督查通报：逾期事项（按单位）'));
      items.push(link('export-bulletin-csv', withQuery(campaignPath('/exports/bulletin.csv'), { as_of: bulletinAsOf() }), '督查通报（CSV）'));
    }
    if (mayDo('view_scores')) {
      items.push(link('export-scores', campaignPath('/exports/scores.xlsx'), '各村实效考核得分'));
      items.push(link('export-scores-csv', campaignPath('/exports/scores.csv'), '各村实效考核得分（CSV）'));
    }
    show(links, items);
  }
  for (const control of [unit, village, asOf]) control.addEventListener('change', fill);
  fill();
  const ledgers = await ledgerPanel(() => renderExports(main));
  show(main,
    h('h1', {}, '台账报送与导出'),
    ledgers,
    h('h2', {}, '导出'),
    h('div', { class: 'filters' },
      h('div', {}, h('label', { for: 'export-unit' }, '台账单位'), unit),
      rosterShown ? h('div', {}, h('label', { for: 'export-village' }, '花名册所属村'), village) : null,
      bulletin ? h('div', {}, h('label', { for: 'export-as-of' }, '通报截止日期'), asOf) : null),
    links);
}
