"""Run now of a completed task whose first attempt fails: the retry is
not held (a completed task never resumes, so a held retry would wait for
ever); it follows after its backoff with the same run id, and the task
stays completed with no delivery left."""
import time

from api_helpers import assert_ok, complete
from dispatch_receiver import Receiver, create, get_task, iso, runs, wait_until


def test_run_now_retry_of_completed_task_is_not_held(make_stack):
    s = make_stack(dispatchers=1)
    rx = Receiver(lambda call: 500 if call.attempt == 1 else 200)
    try:
        token = s.token("donerun")
        task_id = create(s, token, {"task_type": "one_time",
                                    "url": rx.url("/done"),
                                    "run_datetime": iso(time.time() + 3600)})
        complete(s, task_id)
        run_id = assert_ok(s.request("POST", f"/tasks/{task_id}/run",
                                     token=token), 202)["run_id"]
        # Dev profile: the retry comes 1-2 s after the first attempt.
        calls = rx.wait_for(2, 8)
        assert [(c.run_id, c.attempt) for c in calls] == \
            [(run_id, 1), (run_id, 2)], calls
        rows = wait_until(lambda: (lambda r: r if len(r) == 2 else None)(
            runs(s, token, task_id)), 5)
        assert [(r["attempt"], r["outcome"]) for r in rows] == \
            [(2, "succeeded"), (1, "retrying")], rows
        task = get_task(s, token, task_id)
        assert task["status"] == "completed"
        assert task["next_run_datetime"] is None
        assert task["run_count"] == 1
        assert s.sql("SELECT COUNT(*) FROM deliveries") == [(0,)]
    finally:
        rx.stop()
