// 账号与提醒 (the office): the town's accounts, disabled ones enabled again (or disabled); the
// approved extensions (silences) in force, each ended early if need be; and the units the
// deployment's channel file gives no channel, whose reminders therefore reach no one (a channel
// is added only in that file, by whoever runs the server).
//   GET /api/users, POST /api/users/{name}/disable|enable
//   GET /api/silences, POST /api/silences/{id}/end
//   GET /api/channels -> {units_without_channel: [{unit, name}]}
import { api, describeError, campaignPath } from '../api.js';
import { h, show, toast, formatTime } from '../dom.js';
import { session } from '../session.js';

const ROLE_NAMES = { office: '乡村振兴办', unit_member: '单位经办人', inspector: '检查验收组', supervisor: '督查', leader: '领导' };

// The notice of units without a channel, or null when every unit has one.
export async function channelNotice() {
  const answer = await api.get(campaignPath('/channels'));
  const units = answer.units_without_channel || [];
  if (!units.length) return null;
  return h('div', { class: 'notice', id: 'units-without-channel' },
    h('p', {}, `以下 ${units.length} 个单位未配置消息推送渠道，收不到每日提醒（渠道在部署的渠道文件中配置，请联系系统管理员）：`),
    h('ul', {}, units.map((u) => h('li', { 'data-unit': u.unit }, u.name))));
}

async function usersSection(reload) {
  const users = (await api.get(campaignPath('/users'))).users || [];
  const act = (user, action) => async (event) => {
    event.target.disabled = true;
    try {
      await api.post(campaignPath(`/users/${encodeURIComponent(user.username)}/${action}`), {});
      toast(action === 'enable' ? `已启用 ${user.username}` : `已停用 ${user.username}`);
      await reload();
    } catch (error) {
      toast(describeError(error), true);
      event.target.disabled = false;
    }
  };
  return h('section', { class: 'panel', id: 'admin-users' }, h('h2', {}, '账号'),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['用户名', '姓名', '单位', '角色', '状态', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, users.map((user) => h('tr', { 'data-user': user.username, class: user.disabled ? 'bad' : null },
        h('td', {}, user.username), h('td', {}, user.display_name || ''), h('td', {}, user.unit_name || ''),
        h('td', {}, (user.roles || []).map((r) => ROLE_NAMES[r] || r).join('、')),
        h('td', {}, user.disabled ? '已停用' : '正常'),
        h('td', {}, user.username === session.me.user.username ? '' : user.disabled
          ? h('button', { type: 'button', class: 'primary', 'data-action': 'enable', onclick: act(user, 'enable') }, '重新启用')
          : h('button', { type: 'button', 'data-action': 'disable', onclick: act(user, 'disable') }, '停用'))))))));
}

async function silencesSection(reload) {
  const silences = (await api.get(campaignPath('/silences'))).silences || [];
  const end = (silence) => async (event) => {
    event.target.disabled = true;
    try {
      await api.post(campaignPath(`/silences/${silence.id}/end`), {});
      toast('已结束，提醒将在下一次推送时恢复');
      await reload();
    } catch (error) {
      toast(describeError(error), true);
      event.target.disabled = false;
    }
  };
  return h('section', { class: 'panel', id: 'admin-silences' }, h('h2', {}, '暂停提醒（已批准的延期）'),
    silences.length ? h('ul', { class: 'cards' }, silences.map((s) => h('li', { class: 'card', 'data-silence': s.id },
      h('div', { class: 'card-body' },
        h('div', { class: 'card-title' }, `事项 #${s.item_id}：暂停提醒至${formatTime(s.until)}`),
        h('div', { class: 'meta' }, h('span', {}, `批准：${s.approved_by}`), h('span', {}, `理由：${s.reason}`), h('span', {}, `登记于${formatTime(s.created_at)}`)),
        h('div', { class: 'actions' }, h('button', { type: 'button', 'data-action': 'end', onclick: end(s) }, '提前结束'))))))
      : h('p', { class: 'empty' }, '当前没有暂停提醒的事项。'));
}

export async function renderAdmin(main) {
  const reload = () => renderAdmin(main);
  const [users, silences, channels] = await Promise.all([usersSection(reload), silencesSection(reload), channelNotice()]);
  show(main, h('h1', {}, '账号与提醒'),
    h('section', { class: 'panel', id: 'admin-channels' }, h('h2', {}, '消息推送渠道'),
      channels || h('p', { class: 'meta' }, '每个单位都已配置推送渠道。')),
    users, silences);
}
