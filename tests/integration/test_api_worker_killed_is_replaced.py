"""A worker killed with SIGKILL is replaced by the master; requests keep
succeeding meanwhile, and /metrics counters (totals across workers) do
not reset (docs/API.md §5 and §21)."""
import os
import signal
import time

from api_helpers import assert_ok, create, metrics, new_user, periodic


def wait_workers(s, n, gone, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = s.api_worker_pids()
        if len(pids) == n and not set(pids) & set(gone):
            return pids
        time.sleep(0.05)
    raise AssertionError(f"workers {s.api_worker_pids()} after killing "
                         f"{gone}: expected {n} new ones")


def requests_succeed(s, token, task, n):
    for _ in range(n):
        assert_ok(s.request("GET", f"/tasks/{task}", token=token))


def test_killed_workers_are_replaced_and_counters_survive(make_stack):
    s = make_stack(config={"workers": 3})
    _, token = new_user(s)
    task = create(s, token, periodic())
    master = s.api_pid
    workers = s.api_worker_pids()
    assert len(workers) == 3
    requests_succeed(s, token, task, 20)
    before = metrics(s)
    assert before["scheduler_api_worker_starts_total"] == 3
    ok_before = before['scheduler_http_requests_total{code="200"}']
    assert ok_before >= 20

    os.kill(workers[0], signal.SIGKILL)
    requests_succeed(s, token, task, 20)
    workers = wait_workers(s, 3, workers[:1])
    requests_succeed(s, token, task, 10)

    # Two at once, then the rest serve alone until the master refills.
    os.kill(workers[0], signal.SIGKILL)
    os.kill(workers[1], signal.SIGKILL)
    requests_succeed(s, token, task, 10)
    wait_workers(s, 3, workers[:2])
    requests_succeed(s, token, task, 10)

    after = metrics(s)
    assert after["scheduler_api_worker_starts_total"] == 6
    # The 200s counted before the kills are still there, plus our 50 since
    # and the first scrape (counted once it was answered).
    assert after['scheduler_http_requests_total{code="200"}'] == \
        ok_before + 50 + 1
    assert s.api_pid == master and s.api.alive()


def test_all_workers_killed_the_service_comes_back(make_stack):
    s = make_stack(config={"workers": 2})
    _, token = new_user(s)
    task = create(s, token, periodic())
    time.sleep(2.1)     # past the master's quick-death window
    workers = s.api_worker_pids()
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    wait_workers(s, 2, workers)
    deadline = time.monotonic() + 5
    while s.request("GET", "/health").status != 200:
        assert time.monotonic() < deadline, "no worker answers /health"
        time.sleep(0.05)
    requests_succeed(s, token, task, 10)
    assert metrics(s)["scheduler_api_worker_starts_total"] == 4


def test_workers_stop_when_the_master_is_killed(make_stack):
    """A master killed with SIGKILL leaves no orphan workers serving the
    socket: each worker stops by itself within a moment."""
    s = make_stack(config={"workers": 2})
    workers = s.api_worker_pids()
    assert len(workers) == 2
    os.kill(s.api_pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    alive = workers
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [p for p in workers if os.path.exists(f"/proc/{p}") and
                 open(f"/proc/{p}/stat").read().split()[2] != "Z"]
    assert not alive, f"workers {alive} outlived their master"
