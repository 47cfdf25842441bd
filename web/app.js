/* scheduler-service dashboard: plain JavaScript, no library.
 *
 * Talks only to the JSON API on the same origin, with the user's bearer
 * token kept in sessionStorage (this tab only; never in a URL or cookie).
 * Everything that comes from the API is put on the page as text
 * (textContent, createElement), never as HTML.
 *
 * The user's place (view, filters, page, open task) lives in the URL's
 * fragment, so a reload or the periodic refresh keeps it; the create form
 * is never redrawn by a refresh.
 *
 * Cron schedules are put into words by cronWords (web/cron_words.js,
 * loaded before this file).
 *
 * A task's page also edits it (PATCH with If-Match, docs/API.md §14.3:
 * only the fields changed in the form are sent, so a change made
 * elsewhere meanwhile is refused with 412 instead of being overwritten),
 * runs it now (§14.1) and previews its next occurrences (§14.2). The
 * admin's list acts on any user's task through /admin/tasks (§20.4).
 */
'use strict';

(function () {
  const TOKEN_KEY = 'scheduler.token';
  const REFRESH_MS = 4000;
  const PER_PAGE = 20;
  const RUNS_PER_PAGE = 20;

  const $ = (id) => document.getElementById(id);

  let token = sessionStorage.getItem(TOKEN_KEY);
  let isAdmin = false;
  let timer = null;
  let lastListText = null;
  let lastDetailText = null;
  let lastRunsText = null;
  let lastOpsText = null;
  let lastNextText = null;
  // The open edit form: the task it was filled from, the values as
  // filled (to send only what the user changed) and the entity tag.
  let edit = null;
  let listRows = new Map();     // id -> task, for the admin detail

  // ----- place (URL fragment) -----

  const state = { view: 'tasks', status: '', task_type: '', user: '', page: 1, task: '', runs: 1, from: 'tasks' };

  function readHash() {
    const p = new URLSearchParams(location.hash.replace(/^#/, ''));
    state.view = p.get('view') || 'tasks';
    state.status = p.get('status') || '';
    state.task_type = p.get('task_type') || '';
    state.user = p.get('user') || '';
    state.page = Math.max(1, parseInt(p.get('page') || '1', 10) || 1);
    state.task = p.get('task') || '';
    state.runs = Math.max(1, parseInt(p.get('runs') || '1', 10) || 1);
    state.from = p.get('from') || 'tasks';
  }

  function writeHash() {
    const p = new URLSearchParams();
    p.set('view', state.view);
    for (const k of ['status', 'task_type', 'user']) if (state[k]) p.set(k, state[k]);
    if (state.page > 1) p.set('page', String(state.page));
    if (state.view === 'task') {
      p.set('task', state.task);
      p.set('from', state.from);
      if (state.runs > 1) p.set('runs', String(state.runs));
    }
    const h = '#' + p.toString();
    if (location.hash !== h) history.replaceState(null, '', h);
  }

  // ----- API -----

  class ApiError extends Error {
    constructor(status, message, field) {
      super(message);
      this.status = status;
      this.field = field || null;
    }
  }

  /* Returns {status, text, json}; throws ApiError for an error status
   * (401 signs the user out unless quiet401). */
  async function api(method, path, body, opts) {
    opts = opts || {};
    const headers = Object.assign({ Authorization: 'Bearer ' + (opts.token || token) }, opts.headers || {});
    const init = { method, headers, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    let resp;
    try {
      resp = await fetch(path, init);
    } catch (e) {
      throw new ApiError(0, 'The service cannot be reached (' + e.message + ')');
    }
    const text = await resp.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (!resp.ok) {
      const err = json && json.error ? json.error : {};
      const e = new ApiError(resp.status, err.message || ('HTTP ' + resp.status), err.field);
      if (resp.status === 401 && !opts.quiet401) signOut('Your token is no longer accepted (401 User not authorized). Sign in again.');
      throw e;
    }
    return { status: resp.status, text, json, etag: resp.headers.get('ETag') };
  }

  // ----- small helpers -----

  function el(tag, attrs, ...children) {
    const n = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') n.className = v;
        else if (k === 'text') n.textContent = v;
        else if (k.startsWith('data-') || k.startsWith('aria-') || k === 'role' || k === 'title' || k === 'type' || k === 'scope' || k === 'colspan') n.setAttribute(k, v);
        else n[k] = v;
      }
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      n.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return n;
  }

  function show(node, on) { node.hidden = !on; }

  function setError(node, msg) {
    node.textContent = msg || '';
    node.hidden = !msg;
  }

  function pad(n) { return String(n).padStart(2, '0'); }

  /* "2030-12-05T13:00:00Z" -> "2030-12-05 13:00:00 UTC" (":00" seconds
   * kept: the API gives whole seconds). */
  function fmtTime(s, withSeconds) {
    if (!s) return '—';
    const d = new Date(s);
    if (isNaN(d)) return String(s);
    let t = d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + ' ' +
      pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
    if (withSeconds !== false) t += ':' + pad(d.getUTCSeconds());
    return t + ' UTC';
  }

  /* "2030-12-05 13:00 UTC", seconds only when not zero. */
  function fmtAt(s) {
    const d = new Date(s);
    if (isNaN(d)) return String(s);
    return fmtTime(s, d.getUTCSeconds() !== 0);
  }

  function relative(s) {
    if (!s) return '';
    const d = new Date(s);
    if (isNaN(d)) return '';
    let secs = Math.round((d.getTime() - Date.now()) / 1000);
    const future = secs > 0;
    secs = Math.abs(secs);
    let t;
    if (secs < 60) t = secs + ' s';
    else if (secs < 3600) t = Math.round(secs / 60) + ' min';
    else if (secs < 86400 * 2) t = Math.round(secs / 3600) + ' h';
    else t = Math.round(secs / 86400) + ' d';
    return future ? 'in ' + t : t + ' ago';
  }

  function duration(secs) {
    const units = [[86400 * 7, 'wk'], [86400, 'd'], [3600, 'h'], [60, 'min'], [1, 's']];
    for (const [n, u] of units) if (secs >= n && secs % n === 0) return (secs / n) + ' ' + u;
    return secs + ' s';
  }

  /* The schedule in words: "every 1 h", "at 2030-12-05 13:00 UTC", "at
   * 09:00 on Monday to Friday (Europe/Berlin)" (a cron task's times are
   * in its zone, so the zone is always said, UTC too). */
  function scheduleText(t) {
    if (t.task_type === 'one_time') return t.run_datetime ? 'at ' + fmtAt(t.run_datetime) : 'once';
    let s = t.task_type === 'cron'
      ? cronWords(t.cron || '') + ' (' + (t.timezone || 'UTC') + ')'
      : 'every ' + duration(Number(t.frequency));
    if (t.start_datetime && Date.parse(t.start_datetime) > Date.now()) s += ' from ' + fmtAt(t.start_datetime);
    if (t.end_datetime) s += ' until ' + fmtAt(t.end_datetime);
    return s;
  }

  /* scheduleText, and for a cron task its expression under it, for
   * operators to check the words against (once, when there are no words). */
  function scheduleNode(t) {
    const words = el('span', { class: 'schedule-words', text: scheduleText(t) });
    if (t.task_type !== 'cron') return words;
    const expr = t.cron || '';
    words.setAttribute('title', 'cron: ' + expr);
    if (cronWords(expr) === expr) return words;
    return el('span', null, words, el('br'), el('small', { class: 'muted' }, el('code', { class: 'cron-expr', text: expr })));
  }

  const TYPE_WORDS = { one_time: 'one-time', periodic: 'periodic', cron: 'cron' };

  function badge(text, kind) {
    return el('span', { class: 'badge badge-' + (kind || text), text });
  }

  function timeCell(s) {
    if (!s) return el('span', { class: 'muted', text: '—' });
    return el('span', null, el('time', { dateTime: s, text: fmtTime(s) }), el('br'), el('small', { class: 'muted', text: relative(s) }));
  }

  /* Keeps keyboard focus on the "same" control when a table is redrawn. */
  function redraw(container, build) {
    const active = document.activeElement;
    const key = active && container.contains(active) ? active.getAttribute('data-key') : null;
    build();
    if (key) {
      const again = container.querySelector('[data-key="' + CSS.escape(key) + '"]');
      if (again) again.focus();
    }
  }

  // ----- raw JSON (exact numbers, key order as sent) -----

  /* Index just past the JSON value that starts at i (whitespace skipped). */
  function skipValue(s, i) {
    while (/\s/.test(s[i])) i++;
    const c = s[i];
    if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
      return i + 1;
    }
    if (c === '{' || c === '[') {
      let depth = 0;
      for (; i < s.length; i++) {
        const ch = s[i];
        if (ch === '"') { i = skipValue(s, i) - 1; continue; }
        if (ch === '{' || ch === '[') depth++;
        else if (ch === '}' || ch === ']') { depth--; if (depth === 0) return i + 1; }
      }
      return i;
    }
    while (i < s.length && !/[\s,}\]]/.test(s[i])) i++;
    return i;
  }

  /* The raw text of each member of a top-level JSON object. */
  function rawMembers(s) {
    const out = {};
    let i = s.indexOf('{') + 1;
    for (;;) {
      while (i < s.length && /[\s,]/.test(s[i])) i++;
      if (i >= s.length || s[i] !== '"') break;
      const kEnd = skipValue(s, i);
      const key = JSON.parse(s.slice(i, kEnd));
      i = s.indexOf(':', kEnd) + 1;
      while (/\s/.test(s[i])) i++;
      const vEnd = skipValue(s, i);
      out[key] = s.slice(i, vEnd);
      i = vEnd;
    }
    return out;
  }

  /* Re-indents JSON text without parsing it (numbers stay exact). */
  function prettyJson(s) {
    let out = '', depth = 0, i = 0;
    const nl = () => '\n' + '  '.repeat(depth);
    while (i < s.length) {
      const c = s[i];
      if (c === '"') { const e = skipValue(s, i); out += s.slice(i, e); i = e; continue; }
      if (/\s/.test(c)) { i++; continue; }
      if (c === '{' || c === '[') {
        let j = i + 1;
        while (/\s/.test(s[j])) j++;
        if (s[j] === '}' || s[j] === ']') { out += c + s[j]; i = j + 1; continue; }
        depth++; out += c + nl(); i++; continue;
      }
      if (c === '}' || c === ']') { depth--; out += nl() + c; i++; continue; }
      if (c === ',') { out += ',' + nl(); i++; continue; }
      if (c === ':') { out += ': '; i++; continue; }
      out += c; i++;
    }
    return out;
  }

  // ----- sign-in -----

  async function signIn(candidate) {
    const msg = $('signin-error');
    msg.textContent = '';
    if (!candidate) { msg.textContent = 'Enter a token.'; return; }
    try {
      await api('GET', '/tasks?per_page=1', undefined, { token: candidate, quiet401: true });
    } catch (e) {
      msg.textContent = e.status === 401
        ? 'That token was not accepted (401 User not authorized): it is unknown, revoked or expired, or its user is disabled.'
        : 'Could not sign in: ' + e.message + (e.status ? ' (HTTP ' + e.status + ')' : '');
      $('token').setAttribute('aria-invalid', 'true');
      $('token').focus();
      return;
    }
    token = candidate;
    sessionStorage.setItem(TOKEN_KEY, token);
    $('token').value = '';
    $('token').removeAttribute('aria-invalid');
    await detectAdmin();
    enter();
  }

  async function detectAdmin() {
    isAdmin = false;
    try {
      await api('GET', '/admin/stats', undefined, { quiet401: true });
      isAdmin = true;
    } catch (e) {
      isAdmin = false;    // 403: not an admin; 404: no admin API here
    }
    for (const n of document.querySelectorAll('.admin-only')) show(n, isAdmin);
    $('who').textContent = isAdmin ? 'Signed in (admin)' : 'Signed in';
  }

  function signOut(message) {
    token = null;
    isAdmin = false;
    sessionStorage.removeItem(TOKEN_KEY);
    if (timer) { clearInterval(timer); timer = null; }
    lastListText = lastDetailText = lastRunsText = lastOpsText = lastNextText = null;
    closeEdit();
    show($('tabs'), false);
    show($('session'), false);
    for (const v of document.querySelectorAll('.view')) show(v, false);
    show($('view-signin'), true);
    $('signin-error').textContent = message || '';
    history.replaceState(null, '', location.pathname);
    $('token').focus();
  }

  function enter() {
    show($('view-signin'), false);
    show($('tabs'), true);
    show($('session'), true);
    if (!isAdmin && (state.view === 'all' || state.view === 'ops')) state.view = 'tasks';
    render();
    if (timer) clearInterval(timer);
    timer = setInterval(() => { if (!document.hidden) refresh(); }, REFRESH_MS);
  }

  // ----- views -----

  function setView(view, extra) {
    if (view !== state.view && (view === 'tasks' || view === 'all')) {
      state.page = 1;
      if (view === 'tasks') state.user = '';
    }
    const before = state.view + ' ' + state.task;
    state.view = view;
    Object.assign(state, extra || {});
    if (state.view + ' ' + state.task !== before) {
      closeEdit();
      setError($('run-result'), '');
      setError($('detail-ok'), '');
      setError($('list-result'), '');
    }
    lastListText = lastDetailText = lastRunsText = lastOpsText = lastNextText = null;
    render();
  }

  function render() {
    writeHash();
    const v = state.view;
    const listView = v === 'tasks' || v === 'all';
    show($('view-list'), listView);
    show($('view-create'), v === 'create');
    show($('view-detail'), v === 'task');
    show($('view-ops'), v === 'ops');
    for (const b of document.querySelectorAll('.tab')) {
      const current = b.dataset.view === v || (v === 'task' && b.dataset.view === state.from);
      if (current) b.setAttribute('aria-current', 'page'); else b.removeAttribute('aria-current');
    }
    if (listView) {
      $('list-title').textContent = v === 'all' ? 'All users\u2019 tasks' : 'My tasks';
      $('f-status').value = state.status;
      $('f-type').value = state.task_type;
      $('f-user').value = state.user;
      show(document.querySelector('.admin-filter'), v === 'all');
      show(document.querySelector('.owner-col'), v === 'all');
    }
    refresh();
  }

  async function refresh() {
    if (!token) return;
    const v = state.view;
    try {
      if (v === 'tasks' || v === 'all') await loadList();
      else if (v === 'task') await loadDetail();
      else if (v === 'ops') await loadOps();
      setError($('banner'), '');
      $('updated').textContent = 'Updated ' + fmtTime(new Date().toISOString()).replace(' UTC', '').slice(11) + ' UTC';
    } catch (e) {
      if (e.status === 401) return;
      setError($('banner'), e.status === 503 ? 'The service is unavailable (database away); retrying…' : 'Refresh failed: ' + e.message);
    }
  }

  // ----- task list -----

  async function loadList() {
    const all = state.view === 'all';
    const q = new URLSearchParams({ page: String(state.page), per_page: String(PER_PAGE) });
    if (state.status) q.set('status', state.status);
    if (state.task_type) q.set('task_type', state.task_type);
    if (all && state.user) q.set('user', state.user);
    let r;
    try {
      r = await api('GET', (all ? '/admin/tasks?' : '/tasks?') + q);
    } catch (e) {
      if (e.status === 400 || e.status === 403 || e.status === 404) {
        setError($('list-error'), e.message);
        $('tasks-body').replaceChildren();
        return;
      }
      throw e;
    }
    setError($('list-error'), '');
    if (r.text === lastListText) return;
    lastListText = r.text;
    const data = r.json;
    const pages = Math.max(1, Math.ceil(data.count / PER_PAGE));
    if (state.page > pages && data.count > 0) { state.page = pages; writeHash(); lastListText = null; return loadList(); }
    $('page-info').textContent = 'Page ' + state.page + ' of ' + pages + ' \u00b7 ' + data.count + (data.count === 1 ? ' task' : ' tasks');
    $('prev-page').disabled = state.page <= 1;
    $('next-page').disabled = state.page >= pages;
    show($('tasks-empty'), data.tasks.length === 0);
    listRows = new Map(data.tasks.map((t) => [t.id, t]));
    const body = $('tasks-body');
    redraw(body, () => body.replaceChildren(...data.tasks.map((t) => taskRow(t, all))));
  }

  function taskRow(t, all) {
    const label = t.name || t.id.slice(0, 12) + '\u2026';
    const open = el('button', { type: 'button', class: 'link', 'data-key': 'open:' + t.id, 'aria-label': 'Open task ' + (t.name || t.id), text: label });
    open.addEventListener('click', () => openTask(t.id));
    const taskCell = el('td', { 'data-label': 'Task' }, open, el('br'), el('small', { class: 'muted url', text: t.request_method + ' ' + t.url }));
    const last = el('td', { 'data-label': 'Last run' });
    if (t.last_run_datetime) {
      last.append(el('span', null, timeCell(t.last_run_datetime), t.last_run_outcome ? ' ' : null,
        t.last_run_outcome ? badge(t.last_run_outcome) : null));
    } else last.append(el('span', { class: 'muted', text: 'never' }));
    const row = el('tr', { 'data-task-id': t.id },
      taskCell,
      all ? el('td', { 'data-label': 'Owner', text: t.owner || '' }) : null,
      el('td', { 'data-label': 'Status' }, badge(t.status)),
      el('td', { 'data-label': 'Type', text: TYPE_WORDS[t.task_type] || t.task_type }),
      el('td', { 'data-label': 'Schedule', class: 'schedule' }, scheduleNode(t)),
      el('td', { 'data-label': 'Next run' }, timeCell(t.next_run_datetime)),
      last,
      el('td', { 'data-label': 'Runs', class: 'num', text: String(t.run_count) }),
      el('td', { 'data-label': 'Actions', class: 'actions-col' }, all ? adminButtons(t) : actionButtons(t)));
    return row;
  }

  function actionButtons(t) {
    const box = el('div', { class: 'actions' });
    const who = t.name || t.id;
    if (t.status === 'active') box.append(actionButton('Pause', 'pause', t, 'Pause task ' + who));
    if (t.status === 'paused') box.append(actionButton('Resume', 'resume', t, 'Resume task ' + who));
    box.append(actionButton('Delete', 'delete', t, 'Delete task ' + who));
    return box;
  }

  /* The task page's own buttons: those of the list, Run now and Edit
   * (not for a completed task: PATCH answers 409 there). */
  function detailButtons(t) {
    const box = actionButtons(t);
    const who = t.name || t.id;
    box.prepend(actionButton('Run now', 'run', t, 'Run task ' + who + ' now'));
    if (t.status !== 'completed') {
      const b = el('button', { type: 'button', class: 'small', 'data-key': 'edit:' + t.id, 'aria-label': 'Edit task ' + who, 'aria-expanded': edit ? 'true' : 'false', 'aria-controls': 'edit-form', text: 'Edit' });
      b.addEventListener('click', () => openEdit());
      box.prepend(b);
    }
    return box;
  }

  /* An admin's buttons for any user's task (docs/API.md §20.4). */
  function adminButtons(t) {
    const box = el('div', { class: 'actions' });
    const who = t.name || t.id;
    if (t.status === 'active') box.append(actionButton('Pause', 'pause', t, 'Pause task ' + who, true));
    if (t.status === 'paused') box.append(actionButton('Resume', 'resume', t, 'Resume task ' + who, true));
    box.append(actionButton('Run now', 'run', t, 'Run task ' + who + ' now', true));
    box.append(actionButton('Delete', 'delete', t, 'Delete task ' + who, true));
    return box;
  }

  function actionButton(text, action, t, label, admin) {
    const b = el('button', { type: 'button', class: action === 'delete' ? 'danger small' : 'small', 'data-key': action + ':' + t.id, 'data-action': action, 'aria-label': label, text });
    b.addEventListener('click', () => act(action, t, admin));
    return b;
  }

  function confirmDialog(text) {
    const d = $('confirm');
    $('confirm-text').textContent = text;
    if (typeof d.showModal !== 'function') return Promise.resolve(window.confirm(text));
    return new Promise((resolve) => {
      d.returnValue = '';
      d.addEventListener('close', () => resolve(d.returnValue === 'ok'), { once: true });
      d.showModal();
    });
  }

  /* Pause, resume, run now or delete (after asking); admin: through
   * /admin/tasks/{id}, for any user's task. */
  async function act(action, t, admin) {
    const who = t.name ? '\u201c' + t.name + '\u201d' : t.id;
    const owner = admin && t.owner ? ' of user ' + t.owner : '';
    if (action === 'delete' && !(await confirmDialog('Delete task ' + who + owner + ' and its run history? This cannot be undone.'))) return;
    const path = (admin ? '/admin/tasks/' : '/tasks/') + encodeURIComponent(t.id);
    const done = { pause: ' paused.', resume: ' resumed.', delete: ' deleted.' };
    try {
      if (action === 'delete') await api('DELETE', path);
      else {
        const r = await api('POST', path + '/' + action);
        if (action === 'run') {
          const msg = 'Run queued for task ' + who + owner + ': run id ' + r.json.run_id + '.';
          setError($(state.view === 'task' ? 'run-result' : 'list-result'), msg);
          $('run-result').dataset.runId = r.json.run_id;
          lastRunsText = null;
        }
      }
      setError($('banner'), '');
      if (action !== 'run') flash('Task ' + who + owner + done[action]);
      if (action === 'delete' && state.view === 'task') { setView(state.from); return; }
    } catch (e) {
      if (e.status !== 401) setError($('banner'), 'Could not ' + (action === 'run' ? 'run' : action) + ' task ' + who + ': ' + e.message);
    }
    lastListText = lastDetailText = lastNextText = null;
    refresh();
  }

  let flashTimer = null;
  function flash(msg) {
    const b = $('banner');
    b.textContent = msg;
    b.hidden = false;
    b.classList.add('info');
    clearTimeout(flashTimer);
    flashTimer = setTimeout(() => { if (b.textContent === msg) { b.hidden = true; b.classList.remove('info'); } }, 4000);
  }

  function openTask(id) {
    setView('task', { task: id, runs: 1, from: state.view === 'task' ? state.from : state.view });
    const t = $('detail-title');
    t.setAttribute('tabindex', '-1');
    t.focus();
  }

  // ----- task detail -----

  async function loadDetail() {
    const id = state.task;
    let task, raw;
    let r = null;
    try {
      r = await api('GET', '/tasks/' + encodeURIComponent(id));
    } catch (e) {
      if (e.status === 403 && listRows.has(id)) {
        r = null;   // an admin looking at another user's task: the list row
      } else if (e.status === 404 || e.status === 403) {
        setError($('detail-error'), e.status === 404 ? 'This task no longer exists.' : e.message);
        $('detail-fields').replaceChildren();
        $('detail-actions').replaceChildren();
        $('runs-body').replaceChildren();
        $('detail-next').replaceChildren();
        closeEdit();
        return;
      } else throw e;
    }
    setError($('detail-error'), '');
    if (r) {
      if (r.text !== lastDetailText) {
        lastDetailText = r.text;
        task = r.json;
        raw = rawMembers(r.text);
        drawDetail(task, raw, true);
      }
      show(document.querySelector('#view-detail .preview'), true);
      await Promise.all([loadRuns(id), loadNext(id)]);
    } else {
      task = listRows.get(id);
      const text = JSON.stringify(task);
      if (text !== lastDetailText) {
        lastDetailText = text;
        drawDetail(task, {}, false);
      }
      $('runs-body').replaceChildren();
      show(document.querySelector('#view-detail .preview'), false);
      $('runs-note').textContent = 'Run history is shown to the task\u2019s owner only.';
      show($('runs-note'), true);
    }
  }

  function drawDetail(task, raw, own) {
    $('detail-title').textContent = 'Task ' + (task.name || task.id);
    const dl = $('detail-fields');
    const items = [];
    for (const [k, v] of Object.entries(task)) {
      if (k === 'post_data' || k === 'headers') continue;
      let value;
      if (v === null || v === undefined) value = el('span', { class: 'muted', text: 'null' });
      else if (k === 'status' || k === 'last_run_outcome') value = badge(String(v));
      else if (/_datetime$|_at$/.test(k)) value = el('span', null, el('time', { dateTime: v, text: fmtTime(v) }), ' ', el('small', { class: 'muted', text: relative(v) }));
      else if (typeof v === 'object') value = el('code', { text: JSON.stringify(v) });
      else value = el('span', { text: String(v) });
      items.push(el('div', { class: 'kv' }, el('dt', { text: k }), el('dd', null, value)));
    }
    items.push(el('div', { class: 'kv' }, el('dt', { text: 'schedule' }), el('dd', { id: 'detail-schedule' }, scheduleNode(task))));
    dl.replaceChildren(...items);
    $('detail-post-data').textContent = raw.post_data !== undefined ? prettyJson(raw.post_data) : JSON.stringify(task.post_data, null, 2);
    $('detail-headers').textContent = raw.headers !== undefined ? prettyJson(raw.headers) : JSON.stringify(task.headers, null, 2);
    const actions = $('detail-actions');
    redraw(actions, () => actions.replaceChildren(...(own ? [detailButtons(task)] : isAdmin ? [adminButtons(task)] : [])));
    if (edit && task.status === 'completed') closeEdit();
  }

  /* The next 5 occurrences, as the dispatcher will fire them (§14.2);
   * "none" when the task is paused or completed or nothing is left. */
  async function loadNext(id) {
    const r = await api('GET', '/tasks/' + encodeURIComponent(id) + '/next?count=5');
    if (r.text === lastNextText) return;
    lastNextText = r.text;
    const next = (r.json && r.json.next) || [];
    $('detail-next').replaceChildren(...next.map((s) => el('li', null,
      el('time', { dateTime: s, text: fmtTime(s) }), ' ', el('small', { class: 'muted', text: relative(s) }))));
    show($('detail-next'), next.length > 0);
    const status = lastDetailText ? (rawStatus(lastDetailText) || '') : '';
    $('detail-next-none').textContent = next.length ? '' : 'none' +
      (status === 'paused' ? ' (the task is paused)' : status === 'completed' ? ' (the task has completed)' : ' (nothing left to fire)');
    show($('detail-next-none'), next.length === 0);
  }

  function rawStatus(text) {
    try { return JSON.parse(text).status; } catch (e) { return null; }
  }

  // ----- edit form (PATCH, docs/API.md §14.3) -----

  const EDIT_FIELDS = ['task_type', 'name', 'url', 'request_method', 'run_datetime', 'frequency', 'cron', 'timezone', 'start_datetime', 'end_datetime', 'post_data', 'headers'];
  const EDIT_BY_TYPE = { one_time: ['run_datetime'], periodic: ['frequency', 'start_datetime', 'end_datetime'], cron: ['cron', 'timezone', 'start_datetime', 'end_datetime'] };

  /* Opens the form filled from a fresh GET (its ETag is the version the
   * PATCH will name in If-Match). */
  async function openEdit() {
    let r;
    try {
      r = await api('GET', '/tasks/' + encodeURIComponent(state.task));
    } catch (e) {
      if (e.status !== 401) setError($('detail-error'), 'Could not load the task to edit it: ' + e.message);
      return;
    }
    fillEdit(r);
    show($('edit-form'), true);
    setError($('detail-ok'), '');
    for (const b of document.querySelectorAll('#detail-actions [data-key^="edit:"]')) b.setAttribute('aria-expanded', 'true');
    $('e-url').focus();
  }

  function fillEdit(r) {
    const task = r.json;
    const raw = rawMembers(r.text);
    const values = {
      task_type: task.task_type,
      name: task.name === null ? '' : task.name,
      url: task.url,
      request_method: task.request_method,
      run_datetime: task.run_datetime || '',
      frequency: task.frequency === null ? '' : String(task.frequency),
      cron: task.cron || '',
      timezone: task.timezone || '',
      start_datetime: task.start_datetime || '',
      end_datetime: task.end_datetime || '',
      post_data: raw.post_data !== undefined ? prettyJson(raw.post_data) : JSON.stringify(task.post_data, null, 2),
      headers: raw.headers !== undefined ? prettyJson(raw.headers) : JSON.stringify(task.headers, null, 2),
    };
    const tag = r.etag || '"' + task.version + '"';
    edit = { id: task.id, type: task.task_type, values, tag, version: task.version };
    for (const n of EDIT_FIELDS) $('e-' + n).value = values[n];
    for (const f of document.querySelectorAll('#edit-form [data-types]')) {
      show(f, f.dataset.types.split(' ').includes(task.task_type));
    }
    $('e-task_type').value = TYPE_WORDS[task.task_type] || task.task_type;
    edit.values.task_type = $('e-task_type').value;
    $('edit-version').textContent = 'Editing version ' + task.version + '. Only the fields you change are sent.';
    clearEditErrors();
    showEditCronWords();
  }

  function closeEdit() {
    edit = null;
    const f = $('edit-form');
    if (!f) return;
    show(f, false);
    clearEditErrors();
    for (const b of document.querySelectorAll('#detail-actions [data-key^="edit:"]')) b.setAttribute('aria-expanded', 'false');
  }

  function clearEditErrors() {
    for (const n of EDIT_FIELDS) {
      $('e-' + n + '-error').textContent = '';
      $('e-' + n).removeAttribute('aria-invalid');
    }
    setError($('edit-error'), '');
    show($('edit-conflict'), false);
  }

  function editFieldError(name, message) {
    const input = $('e-' + name);
    if (!input || !$('e-' + name + '-error')) return false;
    const box = input.closest('.field');
    if (box && box.hidden) return false;
    $('e-' + name + '-error').textContent = message;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    return true;
  }

  function showEditCronWords() {
    const expr = $('e-cron').value.trim();
    const words = expr ? cronWords(expr) : '';
    $('e-cron-words').textContent = !expr ? '' : words === expr
      ? 'No words for this expression here; the service checks it when you save.'
      : 'Runs ' + words + ' (' + ($('e-timezone').value.trim() || 'UTC') + ').';
  }

  /* The PATCH body: the fields whose value differs from what the form
   * was filled with, as JSON text (post_data and headers raw, so their
   * numbers stay exact); null when something typed is not valid. */
  function editBody() {
    const changed = [];
    const fields = ['name', 'url', 'request_method', ...EDIT_BY_TYPE[edit.type], 'post_data', 'headers'];
    for (const n of fields) if ($('e-' + n).value !== edit.values[n]) changed.push(n);
    const members = [];
    for (const n of changed) {
      const v = $('e-' + n).value.trim();
      let raw;
      if (n === 'post_data' || n === 'headers') {
        if (!v) raw = '{}';
        else {
          try {
            const parsed = JSON.parse(v);
            if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
          } catch (e) {
            editFieldError(n, n + ' must be a JSON object (' + e.message + ')');
            return null;
          }
          raw = v;
        }
      } else if (n === 'frequency') {
        if (!/^\d+$/.test(v)) { editFieldError('frequency', 'frequency must be a whole number of seconds'); return null; }
        raw = v;
      } else if ((n === 'name' || n === 'end_datetime') && !v) {
        raw = 'null';    // removes the name, or the end
      } else raw = JSON.stringify(v);
      members.push(JSON.stringify(n) + ':' + raw);
    }
    return { changed, text: '{' + members.join(',') + '}' };
  }

  async function submitEdit(ev) {
    ev.preventDefault();
    if (!edit) return;
    clearEditErrors();
    const body = editBody();
    if (!body) return;
    if (body.changed.length === 0) { setError($('edit-error'), 'Nothing changed: there is nothing to save.'); return; }
    const save = $('edit-save');
    save.disabled = true;
    try {
      const r = await api('PATCH', '/tasks/' + encodeURIComponent(edit.id), body.text, { headers: { 'If-Match': edit.tag } });
      closeEdit();
      setError($('detail-ok'), 'Saved ' + body.changed.join(', ') + ' (now version ' + r.json.version + ').');
      lastDetailText = lastNextText = lastListText = null;
      await refresh();
    } catch (e) {
      if (e.status === 401) return;
      if (e.status === 412) {
        show($('edit-conflict'), true);
        $('edit-reload').focus();
      } else if (!(e.field && editFieldError(e.field, e.message))) {
        setError($('edit-error'), (e.field ? e.field + ': ' : '') + e.message + (e.status ? ' (HTTP ' + e.status + ')' : ''));
      }
    } finally {
      save.disabled = false;
    }
  }

  /* After a 412: the task as it is now, in the form (what was typed is
   * dropped: it was based on the old version). */
  async function reloadEdit() {
    try {
      const r = await api('GET', '/tasks/' + encodeURIComponent(state.task));
      fillEdit(r);
      lastDetailText = lastNextText = null;
      refresh();
      $('e-url').focus();
    } catch (e) {
      if (e.status === 404) { closeEdit(); setError($('detail-error'), 'This task no longer exists.'); }
      else if (e.status !== 401) setError($('edit-error'), 'Could not reload: ' + e.message);
    }
  }

  async function loadRuns(id) {
    const q = new URLSearchParams({ page: String(state.runs), per_page: String(RUNS_PER_PAGE) });
    const r = await api('GET', '/tasks/' + encodeURIComponent(id) + '/runs?' + q);
    if (r.text === lastRunsText) return;
    lastRunsText = r.text;
    const data = r.json;
    const pages = Math.max(1, Math.ceil(data.count / RUNS_PER_PAGE));
    $('runs-info').textContent = data.count === 0 ? 'No attempts yet' : 'Page ' + state.runs + ' of ' + pages + ' \u00b7 ' + data.count + (data.count === 1 ? ' attempt' : ' attempts');
    $('runs-prev').disabled = state.runs <= 1;
    $('runs-next').disabled = state.runs >= pages;
    show($('runs-note'), false);
    $('runs-body').replaceChildren(...data.runs.map((run) => el('tr', { 'data-run-id': run.run_id },
      el('td', { 'data-label': 'Started' }, el('time', { dateTime: run.started_at, text: fmtTime(run.started_at) })),
      el('td', { 'data-label': 'Scheduled for', text: fmtTime(run.scheduled_for) }),
      el('td', { 'data-label': 'Attempt', class: 'num', text: String(run.attempt) }),
      el('td', { 'data-label': 'Outcome' }, badge(run.outcome)),
      el('td', { 'data-label': 'HTTP status', class: 'num', text: run.http_status === null ? '—' : String(run.http_status) }),
      el('td', { 'data-label': 'Error', class: 'error-text', text: run.error === null ? '—' : run.error }),
      el('td', { 'data-label': 'Duration', class: 'num', text: run.duration_ms === null || run.duration_ms === undefined ? '—' : run.duration_ms + ' ms' }))));
  }

  // ----- operations (admins) -----

  async function loadOps() {
    const [stats, disp] = await Promise.all([api('GET', '/admin/stats'), api('GET', '/admin/dispatchers')]);
    const text = stats.text + disp.text;
    if (text === lastOpsText) return;
    lastOpsText = text;
    const s = stats.json;
    const tasks = s.tasks || {};
    const online = disp.json.dispatchers.filter((d) => d.online).length;
    const cards = [
      ['Active tasks', tasks.active], ['Paused', tasks.paused], ['Completed', tasks.completed],
      ['Due backlog', s.due_backlog], ['Lateness', s.lateness_seconds === null || s.lateness_seconds === undefined ? '—' : Number(s.lateness_seconds).toFixed(2) + ' s'],
      ['Dispatchers online', online + ' of ' + disp.json.dispatchers.length],
    ];
    $('stats-cards').replaceChildren(...cards.map(([k, v]) => el('div', { class: 'stat card' },
      el('div', { class: 'stat-value', text: v === undefined || v === null ? '—' : String(v) }),
      el('div', { class: 'stat-label muted', text: k }))));
    drawChart(s.attempts_per_minute || [], s.due_backlog);
    $('dispatchers-body').replaceChildren(...disp.json.dispatchers.map((d) => el('tr', { 'data-dispatcher-id': String(d.id) },
      el('td', { 'data-label': 'Host', text: d.host }),
      el('td', { 'data-label': 'PID', class: 'num', text: String(d.pid) }),
      el('td', { 'data-label': 'State' }, badge(d.online ? 'online' : 'offline')),
      el('td', { 'data-label': 'Started' }, timeCell(d.started_at)),
      el('td', { 'data-label': 'Last heartbeat' }, timeCell(d.last_heartbeat)),
      el('td', { 'data-label': 'Fired', class: 'num', text: String(d.fired) }),
      el('td', { 'data-label': 'Failed', class: 'num', text: String(d.failed) }),
      el('td', { 'data-label': 'Lost leases', class: 'num', text: String(d.lost_leases) + ' / ' + String(d.expired_claims) }),
      el('td', { 'data-label': 'Clock offset', class: 'num' + (clockSkewed(d.clock_offset_ms) ? ' skewed' : ''), text: fmtOffset(d.clock_offset_ms) }),
      el('td', { 'data-label': 'ID', class: 'muted', text: String(d.id) }))));
  }

  /* The dispatcher logs an offset above 1 s; the table marks it too. */
  function clockSkewed(ms) {
    return typeof ms === 'number' && Math.abs(ms) > 1000;
  }

  /* "+12 ms", "-30.0 s"; a dash before the dispatcher's first claim. */
  function fmtOffset(ms) {
    if (typeof ms !== 'number') return '—';
    const sign = ms > 0 ? '+' : ms < 0 ? '-' : '';
    const abs = Math.abs(ms);
    return sign + (abs >= 1000 ? (abs / 1000).toFixed(1) + ' s' : abs + ' ms');
  }

  const SVGNS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, text) {
    const n = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, String(v));
    if (text !== undefined) n.textContent = text;
    return n;
  }

  /* Stacked bars: succeeded (below) and failed (above) per minute. */
  function drawChart(points, backlog) {
    const W = 720, H = 220, L = 44, R = 10, T = 14, B = 34;
    const max = Math.max(1, ...points.map((p) => (p.succeeded || 0) + (p.failed || 0)));
    const nice = niceMax(max);
    const n = Math.max(points.length, 1);
    const bw = (W - L - R) / n;
    const y = (v) => T + (H - T - B) * (1 - v / nice);
    const totalOk = points.reduce((a, p) => a + (p.succeeded || 0), 0);
    const totalFail = points.reduce((a, p) => a + (p.failed || 0), 0);
    const root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-labelledby': 'chart-title chart-desc', class: 'chart-svg' });
    root.append(svg('desc', { id: 'chart-desc' }, totalOk + ' attempts succeeded and ' + totalFail + ' failed in the last hour; due backlog ' + (backlog === undefined ? 'unknown' : backlog) + '.'));
    for (let i = 0; i <= 4; i++) {
      const v = nice * i / 4;
      root.append(svg('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid' }));
      root.append(svg('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, String(Math.round(v))));
    }
    points.forEach((p, i) => {
      const x = L + i * bw + 1;
      const ok = p.succeeded || 0, bad = p.failed || 0;
      const title = fmtTime(p.minute, false) + ': ' + ok + ' succeeded, ' + bad + ' failed';
      if (ok) { const r = svg('rect', { x, y: y(ok), width: Math.max(bw - 2, 1), height: y(0) - y(ok), class: 'bar-ok' }); r.append(svg('title', {}, title)); root.append(r); }
      if (bad) { const r = svg('rect', { x, y: y(ok + bad), width: Math.max(bw - 2, 1), height: y(ok) - y(ok + bad), class: 'bar-fail' }); r.append(svg('title', {}, title)); root.append(r); }
      if (i % 10 === 0 || i === points.length - 1) {
        root.append(svg('text', { x: x + bw / 2, y: H - B + 16, 'text-anchor': 'middle', class: 'axis' }, fmtTime(p.minute, false).slice(11, 16)));
      }
    });
    root.append(svg('line', { x1: L, x2: W - R, y1: y(0), y2: y(0), class: 'baseline' }));
    const legend = el('p', { class: 'legend' },
      el('span', { class: 'swatch ok', 'aria-hidden': 'true' }), ' succeeded ' + totalOk + '   ',
      el('span', { class: 'swatch fail', 'aria-hidden': 'true' }), ' failed ' + totalFail + '   ',
      el('strong', { text: 'due backlog: ' + (backlog === undefined ? '—' : String(backlog)) }));
    $('chart').replaceChildren(root, legend);
  }

  function niceMax(v) {
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 4, 5, 10]) if (m * p >= v) return Math.max(4, m * p);
    return v;
  }

  // ----- create form -----

  const FORM_FIELDS = ['task_type', 'name', 'url', 'request_method', 'run_datetime', 'frequency', 'cron', 'timezone', 'start_datetime', 'end_datetime', 'post_data', 'headers'];

  // Offered in the time zone field's list before the browser's own list.
  const COMMON_ZONES = ['UTC', 'Europe/London', 'Europe/Berlin', 'Europe/Paris', 'America/New_York',
    'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Sao_Paulo', 'Africa/Johannesburg',
    'Asia/Dubai', 'Asia/Kolkata', 'Asia/Singapore', 'Asia/Shanghai', 'Asia/Tokyo', 'Australia/Sydney'];

  /* This browser's IANA zone, or UTC when it cannot say. */
  function browserZone() {
    try {
      const z = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (typeof z === 'string' && /^[A-Za-z0-9_+\/-]+$/.test(z)) return z;
    } catch (e) { /* no Intl: UTC */ }
    return 'UTC';
  }

  /* The zone field: the browser's zone as its value, a list of zones to
   * pick from (the browser's own zone, common ones, then every zone the
   * browser knows when it can list them); the API checks the name. */
  function setupZoneField() {
    const own = browserZone();
    let all = [];
    try {
      if (typeof Intl.supportedValuesOf === 'function') all = Intl.supportedValuesOf('timeZone');
    } catch (e) { all = []; }
    const zones = [...new Set([own, ...COMMON_ZONES, ...all])];
    $('c-timezone-list').replaceChildren(...zones.map((z) => el('option', { value: z })));
    $('c-timezone').value = own;
    $('c-timezone-hint').textContent = 'The expression\u2019s times are read in this zone (an IANA name; ' +
      'empty means UTC). Prefilled with this browser\u2019s zone, ' + own + '.';
  }

  /* Under the cron field: the expression in words as it is typed. */
  function showCronWords() {
    const expr = $('c-cron').value.trim();
    const out = $('c-cron-words');
    if (!expr) {
      out.textContent = 'Five fields: minute hour day-of-month month day-of-week (e.g. 0 9 * * MON-FRI), ' +
        'or @hourly, @daily, @weekly, @monthly, @yearly.';
      return;
    }
    const words = cronWords(expr);
    out.textContent = words === expr
      ? 'No words for this expression here; the service checks it when you create the task.'
      : 'Runs ' + words + ' (' + ($('c-timezone').value.trim() || 'UTC') + ').';
  }

  function showTypeFields() {
    const type = $('c-task_type').value;
    for (const f of document.querySelectorAll('#create-form [data-types]')) {
      show(f, f.dataset.types.split(' ').includes(type));
    }
  }

  function clearFormErrors() {
    for (const name of FORM_FIELDS) {
      $('c-' + name + '-error').textContent = '';
      $('c-' + name).removeAttribute('aria-invalid');
    }
    setError($('create-error'), '');
    setError($('create-ok'), '');
  }

  function fieldError(name, message) {
    const input = $('c-' + name);
    if (!input || !$('c-' + name + '-error')) return false;
    const box = input.closest('.field');
    if (box && box.hidden) return false;
    $('c-' + name + '-error').textContent = message;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    return true;
  }

  async function submitCreate(ev) {
    ev.preventDefault();
    clearFormErrors();
    const type = $('c-task_type').value;
    const body = { task_type: type };
    const v = (n) => $('c-' + n).value.trim();
    for (const n of ['name', 'url', 'request_method']) if (v(n)) body[n] = v(n);
    const byType = { one_time: ['run_datetime'], periodic: ['frequency', 'start_datetime', 'end_datetime'], cron: ['cron', 'timezone', 'start_datetime', 'end_datetime'] };
    for (const n of byType[type]) {
      if (!v(n)) continue;
      if (n === 'frequency') {
        if (!/^\d+$/.test(v(n))) { fieldError('frequency', 'frequency must be a whole number of seconds'); return; }
        body.frequency = Number(v(n));
      } else body[n] = v(n);
    }
    // JSON fields go into the body as raw text (numbers stay exact).
    const raws = {};
    for (const n of ['post_data', 'headers']) {
      if (!v(n)) continue;
      try {
        const parsed = JSON.parse(v(n));
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      } catch (e) {
        fieldError(n, n + ' must be a JSON object (' + e.message + ')');
        return;
      }
      raws[n] = v(n);
    }
    let text = JSON.stringify(body);
    for (const [n, raw] of Object.entries(raws)) text = text.slice(0, -1) + ',' + JSON.stringify(n) + ':' + raw + '}';
    const submit = $('create-form').querySelector('button[type="submit"]');
    submit.disabled = true;
    try {
      const r = await api('POST', '/tasks', text);
      setError($('create-ok'), 'Task created: ' + r.json.id + '. ');
      const link = el('button', { type: 'button', class: 'link', text: 'Open it' });
      link.addEventListener('click', () => openTask(r.json.id));
      $('create-ok').append(link);
      for (const n of FORM_FIELDS) if (n !== 'task_type' && n !== 'request_method' && n !== 'timezone') $('c-' + n).value = '';
      showCronWords();
      lastListText = null;
    } catch (e) {
      if (e.status === 401) return;
      if (!(e.field && fieldError(e.field, e.message))) {
        setError($('create-error'), (e.field ? e.field + ': ' : '') + e.message);
      }
    } finally {
      submit.disabled = false;
    }
  }

  // ----- wiring -----

  function wire() {
    $('signin-form').addEventListener('submit', (ev) => { ev.preventDefault(); signIn($('token').value.trim()); });
    $('signout').addEventListener('click', () => signOut(''));
    for (const b of document.querySelectorAll('.tab')) b.addEventListener('click', () => setView(b.dataset.view));
    $('f-status').addEventListener('change', () => { state.status = $('f-status').value; state.page = 1; lastListText = null; render(); });
    $('f-type').addEventListener('change', () => { state.task_type = $('f-type').value; state.page = 1; lastListText = null; render(); });
    let userTimer = null;
    $('f-user').addEventListener('input', () => {
      clearTimeout(userTimer);
      userTimer = setTimeout(() => { state.user = $('f-user').value.trim(); state.page = 1; lastListText = null; writeHash(); refresh(); }, 400);
    });
    $('filters').addEventListener('submit', (ev) => ev.preventDefault());
    $('prev-page').addEventListener('click', () => { state.page = Math.max(1, state.page - 1); lastListText = null; render(); });
    $('next-page').addEventListener('click', () => { state.page += 1; lastListText = null; render(); });
    $('runs-prev').addEventListener('click', () => { state.runs = Math.max(1, state.runs - 1); lastRunsText = null; render(); });
    $('runs-next').addEventListener('click', () => { state.runs += 1; lastRunsText = null; render(); });
    $('back').addEventListener('click', () => setView(state.from || 'tasks'));
    $('c-task_type').addEventListener('change', showTypeFields);
    $('c-cron').addEventListener('input', showCronWords);
    $('c-timezone').addEventListener('input', showCronWords);
    $('create-form').addEventListener('submit', submitCreate);
    $('edit-form').addEventListener('submit', submitEdit);
    $('edit-cancel').addEventListener('click', closeEdit);
    $('edit-reload').addEventListener('click', reloadEdit);
    // A field's error goes once the user changes that field.
    for (const n of EDIT_FIELDS) {
      $('e-' + n).addEventListener('input', () => { $('e-' + n + '-error').textContent = ''; $('e-' + n).removeAttribute('aria-invalid'); });
    }
    $('e-cron').addEventListener('input', showEditCronWords);
    $('e-timezone').addEventListener('input', showEditCronWords);
    window.addEventListener('hashchange', () => { if (token) { readHash(); closeEdit(); lastListText = lastDetailText = lastRunsText = lastOpsText = lastNextText = null; render(); } });
  }

  async function start() {
    wire();
    showTypeFields();
    setupZoneField();
    showCronWords();
    readHash();
    if (!token) { signOut(''); return; }
    try {
      await api('GET', '/tasks?per_page=1', undefined, { quiet401: true });
    } catch (e) {
      if (e.status === 401) { signOut('Your token is no longer accepted (401 User not authorized). Sign in again.'); return; }
    }
    await detectAdmin();
    enter();
  }

  start();
}());
