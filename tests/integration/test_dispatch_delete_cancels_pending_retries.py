"""Deleting a task before its time means it never fires; deleting it
while a retry is pending cancels the retry (nothing more arrives); and
deleting a task whose attempt is in flight lets that attempt finish
without harm: its outcome is dropped, the task stays gone (404), and the
dispatcher keeps firing other tasks."""
import time

from dispatch_receiver import Receiver, create, iso, next_whole_second


def respond(call):
    if call.path == "/failing":
        return 500
    if call.path == "/in-flight":
        return 200, 2.0
    return 200


def test_delete_cancels_pending_retries(make_stack):
    s = make_stack(dispatchers=1)
    rx = Receiver(respond)
    try:
        token = s.token("deleter")
        due = next_whole_second(1)
        failing = create(s, token, {"task_type": "one_time",
                                    "url": rx.url("/failing"),
                                    "run_datetime": iso(due)})
        in_flight = create(s, token, {"task_type": "one_time",
                                      "url": rx.url("/in-flight"),
                                      "run_datetime": iso(due)})
        early = create(s, token, {"task_type": "one_time",
                                  "url": rx.url("/never"),
                                  "run_datetime": iso(due)})
        resp = s.request("DELETE", f"/tasks/{early}", token=token)
        assert resp.status == 200, resp
        got = rx.wait_for(2, due - time.time() + 5)
        assert len(got) == 2, got
        for task_id in (failing, in_flight):
            resp = s.request("DELETE", f"/tasks/{task_id}", token=token)
            assert resp.status == 200, resp

        time.sleep(6)     # past the whole dev retry chain of the first
        assert sorted(c.path for c in rx.snapshot()) == \
            ["/failing", "/in-flight"]
        for task_id in (failing, in_flight):
            assert s.request("GET", f"/tasks/{task_id}",
                             token=token).status == 404
            assert s.request("GET", f"/tasks/{task_id}/runs",
                             token=token).status == 404
        assert s.sql("SELECT COUNT(*) FROM deliveries")[0][0] == 0
        assert s.sql("SELECT COUNT(*) FROM task_runs")[0][0] == 0

        # The dispatcher is healthy: a new task fires on time.
        due = next_whole_second(1)
        create(s, token, {"task_type": "one_time", "url": rx.url("/after"),
                          "run_datetime": iso(due)})
        after = rx.wait_for(1, due - time.time() + 3,
                            where=lambda c: c.path == "/after")
        assert len(after) == 1 and after[0].at - due < 1.5
        with open(s.dispatchers[0].log_path) as f:
            log = f.read()
        assert " error:" not in log, log
    finally:
        rx.stop()
