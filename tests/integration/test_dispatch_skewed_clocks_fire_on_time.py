"""Three dispatchers whose wall clocks are 0, 30 s behind and 30 s ahead
of the database's (LD_PRELOAD shim, clock_shim.py), 3,000 one-time tasks
due at once, a fast receiver (nginx_receiver.py): each arrives once, none before its time by the database's
clock (this host's, where the database runs), and every one within 1.5 s
of it: what is due and when to fire follow the database's clock, whatever
a dispatcher's own clock says. The skewed dispatchers log their offset
and show it in /admin/dispatchers and /metrics."""
import collections
import os
import re
import time

from clock_shim import env_for
from dispatch_receiver import insert_one_time, wait_until
from nginx_receiver import NginxReceiver

N = 3000
SHIFTS = (0, -30, 30)
MARGIN = 1.5


def test_skewed_clocks_fire_on_time(make_stack):
    s = make_stack(config={"heartbeat_interval": 1})
    rx = NginxReceiver(os.path.join(s.dir, "receiver"))
    try:
        pids = {s.start_dispatcher(env=env_for(shift) if shift else None).pid:
                shift for shift in SHIFTS}
        # Due at a whole second at least 2 s away, all at once.
        due = int(time.time()) + 3
        insert_one_time(s, "skew", rx.url("/skew/"), f"FROM_UNIXTIME({due})",
                        N)

        rx.wait_for(N, 60)
        time.sleep(1)
        calls = rx.calls()
        per_task = collections.Counter(c.task_id for c in calls)
        assert not [t for t, n in per_task.items() if n > 1], "duplicates"
        assert len(per_task) == N, f"{N - len(per_task)} missing"
        early = [c.at - due for c in calls if c.at < due]
        assert not early, f"{len(early)} early, first by {min(early):.3f} s"
        late = sorted(c.at - due for c in calls)
        print(f"lateness: median {late[N // 2]:.3f} s, max {late[-1]:.3f} s")
        assert late[-1] <= MARGIN, \
            f"{sum(1 for x in late if x > MARGIN)} later than {MARGIN} s, " \
            f"max {late[-1]:.2f} s"

        # Offsets as measured by each dispatcher, through the admin API.
        admin = s.token("skew-admin", admin=True)

        def offsets():
            rows = s.request("GET", "/admin/dispatchers",
                             token=admin).json()["dispatchers"]
            return {d["pid"]: d["clock_offset_ms"] for d in rows
                    if d["pid"] in pids}
        assert wait_until(lambda: all(v is not None
                                      for v in offsets().values()), 5)
        for pid, ms in offsets().items():
            # The database's clock minus the dispatcher's.
            assert abs(ms + 1000 * pids[pid]) < 1000, (pids[pid], ms)
        metrics = s.request("GET", "/metrics").text
        m = re.search(r"^scheduler_dispatcher_clock_offset_seconds "
                      r"(-?[0-9.]+)$", metrics, re.M)
        assert m and 29 <= abs(float(m.group(1))) <= 31, metrics
        for d in s.dispatchers:
            with open(d.log_path) as f:
                text = f.read()
            shift = pids[d.pid]
            if shift < 0:
                assert "ms behind the database" in text
            elif shift > 0:
                assert "ms ahead of the database" in text
            else:
                assert "the database's; due times" not in text
    finally:
        rx.stop()
