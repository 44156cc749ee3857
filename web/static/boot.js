// Says so when the page's program did not start: on a weak network one of its modules can be
// lost, and the page would stay on 正在加载… for good, with no error and no way on. A classic
// script, so it runs whatever became of the modules; app.js marks the start.
const BOOT_WAIT_MS = 20000;
setTimeout(() => {
  if (document.documentElement.dataset.started) return;
  const main = document.getElementById('main');
  const notice = document.createElement('p');
  notice.className = 'error-box';
  notice.id = 'boot-failed';
  notice.textContent = '页面没有加载完整（网络不稳定）。请重新加载。';
  const again = document.createElement('button');
  again.type = 'button';
  again.className = 'primary';
  again.id = 'reload-page';
  again.textContent = '重新加载';
  again.addEventListener('click', () => location.reload());
  main.replaceChildren(notice, again);
}, BOOT_WAIT_MS);
