// Real-browser tests of /dashboard/: Debian's chromium driven by
// playwright-core, against a running stack. Started by
// tests/integration/test_dashboard_in_browser.py, which makes the stack,
// the users, the tasks, a dispatcher and a callback receiver, and passes:
//   DASH_BASE_URL      http://127.0.0.1:PORT (nginx)
//   DASH_TOKEN         a user's token (alice)
//   DASH_ADMIN_TOKEN   an admin's token ("" when the admin API is missing)
//   DASH_PERIODIC      id of alice's periodic task "nightly-report"
//   DASH_FIRED         id of alice's one-time task that fires during the run
//   DASH_XSS           id of alice's task whose post_data carries markup
//   DASH_DOOMED        id of alice's task that the delete test removes
//   DASH_CRON          id of alice's cron task "weekday-digest"
//                      (0 9 * * MON-FRI in Europe/Berlin)
//   DASH_ADMIN_TARGET  id of alice's one-time task "admin-target", which the
//                      admin pauses, resumes, runs and deletes
//   DASH_RECEIVER_URL  a callback URL the form can use
//   DASH_SCREENSHOTS   folder for the PNG screenshots ("" = none)
//   CHROMIUM           the browser (default /usr/bin/chromium)
// Run: node --test dashboard.test.mjs (or plain node: it runs itself).
// The browser's own zone is America/New_York: the create form offers it
// as a cron task's zone. (Everything the page shows is in UTC or, for a
// cron schedule, in the task's zone, whatever the browser's zone.)
// cronWords itself is unit tested in cron_words.test.mjs.
// The page runs under nginx's Content-Security-Policy (default-src 'self'):
// every violation the browser reports fails the run, and the last test
// checks that the policy is there and enforced.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const env = (k, d) => process.env[k] ?? d;
const BASE = env('DASH_BASE_URL');
const TOKEN = env('DASH_TOKEN');
const ADMIN_TOKEN = env('DASH_ADMIN_TOKEN', '');
const SHOTS = env('DASH_SCREENSHOTS', '');
const ids = {
  periodic: env('DASH_PERIODIC'), fired: env('DASH_FIRED'),
  xss: env('DASH_XSS'), doomed: env('DASH_DOOMED'), cron: env('DASH_CRON'),
};
assert.ok(BASE && TOKEN && ids.periodic && ids.fired && ids.xss && ids.doomed && ids.cron,
  'DASH_* environment missing (run through test_dashboard_in_browser.py)');

const CSP = "default-src 'self'; frame-ancestors 'none'";
let context, page, userDir;
const pageErrors = [];
const cspViolations = [];
const dialogs = [];

async function apiGet(p, token = TOKEN) {
  const r = await fetch(BASE + p, { headers: { Authorization: 'Bearer ' + token } });
  return { status: r.status, json: await r.json() };
}

async function apiPatch(p, body, headers = {}) {
  const r = await fetch(BASE + p, {
    method: 'PATCH', body: JSON.stringify(body),
    headers: Object.assign({ Authorization: 'Bearer ' + TOKEN }, headers),
  });
  return { status: r.status, json: await r.json() };
}

async function waitFor(fn, what, ms = 10000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  assert.fail('timed out waiting for ' + what + ' (last: ' + JSON.stringify(last) + ')');
}

async function shot(name) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
}

const row = (id) => page.locator(`tr[data-task-id="${id}"]`);

before(async () => {
  userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dash-chromium-'));
  context = await chromium.launchPersistentContext(userDir, {
    executablePath: env('CHROMIUM', '/usr/bin/chromium'),
    headless: true,
    viewport: { width: 1280, height: 800 },
    timezoneId: 'America/New_York',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(10000);
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  // Chromium logs each refusal ("Refused to execute inline script ...");
  // the init script (run by the browser, outside the page's CSP) also
  // reports each securitypolicyviolation event as a console message.
  page.on('console', (m) => {
    const t = m.text();
    if (/^Refused to |Content Security Policy|^csp-violation: /.test(t)) cspViolations.push(t);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error('csp-violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
        ' at ' + e.sourceFile + ':' + e.lineNumber);
    });
  });
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  // Nothing may be fetched from anywhere but the stack itself.
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(BASE + '/')) return route.continue();
    pageErrors.push('request outside the stack: ' + u);
    return route.abort();
  });
});

after(async () => {
  if (context) await context.close();
  if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
});

test('a bad token gets a clear message, no sign-in', async () => {
  const resp = await page.goto(BASE + '/dashboard/');
  assert.equal(resp.headers()['content-security-policy'], CSP);
  await page.getByLabel('API token').fill('not-a-real-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#signin-error').filter({ hasText: '401' }).waitFor();
  const msg = await page.locator('#signin-error').textContent();
  assert.match(msg, /not accepted/);
  assert.equal(await page.locator('#view-list').isVisible(), false);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('scheduler.token')), null);
  await shot('dashboard-sign-in.png');
});

test('a good token shows the user\'s tasks, schedules in words', async () => {
  await page.getByLabel('API token').fill(TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await row(ids.periodic).waitFor();
  const text = await row(ids.periodic).textContent();
  assert.match(text, /nightly-report/);
  assert.match(text, /every 1 h/);
  assert.match(text, /active/);
  assert.match(await row(ids.fired).textContent(), /at \d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? UTC/);
  // A cron schedule in words, in its zone; the expression stays in view.
  const cron = row(ids.cron).locator('td.schedule');
  assert.equal(await cron.locator('.schedule-words').textContent(), 'at 09:00 on Monday to Friday (Europe/Berlin)');
  assert.equal(await cron.locator('.schedule-words').getAttribute('title'), 'cron: 0 9 * * MON-FRI');
  assert.equal(await cron.locator('code.cron-expr').textContent(), '0 9 * * MON-FRI');
  assert.match(await row(ids.cron).textContent(), /weekday-digest/);
  // The token lives in sessionStorage only: not in the URL, not in a cookie.
  assert.equal(await page.evaluate(() => sessionStorage.getItem('scheduler.token')), TOKEN);
  assert.ok(!page.url().includes(TOKEN));
  assert.equal((await context.cookies()).length, 0);
  assert.equal(await page.evaluate(() => document.cookie), '');
  await shot('dashboard-tasks.png');
});

test('pause and resume from the page change the task in the API', async () => {
  await row(ids.periodic).getByRole('button', { name: 'Pause task nightly-report' }).click();
  await waitFor(async () => (await apiGet('/tasks/' + ids.periodic)).json.status === 'paused', 'API status paused');
  await row(ids.periodic).locator('.badge-paused').waitFor();
  await row(ids.periodic).getByRole('button', { name: 'Resume task nightly-report' }).click();
  await waitFor(async () => (await apiGet('/tasks/' + ids.periodic)).json.status === 'active', 'API status active');
  await row(ids.periodic).locator('.badge-active').waitFor();
});

test('filters narrow the list and survive the automatic refresh', async () => {
  await page.locator('#f-type').selectOption('periodic');
  await waitFor(async () => (await page.locator('#tasks-body tr').count()) === 1, 'one periodic row');
  assert.match(await page.locator('#tasks-body').textContent(), /nightly-report/);
  assert.match(page.url(), /task_type=periodic/);
  const before = await page.locator('#updated').textContent();
  await waitFor(async () => (await page.locator('#updated').textContent()) !== before, 'a refresh', 9000);
  assert.equal(await page.locator('#f-type').inputValue(), 'periodic');
  assert.equal(await page.locator('#tasks-body tr').count(), 1);
  await page.locator('#f-status').selectOption('completed');
  await page.locator('#tasks-empty').waitFor();
  await page.locator('#f-status').selectOption('');
  await page.locator('#f-type').selectOption('');
  await row(ids.doomed).waitFor();
});

test('delete asks first; cancel keeps the task, confirm removes it', async () => {
  const del = row(ids.doomed).getByRole('button', { name: /^Delete task/ });
  await del.click();
  await page.locator('#confirm').waitFor();
  assert.match(await page.locator('#confirm-text').textContent(), /cannot be undone/);
  await page.locator('#confirm-cancel').click();
  assert.equal((await apiGet('/tasks/' + ids.doomed)).status, 200);
  await del.click();
  await page.locator('#confirm-ok').click();
  await waitFor(async () => (await apiGet('/tasks/' + ids.doomed)).status === 404, 'API 404 after delete');
  await row(ids.doomed).waitFor({ state: 'detached' });
});

test('the create form shows the API\'s 400 next to its field, then creates', async () => {
  await page.getByRole('button', { name: 'New task' }).click();
  await page.getByLabel('Task type').selectOption('one_time');
  await page.getByLabel('Callback URL').fill(env('DASH_RECEIVER_URL'));
  await page.getByLabel('Run at (UTC)').fill('2001-01-01T00:00:00Z');
  await page.getByLabel('post_data (JSON object)').fill('{"from": "the form", "n": 18446744073709551615}');
  await page.getByRole('button', { name: 'Create task' }).click();
  const err = page.locator('#c-run_datetime-error');
  await err.filter({ hasText: 'run_datetime should be in future' }).waitFor();
  assert.equal(await page.getByLabel('Run at (UTC)').getAttribute('aria-invalid'), 'true');
  // The field's error sits inside the field's own box, next to its input.
  assert.equal(await page.locator('[data-field="run_datetime"] .field-error').textContent(),
    'run_datetime should be in future');
  await shot('dashboard-create-error.png');
  // A refresh cycle does not wipe what the user typed.
  await page.waitForTimeout(4500);
  assert.equal(await page.getByLabel('Run at (UTC)').inputValue(), '2001-01-01T00:00:00Z');

  const before = (await apiGet('/tasks?per_page=1')).json.count;
  await page.getByLabel('Run at (UTC)').fill('2030-12-05T13:00:00Z');
  await page.getByRole('button', { name: 'Create task' }).click();
  await page.locator('#create-ok').filter({ hasText: 'Task created' }).waitFor();
  assert.equal(await err.textContent(), '');
  const list = (await apiGet('/tasks?per_page=500')).json;
  assert.equal(list.count, before + 1);
  const made = list.tasks.find((t) => t.run_datetime === '2030-12-05T13:00:00Z');
  assert.ok(made, 'the created task is in the API');
  assert.deepEqual(made.post_data, { from: 'the form', n: 18446744073709551615 });
});

test('a cron task from the form: words as typed, the zone offered, the API\'s 400 under cron and timezone, then listed in words', async () => {
  // Still on the form (the test above left it there).
  await page.getByLabel('Task type').selectOption('cron');
  const cron = page.getByLabel('Cron expression');
  const zone = page.getByLabel('Time zone');
  assert.ok(await cron.isVisible());
  assert.equal(await page.getByLabel('Run at (UTC)').isVisible(), false);
  // The zone field: the browser's own zone, and a list of zones to pick from.
  assert.equal(await zone.inputValue(), 'America/New_York');
  assert.match(await page.locator('#c-timezone-hint').textContent(), /this browser\u2019s zone, America\/New_York/);
  const zones = await page.locator('#c-timezone-list option').evaluateAll((os) => os.map((o) => o.value));
  assert.equal(zones[0], 'America/New_York');
  for (const z of ['UTC', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Lord_Howe']) assert.ok(zones.includes(z), z);
  assert.equal(new Set(zones).size, zones.length, 'no zone listed twice');

  // The words under the field follow what is typed.
  const words = page.locator('#c-cron-words');
  assert.match(await words.textContent(), /Five fields/);
  await cron.fill('0 9 1 * *');
  await words.filter({ hasText: 'Runs at 09:00 on day 1 of the month (America/New_York).' }).waitFor();
  await zone.fill('');
  await words.filter({ hasText: 'Runs at 09:00 on day 1 of the month (UTC).' }).waitFor();
  await zone.fill('America/New_York');
  await cron.fill('61 9 * * *');
  await words.filter({ hasText: 'No words for this expression' }).waitFor();

  await page.getByLabel('Name (optional)').fill('month-start');
  await page.getByLabel('Callback URL').fill(env('DASH_RECEIVER_URL'));
  await page.getByLabel('post_data (JSON object)').fill('{"from": "the cron form"}');
  const before = (await apiGet('/tasks?per_page=1')).json.count;

  // A bad expression: the API's message under the cron field, nowhere else.
  await page.getByRole('button', { name: 'Create task' }).click();
  const cronErr = page.locator('[data-field="cron"] .field-error');
  await cronErr.filter({ hasText: /^cron: minute field: 61 is outside 0-59$/ }).waitFor();
  assert.equal(await cron.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#c-timezone-error').textContent(), '');
  assert.equal(await page.locator('#create-error').isVisible(), false);
  await shot('dashboard-create-cron-error.png');

  // A zone the tz database does not know: under the zone field.
  await cron.fill('0 9 1 * *');
  await zone.fill('Mars/Olympus_Mons');
  await page.getByRole('button', { name: 'Create task' }).click();
  const zoneErr = page.locator('[data-field="timezone"] .field-error');
  await zoneErr.filter({ hasText: /unknown time zone "Mars\/Olympus_Mons"/ }).waitFor();
  assert.equal(await zone.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#c-cron-error').textContent(), '');
  assert.equal(await cron.getAttribute('aria-invalid'), null);
  assert.equal((await apiGet('/tasks?per_page=1')).json.count, before, 'nothing created by a refused form');

  // Fixed: created through the real API, in the browser's zone.
  await zone.fill('America/New_York');
  await page.getByRole('button', { name: 'Create task' }).click();
  await page.locator('#create-ok').filter({ hasText: 'Task created' }).waitFor();
  assert.equal(await zoneErr.textContent(), '');
  assert.equal(await zone.inputValue(), 'America/New_York', 'the zone stays for the next task');
  const made = (await apiGet('/tasks/name/month-start')).json;
  assert.equal(made.task_type, 'cron');
  assert.equal(made.cron, '0 9 1 * *');
  assert.equal(made.timezone, 'America/New_York');
  assert.deepEqual(made.post_data, { from: 'the cron form' });
  // Its next run is 09:00 New York time on a 1st (13:00 or 14:00 UTC).
  assert.match(made.next_run_datetime, /^\d{4}-\d\d-01T1[34]:00:00Z$/);

  // Listed with its words and its expression.
  await page.getByRole('button', { name: 'My tasks' }).click();
  const sched = row(made.id).locator('td.schedule');
  await sched.waitFor();
  assert.equal(await sched.locator('.schedule-words').textContent(), 'at 09:00 on day 1 of the month (America/New_York)');
  assert.equal(await sched.locator('code.cron-expr').textContent(), '0 9 1 * *');
  await page.locator('#f-type').selectOption('cron');
  await waitFor(async () => (await page.locator('#tasks-body tr').count()) === 2, 'two cron rows');
  await page.locator('#f-type').selectOption('');
  await row(ids.periodic).waitFor();
  // And in the task's own page.
  await row(made.id).getByRole('button', { name: 'Open task month-start' }).click();
  await page.locator('#detail-schedule').filter({ hasText: 'at 09:00 on day 1 of the month (America/New_York)' }).waitFor();
  await page.getByRole('button', { name: /Back to the list/ }).click();
  await row(made.id).waitFor();
});

test('markup in post_data and url shows as text; no script runs', async () => {
  await page.getByRole('button', { name: 'My tasks' }).click();
  await row(ids.xss).getByRole('button', { name: /^Open task/ }).click();
  const pre = page.locator('#detail-post-data');
  await pre.filter({ hasText: '<script>' }).waitFor();
  const text = await pre.textContent();
  assert.ok(text.includes('<script>window.__xss = 1; alert(1)</script>'), text);
  assert.ok(text.includes('<img src=x onerror=window.__xss=2>'), text);
  assert.ok((await page.locator('#detail-fields').textContent()).includes('<b>bold</b>'));
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  // Only the page's own two: cron_words.js and app.js.
  assert.equal(await page.evaluate(() => document.querySelectorAll('script').length), 2);
  assert.equal(await page.evaluate(() => document.querySelectorAll('main img, main b').length), 0);
  await shot('dashboard-task-xss.png');
  assert.deepEqual(dialogs, []);
});

test('run history of a task that fired: attempt, outcome, HTTP status, duration', async () => {
  await page.getByRole('button', { name: /Back to the list/ }).click();
  await row(ids.fired).getByRole('button', { name: /^Open task/ }).click();
  // It fires a few seconds after the stack was set up; the page refreshes itself.
  const run = page.locator('#runs-body tr').first();
  await run.waitFor({ timeout: 30000 });
  const cells = await run.locator('td').allTextContents();
  assert.equal(cells[2], '1');                 // attempt
  assert.equal(cells[3], 'succeeded');         // outcome
  assert.equal(cells[4], '200');               // HTTP status
  assert.equal(cells[5], '—');                 // no error
  assert.match(cells[6], /^\d+ ms$/);          // duration
  await waitFor(async () => /completed/.test(await page.locator('#detail-fields').textContent()), 'status completed');
  const pd = await page.locator('#detail-post-data').textContent();
  assert.ok(pd.includes('"big": 18446744073709551615'), pd);   // exact, pretty-printed
  assert.match(page.url(), new RegExp('task=' + ids.fired));
  await shot('dashboard-task-detail.png');
});

test('run now: the run id is shown and that run joins the history', async () => {
  // Still on the fired one-time task, completed by now: run now works in
  // any status (docs/API.md §14.1); a completed task has no Edit (409).
  assert.equal(await page.getByRole('button', { name: /^Edit task/ }).count(), 0, 'no Edit for a completed task');
  await page.locator('#detail-next-none').filter({ hasText: /^none \(the task has completed\)$/ }).waitFor();
  assert.equal(await page.locator('#detail-next li').count(), 0);
  const before = (await apiGet('/tasks/' + ids.fired + '/runs')).json.count;
  await page.getByRole('button', { name: 'Run task welcome-sms now' }).click();
  const result = page.locator('#run-result');
  await result.filter({ hasText: /run id [0-9a-f]{32}\.$/ }).waitFor();
  const runId = (await result.textContent()).match(/run id ([0-9a-f]{32})/)[1];
  // The dispatcher fires it within 1 s; the page's refresh shows it.
  const run = page.locator(`#runs-body tr[data-run-id="${runId}"]`);
  await run.waitFor({ timeout: 15000 });
  await waitFor(async () => (await run.locator('td').nth(3).textContent()) === 'succeeded', 'the run succeeded', 15000);
  const runs = (await apiGet('/tasks/' + ids.fired + '/runs')).json;
  assert.ok(runs.count > before, 'a new run in the API');
  assert.ok(runs.runs.some((r) => r.run_id === runId), 'the shown run id is the API\'s');
  assert.equal((await apiGet('/tasks/' + ids.fired)).json.status, 'completed', 'still completed');
});

test('the next 5 occurrences are the API\'s own; none while paused', async () => {
  await page.getByRole('button', { name: /Back to the list/ }).click();
  await row(ids.periodic).getByRole('button', { name: 'Open task nightly-report' }).click();
  const times = page.locator('#detail-next li time');
  await waitFor(async () => (await times.count()) === 5, 'five times listed');
  const next = (await apiGet('/tasks/' + ids.periodic + '/next?count=5')).json.next;
  assert.equal(next.length, 5);
  assert.deepEqual(await times.evaluateAll((ts) => ts.map((t) => t.dateTime)), next);
  const shown = await times.allTextContents();
  assert.deepEqual(shown, next.map((s) => s.replace('T', ' ').replace('Z', ' UTC')));
  assert.equal(await page.locator('#detail-next-none').isVisible(), false);
  await shot('dashboard-task-preview.png');
  await page.locator('#detail-actions').getByRole('button', { name: 'Pause task nightly-report' }).click();
  await page.locator('#detail-next-none').filter({ hasText: 'none (the task is paused)' }).waitFor();
  assert.equal(await times.count(), 0);
  assert.deepEqual((await apiGet('/tasks/' + ids.periodic + '/next?count=5')).json.next, []);
  await page.locator('#detail-actions').getByRole('button', { name: 'Resume task nightly-report' }).click();
  await waitFor(async () => (await times.count()) === 5, 'five times again after resume');
  assert.equal((await apiGet('/tasks/' + ids.periodic)).json.status, 'active');
});

test('edit a task: prefilled, the API\'s 400 next to its field, only the changed field sent with If-Match, stored', async () => {
  // On nightly-report's page (the test above).
  const t0 = (await apiGet('/tasks/' + ids.periodic)).json;
  await page.getByRole('button', { name: 'Edit task nightly-report' }).click();
  const form = page.locator('#edit-form');
  await form.waitFor();
  const url = page.getByLabel('URL to call');
  assert.equal(await url.inputValue(), t0.url);
  assert.equal(await page.locator('#e-task_type').inputValue(), 'periodic');
  assert.equal(await page.locator('#e-task_type').getAttribute('readonly'), '');
  assert.equal(await page.getByLabel('Name (empty removes it)').inputValue(), 'nightly-report');
  assert.equal(await page.getByLabel('Repeat every (seconds)').inputValue(), '3600');
  assert.equal(await page.getByLabel('Starts (UTC)').inputValue(), t0.start_datetime);
  assert.equal(await page.getByLabel('HTTP method').inputValue(), t0.request_method);
  assert.deepEqual(JSON.parse(await page.locator('#e-post_data').inputValue()), t0.post_data);
  // Only the periodic task's own schedule fields are offered.
  assert.equal(await page.locator('#e-run_datetime').isVisible(), false);
  assert.equal(await page.locator('#e-cron').isVisible(), false);
  assert.match(await page.locator('#edit-version').textContent(), new RegExp('version ' + t0.version + '\\b'));

  // The API refuses the URL: its message under the URL field, nothing changed.
  await url.fill('ftp://example.com/nightly');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const urlErr = page.locator('[data-edit-field="url"] .field-error');
  await waitFor(async () => (await urlErr.textContent()) !== '', 'the url field\'s error');
  assert.match(await urlErr.textContent(), /url/);
  assert.equal(await url.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#edit-error').isVisible(), false);
  const same = (await apiGet('/tasks/' + ids.periodic)).json;
  assert.equal(same.url, t0.url);
  assert.equal(same.version, t0.version);

  // Fixed: one PATCH, only the url, naming the version it was filled from.
  const seen = [];
  const onRequest = (r) => { if (r.method() === 'PATCH') seen.push({ headers: r.headers(), body: r.postData() }); };
  page.on('request', onRequest);
  const newUrl = 'https://example.com/reports/nightly-v2?x=<i>1</i>';
  await url.fill(newUrl);
  assert.equal(await urlErr.textContent(), '', 'the error goes when the field is changed');
  assert.equal(await url.getAttribute('aria-invalid'), null);
  await shot('dashboard-edit-task.png');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.locator('#detail-ok').filter({ hasText: 'Saved url (now version ' + (t0.version + 1) + ')' }).waitFor();
  page.off('request', onRequest);
  assert.equal(seen.length, 1);
  assert.deepEqual(JSON.parse(seen[0].body), { url: newUrl });
  assert.equal(seen[0].headers['if-match'], '"' + t0.version + '"');
  const t1 = (await apiGet('/tasks/' + ids.periodic)).json;
  assert.equal(t1.url, newUrl);
  assert.equal(t1.version, t0.version + 1);
  assert.equal(t1.frequency, t0.frequency);
  assert.deepEqual(t1.post_data, t0.post_data);
  // The view shows the stored task; the form is closed.
  await page.locator('#detail-fields').filter({ hasText: newUrl }).waitFor();
  assert.equal(await form.isVisible(), false);
  assert.equal(await page.evaluate(() => document.querySelectorAll('main i').length), 0);
});

test('a stale edit: 412 "changed elsewhere — reload"; reload shows the new version, then it saves', async () => {
  const t0 = (await apiGet('/tasks/' + ids.periodic)).json;
  await page.getByRole('button', { name: 'Edit task nightly-report' }).click();
  const freq = page.getByLabel('Repeat every (seconds)');
  await freq.fill('7200');
  // Meanwhile the task changes through the API.
  const other = await apiPatch('/tasks/' + ids.periodic, { post_data: { report: 'nightly', changed: 'elsewhere' } });
  assert.equal(other.status, 200);
  await page.getByRole('button', { name: 'Save changes' }).click();
  const conflict = page.locator('#edit-conflict');
  await conflict.filter({ hasText: 'changed elsewhere \u2014 reload' }).waitFor();
  const t1 = (await apiGet('/tasks/' + ids.periodic)).json;
  assert.equal(t1.frequency, 3600, 'the stale edit changed nothing');
  assert.equal(t1.version, t0.version + 1);
  assert.equal(await freq.inputValue(), '7200', 'what was typed stays until reload');
  await shot('dashboard-edit-conflict.png');

  await conflict.getByRole('button', { name: 'Reload' }).click();
  await conflict.waitFor({ state: 'hidden' });
  await waitFor(async () => JSON.parse(await page.locator('#e-post_data').inputValue()).changed === 'elsewhere', 'the reloaded post_data');
  assert.equal(await freq.inputValue(), '3600');
  assert.match(await page.locator('#edit-version').textContent(), new RegExp('version ' + t1.version + '\\b'));
  await freq.fill('7200');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.locator('#detail-ok').filter({ hasText: 'Saved frequency' }).waitFor();
  const t2 = (await apiGet('/tasks/' + ids.periodic)).json;
  assert.equal(t2.frequency, 7200);
  assert.deepEqual(t2.post_data, { report: 'nightly', changed: 'elsewhere' });
  assert.equal(t2.version, t1.version + 1);
  await page.locator('#detail-schedule').filter({ hasText: 'every 2 h' }).waitFor();
});

test('390 px wide: tasks as cards, nothing wider than the screen', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole('button', { name: /Back to the list/ }).click();
  await row(ids.periodic).waitFor();
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390),
    'page wider than 390 px');
  assert.ok(await row(ids.periodic).getByRole('button', { name: 'Pause task nightly-report' }).isVisible());
  await shot('dashboard-tasks-390px.png');
  // The task page with its edit form and preview fits too.
  await row(ids.periodic).getByRole('button', { name: 'Open task nightly-report' }).click();
  await page.getByRole('button', { name: 'Edit task nightly-report' }).click();
  await page.locator('#edit-form').waitFor();
  await waitFor(async () => (await page.locator('#detail-next li').count()) === 5, 'the preview at 390 px');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390),
    'task page with the edit form wider than 390 px');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: /Back to the list/ }).click();
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('an admin sees all users\' tasks, dispatchers online and the chart', { skip: ADMIN_TOKEN ? false : 'the admin API (/admin/*) is not in this build' }, async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('API token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Operations' }).click();
  const online = page.locator('#dispatchers-body tr', { has: page.locator('.badge-online') });
  await online.first().waitFor();
  // Lease figures and the clock offset (same host as the database: small).
  const cells = online.first().locator('td');
  assert.match(await cells.filter({ hasText: / \/ / }).first().textContent(), /^\d+ \/ \d+$/);
  assert.match(await online.first().locator('td[data-label="Clock offset"]').textContent(), /^(—|[+-]?\d+ ms)$/);
  assert.ok(await page.locator('#chart svg rect.bar-ok').count() >= 1, 'a succeeded bar in the chart');
  assert.match(await page.locator('#chart').textContent(), /due backlog: \d+/);
  await shot('dashboard-operations.png');
  await page.getByRole('button', { name: 'All tasks' }).click();
  await row(ids.periodic).waitFor();
  assert.match(await row(ids.periodic).textContent(), /alice/);
  await shot('dashboard-all-tasks.png');
});

test('an admin pauses, resumes, runs and deletes another user\'s task', { skip: ADMIN_TOKEN ? false : 'the admin API (/admin/*) is not in this build' }, async () => {
  // In All tasks (the test above); admin-target is alice's.
  const id = env('DASH_ADMIN_TARGET');
  assert.ok(id, 'DASH_ADMIN_TARGET missing');
  const r = row(id);
  await r.waitFor();
  assert.match(await r.textContent(), /alice/);
  await r.getByRole('button', { name: 'Pause task admin-target' }).click();
  await waitFor(async () => (await apiGet('/tasks/' + id)).json.status === 'paused', 'API status paused');
  await r.locator('.badge-paused').waitFor();
  await r.getByRole('button', { name: 'Resume task admin-target' }).click();
  await waitFor(async () => (await apiGet('/tasks/' + id)).json.status === 'active', 'API status active');
  await r.locator('.badge-active').waitFor();

  await r.getByRole('button', { name: 'Run task admin-target now' }).click();
  const banner = page.locator('#list-result').filter({ hasText: /^Run queued for task .admin-target. of user alice: run id [0-9a-f]{32}\.$/ });
  await banner.waitFor();
  const runId = (await banner.textContent()).match(/run id ([0-9a-f]{32})/)[1];
  await waitFor(async () => (await apiGet('/tasks/' + id + '/runs')).json.runs.some((x) => x.run_id === runId),
    'the admin\'s run in the owner\'s runs', 15000);

  await r.getByRole('button', { name: 'Delete task admin-target' }).click();
  await page.locator('#confirm').waitFor();
  assert.match(await page.locator('#confirm-text').textContent(), /admin-target.* of user alice .*cannot be undone/);
  await page.locator('#confirm-cancel').click();
  assert.equal((await apiGet('/tasks/' + id)).status, 200);
  await r.getByRole('button', { name: 'Delete task admin-target' }).click();
  await page.locator('#confirm-ok').click();
  await waitFor(async () => (await apiGet('/tasks/' + id)).status === 404, 'API 404 after the admin\'s delete');
  await r.waitFor({ state: 'detached' });
});

test('no errors in the page, nothing fetched from outside', () => {
  assert.deepEqual(pageErrors, []);
});

test('no Content-Security-Policy violation in any view', () => {
  assert.deepEqual(cspViolations, []);
});

// Last: it makes a violation on purpose, so that a policy that is missing,
// or a watch that sees nothing, fails here rather than passing quietly.
test('the policy is enforced: an inline script and a style attribute are refused, and reported', async () => {
  const resp = await page.goto(BASE + '/dashboard/');
  const h = resp.headers();
  assert.equal(h['content-security-policy'], CSP);
  assert.equal(h['x-frame-options'], 'DENY');
  assert.equal(h['x-content-type-options'], 'nosniff');
  assert.equal(h['referrer-policy'], 'no-referrer');
  const before = cspViolations.length;
  const ran = await page.evaluate(async () => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true;';
    document.body.append(s);
    const d = document.createElement('div');
    d.setAttribute('style', 'display: none');
    document.body.append(d);
    await new Promise((r) => setTimeout(r, 300));
    return { script: window.__inlineRan === true, style: getComputedStyle(d).display === 'none' };
  });
  assert.deepEqual(ran, { script: false, style: false });
  await waitFor(async () => cspViolations.length >= before + 2, 'the two violations reported', 3000);
  cspViolations.length = before;
});
