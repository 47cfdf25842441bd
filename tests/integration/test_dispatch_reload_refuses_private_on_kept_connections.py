"""A reload to allow_private_targets = false stops traffic to private
addresses at once, also on connections libcurl keeps alive from before:
the peer of a reused connection is checked before each request, so the
next callback to 127.0.0.1 is refused (a failed attempt saying why) and
nothing more reaches the receiver, although its connection stays open.

The receiver speaks HTTP/1.1 with keep-alive and records the client port
of every request, which shows that the calls before the reload did share
a kept connection (the case the check must cover)."""
import os
import signal
import time

from dispatch_receiver import Receiver, runs, wait_until


def insert_due(s, uid, url, in_s):
    """One one-time task stored as the API stores it; returns its id."""
    task_id = os.urandom(16).hex()
    s.sql("INSERT INTO tasks (id, owner_id, task_type, url, headers, "
          "post_data, run_at, next_run_at, created_at) VALUES (%s, %s, "
          "'one_time', %s, '{}', '{}', NOW() + INTERVAL %s SECOND, "
          "NOW() + INTERVAL %s SECOND, NOW())",
          (task_id, uid, url, in_s, in_s))
    return task_id


def test_reload_refuses_private_on_kept_connections(make_stack):
    s = make_stack(config={"retry_attempts": 1})
    d = s.start_dispatcher()
    rx = Receiver()
    try:
        token = s.token("reload-private")
        uid = s.sql("SELECT id FROM users WHERE name = 'reload-private'")[0][0]
        for i in range(3):
            insert_due(s, uid, rx.url(f"/before/{i}"), 0)
            assert len(rx.wait_for(i + 1, 5)) == i + 1
        ports = {c.client_port for c in rx.snapshot()}
        assert len(ports) == 1, f"no kept connection to test: {ports}"

        s.set_config(allow_private_targets=False)
        start = os.path.getsize(d.log_path)
        os.kill(d.pid, signal.SIGHUP)

        def reloaded():
            with open(d.log_path, "rb") as f:
                f.seek(start)
                return b"config reloaded" in f.read()
        assert wait_until(reloaded, 5)

        after = insert_due(s, uid, rx.url("/after"), 0)
        assert wait_until(lambda: len(runs(s, token, after)) == 1, 5)
        run = runs(s, token, after)[0]
        assert run["outcome"] == "failed" and run["http_status"] is None, run
        assert "not a globally reachable address" in run["error"], run
        assert "127.0.0.1" in run["error"], run
        time.sleep(0.5)
        assert [c.path for c in rx.snapshot()] == \
            ["/before/0", "/before/1", "/before/2"]
    finally:
        rx.stop()
