"""A task row held locked elsewhere (an operator's open transaction, or
`schedulerctl user disable` of a user with many tasks) while a healthy
dispatcher's outcome for it waits: the dispatcher keeps its lease
(renewed every quarter of a lease while the outcome waits; a lock wait
gives up after 2 s and is retried on the same connection), so another
healthy dispatcher never fires the occurrence again, however long the
lock is held. When the lock goes, the outcome is recorded once.

Found by review: before, the outcome's lock wait ran into the 5 s read
timeout, the connection was taken for lost, the lease ran out and the
second dispatcher fired the same run id. Lease 8 s; the lock is held for
3 leases."""
import collections
import time

import pymysql

from dispatch_receiver import Receiver, insert_one_time, wait_until

LEASE = 8
CONFIG = {"callback_timeout": 2, "connect_timeout": 1, "lease_seconds": LEASE,
          "heartbeat_interval": 1}


def test_locked_task_row_keeps_the_lease(make_stack):
    s = make_stack(config=CONFIG)
    rx = Receiver(respond=lambda call: (200, 1.0))
    lock = None
    try:
        insert_one_time(s, "locked", rx.url("/locked/"),
                        "NOW() + INTERVAL 1 SECOND", 1)
        seq = s.sql("SELECT seq FROM tasks")[0][0]
        first = s.start_dispatcher()
        assert wait_until(lambda: len(rx.snapshot()) == 1, 10)
        # In flight (the receiver answers after 1 s): lock the task's row.
        lock = pymysql.connect(unix_socket=s.db_socket, user="root",
                               database="scheduler", autocommit=False)
        cur = lock.cursor()
        cur.execute("SET SESSION innodb_lock_wait_timeout = 100")
        cur.execute("BEGIN")
        cur.execute("SELECT seq FROM tasks WHERE seq = %s FOR UPDATE", (seq,))
        s.start_dispatcher()
        time.sleep(3 * LEASE)
        assert len(rx.snapshot()) == 1, rx.snapshot()
        assert s.sql("SELECT COUNT(*) FROM task_runs")[0][0] == 0
        lock.rollback()
        lock.close()
        lock = None

        assert wait_until(lambda: s.sql(
            "SELECT COUNT(*) FROM task_runs")[0][0] == 1, 10)
        time.sleep(2)
        per_run = collections.Counter(c.run_id for c in rx.snapshot())
        assert list(per_run.values()) == [1], per_run
        first_id = s.sql("SELECT id FROM dispatchers WHERE pid = %s",
                         (first.pid,))[0][0]
        rows = s.sql("SELECT outcome, dispatcher FROM task_runs")
        assert [tuple(r) for r in rows] == [("succeeded", first_id)], rows
        assert wait_until(lambda: s.sql(
            "SELECT SUM(lost_leases) FROM dispatchers")[0][0] == 0, 3)
        with open(first.log_path) as f:
            assert "database lost" not in f.read()
    finally:
        if lock is not None:
            lock.close()
        rx.stop()
