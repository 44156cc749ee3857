// The dashboard's charts as inline SVG, drawn from the numbers alone: no chart library, nothing
// fetched. Each function takes plain data and the width it will be shown at (`width`, CSS
// pixels: text stays 12px on a phone and on a desktop) and returns an <svg> that scales with
// its container; colours come from style.css classes. Missing or odd numbers draw as zero.
import { s, dayNumber, formatDate, formatTime } from '../dom.js';

const num = (v) => (Number.isFinite(Number(v)) ? Number(v) : 0);

function scale(d0, d1, r0, r1) {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

function svgRoot(id, W, height, title, ...children) {
  return s('svg', { id, viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-label': title, preserveAspectRatio: 'xMidYMid meet' },
    s('title', {}, title), ...children);
}

// A chart as a screen reader reads it: its title, then its figures in words (the picture alone
// says them in colours and lengths).
function withFigures(svg, figures) {
  if (figures) svg.setAttribute('aria-label', `${svg.getAttribute('aria-label')}。${figures}`);
  return svg;
}

// Ticks at the 1st, 11th and 21st of each month: the boundaries of 上旬, 中旬 and 下旬.
function dekadTicks(first, last) {
  const ticks = [];
  for (let d = Math.ceil(first); d <= last; d += 1) {
    const day = new Date(d * 86400000).getUTCDate();
    if (day === 1 || day === 11 || day === 21) ticks.push(d);
  }
  return ticks;
}

// About how wide a character is in 12px type: a CJK one ~12px, any other ~7px.
const charWidth = (ch) => (/[\u0000-\u00ff]/.test(ch) ? 7 : 12);
const textWidth = (text) => [...text].reduce((sum, ch) => sum + charWidth(ch), 0);

// A right-aligned label of 12px text ending at `x`, centred on `y`, in at most `px` pixels:
// wrapped onto a second line rather than cut; only a label longer than two lines loses its
// end, and the whole of it is its tooltip.
function label(x, y, text, px) {
  const lines = [''];
  let width = 0;
  for (const ch of text) {
    const w = charWidth(ch);
    if (width + w > px && lines[lines.length - 1]) {
      lines.push('');
      width = 0;
    }
    lines[lines.length - 1] += ch;
    width += w;
  }
  if (lines.length > 2) lines.splice(1, lines.length - 1, `${lines[1].slice(0, -1)}…`);
  const attrs = { x, 'text-anchor': 'end', class: 'chart-label' };
  if (lines.length === 1) return s('text', { ...attrs, y: y + 4 }, s('title', {}, text), text);
  return s('text', { ...attrs, y: y - 3 }, s('title', {}, text),
    s('tspan', { x, dy: 0 }, lines[0]), s('tspan', { x, dy: 13 }, lines[1]));
}

function dateOfDay(d) { return new Date(d * 86400000).toISOString().slice(0, 10); }

// The campaign's three phases as bars on a calendar, the named deadlines as dashed lines (each
// numbered: the numbers match the list under the chart) and today as a red line.
export function timelineChart({ phases = [], deadlines = [], today, width: W = 640 }) {
  const rowH = 30, top = 28, left = 28, right = W - 28;
  const starts = phases.map((p) => dayNumber(p.start)).filter(Number.isFinite);
  const ends = phases.map((p) => dayNumber(p.end) + 1).filter(Number.isFinite);
  const marks = deadlines.map((d) => dayNumber(d.at)).filter(Number.isFinite);
  const t = dayNumber(today);
  const first = Math.min(...starts, ...marks, Number.isFinite(t) ? t : Infinity) - 1;
  const last = Math.max(...ends, ...marks, Number.isFinite(t) ? t : -Infinity) + 1;
  const height = top + phases.length * rowH + 30;
  const x = scale(first, last, left, right);
  const parts = [];
  for (const d of dekadTicks(first, last)) {
    parts.push(s('line', { class: 'grid', x1: x(d), x2: x(d), y1: top - 6, y2: height - 22 }));
    parts.push(s('text', { x: x(d), y: height - 6, 'text-anchor': 'middle', class: 'muted' }, formatDate(dateOfDay(d))));
  }
  phases.forEach((p, i) => {
    const x0 = x(dayNumber(p.start)), x1 = x(dayNumber(p.end) + 1), y = top + i * rowH;
    parts.push(s('rect', { class: 'phase', x: x0, y, width: Math.max(2, x1 - x0), height: rowH - 8, rx: 4, 'data-phase': p.id || '' },
      s('title', {}, `${p.name}：${p.start} 至 ${p.end}`)));
    // A label that would run past the chart's right edge ends at its bar's end instead.
    const past = x0 + 6 + textWidth(p.name || '') > W - 4;
    parts.push(s('text', { class: 'phase-label', x: past ? Math.min(x1, W) - 6 : x0 + 6, y: y + rowH / 2 + 1, 'text-anchor': past ? 'end' : null }, p.name));
  });
  deadlines.forEach((d, i) => {
    const at = dayNumber(d.at);
    if (!Number.isFinite(at)) return;
    parts.push(s('line', { class: 'deadline', x1: x(at), x2: x(at), y1: 14, y2: height - 22, 'data-deadline': d.id || '' },
      s('title', {}, d.name)));
    parts.push(s('text', { class: 'deadline-label', x: x(at), y: 12, 'text-anchor': 'middle' }, `${'①②③④⑤⑥⑦⑧⑨'[i] || i + 1}`));
  });
  if (Number.isFinite(t)) {
    parts.push(s('line', { class: 'today', x1: x(t), x2: x(t), y1: top - 10, y2: height - 22, id: 'today-line' }));
    parts.push(s('text', { class: 'today-label', x: x(t) + 4, y: height - 24 }, '今天'));
  }
  return svgRoot('chart-timeline', W, height, '行动时间轴：三个阶段、时间节点和今天', ...parts);
}

// Open problems per day, the straight line from the most open to none at `target` (the instant
// all problems are due cleared: 10月底前动态清零), and today.
export function burndownChart({ points = [], target, today, width: W = 640 }) {
  const height = 240, left = 40, right = W - 28, top = 16, bottom = height - 28;
  const data = points.map((p) => ({ d: dayNumber(p.date), open: num(p.open) })).filter((p) => Number.isFinite(p.d));
  const end = dayNumber(target);
  const t = dayNumber(today);
  if (!data.length) return svgRoot('chart-burndown', W, 60, '未销号问题燃尽图', s('text', { x: 8, y: 30, class: 'muted' }, '暂无数据'));
  const first = data[0].d;
  const last = Math.max(data[data.length - 1].d, Number.isFinite(end) ? end : -Infinity);
  const max = Math.max(1, ...data.map((p) => p.open));
  const x = scale(first, last, left, right), y = scale(0, max, bottom, top);
  const parts = [s('line', { class: 'axis', x1: left, x2: right, y1: bottom, y2: bottom }),
    s('line', { class: 'axis', x1: left, x2: left, y1: top, y2: bottom })];
  for (const v of [0, Math.round(max / 2), max]) {
    parts.push(s('line', { class: 'grid', x1: left, x2: right, y1: y(v), y2: y(v) }));
    parts.push(s('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'muted' }, String(v)));
  }
  for (const d of dekadTicks(first, last)) parts.push(s('text', { x: x(d), y: height - 8, 'text-anchor': 'middle', class: 'muted' }, formatDate(dateOfDay(d))));
  if (Number.isFinite(end)) {
    const peak = data.reduce((best, p) => (p.open > best.open ? p : best), data[0]);
    parts.push(s('polyline', { class: 'ideal', points: `${x(peak.d)},${y(peak.open)} ${x(end)},${y(0)}` }));
    parts.push(s('line', { class: 'deadline', x1: x(end), x2: x(end), y1: top, y2: bottom }));
    parts.push(s('text', { class: 'deadline-label', x: x(end) - 4, y: top + 10, 'text-anchor': 'end' }, '清零时限'));
  }
  parts.push(s('polyline', { class: 'line', id: 'burndown-line', points: data.map((p) => `${x(p.d)},${y(p.open)}`).join(' '), 'data-points': data.length }));
  const lastPoint = data[data.length - 1];
  parts.push(s('circle', { class: 'dot', cx: x(lastPoint.d), cy: y(lastPoint.open), r: 4 }));
  parts.push(s('text', { x: x(lastPoint.d) + 6, y: y(lastPoint.open) - 6 }, `${lastPoint.open} 项`));
  if (Number.isFinite(t) && t >= first && t <= last) parts.push(s('line', { class: 'today', x1: x(t), x2: x(t), y1: top, y2: bottom }));
  return withFigures(svgRoot('chart-burndown', W, height, '未销号问题燃尽图', ...parts),
    `${formatDate(dateOfDay(lastPoint.d))}未销号 ${lastPoint.open} 项，最多时 ${max} 项` +
    (Number.isFinite(end) ? `，清零时限 ${target.includes('T') ? formatTime(target) : formatDate(target)}` : ''));
}

// Per unit, a stacked bar of its problems: on time, overdue, closed late (these add up to the
// total); under it a thin bar of those sent back at least once (they are also in the stack).
// Units with most overdue first.
export function unitBarsChart(units = [], W = 640) {
  const rows = units.map((u) => ({ ...u, on_time: num(u.on_time), overdue: num(u.overdue), closed_late: num(u.closed_late), sent_back: num(u.sent_back) }))
    .map((u) => ({ ...u, stacked: u.on_time + u.overdue + u.closed_late }))
    .filter((u) => u.stacked + u.sent_back > 0)
    .sort((a, b) => b.overdue - a.overdue || b.sent_back - a.sent_back || (a.unit_name || '').localeCompare(b.unit_name || ''));
  const rowH = 30, labelW = Math.min(200, Math.round(W * 0.4)), top = 4;
  const height = Math.max(40, top + rows.length * rowH + 4);
  if (!rows.length) return svgRoot('chart-units', W, 40, '各单位按期、逾期、退回情况', s('text', { x: 8, y: 26, class: 'muted' }, '暂无数据'));
  const max = Math.max(1, ...rows.map((u) => Math.max(u.stacked, u.sent_back)));
  // Room after the longest bar for its figure: "3（退回 2）" is wider than "3".
  // Each bar's figures after it, in words as well as colours: "8 逾期1 退回2".
  const figures = (u) => [String(u.stacked), u.overdue ? `逾期${u.overdue}` : '', u.closed_late ? `逾期销号${u.closed_late}` : '',
    u.sent_back ? `退回${u.sent_back}` : ''].filter(Boolean).join(' ');
  const widest = Math.max(...rows.map((u) => figures(u).length));
  const x = scale(0, max, labelW, W - Math.min(Math.round(W * 0.3), 12 + widest * 9));
  const parts = [];
  rows.forEach((u, i) => {
    const y = top + i * rowH;
    const name = u.unit_name || u.unit || '';
    parts.push(label(labelW - 8, y + 11, name, labelW - 8));
    let at = 0;
    for (const [key, cls, label] of [['on_time', 'on-time', '按期'], ['overdue', 'overdue', '逾期'], ['closed_late', 'closed-late', '逾期销号']]) {
      if (!u[key]) continue;
      parts.push(s('rect', { class: `bar ${cls}`, x: x(at), y: y + 3, width: Math.max(1, x(at + u[key]) - x(at)), height: 15, 'data-unit': u.unit || '', 'data-value': u[key] },
        s('title', {}, `${name}：${label} ${u[key]}`)));
      at += u[key];
    }
    if (u.sent_back) parts.push(s('rect', { class: 'bar sent-back', x: x(0), y: y + 21, width: Math.max(1, x(u.sent_back) - x(0)), height: 5, 'data-unit': u.unit || '', 'data-value': u.sent_back },
      s('title', {}, `${name}：退回整改 ${u.sent_back}`)));
    parts.push(s('text', { x: x(at) + 4, y: y + 15, class: 'muted', 'data-figures': u.unit || '' }, figures(u)));
  });
  return withFigures(svgRoot('chart-units', W, height, '各单位按期、逾期、退回情况', ...parts),
    rows.map((u) => `${u.unit_name || u.unit || ''}：按期${u.on_time}，逾期${u.overdue}` +
      (u.closed_late ? `，逾期销号${u.closed_late}` : '') + (u.sent_back ? `，退回整改${u.sent_back}` : '')).join('；'));
}

// Per area, closed of total as a progress bar.
export function areaProgressChart(areas = [], W = 640) {
  const rowH = 30, labelW = Math.min(200, Math.round(W * 0.45)), top = 4;
  const rows = areas.map((a) => ({ ...a, total: num(a.total), closed: num(a.closed) }));
  const height = Math.max(40, top + rows.length * rowH + 4);
  if (!rows.length) return svgRoot('chart-areas', W, 40, '各领域整改进度', s('text', { x: 8, y: 26, class: 'muted' }, '暂无数据'));
  const x0 = labelW, x1 = W - 70;
  const parts = [];
  rows.forEach((a, i) => {
    const y = top + i * rowH;
    const share = a.total ? Math.min(1, a.closed / a.total) : 0;
    parts.push(label(labelW - 8, y + 14, `${a.area ?? ''}. ${a.name || ''}`, labelW - 8));
    parts.push(s('rect', { class: 'track', x: x0, y: y + 4, width: x1 - x0, height: rowH - 10, rx: 3 }));
    if (share > 0) parts.push(s('rect', { class: 'bar progress', x: x0, y: y + 4, width: (x1 - x0) * share, height: rowH - 10, rx: 3, 'data-area': a.area ?? '' }));
    parts.push(s('text', { x: x1 + 6, y: y + 15, class: 'muted' }, a.total ? `${a.closed}/${a.total}` : '无'));
  });
  return withFigures(svgRoot('chart-areas', W, height, '各领域整改进度（已销号/总数）', ...parts),
    rows.map((a) => `${a.name || a.area}：${a.total ? `已销号${a.closed}，共${a.total}` : '无'}`).join('；'));
}

// Two half-circle gauges against the campaign's 100% targets; a share of null (nothing to
// divide by yet) shows as a dash.
export function enrollmentGauges(enrollment = {}, W = 640) {
  const gauges = [
    ['within_two_months_share', '2个月内纳入监测'],
    ['help_measures_share', '帮扶措施落实'],
  ];
  const r = Math.min(80, W / 4 - 16), height = r + 90;
  const parts = [];
  gauges.forEach(([key, name], i) => {
    const cx = W / 4 + (i * W) / 2, cy = r + 30;
    const raw = enrollment[key];
    const known = raw !== null && raw !== undefined && Number.isFinite(Number(raw));
    const share = known ? Math.max(0, Math.min(1, Number(raw))) : 0;
    const arc = (v) => {
      const a = Math.PI * (1 - v);
      return `${cx + r * Math.cos(a)},${cy - r * Math.sin(a)}`;
    };
    parts.push(s('path', { class: 'gauge-track', d: `M ${arc(0)} A ${r} ${r} 0 0 1 ${arc(1)}` }));
    if (share > 0) parts.push(s('path', { class: `gauge-value${share < 1 ? ' short' : ''}`, d: `M ${arc(0)} A ${r} ${r} 0 0 1 ${arc(share)}`, 'data-share': share }));
    parts.push(s('line', { class: 'target', x1: cx + r - 12, x2: cx + r + 12, y1: cy, y2: cy }));
    parts.push(s('text', { class: 'gauge-number', x: cx, y: cy - 10, 'text-anchor': 'middle' }, known ? `${Math.round(share * 100)}%` : '—'));
    parts.push(s('text', { x: cx, y: cy + 24, 'text-anchor': 'middle' }, name));
    parts.push(s('text', { x: cx, y: cy + 42, 'text-anchor': 'middle', class: 'muted' }, '目标 100%'));
  });
  return svgRoot('chart-enrollment', W, height, '识别纳入两项100%目标', ...parts);
}
