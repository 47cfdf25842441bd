"""GET /admin/stats (docs/API.md §20.3): tasks by status, attempts per minute
over the last hour (60 entries, oldest first, this minute last, zeros
included; "failed" counts attempts that ended retrying or failed), the due
backlog (occurrences and retries due but not started) and the lateness of
the oldest of them. Runs are written with SQL at known minutes."""
import datetime
import uuid

from api_helpers import assert_ok, complete, create, periodic

UTC = datetime.timezone.utc


def minute_label(t):
    return t.replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M:00Z")


def stats(s, token):
    return assert_ok(s.request("GET", "/admin/stats", token=token))


def add_runs(s, seq, owner, finished, outcome, n):
    for _ in range(n):
        s.sql("INSERT INTO task_runs (task_seq, owner_id, run_id, "
              "scheduled_for, attempt, started_at, finished_at, outcome, "
              "duration_ms) VALUES (%s, %s, %s, %s, 1, %s, %s, %s, 5)",
              (seq, owner, uuid.uuid4().hex, finished.replace(microsecond=0),
               finished, finished, outcome))


def test_stats_count_attempts_per_minute(make_stack):
    s = make_stack(dispatchers=0)
    admin = s.token("stats-admin", admin=True)
    user = s.token("stats-user")
    ids = [create(s, user, periodic()) for _ in range(4)]
    s.request("POST", f"/tasks/{ids[1]}/pause", token=user)
    complete(s, ids[2])
    seq, owner = s.sql("SELECT seq, owner_id FROM tasks WHERE id = %s",
                       (ids[0],))[0]

    empty = stats(s, admin)
    assert list(empty) == ["tasks", "attempts_per_minute", "due_backlog",
                           "lateness_seconds", "quota"]
    assert empty["tasks"] == {"active": 2, "paused": 1, "completed": 1}
    assert empty["due_backlog"] == 0 and empty["lateness_seconds"] == 0
    assert len(empty["attempts_per_minute"]) == 60
    assert all(m["succeeded"] == 0 and m["failed"] == 0
               for m in empty["attempts_per_minute"])

    now = datetime.datetime.now(UTC)
    two_ago = now - datetime.timedelta(minutes=2)
    half_hour = now - datetime.timedelta(minutes=30, seconds=10)
    add_runs(s, seq, owner, two_ago, "succeeded", 3)
    add_runs(s, seq, owner, two_ago, "retrying", 1)
    add_runs(s, seq, owner, two_ago, "failed", 2)
    add_runs(s, seq, owner, half_hour, "succeeded", 1)
    add_runs(s, seq, owner, now - datetime.timedelta(minutes=75), "failed", 5)
    add_runs(s, seq, owner, now + datetime.timedelta(minutes=5), "failed", 4)

    before = datetime.datetime.now(UTC)
    body = stats(s, admin)
    after = datetime.datetime.now(UTC)
    minutes = body["attempts_per_minute"]
    assert len(minutes) == 60
    assert all(list(m) == ["minute", "succeeded", "failed"] for m in minutes)
    labels = [m["minute"] for m in minutes]
    assert labels == sorted(labels)
    assert labels[-1] in (minute_label(before), minute_label(after))
    last = datetime.datetime.strptime(labels[-1], "%Y-%m-%dT%H:%M:%SZ")
    assert labels[0] == (last - datetime.timedelta(minutes=59)).strftime(
        "%Y-%m-%dT%H:%M:00Z")
    by = {m["minute"]: (m["succeeded"], m["failed"]) for m in minutes}
    assert by[minute_label(two_ago)] == (3, 3)
    assert by[minute_label(half_hour)] == (1, 0)
    # Outside the hour (75 min ago, in the future): not counted.
    assert sum(v[0] for v in by.values()) == 4
    assert sum(v[1] for v in by.values()) == 3


def test_stats_due_backlog_and_lateness(make_stack):
    s = make_stack(dispatchers=0)
    admin = s.token("stats-admin", admin=True)
    user = s.token("stats-user")
    a, b, c = (create(s, user, periodic()) for _ in range(3))
    s.sql("UPDATE tasks SET next_run_at = UTC_TIMESTAMP() - INTERVAL 100 SECOND"
          " WHERE id IN (%s, %s)", (a, b))
    s.request("POST", f"/tasks/{b}/pause", token=user)   # paused: not due
    body = stats(s, admin)
    assert body["due_backlog"] == 1
    assert 99 <= body["lateness_seconds"] < 110
    # A retry waiting since 200 s: due too, and now the oldest.
    seq, owner = s.sql("SELECT seq, owner_id FROM tasks WHERE id = %s", (c,))[0]
    s.sql("INSERT INTO deliveries (task_seq, owner_id, run_id, scheduled_for, "
          "attempt, due_at) VALUES (%s, %s, %s, UTC_TIMESTAMP() - INTERVAL 300 "
          "SECOND, 2, UTC_TIMESTAMP(3) - INTERVAL 200 SECOND)",
          (seq, owner, uuid.uuid4().hex))
    body = stats(s, admin)
    assert body["due_backlog"] == 2
    assert 199 <= body["lateness_seconds"] < 210
