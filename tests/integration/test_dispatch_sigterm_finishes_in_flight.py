"""SIGTERM stops a dispatcher cleanly: it claims nothing more, lets the
callback in flight finish and records it, marks itself stopped in the
dispatchers table and exits 0; work due afterwards is left for others."""
import signal
import time

from dispatch_receiver import (Receiver, create, get_task, iso,
                               next_whole_second, runs)


def test_sigterm_finishes_in_flight(make_stack):
    s = make_stack()
    d = s.start_dispatcher()
    rx = Receiver(lambda call: (200, 2.0))
    try:
        token = s.token("stopper")
        due = next_whole_second(1)
        task_id = create(s, token, {"task_type": "one_time",
                                    "url": rx.url("/slow"),
                                    "run_datetime": iso(due)})
        later = create(s, token, {"task_type": "one_time",
                                  "url": rx.url("/later"),
                                  "run_datetime": iso(due + 3)})
        assert len(rx.wait_for(1, due - time.time() + 5)) == 1
        asked = time.time()
        assert d.stop(sig=signal.SIGTERM, timeout=15) == 0
        took = time.time() - asked
        assert 1.0 <= took < 5, took     # waited for the 2 s answer

        task = get_task(s, token, task_id)
        assert task["status"] == "completed", task
        assert [r["outcome"] for r in runs(s, token, task_id)] == ["succeeded"]
        assert s.sql("SELECT stopped_at IS NOT NULL, fired FROM dispatchers "
                     "WHERE pid = %s", (d.pid,)) == [(1, 1)]
        time.sleep(max(0, due + 4 - time.time()))
        assert [c.path for c in rx.snapshot()] == ["/slow"]
        assert get_task(s, token, later)["status"] == "active"
        # Another dispatcher takes the rest.
        s.start_dispatcher()
        assert len(rx.wait_for(2, 3)) == 2
    finally:
        rx.stop()
