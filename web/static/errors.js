// The one table of what a person reads when something fails, in Chinese. The server answers a
// stable code (README, "Errors"), for a refused date or step a reason code with its values
// (`reason`, `params`: engine/status.h), and for an import's bad row a reason code with its values
// (engine/csv_records.h); its English message is for the log and is never shown. A code this
// table does not know gets a general sentence with the code, so a new one is never silent.
import { formatDate, formatTime } from './dom.js';
import { session } from './session.js';

const CALL_ERRORS = {
  invalid_argument: '填写有误',
  unauthenticated: '登录已失效，请重新登录',
  permission_denied: '无权进行此操作',
  not_found: '未找到该内容，或您无权查看',
  event_not_allowed: '当前状态下不能进行此操作',
  conflict: '该事项刚被他人更新，请刷新后再试',
  unprocessable: '内容不符合要求',
  request_timeout: '请求超时，请检查网络后重试',
  payload_too_large: '文件或内容太大（每个文件不超过 10 MB）',
  unsupported_media_type: '只能上传图片（JPEG、PNG、GIF、WebP）或 PDF 文件',
  too_many_requests: '尝试次数过多，请稍后再试',
  headers_too_large: '请求过大，请刷新页面后重试',
  method_not_allowed: '服务器不支持此操作',
  internal: '服务器内部错误，请稍后再试或联系管理员',
};

// The fields a request may name, as the forms label them.
export const FIELD_NAMES = {
  title: '问题描述', area: '领域', source: '问题来源', unit: '责任单位', cooperating_units: '配合单位',
  deadline: '整改时限', measures: '整改措施', reason: '理由', note: '备注', event: '操作', version: '版本',
  household: '户主姓名', village: '村', category: '类别', risk_type: '风险类型', risk_found_on: '发现风险日期',
  clue_source: '线索来源', members: '家庭人口', entered_on: '录入系统日期', file: '文件', body: '提交内容',
  username: '用户名', password: '密码', new_password: '新密码', as_of: '截至时间', found_on: '发现日期', limit: '每页条数', after: '翻页位置',
  state: '状态', step: '环节', from: '原行动', until: '截止时间', label: '名称', group: '村民小组',
  head_name: '户主姓名', household_type: '户类型', priority: '优先级', phone: '联系电话', id_number: '身份证号',
  photo: '照片', evidence: '佐证材料', format: '格式', scope: '范围',
  role: '核查人员身份', name: '核查人员姓名', team: '入户核查组', visited_on: '走访日期', spending_causes: '支出原因',
  income_last_year: '上年家庭收入', income_this_year: '本年家庭收入', rigid_spending: '刚性支出', findings: '核查发现',
  assistance: '已享受帮扶', health_condition: '健康状况',
};

export function fieldName(field) {
  if (!field) return '';
  const base = String(field).replace(/\[\d+\]/g, '').split('.').pop();
  return FIELD_NAMES[base] || field;
}

// What is wrong with a household's ID number, phone, bank account or health note
// (engine/personal_data.h: reason invalid_personal_data, params.problem), for the cadre who typed it.
const PERSONAL_DATA = {
  id_missing: () => '未填写身份证号码',
  id_old_15: () => '这是15位的旧身份证号码，已停止使用，请填写18位的新号码',
  id_length: (p) => `身份证号码应为18位，现为${p.count}位`,
  id_not_digit: (p) => `身份证号码第${p.position}位应为数字`,
  id_check_character: () => '身份证号码第18位（校验码）应为数字或X',
  id_province: () => '身份证号码前两位不是有效的省份代码（如湖南为43）',
  id_birth_date: () => '身份证号码第7至14位的出生日期不是真实的日期',
  id_born_before_1900: () => '身份证号码中的出生日期早于1900年',
  id_born_after_today: () => '身份证号码中的出生日期晚于今天',
  id_checksum: () => '身份证号码校验不通过，可能有一位输错了，请对照身份证逐位核对',
  phone_missing: () => '未填写电话号码',
  phone_characters: () => '电话号码只能包含数字和“-”',
  mobile_length: (p) => `手机号码应为11位，现为${p.count}位`,
  mobile_second_digit: () => '手机号码第2位应为3至9',
  phone_form: () => '电话号码应为11位手机号码，或带区号的固定电话（如0737-1234567）',
  landline_area_code: () => '固定电话区号不正确（如北京010、长沙0731、益阳0737）',
  landline_dash: () => '固定电话的“-”应紧跟在区号之后（如0737-1234567）',
  landline_length: (p) => `固定电话号码（不含区号）应为7或8位，现为${p.count}位`,
  bank_missing: () => '未填写银行账号',
  bank_characters: () => '银行账号只能包含数字',
  bank_length: (p) => `银行账号应为12至19位数字，现为${p.count}位`,
  health_characters: () => '健康状况含有无法识别的字符，请重新输入',
  health_length: (p) => `健康状况最多${p.max}个字，现为${p.count}个字`,
};

// What is wrong with a household on the survey list or a visit sheet (engine/household_survey.cc:
// reason invalid_survey_entry, params.problem); `field` as the forms label it.
const SURVEY_ENTRY = {
  missing: (p, field) => `未填写${field}`,
  choice_missing: (p, field) => `未填写${field}（可选：${p.choices}）`,
  choice_unknown: (p, field) => `“${p.value}”不是可选的${field}（可选：${p.choices}）`,
  already_listed: () => '该户已在走访名单中（同村、同组、同户主）',
  id_number_listed: (p) => `该身份证号码已在走访名单中（${p.head_name}户）：一人只属一户`,
  not_a_date: (p, field) => `${field}不是有效的日期`,
  after_today: (p, field) => `${field}不能晚于今天（${formatDate(p.today)}），所填为${formatDate(p.date)}`,
  before_campaign: (p, field) => `${field}不能早于本次行动开始（${formatDate(p.start)}），所填为${formatDate(p.date)}`,
  after_visit: (p, field) => `${field}不能晚于走访日期（${formatDate(p.visited_on)}），所填为${formatDate(p.date)}`,
  team_too_large: (p) => `入户核查组最多${p.max}人，现为${p.count}人`,
  team_too_small: (p) => `入户核查至少需要${p.minimum}人，现为${p.count}人`,
  team_member_repeated: (p) => `“${p.name}”重复填写：核查人员应为不同的人`,
  members_below_one: () => '家庭人口至少为1人',
  negative_amount: (p, field) => `${field}不能为负数`,
  given_without_risk: (p, field) => `结论为“无风险”时不填写${field}`,
  missing_with_risk: (p, field) => `发现风险时须填写${field}`,
};

function surveyEntryProblem(p, field) {
  const say = SURVEY_ENTRY[p.problem];
  return say ? say(p, field) : `${field}填写有误`;
}

function personalDataProblem(p, field) {
  const say = PERSONAL_DATA[p.problem];
  return say ? say(p) : `${field || '个人信息'}填写有误`;
}

// Why a date or a step was refused, as a sentence that names the field (`field`, as the forms
// label it) and gives the dates as the page writes them (10月28日; another year's with its year).
// Dates come as ISO dates, deadlines and instants as ISO times.
// A campaign's name as the user's campaign list gives it; its id when the user does not see it.
function campaignName(id) {
  const found = (session.campaigns || []).find((c) => c.id === id);
  return found ? found.name : id;
}

const REASONS = {
  date_in_future: (p, field) => `${field}不能晚于今天（${formatDate(p.today)}），所填为${formatDate(p.date)}`,
  not_in_future: (p, field) => `${field}须晚于现在，所填的${formatTime(p.deadline)}已过`,
  deadline_passed: (p) => `整改时限${formatTime(p.current)}已过，不能再申请延期：延期须在时限届满前申请`,
  not_after_deadline: (p, field) => `${field}须晚于现有时限${formatTime(p.current)}，所填为${formatTime(p.deadline)}`,
  before_start_date: (p, field) => `${field}不能早于${fieldName(p.start_field)}（${formatDate(p.start)}），所填为${formatTime(p.deadline)}`,
  later_than_unit_rule: (p, field) => `自行登记时${field}最迟为${formatTime(p.latest)}（${p.rule}）；更晚的时限须申请延期，由办公室批准`,
  no_holiday_calendar: (p, field) => (p.rule
    ? `“${p.rule}”要计算到${p.year}年，但工作日历只有${p.first_year}年至${p.last_year}年：请系统管理员添加${p.year}年的节假日安排`
    : `${field}${formatDate(p.date)}超出了工作日历的年份（日历只有${p.first_year}年至${p.last_year}年）`),
  before_risk_found: (p, field) => `${field}不能早于风险出现日期（${formatDate(p.risk_found_on)}），所填为${formatDate(p.date)}`,
  before_county_decision: (p, field) => `${field}不能早于县级审定（${formatDate(p.decided_on)}），所填为${formatDate(p.date)}`,
  minimum_dwell: (p) => `${p.name}：${formatDate(p.possible_from)}起方可办理`,
  unit_not_in_campaign: (p) => `原责任单位「${p.unit_name || p.unit}」已不是「${campaignName(p.campaign)}」的单位（已合并或撤销）：请选择在本行动中接手的单位`,
  carried_over: (p) => `此问题已回头看转入「${campaignName(p.campaign)}」（第${p.id}号问题），请到那里继续办理`,
  invalid_personal_data: (p, field) => personalDataProblem(p, field),
  invalid_survey_entry: (p, field) => surveyEntryProblem(p, field),
  disk_full: () => '服务器磁盘已满，本次操作未保存：请联系系统管理员清理磁盘后重试',
  personal_data_hidden: () => '签字页照片含身份证号、电话和健康状况，仅限有查看个人信息权限者查看',
  login_throttled: (p) => {
    const seconds = Number(p.retry_after_seconds) || 0;
    return `登录失败次数过多，请${seconds >= 60 ? `${Math.ceil(seconds / 60)}分钟` : `${seconds || 30}秒`}后再试`;
  },
  campaign_ended: (p, field) => `「${campaignName(p.campaign)}」已于${formatDate(p.last_day)}结束，只能补录此前发现的：${p.date ? `所填${field}为${formatDate(p.date)}` : `请填写${field}`}；此后发现的请录入正在进行的行动`,
  deadline_needed: (p) => `「${campaignName(p.campaign)}」已于${formatDate(p.last_day)}结束，本行动的时限均已过：补录的问题须填写整改时限`,
  field_not_taken: (p, field) => `本操作不填写${field}（只填：${(p.takes || '').split(', ').filter(Boolean).map(fieldName).join('、')}），请刷新页面后重试`,
  after_campaign_end: (p, field) => `${field}不能晚于本行动结束（${formatTime(p.end)}），所填为${formatTime(p.until)}；更长的延期请重新确定整改时限`,
};

// What a person should read for a failed call (an ApiError of api.js, or a network failure).
export function describeError(error) {
  if (error && error.name === 'TimeoutError') return error.message;  // api.js: no answer in time
  if (!error || error.status === undefined) return '网络错误，请检查网络后重试';
  const reason = error.body && REASONS[error.body.reason];
  if (reason) return reason(error.body.params || {}, fieldName(error.field));
  const text = CALL_ERRORS[error.code];
  const field = error.field ? `：${fieldName(error.field)}` : '';
  if (!text) return `操作失败（错误代码 ${error.code || error.status}）${field}`;
  if (error.code === 'unauthenticated' || error.code === 'conflict' || error.code === 'too_many_requests') return text;
  return `${text}${field}`;
}

const ROW_ERRORS = {
  unclosed_quote: () => '引号没有闭合（某个单元格以 " 开头却没有结尾）',
  empty_file: () => '文件是空的：第一行应为列名',
  unknown_column: (p) => `不认识的列名「${p.name}」`,
  duplicate_column: (p) => `列「${p.name}」出现了两次`,
  missing_column: (p) => `缺少必填的列「${fieldName(p.name)}」`,
  wrong_width: (p) => `本行有 ${p.fields} 列，表头有 ${p.header_fields} 列`,
  unknown_area: (p) => `没有领域「${p.value}」（填写领域编号或名称）`,
  bad_date: (p) => `「${p.value}」不是日期（请写成 2021-10-31、2021/10/31 或 2021年10月31日，有时间的写在日期后，如 2021-10-31 17:30）`,
  missing_description: () => '问题描述不能为空',
  unknown_source: (p) => `没有问题来源「${p.value}」`,
  unknown_unit: (p) => `没有单位「${p.value}」`,
  cooperating_is_responsible: (p) => `「${p.value}」已是责任单位，不能同时作为配合单位`,
  campaign_ended: (p) => (p.date
    ? `发现日期${formatDate(p.date)}晚于本行动结束日（${formatDate(p.last_day)}）：此后发现的问题请导入正在进行的行动`
    : `本行动已于${formatDate(p.last_day)}结束，只补录此前发现的问题：请在「发现日期」列填写`),
  deadline_needed: (p) => `本行动已于${formatDate(p.last_day)}结束，时限均已过：补录的问题须在「整改时限」列填写`,
  date_in_future: (p) => `发现日期${formatDate(p.date)}晚于今天（${formatDate(p.today)}）`,
  no_holiday_calendar: (p) => `${formatDate(p.date)}超出了工作日历的年份（日历只有${p.first_year}年至${p.last_year}年）`,
  bad_deadline: (p) => `整改时限「${p.value}」不可用（早于今天或超出日历年份）`,
  duplicate_problem: (p) => `与第${p.first_line}行是同一问题（同来源、同领域、同描述）`,
  duplicate_household: (p) => `与第${p.first_line}行是同一户（同村、同组、同户主）`,
  invalid_value: (p) => (p.value ? `「${p.value}」填写有误` : '未填写或填写有误'),
  invalid_personal_data: (p) => (p.value ? `「${p.value}」：` : '') + personalDataProblem(p, ''),
  invalid_survey_entry: (p, column) => surveyEntryProblem(p, column || '本栏'),
};

// One bad row of an import preview ({line, column, code, params}), in Chinese.
export function describeRowError(error) {
  const say = ROW_ERRORS[error.code];
  return say ? say(error.params || {}, error.column || '') : `此行有误（错误代码 ${error.code || '未知'}）`;
}
