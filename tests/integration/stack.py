"""Throwaway service stacks for the integration tests.

A *stack* is one private MariaDB, scheduler-api and nginx (and any number
of scheduler-dispatcher processes) living in a fresh temporary directory,
on free ports, configured with the development profile of docs/API.md §22.
Everything it starts is stopped by pid in stop(), whatever happened.

Binaries come from $SCHED_BUILDDIR (default: SRCDIR/build), sources
(schema/, nginx/) from $SCHED_SRCDIR (default: the repository holding this
file). Set SCHED_KEEP_STACKS=1 to keep the directories after the run.
"""
import atexit
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

import pymysql

import openapi_check

SRCDIR = os.path.abspath(os.environ.get("SCHED_SRCDIR") or
                         os.path.join(os.path.dirname(__file__), "..", ".."))
BUILDDIR = os.path.abspath(os.environ.get("SCHED_BUILDDIR") or
                           os.path.join(SRCDIR, "build"))

# docs/API.md §22's development profile; tests override keys per stack.
DEV_PROFILE = {
    "workers": 4,
    "min_frequency": 4,
    "allow_private_targets": True,
    "callback_timeout": 10,
    "retry_attempts": 3,
    "retry_base_delay": 2,
    "retry_max_delay": 8,
    "log_level": "info",
}

# Fast to start, default durability: flush at commit and doublewrite stay on.
MARIADB_OPTIONS = [
    "--skip-log-bin",
    "--skip-name-resolve",
    "--innodb-buffer-pool-size=64M",
    "--innodb-log-file-size=32M",
    "--max-connections=400",
]

START_TIMEOUT = 30.0    # seconds for any one program to become ready
STOP_TIMEOUT = 15.0     # seconds before a SIGTERM becomes a SIGKILL


class StackError(RuntimeError):
    """A stack could not start or stop; the message carries a log tail."""


class CtlError(subprocess.CalledProcessError):
    """schedulerctl failed; str() shows its output."""

    def __str__(self):
        return (f"{' '.join(self.cmd)} exited {self.returncode}\n"
                f"stdout: {self.stdout}\nstderr: {self.stderr}")


def log_tail(path, lines=30):
    """The last lines of a log file, or a note that it does not exist."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 16384))
            text = f.read().decode("utf-8", "replace")
    except OSError as exc:
        return f"({path}: {exc.strerror})"
    return f"--- last lines of {path} ---\n" + \
        "\n".join(text.splitlines()[-lines:])


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_binary(name):
    """Path of a built program in BUILDDIR (top level or its folder)."""
    for sub in ("", "fcgi", "ctl", "dispatcher"):
        path = os.path.join(BUILDDIR, sub, name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    raise StackError(f"{name} not found in {BUILDDIR} (build it first, or "
                     f"set SCHED_BUILDDIR)")


def run_ctl(conf, *args, timeout=300):
    """schedulerctl -c conf ARGS... (not checked): a CompletedProcess with
    text stdout and stderr. For databases other than a stack's own."""
    return subprocess.run([find_binary("schedulerctl"), "-c", conf,
                           *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)


def _value_text(value):
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


# Every process any stack started, so that an interrupted run still stops
# them (atexit); each stack removes its own when it stops them.
_live = {}
_live_lock = threading.Lock()


def _stop_all_live():
    with _live_lock:
        procs = list(_live.values())
    for proc in procs:
        proc.stop()


atexit.register(_stop_all_live)


class Process:
    """One program started by a stack, logging into its own file."""

    def __init__(self, name, argv, log_path, env=None):
        self.name = name
        self.argv = argv
        self.log_path = log_path
        with open(log_path, "ab") as log:
            self.popen = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, env=env, close_fds=True)
        self.pid = self.popen.pid
        with _live_lock:
            _live[self.pid] = self

    def alive(self):
        return self.popen.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=STOP_TIMEOUT):
        """Sends sig, waits up to timeout, then SIGKILL; returns the exit
        status (negative: killed by that signal)."""
        if self.popen.poll() is None:
            try:
                self.popen.send_signal(sig)
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        with _live_lock:
            _live.pop(self.pid, None)
        return self.popen.returncode

    def fail(self, what):
        """Raises StackError for this program with the tail of its log."""
        state = "running" if self.alive() else \
            f"exited with status {self.popen.returncode}"
        raise StackError(f"{self.name} {what} ({state}; "
                         f"{' '.join(self.argv)})\n{log_tail(self.log_path)}")


class Dispatcher(Process):
    """A scheduler-dispatcher of a stack."""

    def stop(self, sig=signal.SIGTERM, timeout=10):
        return super().stop(sig, timeout)


class Response:
    """An HTTP response: .status, .headers (lower-case names), .body."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"<Response {self.status} {self.body[:200]!r}>"


class Stack:
    """One private service stack; see the module comment."""

    def __init__(self, config=None, dispatchers=0, db_options=None,
                 schema_dir=None):
        """schema_dir: the migrations the new database gets (default: the
        source schema/; a directory holding only the older files makes a
        database at an older version, which `ctl("migrate")` upgrades)."""
        self.config = dict(DEV_PROFILE)
        self.config.update(config or {})
        self.db_options = list(MARIADB_OPTIONS if db_options is None
                               else db_options)
        self.schema_dir = schema_dir or os.path.join(SRCDIR, "schema")
        root = os.environ.get("SCHED_STACK_TMP", "/tmp")
        # Unix socket paths must stay short (108 bytes): keep the dir short.
        self.dir = tempfile.mkdtemp(prefix="sched-stack-", dir=root)
        self.conf_path = os.path.join(self.dir, "scheduler.conf")
        self.db_socket = os.path.join(self.dir, "mysql.sock")
        self.api_socket = os.path.join(self.dir, "api.sock")
        self.dashboard_root = os.path.join(SRCDIR, "web")
        self.port = None
        self.base_url = None
        self.db = self.api = self.nginx = None
        self.dispatchers = []
        self._conn = None
        self._sql_lock = threading.Lock()
        self._stopped = False
        self._saved_tails = None
        with open(os.path.join(self.dir, "owner.pid"), "w") as f:
            f.write(f"{os.getpid()}\n")
        try:
            self._start(dispatchers)
        except BaseException:
            try:
                self.stop()
            except Exception:
                pass    # the start-up error is the one worth reading
            raise

    # ----- start-up -----

    def _start(self, dispatchers):
        self.write_config()
        self._init_db()
        self.start_db()
        conn = pymysql.connect(unix_socket=self.db_socket, user="root")
        with conn:
            conn.cursor().execute(
                "CREATE DATABASE IF NOT EXISTS scheduler "
                "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
        self.ctl("migrate", "--schema-dir", self.schema_dir)
        self.start_api()
        self.start_nginx()
        self.wait_health()
        for _ in range(dispatchers):
            self.start_dispatcher()

    def write_config(self):
        """Writes conf_path from self.config (atomically)."""
        keys = {
            "database_socket": self.db_socket,
            "database_user": "root",
            "database_password": "",
            "database_name": "scheduler",
            "listen": self.api_socket,
        }
        keys.update(self.config)
        # A key set to None is left out: the program's default applies.
        self._write_file(self.conf_path, "".join(
            f"{k} = {_value_text(v)}\n" for k, v in keys.items()
            if v is not None))

    @staticmethod
    def _write_file(path, text):
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, path)

    def _init_db(self):
        log = os.path.join(self.dir, "mariadb-install.log")
        # One more try on a fresh directory: on a machine running many
        # servers at once the bootstrap can fail for want of a shared
        # kernel resource (Linux AIO contexts), which frees up quickly.
        for attempt in (1, 2):
            shutil.rmtree(os.path.join(self.dir, "mysql"), ignore_errors=True)
            with open(log, "ab") as out:
                rc = subprocess.call(
                    ["mariadb-install-db", "--no-defaults",
                     f"--datadir={self.dir}/mysql", "--user=root",
                     "--auth-root-authentication-method=socket",
                     "--skip-test-db", *self.db_options],
                    stdout=out, stderr=subprocess.STDOUT)
            if rc == 0:
                return
            time.sleep(1)
        raise StackError(f"mariadb-install-db failed ({rc}) twice\n"
                         f"{log_tail(log)}")

    def start_db(self):
        """Starts MariaDB on the stack's data directory; waits until it
        answers a query."""
        if self.db is not None and self.db.alive():
            return
        self.db = Process("mariadbd", [
            "mariadbd", "--no-defaults", f"--datadir={self.dir}/mysql",
            f"--socket={self.db_socket}", "--skip-networking",
            f"--pid-file={self.dir}/mariadbd.pid", f"--tmpdir={self.dir}",
            "--user=root", "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_bin", *self.db_options,
        ], os.path.join(self.dir, "mariadbd.log"))
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                pymysql.connect(unix_socket=self.db_socket, user="root",
                                connect_timeout=2).close()
                return
            except pymysql.err.OperationalError:
                pass
            if not self.db.alive():
                self.db.fail("did not start")
            if time.monotonic() > deadline:
                self.db.fail(f"not ready after {START_TIMEOUT:.0f} s")
            time.sleep(0.05)

    def stop_db(self):
        """Stops MariaDB cleanly (SIGTERM); start_db() brings it back."""
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:
                pass
            self._conn = None
        if self.db is not None:
            self.db.stop(timeout=60)

    def start_api(self):
        """Starts scheduler-api; waits until its socket accepts."""
        if self.api is not None and self.api.alive():
            return
        self.api = Process("scheduler-api", [
            find_binary("scheduler-api"), "-c", self.conf_path,
        ], os.path.join(self.dir, "api.log"), env=self._env())
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if os.path.exists(self.api_socket):
                with socket.socket(socket.AF_UNIX) as s:
                    try:
                        s.connect(self.api_socket)
                        return
                    except OSError:
                        pass
            if not self.api.alive():
                self.api.fail("did not start")
            if time.monotonic() > deadline:
                self.api.fail(f"socket {self.api_socket} not ready after "
                              f"{START_TIMEOUT:.0f} s")
            time.sleep(0.02)

    def stop_api(self, sig=signal.SIGTERM, timeout=STOP_TIMEOUT):
        """Stops scheduler-api (sig to the master); returns the master's
        exit status. Workers the master leaves behind are killed too."""
        if self.api is None:
            return None
        workers = self.api_worker_pids() if self.api.alive() else []
        rc = self.api.stop(sig, timeout)
        self._kill_leftovers(workers, grace=0 if sig == signal.SIGKILL
                             else 5)
        return rc

    def _kill_leftovers(self, pids, grace):
        """SIGKILLs those of pids still running this stack's programs
        after grace seconds."""
        deadline = time.monotonic() + grace
        for pid in pids:
            while _running(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            if _running(pid) and self._ours(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass

    def _ours(self, pid):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                return self.dir.encode() in f.read()
        except OSError:
            return False

    def start_nginx(self):
        """Starts nginx on a free port (a new one if it was taken)."""
        with open(os.path.join(SRCDIR, "nginx", "stack.conf.template")) as f:
            template = f.read()
        conf = os.path.join(self.dir, "nginx.conf")
        # The files the template includes, where they are in the tree.
        nginx_dir = os.path.join(SRCDIR, "nginx")
        for attempt in range(5):
            self.port = free_port()
            self.base_url = f"http://127.0.0.1:{self.port}"
            text = template
            for key, value in (("@PORT@", str(self.port)),
                               ("@PREFIX@", self.dir),
                               ("@API_ADDRESS@", "unix:" + self.api_socket),
                               ("@DASHBOARD_ROOT@", self.dashboard_root),
                               ("@NGINX_DIR@", nginx_dir)):
                text = text.replace(key, value)
            self._write_file(conf, text)
            log = os.path.join(self.dir, "nginx-error.log")
            self.nginx = Process("nginx", [
                "nginx", "-p", self.dir, "-e", log, "-c", conf,
            ], os.path.join(self.dir, "nginx.log"))
            if self._wait_port(self.nginx):
                return
            self.nginx.stop()
        self.nginx.fail("could not listen on a free port")

    def _wait_port(self, proc):
        """True once proc (nginx) listens: it writes its pid file only
        after binding, so a port some other process holds is not taken
        for ours. False when it exited (the port was taken)."""
        pid_file = os.path.join(self.dir, "nginx.pid")
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if not proc.alive():
                return False
            try:
                with open(pid_file) as f:
                    if f.read().strip() == str(proc.pid):
                        return True
            except OSError:
                pass
            time.sleep(0.02)
        proc.fail(f"not listening on {self.port} after "
                  f"{START_TIMEOUT:.0f} s")

    def wait_health(self, timeout=START_TIMEOUT):
        """Waits until GET /health answers 200 through nginx."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if not self.api.alive():
                self.api.fail("exited")
            try:
                last = self.request("GET", "/health", timeout=5)
                if last.status == 200:
                    return
            except OSError as exc:
                last = exc
            time.sleep(0.05)
        self.api.fail(f"GET /health not 200 after {timeout:.0f} s "
                      f"(last: {last!r})")

    def _env(self):
        env = dict(os.environ)
        env["SCHEDULER_CONF"] = self.conf_path
        env["SCHEDULER_SCHEMA_DIR"] = os.path.join(SRCDIR, "schema")
        return env

    # ----- the interface the tests use -----

    def request(self, method, path, body=None, token=None, headers=None,
                raw=None, timeout=30):
        """One HTTP request through nginx on a new connection. body is
        serialised as JSON; raw (bytes) is sent as is."""
        hdrs = {"Connection": "close"}
        data = raw
        if data is None and body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        if token is not None:
            hdrs["Authorization"] = f"Bearer {token}"
        hdrs.update(headers or {})
        conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                          timeout=timeout)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            out = {}
            for name, value in resp.getheaders():
                name = name.lower()
                out[name] = f"{out[name]}, {value}" if name in out else value
            answer = Response(resp.status, out, resp.read())
        finally:
            conn.close()
        # Every answer a test receives must be what docs/openapi.yaml
        # says (openapi_check raises, failing that test).
        openapi_check.check(method, path, answer.status, answer.headers,
                            answer.body)
        return answer

    def ctl(self, *args, check=True, timeout=60):
        """Runs schedulerctl -c conf_path ARGS; text-mode CompletedProcess."""
        argv = [find_binary("schedulerctl"), "-c", self.conf_path,
                *map(str, args)]
        done = subprocess.run(argv, capture_output=True, text=True,
                              env=self._env(), timeout=timeout)
        if check and done.returncode != 0:
            raise CtlError(done.returncode, argv, done.stdout, done.stderr)
        return done

    @staticmethod
    def _last_line(done):
        lines = done.stdout.strip().splitlines()
        if not lines:
            raise CtlError(done.returncode, done.args, done.stdout,
                           done.stderr)
        return lines[-1].strip()

    def token(self, name, admin=False, ttl=None):
        """A new bearer token for user name (created if missing; made an
        admin when admin=True)."""
        rows = self.sql("SELECT role FROM users WHERE name = %s", (name,))
        if not rows:
            self.ctl("user", "add", *(["--admin"] if admin else []), name)
        elif admin and rows[0][0] != "admin":
            self.ctl("user", "role", name, "admin")
        args = ["token", "issue"]
        if ttl is not None:
            args += ["--ttl", str(ttl)]
        return self._last_line(self.ctl(*args, name))

    def secret(self, name):
        """User name's signing secret."""
        return self._last_line(self.ctl("secret", "show", name))

    def sql(self, query, params=()):
        """Runs one statement (autocommit) as root in database scheduler;
        returns all rows as a list of tuples."""
        with self._sql_lock:
            if self._conn is None:
                self._conn = pymysql.connect(
                    unix_socket=self.db_socket, user="root",
                    database="scheduler", charset="utf8mb4",
                    autocommit=True, connect_timeout=5)
            else:
                self._conn.ping(reconnect=True)
            with self._conn.cursor() as cur:
                cur.execute(query, params or None)
                return list(cur.fetchall())

    def set_config(self, **keys):
        """Sets keys in the config file (no reload); None removes one."""
        self.config.update(keys)
        self.write_config()

    def reload_api(self, timeout=5.0):
        """SIGHUP to the API master; returns once its log says it reloaded
        (or failed to), plus a moment for the workers, which reload as
        soon as the signal wakes them."""
        start = os.path.getsize(self.api.log_path)
        os.kill(self.api.pid, signal.SIGHUP)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.api.log_path, "rb") as f:
                f.seek(start)
                if b"reload" in f.read():
                    break
            if not self.api.alive():
                self.api.fail("exited after SIGHUP")
            time.sleep(0.02)
        time.sleep(0.2)

    @property
    def api_pid(self):
        return self.api.pid

    def api_worker_pids(self):
        """Pids of the API master's live children (its workers)."""
        return children_of(self.api.pid)

    def start_dispatcher(self, wait=True, env=None, **config_overrides):
        """Starts a scheduler-dispatcher (its own config file when there
        are overrides; env adds variables to its environment, such as a
        clock shim); with wait, returns once it has registered in the
        dispatchers table."""
        n = len(self.dispatchers) + 1
        conf = self.conf_path
        if config_overrides:
            conf = os.path.join(self.dir, f"dispatcher-{n}.conf")
            with open(self.conf_path) as f:
                base = f.read()
            self._write_file(conf, base + "".join(
                f"{k} = {_value_text(v)}\n"
                for k, v in config_overrides.items() if v is not None))
        d = Dispatcher(f"scheduler-dispatcher #{n}", [
            find_binary("scheduler-dispatcher"), "-c", conf,
        ], os.path.join(self.dir, f"dispatcher-{n}.log"),
            env={**self._env(), **(env or {})})
        self.dispatchers.append(d)
        if wait:
            deadline = time.monotonic() + START_TIMEOUT
            while not self.sql("SELECT 1 FROM dispatchers WHERE pid = %s "
                               "AND stopped_at IS NULL", (d.pid,)):
                if not d.alive():
                    d.fail("did not start")
                if time.monotonic() > deadline:
                    d.fail("did not register in the dispatchers table")
                time.sleep(0.05)
        return d

    def logs(self):
        """Paths of the stack's log files, by program."""
        out = {}
        for proc in (self.db, self.api, self.nginx, *self.dispatchers):
            if proc is not None:
                out[proc.name] = proc.log_path
        out["nginx-error"] = os.path.join(self.dir, "nginx-error.log")
        return out

    def log_tails(self, lines=40):
        """The end of each log, by program (kept after stop() removed the
        directory); the programs' own logs get `lines`, the rest fewer."""
        if self._saved_tails is not None:
            return dict(self._saved_tails)
        return {name: log_tail(path, lines if name.startswith("scheduler")
                               else min(lines, 12))
                for name, path in self.logs().items()}

    def stop(self):
        """Stops everything (dispatchers, nginx, API, MariaDB) by pid and
        removes the directory unless SCHED_KEEP_STACKS is set."""
        if self._stopped:
            return
        self._stopped = True
        errors = []
        for proc in (*self.dispatchers, self.nginx):
            if proc is not None:
                try:
                    proc.stop()
                except Exception as exc:  # keep stopping the rest
                    errors.append(f"{proc.name}: {exc}")
        try:
            self.stop_api()
        except Exception as exc:
            errors.append(f"scheduler-api: {exc}")
        try:
            self.stop_db()
        except Exception as exc:
            errors.append(f"mariadbd: {exc}")
        if not os.environ.get("SCHED_KEEP_STACKS"):
            self._saved_tails = self.log_tails()
            shutil.rmtree(self.dir, ignore_errors=True)
        if errors:
            raise StackError("; ".join(errors))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def children_of(pid):
    """Pids whose parent is pid (from /proc)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: split after ')'.
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] != "Z" and int(fields[1]) == pid:
            out.append(int(entry))
    return sorted(out)


def sweep_stale_stacks(root=None):
    """Stops what stacks of dead test runs left behind: every process whose
    command line names a stack dir whose owner (the pytest that made it) is
    gone, or whose dir is gone; then removes those dirs."""
    root = os.environ.get("SCHED_STACK_TMP", "/tmp") if root is None else root
    prefix = os.path.join(root, "sched-stack-")
    stale = {}          # dir -> pids

    def dead(path):
        try:
            with open(os.path.join(path, "owner.pid")) as f:
                owner = int(f.read().strip() or 0)
        except (OSError, ValueError):
            # A stack being made this very moment has no owner.pid yet.
            try:
                return time.time() - os.stat(path).st_mtime > 60
            except OSError:
                return True
        return not (owner and os.path.exists(f"/proc/{owner}"))

    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read().decode("utf-8", "replace")
        except OSError:
            continue
        at = cmdline.find(prefix)
        if at < 0:
            continue
        rest = cmdline[at + len(prefix):]
        end = min((rest.find(c) for c in "/\0 " if c in rest),
                  default=len(rest))
        path = prefix + rest[:end]
        if dead(path):
            stale.setdefault(path, []).append(int(entry))
    for name in os.listdir(root):
        path = os.path.join(root, name)
        if path.startswith(prefix) and dead(path):
            stale.setdefault(path, [])
    pids = [pid for group in stale.values() for pid in group]
    # SIGTERM first: the nginx and API masters take their workers along.
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            try:
                os.kill(pid, sig)
            except OSError:
                pass
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and \
                any(_running(pid) for pid in pids):
            time.sleep(0.1)
    if not os.environ.get("SCHED_KEEP_STACKS"):
        for path in stale:
            shutil.rmtree(path, ignore_errors=True)


def _running(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
