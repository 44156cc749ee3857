// 修改密码: anyone changes their own password (POST /api/me/password). Every other session and
// token of the user ends; this one stays.
import { api, ApiError, describeError } from '../api.js';
import { h, show, toast, showFormError, clearFormError } from '../dom.js';

// What the server's password policy asks (accounts/passwords.cc), said before it refuses.
export const kPasswordRule = '至少10个字符，不能包含用户名，不能是同一个字符重复';

// A wrong current password is 403 (as a wrong login, and throttled like one); the policy's
// refusal is 400 naming the password.
function passwordError(e) {
  if (!(e instanceof ApiError)) return describeError(e);
  if (e.status === 403) return '当前密码不正确';
  if (e.code === 'invalid_argument' && /password$/.test(e.field || '')) return `新密码不符合要求：${kPasswordRule}`;
  return describeError(e);
}

export function renderPassword(main) {
  const current = h('input', { type: 'password', id: 'password-current', 'data-field': 'current_password', autocomplete: 'current-password', required: true });
  const next = h('input', { type: 'password', id: 'password-new', 'data-field': 'new_password', autocomplete: 'new-password', required: true, minlength: 10 });
  const again = h('input', { type: 'password', id: 'password-again', autocomplete: 'new-password', required: true });
  const error = h('p', { class: 'error-box', id: 'password-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'password-submit' }, '修改密码');
  const form = h('form', { class: 'panel login', id: 'password-form' },
    h('h1', {}, '修改密码'),
    h('label', { for: 'password-current' }, '当前密码'), current,
    h('label', { for: 'password-new' }, `新密码（${kPasswordRule}）`), next,
    h('label', { for: 'password-again' }, '再次输入新密码'), again,
    error,
    h('div', { class: 'form-actions' }, submit),
    h('p', { class: 'hint' }, '修改后，本账号在其他设备上的登录将失效，需用新密码重新登录。'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormError(form, error);
    if (next.value !== again.value) return showFormError(form, error, '两次输入的新密码不一致', again);
    submit.disabled = true;
    try {
      await api.post('/api/me/password', { current_password: current.value, new_password: next.value });
      toast('密码已修改');
      form.reset();
    } catch (e) {
      // A wrong current password is about the first field, a refused new one about the second.
      showFormError(form, error, passwordError(e), e.status === 403 ? current : e.field);
    } finally {
      submit.disabled = false;
    }
  });
  show(main, form);
  current.focus();
}
