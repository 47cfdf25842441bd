"""Two run-now requests in the same second are two occurrences: two run
ids, two calls (each once), two run rows, run_count + 2, both with that
second as scheduled_for."""
import time

from api_helpers import assert_ok
from dispatch_receiver import Receiver, create, get_task, iso, runs, wait_until


def test_run_now_twice_in_one_second_fires_twice(make_stack):
    s = make_stack(dispatchers=1)
    rx = Receiver()
    try:
        token = s.token("twice")
        task_id = create(s, token, {"task_type": "one_time",
                                    "url": rx.url("/twice"),
                                    "run_datetime": iso(time.time() + 3600)})
        # Start right after a second begins so both land in it.
        while time.time() % 1 > 0.3:
            time.sleep(0.02)
        second = int(time.time())
        ids = [assert_ok(s.request("POST", f"/tasks/{task_id}/run",
                                   token=token), 202)["run_id"]
               for _ in range(2)]
        assert int(time.time()) == second, "too slow for the test"
        assert ids[0] != ids[1]

        calls = rx.wait_for(2, 3)
        assert sorted(c.run_id for c in calls) == sorted(ids), calls
        for c in calls:
            assert c.headers["x-scheduler-scheduled-for"] == iso(second)
        time.sleep(2)
        assert len(rx.snapshot()) == 2, rx.snapshot()
        rows = wait_until(lambda: (lambda r: r if len(r) == 2 else None)(
            runs(s, token, task_id)), 5)
        assert sorted(r["run_id"] for r in rows) == sorted(ids), rows
        task = get_task(s, token, task_id)
        assert task["run_count"] == 2
        assert task["status"] == "active"
    finally:
        rx.stop()
