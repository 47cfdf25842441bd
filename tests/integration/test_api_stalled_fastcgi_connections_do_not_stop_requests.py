"""Connections that send part of a FastCGI request straight to
scheduler-api's socket hold no worker for longer than
`request_read_timeout`: with one such connection per worker (4), a normal
GET /health through nginx still answers 200 within the timeout plus a
margin, every stalled connection is closed by the API, and no worker dies.

The four connections stall at each place a worker reads: before the
parameters, inside them, inside the body, and one that trickles a byte
of its parameters every 0.3 s (a pause between reads is never long, so
only a bound on the whole read stops it).
"""
import socket
import struct
import threading
import time

import pytest

from api_helpers import closed_by_peer

TIMEOUT = 2         # request_read_timeout of this stack, seconds
MARGIN = 3.0        # seconds for scheduling, nginx and the request itself

BEGIN_REQUEST, PARAMS, STDIN = 1, 4, 5


def record(kind, content, request_id=1):
    """One FastCGI record (version 1, no padding)."""
    return struct.pack(">BBHHBB", 1, kind, request_id, len(content), 0, 0) \
        + content


def pair(name, value):
    """A FastCGI name-value pair (both shorter than 128 bytes)."""
    return bytes([len(name), len(value)]) + name + value


BEGIN = record(BEGIN_REQUEST, struct.pack(">HB5x", 1, 0))   # responder
PARAM_BYTES = b"".join(pair(k, v) for k, v in (
    (b"REQUEST_METHOD", b"POST"), (b"REQUEST_URI", b"/tasks"),
    (b"CONTENT_LENGTH", b"100"), (b"CONTENT_TYPE", b"application/json")))
WHOLE_PARAMS = record(PARAMS, PARAM_BYTES) + record(PARAMS, b"")


def stalled_connections(path):
    """The three connections that stop sending, and the data each sent."""
    partial_params = struct.pack(">BBHHBB", 1, PARAMS, 1, 200, 0, 0) + \
        PARAM_BYTES[:20]
    partial_body = struct.pack(">BBHHBB", 1, STDIN, 1, 100, 0, 0) + \
        b'{"task_type"'
    out = []
    for data in (BEGIN, BEGIN + partial_params,
                 BEGIN + WHOLE_PARAMS + partial_body):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)
        s.sendall(data)
        out.append(s)
    return out


def trickle(sock, stop):
    """Sends BEGIN at once, then the parameters a byte every 0.3 s, until
    stop is set or the API closes the connection."""
    data = BEGIN + WHOLE_PARAMS
    try:
        sock.sendall(data[:len(BEGIN) + 8])
        for i in range(len(BEGIN) + 8, len(data)):
            if stop.wait(0.3):
                return
            sock.sendall(data[i:i + 1])
    except OSError:
        pass        # closed by the API: what the test expects


@pytest.mark.timeout(90)
def test_stalled_fastcgi_connections_do_not_stop_requests(make_stack):
    s = make_stack(config={"workers": 4, "request_read_timeout": TIMEOUT})
    workers = s.api_worker_pids()
    assert len(workers) == 4, workers
    stop = threading.Event()
    socks = []
    try:
        started = time.monotonic()
        socks = stalled_connections(s.api_socket)
        tricky = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        tricky.connect(s.api_socket)
        socks.append(tricky)
        sender = threading.Thread(target=trickle, args=(tricky, stop),
                                  daemon=True)
        sender.start()
        # Every worker has taken one of them by now.
        time.sleep(0.5)

        before = time.monotonic()
        try:
            resp = s.request("GET", "/health", timeout=TIMEOUT + 20)
        except OSError as exc:     # no answer at all
            resp = exc
        took = time.monotonic() - before
        assert getattr(resp, "status", None) == 200 and \
            took <= TIMEOUT + MARGIN, \
            (f"GET /health took {took:.1f} s with every worker held by a "
             f"stalled FastCGI connection (request_read_timeout = "
             f"{TIMEOUT}; fcgi/worker.c must bound the read of a request)",
             resp)

        deadline = started + TIMEOUT + MARGIN
        still_open = [i for i, sock in enumerate(socks)
                      if not closed_by_peer(sock, deadline)]
        assert not still_open, \
            (f"stalled connections {still_open} (0: before parameters, "
             f"1: inside them, 2: inside the body, 3: trickling) still "
             f"open {TIMEOUT + MARGIN:.0f} s after they started")
        assert s.api_worker_pids() == workers, \
            "a worker died instead of dropping the stalled connection"
        assert s.request("GET", "/health", timeout=10).status == 200
    finally:
        stop.set()
        for sock in socks:
            sock.close()
