"""A periodic task (development min_frequency = 4) fires at start +
k*frequency while <= end: the exact number of calls, on their slots with
no drift, one distinct run id each; then it reads completed."""
import time

from dispatch_receiver import (Receiver, create, get_task, iso,
                               next_whole_second, runs, wait_until)

FREQ = 4
SLOTS = 3
MARGIN = 1.5


def test_periodic_fires_on_schedule(make_stack):
    s = make_stack(dispatchers=1)
    rx = Receiver()
    try:
        token = s.token("periodic")
        start = next_whole_second(2)
        # An end between slots: the last slot is start + 2*FREQ.
        end = start + (SLOTS - 1) * FREQ + 2
        task_id = create(s, token, {
            "task_type": "periodic", "url": rx.url("/tick"),
            "frequency": FREQ, "start_datetime": iso(start),
            "end_datetime": iso(end), "post_data": {"k": "v"}})

        calls = rx.wait_for(SLOTS, end - time.time() + 5)
        time.sleep(FREQ + 1)    # nothing after the end
        calls = rx.snapshot()
        assert len(calls) == SLOTS, calls
        for k, call in enumerate(calls):
            slot = start + k * FREQ
            assert slot <= call.at <= slot + MARGIN, (k, call.at - slot)
            assert call.headers["x-scheduler-scheduled-for"] == iso(slot)
            assert call.attempt == 1
        assert len({c.run_id for c in calls}) == SLOTS

        task = wait_until(lambda: (lambda t: t if t["status"] == "completed"
                                   else None)(get_task(s, token, task_id)), 5)
        assert task, get_task(s, token, task_id)
        assert task["run_count"] == SLOTS
        assert task["last_run_outcome"] == "succeeded"
        assert task["next_run_datetime"] is None
        listed = runs(s, token, task_id)
        assert sorted(r["run_id"] for r in listed) == \
            sorted(c.run_id for c in calls)
        # Newest first.
        assert [r["scheduled_for"] for r in listed] == \
            [iso(start + k * FREQ) for k in reversed(range(SLOTS))]
    finally:
        rx.stop()
