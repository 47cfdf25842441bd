"""While MariaDB is away the API answers 503 `Service unavailable` (JSON)
at once and /health says `{"status": "error", "database": "unavailable"}`
within a second; checks that need no database keep their answers; when
MariaDB is back the API recovers by itself (docs/API.md §4, §5 and §21)."""
import os
import signal
import time

from api_helpers import (assert_error, assert_ok, assert_unauthorized,
                         create, get_task, metrics, new_user, periodic)
from dispatch_receiver import stopped, wait_until


def timed(s, *args, **kwargs):
    t0 = time.monotonic()
    resp = s.request(*args, **kwargs)
    return resp, time.monotonic() - t0


def test_database_away_is_503_and_comes_back(make_stack):
    s = make_stack()
    _, token = new_user(s)
    task = create(s, token, periodic())
    before = get_task(s, token, task)
    api, workers = s.api_pid, s.api_worker_pids()

    s.stop_db()
    for _ in range(8):     # every worker finds out on its own
        resp, took = timed(s, "GET", "/health")
        assert resp.status == 503, resp
        assert resp.json() == {"status": "error", "database": "unavailable"}
        assert took < 1.5, f"/health took {took:.2f} s"
        resp, took = timed(s, "GET", "/tasks", token=token)
        assert_error(resp, 503, "Service unavailable")
        assert took < 1.5, f"GET /tasks took {took:.2f} s"
    for method, path, body in (("GET", f"/tasks/{task}", None),
                               ("POST", "/tasks", periodic()),
                               ("POST", f"/tasks/{task}/pause", None),
                               ("POST", "/tasks/pause", {"ids": [task]}),
                               ("DELETE", f"/tasks/{task}", None),
                               ("GET", f"/tasks/{task}/runs", None)):
        assert_error(s.request(method, path, body=body, token=token), 503,
                     "Service unavailable")
    # Earlier checks keep their answers.
    assert_error(s.request("GET", "/no/such/path", token=token), 404,
                 "Not found")
    assert_error(s.request("PUT", "/tasks", token=token), 405,
                 "Method not allowed")
    assert_error(s.request("POST", "/tasks", token=token,
                           raw=b"{" + b" " * 70000 + b"}"), 413,
                 "Request body too large", no_store=False)
    # A missing or malformed header needs no database to be refused.
    assert_unauthorized(s.request("GET", "/tasks"))
    assert_unauthorized(s.request("POST", "/tasks", body=periodic(),
                                  headers={"Authorization": "Basic eDp5"}))
    m = metrics(s)
    assert m["scheduler_database_up"] == 0
    assert m['scheduler_http_requests_total{code="503"}'] >= 22

    s.start_db()
    deadline = time.monotonic() + 10
    while s.request("GET", "/tasks", token=token).status != 200:
        assert time.monotonic() < deadline, "API did not recover"
        time.sleep(0.1)
    for _ in range(12):
        assert assert_ok(s.request("GET", "/health")) == {"status": "ok",
                                                          "database": "ok"}
        assert get_task(s, token, task) == before
    create(s, token, periodic())
    assert metrics(s)["scheduler_database_up"] == 1
    assert s.api_pid == api and s.api_worker_pids() == workers, \
        "recovering took a restart"


def test_database_restarted_between_requests(make_stack):
    # A quick bounce: connections held by the workers are dead; the next
    # request on each reconnects rather than failing forever.
    s = make_stack(config={"workers": 2})
    _, token = new_user(s)
    task = create(s, token, periodic())
    s.stop_db()
    s.start_db()
    deadline = time.monotonic() + 10
    ok = 0
    while ok < 10:
        resp = s.request("GET", f"/tasks/{task}", token=token)
        if resp.status == 200:
            ok += 1
        else:
            assert_error(resp, 503, "Service unavailable")
            assert ok == 0, "a 503 after the API had recovered"
        assert time.monotonic() < deadline, "API did not recover"


def all_threads_stopped(pid):
    """True when every thread of pid is in the stopped state (T)."""
    tasks = os.listdir(f"/proc/{pid}/task")
    return all(stopped(f"{pid}/task/{t}") for t in tasks)


def test_hung_database_health_answers_within_a_second(make_stack):
    # mariadbd stopped (SIGSTOP): connections stay open but nothing
    # answers. /health's query gives up after 1 s; the workers' own
    # connection after its timeout, once (no retry doubling the wait).
    s = make_stack(config={"workers": 1})
    _, token = new_user(s)
    for _ in range(3):
        assert_ok(s.request("GET", "/tasks", token=token))
        assert_ok(s.request("GET", "/health"))
    os.kill(s.db.pid, signal.SIGSTOP)
    try:
        # kill() returns before every thread has stopped; on a loaded
        # machine a query could still be answered in between.
        assert wait_until(lambda: all_threads_stopped(s.db.pid), 5)
        for _ in range(2):
            resp, took = timed(s, "GET", "/health")
            assert resp.json() == {"status": "error",
                                   "database": "unavailable"}, resp
            assert took < 1.6, f"/health took {took:.2f} s"
        resp, took = timed(s, "GET", "/tasks", token=token)
        assert_error(resp, 503, "Service unavailable")
        assert took < 6.5, f"GET /tasks took {took:.2f} s"
    finally:
        os.kill(s.db.pid, signal.SIGCONT)
    deadline = time.monotonic() + 10
    while s.request("GET", "/tasks", token=token).status != 200:
        assert time.monotonic() < deadline, "API did not recover"
        time.sleep(0.1)
    assert_ok(s.request("GET", "/health"))
