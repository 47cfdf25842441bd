"""A target that is private when it fires is refused at connect time
when allow_private_targets is false (DNS rebinding), and the refusal is
recorded as a failed attempt with a clear error; nothing reaches it.

Fixture: this stack's API runs the development profile, which allows
private targets, so it stores http://localhost:PORT/ as given; the
dispatcher runs with allow_private_targets = false. That is the same
situation as a host name that resolved to a public address when the task
was created and resolves to 127.0.0.1 when it fires."""
import time

from dispatch_receiver import (Receiver, create, get_task, iso,
                               next_whole_second, runs, wait_until)


def test_private_target_refused_at_connect(make_stack):
    s = make_stack()
    s.start_dispatcher(allow_private_targets=False, retry_attempts=2,
                       retry_base_delay=1, retry_max_delay=1)
    rx = Receiver()
    try:
        token = s.token("rebind")
        due = next_whole_second(1)
        by_name = create(s, token, {"task_type": "one_time",
                                    "url": f"http://localhost:{rx.port}/in",
                                    "run_datetime": iso(due)})
        by_ip = create(s, token, {"task_type": "one_time",
                                  "url": rx.url("/in"),
                                  "run_datetime": iso(due)})
        for task_id in (by_name, by_ip):
            task = wait_until(lambda: (lambda t: t if t["status"] ==
                                       "completed" else None)(
                get_task(s, token, task_id)), due - time.time() + 8)
            assert task, get_task(s, token, task_id)
            assert task["last_run_outcome"] == "failed"
            listed = runs(s, token, task_id)
            assert [r["outcome"] for r in listed] == ["failed", "retrying"]
            for r in listed:
                assert r["http_status"] is None
                assert "not a globally reachable address" in r["error"], r
                assert "127.0.0.1" in r["error"] or "::1" in r["error"], r
        assert rx.snapshot() == []
    finally:
        rx.stop()
