"""2,100 connections that send part of a request header and then nothing
(a slowloris) do not stop nginx from answering: while they are all open,
GET /health from another address answers 200 within 2 s, and nginx
closes the slow connections once its header timeout (client_header_timeout
in nginx/stack.conf.template) has passed.

The slow connections come from 127.0.0.3 and the normal requests from
127.0.0.1 (all of 127.0.0.0/8 reaches nginx on 127.0.0.1), so that a
limit per client address, had it counted connections without a whole
header, could not be what keeps the normal request alive. Before the fix
(1024 worker_connections, 60 s header timeout) /health failed with
"1024 worker_connections are not enough" in nginx's error log.
"""
import os
import re
import resource
import socket
import time

import pytest

import stack as stack_mod
from api_helpers import closed_by_peer

SLOW = 2100             # the review's figure
ATTACKER = "127.0.0.3"
ANSWER_WITHIN = 2.0     # seconds, for GET /health during the attack
CLOSE_MARGIN = 5.0      # seconds after client_header_timeout


def header_timeout():
    """client_header_timeout of the stack's nginx config, in seconds."""
    with open(os.path.join(stack_mod.SRCDIR, "nginx",
                           "stack.conf.template")) as f:
        m = re.search(r"^\s*client_header_timeout\s+(\d+)s?;", f.read(), re.M)
    return int(m.group(1)) if m else 60


def raise_nofile(need):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        if hard != resource.RLIM_INFINITY and hard < need:
            pytest.skip(f"RLIMIT_NOFILE hard limit {hard} < {need}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))
    return soft, hard


def open_slow(port, n):
    """n connections from ATTACKER, each with a partial request header.
    Connections nginx refuses (or that time out) are not returned."""
    socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(2)
        try:
            s.bind((ATTACKER, 0))
            s.connect(("127.0.0.1", port))
            s.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        except OSError:
            s.close()
            continue
        socks.append(s)
    return socks


def timed_health(stack):
    """(status or the error, seconds) of one GET /health from 127.0.0.1."""
    start = time.monotonic()
    try:
        status = stack.request("GET", "/health", timeout=10).status
    except OSError as exc:
        status = exc
    return status, time.monotonic() - start


@pytest.mark.timeout(150)
def test_slow_connections_do_not_stop_requests(make_stack):
    limits = raise_nofile(SLOW + 1024)
    s = make_stack()
    socks = []
    try:
        started = time.monotonic()
        socks = open_slow(s.port, SLOW)
        opened = time.monotonic() - started
        time.sleep(0.5)     # nginx has read what they sent
        answers = [timed_health(s) for _ in range(3)]
        slow = [(st, round(t, 2)) for st, t in answers
                if st != 200 or t > ANSWER_WITHIN]
        assert not slow, \
            (f"GET /health with {len(socks)} slow connections open "
             f"(opened in {opened:.1f} s): answers {answers}; nginx/"
             f"stack.conf.template needs more worker_connections and "
             f"worker_rlimit_nofile", stack_mod.log_tail(
                 os.path.join(s.dir, "nginx-error.log"), 5))
        assert len(socks) == SLOW, \
            f"only {len(socks)} of {SLOW} slow connections were accepted"

        deadline = started + header_timeout() + CLOSE_MARGIN
        still_open = sum(not closed_by_peer(sock, deadline)
                         for sock in socks)
        assert still_open == 0, \
            (f"{still_open} slow connections still open "
             f"{header_timeout() + CLOSE_MARGIN:.0f} s after they started "
             f"(client_header_timeout {header_timeout()} s)")
        assert timed_health(s)[0] == 200
    finally:
        for sock in socks:
            sock.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, limits)
