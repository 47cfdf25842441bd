"""A cron task whose stored next time is no occurrence fires nothing and
moves to its next occurrence, or completes when none is left before its
end; one whose zone file cannot be read still fires its stored occurrence
and is looked at again a minute later, still active (README, "Firing")."""
import datetime as dt
import time

from dispatch_receiver import Receiver, create, iso, sql_utc, wait_until


def test_stored_time_that_is_no_occurrence_fires_nothing_and_moves_on(
        make_stack):
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
        # About a minute on, at second 30 (no occurrence falls there).
        assert now + 30 <= recheck <= now + 95 and recheck % 60 == 30, \
            recheck - now
        time.sleep(1)
        assert len(rx.snapshot()) == 1
        with open(d.log_path) as f:
            assert "time zone Nowhere/City cannot be read" in f.read()
    finally:
        rx.stop()
