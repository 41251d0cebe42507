'use strict';
// Settings page: lists GET /api/settings as one card for HLS buffering and one per group, saves a
// card's changed values with PATCH /api/settings (the server checks them all; its 400 names each
// refused key, shown under the field), and resets a key set here with DELETE /api/settings/{key}.
// Admin calls carry the dashboard's admin token (this tab's session storage).
const TOKEN_KEY = 'headend.adminToken';
const HLS_KEYS = ['window_segments', 'segments_kept_after_window', 'initial_segments', 'start_timeout_seconds',
  'segment_seconds'];
const READ_ONLY = new Set(['data_dir']);
const loginEl = document.getElementById('login');
const mainEl = document.getElementById('settings-main');
const cardsEl = document.getElementById('cards');
const statusEl = document.getElementById('status');

class Unauthorized extends Error {}

/** An admin call; a refused value comes back as the error body's "invalid" list. */
async function call(method, url, body) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) throw new Unauthorized('');
  const headers = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json().catch(() => ({}));
  if (res.status === 401 || res.status === 429) throw new Unauthorized(json.error ? json.error.message : '');
  if (!res.ok) {
    const e = new Error(json.error ? `${json.error.code}: ${json.error.message}` : res.statusText);
    e.invalid = json.error && json.error.invalid ? json.error.invalid : [];
    throw e;
  }
  return json;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => {
    if (k === 'className') e.className = v; else if (v !== undefined && v !== null) e.setAttribute(k, v);
  });
  children.filter(c => c !== null && c !== undefined).forEach(c => e.append(c));
  return e;
}

function askForToken(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  mainEl.hidden = true;
  loginEl.hidden = false;
  document.getElementById('login-error').textContent = message || '';
  statusEl.textContent = 'sign in to change settings';
  document.getElementById('login-token').focus();
}

loginEl.onsubmit = event => {
  event.preventDefault();
  const input = document.getElementById('login-token');
  sessionStorage.setItem(TOKEN_KEY, input.value.trim());
  input.value = '';
  loginEl.hidden = true;
  load();
};
document.getElementById('sign-out').onclick = () => askForToken('');

/** The field's value as the API takes it, or undefined when it is shown as it is. */
function fieldValue(input, s) {
  if (s.kind === 'boolean') return input.value === 'true';
  if (s.kind === 'integer') return input.value.trim() === '' ? input.value : Number(input.value);
  return input.value;
}

function shown(s) {
  return s.kind === 'boolean' ? String(s.value) : String(s.value ?? '');
}

function input(s) {
  const id = `setting-${s.key}`;
  if (s.kind === 'secret' || READ_ONLY.has(s.key)) {
    return el('input', { id, 'data-key': s.key, value: s.kind === 'secret' ? (s.set ? '*** (set)' : 'not set')
      : shown(s), readonly: '', title: 'set in the configuration file or the environment' });
  }
  if (s.kind === 'boolean') {
    const select = el('select', { id, 'data-key': s.key },
      el('option', { value: 'true' }, 'true'), el('option', { value: 'false' }, 'false'));
    select.value = shown(s);
    return select;
  }
  const attrs = { id, 'data-key': s.key, value: shown(s), type: s.kind === 'integer' ? 'number' : 'text' };
  if (s.kind === 'integer') { attrs.min = s.min; attrs.max = s.max; attrs.step = 1; }
  return el('input', attrs);
}

function marks(s) {
  const m = el('span', { className: 'marks' });
  m.append(el('span', { className: `mark origin-${s.origin}`, title: 'where the value comes from' }, s.origin));
  if (s.overrides) {
    m.append(el('span', { className: 'mark overrides', title: `this value wins over the ${s.overrides}'s` },
      `overrides ${s.overrides}`));
  }
  m.append(el('span', { className: `mark ${s.applies}` }, s.applies === 'live' ? 'live' : 'restart required'));
  if (s.pending_restart) {
    m.append(el('span', { className: 'mark pending', title: 'the server runs with another value until it restarts' },
      `pending restart (running: ${s.running_value})`));
  }
  return m;
}

function row(s) {
  const field = input(s);
  const reset = s.origin === 'api'
    ? el('button', { type: 'button', className: 'reset', 'data-reset': s.key,
      title: 'forget the value set here: the environment, file or default applies' }, 'reset')
    : null;
  if (reset) reset.onclick = () => resetKey(s.key);
  const range = s.range ? `${s.range}${s.unit && s.unit !== 'duration' ? ' ' + s.unit : ''}` : '';
  return el('div', { className: 'setting', 'data-setting': s.key },
    el('label', { for: field.id }, el('code', {}, s.key)),
    el('div', { className: 'field' }, field, range ? el('span', { className: 'muted range' }, range) : null, reset),
    marks(s),
    el('div', { className: 'muted description' }, s.description, ` (default ${s.default === '' ? 'none' : s.default};`
      + ` ${s.env_var})`),
    el('div', { className: 'error', id: `error-${s.key}`, role: 'alert' }));
}

function card(title, id, settings) {
  const save = el('button', { type: 'button', className: 'primary', 'data-save': id }, 'Save');
  const result = el('span', { className: 'muted', 'data-result': id, role: 'status' });
  const c = el('article', { className: 'card settings-card', 'data-card': id },
    el('h2', {}, title), ...settings.map(row), el('div', { className: 'actions' }, save, result));
  save.onclick = () => saveCard(c, settings, result);
  return c;
}

async function saveCard(cardEl, settings, result) {
  const values = {};
  cardEl.querySelectorAll('.error').forEach(e => { e.textContent = ''; });
  for (const s of settings) {
    if (s.kind === 'secret' || READ_ONLY.has(s.key)) continue;
    const field = cardEl.querySelector(`[data-key="${s.key}"]`);
    if (field.value !== shown(s)) values[s.key] = fieldValue(field, s);
  }
  if (Object.keys(values).length === 0) {
    result.textContent = 'nothing changed';
    return;
  }
  try {
    const answer = await call('PATCH', '/api/settings', values);
    await load();
    const r = document.querySelector(`[data-result="${cardEl.dataset.card}"]`);
    r.textContent = `saved: ${answer.changed.join(', ') || 'no change'}`
      + (answer.restart_required.length ? ` (after a restart: ${answer.restart_required.join(', ')})` : '');
  } catch (e) {
    if (e instanceof Unauthorized) { askForToken(e.message || 'sign in again'); return; }
    result.textContent = 'nothing saved';
    (e.invalid || []).forEach(p => {
      const target = document.getElementById(`error-${p.key}`);
      if (target) target.textContent = p.message + (p.range ? ` (range ${p.range})` : '');
    });
    if (!e.invalid || e.invalid.length === 0) result.textContent = e.message;
  }
}

async function resetKey(key) {
  try {
    await call('DELETE', `/api/settings/${encodeURIComponent(key)}`);
    await load();
    statusEl.textContent = `${key} reset`;
  } catch (e) {
    if (e instanceof Unauthorized) askForToken(e.message || 'sign in again'); else statusEl.textContent = e.message;
  }
}

async function load() {
  let body;
  try {
    body = await call('GET', '/api/settings');
  } catch (e) {
    if (e instanceof Unauthorized) { askForToken(e.message); return; }
    statusEl.textContent = e.message;
    return;
  }
  mainEl.hidden = false;
  statusEl.textContent = `precedence: ${body.precedence.join(' < ')}`;
  const byKey = new Map(body.settings.map(s => [s.key, s]));
  const groups = new Map();
  body.settings.filter(s => !HLS_KEYS.includes(s.key)).forEach(s => {
    if (!groups.has(s.group)) groups.set(s.group, []);
    groups.get(s.group).push(s);
  });
  cardsEl.replaceChildren(card('HLS buffering', 'hls', HLS_KEYS.map(k => byKey.get(k))),
    ...[...groups].map(([group, settings]) => card(group, group, settings)));
}

if (sessionStorage.getItem(TOKEN_KEY)) load(); else askForToken('');
