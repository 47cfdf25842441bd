"""Only a 201 is remembered (docs/API.md §7.5): a create refused with 400,
409 (name taken) or 429 (quota) leaves no key, so the same key then
creates anew, with a 201 that is not a replay."""
from api_helpers import (assert_error, assert_ok, create, new_user, periodic,
                         stored_tasks, user_id)


def post(stack, token, body, key):
    return stack.request("POST", "/tasks", body=body, token=token,
                         headers={"Idempotency-Key": key})


def keys_of(stack, name):
    return stack.sql("SELECT COUNT(*) FROM idempotency_keys WHERE owner_id = %s",
                     (user_id(stack, name),))[0][0]


def test_400_then_a_valid_create_is_new(stack):
    name, token = new_user(stack, "idem-400")
    assert_error(post(stack, token, periodic(frequency=-1), "k1"), 400,
                 field="frequency")
    assert keys_of(stack, name) == 0
    resp = post(stack, token, periodic(), "k1")
    assert_ok(resp, 201)
    assert "idempotent-replayed" not in resp.headers
    assert stored_tasks(stack, name) == 1


def test_409_then_a_free_name_is_new(stack):
    name, token = new_user(stack, "idem-409")
    create(stack, token, periodic(name="taken"))
    assert_error(post(stack, token, periodic(name="taken"), "k2"), 409)
    assert keys_of(stack, name) == 0
    assert_ok(post(stack, token, periodic(name="free"), "k2"), 201)
    assert stored_tasks(stack, name) == 2


def test_429_then_room_is_new(make_stack):
    s = make_stack(config={"max_tasks_per_user": 1})
    name, token = new_user(s, "idem-429")
    first = create(s, token, periodic())
    body = periodic()
    resp = post(s, token, body, "k3")
    assert resp.status == 429, resp
    assert keys_of(s, name) == 0
    assert_ok(s.request("DELETE", f"/tasks/{first}", token=token))
    resp = post(s, token, body, "k3")
    assert_ok(resp, 201)
    assert "idempotent-replayed" not in resp.headers
    # At the limit again, the retry is still its replay, not a 429.
    again = post(s, token, body, "k3")
    assert again.status == 201 and again.body == resp.body, again
