/* scheduler-service dashboard: cron schedules in words (cronWords), for
 * web/app.js, which the page loads after this file.
 */
'use strict';

/* ----- cron schedules in words -----
 *
 * cronWords(expr) turns a cron expression (docs/API.md §9.1) into plain
 * English: "0 9 * * MON-FRI" -> "at 09:00 on Monday to Friday". It is
 * pure (no page, no clock); tests/browser/cron_words.test.mjs unit tests
 * it and checks its words against lib/cron.c's occurrences. It parses
 * exactly as lib/cron.c does (names by their first three letters, N/step
 * runs to the field's end, day of week 7 = Sunday, a day field starting
 * with '*' takes no part in the "either day field" rule) and words the
 * resulting sets, so the words say what the dispatcher does. Anything it cannot phrase
 * well, or cannot parse, comes back as the expression itself: never
 * wrong words.
 */
const cronWords = (function () {
  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
    'August', 'September', 'October', 'November', 'December'];
  const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const SHORTCUTS = {
    '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *',
    '@weekly': '0 0 * * 0', '@daily': '0 0 * * *', '@midnight': '0 0 * * *',
    '@hourly': '0 * * * *',
  };
  // min, max, names (names[i] means min + i; day of week: i)
  const FIELDS = [
    { min: 0, max: 59 }, { min: 0, max: 23 }, { min: 1, max: 31 },
    { min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
    { min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], week: true },
  ];

  /* A number or a name at the start of s: [value, rest], or null. */
  function value(f, s) {
    let m = /^\d+/.exec(s);
    if (m) {
      const v = Number(m[0]);
      return v >= f.min && v <= f.max ? [v, s.slice(m[0].length)] : null;
    }
    m = /^([a-z]{3})(?![a-z])/i.exec(s);
    if (!m || !f.names) return null;
    const i = f.names.indexOf(m[1].toLowerCase());
    return i < 0 ? null : [f.week ? i : f.min + i, s.slice(3)];
  }

  /* One field -> sorted array of values (day of week 7 folded to 0), or null. */
  function field(f, s) {
    const out = new Set();
    for (const part of s.split(',')) {
      let lo, hi, rest, step = 1;
      if (part[0] === '*') {
        lo = f.min; hi = f.week ? 6 : f.max; rest = part.slice(1);
      } else {
        const a = value(f, part);
        if (!a) return null;
        [lo, rest] = a;
        hi = lo;
        if (rest[0] === '-') {
          const b = value(f, rest.slice(1));
          if (!b || b[0] < lo) return null;
          [hi, rest] = b;
        } else if (rest[0] === '/') hi = f.max;
      }
      if (rest[0] === '/') {
        if (!/^\/\d+$/.test(rest)) return null;
        step = Number(rest.slice(1));
        if (step < 1 || step > f.max - f.min + 1) return null;
        rest = '';
      }
      if (rest !== '') return null;
      for (let v = lo; v <= hi; v += step) out.add(f.week ? v % 7 : v);
    }
    return [...out].sort((a, b) => a - b);
  }

  /* {minutes, hours, mdays, months, wdays, mdayStar, wdayStar} or null. */
  function parse(expr) {
    let text = String(expr).trim();
    if (text[0] === '@') {
      text = SHORTCUTS[text.toLowerCase()];
      if (!text) return null;
    }
    const tok = text.split(/\s+/);
    if (tok.length !== 5) return null;
    const sets = tok.map((t, i) => field(FIELDS[i], t));
    if (sets.includes(null)) return null;
    return {
      minutes: sets[0], hours: sets[1], mdays: sets[2], months: sets[3], wdays: sets[4],
      mdayStar: tok[2][0] === '*', wdayStar: tok[4][0] === '*',
    };
  }

  const pad = (n) => String(n).padStart(2, '0');
  const hhmm = (h, m) => pad(h) + ':' + pad(m);

  function list(items) {
    return items.length < 2 ? items.join('') : items.slice(0, -1).join(', ') + ' and ' + items[items.length - 1];
  }

  /* Runs of consecutive values: [[1,5],[7,7]]. */
  function runs(values) {
    const out = [];
    for (const v of values) {
      const last = out[out.length - 1];
      if (last && v === last[1] + 1) last[1] = v; else out.push([v, v]);
    }
    return out;
  }

  /* "Monday to Friday and Sunday": runs of 3 or more become "a to b". */
  function runWords(values, name) {
    const parts = [];
    for (const [a, b] of runs(values)) {
      if (b - a >= 2) parts.push(name(a) + ' to ' + name(b));
      else for (let v = a; v <= b; v++) parts.push(name(v));
    }
    return parts;
  }

  /* [0, n, 2n, ...] covering the whole field (size values), or 0. */
  function everyStep(values, size) {
    if (values.length < 2 || values[0] !== 0) return 0;
    const n = values[1];
    if (size % n !== 0 || values.length !== size / n) return 0;
    return values.every((v, i) => v === i * n) ? n : 0;
  }

  /* The times of day: {text, at} (at: specific times, which want "every
   * day" when no day is named), or null. */
  function timeWords(M, H) {
    const allH = H.length === 24, allM = M.length === 60;
    const step = everyStep(M, 60);
    const hr = runs(H);
    const hourRange = hr.length === 1 && H.length >= 3 && !allH;
    if (allH && allM) return { text: 'every minute' };
    if (allH && step) return { text: 'every ' + step + ' minutes' };
    if (allH && M.length === 1) return { text: 'every hour at minute ' + M[0] };
    if (allH && M.length <= 12) return { text: 'every hour at minutes ' + list(M.map(String)) };
    if (hr.length === 1 && !allH && allM) return { text: 'every minute from ' + hhmm(H[0], 0) + ' to ' + hhmm(H[H.length - 1], 59) };
    if (hr.length === 1 && !allH && step) return { text: 'every ' + step + ' minutes from ' + hhmm(H[0], 0) + ' to ' + hhmm(H[H.length - 1], 60 - step) };
    if (hourRange && M.length === 1) return { text: 'every hour from ' + hhmm(H[0], M[0]) + ' to ' + hhmm(H[H.length - 1], M[0]) };
    if (M.length * H.length <= 6) {
      const times = [];
      for (const h of H) for (const m of M) times.push(hhmm(h, m));
      return { text: 'at ' + list(times), at: true };
    }
    const hstep = H.length > 1 && H[0] < H[1] - H[0] ? everyStep(H.map((h) => h - H[0]), 24) : 0;
    if (hstep && M.length === 1 && H.length * hstep === 24) return { text: 'every ' + hstep + ' hours from ' + hhmm(H[0], M[0]) };
    return null;
  }

  /* "day 1 of the month", "days 1 to 7 and 15 of the month", or null. */
  function mdayWords(D) {
    if (runs(D).length > 4) return null;
    const parts = runWords(D, String);
    return (D.length === 1 ? 'day ' : 'days ') + list(parts) + ' of the month';
  }

  function wdayWords(W) {
    // Monday first, so Saturday and Sunday are a run.
    const monFirst = W.map((d) => (d + 6) % 7).sort((a, b) => a - b);
    return list(runWords(monFirst, (i) => DAYS[(i + 1) % 7]));
  }

  function monthWords(Mo) {
    if (runs(Mo).length > 6) return null;
    return list(runWords(Mo, (m) => MONTHS[m - 1]));
  }

  function cronWords(expr) {
    const raw = String(expr);
    const e = parse(raw);
    if (!e) return raw;
    const time = timeWords(e.minutes, e.hours);
    if (!time) return raw;
    const allD = e.mdays.length === 31, allW = e.wdays.length === 7;
    const allMo = e.months.length === 12;
    const months = allMo ? '' : monthWords(e.months);
    if (months === null) return raw;
    let days;    // '' = every day
    if (e.mdayStar || e.wdayStar) {
      // Both must match: one of them is all days, or words fail.
      if (allD && allW) days = '';
      else if (allD) days = 'on ' + wdayWords(e.wdays);
      else if (allW) {
        const d = mdayWords(e.mdays);
        if (d === null) return raw;
        if (e.mdays.length === 1 && e.months.length === 1) return time.text + ' on ' + e.mdays[0] + ' ' + months;
        days = 'on ' + d;
      } else return raw;
    } else if (allD || allW) {
      days = '';    // either may match, and one matches every day
    } else {
      const d = mdayWords(e.mdays);
      if (d === null) return raw;
      days = 'on ' + d + ' or on ' + wdayWords(e.wdays) + (months ? ',' : '');
    }
    let s = time.text;
    if (days) s += ' ' + days;
    else if (time.at) s += ' every day';
    if (months) s += ' in ' + months;
    return s;
  }

  return cronWords;
}());

// The unit tests load this file under node.
if (typeof module === 'object' && module && module.exports) module.exports = { cronWords };
