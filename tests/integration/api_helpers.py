"""Helpers for the test_api_*.py scenarios: fresh users with tokens, valid
task bodies, and the checks every answer of the task API must pass
(docs/API.md §1 and §5: JSON with charset, never cacheable, errors as
{"error": {"message", "field"?}}).

Each scenario makes its own users (unique names), so tests sharing the
session stack never see each other's tasks.
"""
import datetime
import json
import re
import socket
import threading
import time
import uuid

import openapi_check

JSON = "application/json; charset=utf-8"
PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
TASK_KEYS = [
    "id", "task_type", "name", "url", "request_method", "headers",
    "post_data", "frequency", "start_datetime", "end_datetime",
    "run_datetime", "cron", "timezone", "next_run_datetime", "status",
    "created_at", "last_run_datetime", "last_run_outcome", "run_count",
    "version",
]
URL = "https://example.com/hook"


def new_user(stack, prefix="user"):
    """(name, token) of a new user with a unique name."""
    name = f"{prefix}-{uuid.uuid4().hex[:12]}"
    return name, stack.token(name)


def user_id(stack, name):
    return stack.sql("SELECT id FROM users WHERE name = %s", (name,))[0][0]


def stored_tasks(stack, name):
    """How many tasks user name has in the database."""
    return stack.sql("SELECT COUNT(*) FROM tasks t JOIN users u "
                     "ON u.id = t.owner_id WHERE u.name = %s", (name,))[0][0]


def utc_in(seconds):
    """RFC 3339 UTC text of now + seconds, whole seconds."""
    t = datetime.datetime.now(datetime.timezone.utc) + \
        datetime.timedelta(seconds=seconds)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def periodic(**fields):
    """A valid periodic task body; keyword arguments replace or add fields
    (a value of ... removes the field)."""
    body = {"task_type": "periodic", "url": URL, "frequency": 3600,
            "start_datetime": utc_in(3600), "post_data": {"k": "v"}}
    return _merge(body, fields)


def one_time(**fields):
    """A valid one-time task body (see periodic)."""
    body = {"task_type": "one_time", "url": URL,
            "run_datetime": utc_in(3600), "post_data": {"k": "v"}}
    return _merge(body, fields)


def cron(**fields):
    """A valid cron task body (see periodic): 09:00 Berlin time on weekdays."""
    body = {"task_type": "cron", "url": URL, "cron": "0 9 * * MON-FRI",
            "timezone": "Europe/Berlin", "post_data": {"k": "v"}}
    return _merge(body, fields)


def _merge(body, fields):
    for key, value in fields.items():
        if value is ...:
            body.pop(key, None)
        else:
            body[key] = value
    return body


def assert_api_headers(resp, content_type=JSON, no_store=True):
    """Every answer: the right Content-Type and Cache-Control: no-store
    (no_store=False: the second is checked elsewhere)."""
    assert resp.headers.get("content-type") == content_type, \
        f"Content-Type of {resp!r}: {resp.headers.get('content-type')!r}"
    if not no_store:
        return
    assert resp.headers.get("cache-control") == "no-store", \
        f"Cache-Control of {resp!r}: {resp.headers.get('cache-control')!r}"


def assert_ok(resp, status=200):
    """status with a JSON body; returns the decoded body."""
    assert resp.status == status, f"expected {status}, got {resp!r}"
    assert_api_headers(resp)
    return resp.json()


def assert_message(resp, message, status=200):
    assert assert_ok(resp, status) == {"message": message}, resp


def assert_error(resp, status, message=None, field=None, no_store=True):
    """An error answer of docs/API.md §5. message None: any non-empty
    text; field None: no "field"; field ANY: any field."""
    assert resp.status == status, f"expected {status}, got {resp!r}"
    assert_api_headers(resp, no_store=no_store)
    body = resp.json()
    assert list(body) == ["error"], body
    error = body["error"]
    assert isinstance(error.get("message"), str) and error["message"], body
    if message is not None:
        assert error["message"] == message, body
    if field is ANY:
        assert isinstance(error.get("field"), str), body
    elif field is None:
        assert "field" not in error, body
    else:
        assert error.get("field") == field, body
    assert set(error) <= {"message", "field"}, body
    return error


ANY = object()


def assert_unauthorized(resp):
    assert_error(resp, 401, "User not authorized")
    assert resp.headers.get("www-authenticate", "").lower().startswith(
        "bearer"), resp.headers


def create(stack, token, body):
    """Creates a task (201 checked); returns its id."""
    resp = stack.request("POST", "/tasks", body=body, token=token)
    out = assert_ok(resp, 201)
    assert out["message"] == "Task has been scheduled successfully", out
    assert resp.headers.get("location") == f"/tasks/{out['id']}", resp.headers
    return out["id"]


def get_task(stack, token, task_id):
    return assert_ok(stack.request("GET", f"/tasks/{task_id}", token=token))


def status_of(stack, task_id):
    """The stored status of a task (None when it does not exist)."""
    rows = stack.sql("SELECT status FROM tasks WHERE id = %s", (task_id,))
    return rows[0][0] if rows else None


def complete(stack, task_id):
    """Marks a task completed as the dispatcher would after its last
    occurrence (this tier runs no dispatcher)."""
    stack.sql("UPDATE tasks SET status = 'completed', next_run_at = NULL "
              "WHERE id = %s", (task_id,))


def pause(stack, token, task):
    """POST /tasks/{task}/pause, which must answer 200."""
    assert_message(stack.request("POST", f"/tasks/{task}/pause", token=token),
                   "Task paused successfully")


def resume(stack, token, task):
    """POST /tasks/{task}/resume, which must answer 200."""
    assert_message(stack.request("POST", f"/tasks/{task}/resume",
                                 token=token), "Task resumed successfully")


def unknown_id():
    return uuid.uuid4().hex


def run_at_once(n, target):
    """Runs target(i) in n threads released together (a barrier, so that
    the requests really race); returns their results, failing on any
    exception of any thread."""
    barrier = threading.Barrier(n)
    results, errors = [None] * n, []

    def wrap(i):
        try:
            barrier.wait(30)
            results[i] = target(i)
        except BaseException as exc:     # reported below, in the test
            errors.append(exc)
    threads = [threading.Thread(target=wrap, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors[:3]
    return results


def raw_http(stack, request, timeout=30):
    """Sends request (bytes, a whole HTTP/1.1 request) to nginx as is and
    returns (status, lower-case headers, body) of the answer. For what
    http.client refuses to send: non-ASCII paths, odd header forms."""
    with socket.create_connection(("127.0.0.1", stack.port),
                                  timeout=timeout) as s:
        s.sendall(request)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    _check_raw(request, status, headers, body)
    return status, headers, body


def _check_raw(request, status, headers, body):
    """The answer of raw_http against docs/openapi.yaml, as Stack.request
    checks its answers, when the request line parses as HTTP (METHOD
    TARGET VERSION, the target a path) and the body came whole and not
    chunked; a request that is not HTTP gets nginx's 400, checked as an
    answer for an unknown request (any path)."""
    line = request.split(b"\r\n", 1)[0].decode("latin-1")
    parts = line.split(" ")
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return      # http.client would de-chunk it; the tests reading raw
        #             chunks check the bytes themselves
    if len(parts) == 3 and parts[1].startswith("/") and \
            parts[2].startswith("HTTP/"):
        method, target = parts[0], parts[1]
    else:
        method, target = "GET", "/.not-http"
    length = headers.get("content-length")
    if length is not None and length.isdigit() and int(length) != len(body):
        return      # several answers on one connection, or a cut one
    openapi_check.check(method, target, status, headers, body)


def metrics(stack):
    """GET /metrics as {"name{labels}": value}."""
    resp = stack.request("GET", "/metrics")
    assert resp.status == 200, resp
    out = {}
    for line in resp.text.splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.rpartition(" ")
            out[key] = float(value)
    return out


def pairs(text):
    """JSON text decoded with objects as lists of (key, value) pairs, so
    that key order and repeats are compared too."""
    return json.loads(text, object_pairs_hook=list)


def closed_by_peer(sock, deadline):
    """True when the other end closes sock (EOF or reset) before deadline
    (time.monotonic())."""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        sock.settimeout(left)
        try:
            if sock.recv(4096) == b"":
                return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False
