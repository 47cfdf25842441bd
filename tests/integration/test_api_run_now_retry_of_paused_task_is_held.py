"""Run now of a paused task fires its first attempt, but a retry that
follows is held while the task stays paused (as every retry of a paused
task): nothing more arrives, the delivery is held; on resume it is tried
at once with the same run id and the next attempt number."""
import time

from api_helpers import assert_ok, pause, resume
from dispatch_receiver import Receiver, create, get_task, iso, runs, wait_until


def test_run_now_retry_of_paused_task_is_held(make_stack):
    s = make_stack(dispatchers=1)
    failing = [True]
    rx = Receiver(lambda call: 500 if failing[0] else 200)
    try:
        token = s.token("heldrun")
        task_id = create(s, token, {"task_type": "periodic",
                                    "url": rx.url("/held"), "frequency": 3600,
                                    "start_datetime": iso(time.time() + 3600)})
        pause(s, token, task_id)
        run_id = assert_ok(s.request("POST", f"/tasks/{task_id}/run",
                                     token=token), 202)["run_id"]
        first = rx.wait_for(1, 3)
        assert len(first) == 1 and first[0].run_id == run_id, first

        # Dev profile: the retry would come 1-2 s later; it is held.
        held = wait_until(lambda: s.sql(
            "SELECT held FROM deliveries WHERE run_id = %s AND attempt = 2",
            (run_id,)), 5)
        assert held == [(1,)], s.sql("SELECT * FROM deliveries")
        time.sleep(4)
        assert len(rx.snapshot()) == 1, rx.snapshot()
        assert [(r["attempt"], r["outcome"]) for r in runs(s, token, task_id)] \
            == [(1, "retrying")]
        assert get_task(s, token, task_id)["status"] == "paused"

        failing[0] = False
        resumed = time.time()
        resume(s, token, task_id)
        calls = rx.wait_for(2, 5)
        assert len(calls) == 2, calls
        assert calls[1].run_id == run_id
        assert calls[1].attempt == 2
        assert calls[1].at - resumed < 1.5
        assert calls[1].headers["x-scheduler-scheduled-for"] == \
            first[0].headers["x-scheduler-scheduled-for"]
        rows = wait_until(lambda: (lambda r: r if len(r) == 2 else None)(
            runs(s, token, task_id)), 5)
        assert [(r["attempt"], r["outcome"]) for r in rows] == \
            [(2, "succeeded"), (1, "retrying")], rows
        task = get_task(s, token, task_id)
        assert task["status"] == "active"
        assert task["run_count"] == 1
    finally:
        rx.stop()
