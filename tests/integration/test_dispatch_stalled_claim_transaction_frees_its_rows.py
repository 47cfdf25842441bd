"""A dispatcher stalled (SIGSTOP) in the middle of a claim transaction
holds row locks on the tasks it was claiming, and no lease covers them:
other dispatchers' SKIP LOCKED passes those rows over. The server ends a
dispatcher's transaction left idle for 10 s (idle_transaction_timeout),
so another dispatcher fires them then, once each; the stalled one,
resumed later, finds its connection gone, has committed nothing and sends
nothing.

The stall is made exact with the fault injection point stop-in-claim
(dispatcher/fault.h): SIGSTOP inside the first claim transaction that
takes work, before its commit."""
import collections
import os
import signal
import time

from dispatch_receiver import (Receiver, insert_one_time, stopped,
                               wait_until)

N = 30
IDLE_TIMEOUT = 10


def test_stalled_claim_transaction_frees_its_rows(make_stack):
    s = make_stack(config={"heartbeat_interval": 1})
    rx = Receiver()
    try:
        insert_one_time(s, "midclaim", rx.url("/midclaim/"),
                        "NOW() + INTERVAL 1 SECOND", N)
        first = s.start_dispatcher(
            env={"SCHEDULER_DISPATCHER_FAULT": "stop-in-claim"})
        assert wait_until(lambda: stopped(first.pid), 10), "no stop"
        stalled_at = time.time()
        # Nothing committed: no delivery exists, the rows are only locked.
        assert s.sql("SELECT COUNT(*) FROM deliveries")[0][0] == 0

        s.start_dispatcher()
        calls = rx.wait_for(N, IDLE_TIMEOUT + 10)
        assert len(calls) == N, len(calls)
        # Held until the server ended the stalled transaction, not longer.
        late = max(c.at for c in calls) - stalled_at
        assert late < IDLE_TIMEOUT + 3, late

        os.kill(first.pid, signal.SIGCONT)
        assert wait_until(lambda: s.sql(
            "SELECT COUNT(*) FROM tasks WHERE status = 'completed'")[0][0]
            == N, 10)
        time.sleep(3)
        per_run = collections.Counter(c.run_id for c in rx.snapshot())
        assert len(per_run) == N and set(per_run.values()) == {1}, per_run
        first_id = s.sql("SELECT id FROM dispatchers WHERE pid = %s",
                         (first.pid,))[0][0]
        assert s.sql("SELECT COUNT(*) FROM task_runs WHERE dispatcher = %s",
                     (first_id,))[0][0] == 0
        with open(first.log_path) as f:
            assert "database lost during claim" in f.read()
    finally:
        rx.stop()
