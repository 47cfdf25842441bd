"""GET /tasks/{id}/next lists exactly the times the dispatcher then fires:
a periodic task (every 4 s, the test profile's min_frequency) and a cron
task (every minute) fire at the X-Scheduler-Scheduled-For values of a
preview taken before; the preview starts at the stored next occurrence,
ends with the schedule (fewer than count), is empty for a paused or a
completed task, and gives a one-time task its one time."""
import time

import pytest

from api_helpers import assert_ok, complete, pause
from dispatch_receiver import (Receiver, create, iso, next_whole_second,
                               wait_until)


def preview(s, token, task_id, count=None):
    q = "" if count is None else f"?count={count}"
    return assert_ok(s.request("GET", f"/tasks/{task_id}/next{q}",
                               token=token))["next"]


@pytest.mark.timeout(240)
def test_preview_matches_fired_times(make_stack):
    s = make_stack(dispatchers=0)
    rx = Receiver()
    try:
        token = s.token("preview")
        # No minute boundary between the cron task's create and its preview,
        # and not second 0 itself: created then, the task's first
        # occurrence is that very minute (at or after now).
        while not 2 <= time.time() % 60 <= 45:
            time.sleep(0.2)
        minute = (int(time.time()) // 60 + 1) * 60
        start = next_whole_second(3)
        per = create(s, token, {"task_type": "periodic", "url": rx.url("/p"),
                                "frequency": 4, "start_datetime": iso(start),
                                "end_datetime": iso(start + 4 * 5)})
        cron = create(s, token, {"task_type": "cron", "url": rx.url("/c"),
                                 "cron": "* * * * *", "timezone": "UTC"})
        one = create(s, token, {"task_type": "one_time", "url": rx.url("/o"),
                                "run_datetime": iso(start + 3600)})
        paused = create(s, token, {"task_type": "cron", "url": rx.url("/x"),
                                   "cron": "* * * * *", "timezone": "UTC"})
        pause(s, token, paused)
        done = create(s, token, {"task_type": "one_time", "url": rx.url("/y"),
                                 "run_datetime": iso(start + 3600)})
        complete(s, done)

        # The grid to the end: six slots, fewer than the default ten.
        per_next = preview(s, token, per)
        assert per_next == [iso(start + 4 * k) for k in range(6)], per_next
        assert preview(s, token, per, 3) == per_next[:3]
        cron_next = preview(s, token, cron, 2)
        assert cron_next == [iso(minute), iso(minute + 60)], cron_next
        assert len(preview(s, token, cron, 100)) == 100
        assert preview(s, token, one) == [iso(start + 3600)]
        assert preview(s, token, paused) == []
        assert preview(s, token, done) == []

        s.start_dispatcher()
        calls = rx.wait_for(6, start + 4 * 5 - time.time() + 5,
                            where=lambda c: c.path == "/p")
        assert [c.headers["x-scheduler-scheduled-for"] for c in calls] == \
            per_next, calls
        # Its schedule is over: nothing left to preview.
        assert wait_until(lambda: preview(s, token, per) == [], 5)

        calls = rx.wait_for(2, minute + 60 - time.time() + 5,
                            where=lambda c: c.path == "/c")
        assert [c.headers["x-scheduler-scheduled-for"] for c in calls] == \
            cron_next, calls
        # After they fired, the stored next one is first.
        assert preview(s, token, cron, 1) == [iso(minute + 120)]
    finally:
        rx.stop()
