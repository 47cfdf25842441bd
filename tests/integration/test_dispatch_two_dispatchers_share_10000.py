"""Two dispatchers on one database, 10,000 one-time occurrences due
within three seconds: every task arrives exactly once at the receiver
(zero duplicates, zero missing), and each dispatcher fired at least 25 %
of them by its own counters in the dispatchers table.

For speed the fixture inserts the task rows with one SQL statement, as
the API would store them (one_time, next_run_at = run_at), instead of
10,000 POSTs."""
import collections
import time

from dispatch_receiver import Receiver, insert_one_time, wait_until

N = 10000


def test_two_dispatchers_share_10000(make_stack):
    # Heartbeats (which carry the counters) every second.
    s = make_stack(config={"heartbeat_interval": 1}, dispatchers=2)
    rx = Receiver()
    try:
        insert_one_time(s, "bulk", rx.url("/bulk/"),
                        "NOW() + INTERVAL 3 + seq % 3 SECOND", N)
        first_due = time.time() + 2

        calls = rx.wait_for(N, 120)
        time.sleep(1)
        calls = rx.snapshot()
        per_task = collections.Counter(c.task_id for c in calls)
        dups = {t: n for t, n in per_task.items() if n > 1}
        assert not dups, f"{len(dups)} tasks fired more than once"
        assert len(per_task) == N, f"{N - len(per_task)} tasks missing"
        # Each task its own URL: every one of /bulk/1 .. /bulk/N once.
        assert sorted(int(c.path.rsplit("/", 1)[1]) for c in calls) == \
            list(range(1, N + 1))
        early = [c for c in calls if c.at <
                 time.mktime(time.strptime(
                     c.headers["x-scheduler-scheduled-for"],
                     "%Y-%m-%dT%H:%M:%SZ")) - time.timezone]
        assert not early, early[:3]
        spread = max(c.at for c in calls) - first_due
        print(f"10000 callbacks by {spread:.1f} s after the first due time")

        assert wait_until(lambda: s.sql(
            "SELECT COUNT(*) FROM task_runs")[0][0] == N, 30)
        # The counters come with the next heartbeat.
        assert wait_until(lambda: s.sql(
            "SELECT SUM(fired) FROM dispatchers")[0][0] == N, 5)
        fired = [r[0] for r in s.sql(
            "SELECT fired FROM dispatchers ORDER BY id")]
        assert len(fired) == 2 and sum(fired) == N, fired
        print(f"fired per dispatcher: {fired}")
        assert min(fired) >= N // 4, fired
        assert s.sql("SELECT COUNT(*) FROM tasks WHERE status = 'completed' "
                     "AND run_count = 1")[0][0] == N
        assert s.sql("SELECT COUNT(*) FROM deliveries")[0][0] == 0
    finally:
        rx.stop()
