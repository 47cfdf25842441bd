"""MariaDB restarted while occurrences are due and callbacks in flight:
nothing is lost (every task arrives at least once and ends completed with
its run recorded) and the same dispatcher process recovers by itself,
logging the loss and the reconnect once each."""
import collections
import time

from dispatch_receiver import Receiver, create, iso, wait_until

N = 300
SPREAD = 8      # seconds over which the tasks are due


def test_database_restart_loses_nothing(make_stack):
    s = make_stack(config={"callback_timeout": 3, "connect_timeout": 1,
                           "lease_seconds": 8})
    rx = Receiver(lambda call: (200, 0.05))
    try:
        token = s.token("restart")
        base = int(time.time()) + 3
        ids = [create(s, token, {"task_type": "one_time",
                                 "url": rx.url(f"/r/{i}"),
                                 "run_datetime": iso(base + i % SPREAD)})
               for i in range(N)]
        d = s.start_dispatcher()

        time.sleep(max(0, base + 2 - time.time()))
        s.stop_db()
        down_for = time.time()
        time.sleep(3)
        s.start_db()
        down_for = time.time() - down_for

        calls = rx.wait_for(N, 40, where=None)
        per_task = collections.Counter(c.task_id for c in rx.snapshot())
        missing = set(ids) - set(per_task)
        assert not missing, f"{len(missing)} of {N} never fired"
        dups = sum(n - 1 for n in per_task.values())
        print(f"database down {down_for:.1f} s; {len(calls)} calls, "
              f"{dups} repeated (at-least-once)")

        def all_done():
            return s.sql("SELECT COUNT(*) FROM tasks WHERE status = "
                         "'completed' AND last_run_outcome = 'succeeded'"
                         )[0][0] == N
        assert wait_until(all_done, 30), s.sql(
            "SELECT status, COUNT(*) FROM tasks GROUP BY status")
        assert s.sql("SELECT COUNT(*) FROM deliveries")[0][0] == 0
        assert s.sql("SELECT COUNT(DISTINCT task_seq) FROM task_runs "
                     "WHERE outcome = 'succeeded'")[0][0] == N
        assert d.alive()
        with open(d.log_path) as f:
            log = f.read()
        assert log.count("database lost") + \
            log.count("cannot connect to the database") >= 1, log
        assert "database connection regained" in log, log
    finally:
        rx.stop()
