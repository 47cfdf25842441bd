"""Pausing a one-time task while its attempt is in flight does not stop
that attempt: it finishes and is recorded, and since nothing is left the
task becomes completed — completion wins over pause."""
import time

from dispatch_receiver import (Receiver, create, get_task, iso,
                               next_whole_second, runs, wait_until)


def test_pause_in_flight_completion_wins(make_stack):
    s = make_stack(dispatchers=1)
    rx = Receiver(lambda call: (200, 2.0))
    try:
        token = s.token("flight")
        due = next_whole_second(1)
        task_id = create(s, token, {"task_type": "one_time",
                                    "url": rx.url("/slow"),
                                    "run_datetime": iso(due)})
        assert len(rx.wait_for(1, due - time.time() + 5)) == 1
        resp = s.request("POST", f"/tasks/{task_id}/pause", token=token)
        assert resp.status == 200, resp

        task = wait_until(lambda: (lambda t: t if t["status"] == "completed"
                                   else None)(get_task(s, token, task_id)), 6)
        assert task, get_task(s, token, task_id)
        assert task["last_run_outcome"] == "succeeded"
        assert task["run_count"] == 1
        assert [r["outcome"] for r in runs(s, token, task_id)] == ["succeeded"]
        resp = s.request("POST", f"/tasks/{task_id}/resume", token=token)
        assert resp.status == 409, resp
    finally:
        rx.stop()
