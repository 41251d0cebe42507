'use strict';
// Dashboard: polls /api/channels every two seconds, renders one card per channel, previews a
// channel with hls.js, and reloads the configuration file on request. Admin calls carry the
// admin token, asked for once and kept in this tab's session storage.
const channelsEl = document.getElementById('channels');
const summaryEl = document.getElementById('summary');
const preview = {
  el: document.getElementById('preview'), video: document.getElementById('video'),
  title: document.getElementById('preview-title'), status: document.getElementById('preview-status'),
  hlsUrl: document.getElementById('preview-hls'), tsUrl: document.getElementById('preview-ts'),
  hls: null, id: null,
};

function text(tag, value, cls) {
  const el = document.createElement(tag);
  el.textContent = value;
  if (cls) el.className = cls;
  return el;
}

function fmtUptime(s) {
  if (s == null) return '–';
  const h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), sec = Math.floor(s % 60);
  return h ? `${h}h ${m}m` : m ? `${m}m ${sec}s` : `${sec}s`;
}

const TOKEN_KEY = 'headend.adminToken';
const loginEl = document.getElementById('login');
const mainEl = document.querySelector('main');

/** Shows the token form instead of the channels; a message says why (wrong token, too many tries). */
function askForToken(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  closePreview();
  mainEl.hidden = true;
  loginEl.hidden = false;
  document.getElementById('login-error').textContent = message || '';
  summaryEl.textContent = 'sign in to manage channels';
  document.getElementById('login-token').focus();
}

loginEl.onsubmit = event => {
  event.preventDefault();
  const input = document.getElementById('login-token');
  sessionStorage.setItem(TOKEN_KEY, input.value.trim());
  input.value = '';
  loginEl.hidden = true;
  mainEl.hidden = false;
  refresh();
};
document.getElementById('sign-out').onclick = () => askForToken('');

class Unauthorized extends Error {}

async function call(method, url) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) throw new Unauthorized('');
  const res = await fetch(url, { method, headers: { Authorization: `Bearer ${token}` } });
  const body = await res.json().catch(() => ({}));
  const message = body.error ? `${body.error.code}: ${body.error.message}` : res.statusText;
  if (res.status === 401 || res.status === 429) throw new Unauthorized(message);
  if (!res.ok) throw new Error(message);
  return body;
}

function card(ch) {
  const s = ch.stream;
  const el = document.createElement('article');
  el.className = 'card';
  el.dataset.channel = ch.id;
  const h = document.createElement('h2');
  h.append(text('span', ch.name), text('span', ch.number != null ? `#${ch.number}` : '', 'num'));
  el.append(h, text('span', ch.state, `state ${ch.state}`));
  const dl = document.createElement('dl');
  const rows = [['source', s ? s.active_source : ch.source], ['profile', ch.profile.type], ['viewers', ch.viewers],
    ['uptime', s ? fmtUptime(s.uptime) : '–'], ['pid', s && s.pid ? s.pid : '–'],
    ['health', s ? s.health : '–'], ['restarts', s ? s.restarts : '–'],
    ['circuit', s ? s.circuit_state : '–'],
    ['fps / speed', s && s.current_fps ? `${s.current_fps.toFixed(1)} / ${s.current_speed.toFixed(2)}x` : '–']];
  if (s && s.next_restart_at) rows.push(['next restart', new Date(s.next_restart_at).toLocaleTimeString()]);
  if (s) rows.push(['slate', s.slate_status || s.slate]);
  for (const [k, v] of rows) dl.append(text('dt', k), text('dd', String(v)));
  el.append(dl);
  if (ch.last_error) el.append(text('div', ch.last_error, 'error'));
  const actions = document.createElement('div');
  actions.className = 'actions';
  const watch = text('button', 'Preview', 'primary');
  watch.onclick = () => openPreview(ch);
  const running = s && s.state !== 'stopped' && s.state !== 'failed';
  actions.append(watch, streamAction(ch, running ? 'Stop' : 'Start', running ? 'stop' : 'start'));
  if (s && s.state === 'running') {
    const swap = streamAction(ch, 'Restart', 'restart');
    swap.title = 'Start a new pipeline beside this one and switch to it without a gap';
    actions.append(swap);
  }
  if (typeof channelForms !== 'undefined') channelForms.decorate(el, ch, actions);
  el.append(actions);
  return el;
}

/** A button that POSTs /api/streams/{id}/{action}, disabled once clicked (the refresh redraws it); errors alerted. */
function streamAction(ch, label, action) {
  const button = text('button', label);
  button.onclick = async () => {
    button.disabled = true;
    try {
      await call('POST', `/api/streams/${ch.id}/${action}`);
    } catch (e) {
      if (e instanceof Unauthorized) return askForToken(e.message);
      alert(e.message);
    }
    refresh();
  };
  return button;
}

function openPreview(ch) {
  closePreview();
  preview.id = ch.id;
  preview.el.hidden = false;
  preview.title.textContent = ch.name;
  preview.hlsUrl.value = ch.playlist_url;
  preview.tsUrl.value = ch.ts_url;
  preview.status.textContent = 'starting…';
  if (window.Hls && Hls.isSupported()) {
    preview.hls = new Hls();
    preview.hls.on(Hls.Events.ERROR, (e, d) => { if (d.fatal) preview.status.textContent = `error: ${d.details}`; });
    preview.hls.on(Hls.Events.FRAG_BUFFERED, () => { preview.status.textContent = 'playing'; });
    preview.hls.loadSource(ch.playlist_url);
    preview.hls.attachMedia(preview.video);
  } else {
    preview.video.src = ch.playlist_url;
  }
  preview.video.play().catch(() => {});
}

function closePreview() {
  if (preview.hls) preview.hls.destroy();
  preview.hls = null;
  preview.video.removeAttribute('src');
  preview.video.load();
  preview.el.hidden = true;
}
document.getElementById('preview-close').onclick = closePreview;

async function refresh() {
  try {
    const { channels } = await call('GET', '/api/channels');
    const running = channels.filter(c => c.stream).length;
    const viewers = channels.reduce((n, c) => n + c.viewers, 0);
    summaryEl.textContent = `${channels.length} channels · ${running} running · ${viewers} viewers`;
    channelsEl.replaceChildren(...channels.map(card));
  } catch (e) {
    if (e instanceof Unauthorized) {
      if (loginEl.hidden) askForToken(e.message);
      return;
    }
    summaryEl.textContent = `cannot reach the server: ${e.message}`;
  }
}
/** One line saying what a reload changed, e.g. "reloaded: added a, b; hot-swapped c". */
function describeReload(r) {
  const c = r.channels;
  const parts = [['added', c.added], ['removed', c.removed], ['updated', c.updated], ['hot-swapped', c.hot_swapped],
    ['restarted', c.restarted]].filter(([, ids]) => ids.length).map(([what, ids]) => `${what} ${ids.join(', ')}`);
  if (r.restart_required.length) parts.push(`needs a server restart: ${r.restart_required.join(', ')}`);
  return `reloaded: ${parts.length ? parts.join('; ') : 'no changes'}`;
}

const reloadButton = document.getElementById('reload');
const reloadStatus = document.getElementById('reload-status');
reloadButton.onclick = async () => {
  reloadButton.disabled = true;
  try {
    reloadStatus.textContent = describeReload(await call('POST', '/api/config/reload'));
    reloadStatus.className = 'muted';
  } catch (e) {
    if (e instanceof Unauthorized) {
      askForToken(e.message);
    } else {
      reloadStatus.textContent = e.message;
      reloadStatus.className = 'error';
    }
  }
  reloadButton.disabled = false;
  refresh();
};

// The OpenAPI document is an admin route like the rest of /api: fetched with the token, then saved as a file.
document.getElementById('openapi').onclick = async () => {
  try {
    const doc = await call('GET', '/api/openapi.json');
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' }));
    link.download = 'headend-openapi.json';
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
  } catch (e) {
    if (e instanceof Unauthorized) askForToken(e.message); else alert(e.message);
  }
};

refresh();
setInterval(refresh, 2000);
