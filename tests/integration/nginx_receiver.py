"""A fast callback receiver for burst tests: a private nginx answering 204
to everything and logging, per request, its arrival time and the
scheduler's headers. dispatch_receiver.Receiver (Python threads) is the
one to use for anything that needs a scripted answer; it is too slow to
tell a dispatcher's lateness from its own queueing at thousands of calls
per second.

    rx = NginxReceiver(tmpdir)
    url = rx.url("/path/")
    calls = rx.calls()     # [Arrival(at, run_id, task_id, scheduled_for,
                           #          attempt, path)]
    rx.stop()
"""
import collections
import os
import signal
import subprocess
import time

from stack import free_port

Arrival = collections.namedtuple(
    "Arrival", "at run_id task_id scheduled_for attempt path")

CONF = """daemon off;
worker_processes 2;
pid {dir}/rx.pid;
error_log {dir}/rx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    log_format rx '$msec $request_time $http_x_scheduler_run_id $http_x_scheduler_task_id '
                  '$http_x_scheduler_scheduled_for $http_x_scheduler_attempt '
                  '$uri';
    client_body_temp_path {dir}/rx-body;
    server {{
        listen 127.0.0.1:{port} reuseport;
        keepalive_requests 100000;
        location / {{
            access_log {dir}/rx-access.log rx buffer=64k flush=100ms;
            return 204;
        }}
    }}
}}
"""


class NginxReceiver:
    def __init__(self, directory):
        self.dir = directory
        os.makedirs(directory, exist_ok=True)
        self.log = os.path.join(directory, "rx-access.log")
        for _ in range(5):
            self.port = free_port()
            conf = os.path.join(directory, "rx.conf")
            with open(conf, "w") as f:
                f.write(CONF.format(dir=directory, port=self.port))
            self.proc = subprocess.Popen(
                ["nginx", "-p", directory, "-e",
                 os.path.join(directory, "rx-error.log"), "-c", conf],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)
            if self._wait_pid():
                return
            self.stop()
        raise RuntimeError("the receiver nginx could not listen")

    def _wait_pid(self):
        pid_file = os.path.join(self.dir, "rx.pid")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                with open(pid_file) as f:
                    if f.read().strip() == str(self.proc.pid):
                        return True
            except OSError:
                pass
            time.sleep(0.02)
        return False

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.port}{path}"

    def calls(self):
        """Every request logged so far (the log is flushed every 100 ms)."""
        out = []
        try:
            with open(self.log) as f:
                for line in f:
                    p = line.split()
                    if len(p) == 7:
                        # Arrival: the log time less the request's time.
                        out.append(Arrival(float(p[0]) - float(p[1]), p[2],
                                           p[3], p[4], int(p[5]), p[6]))
        except FileNotFoundError:
            pass
        return out

    def wait_for(self, n, timeout):
        deadline = time.monotonic() + timeout
        while True:
            got = self.calls()
            if len(got) >= n or time.monotonic() > deadline:
                return got
            time.sleep(0.2)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful: flushes logs
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
