// The login form (POST /api/login sets the session cookie).
import { api, ApiError, describeError, setCsrfToken } from '../api.js';
import { h, show, showFormError, clearFormError } from '../dom.js';

// `username`: the user whose session ended, filled in (the password is asked again).
export function renderLogin(main, onLoggedIn, username = '') {
  const name = username;
  username = h('input', { type: 'text', id: 'login-username', name: 'username', autocomplete: 'username', required: true,
    autocapitalize: 'none', spellcheck: 'false', value: name });
  const password = h('input', { type: 'password', id: 'login-password', name: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'error-box', id: 'login-error', hidden: true });
  const button = h('button', { type: 'submit', class: 'primary', id: 'login-submit' }, '登录');
  const form = h('form', { class: 'panel login', id: 'login-form' },
    h('h1', {}, '登录'),
    h('label', { for: 'login-username' }, '用户名'), username,
    h('label', { for: 'login-password' }, '密码'), password,
    error,
    h('div', { class: 'form-actions' }, button),
    h('p', { class: 'hint' }, '账号由镇农业农村和乡村振兴办公室分配。忘记密码请联系办公室重置。'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    clearFormError(form, error);
    try {
      const answer = await api.post('/api/login', { username: username.value.trim(), password: password.value });
      setCsrfToken(answer.csrf_token);
      await onLoggedIn();
    } catch (e) {
      // Which of the two was wrong is not told, so neither field is marked: the error is an alert.
      showFormError(form, error, e instanceof ApiError && e.status === 401 ? '用户名或密码错误' : describeError(e));
      button.disabled = false;
    }
  });
  show(main, form);
  (name ? password : username).focus();
}
