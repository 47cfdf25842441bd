#!/usr/bin/python3
"""Independent reference for lib/cron.c's cron_next (stdlib only).

A brute-force scan, minute by minute in local wall-clock time with
zoneinfo, from the local minute of `after` onwards; days whose date cannot
match and hours not in the hour field are jumped over whole. A local time
that does not exist (DST gap) fires at the instant of the first existing
local minute after it (the jump); a local time that exists twice fires at
its first instance (fold=0). Stops after the same horizon as the C code
(local day of `after` + 146097 days, the Gregorian cycle) and at the end
of year 9999, the last time the service stores.

  cron_reference.py --driver PATH [--cases N] [--seed S]
feeds N random (expression, zone, instant) triples to the C driver
(tests/unit/cron_next_cli) and exits 1 on any mismatch.
"""
import argparse
import datetime as dt
import random
import subprocess
import sys
from zoneinfo import ZoneInfo

HORIZON_DAYS = 146097
LAST_INSTANT = 253402300799     # 9999-12-31T23:59:59Z
MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
DAYS = "sun mon tue wed thu fri sat".split()
SHORTCUTS = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *",
             "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
             "@daily": "0 0 * * *", "@hourly": "0 * * * *"}
UTC = dt.timezone.utc


def value(tok, lo, names):
    if tok.isdigit():
        return int(tok)
    return names.index(tok.lower()) + (lo if names is MONTHS else 0)


def field(text, lo, hi, names=()):
    out = set()
    for item in text.split(","):
        step, step_given = 1, "/" in item
        if step_given:
            item, s = item.split("/")
            step = int(s)
        if item == "*":
            a, b = lo, hi
        elif "-" in item:
            a, b = (value(x, lo, names) for x in item.split("-"))
        else:
            a = value(item, lo, names)
            b = hi if step_given else a
        out.update(range(a, b + 1, step))
    return out


def parse(expr):
    expr = SHORTCUTS.get(expr.strip().lower(), expr)
    f = expr.split()
    dow = {d % 7 for d in field(f[4], 0, 7, DAYS)}
    if f[4].startswith("*"):
        dow = {d % 7 for d in field(f[4], 0, 6, DAYS)}
    return (field(f[0], 0, 59), field(f[1], 0, 23), field(f[2], 1, 31),
            field(f[3], 1, 12, MONTHS), dow,
            f[2].startswith("*") or f[4].startswith("*"))


def day_ok(p, d):
    if d.month not in p[3]:
        return False
    dom = d.day in p[2]
    dow = (d.isoweekday() % 7) in p[4]
    return (dom and dow) if p[5] else (dom or dow)


def exists(naive, z):
    u = naive.replace(tzinfo=z, fold=0)
    return u.astimezone(UTC).astimezone(z).replace(tzinfo=None) == naive


def instant(naive, z):
    """First instance of a local minute; the jump instant when skipped."""
    m = naive
    while not exists(m, z):
        m += dt.timedelta(minutes=1)
    return int(m.replace(tzinfo=z, fold=0).timestamp())


def reference_next(expr, zone, after):
    p = parse(expr)
    z = ZoneInfo(zone)
    local = dt.datetime.fromtimestamp(after, z).replace(tzinfo=None)
    t = local.replace(second=0, microsecond=0)
    last = dt.date(9999, 12, 31)
    if (last - t.date()).days > HORIZON_DAYS:
        last = t.date() + dt.timedelta(days=HORIZON_DAYS)
    while t.date() <= last:
        if not day_ok(p, t.date()):
            if t.date() == last:
                break
            t = dt.datetime.combine(t.date() + dt.timedelta(days=1),
                                    dt.time())
            continue
        if t.hour not in p[1]:
            t = t.replace(minute=0) + dt.timedelta(hours=1)
            continue
        if t.minute in p[0]:
            u = instant(t, z)
            if u > LAST_INSTANT:
                return -1
            if u > after:
                return u
        t += dt.timedelta(minutes=1)
    return -1


ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe",
         "Asia/Kolkata", "Australia/Sydney", "America/Santiago",
         "Pacific/Chatham", "Asia/Kathmandu", "America/St_Johns",
         "Europe/London", "Asia/Tehran", "America/Sao_Paulo", "Africa/Cairo",
         "Pacific/Auckland", "Europe/Dublin", "America/Havana"]


def rand_field(r, lo, hi, names=None):
    kind = r.random()
    def v():
        x = r.randint(lo, hi)
        if names and r.random() < 0.3:
            return names[x - (1 if names is MONTHS else 0)].upper() \
                if x - (1 if names is MONTHS else 0) < len(names) else str(x)
        return str(x)
    if kind < 0.35:
        return "*"
    if kind < 0.55:
        return v()
    if kind < 0.7:
        return ",".join(sorted({v() for _ in range(r.randint(2, 4))}))
    if kind < 0.8:
        a, b = sorted(r.sample(range(lo, hi + 1), 2))
        return f"{a}-{b}"
    if kind < 0.92:
        return f"*/{r.randint(1, max(1, (hi - lo) // 2))}"
    a, b = sorted(r.sample(range(lo, hi + 1), 2))
    return f"{a}-{b}/{r.randint(1, max(1, b - a))}"


def rand_expr(r):
    if r.random() < 0.05:
        return r.choice(list(SHORTCUTS))
    fields = [rand_field(r, 0, 59), rand_field(r, 0, 23),
              rand_field(r, 1, 31), rand_field(r, 1, 12, MONTHS),
              rand_field(r, 0, 7, DAYS)]
    # Mostly around the DST hours, so the transitions get exercised.
    if r.random() < 0.4:
        fields[1] = r.choice(["1", "2", "3", "0-3", "1,2", "2-3/1"])
    return " ".join(fields)


def rand_instant(r, z):
    base = r.randint(int(dt.datetime(2021, 1, 1, tzinfo=UTC).timestamp()),
                     int(dt.datetime(2034, 1, 1, tzinfo=UTC).timestamp()))
    if r.random() < 0.5:
        # Near a transition of z: find one within the next year.
        t = base
        off = dt.datetime.fromtimestamp(t, z).utcoffset()
        for _ in range(400):
            t2 = t + 86400
            if dt.datetime.fromtimestamp(t2, z).utcoffset() != off:
                lo, hi = t, t2
                while hi - lo > 1:
                    mid = (lo + hi) // 2
                    if dt.datetime.fromtimestamp(mid, z).utcoffset() == off:
                        lo = mid
                    else:
                        hi = mid
                return hi + r.randint(-3 * 3600, 3 * 3600)
            t = t2
    return base


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--driver", required=True)
    ap.add_argument("--cases", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=20261127)
    a = ap.parse_args()
    r = random.Random(a.seed)
    cases = []
    for _ in range(a.cases):
        zone = r.choice(ZONES)
        cases.append((rand_expr(r), zone, rand_instant(r, ZoneInfo(zone))))
    inp = "".join(f"{e}\t{z}\t{t}\n" for e, z, t in cases)
    out = subprocess.run([a.driver], input=inp, capture_output=True,
                         text=True, check=True).stdout.splitlines()
    bad = 0
    for (e, z, t), got in zip(cases, out, strict=True):
        want = reference_next(e, z, t)
        if got != str(want):
            bad += 1
            if bad <= 20:
                print(f"MISMATCH {e!r} {z} after={t}: C={got} ref={want}")
    print(f"{len(cases)} cases, {bad} mismatches")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
