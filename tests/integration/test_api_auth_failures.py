"""A request without a usable bearer token gets 401 `User not authorized`
with `WWW-Authenticate: Bearer` (docs/API.md §2): missing, malformed,
other scheme, unknown, revoked, expired, or a disabled user. The scheme
name is case-insensitive and any number of spaces may follow it."""
import time

import pytest

from api_helpers import (assert_ok, assert_unauthorized, create, new_user,
                         periodic, unknown_id)

# Every route that needs a token, with a body where one is expected.
USER_ROUTES = [
    ("GET", "/tasks", None),
    ("POST", "/tasks", periodic()),
    ("GET", "/tasks/{id}", None),
    ("GET", "/tasks/id/{id}", None),
    ("DELETE", "/tasks/{id}", None),
    ("DELETE", "/tasks/id/{id}", None),
    ("POST", "/tasks/{id}/pause", None),
    ("POST", "/tasks/{id}/resume", None),
    ("GET", "/tasks/{id}/runs", None),
    ("POST", "/tasks/pause", {"ids": ["{id}"]}),
    ("POST", "/tasks/resume", {"ids": ["{id}"]}),
]


def token_id(stack, name):
    """Id (as schedulerctl token list shows it) of name's newest token."""
    return stack.sql("SELECT t.id FROM api_tokens t JOIN users u "
                     "ON u.id = t.user_id WHERE u.name = %s "
                     "ORDER BY t.id DESC LIMIT 1", (name,))[0][0]


def list_tasks(stack, authorization):
    return stack.request("GET", "/tasks",
                         headers={"Authorization": authorization})


@pytest.fixture(scope="module")
def alice(stack):
    """A user with one task: (name, token, task id)."""
    name, token = new_user(stack, "alice")
    return name, token, create(stack, token, periodic())


def test_no_authorization_header_on_every_route(stack, alice):
    task = alice[2]
    for method, path, body in USER_ROUTES:
        if body is not None and "ids" in body:
            body = {"ids": [task]}
        resp = stack.request(method, path.replace("{id}", task), body=body)
        assert_unauthorized(resp)
    assert stack.sql("SELECT status FROM tasks WHERE id = %s",
                     (task,))[0][0] == "active"


@pytest.mark.parametrize("header", [
    "",
    "Bearer",
    "Bearer ",
    "Bearer{token}",
    "Basic {token}",
    "Token {token}",
    "Bearer {token} extra",
    "Bearer {token}x",
    "Bearer x{token}",
    "Bearer \"{token}\"",
    "{token}",
    "Bearer Bearer {token}",
])
def test_malformed_or_other_scheme(stack, alice, header):
    assert_unauthorized(list_tasks(stack, header.format(token=alice[1])))


def test_unknown_token(stack, alice):
    assert_unauthorized(list_tasks(stack, "Bearer " + unknown_id()))
    assert_unauthorized(list_tasks(stack, "Bearer " + "A" * 4000))


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER", "bEaReR"])
@pytest.mark.parametrize("spaces", [1, 2, 7])
def test_scheme_is_case_insensitive_and_spaces_may_repeat(stack, alice,
                                                          scheme, spaces):
    resp = list_tasks(stack, f"{scheme}{' ' * spaces}{alice[1]}")
    body = assert_ok(resp)
    assert [t["id"] for t in body["tasks"]] == [alice[2]]


def test_revoked_token_is_refused_at_once_on_every_worker(stack):
    name, token = new_user(stack)
    revoked = token_id(stack, name)
    keep = stack.token(name)
    assert_ok(list_tasks(stack, f"Bearer {token}"))
    stack.ctl("token", "revoke", revoked)
    # The next request on any worker (each request a new connection).
    for _ in range(12):
        assert_unauthorized(list_tasks(stack, f"Bearer {token}"))
        assert_ok(list_tasks(stack, f"Bearer {keep}"))


def test_token_with_ttl_expires(stack):
    name, _ = new_user(stack)
    short = stack.token(name, ttl=1)
    long = stack.token(name, ttl=3600)
    assert_ok(list_tasks(stack, f"Bearer {long}"))
    time.sleep(2.1)
    for _ in range(4):
        assert_unauthorized(list_tasks(stack, f"Bearer {short}"))
    assert_ok(list_tasks(stack, f"Bearer {long}"))


def test_token_whose_expiry_has_passed(stack):
    name, token = new_user(stack)
    assert_ok(list_tasks(stack, f"Bearer {token}"))
    stack.sql("UPDATE api_tokens SET expires_at = UTC_TIMESTAMP() - "
              "INTERVAL 1 SECOND WHERE id = %s", (token_id(stack, name),))
    assert_unauthorized(list_tasks(stack, f"Bearer {token}"))


def test_disabled_user(stack):
    name, token = new_user(stack)
    task = create(stack, token, periodic())
    later = stack.token(name)
    stack.ctl("user", "disable", name)
    for method, path, body in USER_ROUTES:
        if body is not None and "ids" in body:
            body = {"ids": [task]}
        assert_unauthorized(stack.request(method, path.replace("{id}", task),
                                          body=body, token=token))
    # Every token of the user is refused.
    assert_unauthorized(list_tasks(stack, f"Bearer {later}"))


def test_health_and_metrics_need_no_token(stack):
    assert stack.request("GET", "/health").status == 200
    assert stack.request("GET", "/metrics").status == 200
    resp = stack.request("GET", "/health",
                         headers={"Authorization": "Bearer junk"})
    assert resp.status == 200
