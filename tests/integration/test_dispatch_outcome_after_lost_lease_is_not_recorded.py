"""A dispatcher stalled (SIGSTOP) while its callbacks are in flight, for
longer than the lease, records nothing of them when it is resumed: the
occurrences belong to the dispatcher that took them over at the lease end
(which sent them again, with the same run id: the one duplicate the lease
rule allows, documented in scheduler-dispatcher(8)). The stalled one
writes no run row, counts no failure, and its lost_leases counter (and
/metrics) says how many outcomes it threw away.

Lease 8 s, callback_timeout 3 s + connect_timeout 1 s; the receiver
answers 200 after 1 s, so the stalled dispatcher finds a success waiting
when it is resumed."""
import collections
import os
import signal
import time

from dispatch_receiver import Receiver, insert_one_time, wait_until

LEASE = 8
N = 20


def test_outcome_after_lost_lease_is_not_recorded(make_stack):
    s = make_stack(config={"callback_timeout": 3, "connect_timeout": 1,
                           "lease_seconds": LEASE, "heartbeat_interval": 1})
    rx = Receiver(lambda call: (200, 1.0))
    try:
        insert_one_time(s, "inflight", rx.url("/inflight/"),
                        "NOW() + INTERVAL 1 SECOND", N)
        first = s.start_dispatcher()
        sent = rx.wait_for(N, 10)
        assert len(sent) == N
        os.kill(first.pid, signal.SIGSTOP)
        stalled_at = time.time()
        first_id = s.sql("SELECT id FROM dispatchers WHERE pid = %s",
                         (first.pid,))[0][0]

        second = s.start_dispatcher()
        again = rx.wait_for(2 * N, LEASE + 10)
        assert len(again) == 2 * N, len(again)
        assert wait_until(lambda: s.sql(
            "SELECT COUNT(*) FROM task_runs")[0][0] == N, 10)

        time.sleep(max(0.0, stalled_at + LEASE + 2 - time.time()))
        os.kill(first.pid, signal.SIGCONT)
        # Its heartbeat (every second) brings the counters.
        assert wait_until(lambda: s.sql(
            "SELECT lost_leases FROM dispatchers WHERE id = %s",
            (first_id,))[0][0] == N, 10), s.sql(
            "SELECT * FROM dispatchers WHERE id = %s", (first_id,))
        fired, failed = s.sql("SELECT fired, failed FROM dispatchers "
                              "WHERE id = %s", (first_id,))[0]
        assert (fired, failed) == (0, 0)

        rows = s.sql("SELECT run_id, outcome, dispatcher FROM task_runs")
        assert len(rows) == N, len(rows)
        assert all(r[1] == "succeeded" for r in rows)
        assert not [r for r in rows if r[2] == first_id]
        assert sorted(collections.Counter(r[0] for r in rows).values()) == \
            [1] * N
        assert s.sql("SELECT COUNT(*) FROM deliveries")[0][0] == 0
        with open(first.log_path) as f:
            assert "came after their lease was lost" in f.read()

        metrics = s.request("GET", "/metrics").text
        assert f'scheduler_dispatcher_lost_leases_total{{when="after_start"}} ' \
            f'{N}' in metrics, metrics
        # Every run id twice at the receiver, no third time.
        time.sleep(1)
        per_run = collections.Counter(c.run_id for c in rx.snapshot())
        assert sorted(per_run.values()) == [2] * N
        second.stop()
    finally:
        rx.stop()
