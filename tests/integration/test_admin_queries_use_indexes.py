"""Every statement of the admin API and of /metrics' dispatcher figures
(fcgi/admin_store.c) reads through an index: on 100,000 tasks and 200,000
runs, EXPLAIN shows no full table scan and no filesort, and each list
statement pages along the index that its filters name. The SQL is read
from the C source itself (string literals and macros put together), so
the statements checked are exactly those the API runs.

SCHED_EXPLAIN_TASKS and SCHED_EXPLAIN_RUNS change the sizes (the one-off
run recorded in docs/admin-queries.md); with -s the plans and timings are
printed."""
import os
import time

import c_sources
from c_sources import bind, explain

TASKS = int(os.environ.get("SCHED_EXPLAIN_TASKS", 100000))
RUNS = int(os.environ.get("SCHED_EXPLAIN_RUNS", 200000))
USERS = 20


def c_statements():
    """{name: sql} of every DB_STMT in admin_store.c; arrays as name[i]."""
    return c_sources.c_statements("fcgi/admin_store.c", ["fcgi/task_view.h"])


def load(s):
    for i in range(USERS):
        s.ctl("user", "add", f"load{i:02d}")
    t0 = time.monotonic()
    s.sql(
        "INSERT INTO tasks (id, owner_id, task_type, url, headers, post_data,"
        " frequency, start_at, run_at, status, next_run_at, created_at) "
        "SELECT LOWER(HEX(RANDOM_BYTES(16))), u.id,"
        " IF(s.seq %% 3 = 0, 'one_time', 'periodic'),"
        " CONCAT('https://1.1.1.1/hooks/', s.seq), '{}', '{\"n\":1}',"
        " IF(s.seq %% 3 = 0, NULL, 3600),"
        " IF(s.seq %% 3 = 0, NULL, UTC_TIMESTAMP()),"
        " IF(s.seq %% 3 = 0, UTC_TIMESTAMP(), NULL),"
        " ELT(1 + (s.seq %% 10 > 0) + (s.seq %% 10 > 1),"
        "     'paused', 'completed', 'active'),"
        " IF(s.seq %% 10 > 1, UTC_TIMESTAMP() + INTERVAL CAST(s.seq %% 7200 AS SIGNED) - 100"
        "    SECOND, NULL),"
        " UTC_TIMESTAMP() "
        "FROM seq_1_to_%d s "
        "JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k"
        "      FROM users WHERE name LIKE 'load%%') u"
        "  ON u.k = (s.seq - 1) %% %d "
        "ORDER BY s.seq" % (TASKS, USERS))
    t1 = time.monotonic()
    first, last = s.sql("SELECT MIN(seq), MAX(seq) FROM tasks")[0]
    s.sql(
        "INSERT INTO task_runs (task_seq, owner_id, run_id, scheduled_for,"
        " attempt, started_at, finished_at, outcome, http_status,"
        " duration_ms) "
        "SELECT t.seq, t.owner_id, LOWER(HEX(RANDOM_BYTES(16))),"
        " UTC_TIMESTAMP() - INTERVAL s.seq SECOND, 1,"
        " UTC_TIMESTAMP(3) - INTERVAL s.seq SECOND,"
        " UTC_TIMESTAMP(3) - INTERVAL s.seq SECOND,"
        " ELT(1 + (s.seq %% 10 = 0) + (s.seq %% 20 = 0),"
        "     'succeeded', 'retrying', 'failed'), 200, 5 "
        "FROM seq_1_to_%d s JOIN tasks t ON t.seq = %d + s.seq %% %d"
        % (RUNS, first, last - first + 1))
    t2 = time.monotonic()
    s.sql(
        "INSERT INTO deliveries (task_seq, owner_id, run_id, scheduled_for,"
        " attempt, due_at) "
        "SELECT seq, owner_id, LOWER(HEX(RANDOM_BYTES(16))), UTC_TIMESTAMP(),"
        " 2, UTC_TIMESTAMP(3) + INTERVAL CAST(seq % 600 AS SIGNED) - 60 SECOND "
        "FROM tasks WHERE seq % 50 = 2")
    s.sql("INSERT INTO dispatchers (id, host, pid, started_at, last_heartbeat,"
          " heartbeat_interval) SELECT CONCAT('h:', seq, ':1'), 'h', seq,"
          " UTC_TIMESTAMP() - INTERVAL seq MINUTE,"
          " UTC_TIMESTAMP() - INTERVAL seq MINUTE, 5 FROM seq_1_to_2000")
    for table in ("tasks", "task_runs", "deliveries", "dispatchers", "users"):
        s.sql(f"ANALYZE TABLE {table}")
    print(f"\nloaded {TASKS} tasks in {t1 - t0:.1f} s, {RUNS} runs in "
          f"{t2 - t1:.1f} s")


# Parameters of each statement, in order, for EXPLAIN.
START = "DATE_FORMAT(UTC_TIMESTAMP() - INTERVAL 59 MINUTE, '%Y-%m-%d %H:%i:00')"


def params_of(name):
    if name.startswith(("st_list[", "st_count[")):
        v = int(name[name.index("[") + 1:-1])
        p = (["load03"] if v & 4 else []) + (["paused"] if v & 1 else []) + \
            (["one_time"] if v & 2 else [])
        return p + ([50, 5000] if name.startswith("st_list") else [])
    return {"st_dispatchers": [86400, 100], "st_backlog": [],
            "st_dispatcher_totals": []}[name]


# The index each list and count statement reads tasks through.
TASK_INDEX = {0: "PRIMARY", 1: "tasks_status_seq", 2: "tasks_type_seq",
              3: "tasks_status_type_seq", 4: "tasks_owner_seq",
              5: "tasks_owner_status_seq", 6: "tasks_owner_type_seq",
              7: "tasks_owner_status_seq"}


def timed(s, sql):
    t0 = time.monotonic()
    s.sql(sql)
    return (time.monotonic() - t0) * 1000


def test_admin_queries_use_indexes(make_stack):
    statements = c_statements()
    expected = {f"st_list[{i}]" for i in range(8)} | \
        {f"st_count[{i}]" for i in range(8)} | \
        {"st_dispatchers", "st_attempts", "st_backlog", "st_dispatcher_totals"}
    assert set(statements) == expected, sorted(statements)

    s = make_stack(dispatchers=0)
    load(s)
    report = []
    for name, sql in sorted(statements.items()):
        if name == "st_attempts":
            text = sql.replace("?", START, 2).replace(
                "?", f"{START} + INTERVAL 60 MINUTE", 1)
        else:
            text = bind(sql, params_of(name))
        plan = explain(s, text)
        ms = timed(s, text)
        report.append((name, ms, plan))
        for row in plan:
            extra = row["Extra"] or ""
            where = f"{name}: {row}"
            assert "filesort" not in extra, where
            # The dispatchers table is one row per dispatcher start:
            # the totals of /metrics add it up whole, by design.
            if name != "st_dispatcher_totals":
                assert row["type"] != "ALL", where
        tasks_rows = [r for r in plan if r["table"] == "t"]
        if name.startswith(("st_list[", "st_count[")):
            v = int(name[name.index("[") + 1:-1])
            assert len(tasks_rows) == 1, (name, plan)
            key = tasks_rows[0]["key"]
            if name.startswith("st_list"):
                assert key == TASK_INDEX[v], (name, plan)
            elif v == 0:
                # COUNT(*) of every task: InnoDB reads the smallest index
                # whole (type index, no table rows); exact counts cost that.
                assert tasks_rows[0]["type"] == "index", (name, plan)
            else:
                assert tasks_rows[0]["type"] in ("ref", "range"), (name, plan)
                assert "Using index" in (tasks_rows[0]["Extra"] or ""), \
                    (name, plan)
        if name == "st_attempts":
            (row,) = plan
            assert row["key"] == "task_runs_finished_outcome", plan
            assert row["type"] == "range", plan
            assert "Using index" in row["Extra"], plan
        if name == "st_dispatchers":
            (row,) = plan
            assert row["key"] == "dispatchers_heartbeat", plan
            assert row["type"] == "range", plan
        if name == "st_backlog":
            keys = {r["key"] for r in plan if r["table"] in ("tasks",
                                                             "deliveries")}
            assert keys <= {"tasks_due", "deliveries_due"}, plan
    for name, ms, plan in report:
        print(f"\n{name}  {ms:.1f} ms")
        for row in plan:
            print("   ", row["id"], row["select_type"], row["table"],
                  row["type"], row["key"], row["rows"], row["Extra"])
