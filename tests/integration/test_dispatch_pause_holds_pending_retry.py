"""A failed attempt waiting for its retry is held while its task is
paused (no attempt arrives, next_run_datetime is null); on resume it is
tried at once with the same run id and the next attempt number."""
import time

from dispatch_receiver import (Receiver, create, get_task, iso,
                               next_whole_second, runs, wait_until)


def test_pause_holds_pending_retry(make_stack):
    # Dev profile: the first retry waits 1-2 s, so pausing right after the
    # first attempt arrives lands before it.
    s = make_stack(dispatchers=1)
    failing = [True]
    rx = Receiver(lambda call: 500 if failing[0] else 200)
    try:
        token = s.token("holder")
        due = next_whole_second(1)
        task_id = create(s, token, {"task_type": "one_time",
                                    "url": rx.url("/held"),
                                    "run_datetime": iso(due)})
        first = rx.wait_for(1, due - time.time() + 5)
        assert len(first) == 1
        resp = s.request("POST", f"/tasks/{task_id}/pause", token=token)
        assert resp.status == 200, resp
        assert time.time() - first[0].at < 0.9, "paused too late for the test"

        time.sleep(5)
        assert len(rx.snapshot()) == 1, rx.snapshot()
        task = get_task(s, token, task_id)
        assert task["status"] == "paused"
        assert task["next_run_datetime"] is None
        assert [(r["attempt"], r["outcome"]) for r in runs(s, token, task_id)] \
            == [(1, "retrying")]

        failing[0] = False
        resumed = time.time()
        resp = s.request("POST", f"/tasks/{task_id}/resume", token=token)
        assert resp.status == 200, resp
        calls = rx.wait_for(2, 5)
        assert len(calls) == 2, calls
        retry = calls[1]
        assert retry.at - resumed < 1.5
        assert retry.run_id == first[0].run_id
        assert retry.attempt == 2
        assert retry.headers["x-scheduler-scheduled-for"] == iso(due)

        task = wait_until(lambda: (lambda t: t if t["status"] == "completed"
                                   else None)(get_task(s, token, task_id)), 5)
        assert task, get_task(s, token, task_id)
        assert task["last_run_outcome"] == "succeeded"
        assert task["run_count"] == 1
        assert [(r["attempt"], r["outcome"]) for r in runs(s, token, task_id)] \
            == [(2, "succeeded"), (1, "retrying")]
    finally:
        rx.stop()
