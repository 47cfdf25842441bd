"""GET /admin/dispatchers shows each dispatcher with its heartbeat
(docs/API.md §20.2): a running one is online; stopped, it stays listed as
offline; one whose heartbeat is older than 3 intervals is offline (it
died); those silent for over a day are left out; newest heartbeat
first."""
import socket
import time

from api_helpers import RFC3339, assert_ok

KEYS = ["id", "host", "pid", "started_at", "last_heartbeat", "online",
        "fired", "failed", "lost_leases", "expired_claims", "clock_offset_ms"]


def dispatchers(s, token):
    body = assert_ok(s.request("GET", "/admin/dispatchers", token=token))
    assert list(body) == ["dispatchers"]
    for d in body["dispatchers"]:
        assert list(d) == KEYS, d
    return body["dispatchers"]


def mine(s, token, pid):
    found = [d for d in dispatchers(s, token) if d["pid"] == pid]
    assert len(found) == 1, found
    return found[0]


def test_dispatchers_show_heartbeats(make_stack):
    s = make_stack(dispatchers=0)
    token = s.token("ops-admin", admin=True)
    assert dispatchers(s, token) == []

    d = s.start_dispatcher(heartbeat_interval=1)
    row = mine(s, token, d.pid)
    assert row["online"] is True
    assert row["host"] == socket.gethostname()
    assert row["id"].startswith(f"{row['host']}:{d.pid}:")
    assert RFC3339.match(row["started_at"]) and RFC3339.match(row["last_heartbeat"])
    assert row["fired"] == 0 and row["failed"] == 0
    first = row["last_heartbeat"]
    deadline = time.monotonic() + 10
    while mine(s, token, d.pid)["last_heartbeat"] == first:
        assert time.monotonic() < deadline, "no new heartbeat"
        time.sleep(0.3)
    # Measured at its looks for due work: the same host's clock, so small.
    row = mine(s, token, d.pid)
    assert isinstance(row["clock_offset_ms"], int) and \
        abs(row["clock_offset_ms"]) < 1000, row
    assert row["lost_leases"] == 0 and row["expired_claims"] == 0

    assert d.stop() == 0
    row = mine(s, token, d.pid)
    assert row["online"] is False     # stopped: listed, offline

    # A dispatcher that died 10 s ago with a 2 s interval: offline; one
    # silent for two days: not listed.
    s.sql("INSERT INTO dispatchers (id, host, pid, started_at, last_heartbeat,"
          " heartbeat_interval, fired, failed) VALUES ('h:1:1', 'h', 1,"
          " UTC_TIMESTAMP() - INTERVAL 1 HOUR,"
          " UTC_TIMESTAMP() - INTERVAL 10 SECOND, 2, 7, 3)")
    s.sql("INSERT INTO dispatchers (id, host, pid, started_at, last_heartbeat,"
          " heartbeat_interval) VALUES ('h:2:1', 'h', 2,"
          " UTC_TIMESTAMP() - INTERVAL 3 DAY, UTC_TIMESTAMP() - INTERVAL 2 DAY,"
          " 5)")
    rows = dispatchers(s, token)
    assert [r["pid"] for r in rows] == [d.pid, 1]      # newest first
    assert rows[1]["online"] is False
    assert (rows[1]["fired"], rows[1]["failed"]) == (7, 3)
    # A live heartbeat within 3 intervals is online.
    s.sql("UPDATE dispatchers SET last_heartbeat = UTC_TIMESTAMP() - "
          "INTERVAL 5 SECOND WHERE id = 'h:1:1'")
    assert mine(s, token, 1)["online"] is True
