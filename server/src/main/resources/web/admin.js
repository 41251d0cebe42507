'use strict';
// What the dashboard's pages share: the admin token, asked for once in the page's sign-in form
// (#login, shown instead of the page's <main>) and kept in this tab's session storage, and the
// admin requests that carry it.
const TOKEN_KEY = 'headend.adminToken';
const loginEl = document.getElementById('login');
loginEl.innerHTML = `
<h2>Admin token</h2>
<p class="muted">Headend printed it at its first start; it is kept in <code>data_dir/admin-token</code>
  (<code>cat data/admin-token</code>), unless <code>admin_token</code> is configured.
  This tab keeps it until it closes.</p>
<input id="login-token" type="password" autocomplete="current-password" required minlength="16"
       aria-label="Admin token" placeholder="admin token">
<button type="submit" class="primary">Sign in</button>
<div id="login-error" class="error" role="alert"></div>`;

/** The token is missing or wrong, or this address made too many wrong tries: sign in again. */
class Unauthorized extends Error {}

/** What the page does around signing in; it sets these before its first request. */
const signIn = {
  /** Called with the reason when the sign-in form replaces the page. */
  onAsk: () => {},
  /** Called once a token was entered. */
  onSignedIn: () => {},
};

/** Shows the sign-in form instead of the page; the message says why (wrong token, too many tries). */
function askForToken(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  document.querySelector('main').hidden = true;
  loginEl.hidden = false;
  document.getElementById('login-error').textContent = message || '';
  signIn.onAsk(message);
  document.getElementById('login-token').focus();
}

loginEl.onsubmit = event => {
  event.preventDefault();
  const input = document.getElementById('login-token');
  sessionStorage.setItem(TOKEN_KEY, input.value.trim());
  input.value = '';
  loginEl.hidden = true;
  document.querySelector('main').hidden = false;
  signIn.onSignedIn();
};
document.getElementById('sign-out').onclick = () => askForToken('');

/**
 * An admin request with an optional JSON body and If-Match; answers {status, body, etag}.
 * 401 and 429 throw Unauthorized.
 */
async function adminRequest(method, url, body, etag) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) throw new Unauthorized('');
  const headers = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (etag) headers['If-Match'] = etag;
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = res.status === 204 ? {} : await res.json().catch(() => ({}));
  if (res.status === 401 || res.status === 429) {
    throw new Unauthorized(json.error ? `${json.error.code}: ${json.error.message}` : '');
  }
  return { status: res.status, body: json, etag: res.headers.get('ETag') };
}

/**
 * An admin call that answers the JSON body; an error answer throws an Error with the server's
 * code and message, and its list of refused values as `invalid` (settings).
 */
async function call(method, url, body) {
  const answer = await adminRequest(method, url, body);
  if (answer.status >= 400) {
    const error = answer.body.error;
    const e = new Error(error ? `${error.code}: ${error.message}` : `HTTP ${answer.status}`);
    e.invalid = error && error.invalid ? error.invalid : [];
    throw e;
  }
  return answer.body;
}
