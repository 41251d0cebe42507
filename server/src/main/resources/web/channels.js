'use strict';
// Channel forms of the dashboard: add, edit and delete channels created through the API
// (origin "api"). Channels of the configuration file are read-only here, ephemeral template
// channels too. The server validates every definition as it validates the configuration file;
// its message is shown in the form, and the field it names is marked. Changes carry the
// channel's ETag (If-Match), so a change made meanwhile elsewhere is refused, not overwritten.
const channelForms = (() => {
  const FIELDS = [
    ['id', 'Id', 'text', 'a-z, 0-9, _ and -, e.g. lobby-cam'],
    ['name', 'Name', 'text', ''],
    ['number', 'Number', 'number', 'guide number (optional)'],
    ['group', 'Group', 'text', ''],
    ['sources', 'Source URLs', 'textarea', 'one per line, failover order: test:, file:/srv/clip.mp4, rtsp://…, http://…'],
    ['profile', 'Profile', 'select', ['copy', 'h264']],
    ['width', 'Width', 'number', ''],
    ['height', 'Height', 'number', ''],
    ['fps', 'FPS', 'number', ''],
    ['bitrate_kbps', 'Bitrate (kbps)', 'number', '2000'],
    ['preset', 'Preset', 'select', ['', 'ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow']],
    ['audio', 'Audio', 'select', ['', 'aac', 'copy', 'none']],
    ['on_demand', 'On demand', 'checkbox', ''],
    ['linger_seconds', 'Linger (s)', 'number', '10'],
  ];
  const H264_ONLY = ['width', 'height', 'fps', 'bitrate_kbps', 'preset'];

  const dialog = document.createElement('dialog');
  dialog.id = 'channel-dialog';
  const form = document.createElement('form');
  form.id = 'channel-form';
  form.noValidate = true;
  const heading = document.createElement('h2');
  const errorEl = document.createElement('div');
  errorEl.className = 'error';
  errorEl.id = 'channel-form-error';
  errorEl.setAttribute('role', 'alert');
  form.append(heading);
  const inputs = {};
  for (const [key, label, type, hint] of FIELDS) {
    const row = document.createElement('label');
    row.className = 'field';
    row.append(text('span', label));
    let input;
    if (type === 'textarea') {
      input = document.createElement('textarea');
      input.rows = 2;
    } else if (type === 'select') {
      input = document.createElement('select');
      for (const v of hint) input.append(new Option(v || '(default)', v));
    } else {
      input = document.createElement('input');
      input.type = type;
    }
    if (typeof hint === 'string' && hint) input.placeholder = hint;
    input.name = key;
    input.id = `channel-${key}`;
    inputs[key] = input;
    row.append(input);
    form.append(row);
  }
  inputs.profile.onchange = () => {
    for (const k of H264_ONLY) inputs[k].closest('label').hidden = inputs.profile.value !== 'h264';
  };
  const buttons = document.createElement('div');
  buttons.className = 'actions';
  const save = text('button', 'Save', 'primary');
  save.type = 'submit';
  save.id = 'channel-save';
  const cancel = text('button', 'Cancel');
  cancel.type = 'button';
  cancel.onclick = () => dialog.close();
  buttons.append(save, cancel);
  form.append(errorEl, buttons);
  dialog.append(form);
  document.body.append(dialog);

  let editing = null; // {id, etag} while editing, null while adding

  function showError(message) {
    errorEl.textContent = message;
    for (const input of Object.values(inputs)) input.removeAttribute('aria-invalid');
    const named = FIELDS.map(([k]) => k).filter(k => k !== 'id' && new RegExp(`\\b${k}\\b`).test(message));
    const key = named[0] || (/\bsources?\b|scheme|host|URL/.test(message) ? 'sources' : /\bid\b/.test(message) ? 'id' : null);
    if (key) inputs[key].setAttribute('aria-invalid', 'true');
  }

  function fill(ch) {
    for (const [key, , type] of FIELDS) {
      if (type === 'checkbox') inputs[key].checked = true;
      else inputs[key].value = '';
    }
    inputs.profile.value = 'h264';
    if (ch) {
      inputs.id.value = ch.id;
      inputs.name.value = ch.name;
      inputs.number.value = ch.number ?? '';
      inputs.group.value = ch.group ?? '';
      inputs.sources.value = ch.sources.join('\n');
      inputs.profile.value = ch.profile.type;
      for (const k of [...H264_ONLY, 'audio']) inputs[k].value = ch.profile[k] ?? '';
      inputs.on_demand.checked = ch.on_demand;
      inputs.linger_seconds.value = ch.linger_seconds;
    }
    inputs.id.readOnly = !!ch;
    inputs.profile.onchange();
    showError('');
  }

  /** The definition the form describes: only what is filled in, numbers as numbers. */
  function definition() {
    const d = { id: inputs.id.value.trim() };
    const put = (key, value) => { if (value !== '' && value != null) d[key] = value; };
    const num = key => inputs[key].value === '' ? '' : Number(inputs[key].value);
    put('name', inputs.name.value.trim());
    put('number', num('number'));
    put('group', inputs.group.value.trim());
    const sources = inputs.sources.value.split('\n').map(s => s.trim()).filter(Boolean);
    if (sources.length === 1) d.source = sources[0];
    else if (sources.length > 1) d.sources = sources;
    const profile = { type: inputs.profile.value };
    if (profile.type === 'h264') {
      for (const k of ['width', 'height', 'fps', 'bitrate_kbps']) if (inputs[k].value !== '') profile[k] = Number(inputs[k].value);
      if (inputs.preset.value) profile.preset = inputs.preset.value;
    }
    if (inputs.audio.value) profile.audio = inputs.audio.value;
    d.profile = profile;
    d.on_demand = inputs.on_demand.checked;
    put('linger_seconds', num('linger_seconds'));
    return d;
  }

  form.onsubmit = async event => {
    event.preventDefault();
    const d = definition();
    if ((d.sources || [d.source]).some(s => s && s.includes('***'))) {
      return showError('re-enter the source URL with its credentials: the server never shows them');
    }
    save.disabled = true;
    try {
      const r = editing
        ? await adminRequest('PUT', `/api/channels/${encodeURIComponent(editing.id)}`, d, editing.etag)
        : await adminRequest('POST', '/api/channels', d);
      if (r.status === 200 || r.status === 201) {
        dialog.close();
        refresh();
      } else {
        showError(r.body.error ? r.body.error.message : `the server answered ${r.status}`);
      }
    } catch (e) {
      if (e instanceof Unauthorized) { dialog.close(); askForToken(e.message); } else showError(e.message);
    }
    save.disabled = false;
  };

  function add() {
    editing = null;
    heading.textContent = 'Add channel';
    fill(null);
    dialog.showModal();
    inputs.id.focus();
  }

  async function edit(id) {
    try {
      const r = await adminRequest('GET', `/api/channels/${encodeURIComponent(id)}`);
      if (r.status !== 200) return alert(r.body.error ? r.body.error.message : `the server answered ${r.status}`);
      editing = { id, etag: r.etag };
      heading.textContent = `Edit ${id}`;
      fill(r.body);
      dialog.showModal();
    } catch (e) {
      if (e instanceof Unauthorized) askForToken(e.message); else alert(e.message);
    }
  }

  async function remove(ch) {
    if (!confirm(`Delete channel ${ch.id}? Its stream stops for every viewer.`)) return;
    try {
      await call('DELETE', `/api/channels/${encodeURIComponent(ch.id)}`);
    } catch (e) {
      if (e instanceof Unauthorized) return askForToken(e.message);
      alert(e.message);
    }
    refresh();
  }

  /** Adds a channel card's origin mark and, for API channels, its Edit and Delete buttons. */
  function decorate(el, ch, actions) {
    const origin = text('span', ch.origin === 'file' ? 'file · read-only' : ch.origin, `origin ${ch.origin}`);
    if (ch.origin === 'file') origin.title = 'Defined in the configuration file: change it there, then Reload config';
    if (ch.origin === 'template') origin.title = 'Made on demand from a template; goes away when its stream stops';
    el.querySelector('h2').after(origin);
    if (ch.origin !== 'api') return;
    const editButton = text('button', 'Edit');
    editButton.onclick = () => edit(ch.id);
    const deleteButton = text('button', 'Delete', 'danger');
    deleteButton.onclick = () => remove(ch);
    actions.append(editButton, deleteButton);
  }

  document.getElementById('add-channel').onclick = add;
  return { decorate };
})();
