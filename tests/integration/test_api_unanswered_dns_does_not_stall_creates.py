"""A DNS server that never answers does not stall the API (docs/API.md §7.2,
scheduler.conf(5) `resolve_timeout_ms`): with private targets refused, a
create whose host is a name waits at most resolve_timeout_ms for it to
resolve, then is accepted (the dispatcher checks the addresses when it
fires). Four such creates at once, one per worker, leave /health and task
reads answering; a lookup answered after the bound gives its slot back;
once each worker's lookups still running fill its pool, further such
creates are accepted at once.

The API runs in a network and mount namespace of its own where
/etc/resolv.conf names 127.0.0.1, on which a UDP (and TCP) socket reads
queries and never answers; its resolver would wait 30 s.
"""
import os
import shutil
import subprocess
import threading
import time

import pytest

import stack as stack_mod
from api_helpers import assert_ok, new_user, one_time

TIMEOUT_MS = 500
MARGIN = 1.0            # seconds beyond TIMEOUT_MS a create may take
QUICK = 1.5             # seconds for /health or a task read behind them
POOL = 8                # RESOLVE_SLOTS in lib/url_guard.c
WORKERS = 4

RESOLV_CONF = "nameserver 127.0.0.1\noptions timeout:30 attempts:1\n"

LATE = 0.8              # seconds before the resolver answers a "late-" name

# Reads DNS queries and never answers (no reply, so no ICMP port
# unreachable either), except for names whose first label starts with
# "late-": NXDOMAIN for those, LATE seconds on.
HOLE = r"""
import heapq, select, socket, time
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 53))
t = socket.socket()
t.bind(("127.0.0.1", 53))
t.listen(64)    # connections wait in the backlog, never accepted
print("ready", flush=True)
due, seq = [], 0
while True:
    wait = max(0.0, due[0][0] - time.monotonic()) if due else None
    if select.select([u], [], [], wait)[0]:
        q, peer = u.recvfrom(4096)
        print("query", flush=True)
        if len(q) > 18 and q[13:18] == b"late-":
            # Same id and question; QR, RD, RA, rcode 3; no other records.
            answer = q[:2] + b"\x81\x83" + q[4:6] + bytes(6) + q[12:]
            seq += 1
            heapq.heappush(due, (time.monotonic() + %s, seq, answer, peer))
    while due and due[0][0] <= time.monotonic():
        u.sendto(due[0][2], due[0][3])
        heapq.heappop(due)
""" % LATE


@pytest.fixture
def dead_resolver(tmp_path):
    """(pid, log path) of a process holding the namespaces; stopped after."""
    if os.geteuid() != 0:
        pytest.skip("needs root for unshare and nsenter")
    for tool in ("unshare", "nsenter", "ip"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} not installed")
    conf = tmp_path / "resolv.conf"
    conf.write_text(RESOLV_CONF)
    log = tmp_path / "hole.log"
    with open(log, "wb") as out:
        hole = subprocess.Popen(
            ["unshare", "--mount", "--net", "sh", "-c",
             'ip link set lo up && mount --bind "$0" /etc/resolv.conf && '
             'exec /usr/bin/python3 -c "$1"', str(conf), HOLE],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 10
        while "ready" not in log.read_text():
            assert hole.poll() is None, f"resolver died: {log.read_text()}"
            assert time.monotonic() < deadline, "resolver not ready"
            time.sleep(0.02)
        yield hole.pid, log
    finally:
        hole.kill()
        hole.wait()


@pytest.fixture
def api_in_namespace(dead_resolver, tmp_path, monkeypatch):
    """Makes stacks start scheduler-api inside the dead resolver's
    namespaces (nsenter execs it: the pid stays the API master's)."""
    pid, _ = dead_resolver
    real = stack_mod.find_binary
    wrapper = tmp_path / "scheduler-api"
    wrapper.write_text("#!/bin/sh\nexec nsenter --target %d --net --mount "
                       "-- %s \"$@\"\n" % (pid, real("scheduler-api")))
    wrapper.chmod(0o755)
    monkeypatch.setattr(stack_mod, "find_binary", lambda name: str(wrapper)
                        if name == "scheduler-api" else real(name))


def timed(s, method, path, body=None, token=None, timeout=5.0):
    """(response or the exception, seconds taken)."""
    t0 = time.monotonic()
    try:
        resp = s.request(method, path, body=body, token=token,
                         timeout=timeout)
    except OSError as exc:
        resp = exc
    return resp, time.monotonic() - t0


def create(s, token, n, prefix="some-name"):
    url = f"https://{prefix}-{n}.example-unresolvable.test/x"
    return timed(s, "POST", "/tasks", one_time(url=url), token)


def creates_at_once(s, token, first, count=WORKERS, prefix="some-name"):
    """count creates started together: (threads, [(response, seconds)])."""
    out = [None] * count
    go = threading.Barrier(count)

    def run(i):
        go.wait()
        out[i] = create(s, token, first + i, prefix)
    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    return threads, out


def assert_created(result, within, what):
    resp, took = result
    assert not isinstance(resp, Exception), \
        f"{what}: no answer after {took:.1f} s ({resp!r})"
    assert_ok(resp, 201)
    assert took <= within, f"{what} took {took:.2f} s (limit {within} s)"
    return resp.json()["id"]


@pytest.mark.timeout(90)
def test_api_unanswered_dns_does_not_stall_creates(make_stack, dead_resolver,
                                                   api_in_namespace):
    _, hole_log = dead_resolver
    s = make_stack(config={"allow_private_targets": False,
                           "resolve_timeout_ms": TIMEOUT_MS,
                           "workers": WORKERS})
    _, token = new_user(s)
    bound = TIMEOUT_MS / 1000 + MARGIN

    # One create: accepted once the bound has passed, not after 30 s.
    task_id = assert_created(create(s, token, 0), bound, "a create")
    assert "query" in hole_log.read_text(), "the API never asked the resolver"

    # Four at once hold every worker; /health and a read still answer.
    threads, results = creates_at_once(s, token, 1)
    time.sleep(0.1)
    resp, took = timed(s, "GET", "/health")
    assert not isinstance(resp, Exception) and resp.status == 200, resp
    assert took <= QUICK, f"GET /health took {took:.2f} s"
    resp, took = timed(s, "GET", f"/tasks/{task_id}", token=token)
    assert not isinstance(resp, Exception), resp
    assert assert_ok(resp)["url"].startswith("https://some-name-0.")
    assert took <= QUICK, f"GET /tasks/{task_id} took {took:.2f} s"
    for t in threads:
        t.join()
    for i, result in enumerate(results):
        assert_created(result, bound, f"create {i + 1} of 4 at once")

    # Lookups that end after the bound give their slot back: rounds of
    # names answered LATE seconds on each wait for the bound again, long
    # after POOL such lookups have run on each worker.
    for n in range(POOL + 2):
        threads, results = creates_at_once(s, token, n * WORKERS, prefix="late")
        for t in threads:
            t.join()
        for result in results:
            assert_created(result, bound, f"late round {n + 1}")
            assert result[1] >= TIMEOUT_MS / 1000 * 0.8, \
                f"late round {n + 1}: not looked up ({result[1]:.2f} s)"
    with open(os.path.join(s.dir, "api.log"), errors="replace") as f:
        assert "lookups still running" not in f.read()

    # Rounds of one create per worker until every worker's pool holds
    # POOL unfinished lookups (each waits 30 s for its answer), after
    # which such a name is accepted without waiting at all. (Which worker
    # took the first create is not known: allow a few rounds more.)
    instant = TIMEOUT_MS / 1000 * 0.6
    for n in range(2, POOL + 4):
        threads, results = creates_at_once(s, token, n * WORKERS)
        for t in threads:
            t.join()
        for result in results:
            assert_created(result, bound, f"round {n}")
        if n > POOL and all(took <= instant for _, took in results):
            break
    else:
        pytest.fail(f"creates still wait after {POOL + 3} rounds: "
                    f"{[round(took, 2) for _, took in results]}")
    with open(os.path.join(s.dir, "api.log"), errors="replace") as f:
        log = f.read()
    assert f"did not resolve in {TIMEOUT_MS} ms" in log
    assert f"{POOL} lookups still running" in log
