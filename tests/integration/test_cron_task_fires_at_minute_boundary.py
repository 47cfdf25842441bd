"""A cron task made through the API fires at its occurrences: missed
ones (the dispatcher was down) coalesce into one late call for the latest
of them, then the next fires on time at the minute boundary, within the
margin, and next_run_at moves to the following minute."""
import datetime as dt
import time

from dispatch_receiver import (Receiver, body_json, create, iso, sql_utc,
                              wait_until)

MARGIN = 1.5


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

