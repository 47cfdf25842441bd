"""A receiver answering 500 gets retries with exponential backoff (dev
profile: 3 attempts, base 2 s, cap 8 s; jitter keeps each wait in
[d/2, d]), the same run id and increasing X-Scheduler-Attempt; the last
failure is recorded as failed; and the retrying occurrence does not delay
the task's next occurrence, which still fires on time."""
import time

from dispatch_receiver import (Receiver, create, get_task, iso,
                               next_whole_second, runs, wait_until)

FREQ = 4


def test_failing_receiver_is_retried(make_stack):
    s = make_stack(dispatchers=1)
    first_run = []

    def respond(call):
        # /down always fails; on /flaky the first occurrence always fails
        # and every later one succeeds.
        if call.path == "/down":
            return 500
        if not first_run:
            first_run.append(call.run_id)
        return 500 if call.run_id == first_run[0] else 200

    rx = Receiver(respond)
    try:
        token = s.token("retry")
        start = next_whole_second(1)
        task_id = create(s, token, {
            "task_type": "periodic", "url": rx.url("/flaky"),
            "frequency": FREQ, "start_datetime": iso(start),
            "end_datetime": iso(start + FREQ + 1)})
        one_time = create(s, token, {
            "task_type": "one_time", "url": rx.url("/down"),
            "run_datetime": iso(start)})

        failing = rx.wait_for(3, 15, where=lambda c: c.path == "/flaky" and
                              c.run_id == first_run[0])
        assert [c.attempt for c in failing] == [1, 2, 3], failing
        gaps = [b.at - a.at for a, b in zip(failing, failing[1:])]
        assert 1 - 0.3 <= gaps[0] <= 2 + 1, gaps
        assert 2 - 0.3 <= gaps[1] <= 4 + 1, gaps
        assert failing[0].headers["x-scheduler-scheduled-for"] == iso(start)

        # The next occurrence fires on its slot while the first retries.
        # The retries may all be over before that slot (1-2 s + 2-4 s of
        # jitter against a 4 s frequency), so wait for it past its margin.
        rx.wait_for(1, max(0.0, start + FREQ + 1.5 - time.time()),
                    where=lambda c: c.path == "/flaky" and
                    c.run_id != first_run[0])
        time.sleep(0.2)     # a duplicate would arrive right behind it
        second = [c for c in rx.snapshot()
                  if c.path == "/flaky" and c.run_id != first_run[0]]
        assert len(second) == 1, second
        assert start + FREQ <= second[0].at <= start + FREQ + 1.5
        assert second[0].at < failing[2].at or gaps[0] + gaps[1] < FREQ
        assert second[0].attempt == 1

        task = wait_until(lambda: (lambda t: t if t["status"] == "completed"
                                   else None)(get_task(s, token, task_id)), 5)
        assert task and task["run_count"] == 2, get_task(s, token, task_id)
        history = runs(s, token, task_id)
        mine = sorted((r for r in history if r["run_id"] == first_run[0]),
                      key=lambda r: r["attempt"])
        assert [(r["attempt"], r["outcome"], r["http_status"], r["error"])
                for r in mine] == [(1, "retrying", 500, "HTTP 500"),
                                   (2, "retrying", 500, "HTTP 500"),
                                   (3, "failed", 500, "HTTP 500")]
        assert all(r["scheduled_for"] == iso(start) for r in mine)

        # A one-time task whose every attempt failed is completed, failed.
        down = wait_until(lambda: (lambda t: t if t["status"] == "completed"
                                   else None)(get_task(s, token, one_time)), 10)
        assert down, get_task(s, token, one_time)
        assert down["last_run_outcome"] == "failed"
        assert down["run_count"] == 1
        assert [r["outcome"] for r in runs(s, token, one_time)] == \
            ["failed", "retrying", "retrying"]
    finally:
        rx.stop()
