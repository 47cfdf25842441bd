"""A callback receiver for the dispatcher tests: a real HTTP server on
127.0.0.1 (ThreadingHTTPServer, HTTP/1.1 keep-alive) that records every
request — arrival time, method, path, headers, body — and answers as the
test says. Also the independent signature check (Python's hmac)."""
import hashlib
import hmac
import http.server
import json
import re
import threading
import time
import urllib.parse

# The task API helpers the dispatcher tests use too (one home for each).
from api_helpers import create, get_task  # noqa: F401


class Call:
    """One request as it arrived."""

    def __init__(self, at, method, path, headers, body, client_port=None):
        self.at = at                  # time.time() on arrival
        self.method = method
        self.path = path
        self.headers = headers        # dict, lower-case names
        self.body = body              # bytes
        self.client_port = client_port  # same port: same (kept) connection

    @property
    def run_id(self):
        return self.headers.get("x-scheduler-run-id")

    @property
    def task_id(self):
        return self.headers.get("x-scheduler-task-id")

    @property
    def attempt(self):
        return int(self.headers.get("x-scheduler-attempt", "0"))

    def __repr__(self):
        return (f"<Call {self.method} {self.path} at {self.at:.3f} "
                f"run {self.run_id} attempt {self.attempt}>")


class Receiver:
    """Records requests; respond(call) -> status, or (status, delay_s), or
    "hang" (held until release() or stop())."""

    def __init__(self, respond=None):
        self.calls = []
        self.lock = threading.Lock()
        self.cond = threading.Condition(self.lock)
        self.respond = respond or (lambda call: 200)
        self.released = threading.Event()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def handle_any(self):
                at = time.time()
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                call = Call(at, self.command, self.path,
                            {k.lower(): v for k, v in self.headers.items()},
                            body, self.client_address[1])
                with receiver.cond:
                    receiver.calls.append(call)
                    receiver.cond.notify_all()
                answer = receiver.respond(call)
                delay = 0
                if isinstance(answer, tuple):
                    answer, delay = answer
                if answer == "hang":
                    receiver.released.wait(120)
                    answer = 200
                elif delay:
                    time.sleep(delay)
                try:
                    self.send_response(answer)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass    # the dispatcher gave up (timeout) or died

            do_POST = do_GET = do_PUT = do_PATCH = do_DELETE = handle_any

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 512

            def handle_error(self, request, client_address):
                pass    # connections reset by a killed dispatcher

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       daemon=True)
        self.thread.start()

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_for(self, n, timeout, where=None):
        """Waits until n calls (matching where, if given) arrived; returns
        them, or all matching calls so far when the timeout passes."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                got = [c for c in self.calls if where is None or where(c)]
                left = deadline - time.monotonic()
                if len(got) >= n or left <= 0:
                    return got
                self.cond.wait(min(left, 0.2))

    def snapshot(self):
        with self.lock:
            return list(self.calls)

    def release(self):
        self.released.set()

    def stop(self):
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


def verify_signature(call, secret):
    """True when X-Scheduler-Signature is HMAC-SHA256(secret, "t." + body),
    computed here with Python's hmac, independently of the project."""
    m = re.fullmatch(r"t=(\d+),v1=([0-9a-f]{64})",
                     call.headers.get("x-scheduler-signature", ""))
    if not m:
        return False
    mac = hmac.new(secret.encode("ascii"), m.group(1).encode() + b"." +
                   call.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(mac, m.group(2))


def iso(t):
    """RFC 3339 UTC text of UNIX time t (whole seconds)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(t)))


def sql_utc(t):
    """MariaDB DATETIME text (UTC) of UNIX time t, whole seconds."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(int(t)))


def next_whole_second(after):
    """The first whole UNIX second at least `after` seconds from now."""
    return int(time.time() + after) + 1


def insert_one_time(stack, owner, url, due_sql, n):
    """n one-time tasks of user owner (made, with a token, if new) stored
    by SQL as the API stores them, for bursts too big to POST: each one's
    URL is url followed by its number seq (1..n), its time the SQL
    expression due_sql, which may use seq (e.g. "NOW() + INTERVAL 2
    SECOND"). Returns the owner's user id."""
    if not stack.sql("SELECT 1 FROM users WHERE name = %s", (owner,)):
        stack.token(owner)
    uid = stack.sql("SELECT id FROM users WHERE name = %s", (owner,))[0][0]
    stack.sql("INSERT INTO tasks (id, owner_id, task_type, url, headers, "
              "post_data, run_at, next_run_at, created_at) "
              "SELECT LOWER(HEX(RANDOM_BYTES(16))), %s, 'one_time', "
              "CONCAT(%s, seq), '{}', '{}', due, due, NOW() FROM (SELECT "
              "seq, " + due_sql.replace("%", "%%") + " AS due FROM seq_1_to_" +
              str(int(n)) + ") x", (uid, url))
    return uid


def runs(stack, token, task_id):
    resp = stack.request("GET", f"/tasks/{task_id}/runs?per_page=500",
                         token=token)
    assert resp.status == 200, resp
    return resp.json()["runs"]


def stopped(pid):
    """True when process pid is stopped (SIGSTOP, state T)."""
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0] == "T"


def wait_until(pred, timeout, step=0.1):
    """Polls pred() until it returns a true value (returned) or timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = pred()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


def path_of(url):
    return urllib.parse.urlsplit(url).path


def body_json(call):
    return json.loads(call.body)
