"""Upgrading keeps data: `schedulerctl migrate` run on a database at an
older schema version that already holds users, tokens, tasks of every type
and state, runs, pending retries and dispatchers applies the newer
migrations, loses no row and changes no stored value; the upgraded database
has the structure of one migrated from scratch; and afterwards the API
serves, and a dispatcher fires, what was stored before the upgrade.

The older database is made by migrating with a schema directory holding
only the older files (every older version of schema/ is tried). Users and
tokens are written by schedulerctl, the rest by SQL in the shapes the API
and the dispatcher store, relative to the current time.
"""
import datetime
import json
import os
import random
import re
import shutil
import time

import pymysql
import pytest

from dispatch_receiver import Receiver, verify_signature
from stack import SRCDIR, run_ctl

SCHEMA_DIR = os.path.join(SRCDIR, "schema")
# (version, file name) of every migration, oldest first.
MIGRATIONS = sorted((int(f.split("_")[0]), f) for f in os.listdir(SCHEMA_DIR)
                    if re.fullmatch(r"\d+_.*\.sql", f))
# Each version but the newest is an older schema to upgrade from.
OLDER = [v for v, _ in MIGRATIONS[:-1]]
# The migration that adds users.task_count and post_data_bytes, counted
# from the tasks already stored.
QUOTA_VERSION = 3
# 005 (schema/005_disabled_owner_waits.sql) copies users.disabled into
# tasks.owner_disabled; a database filled at 005 or later by SQL has no
# such copy to check.
DISABLED_OWNER_VERSION = 5

UTC = datetime.timezone.utc
TASK_COLUMNS = [
    "seq", "id", "owner_id", "task_type", "name", "url", "request_method",
    "headers", "post_data", "frequency", "start_at", "end_at", "run_at",
    "cron_expr", "timezone", "status", "next_run_at", "created_at",
    "last_run_at", "last_run_outcome", "run_count",
]
RUN_COLUMNS = [
    "task_seq", "owner_id", "run_id", "scheduled_for", "attempt",
    "started_at", "finished_at", "outcome", "http_status", "error",
    "duration_ms", "dispatcher",
]
DELIVERY_COLUMNS = [
    "task_seq", "owner_id", "run_id", "scheduled_for", "attempt", "due_at",
    "held", "claimed_by", "first_started_at",
]
CRONS = [("0 9 1 * *", "America/New_York"), ("30 2 * * *", "Europe/Berlin"),
         ("@monthly", "Asia/Kolkata"), ("*/15 * * * *", "Australia/Lord_Howe"),
         ("0 0 29 2 *", "UTC"), ("0 9 * * MON-FRI", "Asia/Tokyo")]
METHODS = ["POST", "PUT", "PATCH", "GET", "DELETE"]
TEXTS = ["こんにちは、世界 🌏", "春季促销 🌸 八折", "Grüße aus Köln — 9,99 €",
         "🎉🎂🥳", "안녕하세요 👋", "مرحبا 🌙", "family 👩‍👩‍👧‍👦 flags 🇯🇵🇧🇷",
         "plain ascii, \"quoted\" and back\\slash"]
DISPATCHER = "host1.example.net:4242:1764200000"


# ----- an older database and what it holds -----

def schema_dir_upto(tmp_path, version):
    """A directory holding copies of the migrations up to version."""
    path = tmp_path / f"schema-{version:03d}"
    path.mkdir()
    for v, name in MIGRATIONS:
        if v <= version:
            shutil.copy(os.path.join(SCHEMA_DIR, name), path / name)
    return str(path)


def connect(stack, db):
    return pymysql.connect(unix_socket=stack.db_socket, user="root",
                           database=db, charset="utf8mb4", autocommit=True,
                           connect_timeout=5)


def query(conn, sql, params=()):
    with conn.cursor() as cur:
        cur.execute(sql, params or None)
        return list(cur.fetchall())


def insert(conn, table, columns, rows):
    """Inserts dicts (executemany: multi-row INSERTs)."""
    sql = (f"INSERT INTO `{table}` ({', '.join(columns)}) VALUES "
           f"({', '.join(['%s'] * len(columns))})")
    with conn.cursor() as cur:
        cur.executemany(sql, [[r[c] for c in columns] for r in rows])


def to_json(value):
    """JSON text as the API stores it: compact, UTF-8 unescaped."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def whole(dt):
    return dt.replace(microsecond=0)


def millis(dt):
    return dt.replace(microsecond=dt.microsecond // 1000 * 1000)


class Data:
    """What fill() stored: tokens by label, user ids by name, and the rows
    of tasks, task_runs and deliveries as dicts."""

    def __init__(self):
        self.tokens, self.users = {}, {}
        self.tasks, self.runs, self.deliveries = [], [], []


def fill(conn, ctl, n_tasks, now):
    """Stores a realistic service's worth of data at the 001 columns: five
    users (an admin, a disabled one, one without tasks), tokens (one
    revoked, one with a TTL), n_tasks tasks of each type and status with
    names, methods, headers and utf8mb4 bodies, their runs, three
    deliveries (a pending retry, one held by a pause, one claimed) and two
    dispatchers. ctl(*args) runs schedulerctl on the database."""
    data = Data()
    rng = random.Random(5)
    for name, admin in (("alice", False), ("ops", True), ("bob", False),
                        ("carol", False), ("dave", False)):
        ctl("user", "add", *(["--admin"] if admin else []), name)
    for label, args in (("alice-old", ["alice"]), ("alice", ["alice"]),
                        ("ops", ["--ttl", "86400", "ops"]), ("bob", ["bob"]),
                        ("carol", ["carol"])):
        out = ctl("token", "issue", *args).stdout
        data.tokens[label] = out.strip().splitlines()[-1]
    # As `user disable` of every version sets it (today's also marks the
    # user's tasks, in columns older versions lack).
    query(conn, "UPDATE users SET disabled = 1 WHERE name = 'bob'")
    (first,), = query(conn, "SELECT MIN(t.id) FROM api_tokens t JOIN users u "
                      "ON u.id = t.user_id WHERE u.name = 'alice'")
    ctl("token", "revoke", first)
    data.users = dict((n, i) for i, n in query(conn,
                                               "SELECT id, name FROM users"))
    owners = [data.users[n] for n in ("alice", "ops", "bob", "carol")]

    for i in range(n_tasks):
        data.tasks.append(make_task(i, owners[i % len(owners)], now, rng))
    for task in data.tasks:
        data.runs += make_runs(task, rng)
    add_deliveries(data, now, rng)

    insert(conn, "tasks", TASK_COLUMNS, data.tasks)
    insert(conn, "task_runs", RUN_COLUMNS, data.runs)
    insert(conn, "deliveries", DELIVERY_COLUMNS, data.deliveries)
    insert(conn, "dispatchers", [
        "id", "host", "pid", "started_at", "last_heartbeat",
        "heartbeat_interval", "fired", "failed", "stopped_at"], [
        {"id": DISPATCHER, "host": "host1.example.net", "pid": 4242,
         "started_at": whole(now - datetime.timedelta(days=2)),
         "last_heartbeat": whole(now), "heartbeat_interval": 5,
         "fired": 1830, "failed": 12, "stopped_at": None},
        {"id": "host2.example.net:977:1764100000",
         "host": "host2.example.net", "pid": 977,
         "started_at": whole(now - datetime.timedelta(days=9)),
         "last_heartbeat": whole(now - datetime.timedelta(days=2)),
         "heartbeat_interval": 5, "fired": 98765, "failed": 43,
         "stopped_at": whole(now - datetime.timedelta(days=2))}])
    return data


def make_task(i, owner, now, rng):
    """Task number i: types, statuses, names, methods and bodies vary with
    i; seq leaves gaps where tasks were deleted."""
    kind = ("one_time", "periodic", "cron")[i % 3]
    created = whole(now - datetime.timedelta(days=40, seconds=-611 * i))
    future = whole(now + datetime.timedelta(days=1, seconds=97 * i))
    status = "paused" if i % 10 == 4 else \
        "completed" if kind == "one_time" and i % 6 == 0 else "active"
    name = "weekly-report" if i in (0, 2) else \
        f"campaign_{i:05d}-Q4" if i % 5 == 1 else None
    post = {"campaign_name": "SMS Campaign", "smart_list_id": 123456 + i,
            "message": TEXTS[i % len(TEXTS)], "price": 9.99,
            "flags": [True, False, None], "nested": {"lang": "ja", "n": i}}
    if i == 7:    # near the 64 KiB request cap
        post["blob"] = "𝄞日本語🙂 " * 3400
    headers = {} if i % 2 == 0 else {
        "X-Campaign": TEXTS[(i + 3) % len(TEXTS)],
        "Authorization": f"Bearer receiver-{i}"}
    t = {
        "seq": i + i // 9 + 1, "id": f"{rng.getrandbits(128):032x}",
        "owner_id": owner, "task_type": kind, "name": name,
        "url": f"https://hooks.example.com/campaigns/{i}?lang=ja&src=sched",
        "request_method": METHODS[i % 5] if i % 4 else "POST",
        "headers": to_json(headers), "post_data": to_json(post),
        "frequency": None, "start_at": None, "end_at": None, "run_at": None,
        "cron_expr": None, "timezone": None, "status": status,
        "next_run_at": future, "created_at": created, "last_run_at": None,
        "last_run_outcome": None, "run_count": 0,
    }
    if kind == "one_time":
        t["run_at"] = future
        if status == "completed":
            t["run_at"] = created + datetime.timedelta(hours=1)
            t["next_run_at"] = None
            t["run_count"] = 1
    elif kind == "periodic":
        t["frequency"] = (60, 300, 3600, 86400)[i % 4]
        t["start_at"] = created + datetime.timedelta(hours=1)
        if i % 4 == 0:
            t["end_at"] = t["start_at"] + datetime.timedelta(days=90)
        k = -(-(future - t["start_at"]).total_seconds() // t["frequency"])
        t["next_run_at"] = t["start_at"] + \
            datetime.timedelta(seconds=k * t["frequency"])
        t["run_count"] = i % 5
    else:
        t["cron_expr"], t["timezone"] = CRONS[i % len(CRONS)]
        t["start_at"] = created
        t["next_run_at"] = future.replace(second=0)
        t["run_count"] = i % 4
    if t["run_count"]:
        t["last_run_at"] = millis(now - datetime.timedelta(
            hours=2, microseconds=rng.randrange(10 ** 9)))
        t["last_run_outcome"] = "failed" if i % 7 == 0 else "succeeded"
    return t


def make_runs(task, rng):
    """One or two attempts (a retry, then a failure) per occurrence fired,
    up to three occurrences."""
    out = []
    for k in range(min(task["run_count"], 3)):
        slot = whole(task["last_run_at"] - datetime.timedelta(hours=k))
        run_id = f"{rng.getrandbits(128):032x}"
        failing = (task["seq"] + k) % 7 == 0
        for attempt in ((1, 2) if failing else (1,)):
            started = millis(slot + datetime.timedelta(
                seconds=attempt * 3, microseconds=rng.randrange(999000)))
            duration = rng.randrange(3, 9000)
            last = attempt == 2
            out.append({
                "task_seq": task["seq"], "owner_id": task["owner_id"],
                "run_id": run_id, "scheduled_for": slot, "attempt": attempt,
                "started_at": started,
                "finished_at": started + datetime.timedelta(
                    milliseconds=duration),
                "outcome": "failed" if last else
                "retrying" if failing else "succeeded",
                "http_status": None if last else 503 if failing else 200,
                "error": "connect: Connection refused" if last else
                "HTTP 503" if failing else None,
                "duration_ms": duration, "dispatcher": DISPATCHER,
            })
    return out


def add_deliveries(data, now, rng):
    """A retry waiting (its first attempt is in task_runs), a retry held
    by a pause, and an occurrence claimed by a dispatcher, all due well
    after the test ends so that no dispatcher touches them."""
    def pick(kind, status):
        return next(t for t in data.tasks if t["task_type"] == kind and
                    t["status"] == status and t["run_count"] > 0)

    later = millis(now + datetime.timedelta(minutes=10))
    for task, attempt, held, claimed in (
            (pick("periodic", "active"), 2, 0, None),
            (pick("periodic", "paused"), 3, 1, None),
            (pick("cron", "active"), 1, 0, DISPATCHER)):
        run_id = f"{rng.getrandbits(128):032x}"
        slot = whole(now - datetime.timedelta(seconds=30))
        started = millis(now - datetime.timedelta(seconds=29))
        data.deliveries.append({
            "task_seq": task["seq"], "owner_id": task["owner_id"],
            "run_id": run_id, "scheduled_for": slot, "attempt": attempt,
            "due_at": later, "held": held, "claimed_by": claimed,
            "first_started_at": started})
        if attempt > 1:
            data.runs.append({
                "task_seq": task["seq"], "owner_id": task["owner_id"],
                "run_id": run_id, "scheduled_for": slot, "attempt": 1,
                "started_at": started, "finished_at": started +
                datetime.timedelta(seconds=10), "outcome": "retrying",
                "http_status": None, "error": "timeout after 10 s",
                "duration_ms": 10000, "dispatcher": DISPATCHER})


# ----- comparing databases -----

def dump(conn, db, like=None):
    """{table: (columns, rows ordered by primary key)} of every table of
    db; like: a former dump whose tables and columns to read (the older
    schema's, so that columns a migration adds are left out)."""
    if like is None:
        tables = [t for (t,) in query(
            conn, "SELECT table_name FROM information_schema.tables WHERE "
            "table_schema = %s AND table_type = 'BASE TABLE' "
            "ORDER BY table_name", (db,))]
        columns = {t: [c for (c,) in query(
            conn, "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = %s "
            "ORDER BY ordinal_position", (db, t))] for t in tables}
    else:
        columns = {t: cols for t, (cols, _) in like.items()}
    out = {}
    for table, cols in columns.items():
        key = [c for (c,) in query(
            conn, "SELECT column_name FROM information_schema.statistics "
            "WHERE table_schema = %s AND table_name = %s AND "
            "index_name = 'PRIMARY' ORDER BY seq_in_index", (db, table))]
        assert key, f"table {table} has no primary key (or is gone)"
        names = ", ".join(f"`{c}`" for c in cols)
        order = ", ".join(f"`{c}`" for c in key)
        out[table] = (cols, query(
            conn, f"SELECT {names} FROM `{db}`.`{table}` ORDER BY {order}"))
    return out


def assert_same_rows(before, after, skip=()):
    """Every row of every table in before is in after, unchanged, in the
    same order, and nothing else is. Values come back through the same
    utf8mb4 client, so equal values are equal bytes."""
    for table, (cols, rows) in before.items():
        if table in skip:
            continue
        got = after[table][1]
        if len(got) != len(rows):
            kept = set(got)
            lost = [dict(zip(cols, r)) for r in rows if r not in kept][:3]
            pytest.fail(f"{table}: {len(rows)} rows before the migration, "
                        f"{len(got)} after; lost, among others: "
                        f"{lost!r:.2000}")
        for old, new in zip(rows, got):
            if old != new:
                diff = {c: (o, n) for c, o, n in zip(cols, old, new) if o != n}
                pytest.fail(f"{table}: row {dict(zip(cols, old))!r:.300}\n"
                            f"changed (before, after): {diff!r:.2000}")


def structure(conn, db):
    """What defines db's schema, from information_schema, by aspect."""
    return {
        "tables": query(
            conn, "SELECT table_name, engine, table_collation, table_comment "
            "FROM information_schema.tables WHERE table_schema = %s "
            "ORDER BY 1", (db,)),
        "columns": query(
            conn, "SELECT table_name, ordinal_position, column_name, "
            "column_type, is_nullable, column_default, collation_name, extra, "
            "column_comment FROM information_schema.columns "
            "WHERE table_schema = %s ORDER BY 1, 2", (db,)),
        "indexes": query(
            conn, "SELECT table_name, index_name, seq_in_index, column_name, "
            "non_unique, sub_part, index_comment "
            "FROM information_schema.statistics WHERE table_schema = %s "
            "ORDER BY 1, 2, 3", (db,)),
        "foreign keys": query(
            conn, "SELECT constraint_name, table_name, referenced_table_name, "
            "update_rule, delete_rule FROM "
            "information_schema.referential_constraints "
            "WHERE constraint_schema = %s ORDER BY 1", (db,)),
    }


def index_changes(after_version):
    """(added, dropped) index names of the migrations newer than
    after_version, read from their SQL."""
    added, dropped = set(), set()
    for version, name in MIGRATIONS:
        if version <= after_version:
            continue
        with open(os.path.join(SCHEMA_DIR, name)) as f:
            text = re.sub(r"--[^\n]*", "", f.read())
        # In the order written: a key dropped and added again (rebuilt
        # with other columns, as 005 does) is an added one.
        for m in re.finditer(r"\b(ADD\s+(?:UNIQUE\s+)?|DROP\s+)(?:KEY|INDEX)"
                             r"\s+`?(\w+)", text, re.I):
            if m.group(1).upper().startswith("ADD"):
                added.add(m.group(2))
                dropped.discard(m.group(2))
            else:
                dropped.add(m.group(2))
                added.discard(m.group(2))
    return added, dropped


def assert_quota_counts(conn, data):
    """Each user's task_count and post_data_bytes equal the tasks fill()
    gave them: their number and their post_data's UTF-8 bytes."""
    want = {uid: (0, 0) for uid in data.users.values()}
    for t in data.tasks:
        n, size = want[t["owner_id"]]
        want[t["owner_id"]] = (n + 1, size + len(t["post_data"].encode()))
    got = {uid: (n, size) for uid, n, size in query(
        conn, "SELECT id, task_count, post_data_bytes FROM users")}
    assert got == want


def assert_owner_disabled_mirrors_users(conn):
    """005 marks the tasks of users disabled before the upgrade (bob's),
    so that they wait as a disabled user's tasks do; no one else's."""
    rows = query(conn, "SELECT u.name, t.owner_disabled, COUNT(*) FROM tasks t "
                 "JOIN users u ON u.id = t.owner_id GROUP BY 1, 2")
    assert rows and all((name == "bob") == bool(flag)
                        for name, flag, _ in rows), rows


def assert_quota_matches_rows(conn):
    """Each user's counters equal the tasks the database holds now."""
    rows = query(conn, "SELECT u.name, u.task_count, u.post_data_bytes, "
                 "(SELECT COUNT(*) FROM tasks t WHERE t.owner_id = u.id), "
                 "(SELECT COALESCE(SUM(LENGTH(t.post_data)), 0) FROM tasks t "
                 "WHERE t.owner_id = u.id) FROM users u")
    assert [r for r in rows if (r[1], r[2]) != (r[3], int(r[4]))] == []


# ----- the scenario on a scratch database of the shared stack -----

def checked_ctl(conf):
    def ctl(*args):
        done = run_ctl(conf, *args)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done
    return ctl


def applied_files(stdout):
    return re.findall(r"(?m)^applied (\S+) \(", stdout)


@pytest.mark.parametrize("older", OLDER, ids=lambda v: f"from-{v:03d}")
def test_migrate_keeps_every_row(stack, scratch_db, tmp_path, older):
    db, conf = scratch_db
    done = run_ctl(conf, "migrate", "--schema-dir",
                   schema_dir_upto(tmp_path, older))
    assert done.returncode == 0, done.stderr
    conn = connect(stack, db)
    fresh = connect(stack, "scheduler")
    try:
        data = fill(conn, checked_ctl(conf), 3000,
                    datetime.datetime.now(UTC).replace(tzinfo=None))
        before = dump(conn, db)
        for table, n in (("users", 5), ("api_tokens", 5),
                         ("tasks", len(data.tasks)), ("task_runs", 3000),
                         ("deliveries", 3), ("dispatchers", 2),
                         ("schema_migrations", older)):
            assert len(before[table][1]) >= n, table

        done = run_ctl(conf, "migrate", "--schema-dir", SCHEMA_DIR)
        assert done.returncode == 0, done.stderr
        newer = [name for v, name in MIGRATIONS if v > older]
        assert applied_files(done.stdout) == newer, done.stdout
        assert done.stderr == ""
        versions = query(conn, "SELECT version, name FROM schema_migrations "
                         "ORDER BY version")
        assert versions == MIGRATIONS

        after = dump(conn, db, like=before)
        assert_same_rows(before, after, skip=("schema_migrations",))
        # The older versions' records are kept as they were.
        assert after["schema_migrations"][1][:older] == \
            before["schema_migrations"][1]
        # The quota counters start from the tasks already stored (a
        # database filled at 003 or later bypassed them: rows by SQL).
        if older < QUOTA_VERSION:
            assert_quota_counts(conn, data)
        if older < DISABLED_OWNER_VERSION:
            assert_owner_disabled_mirrors_users(conn)

        # The upgraded schema is the one a fresh install gets (the shared
        # stack's database, migrated from nothing).
        got, want = structure(conn, db), structure(fresh, "scheduler")
        for aspect in want:
            assert got[aspect] == want[aspect], aspect
        added, dropped = index_changes(older)
        indexes = {i for (_, i, *_) in got["indexes"]}
        assert added <= indexes and not dropped & indexes, (added, dropped)
        checks = query(conn, "CHECK TABLE " + ", ".join(
            f"`{t}`" for t in sorted(before)))
        assert [c for c in checks if c[2:] != ("status", "OK")] == [], checks

        again = run_ctl(conf, "migrate", "--schema-dir", SCHEMA_DIR)
        assert again.returncode == 0, again.stderr
        assert applied_files(again.stdout) == []
        assert "up to date" in again.stdout
        assert query(conn, "SELECT version, name FROM schema_migrations "
                     "ORDER BY version") == versions
        assert_same_rows(before, dump(conn, db, like=before),
                         skip=("schema_migrations",))
    finally:
        conn.close()
        fresh.close()


# ----- the service on an upgraded database -----

def rfc3339(dt, ms=False):
    if dt is None:
        return None
    if ms:
        return dt.strftime("%Y-%m-%dT%H:%M:%S.") + \
            f"{dt.microsecond // 1000:03d}Z"
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def expected_task(t, deliveries):
    """The task object docs/API.md §10 says GET /tasks shows for stored
    row t."""
    nxt = None
    if t["status"] == "active":
        due = [t["next_run_at"]] if t["next_run_at"] else []
        if t["run_count"] > 0:
            due += [d["due_at"] for d in deliveries
                    if d["task_seq"] == t["seq"] and not d["held"]
                    and d["claimed_by"] is None]
        nxt = rfc3339(min(due)) if due else None
    return {
        "id": t["id"], "task_type": t["task_type"], "name": t["name"],
        "url": t["url"], "request_method": t["request_method"],
        "headers": json.loads(t["headers"]),
        "post_data": json.loads(t["post_data"]),
        "frequency": t["frequency"],
        "start_datetime": rfc3339(t["start_at"]),
        "end_datetime": rfc3339(t["end_at"]),
        "run_datetime": rfc3339(t["run_at"]), "cron": t["cron_expr"],
        "timezone": t["timezone"], "next_run_datetime": nxt,
        "status": t["status"], "created_at": rfc3339(t["created_at"]),
        "last_run_datetime": rfc3339(t["last_run_at"]),
        "last_run_outcome": t["last_run_outcome"],
        "run_count": t["run_count"],
        # Tasks stored before 006 start at version 1.
        "version": 1,
    }


def expected_runs(task, runs):
    """GET /tasks/{id}/runs of task: newest first."""
    mine = [r for r in runs if r["task_seq"] == task["seq"]]
    mine.sort(key=lambda r: (r["started_at"], r["attempt"]), reverse=True)
    return [{"run_id": r["run_id"],
             "scheduled_for": rfc3339(r["scheduled_for"]),
             "attempt": r["attempt"],
             "started_at": rfc3339(r["started_at"], ms=True),
             "finished_at": rfc3339(r["finished_at"], ms=True),
             "outcome": r["outcome"], "http_status": r["http_status"],
             "error": r["error"], "duration_ms": r["duration_ms"]}
            for r in mine]


def get_json(s, path, token):
    resp = s.request("GET", path, token=token)
    assert resp.status == 200, (path, resp)
    return resp.json()


def test_service_serves_and_fires_tasks_stored_before_the_upgrade(
        make_stack, tmp_path):
    oldest = MIGRATIONS[0][0]
    s = make_stack(schema_dir=schema_dir_upto(tmp_path, oldest),
                   dispatchers=0)
    rx = Receiver()
    conn = connect(s, "scheduler")
    try:
        assert query(conn, "SELECT version FROM schema_migrations") == \
            [(oldest,)]
        now = datetime.datetime.now(UTC).replace(tzinfo=None)
        data = fill(conn, lambda *a: s.ctl(*a), 600, now)
        # An occurrence that fell due during the upgrade: it fires after.
        due = make_task(len(data.tasks), data.users["alice"], now,
                        random.Random(6))
        due.update(task_type="one_time", status="active", name="due-now",
                   url=rx.url("/due-now"), request_method="PUT",
                   run_at=whole(now), next_run_at=whole(now), run_count=0,
                   last_run_at=None, last_run_outcome=None, frequency=None,
                   start_at=None, end_at=None, cron_expr=None, timezone=None,
                   headers=to_json({"X-Campaign": "春季促销 🌸",
                                    "Authorization": "Bearer abc"}),
                   post_data=to_json({"msg": "こんにちは 🌏", "n": 1}))
        insert(conn, "tasks", TASK_COLUMNS, [due])
        data.tasks.append(due)
        before = dump(conn, "scheduler")

        done = s.ctl("migrate", "--schema-dir", SCHEMA_DIR)
        assert applied_files(done.stdout) == [n for _, n in MIGRATIONS[1:]]
        assert_same_rows(before, dump(conn, "scheduler", like=before),
                         skip=("schema_migrations",))
        assert_quota_counts(conn, data)

        # Every user's tasks, in creation order, as stored; runs too.
        tokens = data.tokens
        by_owner = {}
        for t in data.tasks:
            by_owner.setdefault(t["owner_id"], []).append(t)
        for user in ("alice", "ops", "carol"):
            want = [expected_task(t, data.deliveries)
                    for t in by_owner[data.users[user]]]
            got = get_json(s, "/tasks?per_page=500", tokens[user])
            assert got["count"] == len(want), user
            for w, g in zip(want, got["tasks"]):
                assert g == w, user
        # Bob is disabled: his tasks are there for an admin to see.
        bob = [expected_task(t, data.deliveries)
               for t in by_owner[data.users["bob"]]]
        got = get_json(s, "/admin/tasks?user=bob&per_page=500", tokens["ops"])
        assert [{k: v for k, v in g.items() if k != "owner"}
                for g in got["tasks"]] == bob
        assert s.request("GET", "/tasks", token=tokens["bob"]).status == 401
        assert s.request("GET", "/tasks",
                         token=tokens["alice-old"]).status == 401
        assert get_json(s, "/tasks", tokens["carol"])["count"] == \
            len(by_owner[data.users["carol"]])
        for task in data.tasks:
            if task["run_count"] and task["owner_id"] == data.users["alice"]:
                got = get_json(s, f"/tasks/{task['id']}/runs?per_page=500",
                               tokens["alice"])
                assert got["runs"] == expected_runs(task, data.runs)

        # The admin filters run on the indexes the upgrade added.
        for params, where in (("status=paused", "status = 'paused'"),
                              ("task_type=cron", "task_type = 'cron'"),
                              ("status=active&task_type=periodic",
                               "status = 'active' AND "
                               "task_type = 'periodic'")):
            got = get_json(s, f"/admin/tasks?{params}&per_page=1",
                           tokens["ops"])
            assert [(got["count"],)] == query(
                conn, f"SELECT COUNT(*) FROM tasks WHERE {where}"), params
        assert get_json(s, "/admin/stats", tokens["ops"])["tasks"][
            "paused"] == sum(t["status"] == "paused" for t in data.tasks)

        # Names: the same name of two users, each its own.
        alice_report = get_json(s, "/tasks/name/weekly-report",
                                tokens["alice"])
        assert alice_report["id"] == data.tasks[0]["id"]
        assert s.request("DELETE", "/tasks/name/weekly-report",
                         token=tokens["alice"]).status == 200
        assert query(conn, "SELECT id FROM tasks WHERE name = "
                     "'weekly-report'") == [(data.tasks[2]["id"],)]

        # Bulk delete of a task with a waiting retry cancels the retry.
        waiting = next(t for t in data.tasks
                       if t["seq"] == data.deliveries[0]["task_seq"])
        other = next(t for t in by_owner[waiting["owner_id"]]
                     if t is not waiting)
        token = tokens[next(n for n, i in data.users.items()
                            if i == waiting["owner_id"])]
        resp = s.request("DELETE", "/tasks", token=token,
                         body={"ids": [waiting["id"], other["id"]]})
        assert resp.status == 200, resp
        assert query(conn, "SELECT COUNT(*) FROM deliveries WHERE "
                     "task_seq = %s", (waiting["seq"],)) == [(0,)]
        # Those deletes gave their quota back, and a create takes its share.
        create = s.request("POST", "/tasks", token=tokens["carol"], body={
            "task_type": "one_time", "url": "https://example.com/after",
            "run_datetime": rfc3339(now + datetime.timedelta(days=3)),
            "post_data": {"msg": "après la mise à jour 🌏"}})
        assert create.status == 201, create
        assert_quota_matches_rows(conn)

        # A dispatcher fires the occurrence that was due, as stored.
        secret = s.secret("alice")
        s.start_dispatcher()
        calls = rx.wait_for(1, 20)
        assert len(calls) == 1, calls
        call = calls[0]
        assert call.method == "PUT" and call.path == "/due-now"
        assert call.task_id == due["id"]
        assert json.loads(call.body) == json.loads(due["post_data"])
        # http.server reads header bytes as ISO 8859-1.
        assert call.headers["x-campaign"].encode("latin-1").decode() == \
            "春季促销 🌸"
        assert call.headers["authorization"] == "Bearer abc"
        assert verify_signature(call, secret)
        deadline = time.monotonic() + 10
        while get_json(s, f"/tasks/{due['id']}", tokens["alice"])[
                "status"] != "completed":
            assert time.monotonic() < deadline, "due-now never completed"
            time.sleep(0.1)
        time.sleep(1)
        assert len(rx.snapshot()) == 1, rx.snapshot()
    finally:
        conn.close()
        rx.stop()
