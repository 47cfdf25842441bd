"""An outcome transaction that committed but whose answer never came back
(the connection broke at that moment) is written again after the
reconnect; the second try finds the work already recorded and counts it
as what it was: each attempt has one run row, the dispatcher's `fired`
counts every success, and nothing is counted as a lost lease.

Made exact with the fault injection point lose-outcome-answer
(dispatcher/fault.h): the first outcome commit reports the connection
lost."""
import collections

from dispatch_receiver import Receiver, insert_one_time, wait_until

N = 20


def test_lost_commit_answer_counts_once(make_stack):
    s = make_stack(config={"heartbeat_interval": 1})
    rx = Receiver()
    try:
        insert_one_time(s, "answerless", rx.url("/answerless/"),
                        "NOW() + INTERVAL 1 SECOND", N)
        d = s.start_dispatcher(
            env={"SCHEDULER_DISPATCHER_FAULT": "lose-outcome-answer"})
        assert len(rx.wait_for(N, 10)) == N
        assert wait_until(lambda: s.sql(
            "SELECT fired, lost_leases FROM dispatchers WHERE pid = %s",
            (d.pid,))[0] == (N, 0), 10), s.sql(
            "SELECT fired, failed, lost_leases FROM dispatchers")
        runs = s.sql("SELECT run_id FROM task_runs")
        assert len(runs) == N
        assert set(collections.Counter(r[0] for r in runs).values()) == {1}
        assert s.sql("SELECT COUNT(*) FROM tasks WHERE status = 'completed'"
                     )[0][0] == N
        with open(d.log_path) as f:
            log = f.read()
        assert "commit answer lost" in log
        assert "came after their lease was lost" not in log
        assert len(rx.snapshot()) == N
    finally:
        rx.stop()
