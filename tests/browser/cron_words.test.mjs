// Unit tests of cronWords (web/cron_words.js): cron expressions in plain
// English, and the raw expression back whenever the words would be
// unsure; then 4,000 random expressions whose words are read back and
// compared with an independent parser. No browser: cron_words.js is run
// in a bare V8 context. Run: node --test cron_words.test.mjs (the pytest
// wrapper, tests/integration/test_dashboard_in_browser.py, runs it and
// writes node's JUnit XML into $SCHED_RESULTS_DIR for tools/test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import vm from 'node:vm';
import { spawnSync } from 'node:child_process';

const file = new URL('../../web/cron_words.js', import.meta.url);
const sandbox = { module: { exports: {} } };
vm.runInNewContext(fs.readFileSync(file, 'utf8'), sandbox, { filename: file.pathname });
const { cronWords } = sandbox.module.exports;

// Names for the reports: the expression in single quotes (node's JUnit
// reporter escapes double quotes twice).
const quote = (s) => "'" + s + "'";

const words = (cases) => {
  for (const [expr, want] of cases) {
    test(quote(expr) + ' -> ' + want, () => assert.equal(cronWords(expr), want));
  }
};

// The examples of the dashboard's brief (issue 5).
words([
  ['0 9 * * MON-FRI', 'at 09:00 on Monday to Friday'],
  ['*/15 * * * *', 'every 15 minutes'],
  ['0 9 1 * *', 'at 09:00 on day 1 of the month'],
  ['@monthly', 'at 00:00 on day 1 of the month'],
  ['0 0 29 2 *', 'at 00:00 on 29 February'],
  ['30 2 * * *', 'at 02:30 every day'],
  ['0 12 13 * FRI', 'at 12:00 on day 13 of the month or on Friday'],
]);

// The other shortcuts, any case, blanks around.
words([
  ['@hourly', 'every hour at minute 0'],
  ['@daily', 'at 00:00 every day'],
  ['@midnight', 'at 00:00 every day'],
  ['@weekly', 'at 00:00 on Sunday'],
  ['@yearly', 'at 00:00 on 1 January'],
  ['@annually', 'at 00:00 on 1 January'],
  ['  @DAILY ', 'at 00:00 every day'],
]);

// Times of day.
words([
  ['* * * * *', 'every minute'],
  ['*/1 * * * *', 'every minute'],
  ['0,30 * * * *', 'every 30 minutes'],
  ['*/20 * * * *', 'every 20 minutes'],
  ['15 * * * *', 'every hour at minute 15'],
  ['15,45 * * * *', 'every hour at minutes 15 and 45'],
  ['0,20,50 * * * *', 'every hour at minutes 0, 20 and 50'],     // three values, but no step
  // 7 does not divide 60: the gap before each hour is 4 minutes, so no "every 7 minutes".
  ['*/7 * * * *', 'every hour at minutes 0, 7, 14, 21, 28, 35, 42, 49 and 56'],
  ['* 9 * * *', 'every minute from 09:00 to 09:59'],
  ['*/15 9-17 * * MON-FRI', 'every 15 minutes from 09:00 to 17:45 on Monday to Friday'],
  ['0 9-17 * * *', 'every hour from 09:00 to 17:00'],
  ['0 9,17 * * *', 'at 09:00 and 17:00 every day'],
  ['30 8-9 * * *', 'at 08:30 and 09:30 every day'],
  ['0 */6 * * *', 'at 00:00, 06:00, 12:00 and 18:00 every day'],
  ['0 */2 * * *', 'every 2 hours from 00:00'],
  ['30 1/3 * * *', 'every 3 hours from 01:30'],
  ['5 0 * * *', 'at 00:05 every day'],
  ['59 23 31 12 *', 'at 23:59 on 31 December'],
]);

// Days, months, and the "either day field" rule (lib/cron.c, as Vixie cron).
words([
  ['0 9 * * 1-5', 'at 09:00 on Monday to Friday'],
  ['0 9 * * mon-fri', 'at 09:00 on Monday to Friday'],
  ['0 9 * * 0', 'at 09:00 on Sunday'],
  ['0 9 * * 7', 'at 09:00 on Sunday'],
  ['0 9 * * SUN,7', 'at 09:00 on Sunday'],
  ['0 10 * * SAT,SUN', 'at 10:00 on Saturday and Sunday'],
  ['0 10 * * 5-7', 'at 10:00 on Friday to Sunday'],
  ['0 10 * * MON,WED,FRI', 'at 10:00 on Monday, Wednesday and Friday'],
  ['0 10 * * 1-3,5', 'at 10:00 on Monday to Wednesday and Friday'],
  // N/step runs to the field's end: 1,3,5,7 and 7 is Sunday.
  ['0 10 * * 1/2', 'at 10:00 on Monday, Wednesday, Friday and Sunday'],
  ['0 10 * * */2', 'at 10:00 on Tuesday, Thursday, Saturday and Sunday'],
  ['0 0 1,15 * *', 'at 00:00 on days 1 and 15 of the month'],
  ['0 0 1-7 * *', 'at 00:00 on days 1 to 7 of the month'],
  ['0 0 1-7,15,28-31 * *', 'at 00:00 on days 1 to 7, 15 and 28 to 31 of the month'],
  ['0 0 1 1,7 *', 'at 00:00 on day 1 of the month in January and July'],
  ['0 0 1 */3 *', 'at 00:00 on day 1 of the month in January, April, July and October'],
  ['0 9 * 12 *', 'at 09:00 every day in December'],
  ['0 0 1 */2 *', 'at 00:00 on day 1 of the month in January, March, May, July, September and November'],
  ['0 9 * MAR-OCT MON-FRI', 'at 09:00 on Monday to Friday in March to October'],
  ['*/15 * * 6-8 *', 'every 15 minutes in June to August'],
  ['0 12 13 3 FRI', 'at 12:00 on day 13 of the month or on Friday, in March'],
  ['0 0 1,15 * 1', 'at 00:00 on days 1 and 15 of the month or on Monday'],
  // Either may match, and 1-31 (or 0-6) matches every day.
  ['0 9 1-31 * MON', 'at 09:00 every day'],
  ['0 9 13 * 0-6', 'at 09:00 every day'],
  ['0 9 13 * 0-7', 'at 09:00 every day'],
  // A day field starting with '*' takes no part in the rule: both must match.
  ['0 9 */1 * MON', 'at 09:00 on Monday'],
  ['0 9 13 * */1', 'at 09:00 on day 13 of the month'],
]);

// Fallbacks: the expression itself, never wrong words.
const fallbacks = [
  '', '   ', 'hello', '@reboot', '@every 5m', '* * * *', '* * * * * *',
  '61 * * * *', '* 24 * * *', '* * 0 * *', '* * 32 * *', '* * * 13 *', '* * * * 8',
  '5-1 * * * *', '*/0 * * * *', '*/61 * * * *', '1,,2 * * * *', '1, * * * *',
  '*-5 * * * *', 'MON * * * *', '* * * * MONDAY', '* * * JANUARY *', '0 0 1 * L',
  '0 0 L * *', '0 0 15W * *', '0 0 * * 5#3', '0 0 ? * *', '1.5 * * * *',
  // Valid, but not phrased: the words would be long or unsure.
  '0 0 */2 * *',                       // odd days: "every 2 days" would be wrong at month ends
  '0 9 */2 * MON',                     // both restricted, one starting with '*': both must match
  '0 0 1,3,5,7,9 * *',                 // too many separate days
  '15,45 9-17 * * *',                  // 18 times
  '0,1,2,3,4,5,6,7,8,9,10,11,12 * * * *', // 13 minutes of every hour
  '0 1,2,3,5,7,11,13 * * *',           // 7 times
];
for (const expr of fallbacks) {
  test('falls back to the expression: ' + quote(expr), () => assert.equal(cronWords(expr), expr));
}

test('anything that is not a string comes back as its text', () => {
  assert.equal(cronWords(undefined), 'undefined');
  assert.equal(cronWords(null), 'null');
  assert.equal(cronWords(5), '5');
});

test('pure: the same answer every time; cron_words.js defines nothing else', () => {
  for (let i = 0; i < 3; i++) assert.equal(cronWords('0 9 * * MON-FRI'), 'at 09:00 on Monday to Friday');
  assert.deepEqual(Object.keys(sandbox), ['module']);
  assert.deepEqual(Object.keys(sandbox.module.exports), ['cronWords']);
});

// ----- never wrong words: random expressions, the words read back -----
//
// An independent reference (a port of tests/unit/cron_reference.py's
// parser, the one lib/cron.c is checked against) says which minutes of
// the day and which (month, day, weekday) combinations an expression
// matches; a reader of cronWords' own phrases says the same for the
// words. Whenever cronWords gives words, the two must agree exactly.

const REF_MONTHS = 'jan feb mar apr may jun jul aug sep oct nov dec'.split(' ');
const REF_DAYS = 'sun mon tue wed thu fri sat'.split(' ');
const REF_SHORTCUTS = { '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0', '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *' };

function refField(text, lo, hi, names) {
  const val = (t) => (/^\d+$/.test(t) ? Number(t) : names.indexOf(t.toLowerCase()) + (names === REF_MONTHS ? lo : 0));
  const out = new Set();
  for (let item of text.split(',')) {
    let step = 1;
    const stepGiven = item.includes('/');
    if (stepGiven) { const [a, s] = item.split('/'); item = a; step = Number(s); }
    let a, b;
    if (item === '*') [a, b] = [lo, hi];
    else if (item.includes('-')) [a, b] = item.split('-').map(val);
    else { a = val(item); b = stepGiven ? hi : a; }
    for (let v = a; v <= b; v += step) out.add(v);
  }
  return out;
}

function refParse(expr) {
  const f = (REF_SHORTCUTS[expr.trim().toLowerCase()] || expr).trim().split(/\s+/);
  const dow = new Set([...refField(f[4], 0, f[4].startsWith('*') ? 6 : 7, REF_DAYS)].map((d) => d % 7));
  const [min, hour, dom, mon] = [refField(f[0], 0, 59), refField(f[1], 0, 23), refField(f[2], 1, 31), refField(f[3], 1, 12, REF_MONTHS)];
  const and = f[2].startsWith('*') || f[4].startsWith('*');
  return {
    time: (h, m) => hour.has(h) && min.has(m),
    day: (mo, d, w) => mon.has(mo) && (and ? dom.has(d) && dow.has(w) : dom.has(d) || dow.has(w)),
  };
}

const NAMES_M = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const NAMES_D = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/* "Monday to Wednesday and Friday" -> Set of values, by name(v) for v in [lo, hi]. */
function readList(text, lo, hi, name) {
  const out = new Set();
  const find = (t) => { for (let v = lo; v <= hi; v++) if (name(v) === t) return v; throw new Error('unknown item ' + t); };
  for (const item of text.split(/, | and /)) {
    const [a, b] = item.split(' to ');
    if (b === undefined) { out.add(find(a)); continue; }
    const x = find(a), y = find(b);
    assert.ok(x < y, 'a run goes up: ' + item);
    for (let v = x; v <= y; v++) out.add(v);
  }
  return out;
}

const mins = (t) => { const [h, m] = t.split(':').map(Number); return h * 60 + m; };

function readTime(t) {
  let m;
  if (t === 'every minute') return () => true;
  if ((m = /^every (\d+) minutes$/.exec(t))) return (h, mi) => mi % Number(m[1]) === 0;
  if ((m = /^every hour at minutes? ([\d, and]+)$/.exec(t))) { const s = readList(m[1], 0, 59, String); return (h, mi) => s.has(mi); }
  if ((m = /^every minute from (\d\d:\d\d) to (\d\d:\d\d)$/.exec(t))) return (h, mi) => h * 60 + mi >= mins(m[1]) && h * 60 + mi <= mins(m[2]);
  if ((m = /^every (\d+) minutes from (\d\d:\d\d) to (\d\d:\d\d)$/.exec(t))) {
    const n = Number(m[1]);
    return (h, mi) => mi % n === mins(m[2]) % 60 % n && h * 60 + mi >= mins(m[2]) && h * 60 + mi <= mins(m[3]);
  }
  if ((m = /^every hour from (\d\d:\d\d) to (\d\d:\d\d)$/.exec(t))) return (h, mi) => mi === mins(m[1]) % 60 && h * 60 + mi >= mins(m[1]) && h * 60 + mi <= mins(m[2]);
  if ((m = /^every (\d+) hours from (\d\d):(\d\d)$/.exec(t))) {
    const k = Number(m[1]), h0 = Number(m[2]), m0 = Number(m[3]);
    return (h, mi) => mi === m0 && h >= h0 && (h - h0) % k === 0;
  }
  if ((m = /^at ([\d:, and]+)$/.exec(t))) { const s = new Set(m[1].split(/, | and /).map(mins)); return (h, mi) => s.has(h * 60 + mi); }
  throw new Error('unknown time words: ' + t);
}

function readDays(t) {
  let m;
  if ((m = /^(\d+) (\w+)$/.exec(t))) { const d = Number(m[1]), mo = NAMES_M.indexOf(m[2]) + 1; assert.ok(mo > 0); return (x, y) => x === mo && y === d; }
  const dayList = (s) => readList(s, 1, 31, String);
  const wdays = (s) => readList(s, 0, 6, (i) => NAMES_D[(i + 1) % 7]);   // Monday first
  const asDow = (s) => new Set([...s].map((i) => (i + 1) % 7));
  if ((m = /^days? (.+) of the month or on (.+?),?$/.exec(t))) {
    const d = dayList(m[1]), w = asDow(wdays(m[2]));
    return (mo, x, y) => d.has(x) || w.has(y);
  }
  if ((m = /^days? (.+) of the month$/.exec(t))) { const d = dayList(m[1]); return (mo, x) => d.has(x); }
  const w = asDow(wdays(t));
  return (mo, x, y) => w.has(y);
}

/* The words as {time(h, m), day(month, dom, dow)}. */
function readWords(s) {
  let months = null;
  const i = s.lastIndexOf(' in ');
  if (i >= 0) { months = readList(s.slice(i + 4), 1, 12, (v) => NAMES_M[v - 1]); s = s.slice(0, i).replace(/,$/, ''); }
  s = s.replace(/ every day$/, '');
  const on = s.indexOf(' on ');
  const time = readTime(on >= 0 ? s.slice(0, on) : s);
  const days = on >= 0 ? readDays(s.slice(on + 4)) : () => true;
  return { time, day: (mo, d, w) => (!months || months.has(mo)) && days(mo, d, w) };
}

/* Seeded, so a failure can be replayed. */
function rng(seed) {
  return () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
}

function randomExpr(r) {
  const pick = (a) => a[Math.floor(r() * a.length)];
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const some = (lo, hi, n) => [...new Set(Array.from({ length: n }, () => int(lo, hi)))].join(',');
  const range = (lo, hi) => { const a = int(lo, hi), b = int(a, hi); return a + '-' + b; };
  if (r() < 0.05) return pick(Object.keys(REF_SHORTCUTS));
  const minute = pick(['*', '0', String(int(0, 59)), some(0, 59, 2), some(0, 59, 4), '*/' + pick([1, 2, 5, 7, 10, 15, 20, 30, 45]), range(0, 59), '0,30', int(0, 5) + '/' + int(5, 20)]);
  const hour = pick(['*', String(int(0, 23)), String(int(0, 23)), some(0, 23, 2), some(0, 23, 3), range(0, 23), '*/' + pick([1, 2, 3, 5, 6, 7, 8, 12]), int(0, 3) + '/' + pick([2, 3, 4, 6]), range(0, 23) + '/' + int(1, 4)]);
  const dom = pick(['*', '*', String(int(1, 31)), some(1, 31, 2), some(1, 31, 5), range(1, 31), '*/' + int(1, 10), range(1, 31) + ',' + int(1, 31), '1-31']);
  const mon = pick(['*', '*', String(int(1, 12)), pick(REF_MONTHS).toUpperCase(), some(1, 12, 3), range(1, 12), 'MAR-OCT', '*/' + int(1, 6), int(1, 12) + '/' + int(1, 5)]);
  const dow = pick(['*', '*', String(int(0, 7)), pick(REF_DAYS), 'MON-FRI', 'sat,sun', some(0, 7, 3), range(0, 7), '*/' + int(1, 4), int(0, 7) + '/' + int(1, 3), '0-6', '0-7']);
  return [minute, hour, dom, mon, dow].join(' ');
}

test('4,000 random expressions: whenever there are words, they mean exactly the expression', () => {
  const r = rng(20261127);
  let worded = 0;
  for (let n = 0; n < 4000; n++) {
    const expr = randomExpr(r);
    const words = cronWords(expr);
    if (words === expr) continue;
    worded++;
    const ref = refParse(expr);
    let read;
    try { read = readWords(words); } catch (e) { assert.fail(expr + ' -> "' + words + '": ' + e.message); }
    for (let h = 0; h < 24; h++) {
      for (let m = 0; m < 60; m++) {
        if (ref.time(h, m) !== read.time(h, m)) assert.fail(expr + ' -> "' + words + '": differs at ' + h + ':' + m);
      }
    }
    for (let mo = 1; mo <= 12; mo++) {
      for (let d = 1; d <= 31; d++) {
        for (let w = 0; w < 7; w++) {
          if (ref.day(mo, d, w) !== read.day(mo, d, w)) assert.fail(expr + ' -> "' + words + '": differs on month ' + mo + ' day ' + d + ' weekday ' + w);
        }
      }
    }
  }
  assert.ok(worded > 1500, 'only ' + worded + ' of 4000 had words');
});

// ----- the words against lib/cron.c itself -----
//
// With CRON_NEXT_CLI set (the pytest wrapper passes the build's
// tests/unit/cron_next_cli, lib/cron's own driver): random and broken
// expressions go to the C code; an expression it refuses must come back
// from cronWords as itself, and for one it takes, the next 12
// occurrences after 2026-01-01 (in UTC, where wall time is the instant)
// must be the minutes the words name.

const CLI = process.env.CRON_NEXT_CLI || '';

function cNext(exprs, after) {
  const input = exprs.map((e, i) => e + '\tUTC\t' + after[i] + '\n').join('');
  const out = spawnSync(CLI, [], { input, encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(out.status, 0, out.stderr);
  const lines = out.stdout.split('\n');
  assert.equal(lines.length, exprs.length + 1);
  return lines.slice(0, -1);
}

/* The first minute strictly after t (UTC seconds) that the words name, or -1 within 8 years. */
function wordsNext(read, t) {
  let start = Math.floor(t / 60) * 60 + 60;
  const horizon = start + (8 * 366 + 2) * 86400;
  for (let day = Math.floor(start / 86400) * 86400; day < horizon; day += 86400) {
    const d = new Date(day * 1000);
    if (!read.day(d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCDay())) continue;
    for (let s = Math.max(day, start); s < day + 86400; s += 60) {
      if (read.time(Math.floor((s - day) / 3600), Math.floor((s - day) % 3600 / 60))) return s;
    }
  }
  return -1;
}

test('the words against lib/cron.c: refused expressions are never worded; occurrences are the named minutes',
  { skip: CLI && fs.existsSync(CLI) ? false : 'CRON_NEXT_CLI (tests/unit/cron_next_cli, built by make check) not given' }, () => {
    const r = rng(5);
    const junk = ['60', '24', '0', '32', '13', '8', '7', 'MONDAY', 'JANUARY', '*/0', '*/61', '5-1', '1,,2', '1,', 'L', '?', '5#3', '1.5', '*-5', 'x', '@daily'];
    const exprs = [];
    for (let n = 0; n < 3000; n++) {
      const e = randomExpr(r);
      if (e[0] === '@' || r() > 0.15) { exprs.push(e); continue; }
      const f = e.split(' ');
      f[Math.floor(r() * 5)] = junk[Math.floor(r() * junk.length)];
      exprs.push(f.join(' '));
    }
    exprs.push(...fallbacks.filter((e) => e.trim() !== ''), '@MONTHLY', '0 12 13 * FRI', '0 0 29 2 *');
    let t = exprs.map(() => 1767225600);     // 2026-01-01T00:00:00Z
    const reads = exprs.map((e) => { const w = cronWords(e); return w === e ? null : readWords(w); });
    let refused = 0, checked = 0;
    for (let round = 0; round < 12; round++) {
      const answers = cNext(exprs, t);
      answers.forEach((a, i) => {
        if (a.startsWith('error: ')) {
          if (round === 0) refused++;
          assert.equal(cronWords(exprs[i]), exprs[i], 'refused by lib/cron (' + a + ') but worded');
          return;
        }
        if (reads[i] === null || t[i] === -1) return;
        const want = wordsNext(reads[i], t[i]);
        assert.equal(Number(a), want, exprs[i] + ' -> "' + cronWords(exprs[i]) + '" after ' + t[i]);
        checked++;
        t[i] = Number(a);
      });
    }
    assert.ok(refused > 200 && checked > 10000, refused + ' refused, ' + checked + ' occurrences checked');
  });
