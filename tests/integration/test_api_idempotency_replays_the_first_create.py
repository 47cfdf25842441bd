"""A POST /tasks retried with the same Idempotency-Key and the same body
answers the first 201 again, byte for byte (same id, body and Location),
plus Idempotent-Replayed: true, and creates nothing (docs/API.md §7.5).
The replay comes before the body's checks: a retry whose run_datetime has
passed since, or that a quota would now refuse, still gets its 201."""
from api_helpers import (assert_ok, new_user, one_time, stored_tasks,
                         user_id)


def post(stack, token, body, key):
    return stack.request("POST", "/tasks", body=body, token=token,
                         headers={"Idempotency-Key": key})


def test_retry_replays_the_first_201(stack):
    name, token = new_user(stack, "idem-replay")
    body = one_time(name="report")
    first = post(stack, token, body, "order-4711")
    out = assert_ok(first, 201)
    assert "idempotent-replayed" not in first.headers, first.headers
    assert first.headers["location"] == f"/tasks/{out['id']}"
    for _ in range(3):
        again = post(stack, token, body, "order-4711")
        assert again.status == 201, again
        assert again.body == first.body
        assert again.headers["location"] == first.headers["location"]
        assert again.headers.get("idempotent-replayed") == "true", again.headers
        assert again.headers["content-type"] == first.headers["content-type"]
    assert stored_tasks(stack, name) == 1
    rows = stack.sql("SELECT task_id FROM idempotency_keys WHERE owner_id = %s",
                     (user_id(stack, name),))
    assert rows == [(out["id"],)]


def test_replay_wins_over_checks_that_changed_since(stack):
    name, token = new_user(stack, "idem-late")
    body = one_time(name="late")
    first = post(stack, token, body, "k-late")
    assert_ok(first, 201)
    # The task's time has passed and its name is taken (by itself): a new
    # create with this body would be 400 (or 409), the retry is its 201.
    stack.sql("UPDATE tasks t JOIN users u ON u.id = t.owner_id "
              "SET t.run_at = UTC_TIMESTAMP() - INTERVAL 1 HOUR "
              "WHERE u.name = %s", (name,))
    again = post(stack, token, body, "k-late")
    assert again.status == 201 and again.body == first.body, again
    assert again.headers.get("idempotent-replayed") == "true"
    # A new key with the same body is a new create: the name is taken.
    other = post(stack, token, body, "k-other")
    assert other.status == 409, other
    assert stored_tasks(stack, name) == 1
