// Building the page without innerHTML: every text goes in as a text node, so nothing a user
// typed (a title, a note) can become markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

function setAttributes(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
}

// h('a', {href: '#/my', class: 'x', onclick: f}, 'text', child...)
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttributes(el, attrs);
  append(el, children);
  return el;
}

// The same for SVG elements (charts).
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttributes(el, attrs);
  append(el, children);
  return el;
}

export function show(container, ...children) {
  container.replaceChildren();
  append(container, children);
}

let toastTimer = 0;
export function toast(message, isError = false) {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.classList.toggle('error', isError);
  // An error is said at once by a screen reader (alert), a result when it is done (status).
  el.setAttribute('role', isError ? 'alert' : 'status');
  el.hidden = false;
  clearTimeout(toastTimer);
  // An error stays until it is read and dismissed (a tap on it), or the next message.
  if (!isError) toastTimer = setTimeout(() => { el.hidden = true; }, 3000);
}

// The year dates are read in (the chosen campaign's): a date of another year says its year, so a
// 2030 deadline never reads as if it were this autumn's.
// Until a year is set (0), no date says its year.
let homeYear = 0;
export function setHomeYear(year) { homeYear = Number(year) || 0; }
// A printed sheet is kept in a file long after the campaign: every date on it says its year.
let fullDates = false;
export function setFullDates(on) { fullDates = Boolean(on); }

function dayText(year, month, day) {
  return !fullDates && (!homeYear || year === homeYear) ? `${month}月${day}日` : `${year}年${month}月${day}日`;
}

// Times come from the server as ISO 8601 in Asia/Shanghai ("2021-10-26T17:30:00+08:00"); they
// are shown as written there, whatever the phone's own time zone. Midnight is shown as the end
// of the day before ("10月31日 24:00"), which is how a deadline "by the end of the 31st" is kept.
export function formatTime(iso) {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  if (!m) return iso;
  let [year, month, day, hour, minute] = m.slice(1).map(Number);
  if (hour === 0 && minute === 0) {
    const before = new Date(Date.UTC(year, month - 1, day) - 86400000);
    [year, month, day, hour] = [before.getUTCFullYear(), before.getUTCMonth() + 1, before.getUTCDate(), 24];
  }
  return `${dayText(year, month, day)} ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

export function formatDate(iso) {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? dayText(Number(m[1]), Number(m[2]), Number(m[3])) : iso;
}

// Days since 1970-01-01 of an ISO date or time, in its own (Shanghai) calendar.
export function dayNumber(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(iso || '');
  if (!m) return NaN;
  const days = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86400000;
  return days + (m[4] ? (Number(m[4]) * 60 + Number(m[5])) / 1440 : 0);
}

// A form's error, said where it belongs. The field it is about (a server answer's `field`, found
// by the form's data-field names, or the input itself) is marked aria-invalid, described by the
// error line and focused, so a screen reader reads the error with the field's label and a sighted
// user sees the field outlined. An error about no field of the form is an alert. The mark goes at
// the field's next change, or with the next error.
let formErrorCount = 0;

function fieldInput(form, field) {
  if (!field) return null;
  const path = String(field);
  const candidates = [path, path.replace(/\[\d+\]/g, '').split('.').pop(), path.split(/[[.]/)[0]];
  for (const name of candidates) {
    const found = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (!found) continue;
    // A group of inputs (the visit sheet's team) is marked on its first one.
    return found.matches('input, select, textarea') ? found : found.querySelector('input, select, textarea');
  }
  return null;
}

function unmark(input) {
  input.removeAttribute('aria-invalid');
  input.removeAttribute('aria-describedby');
}

export function clearFormError(form, box) {
  form.querySelectorAll('[aria-invalid="true"]').forEach(unmark);
  box.hidden = true;
  box.removeAttribute('role');
}

export function showFormError(form, box, message, field) {
  clearFormError(form, box);
  if (!box.id) box.id = `form-error-${++formErrorCount}`;
  const input = field instanceof Element ? field : fieldInput(form, field);
  if (!input) box.setAttribute('role', 'alert');
  box.textContent = message;
  box.hidden = false;
  if (!input) return;
  input.setAttribute('aria-invalid', 'true');
  input.setAttribute('aria-describedby', box.id);
  const settle = () => { unmark(input); input.removeEventListener('input', settle); input.removeEventListener('change', settle); };
  input.addEventListener('input', settle);
  input.addEventListener('change', settle);
  input.focus();
}
