"""POST /tasks/{id}/run fires one extra occurrence within 1 s, whatever
the task's status: an active one-time task whose own occurrence is still
pending, a paused periodic task and a completed task each get exactly one
call, with a new run id and the request's second as scheduled_for,
recorded in their runs and counted in run_count; next_run_datetime and
status stay as they were (the completed task stays completed, the paused
one paused), and the one-time task's own occurrence still fires after. The dispatcher
polls every 5 s here: the 1 s must not depend on dispatcher_poll_ms."""
import time

from api_helpers import assert_ok, complete, pause
from dispatch_receiver import (Receiver, create, get_task, iso,
                               next_whole_second, runs, wait_until)

# The contract's 1 s, plus 0.5 s for the shared, loaded test machine.
MARGIN = 1.5


def run_now(s, token, task_id):
    sent = time.time()
    resp = s.request("POST", f"/tasks/{task_id}/run", token=token)
    out = assert_ok(resp, 202)
    assert out["message"] == "Task run has been queued", out
    assert len(out["run_id"]) == 32, out
    return sent, time.time(), out["run_id"]


def test_run_now_fires_once_whatever_the_status(make_stack):
    # A poll interval far above 1 s: the dispatcher still looks for new
    # work often enough to fire a run now within 1 s (dispatcher/loop.c).
    s = make_stack(config={"dispatcher_poll_ms": 5000}, dispatchers=1)
    rx = Receiver()
    try:
        token = s.token("runner")
        due = next_whole_second(12)
        one = create(s, token, {"task_type": "one_time", "url": rx.url("/one"),
                                "run_datetime": iso(due)})
        far = iso(time.time() + 3600)
        paused = create(s, token, {"task_type": "periodic",
                                   "url": rx.url("/paused"), "frequency": 60,
                                   "start_datetime": far})
        pause(s, token, paused)
        done = create(s, token, {"task_type": "one_time",
                                 "url": rx.url("/done"),
                                 "run_datetime": far})
        complete(s, done)
        before = {t: get_task(s, token, t) for t in (one, paused, done)}

        for task_id in (one, paused, done):
            sent, back, run_id = run_now(s, token, task_id)
            calls = rx.wait_for(1, MARGIN + 1,
                                where=lambda c: c.task_id == task_id)
            assert len(calls) == 1, (task_id, calls)
            call = calls[0]
            assert call.at - sent < MARGIN, call.at - sent
            assert call.run_id == run_id
            assert call.attempt == 1
            assert call.headers["x-scheduler-scheduled-for"] in (
                iso(sent), iso(back)), call.headers
            # Recorded like any attempt; the schedule is left alone.
            rows = wait_until(lambda: runs(s, token, task_id), 5)
            assert [(r["run_id"], r["attempt"], r["outcome"]) for r in rows] \
                == [(run_id, 1, "succeeded")], rows
            after = get_task(s, token, task_id)
            assert after["status"] == before[task_id]["status"], after
            assert after["next_run_datetime"] == \
                before[task_id]["next_run_datetime"], after
            assert after["run_count"] == before[task_id]["run_count"] + 1

        # No second call for any of them; the paused and the completed
        # task stay so, with no delivery left behind.
        time.sleep(2)
        for task_id in (paused, done):
            assert len([c for c in rx.snapshot() if c.task_id == task_id]) \
                == 1, rx.snapshot()
        assert get_task(s, token, paused)["status"] == "paused"
        assert get_task(s, token, done)["status"] == "completed"
        assert s.sql("SELECT COUNT(*) FROM deliveries")[0][0] == 0

        # The one-time task's own occurrence fires at its time, then it
        # completes.
        calls = rx.wait_for(2, due - time.time() + 5,
                            where=lambda c: c.task_id == one)
        assert len(calls) == 2, calls
        assert calls[1].headers["x-scheduler-scheduled-for"] == iso(due)
        assert calls[1].run_id != calls[0].run_id
        task = wait_until(lambda: (lambda t: t if t["status"] == "completed"
                                   else None)(get_task(s, token, one)), 5)
        assert task, get_task(s, token, one)
        assert task["run_count"] == 2
    finally:
        rx.stop()
