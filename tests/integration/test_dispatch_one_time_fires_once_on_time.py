"""A one-time task fires exactly once, between its time and 1.5 s after
(never before), with every header of docs/API.md §17 and a signature that
Python's hmac verifies with the secret from `schedulerctl secret show`.
Afterwards the task reads completed, its run is listed, pause and resume
answer 409, and the status=completed filter finds it."""
import json
import time

from dispatch_receiver import (Receiver, create, get_task, iso,
                               next_whole_second, runs, verify_signature,
                               wait_until)

# docs/API.md §18: within about 1 s of its time; 0.5 s more for the test.
MARGIN = 1.5


def test_one_time_fires_once_on_time(make_stack):
    s = make_stack(dispatchers=1)
    rx = Receiver()
    try:
        token = s.token("onetime")
        secret = s.secret("onetime")
        due = next_whole_second(2)
        post_data = {"campaign": "spring", "url": "https://x/y",
                     "n": 18446744073709551615, "text": "h\u00e9llo"}
        task_id = create(s, token, {
            "task_type": "one_time", "url": rx.url("/hook?a=1"),
            "run_datetime": iso(due), "post_data": post_data,
            "headers": {"X-Campaign": "spring"}})

        calls = rx.wait_for(1, due - time.time() + 5)
        assert len(calls) == 1, calls
        call = calls[0]
        assert due <= call.at <= due + MARGIN, (call.at - due)

        assert call.method == "POST" and call.path == "/hook?a=1"
        assert call.headers["content-type"] == "application/json"
        assert call.headers["user-agent"].startswith("scheduler-service/")
        assert call.headers["x-scheduler-task-id"] == task_id
        assert len(call.run_id) == 32
        assert call.headers["x-scheduler-scheduled-for"] == iso(due)
        assert call.attempt == 1
        assert call.headers["x-campaign"] == "spring"
        # The body is post_data as stored: equal as JSON, slashes unescaped.
        assert b"https://x/y" in call.body
        assert json.loads(call.body) == post_data
        assert verify_signature(call, secret)
        t = int(call.headers["x-scheduler-signature"][2:].split(",")[0])
        assert abs(t - call.at) < 2

        task = wait_until(lambda: (lambda t: t if t["status"] == "completed"
                                   else None)(get_task(s, token, task_id)), 5)
        assert task, get_task(s, token, task_id)
        assert task["run_count"] == 1
        assert task["last_run_outcome"] == "succeeded"
        assert task["next_run_datetime"] is None
        assert abs(time.mktime(time.strptime(
            task["last_run_datetime"], "%Y-%m-%dT%H:%M:%SZ")) -
            time.timezone - call.at) < 2

        listed = runs(s, token, task_id)
        assert len(listed) == 1
        run = listed[0]
        assert run["run_id"] == call.run_id
        assert run["scheduled_for"] == iso(due)
        assert run["attempt"] == 1 and run["outcome"] == "succeeded"
        assert run["http_status"] == 200 and run["error"] is None
        assert run["started_at"].endswith("Z") and len(run["started_at"]) == 24
        assert run["duration_ms"] >= 0

        for action in ("pause", "resume"):
            resp = s.request("POST", f"/tasks/{task_id}/{action}", token=token)
            assert resp.status == 409, resp
            assert resp.json()["error"]["message"] == \
                "Task has already completed"
        resp = s.request("GET", "/tasks?status=completed", token=token)
        assert resp.status == 200
        assert [t["id"] for t in resp.json()["tasks"]] == [task_id]

        # Nothing more arrives.
        time.sleep(1.5)
        assert len(rx.snapshot()) == 1
    finally:
        rx.stop()
