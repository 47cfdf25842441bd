"""A dispatcher stalled (SIGSTOP) after claiming, for longer than the
lease, fires nothing stale when it is resumed: another dispatcher has
fired the occurrences at the lease end, and the stalled one neither sends
them again nor writes a run row; its lease counters say what happened.

The stall is made exact with the dispatcher's fault injection
(SCHEDULER_DISPATCHER_FAULT, dispatcher/fault.h), at two points: right
after its first claim commits (stop-after-claim), and right after the
claimed transfers were handed to libcurl, which connects and sends only
in a later pass (stop-after-start: the window the fire-time lease check
closes). The clock test runs the stalled dispatcher with its wall clock
30 s behind the database's (LD_PRELOAD shim, clock_shim.py), the case in
which the old loop held claimed work for 30 s by its own clock and then
fired it after the lease was gone.

Lease 8 s, callback_timeout 2 s + connect_timeout 1 s: a claim may start
within its first 2.5 s only (half of the 5 s left over is kept for
recording the outcome)."""
import collections
import os
import signal
import time

import pytest

from clock_shim import env_for
from dispatch_receiver import (Receiver, insert_one_time, stopped,
                               wait_until)

LEASE = 8
N = 40
CONFIG = {"callback_timeout": 2, "connect_timeout": 1, "lease_seconds": LEASE,
          "heartbeat_interval": 1}


def dispatcher_row(s, pid):
    return s.sql("SELECT id, fired, failed, lost_leases, expired_claims, "
                 "clock_offset_ms FROM dispatchers WHERE pid = %s", (pid,))[0]


def stall_past_lease(s, rx, shift, point="stop-after-claim"):
    """Runs the scenario; returns (calls, the stalled dispatcher)."""
    insert_one_time(s, "stall", rx.url("/stall/"),
                    "NOW() + INTERVAL 1 SECOND", N)
    first = s.start_dispatcher(env={"SCHEDULER_DISPATCHER_FAULT": point,
                                    **(env_for(shift) if shift else {})})
    # It claims every due task at once, then stops itself.
    assert wait_until(lambda: stopped(first.pid), 10), "no stop after claim"
    claimed = s.sql("SELECT COUNT(*) FROM deliveries WHERE claimed_by "
                    "IS NOT NULL")[0][0]
    assert claimed == N, claimed
    stalled_at = time.time()
    assert rx.snapshot() == [], "the stalled dispatcher sent before stopping"

    second = s.start_dispatcher()
    calls = rx.wait_for(N, LEASE + 10)
    assert len(calls) == N, len(calls)
    # Not before the stalled dispatcher's lease ran out.
    assert min(c.at for c in calls) >= stalled_at + LEASE - 2.5, \
        min(c.at for c in calls) - stalled_at
    assert wait_until(lambda: s.sql(
        "SELECT COUNT(*) FROM task_runs")[0][0] == N, 10)

    # Resumed well past the lease: it must start nothing and record nothing.
    time.sleep(max(0.0, stalled_at + LEASE + 4 - time.time()))
    os.kill(first.pid, signal.SIGCONT)
    time.sleep(4)
    calls = rx.snapshot()
    row = dispatcher_row(s, first.pid)
    assert s.sql("SELECT COUNT(*) FROM task_runs WHERE dispatcher = %s",
                 (row[0],))[0][0] == 0
    second.stop()
    return calls, first


def check_counted(s, first):
    """The stalled dispatcher's claims were left unstarted and counted,
    never as failures; returns its row."""
    assert wait_until(lambda: dispatcher_row(s, first.pid)[4] == N, 5), \
        dispatcher_row(s, first.pid)
    row = dispatcher_row(s, first.pid)
    assert row[1] == 0 and row[2] == 0, row
    with open(first.log_path) as f:
        log = f.read()
    assert "can no longer finish within their lease" in log
    # Nothing was sent, so no outcome came late either.
    assert "came after their lease was lost" not in log
    return row


def check_once_each(s, calls):
    per_run = collections.Counter(c.run_id for c in calls)
    dups = {r: n for r, n in per_run.items() if n > 1}
    assert not dups, f"{len(dups)} run ids arrived twice"
    assert len(per_run) == N
    assert s.sql("SELECT COUNT(*) FROM task_runs WHERE outcome = "
                 "'succeeded'")[0][0] == N
    assert s.sql("SELECT COUNT(*) FROM tasks WHERE status = 'completed' "
                 "AND run_count = 1")[0][0] == N


@pytest.mark.parametrize("point", ["stop-after-claim", "stop-after-start"])
def test_stalled_dispatcher_fires_nothing_stale(make_stack, point):
    s = make_stack(config=CONFIG)
    rx = Receiver()
    try:
        calls, first = stall_past_lease(s, rx, 0, point)
        check_once_each(s, calls)
        check_counted(s, first)
    finally:
        rx.stop()


def test_stalled_dispatcher_with_clock_30s_behind(make_stack):
    s = make_stack(config=CONFIG)
    rx = Receiver()
    try:
        calls, first = stall_past_lease(s, rx, -30)
        check_once_each(s, calls)
        row = check_counted(s, first)
        # The database's clock is 30 s ahead of this dispatcher's.
        assert 29000 <= row[5] <= 31000, row
    finally:
        rx.stop()
