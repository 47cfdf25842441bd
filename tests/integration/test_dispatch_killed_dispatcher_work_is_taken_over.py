"""A dispatcher SIGKILLed while its callbacks hang loses nothing: after
its lease ends, another dispatcher fires the same occurrences with the
same X-Scheduler-Run-Id (at-least-once), never before the lease ends, and
records them. The stack uses a short lease: callback_timeout 3 s +
connect_timeout 1 s < lease_seconds 6 s."""
import signal
import time

from dispatch_receiver import (Receiver, create, get_task, iso,
                               next_whole_second, runs, wait_until)

LEASE = 6
N = 5


def test_killed_dispatcher_work_is_taken_over(make_stack):
    s = make_stack(config={"callback_timeout": 3, "connect_timeout": 1,
                           "lease_seconds": LEASE})
    seen = set()

    def respond(call):
        # The first delivery of each occurrence hangs; a repeat succeeds.
        if call.run_id in seen:
            return 200
        seen.add(call.run_id)
        return "hang"

    rx = Receiver(respond)
    try:
        token = s.token("takeover")
        due = next_whole_second(1)
        ids = [create(s, token, {"task_type": "one_time",
                                 "url": rx.url(f"/slow/{i}"),
                                 "run_datetime": iso(due)})
               for i in range(N)]
        first = s.start_dispatcher()
        hung = rx.wait_for(N, due - time.time() + 5)
        assert len(hung) == N, hung
        assert first.stop(sig=signal.SIGKILL) == -signal.SIGKILL
        killed_at = time.time()

        s.start_dispatcher()
        again = rx.wait_for(2 * N, LEASE + 8)
        assert len(again) == 2 * N, again
        repeats = again[N:]
        assert sorted(c.run_id for c in repeats) == \
            sorted(c.run_id for c in hung)
        # Not before the lease taken at claim time (just before the first
        # delivery) had run out.
        claimed_by = min(c.at for c in hung)
        assert all(c.at >= claimed_by + LEASE - 1.0 for c in repeats), \
            [c.at - claimed_by for c in repeats]
        assert all(c.attempt == 1 for c in repeats)
        assert max(c.at for c in repeats) - killed_at < LEASE + 3

        for task_id in ids:
            t = wait_until(lambda: (lambda t: t if t["status"] == "completed"
                                    else None)(get_task(s, token, task_id)),
                           5)
            assert t and t["run_count"] == 1 and \
                t["last_run_outcome"] == "succeeded", t
            listed = runs(s, token, task_id)
            assert len(listed) == 1 and listed[0]["outcome"] == "succeeded"
        time.sleep(1)
        assert len(rx.snapshot()) == 2 * N
    finally:
        rx.stop()
