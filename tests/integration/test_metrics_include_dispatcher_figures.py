"""/metrics carries the dispatcher figures read from the database
(docs/API.md §21, issue 4): fired and failed totals over the dispatchers table,
dispatchers online, the due backlog and its lateness, each with # HELP and
# TYPE; without the database they are left out with the task counts."""
from api_helpers import create, metrics, periodic

FIGURES = {
    "scheduler_dispatcher_fired_total": "counter",
    "scheduler_dispatcher_failed_total": "counter",
    "scheduler_dispatchers_online": "gauge",
    "scheduler_due_backlog": "gauge",
    "scheduler_lateness_seconds": "gauge",
}


def help_and_types(s):
    text = s.request("GET", "/metrics").text
    helps, types = set(), {}
    for line in text.splitlines():
        if line.startswith("# HELP "):
            helps.add(line.split(" ")[2])
        elif line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            types[name] = kind
    return helps, types


def test_metrics_include_dispatcher_figures(make_stack):
    s = make_stack(dispatchers=0)
    helps, types = help_and_types(s)
    for name, kind in FIGURES.items():
        assert name in helps, name
        assert types.get(name) == kind, name
    m = metrics(s)
    assert {k: m[k] for k in FIGURES} == dict.fromkeys(FIGURES, 0)

    d = s.start_dispatcher(heartbeat_interval=1)
    assert metrics(s)["scheduler_dispatchers_online"] == 1
    assert d.stop() == 0
    assert metrics(s)["scheduler_dispatchers_online"] == 0

    s.sql("INSERT INTO dispatchers (id, host, pid, started_at, last_heartbeat,"
          " heartbeat_interval, fired, failed) VALUES"
          " ('h:1:1', 'h', 1, UTC_TIMESTAMP(), UTC_TIMESTAMP(), 5, 40, 2),"
          " ('h:2:1', 'h', 2, UTC_TIMESTAMP(), UTC_TIMESTAMP() - INTERVAL 1 DAY,"
          " 5, 2, 1)")
    token = s.token("metrics-user")
    late = create(s, token, periodic())
    s.sql("UPDATE tasks SET next_run_at = UTC_TIMESTAMP() - INTERVAL 60 SECOND"
          " WHERE id = %s", (late,))
    m = metrics(s)
    fired, failed = s.sql("SELECT SUM(fired), SUM(failed) FROM dispatchers")[0]
    assert m["scheduler_dispatcher_fired_total"] == fired >= 42
    assert m["scheduler_dispatcher_failed_total"] == failed >= 3
    assert m["scheduler_dispatchers_online"] == 1
    assert m["scheduler_due_backlog"] == 1
    assert 59 <= m["scheduler_lateness_seconds"] < 70


def test_dispatcher_figures_left_out_without_database(make_stack):
    s = make_stack(dispatchers=0)
    s.stop_db()
    try:
        m = metrics(s)
        assert m["scheduler_database_up"] == 0
        assert not set(FIGURES) & set(m)
    finally:
        s.start_db()
