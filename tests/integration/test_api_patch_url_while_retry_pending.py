"""Changing the url while a retry waits (docs/API.md §14.3): the attempt in
flight finishes at the old url; the pending retry goes to the new url,
with the task's new headers and body, and keeps its run id and attempt
count."""
from dispatch_receiver import (Receiver, body_json, create, iso,
                               next_whole_second, runs, wait_until)


def test_retry_goes_to_the_new_url(make_stack):
    s = make_stack(dispatchers=1)
    rx = Receiver(lambda call: 500 if call.path == "/old" else 200)
    try:
        token = s.token("purl")
        task = create(s, token, {"task_type": "one_time",
                                 "url": rx.url("/old"),
                                 "run_datetime": iso(next_whole_second(1)),
                                 "post_data": {"v": 1}})
        first = rx.wait_for(1, 10)
        assert [c.path for c in first] == ["/old"], first
        resp = s.request("PATCH", f"/tasks/{task}", token=token,
                         body={"url": rx.url("/new"), "post_data": {"v": 2},
                               "headers": {"X-Changed": "yes"}})
        assert resp.status == 200, resp
        calls = rx.wait_for(1, 15, where=lambda c: c.path == "/new")
        assert calls, rx.snapshot()
        retry = calls[0]
        assert retry.run_id == first[0].run_id
        assert retry.attempt == 2
        assert body_json(retry) == {"v": 2}
        assert retry.headers.get("x-changed") == "yes"
        old = [c for c in rx.snapshot() if c.path == "/old"]
        assert len(old) == 1, old
        assert wait_until(lambda: len(runs(s, token, task)) == 2, 10)
    finally:
        rx.stop()
