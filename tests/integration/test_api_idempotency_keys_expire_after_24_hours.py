"""A key is remembered for 24 hours (docs/API.md §7.5): one whose row is
older (created_at moved 25 h back) is not replayed, the same key creates
a new task and is remembered afresh; and the dispatcher's housekeeping
(dispatcher/housekeeping.c, a pass at start, then every minute) deletes
keys older than 24 hours in batches of 1000, leaving younger ones, and
logs how many it removed."""
import time

from api_helpers import assert_ok, new_user, periodic, stored_tasks, user_id


def post(stack, token, body, key):
    return stack.request("POST", "/tasks", body=body, token=token,
                         headers={"Idempotency-Key": key})


def age(stack, owner, key, hours):
    stack.sql("UPDATE idempotency_keys SET created_at = "
              "UTC_TIMESTAMP(3) - INTERVAL %s MINUTE "
              "WHERE owner_id = %s AND idem_key = %s",
              (int(hours * 60), owner, key))


def test_old_key_is_not_replayed(stack):
    name, token = new_user(stack, "idem-old")
    owner = user_id(stack, name)
    body = periodic()
    first = assert_ok(post(stack, token, body, "old-key"), 201)["id"]
    age(stack, owner, "old-key", 23)
    again = post(stack, token, body, "old-key")
    assert again.headers.get("idempotent-replayed") == "true", again.headers
    age(stack, owner, "old-key", 25)
    resp = post(stack, token, body, "old-key")
    second = assert_ok(resp, 201)["id"]
    assert "idempotent-replayed" not in resp.headers, resp.headers
    assert second != first
    assert stored_tasks(stack, name) == 2
    assert stack.sql("SELECT task_id FROM idempotency_keys WHERE owner_id = %s",
                     (owner,)) == [(second,)]
    replay = post(stack, token, body, "old-key")
    assert assert_ok(replay, 201)["id"] == second


def test_housekeeping_deletes_old_keys(make_stack):
    s = make_stack(dispatchers=0)
    name, token = new_user(s, "idem-gc")
    owner = user_id(s, name)
    for i in range(3):
        assert_ok(post(s, token, periodic(), f"gc-{i}"), 201)
    # 1003 old rows: more than one batch, so the pass takes two statements.
    s.sql("INSERT INTO idempotency_keys (owner_id, idem_key, request_sha256,"
          " task_id, created_at) SELECT %s, CONCAT('bulk-', seq),"
          " UNHEX(SHA2('x', 256)), LOWER(HEX(RANDOM_BYTES(16))),"
          " UTC_TIMESTAMP(3) - INTERVAL 25 HOUR FROM seq_1_to_1001", (owner,))
    age(s, owner, "gc-0", 25)
    age(s, owner, "gc-1", 24.5)
    age(s, owner, "gc-2", 23)
    d = s.start_dispatcher()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        left = s.sql("SELECT idem_key FROM idempotency_keys WHERE owner_id = %s",
                     (owner,))
        if len(left) == 1:
            break
        time.sleep(0.1)
    assert left == [(b"gc-2",)], left[:5]
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        with open(d.log_path) as f:
            log = f.read()
        if "idempotency keys" in log:
            break
        time.sleep(0.1)
    lines = [l for l in log.splitlines() if "idempotency keys" in l]
    assert len(lines) == 1, lines
    assert "removed 1003 idempotency keys older than 24 hours" in lines[0], lines
