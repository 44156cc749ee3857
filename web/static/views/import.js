// 导入问题: the office imports a ledger of problems from a CSV file. The server checks every
// row first (a dry run) and the page shows the preview with each bad row's error; only a file
// without errors can be imported, and then all its rows are stored at once. A row that is
// already a problem (the same source, area and title: the same file imported twice) is marked
// 已存在 in the preview and skipped by the import.
import { api, ApiError, describeError, campaignPath } from '../api.js';
import { h, show, toast, formatTime } from '../dom.js';
import { areaName, unitName, defaultDeadlineText } from '../session.js';
import { describeRowError } from '../errors.js';

const kMaxCsvBytes = 1024 * 1024;

function preview(answer) {
  const errorsByLine = new Map();
  for (const e of answer.errors) errorsByLine.set(e.line, e);
  const lines = [...answer.rows.map((r) => r.line), ...answer.errors.map((e) => e.line)].sort((a, b) => a - b);
  const rowsByLine = new Map(answer.rows.map((r) => [r.line, r]));
  return h('div', { class: 'table-wrap' }, h('table', { id: 'import-preview' },
    h('thead', {}, h('tr', {}, ['行', '问题描述', '领域', '问题来源', '责任单位', '整改时限', '检查结果'].map((t) => h('th', {}, t)))),
    h('tbody', {}, [...new Set(lines)].map((line) => {
      const row = rowsByLine.get(line);
      const error = errorsByLine.get(line);
      if (error) {
        return h('tr', { class: 'bad', 'data-line': line },
          h('td', {}, String(line)), h('td', { colspan: 5 }, error.column ? `列「${error.column}」` : '整行'),
          h('td', {}, describeRowError(error)));
      }
      return h('tr', { 'data-line': line, class: row.existing_id ? 'exists' : null, 'data-existing': row.existing_id },
        h('td', {}, String(line)), h('td', {}, row.title), h('td', {}, areaName(row.area)),
        h('td', {}, row.source_name || row.source), h('td', {}, row.unit ? unitName(row.unit) : '暂不交办'),
        h('td', {}, row.deadline ? formatTime(row.deadline) : (defaultDeadlineText('problem') || '无')),
        h('td', {}, row.existing_id ? h('a', { href: `#/item/problem/${row.existing_id}` }, `已存在（#${row.existing_id}），将跳过`) : '✓'));
    }))));
}

export async function renderImport(main) {
  const file = h('input', { type: 'file', id: 'import-file', accept: '.csv,text/csv,.xlsx' });
  const result = h('div', { id: 'import-result' });
  // What is sent: the CSV as UTF-8 text, or the XLSX file itself (the server reads its first sheet).
  let payload = '';
  let contentType = 'text/csv; charset=utf-8';

  const importButton = h('button', { type: 'button', class: 'primary', id: 'import-confirm', hidden: true, onclick: async () => {
    importButton.disabled = true;
    try {
      const answer = await api.post(campaignPath('/problems/import'), payload, { 'Content-Type': contentType });
      toast(`已导入 ${answer.stored} 个问题`);
      const skipped = answer.skipped.length ? `，跳过已存在的 ${answer.skipped.length} 行` : '';
      show(result, h('p', { class: 'notice', id: 'import-done' }, answer.stored
        ? `已导入 ${answer.stored} 个问题（编号 #${answer.ids[0]}–#${answer.ids[answer.ids.length - 1]}）${skipped}。`
        : `没有新问题：文件中的 ${answer.skipped.length} 行都已导入过，未重复导入。`),
      h('p', {}, h('a', { href: '#/office' }, '到「问题交办」查看')));
      importButton.hidden = true;
    } catch (error) {
      show(result, h('p', { class: 'error-box' }, describeError(error)));
    } finally {
      importButton.disabled = false;
    }
  } }, '确认导入');

  file.addEventListener('change', async () => {
    importButton.hidden = true;
    const chosen = file.files[0];
    if (!chosen) return;
    if (/\.xls$/i.test(chosen.name)) {
      show(result, h('p', { class: 'error-box' }, '旧版 Excel（.xls）文件请在 Excel 中「另存为」.xlsx 或 CSV 后再选择。'));
      return;
    }
    if (chosen.size > kMaxCsvBytes) {
      show(result, h('p', { class: 'error-box' }, '文件超过 1 MB，请分批导入。'));
      return;
    }
    let encoding = 'UTF-8';
    if (/\.xlsx$/i.test(chosen.name)) {
      payload = chosen;
      contentType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      encoding = 'Excel 第一个工作表';
    } else {
      // Excel's "CSV UTF-8" is UTF-8; its plain "CSV" on a Chinese Windows is GBK. The server
      // reads UTF-8, so a file that is not valid UTF-8 is read as GBK here and sent as UTF-8.
      const bytes = await chosen.arrayBuffer();
      try {
        payload = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        payload = new TextDecoder('gbk').decode(bytes);
        encoding = 'GBK';
      }
      contentType = 'text/csv; charset=utf-8';
    }
    show(result, h('p', { class: 'loading' }, '正在检查…'));
    try {
      const answer = await api.post(campaignPath('/problems/import?dry_run=1'), payload, { 'Content-Type': contentType });
      const fresh = answer.rows.length - answer.existing;
      const summary = answer.valid
        ? h('p', { class: 'meta', id: 'import-summary' }, `共 ${answer.rows.length} 行，全部通过检查（按 ${encoding} 读取）。`)
        : h('p', { class: 'error-box', id: 'import-summary' }, `${answer.errors.length} 行有错误，整个文件都不会导入：请修改后重新选择文件。其余 ${answer.rows.length} 行通过检查。`);
      const twice = answer.existing
        ? h('p', { class: 'notice', id: 'import-existing' }, fresh
          ? `其中 ${answer.existing} 行已导入过（标为「已存在」），导入时将跳过，不会重复。`
          : `这 ${answer.existing} 行都已导入过：同一文件不会重复导入。`)
        : null;
      show(result, summary, twice, preview(answer));
      importButton.textContent = `确认导入 ${fresh} 个问题`;
      importButton.hidden = !answer.valid || fresh === 0;
    } catch (error) {
      show(result, h('p', { class: 'error-box' }, error instanceof ApiError ? describeError(error) : String(error)));
    }
  });

  show(main,
    h('h1', {}, '导入问题'),
    h('section', { class: 'panel' },
      h('p', {}, '选择 Excel（.xlsx，读取第一个工作表）或 CSV 文件（UTF-8 或 GBK 编码均可）。第一行为列名，可用中文：',
        h('b', {}, '领域、问题来源、问题描述'), '（必填），', h('b', {}, '责任单位、配合单位、整改时限、整改措施、发现日期'), '（可选；本行动结束后补录的，须填发现日期）。',
        '领域可填序号或名称；填了责任单位的问题直接交办。'),
      h('p', { class: 'meta' }, '全部行检查通过才会导入；有任何一行出错则一行都不导入，改正后可重新导入。已导入过的行（问题来源、领域、问题描述都相同）会标出并跳过，不会重复。'),
      h('label', { for: 'import-file' }, 'Excel 或 CSV 文件'), file),
    result,
    h('div', { class: 'form-actions' }, importButton));
}
