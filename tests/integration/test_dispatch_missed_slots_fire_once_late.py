"""A dispatcher stopped across three slots of a periodic task and then
restarted makes exactly one late call, for the latest missed slot (with
that slot as X-Scheduler-Scheduled-For), and the schedule continues on its
next slot, on time: no burst of catch-up calls."""
import time

from dispatch_receiver import Receiver, create, iso, next_whole_second

FREQ = 4


def test_missed_slots_fire_once_late(make_stack):
    s = make_stack(dispatchers=0)
    rx = Receiver()
    try:
        token = s.token("missed")
        start = next_whole_second(1)
        task_id = create(s, token, {
            "task_type": "periodic", "url": rx.url("/late"),
            "frequency": FREQ, "start_datetime": iso(start)})
        d = s.start_dispatcher()
        first = rx.wait_for(1, start - time.time() + 3)
        assert len(first) == 1 and first[0].at - start < 1.5, first
        assert d.stop() == 0

        # Down across slots +4, +8 and +12; back 1.5 s after +12.
        restart = start + 3 * FREQ + 1.5
        time.sleep(max(0, restart - time.time()))
        assert len(rx.snapshot()) == 1
        s.start_dispatcher()

        late = rx.wait_for(2, 3)
        assert len(late) == 2, late
        assert late[1].headers["x-scheduler-scheduled-for"] == \
            iso(start + 3 * FREQ)
        assert late[1].at - restart < 1.5
        # Back on schedule: the next call is the next slot, on time.
        nxt = start + 4 * FREQ
        calls = rx.wait_for(3, nxt - time.time() + 3)
        assert len(calls) == 3, calls
        assert calls[2].headers["x-scheduler-scheduled-for"] == iso(nxt)
        assert nxt <= calls[2].at <= nxt + 1.5
        assert {c.task_id for c in calls} == {task_id}
        assert len({c.run_id for c in calls}) == 3
        time.sleep(0.5)
        assert len(rx.snapshot()) == 3
    finally:
        rx.stop()
