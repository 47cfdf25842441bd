"""Idempotency keys are per user (docs/API.md §7.5): two users sending the
same key with the same body get a task each, and neither is a replay."""
from api_helpers import assert_ok, new_user, periodic, stored_tasks


def test_same_key_two_users_two_tasks(stack):
    body = periodic()
    ids = []
    for prefix in ("idem-a", "idem-b"):
        name, token = new_user(stack, prefix)
        resp = stack.request("POST", "/tasks", body=body, token=token,
                             headers={"Idempotency-Key": "shared-key"})
        ids.append(assert_ok(resp, 201)["id"])
        assert "idempotent-replayed" not in resp.headers, resp.headers
        assert stored_tasks(stack, name) == 1
    assert ids[0] != ids[1]
