"""A disabled user's tasks do not fire: their due occurrences wait, and a
retry that was waiting is held, until `schedulerctl user enable`; then
they fire (late, once) with their run ids. Another user's tasks due at
the same time fire on time meanwhile."""
import time

from dispatch_receiver import (Receiver, create, iso, next_whole_second,
                               wait_until)


def test_disabled_users_tasks_wait(make_stack):
    s = make_stack(config={"retry_attempts": 3, "retry_base_delay": 2,
                           "retry_max_delay": 2})
    s.start_dispatcher()
    failed_once = set()

    def respond(call):
        # /retry fails its first attempt, so a retry is waiting.
        if call.path == "/retry" and call.run_id not in failed_once:
            failed_once.add(call.run_id)
            return 500
        return 200

    rx = Receiver(respond)
    try:
        off = s.token("campaigns-off")
        on = s.token("campaigns-on")
        soon = next_whole_second(1)
        create(s, off, {"task_type": "one_time", "url": rx.url("/retry"),
                        "run_datetime": iso(soon)})
        first = rx.wait_for(1, soon - time.time() + 3)
        assert [c.path for c in first] == ["/retry"]
        assert wait_until(lambda: s.sql(
            "SELECT COUNT(*) FROM deliveries WHERE claimed_by IS NULL "
            "AND held = 0")[0][0] == 1, 3), "no retry waiting"

        due = next_whole_second(2)
        create(s, on, {"task_type": "one_time", "url": rx.url("/on"),
                       "run_datetime": iso(due)})
        create(s, off, {"task_type": "one_time", "url": rx.url("/off"),
                        "run_datetime": iso(due)})
        s.ctl("user", "disable", "campaigns-off")
        assert s.request("GET", "/tasks", token=off).status == 401
        # The retry would have come 1-2 s after the failure; the new task
        # at due. Only the other user's task fires.
        on_call = rx.wait_for(1, due - time.time() + 3,
                              where=lambda c: c.path == "/on")
        assert on_call and on_call[0].at - due < 1.5, on_call
        time.sleep(max(0.0, due + 3 - time.time()))
        assert [c.path for c in rx.snapshot()] == ["/retry", "/on"]
        assert s.sql("SELECT COUNT(*) FROM deliveries WHERE held = 1")[0][0] \
            == 1
        backlog = s.request("GET", "/admin/stats", token=s.token(
            "ops", admin=True)).json()["due_backlog"]
        assert backlog == 0, backlog

        s.ctl("user", "enable", "campaigns-off")
        enabled = time.time()
        later = rx.wait_for(4, 5)
        paths = sorted(c.path for c in later[2:])
        assert paths == ["/off", "/retry"], later
        assert all(c.at - enabled < 1.5 for c in later[2:]), later
        retry = [c for c in later[2:] if c.path == "/retry"][0]
        assert retry.run_id == first[0].run_id and retry.attempt == 2
        time.sleep(1)
        assert len(rx.snapshot()) == 4
    finally:
        rx.stop()
