"""One client address cannot hold more than `limit_conn` requests in
progress (nginx/stack.conf.template): with that many requests from
127.0.0.3 waiting for bodies that never come, one more from 127.0.0.3 is
answered 429 with the JSON error body, while 127.0.0.1 is still served;
once they are gone, 127.0.0.3 is served again.
"""
import json
import os
import re
import socket
import time

import pytest

import stack as stack_mod
from api_helpers import JSON

CLIENT = "127.0.0.3"


def addr_limit():
    """The per-address limit of the stack's nginx config (256 when it
    sets none: the test then shows that nothing stops request 257)."""
    with open(os.path.join(stack_mod.SRCDIR, "nginx",
                           "stack.conf.template")) as f:
        m = re.search(r"^\s*limit_conn\s+\S+\s+(\d+);", f.read(), re.M)
    return int(m.group(1)) if m else 256


def connect(port, source):
    s = socket.create_connection(("127.0.0.1", port), timeout=10,
                                 source_address=(source, 0))
    return s


def get_health(port, source):
    """(status, lower-case headers, body) of GET /health from source."""
    with connect(port, source) as s:
        s.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\n"
                  b"Connection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in
               (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


@pytest.mark.timeout(60)
def test_requests_per_client_address_are_limited(stack):
    limit = addr_limit()
    held = []
    try:
        for _ in range(limit):
            s = connect(stack.port, CLIENT)
            # A whole header (so nginx counts it), then a body that never comes.
            s.sendall(b"POST /tasks HTTP/1.1\r\nHost: localhost\r\n"
                      b"Content-Type: application/json\r\n"
                      b"Content-Length: 100\r\n\r\n{")
            held.append(s)
        time.sleep(0.5)     # nginx has read every header
        status, headers, body = get_health(stack.port, CLIENT)
        assert status == 429, \
            (f"request {limit + 1} from {CLIENT} answered {status}, not 429 "
             f"(nginx/stack.conf.template: limit_conn per address)", body)
        assert headers.get("content-type") == JSON, headers
        assert json.loads(body) == {"error": {"message": "Too many requests"}}
        assert get_health(stack.port, "127.0.0.1")[0] == 200
    finally:
        for s in held:
            s.close()
    deadline = time.monotonic() + 5
    while get_health(stack.port, CLIENT)[0] != 200:
        assert time.monotonic() < deadline, \
            "127.0.0.3 still refused after its requests were closed"
        time.sleep(0.1)
