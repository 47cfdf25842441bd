"""A task paused before its time does not fire; a one-time task resumed
after its time passed fires once, at once, as attempt 1 of its original
occurrence (its original scheduled_for), then completes."""
import time

from dispatch_receiver import (Receiver, create, get_task, iso,
                               next_whole_second, wait_until)


def test_paused_task_does_not_fire(make_stack):
    s = make_stack(dispatchers=1)
    rx = Receiver()
    try:
        token = s.token("pauser")
        due = next_whole_second(2)
        task_id = create(s, token, {"task_type": "one_time",
                                    "url": rx.url("/paused"),
                                    "run_datetime": iso(due)})
        resp = s.request("POST", f"/tasks/{task_id}/pause", token=token)
        assert resp.status == 200, resp
        time.sleep(max(0, due + 2 - time.time()))
        assert rx.snapshot() == []
        task = get_task(s, token, task_id)
        assert task["status"] == "paused" and task["run_count"] == 0
        assert task["next_run_datetime"] is None

        resumed = time.time()
        resp = s.request("POST", f"/tasks/{task_id}/resume", token=token)
        assert resp.status == 200, resp
        calls = rx.wait_for(1, 5)
        assert len(calls) == 1, calls
        assert calls[0].at - resumed < 1.5
        assert calls[0].attempt == 1
        assert calls[0].headers["x-scheduler-scheduled-for"] == iso(due)
        task = wait_until(lambda: (lambda t: t if t["status"] == "completed"
                                   else None)(get_task(s, token, task_id)), 5)
        assert task and task["run_count"] == 1, get_task(s, token, task_id)
        time.sleep(1)
        assert len(rx.snapshot()) == 1
    finally:
        rx.stop()
