"""A cron task made through the API fires at its occurrences: missed
ones (the dispatcher was down) coalesce into one late call for the latest
of them, then the next fires on time at the minute boundary, within the
margin, and next_run_at moves to the following minute."""
import datetime as dt
import time

from dispatch_receiver import (Receiver, body_json, create, iso,
                              wait_until)

MARGIN = 1.5


def sql_utc(t):
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(int(t)))


def stored_next(s, task_id):
    rows = s.sql("SELECT next_run_at FROM tasks WHERE id = %s", (task_id,))
    return int(rows[0][0].replace(tzinfo=dt.timezone.utc).timestamp())


def test_cron_task_coalesces_missed_minutes_then_fires_on_the_boundary(
        make_stack):
    s = make_stack(dispatchers=0)
    rx = Receiver()
    try:
        token = s.token("cron")
        task_id = create(s, token, {
            "task_type": "cron", "url": rx.url("/cron"),
            "cron": "* * * * *", "timezone": "Europe/Berlin",
            "post_data": {"campaign": "minutely"}})
        # Leave at least 8 s before the next boundary for the late call.
        while 52 <= time.time() % 60:
            time.sleep(0.2)
        latest = int(time.time()) // 60 * 60     # the last minute passed
        # As if the dispatcher had been down for the last three minutes.
        s.sql("UPDATE tasks SET start_at = %s, next_run_at = %s "
              "WHERE id = %s", (sql_utc(latest - 600), sql_utc(latest - 180),
                                task_id))
        s.start_dispatcher()
        late = rx.wait_for(1, 5)
        assert len(late) == 1, late
        assert late[0].headers["x-scheduler-scheduled-for"] == iso(latest)
        assert stored_next(s, task_id) == latest + 60

        boundary = latest + 60
        calls = rx.wait_for(2, boundary - time.time() + 10)
        assert len(calls) == 2, calls
        call = calls[1]
        assert boundary <= call.at <= boundary + MARGIN, call.at - boundary
        assert call.headers["x-scheduler-scheduled-for"] == iso(boundary)
        assert call.headers["x-scheduler-task-id"] == task_id
        assert call.run_id != calls[0].run_id
        assert body_json(call) == {"campaign": "minutely"}

        def advanced():
            rows = s.sql("SELECT run_count, status FROM tasks WHERE id = %s",
                         (task_id,))
            return rows if rows and rows[0][0] == 2 else None
        rows = wait_until(advanced, 5)
        assert rows, s.sql("SELECT * FROM tasks WHERE id = %s", (task_id,))
        assert rows[0][1] == "active"
        assert stored_next(s, task_id) == boundary + 60
        time.sleep(1)
        assert len(rx.snapshot()) == 2
    finally:
        rx.stop()


def test_stored_time_that_is_no_occurrence_fires_nothing_and_moves_on(
        make_stack):
    """A next_run_at that is no occurrence (left by a zone that could not
    be read, or by changed zone rules) fires nothing; the task moves to
    its next occurrence, or completes when none is left before its end.
    A zone that cannot be read fires the stored
    occurrence and is looked at again a minute later, the task active."""
    s = make_stack(dispatchers=0)
    rx = Receiver()
    try:
        token = s.token("cronskip")
        yearly = create(s, token, {
            "task_type": "cron", "url": rx.url("/yearly"),
            "cron": "0 0 1 1 *", "timezone": "UTC"})
        hourly = create(s, token, {
            "task_type": "cron", "url": rx.url("/hourly"),
            "cron": "0 * * * *", "timezone": "UTC"})
        ended = create(s, token, {
            "task_type": "cron", "url": rx.url("/ended"),
            "cron": "0 0 1 1 *", "timezone": "UTC"})
        now = int(time.time())
        # A recheck time left after its end: nothing left, so completed.
        s.sql("UPDATE tasks SET start_at = %s, next_run_at = %s, end_at = %s "
              "WHERE id = %s", (sql_utc(now - 3600), sql_utc(now - 5),
                                sql_utc(now - 1), ended))
        s.sql("UPDATE tasks SET start_at = %s, next_run_at = %s "
              "WHERE id = %s", (sql_utc(now - 3600), sql_utc(now - 5), yearly))
        # As if the tz database lost the zone after the task was made.
        s.sql("UPDATE tasks SET timezone = 'Nowhere/City', start_at = %s, "
              "next_run_at = %s WHERE id = %s",
              (sql_utc(now - 7200), sql_utc(now - 5), hourly))
        d = s.start_dispatcher()
        calls = rx.wait_for(1, 5)
        assert [c.path for c in calls] == ["/hourly"], calls
        assert calls[0].headers["x-scheduler-scheduled-for"] == iso(now - 5)

        def moved():
            rows = s.sql("SELECT id, next_run_at, run_count, status "
                         "FROM tasks WHERE id IN (%s, %s)", (yearly, hourly))
            got = {r[0]: r[1:] for r in rows}
            return got if got[hourly][1] == 1 and got[yearly][0] != \
                dt.datetime.fromtimestamp(now - 5, dt.timezone.utc).replace(
                    tzinfo=None) else None
        got = wait_until(moved, 5)
        assert got, s.sql("SELECT * FROM tasks")
        next_jan = dt.datetime(dt.datetime.now(dt.timezone.utc).year + 1, 1, 1)
        assert got[yearly] == (next_jan, 0, "active")
        assert wait_until(lambda: s.sql(
            "SELECT next_run_at, run_count, status FROM tasks WHERE id = %s",
            (ended,))[0] == (None, 0, "completed"), 5)
        nxt, count, status = got[hourly]
        assert status == "active" and count == 1
        recheck = int(nxt.replace(tzinfo=dt.timezone.utc).timestamp())
        assert now + 55 <= recheck <= now + 70, recheck - now
        time.sleep(1)
        assert len(rx.snapshot()) == 1
        with open(d.log_path) as f:
            assert "time zone Nowhere/City cannot be read" in f.read()
    finally:
        rx.stop()
